"""The Method page's text with the conventions in force filled in: for the page and for reports.

Pure Python (no Streamlit): every number printed comes from the data files or the model.
"""

from __future__ import annotations

from presentation.i18n import text
from scoring import load_catalogue
from scoring.catalogue import Catalogue, EventEffect
from scoring.compare import VIEW_PATHS, VIEW_SEED
from scoring.risk import overall_from_scores
from scoring.runway import DEFAULT_ALIVE_MONTHS
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS
from scoring.valuation import load_methods
from workshop.aggregate import TOLERANCE

__all__ = ["SECTIONS", "method_sections"]

SECTIONS = (
    "factors",
    "risks",
    "amplification",
    "overall",
    "opportunity",
    "runway",
    "uncertainty",
    "events",
    "sensitivity",
    "valuation",
    "workshop",
    "sources",
)


def _effect_words(effect: EventEffect, fail_after: float, lang: str) -> str:
    """One cash effect in words, at impact 5."""
    size = f"{effect.size * 100:g}%" if effect.kind in ("growth_cut", "cost_rise") else f"{effect.size:g}"
    return text(f"effect.{effect.kind}", lang, size=size, months=effect.months, fail=f"{fail_after:g}")


def _events_table(lang: str) -> str:
    """Every risk's cash effects as a Markdown table: risk, what happens to cash, why, section."""
    catalogue = load_catalogue()
    events = catalogue.risk_events
    head = [text(f"method.events.{column}", lang) for column in ("risk", "cash", "why", "section")]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for risk_id, risk in catalogue.risks.items():
        event = events.risks[risk_id]
        words = [_effect_words(effect, events.fail_after_months, lang) for effect in event.effects]
        effects = text("method.events.and", lang).join(words)
        name = f"{catalogue.risk_code(risk_id)} {risk.name.get(lang)}"
        lines.append(f"| {name} | {effects} | {event.source.get(lang)} | {event.section} |")
    return "\n".join(lines)


def _power_mean_example(catalogue: Catalogue) -> dict[str, str]:
    """The headline of 27 equally weighted risks at 8, and with one of them critical at 20,
    under the power mean in force and under a plain mean: why the power mean."""
    weights = [1.0] * len(catalogue.risks)
    ordinary = [8.0] * len(weights)
    one_critical = [20.0, *ordinary[1:]]
    power = catalogue.aggregation.power
    return {
        "ordinary": f"{overall_from_scores(ordinary, weights, power):.0f}",
        "one_critical": f"{overall_from_scores(one_critical, weights, power):.0f}",
        "plain_one_critical": f"{overall_from_scores(one_critical, weights, 1.0):.0f}",
    }


def method_sections(lang: str) -> list[tuple[str, str]]:
    """(title, Markdown body) of every section of the Method page, in order."""
    catalogue = load_catalogue()
    methods = load_methods()
    events = catalogue.risk_events
    limits = [band.below for band in catalogue.bands]
    names = [band.name.get(lang) for band in catalogue.bands]
    band_rule = " · ".join(
        f"{name} < {limit:g}" if limit is not None else f"{name} ≥ {limits[-2]:g}"
        for name, limit in zip(names, limits, strict=True)
    )
    values = {
        "bands": band_rule,
        "comfort": f"{catalogue.runway_comfort_months:g}",
        "exponent": f"{catalogue.aggregation.dimension_exponent:g}",
        "power": f"{catalogue.aggregation.power:g}",
        "tolerance": f"{TOLERANCE:g}",
        **_power_mean_example(catalogue),
        "alive": DEFAULT_ALIVE_MONTHS,
        "risks": len(catalogue.risks),
        "interactions": len(catalogue.interactions),
        "axes": len(catalogue.axes),
        "paths": f"{VIEW_PATHS:,}",
        "seed": VIEW_SEED,
        "window": f"{events.window_months:g}",
        "lead": f"{DEFAULT_FUNDRAISING_LEAD_MONTHS:g}",
        "anchors": " · ".join(f"{p:.0%}" for p in events.probability_by_likelihood),
        "base": f"{methods.default_base_pre_money:,.0f}",
        "base_currency": methods.default_base_currency,
        "cost_share": f"{methods.material_revenue.cost_share:.0%}",
        "run_rate": f"{methods.material_revenue.run_rate_share_of_base:.0%}",
    }
    sections = []
    for section in SECTIONS:
        body = text(f"method.{section}.body", lang, **values)
        if section == "events":
            body += "\n\n" + _events_table(lang)
        sections.append((text(f"method.{section}.title", lang), body))
    return sections
