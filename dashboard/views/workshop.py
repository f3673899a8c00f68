"""Workshop, facilitator console: create a room, run its rounds, watch the group live, export, delete.

The console's key (the facilitator token) never shows on screen or in the address bar. It lives
in this browser session and in a cookie of this browser (``workshop_console``, 30 days, written
by a tiny script), so a reload, a second tab or a restart of the browser brings the console back:
``st.context.cookies`` hands the cookie to the next session. Another device gets the console from
the console link (shown only on request, with a copy button); opening it stores the key there
too and clears the address bar. What goes on the projector is ``/projector?room=CODE``, which
holds no key. A lost key is recovered on the server: ``python -m workshop.recover CODE``
issues a new one and prints the console link (the old key stops working).

A console link or a kept cookie that does not open a room — no such room, a wrong key, or a
browser past its limit of wrong tries — gets one message, the same words for all three, and is
counted against this browser and its address (as on ``/join``); a right link is never refused.
New rooms are throttled per browser and per address. The facilitator can remove a participant
(behind a confirmation): their answers go with them, and their phone is told so. Every message is
in the console's language (:func:`dashboard.views.projector.store_message`); a database setting or
schema to fix also shows the server's own line, for whoever runs it.
"""

import re
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard.compute import simulate_scenario
from dashboard.state import preset_scenario
from dashboard.ui import PLOTLY_CONFIG, current_lang
from dashboard.views.projector import (
    app_root,
    join_root,
    plain,
    round_status,
    set_cookie,
    show_group,
    show_join,
    store_message,
    this_client,
)
from presentation import charts
from presentation.i18n import text
from reports import build_report
from scoring import load_catalogue
from scoring.presets import preset_info
from workshop.export import FIXED_COLUMNS, answers_csv
from workshop.store import Forbidden, RoomNotFound, WorkshopError, normalise_code, open_store

REFRESH_SECONDS = 3
COOKIE = "workshop_console"
COOKIE_DAYS = 30
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")  # what secrets.token_urlsafe hands out
lang = current_lang()
catalogue = load_catalogue()
state = st.session_state

try:
    store = open_store()
except WorkshopError as error:
    st.error(store_message(error, lang, detail=True), icon=":material/database:")
    st.stop()


def saved_console() -> tuple[str, str] | None:
    """(room code, key) as this browser keeps them in its cookie, read when the session began."""
    value = st.context.cookies.get(COOKIE)
    if not isinstance(value, str):  # no cookie (or no browser behind this session)
        return None
    code, _, key = value.partition(".")
    code = normalise_code(code)
    return (code, key) if code and _TOKEN.fullmatch(key) else None


def keep_in_browser(code: str, key: str) -> None:
    """Keep the console (a room code and a key the store has just accepted) in this browser's cookie."""
    if normalise_code(code) == code and _TOKEN.fullmatch(key):
        set_cookie(COOKIE, f"{code}.{key}", COOKIE_DAYS)


def forget_in_browser() -> None:
    set_cookie(COOKIE, "", 0)


def open_console(code: str, key: str) -> bool:
    """Take a room's console into this session if ``key`` opens it; False (and one message for every
    reason, on screen) if not. A failure is counted against this browser and its address."""
    try:
        room = store.check_facilitator(code, key, this_client())
    except (RoomNotFound, Forbidden):  # no such room, a wrong key, too many tries: the same words
        st.error(text("workshop.wrong_key", lang))
        return False
    except WorkshopError as error:
        st.error(store_message(error, lang, detail=True), icon=":material/database:")
        return False
    state["workshop"] = {"code": room.code, "token": key}
    return True


def leave_console() -> None:
    """Drop the room from this session, and from this browser's cookie (the create form's runs
    delete it); the cookie this session began with no longer reopens it."""
    saved = saved_console()
    state["workshop_forgotten"] = state.pop("workshop", {}).get("code") or (saved and saved[0])


# The console link of another device: take the key into this browser and clear the address bar.
if "room" in st.query_params and "key" in st.query_params:
    link_code, link_key = st.query_params["room"], st.query_params["key"]
    st.query_params.clear()
    open_console(link_code, link_key)
