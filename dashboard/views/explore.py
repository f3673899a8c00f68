"""Explore: sliders in, KPIs, risk heatmap, opportunity radar and runway out."""

import streamlit as st

from dashboard import history
from dashboard.compute import evaluate_scenario, preset_evaluation, risk_band_grid, simulate_scenario
from dashboard.sidebar import draw_sidebar, scenario_from_controls
from dashboard.ui import PLOTLY_CONFIG, current_lang
from presentation import charts
from presentation.formatting import (
    band_counts,
    kpi_value,
    months_long,
    naive_months,
    plain,
    raise_hint,
    risk_detail_html,
    score_bars_html,
    score_delta,
    section_html,
    split_html,
    survival_word,
    top_risks_html,
)
from presentation.i18n import text
from scoring import load_catalogue
from scoring.presets import preset_info

lang = current_lang()
catalogue = load_catalogue()
current = scenario_from_controls()
scenario = current.scenario
report = evaluate_scenario(scenario)

pinned = st.session_state.get("pinned")
baseline_id = st.session_state["baseline_preset"]
if pinned is not None:
    baseline, baseline_name = evaluate_scenario(pinned), text("explore.pinned_name", lang, name=pinned.name)
else:
    baseline, baseline_name = preset_evaluation(baseline_id), preset_info()[baseline_id].name.get(lang)

# --- everything the page shows is worked out before its first element is sent: the browser then gets
# the page in one burst and draws it once, rather than drawing the first half while the script builds
# the charts and drawing again for the rest (benchmarks/README.md, latency) ---------------------------
runway = report.runway
horizon = runway.horizon_months
start = scenario.settings.start_month
simulation = simulate_scenario(scenario)
changes = history.compare(scenario, report, baseline, plain(baseline_name), lang)
if st.session_state.get("risk_pick") not in catalogue.risks:
    st.session_state["risk_pick"] = report.risk.top(1)[0].id  # the list below starts on the top risk
heatmap = charts.risk_heatmap(
    report.risk,
    risk_band_grid(),
    catalogue,
    lang,
    selected=st.session_state["risk_pick"],
    previous=changes.ghosts,
)
radar = charts.opportunity_radar(report.opportunity, baseline.opportunity, catalogue, lang, baseline_name)
runway_spec = charts.runway_chart(  # its data ride in the spec, a named dataset
    runway,
    scenario.finance.cash,
    scenario.currency,
    lang,
    start,
    simulation=None if scenario.finance.is_certain else simulation,
)
notes = [text("sim.heading", lang, paths=f"{simulation.paths:,}")]
if simulation.risk_events:
    without = simulate_scenario(scenario, risk_events=False).runway_months.p50
    notes.append(
        text(
            "sim.with_without",
            lang,
            on=months_long(simulation.runway_months.p50, horizon, lang),
            off=months_long(without, horizon, lang),
        )
    )
tone, hint = raise_hint(simulation, scenario, lang)

st.title(plain(scenario.name))  # user text: shown as typed, never as Markdown
st.caption(text("explore.subtitle", lang, baseline=plain(baseline_name)))
if current.error is not None:
    st.warning(text("explore.kept_last_valid", lang), icon=":material/warning:")
# Undo, Redo, Reset, and what changed against the previous move or the baseline (dashboard.history)
history.draw_changes(changes, report, plain(baseline_name), lang)

