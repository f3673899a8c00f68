"""Presentation mode: one chart per screen in large type, no sidebar; arrow keys move between
slides and Esc goes back to Explore. For a projector at the back of a room."""

import streamlit as st

from dashboard.compute import risk_band_grid, scenario_summary
from dashboard.sidebar import scenario_from_controls
from dashboard.ui import PLOTLY_CONFIG, current_lang, hide_sidebar, mitigation_list
from presentation import charts
from presentation.formatting import KPI_LABELS, band_counts, compact, kpi_value, plain, valuation_warnings
from presentation.i18n import text
from scoring import load_catalogue
from scoring.valuation import load_methods

# Static CSS only (never user text): large type, the slide fills the screen.
PROJECTOR_STYLE = """
<style>
.block-container { max-width: 100% !important; padding: 1.2rem 3rem 1rem !important; }
h1 { font-size: 3rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.6rem; line-height: 1.45; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 3.4rem !important; line-height: 1.2; }
[data-testid="stMetricLabel"] p { font-size: 1.5rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
.st-key-present_band_counts [data-testid="stCaptionContainer"] p {
  font-size: 1.5rem !important; line-height: 1.35; word-break: keep-all !important;
}
/* a range is the longest figure: smaller on a narrow screen; any figure wraps rather than ends in "…" */
.st-key-present_range [data-testid="stMetricValue"] p { font-size: clamp(1.8rem, 3.3vw, 3.4rem) !important; }
[data-testid="stMetricValue"] .stMarkdownEllipsis, [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow: visible !important;
}
@media (max-width: 640px) {  /* the same slides on a phone: less margin, type that still fits */
  .block-container { padding: 0.8rem 1rem !important; }
  h1 { font-size: 2rem !important; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 2.2rem !important; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
  .st-key-present_band_counts [data-testid="stCaptionContainer"] p { font-size: 1.1rem !important; }
}
</style>
"""
SLIDES = ("summary", "runway", "heatmap", "risks", "radar", "valuation")

hide_sidebar()
st.html(PROJECTOR_STYLE)
lang = current_lang()
catalogue = load_catalogue()
scenario = scenario_from_controls().scenario
summary = scenario_summary(scenario)
evaluation, simulation = summary.evaluation, summary.simulation
runway = evaluation.runway
state = st.session_state
slide = min(max(int(state.get("slide", 0)), 0), len(SLIDES) - 1)


def go_to(index: int) -> None:
    st.session_state["slide"] = min(max(index, 0), len(SLIDES) - 1)


def show(figure, key: str) -> None:
    st.plotly_chart(charts.for_projector(figure), config=PLOTLY_CONFIG, key=key, width="stretch")


kind = SLIDES[slide]
if kind == "summary":
    st.title(plain(scenario.name))
    values = summary.kpis()
    shown = ("overall_risk", "opportunity", "runway_months", "p10_months")
    shown += ("cash_out_month", "prob_default_alive", "break_even_month")
    cells = [*st.columns(4), *st.columns(4)]
    for column, kpi in zip(cells, shown, strict=False):
        column.metric(text(KPI_LABELS[kpi], lang), kpi_value(kpi, values[kpi], scenario, lang))
        if kpi == "overall_risk":
            column.container(key="present_band_counts").caption(band_counts(evaluation.risk, lang))
    valuation = summary.valuation
    label = f"{text('valuation.range', lang)} ({scenario.currency})"
    cells[7].container(key="present_range").metric(label, f"{compact(valuation.low)} – {compact(valuation.high)}")
elif kind == "runway":
    show(
        charts.runway_figure(
            runway, scenario.finance.cash, scenario.currency, lang, scenario.settings.start_month, simulation
        ),
        "present_runway",
    )
elif kind == "heatmap":
    show(charts.risk_heatmap(evaluation.risk, risk_band_grid(), catalogue, lang), "present_heatmap")
elif kind == "risks":
    st.title(text("present.top_risks", lang))
    bands = {band.id: band.name.get(lang) for band in catalogue.bands}
    for rank, item in enumerate(evaluation.risk.top(3), start=1):
        name = catalogue.risks[item.id].name.get(lang)
        st.markdown(f"**{rank}. {catalogue.risk_code(item.id)} {name}** — {bands[item.band]} {item.score:.1f}")
        st.markdown(mitigation_list(item.mitigations[:2], catalogue, lang))
elif kind == "radar":
    show(charts.opportunity_radar(evaluation.opportunity, None, catalogue, lang), "present_radar")
else:
    for warning in valuation_warnings(summary.valuation, scenario.currency, lang):  # before the chart: seen first
        st.warning(warning, icon=":material/warning:")
    names = [category.name.get(lang) for category in load_methods().risk_factor_summation]
    show(charts.valuation_waterfall(summary.valuation, names, scenario.currency, lang), "present_valuation")
    st.caption(text("valuation.heuristic", lang))

back, position, forward, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
back.button(
    text("present.previous", lang),
    on_click=go_to,
    args=(slide - 1,),
    disabled=slide == 0,
    shortcut="Left",
    icon=":material/arrow_back:",
    key="present_back",
)
position.caption(text("present.position", lang, n=slide + 1, total=len(SLIDES)))
forward.button(
    text("present.next", lang),
    on_click=go_to,
    args=(slide + 1,),
    disabled=slide == len(SLIDES) - 1,
    shortcut="Right",
    icon=":material/arrow_forward:",
    key="present_next",
)
if leave.button(text("present.leave", lang), shortcut="Esc", icon=":material/close:", key="present_leave"):
    st.switch_page("views/explore.py")
