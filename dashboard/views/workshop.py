"""Workshop, facilitator side: create a room, show its code and QR, watch the group live, run rounds.

The facilitator's secret token lives in this session only; the private facilitator link carries
it once and is then cleared from the address bar, so a projected screen never shows it.
"""

import io
from urllib.parse import quote

import pandas as pd
import segno
import streamlit as st

from dashboard.compute import risk_band_grid, room_view, simulate_scenario
from dashboard.state import preset_scenario
from dashboard.ui import PLOTLY_CONFIG, current_lang
from presentation import charts
from presentation.i18n import text
from reports import build_report
from scoring import load_catalogue
from scoring.presets import preset_info
from workshop.store import Forbidden, RoomNotFound, WorkshopError, normalise_code, open_store

REFRESH_SECONDS = 3
lang = current_lang()
catalogue = load_catalogue()
state = st.session_state

try:
    store = open_store()
except WorkshopError as error:
    st.error(str(error), icon=":material/database:")
    st.stop()

# A private facilitator link: take the key into this session and clear it from the address bar.
if "room" in st.query_params and "key" in st.query_params:
    code, key = st.query_params["room"], st.query_params["key"]
    st.query_params.clear()
    try:
        store.check_facilitator(code, key)
        state["workshop"] = {"code": normalise_code(code), "token": key}
    except WorkshopError as error:
        st.error(str(error))


def app_root() -> str:
    """The app's address without the page path, for links shown to the room."""
    return (st.context.url or "").removesuffix("/workshop").rstrip("/")


def create_room_form() -> None:
    st.title(text("workshop.title", lang))
    st.caption(text("workshop.subtitle", lang))
    sources = {}
    if state.get("last_valid") is not None:
        sources["current"] = text("compare.current", lang, name=state["last_valid"].name)
    sources |= {f"preset:{pid}": info.name.get(lang) for pid, info in preset_info().items()}
    with st.form("create_room"):
        source = st.selectbox(
            text("workshop.company", lang), list(sources), format_func=sources.get, key="workshop_source"
        )
        factors = st.multiselect(
            text("workshop.factors", lang),
            list(catalogue.factors),
            default=list(catalogue.factors),
            format_func=lambda fid: catalogue.factors[fid].name.get(lang),
            help=text("workshop.factors_help", lang),
            key="workshop_factors",
        )
        submitted = st.form_submit_button(
            text("workshop.create", lang), type="primary", icon=":material/groups:", key="workshop_create"
        )
    if submitted:
        if source == "current":
            scenario = state["last_valid"]
        else:
            preset_id = source.removeprefix("preset:")
            scenario = preset_scenario(preset_id).model_copy(update={"name": preset_info()[preset_id].name.get(lang)})
        try:
            code, token = store.create_room(scenario, factors)
        except WorkshopError as error:
            st.error(str(error))
            return
        state["workshop"] = {"code": code, "token": token}
        st.rerun()


if "workshop" not in state:
    create_room_form()
    st.stop()

code, token = state["workshop"]["code"], state["workshop"]["token"]
try:
    room = store.check_facilitator(code, token)
except (RoomNotFound, Forbidden) as error:
    st.error(str(error))
    del state["workshop"]
    st.stop()
except WorkshopError as error:
    st.error(str(error), icon=":material/database:")
    st.stop()

join_link = f"{app_root()}/join?room={room.code}"
private_link = f"{app_root()}/workshop?room={room.code}&key={quote(token)}"

st.title(text("workshop.room_title", lang, name=room.scenario.name))
code_col, qr_col = st.columns([2, 1])
with code_col:
    st.markdown(text("workshop.join_at", lang))
    st.markdown(f"## `{join_link}`")
    st.markdown(text("workshop.code_is", lang, code=" ".join([room.code[:4], room.code[4:]])))
    with st.expander(text("workshop.private_link", lang), icon=":material/key:"):
        st.caption(text("workshop.private_help", lang))
        st.code(private_link, language=None, wrap_lines=True)
with qr_col:
    picture = io.BytesIO()
    segno.make(join_link, error="m").save(picture, kind="png", scale=8, border=2)
    st.image(picture.getvalue(), caption=text("workshop.scan", lang), width=260)


def act(action) -> None:
    try:
        action(code, token)
    except WorkshopError as error:
        st.session_state["workshop_error"] = str(error)


status = text("workshop.round_open" if room.round_open else "workshop.round_closed", lang, n=room.round)
st.subheader(status)
controls = st.columns(5)
controls[0].button(
    text("workshop.close_round", lang),
    on_click=act,
    args=(store.close_round,),
    disabled=not room.round_open,
    icon=":material/lock:",
    key="workshop_close_round",
)
controls[4].button(
    text("workshop.reveal", lang),
    on_click=act,
    args=(store.reveal,),
    disabled=room.revealed,
    icon=":material/visibility:",
    help=text("workshop.reveal_help", lang),
    key="workshop_reveal",
)
controls[1].button(
    text("workshop.next_round", lang, n=room.round + 1),
    on_click=act,
    args=(store.next_round,),
    icon=":material/replay:",
    help=text("workshop.next_round_help", lang),
    key="workshop_next_round",
)
controls[2].download_button(
    text("workshop.export_csv", lang),
    data=lambda: store.export_csv(code, token),
    file_name=f"workshop-{room.code}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/table:",
    key="workshop_export",
)
with controls[3].popover(text("workshop.delete", lang), icon=":material/delete:"):
    st.caption(text("workshop.delete_help", lang))
    if st.button(text("workshop.delete_confirm", lang), type="primary", key="workshop_delete"):
        act(store.delete_room)
        state.pop("workshop", None)
        st.rerun()