# --- KPI row: the plan's runway, the bad case of the simulated futures and the naive estimate -----
# One horizontal container (its CSS, .st-key-kpis, is in dashboard.ui): seven in a row where each
# gets 160 px, else four and three, two a row on a phone; labels and values wrap, never cut.
note = {"delta_color": "off", "delta_arrow": "off"}  # a grey second line, not a change
risk_change, risk_moved = score_delta(report.risk.overall - baseline.risk.overall)
opportunity_change, opportunity_moved = score_delta(report.opportunity.overall - baseline.opportunity.overall)
naive = naive_months(runway.naive_months, lang)
kpis = st.container(key="kpis", horizontal=True)
risk_box = kpis.container(key="kpi_risk")  # the risk and its band counts beneath it, one cell
risk_box.metric(
    text("kpi.overall_risk", lang),
    f"{report.risk.overall:.0f} / 100",
    delta=risk_change,
    help=text("kpi.overall_risk_help", lang),
    **({"delta_color": "inverse"} if risk_moved else note),  # more risk is red; "±0.0" grey, no arrow
)
risk_box.caption(band_counts(report.risk, lang))  # how many risks in each band, highest first
kpis.metric(
    text("kpi.opportunity", lang),
    f"{report.opportunity.overall:.0f} / 100",
    delta=opportunity_change,
    help=text("kpi.opportunity_help", lang),
    **({} if opportunity_moved else note),
)
kpis.metric(
    text("kpi.runway", lang),
    kpi_value("runway_months", runway.months, scenario, lang),
    delta=text("kpi.naive_line", lang, months=naive),
    help=text("kpi.runway_help", lang),
    **note,
)
kpis.metric(
    text("sim.p10", lang),
    kpi_value("p10_months", simulation.runway_months.p10, scenario, lang),
    delta=text("kpi.median_line", lang, months=kpi_value("p50_months", simulation.runway_months.p50, scenario, lang)),
    help=text("sim.p10_help", lang),
    **note,
)
kpis.metric(
    text("kpi.cash_out", lang),
    kpi_value("cash_out_month", runway.cash_out_month, scenario, lang),
    help=text("kpi.cash_out_help", lang),
)
kpis.metric(
    text("kpi.break_even", lang),
    kpi_value("break_even_month", runway.break_even_month, scenario, lang),
    help=text("kpi.break_even_help", lang),
)
kpis.metric(
    text("kpi.default", lang),
    survival_word(runway.default_alive, simulation.prob_default_alive, lang),
    delta=text("kpi.alive_line", lang, share=f"{simulation.prob_default_alive:.0%}"),
    help=text("kpi.default_help", lang) + " " + text("sim.alive_help", lang),
    **note,
)

# --- charts ----------------------------------------------------------------------------
left, right = st.columns([1.15, 1])
with left:
    # Hover shows each marker's name, score and drivers; picking a risk is done in the list below
    # (a click-selectable Plotly chart re-renders in full on every rerun and doubles slider latency).
    st.plotly_chart(
        heatmap,
        key="heatmap",
        config=PLOTLY_CONFIG,
        alt=text("chart.heatmap_title", lang),
    )
with right:
    st.plotly_chart(
        radar,
        key="radar",
        config=PLOTLY_CONFIG,
        alt=text("chart.radar_title", lang),
    )
    pins = st.container(horizontal=True)
    if pins.button(
        text("explore.pin", lang), key="pin", help=text("explore.pin_help", lang), icon=":material/push_pin:"
    ):
        st.session_state["pinned"] = scenario
        st.rerun()
    if pinned is not None and pins.button(text("explore.unpin", lang), key="unpin"):
        del st.session_state["pinned"]
        st.rerun()

# --- the simulated futures: when to raise, then the runway chart ---------------------------
st.caption(" · ".join(notes))
shown = {"none": (st.success, ":material/check_circle:"), "now": (st.warning, ":material/warning:")}
element, icon = shown.get(tone, (st.info, ":material/schedule:"))
element(hint, icon=icon)
st.vega_lite_chart(spec=runway_spec, width="stretch", alt=text("chart.runway_title", lang))

# --- what to do: the biggest risks beside the categories, then any risk in detail ---------------
# Text blocks as HTML (presentation.formatting, escaped there): two elements where Markdown, headers
# and columns made a dozen, each parsed again in the browser on every move (benchmarks/README.md).
by_category = [(catalogue.categories[c].name.get(lang), value) for c, value in report.risk.by_category.items()]
st.html(
    split_html(
        section_html(text("explore.top_risks", lang), top_risks_html(report.risk, lang)),
        section_html(text("chart.category_title", lang), score_bars_html(by_category)),
        kind="wide",
    )
)
st.header(text("explore.risk_detail", lang))
chosen = st.selectbox(
    text("explore.pick_risk", lang),
    list(catalogue.risks),
    format_func=lambda rid: f"{catalogue.risk_code(rid)} · {catalogue.risks[rid].name.get(lang)}",
    key="risk_pick",
    persist_state="session",  # the picked risk is still picked after a visit to another page
)
st.html(risk_detail_html(report.risk.item(chosen), lang))

draw_sidebar(lang, current)
