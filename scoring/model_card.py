"""The generated tables of the model card, ``docs/model.md``, so that the card cannot drift.

The card's prose explains the model; its tables of numbers are written by this module from the
data and the code, between marker lines (``<!-- BEGIN GENERATED: name -->`` … ``<!-- END
GENERATED: name -->``). Rewrite them after changing the model or the data::

    python -m scoring.model_card           # rewrite the tables in docs/model.md
    python -m scoring.model_card --check   # exit 1 (and say which) when a table is out of date

tests/test_model_card.py runs the check, so a change that moves a number fails the tests until
the card is regenerated.

The central table is each signed factor's *influence*: overall risk with the factor at 10
minus overall risk with it at 0, every other input as in the neutral template (the 0 → 10
sweep of :func:`scoring.sensitivity.sensitivity`). The Method page shows the same rows.

>>> rows = factor_influence()
>>> rows[0].emphasis  # the factor that moves the headline most is one the survey stresses
'core'
>>> abs(rows[0].change) >= abs(rows[-1].change)
True
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue, load_catalogue
from scoring.compare import VIEW_PATHS, VIEW_SEED
from scoring.evaluate import evaluate
from scoring.presets import TEMPLATE, list_presets, load_preset, preset_after, preset_info
from scoring.risk import RiskReport, overall_from_scores, score_risks
from scoring.runway import DEFAULT_ALIVE_MONTHS
from scoring.scenario import Finance, Scenario
from scoring.sensitivity import CASH_STEP, sensitivity
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS
from scoring.valuation import load_methods

__all__ = [
    "BLOCKS",
    "MODEL_CARD",
    "REFERENCE_PRESET",
    "FactorInfluence",
    "card_markdown",
    "factor_influence",
    "main",
    "reference_companies",
    "render_blocks",
    "stale_blocks",
    "update_card",
]

MODEL_CARD = Path(__file__).resolve().parent.parent / "docs" / "model.md"
REFERENCE_PRESET = TEMPLATE  # every factor at 5: each factor's sweep starts from neutral ground
COMMAND = "python -m scoring.model_card"
_MARKER = re.compile(r"^<!-- (BEGIN|END) GENERATED: ([a-z_]+)[^>]*-->\n?", re.MULTILINE)


class FactorInfluence(BaseModel):
    """How far one signed factor moves overall risk, from 0 to 10, on the reference scenario."""

    model_config = ConfigDict(frozen=True)

    factor: str  # factor id
    emphasis: Literal["core", "standard", "context"]  # how much the source survey stresses it
    direction: Literal["+", "-"]
    risk_low: float  # overall risk 0-100 with the factor at 0
    risk_high: float  # ... at 10
    change: float  # risk_high - risk_low: > 0 for a "+" factor, < 0 for a "-" factor


def factor_influence(
    scenario: Scenario | None = None, catalogue: Catalogue | None = None
) -> tuple[FactorInfluence, ...]:
    """Every signed factor's 0 -> 10 change of overall risk, largest first (ties: catalogue order)."""
    catalogue = catalogue or load_catalogue()
    scenario = scenario or load_preset(REFERENCE_PRESET)
    rows = [
        FactorInfluence(
            factor=row.input,
            emphasis=catalogue.factors[row.input].emphasis,
            direction=catalogue.factors[row.input].direction,
            risk_low=row.risk_low,
            risk_high=row.risk_high,
            change=row.risk_high - row.risk_low,
        )
        for row in sensitivity(scenario, catalogue).rows
        if row.kind == "factor" and catalogue.factors[row.input].direction != "none"
    ]
    return tuple(sorted(rows, key=lambda row: -abs(row.change)))


def reference_companies(catalogue: Catalogue | None = None) -> dict[str, Scenario]:
    """The three companies the bands are calibrated on (tests/test_judgment.py builds its own).

    unremarkable: every factor 5, 2M of cash, 100k costs and 20k revenue a month (25 months);
    strong: every signed factor 2.5 points towards less risk, 3M of cash, revenue 90k growing 3 %
    a month; desperate: every signed factor 3.5 points towards more risk, 300k and no revenue.
    """
    catalogue = catalogue or load_catalogue()

    def shifted(level: float) -> dict[str, float]:
        return {
            factor_id: 5 + level if factor.direction == "+" else 5 - level
            for factor_id, factor in catalogue.factors.items()
            if factor.direction != "none"
        }

    def company(name: str, factors: dict[str, float], **finance: float) -> Scenario:
        plan = {"cash": 2_000_000, "monthly_costs": 100_000, "monthly_revenue": 20_000} | finance
        return Scenario(name=name, factors=factors, finance=Finance(**plan))

    return {
        "unremarkable": company("unremarkable", {}),
        "strong": company("strong", shifted(-2.5), cash=3_000_000, monthly_revenue=90_000, revenue_growth=0.03),
        "desperate": company("desperate", shifted(3.5), cash=300_000, monthly_revenue=0),
    }


