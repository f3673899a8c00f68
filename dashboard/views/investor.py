"""Investor view: two angel-investor valuation heuristics from this scenario, with the mapping shown."""

import pandas as pd
import streamlit as st

from dashboard import figures
from dashboard.controls import draw_sidebar, scenario_from_controls
from dashboard.formatting import money
from dashboard.i18n import text
from dashboard.ui import PLOTLY_CONFIG, current_lang
from scoring import load_catalogue
from scoring.scenario import MAX_AMOUNT
from scoring.valuation import load_methods, value_company

lang = current_lang()
catalogue = load_catalogue()
methods = load_methods()
current = scenario_from_controls()
scenario = current.scenario
result = value_company(scenario)
currency = scenario.currency

st.title(text("valuation.title", lang))
st.caption(text("valuation.subtitle", lang, name=scenario.name))
st.info(text("valuation.heuristic", lang), icon=":material/lightbulb:")
if current.error is not None:
    st.warning(text("explore.kept_last_valid", lang), icon=":material/warning:")

base_col, step_col = st.columns(2)
base_col.number_input(
    f"{text('field.base_pre_money', lang)} ({currency})",
    key="set:base_pre_money",
    min_value=1.0,
    max_value=MAX_AMOUNT,
    step=100_000.0,
    format="%.0f",
    help=text("help.base_pre_money", lang),
    persist_state="session",
)
step_col.number_input(
    f"{text('field.step', lang)} ({currency})",
    key="set:step",
    min_value=0.0,
    max_value=MAX_AMOUNT,
    step=50_000.0,
    format="%.0f",
    help=text("help.step", lang),
    persist_state="session",
)

low, summation, scorecard = st.columns(3)
low.metric(text("valuation.range", lang), f"{money(result.low, currency)} – {money(result.high, currency)}")
summation.metric(text("valuation.summation", lang), money(result.summation, currency))
scorecard.metric(text("valuation.scorecard", lang), money(result.scorecard, currency))


def drivers(category) -> str:
    return ", ".join(catalogue.input_name(i, lang) for i in category.drivers)


names = [category.name.get(lang) for category in methods.risk_factor_summation]
st.plotly_chart(
    figures.valuation_waterfall(result, names, currency, lang),
    config=PLOTLY_CONFIG,
    key="valuation_bridge",
    alt=text("valuation.bridge_title", lang),
)

left, right = st.columns(2)
with left:
    st.subheader(text("valuation.summation", lang))
    st.dataframe(
        pd.DataFrame(
            [
                (c.name.get(lang), drivers(c), f"{item.favourability:.0%}", int(item.rating), item.contribution)
                for c, item in zip(methods.risk_factor_summation, result.summation_items, strict=True)
            ],
            columns=[
                text("valuation.category", lang),
                text("valuation.from", lang),
                text("valuation.favourability", lang),
                text("valuation.rating", lang),
                text("valuation.adds", lang),
            ],
        ),
        hide_index=True,
        width="stretch",
        column_config={text("valuation.adds", lang): st.column_config.NumberColumn(format="%+,.0f")},
    )
with right:
    st.subheader(text("valuation.scorecard", lang))
    st.dataframe(
        pd.DataFrame(
            [
                (c.name.get(lang), drivers(c), f"{c.weight:.0%}", f"{item.rating:.0%}", item.contribution)
                for c, item in zip(methods.scorecard, result.scorecard_items, strict=True)
            ],
            columns=[
                text("valuation.category", lang),
                text("valuation.from", lang),
                text("valuation.weight", lang),
                text("valuation.ratio", lang),
                text("valuation.adds", lang),
            ],
        ),
        hide_index=True,
        width="stretch",
        column_config={text("valuation.adds", lang): st.column_config.NumberColumn(format="%,.0f")},
    )
st.caption(text("valuation.how", lang))

draw_sidebar(lang, current)