if "workshop_error" in state:
    st.error(state.pop("workshop_error"))


@st.fragment(run_every=REFRESH_SECONDS)
def live_view() -> None:
    """The group right now; redrawn every few seconds without rerunning the page."""
    try:
        now = store.check_facilitator(code, token)
        joined = store.participant_count(code)
        everyone = store.answers(code)  # one read; the two rounds are picked out below
    except WorkshopError as error:
        st.error(str(error))
        return
    current = [answer for answer in everyone if answer.round == now.round]
    previous = [answer for answer in everyone if answer.round == now.round - 1]
    view = room_view(now.scenario, now.factor_ids, [answer.factors for answer in current])
    before = room_view(now.scenario, now.factor_ids, [answer.factors for answer in previous]) if previous else None
    figures_row = st.columns(5)
    figures_row[0].metric(text("workshop.joined", lang), joined)
    figures_row[1].metric(text("workshop.answers", lang, n=now.round), view.answers)
    agreement_delta = None
    if before is not None and view.agreement is not None and before.agreement is not None:
        agreement_delta = text("workshop.points", lang, points=f"{round((view.agreement - before.agreement) * 100):+d}")
    figures_row[2].metric(
        text("workshop.agreement", lang),
        "—" if view.agreement is None else f"{view.agreement:.0%}",
        delta=agreement_delta,
        help=text("workshop.agreement_help", lang),
    )
    spread_delta = None if before is None or not view.answers else f"{view.mean_iqr - before.mean_iqr:+.2f}"
    figures_row[3].metric(
        text("workshop.spread", lang),
        f"{view.mean_iqr:.2f}" if view.answers else "—",
        delta=spread_delta,
        delta_color="inverse",
        help=text("workshop.spread_help", lang),
    )
    figures_row[4].metric(
        text("workshop.shared_ranking", lang),
        "—" if view.kendalls_w is None else f"{view.kendalls_w:.2f}",
        help=text("workshop.shared_ranking_help", lang),
    )
    if not view.answers:
        st.info(text("workshop.waiting", lang), icon=":material/hourglass_empty:")
        return
    left, right = st.columns([1.15, 1])
    left.plotly_chart(
        charts.risk_heatmap(
            view.evaluation.risk,
            risk_band_grid(),
            catalogue,
            lang,
            disagreement={risk_id: spread.iqr for risk_id, spread in view.risk_scores.items()},
        ).update_layout(title={"text": text("workshop.heatmap_title", lang)}),
        config=PLOTLY_CONFIG,
        key="workshop_heatmap",
    )
    right.plotly_chart(
        charts.radar_spread(
            {axis: s.median for axis, s in view.axes.items()},
            {axis: s.q1 for axis, s in view.axes.items()},
            {axis: s.q3 for axis, s in view.axes.items()},
            catalogue,
            lang,
        ),
        config=PLOTLY_CONFIG,
        key="workshop_radar",
    )
    st.subheader(text("workshop.discuss", lang))
    rows = []
    for factor_id in view.disagreement[:10]:
        spread = view.factors[factor_id]
        row = {
            text("workshop.factor", lang): catalogue.factors[factor_id].name.get(lang),
            text("workshop.median", lang): spread.median,
            text("workshop.iqr", lang): spread.iqr,
            text("workshop.middle_half", lang): f"{spread.q1:.1f} – {spread.q3:.1f}",
            text("workshop.factor_agreement", lang): (
                None if factor_id not in view.factor_agreement else 100 * view.factor_agreement[factor_id]
            ),
        }
        if before is not None:
            row[text("workshop.iqr_before", lang)] = before.factors[factor_id].iqr
        rows.append(row)
    one_decimal = st.column_config.NumberColumn(format="%.1f")
    columns = ("workshop.median", "workshop.iqr", "workshop.iqr_before")
    percent = st.column_config.NumberColumn(format="%.0f%%", help=text("workshop.factor_agreement_help", lang))
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={text(key, lang): one_decimal for key in columns}
        | {text("workshop.factor_agreement", lang): percent},
    )
    scenario = view.scenario
    simulation = None if scenario.finance.is_certain else simulate_scenario(scenario)
    st.plotly_chart(
        charts.runway_figure(
            view.evaluation.runway,
            scenario.finance.cash,
            scenario.currency,
            lang,
            scenario.settings.start_month,
            simulation,
        ).update_layout(title={"text": text("workshop.runway_title", lang)}),
        config=PLOTLY_CONFIG,
        key="workshop_runway",
    )
    named = scenario.model_copy(update={"name": text("workshop.report_name", lang, name=scenario.name)[:120]})
    st.download_button(
        text("share.report_html", lang),
        data=lambda: build_report([named], lang=lang),
        file_name=f"workshop-{now.code}-round-{now.round}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/description:",
        key="workshop_report",
    )
    with st.expander(text("workshop.who", lang)):
        # display names are text in a table cell, never markup
        st.dataframe(
            pd.DataFrame({text("workshop.participant", lang): [answer.participant for answer in current]}),
            hide_index=True,
        )


live_view()