def _counts(risk: RiskReport, catalogue: Catalogue) -> str:
    """ "2 critical · 5 high · 20 medium", highest band first, empty bands left out (as on screen)."""
    parts = [
        f"{risk.band_counts[band.id]} {band.name.en.lower()}"
        for band in reversed(catalogue.bands)
        if risk.band_counts[band.id]
    ]
    return " · ".join(parts)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(":---:" if a == "c" else "---:" if a == "r" else "---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _constants(catalogue: Catalogue) -> str:
    aggregation, events, methods = catalogue.aggregation, catalogue.risk_events, load_methods()
    bands = " ≤ ".join(
        f"{band.name.en.lower()} < {band.below:g}" if band.below is not None else band.name.en.lower()
        for band in catalogue.bands
    )
    rows = [
        (
            "Dimension curve exponent γ",
            f"{aggregation.dimension_exponent:g}",
            "data/model.yaml `aggregation.dimension_exponent`",
        ),
        ("Power of the overall mean p", f"{aggregation.power:g}", "data/model.yaml `aggregation.power`"),
        ("Comfort runway C", f"{catalogue.runway_comfort_months:g} months", "data/model.yaml `runway_comfort_months`"),
        ("Bands (score = likelihood × impact)", bands, "data/model.yaml `bands`"),
        (
            "Risks · signed factors · amplification links",
            f"{len(catalogue.risks)} · {sum(f.direction != 'none' for f in catalogue.factors.values())} · "
            f"{len(catalogue.interactions)}",
            "data/risks.yaml, data/factors.yaml, data/interactions.yaml",
        ),
        ("Default-alive window", f"{DEFAULT_ALIVE_MONTHS} months", "scoring/runway.py"),
        ("Risk-event window", f"{events.window_months:g} months", "data/risk_events.yaml `window_months`"),
        (
            "Chance of striking within the window, L = 1 … 5",
            " · ".join(f"{p:.0%}" for p in events.probability_by_likelihood),
            "data/risk_events.yaml",
        ),
        (
            "A round that slips more than this fails",
            f"{events.fail_after_months:g} months",
            "data/risk_events.yaml `fail_after_months`",
        ),
        ("Simulated futures on screen and in reports", f"{VIEW_PATHS:,} (seed {VIEW_SEED})", "scoring/compare.py"),
        ("Months a raise takes (default)", f"{DEFAULT_FUNDRAISING_LEAD_MONTHS:g}", "scoring/simulate.py"),
        ("Cash inputs moved in the sensitivity sweep", f"±{CASH_STEP:.0%}", "scoring/sensitivity.py"),
        (
            "Default base pre-money (a placeholder)",
            f"{methods.default_base_pre_money:,.0f} {methods.default_base_currency}",
            "data/valuation.yaml",
        ),
        (
            "Revenue counted as material",
            f"month-1 revenue ≥ {methods.material_revenue.cost_share:.0%} of costs, or 12 × revenue ≥ "
            f"{methods.material_revenue.run_rate_share_of_base:.0%} of the base",
            "data/valuation.yaml",
        ),
    ]
    return _table(("Constant", "Value", "Where"), rows, "lll")


def _power_examples(catalogue: Catalogue) -> str:
    """What the power mean does that a plain mean does not, on 27 equally weighted risks."""
    power = catalogue.aggregation.power
    weights = [1.0] * len(catalogue.risks)
    rows = []
    for label, critical in (("no critical risk", 0), ("one critical risk", 1), ("two critical risks", 2)):
        scores = [20.0] * critical + [8.0] * (len(weights) - critical)
        rows.append(
            (
                f"{label} (score 20), the rest at 8",
                f"{overall_from_scores(scores, weights, 1.0):.1f}",
                f"{overall_from_scores(scores, weights, power):.1f}",
            )
        )
    return _table(("27 risks, equal weights", "plain mean (p = 1)", f"power mean (p = {power:g})"), rows, "lrr")


def _calibration(catalogue: Catalogue) -> str:
    rows = []
    for name, scenario in reference_companies(catalogue).items():
        risk = score_risks(scenario, catalogue)
        rows.append((name, f"{risk.overall:.1f}", _counts(risk, catalogue)))
    return _table(("Reference company", "Overall risk", "Risks per band"), rows, "lrl")


def _influence(catalogue: Catalogue) -> str:
    influence = factor_influence(catalogue=catalogue)
    rows = [
        (
            catalogue.factors[row.factor].name.en,
            f"`{row.factor}`",
            row.emphasis,
            f"{row.risk_low:.1f}",
            f"{row.risk_high:.1f}",
            f"{row.change:+.1f}",
        )
        for row in influence
    ]
    table = _table(("Factor", "Id", "Emphasis", "Risk at 0", "Risk at 10", "Change 0 → 10"), rows, "lllrrr")
    levels = []
    for level in ("core", "standard", "context"):
        swings = [abs(row.change) for row in influence if row.emphasis == level]
        levels.append(
            f"{level}: {len(swings)} factors, mean swing {sum(swings) / len(swings):.1f}, "
            f"from {min(swings):.1f} to {max(swings):.1f}"
        )
    return table + "\nBy emphasis — " + "; ".join(levels) + ".\n"


def _presets(catalogue: Catalogue) -> str:
    info = preset_info()
    rows = []
    for preset_id in list_presets():
        report = evaluate(load_preset(preset_id), catalogue)
        runway = report.runway
        months = f"{runway.months:.1f}" if runway.months is not None else f"> {runway.horizon_months}"
        after = "—"
        if preset_after(preset_id):
            resolved = score_risks(load_preset(preset_id, after=True), catalogue)
            after = f"{resolved.overall:.1f} ({_counts(resolved, catalogue)})"
        rows.append(
            (
                info[preset_id].name.en,
                info[preset_id].section or "—",
                f"{report.risk.overall:.1f}",
                _counts(report.risk, catalogue),
                months,
                "alive" if runway.default_alive else "dead",
                after,
            )
        )
    header = ("Preset", "Case", "Overall risk", "Risks per band", "Runway (months)", "Default", "After the response")
    return _table(header, rows, "lcrlrll")


# name -> what writes it; the card holds one block of each, in any order
BLOCKS: dict[str, Callable[[Catalogue], str]] = {
    "constants": _constants,
    "power_mean": _power_examples,
    "calibration": _calibration,
    "influence": _influence,
    "presets": _presets,
}


def render_blocks(catalogue: Catalogue | None = None) -> dict[str, str]:
    """The text of every generated block, from the current data and code."""
    catalogue = catalogue or load_catalogue()
    return {name: write(catalogue) for name, write in BLOCKS.items()}


def _split(card: str) -> dict[str, tuple[int, int]]:
    """name -> (start, end) of the text between its BEGIN and END lines."""
    spans, open_at = {}, {}
    for match in _MARKER.finditer(card):
        kind, name = match.groups()
        if kind == "BEGIN":
            open_at[name] = match.end()
        elif name in open_at:
            spans[name] = (open_at.pop(name), match.start())
    return spans


def update_card(card: str, blocks: dict[str, str] | None = None) -> str:
    """``card`` with every generated block rewritten; a block without markers is an error."""
    blocks = blocks if blocks is not None else render_blocks()
    spans = _split(card)
    missing = sorted(set(blocks) - set(spans))
    if missing:
        raise ValueError(f"{MODEL_CARD.name} has no markers for: {', '.join(missing)}")
    for name, (start, end) in sorted(spans.items(), key=lambda item: -item[1][0]):  # back to front
        if name in blocks:
            card = card[:start] + blocks[name] + card[end:]
    return card


def stale_blocks(card: str, blocks: dict[str, str] | None = None) -> list[str]:
    """The generated blocks whose text in ``card`` differs from what the code writes now."""
    blocks = blocks if blocks is not None else render_blocks()
    spans = _split(card)
    return [name for name, body in blocks.items() if name not in spans or card[slice(*spans[name])] != body]


def card_markdown(path: Path = MODEL_CARD) -> str:
    """The card as Markdown to display, without the generator's marker lines."""
    return _MARKER.sub("", path.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description="Rewrite the generated tables of docs/model.md.")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when a table is out of date")
    args = parser.parse_args(argv)
    card = MODEL_CARD.read_text(encoding="utf-8")
    blocks = render_blocks()
    stale = stale_blocks(card, blocks)
    if args.check:
        if stale:
            print(f"{MODEL_CARD}: out of date: {', '.join(stale)}; run: {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if stale:
        MODEL_CARD.write_text(update_card(card, blocks), encoding="utf-8")
        print(f"{MODEL_CARD}: rewrote {', '.join(stale)}")
    else:
        print(f"{MODEL_CARD}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
