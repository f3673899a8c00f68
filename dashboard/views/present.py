"""Presentation mode: one chart per screen in large type, no sidebar; arrow keys move between
slides and Esc goes back to Explore. For a projector at the back of a room.

Every slide fits the screen it is shown on (1280 × 720 up to 1920 × 1080) with nothing cut and
no scrolling: Streamlit cannot read the viewport, so the sizes are CSS. The slide is a stage of
fixed height (the viewport less the navigation bar under it), a chart stretches to the stage's
free height and Plotly redraws at that size, and type is sized by the viewport (``vh``/``vw``,
clamped) so that values shrink, or wrap, before they would be cut. With variants on Compare,
the slides show Compare's base and three comparison slides follow. The whole deck downloads as
a 16:9 PDF (:func:`reports.build_deck`), one slide per page.
"""

import streamlit as st

from dashboard.compute import risk_band_grid, scenario_summary
from dashboard.share import deck_button
from dashboard.sidebar import scenario_from_controls
from dashboard.state import compare_scenarios
from dashboard.ui import PLOTLY_CONFIG, current_lang, hide_sidebar
from presentation import charts
from presentation.formatting import (
    KPI_LABELS,
    band_counts,
    compact,
    kpi_table_html,
    kpi_value,
    plain,
    valuation_warnings,
)
from presentation.i18n import text
from reports.deck import COMPARE_SLIDES, SLIDES
from scoring import load_catalogue
from scoring.valuation import load_methods

# Static CSS only (never user text). The stage is the viewport less the navigation bar (3.4rem), the
# page's padding and the gap between them (2.8rem); type follows the viewport's height (a 720-px
# projector gets 2/3 of a 1080-px one's), clamped.
PROJECTOR_STYLE = """
<style>
.block-container { max-width: 100% !important; padding: 0.9rem 2.5rem 0 !important; }
.st-key-present_stage { height: calc(100vh - 6.2rem) !important; flex: 0 0 auto !important; gap: 0.6rem; }
/* a chart takes the height its slide leaves free (under a warning, over a caption) */
.st-key-present_stage > .stElementContainer:has(.stPlotlyChart) {
  flex: 1 1 0 !important; min-height: 0 !important; height: auto !important;
}
.st-key-present_nav { height: 3.4rem !important; align-items: center; }
.st-key-present_nav button p { font-size: clamp(1rem, 2.5vh, 1.6rem) !important; }
.st-key-present_nav [data-testid="stCaptionContainer"] p { font-size: clamp(0.8rem, 1.9vh, 1.15rem); }
.st-key-present_stage h1 { font-size: clamp(1.8rem, 6vh, 3.6rem) !important; padding: 0 0 0.3rem !important; }
.st-key-present_stage [data-testid="stMarkdownContainer"] p,
.st-key-present_stage [data-testid="stMarkdownContainer"] li { font-size: clamp(1rem, 2.9vh, 2rem); line-height: 1.32; }
.st-key-present_stage [data-testid="stCaptionContainer"] p { font-size: clamp(0.9rem, 2.2vh, 1.5rem); }
/* the key figures: spread over the stage's height, as large as four to a row allow */
.st-key-present_kpis { gap: 8vh !important; padding-top: 3vh; }
[data-testid="stMetricLabel"] p { font-size: clamp(1rem, 3.4vh, 2.2rem) !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {
  font-size: clamp(1.6rem, min(5.1vw, 9.6vh), 6.4rem) !important; line-height: 1.15;
}
/* a range is the longest figure: smaller; any figure or label wraps rather than ends in "…" */
.st-key-present_range [data-testid="stMetricValue"] p {
  font-size: clamp(1.3rem, min(3.4vw, 6.6vh), 4.4rem) !important;
}
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
.st-key-present_band_counts [data-testid="stCaptionContainer"] p {
  font-size: clamp(1rem, 3vh, 2rem) !important; line-height: 1.3; word-break: keep-all !important;
}
/* the three risks: a heading each, its two actions side by side */
.st-key-present_stage h3 {
  font-size: clamp(1.1rem, 4.2vh, 2.8rem) !important; line-height: 1.2 !important; padding: 1.2vh 0 0.9vh !important;
}
.st-key-present_stage .stHorizontalBlock [data-testid="stMarkdownContainer"] p {
  font-size: clamp(0.95rem, 3.4vh, 2.3rem); line-height: 1.28;
}
/* the comparison's key figures: our table, every cell on as few lines as the width allows */
.present-table { width: 100%; border-collapse: collapse; font-size: clamp(0.95rem, 2.7vh, 1.9rem); }
.present-table th, .present-table td { text-align: left; padding: 0.12em 0.6em; border-bottom: 1px solid #D9DDE5;
  word-break: keep-all; vertical-align: top; }
.present-table td, .present-table tr:first-child th { text-align: right; }
.present-table .delta { font-size: 0.75em; margin-left: 0.3em; white-space: nowrap; }
.present-table .better { color: #1B7F3B; } .present-table .worse { color: #B3261E; }
@media (max-width: 640px) {  /* the same slides on a phone: they scroll, in type sized for a hand */
  .block-container { padding: 0.8rem 1rem 0 !important; }
  .st-key-present_nav { flex-wrap: wrap !important; height: auto !important; padding-bottom: 1rem; }
  .st-key-present_stage { height: auto !important; }
  .st-key-present_stage > .stElementContainer:has(.stPlotlyChart) { flex: none !important; height: 70vh !important; }
  .st-key-present_stage h1 { font-size: 2rem !important; }
  .st-key-present_stage h3 { font-size: 1.3rem !important; }
  .st-key-present_stage [data-testid="stMarkdownContainer"] p,
  .st-key-present_stage .stHorizontalBlock [data-testid="stMarkdownContainer"] p { font-size: 1.1rem; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 2.2rem !important; }
  [data-testid="stMetricLabel"] p, .st-key-present_band_counts [data-testid="stCaptionContainer"] p {
    font-size: 1.1rem !important;
  }
  .st-key-present_kpis { gap: 1rem !important; padding-top: 0; }
}
</style>
"""