elif "workshop" not in state:  # a reload, a second tab: the key this browser keeps
    saved = saved_console()
    if saved is not None and saved[0] != state.get("workshop_forgotten") and not open_console(*saved):
        state["workshop_forgotten"] = saved[0]  # the room is gone: the create form deletes the cookie


def show_help() -> None:
    with st.expander(text("workshop.help_title", lang), icon=":material/help:"):
        st.markdown(text("workshop.help_body", lang))


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
        room_name = st.text_input(
            text("workshop.room_name", lang),
            max_chars=120,
            help=text("workshop.room_name_help", lang),
            key="workshop_room_name",
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
    show_help()
    if submitted:
        if not factors:
            st.error(text("workshop.no_factors", lang))
            return
        if source == "current":
            scenario = state["last_valid"]
        else:
            preset_id = source.removeprefix("preset:")
            scenario = preset_scenario(preset_id).model_copy(update={"name": preset_info()[preset_id].name.get(lang)})
        typed = " ".join(room_name.split())[:120]
        if typed:
            scenario = scenario.model_copy(update={"name": typed})
        try:
            code, token = store.create_room(scenario, factors, this_client())
        except WorkshopError as error:  # Throttled: too many new rooms from this browser or address
            st.error(store_message(error, lang, detail=True))
            return
        state["workshop"] = {"code": code, "token": token}
        st.rerun()


if "workshop" not in state:
    if state.get("workshop_forgotten"):
        forget_in_browser()
    create_room_form()
    st.stop()

code, token = state["workshop"]["code"], state["workshop"]["token"]
try:
    room = store.check_facilitator(code, token)
except (RoomNotFound, Forbidden):
    st.info(text("workshop.room_gone", lang), icon=":material/meeting_room:")
    leave_console()
    forget_in_browser()
    create_room_form()
    st.stop()
except WorkshopError as error:
    st.error(store_message(error, lang, detail=True), icon=":material/database:")
    st.stop()
keep_in_browser(code, token)  # every run: a reload or a second tab of this browser finds the console

root = app_root("workshop")
projector_link = f"{root or '.'}/projector?room={room.code}&lang={lang}"
# for another device, so at an address it can reach (as the join link: WORKSHOP_PUBLIC_URL, or not loopback)
console_link = f"{join_root('workshop')[0]}/workshop?room={room.code}&key={quote(token)}"

st.title(text("workshop.room_title", lang, name=plain(room.scenario.name)))
st.caption(text("workshop.console_note", lang))
st.link_button(
    text("workshop.projector_open", lang),
    projector_link,
    icon=":material/cast:",
    help=text("workshop.projector_help", lang),
    key="workshop_projector",
)
show_join(room, "workshop", lang)


def act(action) -> None:
    try:
        action(code, token)
    except WorkshopError as error:
        state["workshop_error"] = store_message(error, lang)


st.header(round_status(room, lang))
# In the order a session runs: close the round, reveal its result, open the next one; the step that
# comes next is the primary button. A row of their own, so no label is cut at 1280 px; CSV and
# Delete sit on the row below.
next_step = "close" if room.round_open else ("next" if room.revealed else "reveal")
close_col, reveal_col, next_col = st.columns(3)
close_col.button(
    text("workshop.close_round", lang),
    on_click=act,
    args=(store.close_round,),
    disabled=not room.round_open,
    icon=":material/lock:",
    type="primary" if next_step == "close" else "secondary",
    key="workshop_close_round",
    width="stretch",
)
reveal_col.button(
    text("workshop.reveal", lang),
    on_click=act,
    args=(store.reveal,),
    disabled=room.round_open or room.revealed,
    icon=":material/visibility:",
    help=text("workshop.reveal_help", lang),
    type="primary" if next_step == "reveal" else "secondary",
    key="workshop_reveal",
    width="stretch",
)
next_col.button(
    text("workshop.next_round", lang, n=room.round + 1),
    on_click=act,
    args=(store.next_round,),
    disabled=room.round_open,
    icon=":material/replay:",
    help=text("workshop.next_round_help", lang),
    type="primary" if next_step == "next" else "secondary",
    key="workshop_next_round",
    width="stretch",
)


def spreadsheet() -> str:
    """The answers as the spreadsheet CSV in this page's language (checked against the key first)."""
    now = store.check_facilitator(code, token)
    labels = {column: text(f"workshop.csv_{column}", lang) for column in FIXED_COLUMNS}
    return answers_csv(now, store.answers(code), lang, labels)


csv_col, _, delete_col = st.columns(3)
csv_col.download_button(
    text("workshop.export_csv", lang),
    data=spreadsheet,
    file_name=f"workshop-{room.code}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    help=text("workshop.export_help", lang),
    key="workshop_export",
    width="stretch",
)
with delete_col.popover(text("workshop.delete", lang), icon=":material/delete_forever:", width="stretch"):
    st.warning(text("workshop.delete_help", lang), icon=":material/warning:")
    if st.button(text("workshop.delete_confirm", lang), type="primary", key="workshop_delete"):
        act(store.delete_room)
        leave_console()
        st.rerun()
if "workshop_error" in state:
    st.error(state.pop("workshop_error"))


@st.fragment(run_every=REFRESH_SECONDS)
def live_view() -> None:
    """The group right now; redrawn every few seconds without rerunning the page."""
    try:
        now = store.check_facilitator(code, token)
        joined = store.participant_count(code)
        everyone = store.answers(code)  # one read; the rounds are picked out in show_group
    except (RoomNotFound, Forbidden):
        st.rerun(scope="app")  # deleted, or its key replaced, from elsewhere: the page says so
    except WorkshopError as error:
        st.error(store_message(error, lang), icon=":material/database:")
        return
    if (now.round, now.round_open, now.revealed) != (room.round, room.round_open, room.revealed):
        st.rerun(scope="app")  # another device moved the round on: redraw the buttons too
    view, _, current = show_group(now, everyone, joined, lang, catalogue, "workshop")
    if not view.answers:
        return
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
        alt=text("workshop.runway_title", lang),
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


def remove(participant_id: int, name: str) -> None:
    try:
        store.remove_participant(code, token, participant_id)
        state["workshop_people_note"] = ("success", text("workshop.removed", lang, name=plain(name)))
    except WorkshopError as error:
        state["workshop_people_note"] = ("error", store_message(error, lang))
    state.pop("workshop_removing", None)


@st.fragment(run_every=REFRESH_SECONDS)
def participants_panel() -> None:
    """Everyone who joined, whether they answered this round, and a Remove button each (with a
    confirmation); drawn only while the toggle is on (a room may hold hundreds)."""
    if not st.toggle(text("workshop.people_show", lang), key="workshop_people"):
        return
    if "workshop_people_note" in state:
        kind, note = state.pop("workshop_people_note")
        getattr(st, kind)(note)
    try:
        people = store.participants(code, token)
    except (RoomNotFound, Forbidden):
        st.rerun(scope="app")
    except WorkshopError as error:
        st.error(store_message(error, lang), icon=":material/database:")
        return
    if not people:
        st.caption(text("workshop.people_none", lang))
    removing = state.get("workshop_removing")
    for person in people:
        name_col, answered_col, action_col = st.columns([3, 2, 2], vertical_alignment="center")
        name_col.text(person.name)  # as typed: text, never markup
        answered_col.text(text("workshop.answered_yes" if person.answered else "workshop.answered_no", lang))
        key = person.participant_id
        if removing != key:
            action_col.button(
                text("workshop.remove", lang),
                key=f"workshop_remove:{key}",
                icon=":material/person_remove:",
                on_click=state.__setitem__,
                args=("workshop_removing", key),
            )
            continue
        st.warning(text("workshop.remove_question", lang, name=plain(person.name)), icon=":material/warning:")
        yes_col, no_col = st.columns(2)
        yes_col.button(
            text("workshop.remove_yes", lang),
            type="primary",
            key=f"workshop_remove_yes:{key}",
            on_click=remove,
            args=(key, person.name),
        )
        no_col.button(
            text("workshop.remove_no", lang),
            key=f"workshop_remove_no:{key}",
            on_click=state.pop,
            args=("workshop_removing", None),
        )


participants_panel()

st.divider()
if st.toggle(text("workshop.console_link_show", lang), key="workshop_show_console_link"):
    st.warning(text("workshop.console_link_help", lang), icon=":material/key:")
    st.code(console_link, language=None, wrap_lines=True)
if st.button(
    text("workshop.leave", lang), icon=":material/logout:", help=text("workshop.leave_help", lang), key="workshop_leave"
):
    leave_console()
    st.rerun()
show_help()
