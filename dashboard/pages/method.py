"""Method: how every number is computed, in plain words, with the conventions in force."""

import streamlit as st

from dashboard.i18n import text
from dashboard.ui import current_lang
from scoring import load_catalogue
from scoring.runway import DEFAULT_ALIVE_MONTHS

lang = current_lang()
catalogue = load_catalogue()
limits = [band.below for band in catalogue.bands]
names = [band.name.get(lang) for band in catalogue.bands]
band_rule = " · ".join(
    f"{name} < {limit:g}" if limit is not None else f"{name} ≥ {limits[-2]:g}"
    for name, limit in zip(names, limits, strict=True)
)

st.title(text("method.title", lang))
for section in ("factors", "risks", "amplification", "overall", "opportunity", "runway", "sources"):
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
        )
    )