hide_sidebar()
st.html(PROJECTOR_STYLE)
lang = current_lang()
catalogue = load_catalogue()
scenarios = compare_scenarios(scenario_from_controls().scenario, lang)
scenario = scenarios[0]  # the Explore scenario, or Compare's base when there are variants
summaries = [scenario_summary(s) for s in scenarios]
summary = summaries[0]
evaluation, simulation = summary.evaluation, summary.simulation
runway = evaluation.runway
slides = SLIDES + (COMPARE_SLIDES if len(scenarios) > 1 else ())
state = st.session_state
slide = min(max(int(state.get("slide", 0)), 0), len(slides) - 1)


def go_to(index: int) -> None:
    st.session_state["slide"] = min(max(index, 0), len(slides) - 1)


def show(figure, key: str) -> None:
    """A chart that fills the stage's free height: Plotly sizes the figure to its box."""
    figure = charts.for_projector(figure)
    figure.update_layout(height=None, autosize=True)
    alt = figure.layout.title.text  # the chart's own title is its text alternative for a screen reader
    config = {**PLOTLY_CONFIG, "responsive": True}
    st.plotly_chart(figure, config=config, key=key, width="stretch", height="stretch", alt=alt)


def risks_slide() -> None:
    st.title(text("present.top_risks", lang))
    bands = {band.id: band.name.get(lang) for band in catalogue.bands}
    for rank, item in enumerate(evaluation.risk.top(3), start=1):
        name = catalogue.risks[item.id].name.get(lang)
        st.markdown(f"### {rank}. {catalogue.risk_code(item.id)} {name} — {bands[item.band]} {item.score:.1f}")
        for column, mitigation_id in zip(st.columns(2, gap="large"), item.mitigations[:2], strict=False):
            mitigation = catalogue.mitigations[mitigation_id]
            column.markdown(f"**{mitigation.title.get(lang)}** — {mitigation.text.get(lang)}")


kind = slides[slide]
names = [s.name for s in scenarios]  # the figure builders escape them
with st.container(key="present_stage"):
    if kind == "summary":
        st.title(plain(scenario.name))
        values = summary.kpis()
        shown = ("overall_risk", "opportunity", "runway_months", "p10_months")
        shown += ("cash_out_month", "prob_default_alive", "break_even_month")
        with st.container(key="present_kpis"):
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
        risks_slide()
    elif kind == "radar":
        show(charts.opportunity_radar(evaluation.opportunity, None, catalogue, lang), "present_radar")
    elif kind == "valuation":
        for warning in valuation_warnings(summary.valuation, scenario.currency, lang):  # before the chart
            st.warning(warning, icon=":material/warning:")
        methods = [category.name.get(lang) for category in load_methods().risk_factor_summation]
        show(charts.valuation_waterfall(summary.valuation, methods, scenario.currency, lang), "present_valuation")
        st.caption(text("valuation.heuristic", lang))
    elif kind == "compare_kpis":
        st.title(text("compare.kpis", lang))
        st.html(kpi_table_html(summaries, lang, table_class="present-table"))
        st.caption(text("report.deltas_against", lang, base=plain(scenario.name)))
    elif kind == "compare_runway":
        runs = [(name, s.scenario.finance.cash, s.evaluation.runway) for name, s in zip(names, summaries, strict=True)]
        show(charts.runway_overlay(runs, scenario.currency, lang, scenario.settings.start_month), "present_cmp_runway")
    else:
        pairs = [(name, s.evaluation.opportunity) for name, s in zip(names, summaries, strict=True)]
        show(charts.radar_overlay(pairs, catalogue, lang), "present_cmp_radar")

with st.container(key="present_nav", horizontal=True, gap="medium"):
    st.button(
        text("present.previous", lang),
        on_click=go_to,
        args=(slide - 1,),
        disabled=slide == 0,
        shortcut="Left",
        icon=":material/arrow_back:",
        key="present_back",
    )
    st.caption(text("present.position", lang, n=slide + 1, total=len(slides)))
    st.button(
        text("present.next", lang),
        on_click=go_to,
        args=(slide + 1,),
        disabled=slide == len(slides) - 1,
        shortcut="Right",
        icon=":material/arrow_forward:",
        key="present_next",
    )
    st.space("stretch")
    deck_button(lang, scenarios, summaries, key="present_deck")
    if st.button(text("present.leave", lang), shortcut="Esc", icon=":material/close:", key="present_leave"):
        st.switch_page("views/explore.py")
