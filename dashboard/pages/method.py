"""Method: how every number is computed, in plain words, with the conventions in force."""

import streamlit as st

from dashboard.compute import APP_PATHS, APP_SEED
from dashboard.i18n import text
from dashboard.ui import current_lang
from scoring import load_catalogue
from scoring.runway import DEFAULT_ALIVE_MONTHS
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS

lang = current_lang()
catalogue = load_catalogue()
limits = [band.below for band in catalogue.bands]
names = [band.name.get(lang) for band in catalogue.bands]
band_rule = " · ".join(
    f"{name} < {limit:g}" if limit is not None else f"{name} ≥ {limits[-2]:g}"
    for name, limit in zip(names, limits, strict=True)
)

st.title(text("method.title", lang))
events = catalogue.risk_events


def effect_line(category: str) -> str:
    """One category's cash effect in words, with its size and the source it rests on."""
    effect = events.effects[category]
    size = f"{effect.size:.0%}" if effect.kind in ("growth_cut", "cost_rise") else f"{effect.size:g}"
    words = text(
        f"effect.{effect.kind}",
        lang,
        size=size,
        months=effect.months,
        fail=f"{effect.fail_after_months:g}" if effect.fail_after_months else "",
    )
    return f"- **{catalogue.categories[category].name.get(lang)}**: {words}. *{effect.source.get(lang)}*"


sections = (
    "factors",
    "risks",
    "amplification",
    "overall",
    "opportunity",
    "runway",
    "uncertainty",
    "events",
    "sensitivity",
    "sources",
)
for section in sections:
    st.subheader(text(f"method.{section}.title", lang))
    st.markdown(
        text(
            f"method.{section}.body",
            lang,
            bands=band_rule,
            comfort=f"{catalogue.runway_comfort_months:g}",
            alive=DEFAULT_ALIVE_MONTHS,
            risks=len(catalogue.risks),
            interactions=len(catalogue.interactions),
            axes=len(catalogue.axes),
            paths=f"{APP_PATHS:,}",
            seed=APP_SEED,
            window=f"{events.window_months:g}",
            lead=f"{DEFAULT_FUNDRAISING_LEAD_MONTHS:g}",
            anchors=" · ".join(f"{p:.0%}" for p in events.probability_by_likelihood),
        )
    )
    if section == "events":
        st.markdown("\n".join(effect_line(category) for category in catalogue.categories))
