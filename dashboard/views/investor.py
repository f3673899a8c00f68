"""Investor view: two angel-investor valuation heuristics from this scenario, with the mapping shown."""

import pandas as pd
import streamlit as st

from dashboard.sidebar import draw_fields, draw_sidebar, scenario_from_controls
from dashboard.ui import PLOTLY_CONFIG, current_lang
from presentation import charts
from presentation.formatting import money, plain, valuation_warnings
from presentation.i18n import text
from scoring import load_catalogue
from scoring.valuation import load_methods, value_company

lang = current_lang()
catalogue = load_catalogue()
methods = load_methods()
current = scenario_from_controls()
scenario = current.scenario
result = value_company(scenario)
currency = scenario.currency

st.title(text("valuation.title", lang))
st.caption(text("valuation.subtitle", lang, name=plain(scenario.name)))
st.info(text("valuation.heuristic", lang), icon=":material/lightbulb:")
for warning in valuation_warnings(result, currency, lang):  # material revenue; a base in another currency
    st.warning(warning, icon=":material/warning:")
if current.error is not None:
    st.warning(text("explore.kept_last_valid", lang), icon=":material/warning:")

draw_fields("valuation", lang, currency)  # the base pre-money and the value of a rating step

low, summation, scorecard = st.columns(3)
low.metric(text("valuation.range", lang), f"{money(result.low, currency)} – {money(result.high, currency)}")
summation.metric(text("valuation.summation", lang), money(result.summation, currency))
scorecard.metric(text("valuation.scorecard", lang), money(result.scorecard, currency))


def drivers(category) -> str:
    return ", ".join(catalogue.input_name(i, lang) for i in category.drivers)


names = [category.name.get(lang) for category in methods.risk_factor_summation]
st.plotly_chart(
    charts.valuation_waterfall(result, names, currency, lang),
    config=PLOTLY_CONFIG,
    key="valuation_bridge",
    alt=text("valuation.bridge_title", lang),
)


def method_table(title: str, rows: list[tuple], middle: tuple[str, str], adds_format: str) -> None:
    """One method's categories: name, the factors it reads, two method columns, what it adds."""
    st.header(text(title, lang))
    columns = ["category", "from", *middle, "adds"]
    labels = [text(f"valuation.{column}", lang) for column in columns]
    st.dataframe(
        pd.DataFrame(rows, columns=labels),
        hide_index=True,
        width="stretch",
        column_config={labels[-1]: st.column_config.NumberColumn(format=adds_format)},
    )


left, right = st.columns(2)
with left:
    method_table(
        "valuation.summation",
        [
            (c.name.get(lang), drivers(c), f"{item.favourability:.0%}", int(item.rating), item.contribution)
            for c, item in zip(methods.risk_factor_summation, result.summation_items, strict=True)
        ],
        ("favourability", "rating"),
        "%+,.0f",
    )
with right:
    method_table(
        "valuation.scorecard",
        [
            (c.name.get(lang), drivers(c), f"{c.weight:.0%}", f"{item.rating:.0%}", item.contribution)
            for c, item in zip(methods.scorecard, result.scorecard_items, strict=True)
        ],
        ("weight", "ratio"),
        "%,.0f",
    )
st.caption(text("valuation.how", lang))

draw_sidebar(lang, current)
