"""The Method page's text with the conventions in force filled in: for the page and for reports.

Pure Python (no Streamlit): every number printed comes from the data files or the model.
"""

from __future__ import annotations

from dashboard.i18n import text
from scoring import load_catalogue
from scoring.compare import VIEW_PATHS, VIEW_SEED
from scoring.runway import DEFAULT_ALIVE_MONTHS
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS
from scoring.valuation import load_methods

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
    "sources",
)


def _effect_line(category: str, lang: str) -> str:
    """One category's cash effect in words, with its size and the source it rests on."""
    catalogue = load_catalogue()
    effect = catalogue.risk_events.effects[category]
    size = f"{effect.size:.0%}" if effect.kind in ("growth_cut", "cost_rise") else f"{effect.size:g}"
    words = text(
        f"effect.{effect.kind}",
        lang,
        size=size,
        months=effect.months,
        fail=f"{effect.fail_after_months:g}" if effect.fail_after_months else "",
    )
    return f"- **{catalogue.categories[category].name.get(lang)}**: {words}. *{effect.source.get(lang)}*"


def method_sections(lang: str) -> list[tuple[str, str]]:
    """(title, Markdown body) of every section of the Method page, in order."""
    catalogue = load_catalogue()
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
        "alive": DEFAULT_ALIVE_MONTHS,
        "risks": len(catalogue.risks),
        "interactions": len(catalogue.interactions),
        "axes": len(catalogue.axes),
        "paths": f"{VIEW_PATHS:,}",
        "seed": VIEW_SEED,
        "window": f"{events.window_months:g}",
        "lead": f"{DEFAULT_FUNDRAISING_LEAD_MONTHS:g}",
        "anchors": " · ".join(f"{p:.0%}" for p in events.probability_by_likelihood),
        "base": f"{load_methods().default_base_pre_money:,.0f}",
    }
    sections = []
    for section in SECTIONS:
        body = text(f"method.{section}.body", lang, **values)
        if section == "events":
            body += "\n\n" + "\n".join(_effect_line(category, lang) for category in catalogue.categories)
        sections.append((text(f"method.{section}.title", lang), body))
    return sections
