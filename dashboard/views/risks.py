"""Risks: the whole register as a sortable, filterable table for the current scenario."""

import pandas as pd
import streamlit as st

from dashboard.compute import evaluate_scenario
from dashboard.sidebar import draw_sidebar, scenario_from_controls
from dashboard.ui import current_lang
from presentation.formatting import plain
from presentation.i18n import text
from scoring import load_catalogue

lang = current_lang()
catalogue = load_catalogue()
current = scenario_from_controls()
report = evaluate_scenario(current.scenario)

st.title(text("risks.title", lang))
st.caption(text("risks.subtitle", lang, name=plain(current.scenario.name)))
if current.error is not None:
    st.warning(text("explore.kept_last_valid", lang), icon=":material/warning:")

bands = {band.id: band.name.get(lang) for band in catalogue.bands}
categories = {cid: category.name.get(lang) for cid, category in catalogue.categories.items()}
left, right = st.columns(2)
chosen_categories = left.multiselect(
    text("risks.filter_category", lang), list(categories), format_func=categories.get, key="risk_filter_category"
)
chosen_bands = right.multiselect(
    text("risks.filter_band", lang), list(bands), format_func=bands.get, key="risk_filter_band"
)


def driver_names(drivers) -> str:
    """The three inputs adding most to one dimension (those adding at least 0.005 points)."""
    return ", ".join([catalogue.input_name(d.input, lang) for d in drivers if d.contribution >= 0.005][:3])


rows = []
for item in report.risk.items:
    if chosen_categories and item.category not in chosen_categories:
        continue
    if chosen_bands and item.band not in chosen_bands:
        continue
    rows.append(
        {
            "code": catalogue.risk_code(item.id),
            "risk": catalogue.risks[item.id].name.get(lang),
            "category": categories[item.category],
            "likelihood": item.likelihood,
            "impact": item.impact,
            "score": item.score,
            "band": bands[item.band],
            # each input once per dimension: one that drives both is named in both columns
            "likelihood_drivers": driver_names(item.likelihood_drivers),
            "impact_drivers": driver_names(item.impact_drivers),
            "amplified_by": ", ".join(catalogue.risks[s.id].name.get(lang) for s in item.amplified_by),
            "mitigations": " · ".join(catalogue.mitigations[m].title.get(lang) for m in item.mitigations),
        }
    )
table = pd.DataFrame(
    rows,
    columns=[
        "code",
        "risk",
        "category",
        "likelihood",
        "impact",
        "score",
        "band",
        "likelihood_drivers",
        "impact_drivers",
        "amplified_by",
        "mitigations",
    ],
)
st.dataframe(
    table.sort_values("score", ascending=False),
    key="register",
    hide_index=True,
    column_config={
        "code": st.column_config.TextColumn(text("risks.col_code", lang), width="small"),
        "risk": st.column_config.TextColumn(text("risks.col_risk", lang)),
        "category": st.column_config.TextColumn(text("risks.col_category", lang)),
        "likelihood": st.column_config.NumberColumn(text("chart.likelihood", lang), format="%.2f"),
        "impact": st.column_config.NumberColumn(text("chart.impact", lang), format="%.2f"),
        "score": st.column_config.ProgressColumn(text("chart.score", lang), min_value=1, max_value=25, format="%.1f"),
        "band": st.column_config.TextColumn(text("risks.col_band", lang)),
        "likelihood_drivers": st.column_config.TextColumn(text("drivers.likelihood", lang), width="medium"),
        "impact_drivers": st.column_config.TextColumn(text("drivers.impact", lang), width="medium"),
        "amplified_by": st.column_config.TextColumn(text("explore.amplified_by", lang)),
        "mitigations": st.column_config.TextColumn(text("explore.what_to_do", lang), width="large"),
    },
)
st.caption(text("risks.count", lang, shown=len(table), total=len(report.risk.items)))

draw_sidebar(lang, current)
