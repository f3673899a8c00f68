"""Sensitivity: which inputs move overall risk and runway most, as a tornado and a table."""

import pandas as pd
import streamlit as st

from dashboard.compute import scenario_sensitivity
from dashboard.sidebar import draw_sidebar, scenario_from_controls
from dashboard.ui import PLOTLY_CONFIG, current_lang
from presentation import charts
from presentation.formatting import plain
from presentation.i18n import text
from scoring import load_catalogue

lang = current_lang()
catalogue = load_catalogue()
current = scenario_from_controls()
scenario = current.scenario
result = scenario_sensitivity(scenario)

st.title(text("sens.title", lang))
st.caption(text("sens.subtitle", lang, name=plain(scenario.name), months=result.horizon_months))
if current.error is not None:
    st.warning(text("explore.kept_last_valid", lang), icon=":material/warning:")

st.plotly_chart(
    charts.tornado(result, catalogue, lang), key="tornado", config=PLOTLY_CONFIG, alt=text("chart.tornado_title", lang)
)

lasts = text("sim.lasts", lang)
table = pd.DataFrame(
    [
        {
            "input": charts.sensitivity_label(row.input, catalogue, lang),
            "low": row.low,
            "high": row.high,
            "risk_low": row.risk_low,
            "risk_high": row.risk_high,
            "runway_low": lasts if row.runway_low is None else f"{row.runway_low:.1f}",
            "runway_high": lasts if row.runway_high is None else f"{row.runway_high:.1f}",
            "swing": row.swing * 100,
        }
        for row in result.rows
    ]
)
st.header(text("sens.table", lang))
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "input": st.column_config.TextColumn(text("sens.input", lang)),
        "low": st.column_config.NumberColumn(text("sens.low", lang), format="%,.4g"),
        "high": st.column_config.NumberColumn(text("sens.high", lang), format="%,.4g"),
        "risk_low": st.column_config.NumberColumn(text("sens.risk_low", lang), format="%.1f"),
        "risk_high": st.column_config.NumberColumn(text("sens.risk_high", lang), format="%.1f"),
        "runway_low": st.column_config.TextColumn(text("sens.runway_low", lang)),
        "runway_high": st.column_config.TextColumn(text("sens.runway_high", lang)),
        "swing": st.column_config.ProgressColumn(
            text("sens.swing", lang), min_value=0, max_value=100, format="%.1f", help=text("sens.swing_help", lang)
        ),
    },
)
st.caption(text("sens.note", lang))

draw_sidebar(lang, current)
