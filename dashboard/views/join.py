"""Workshop, participant side (built for a phone): a display name, the room's sliders, submit.

``/join?room=CODE``. The participant's token is kept in this browser session and in the
address bar (``me=…``), so a phone that reloads the page is still the same participant; it is
the only key to their answer. From round 2 each slider shows the group's median beside it.

Everything a phone says is in its own language (the store's errors are mapped to messages here),
the room's name is shown as the facilitator typed it (as text, never as formatting), and a phone
whose room has been deleted is told that the room has ended instead of waiting on.
"""

import secrets

import streamlit as st

from dashboard.ui import current_lang, hide_sidebar, language_picker
from dashboard.views.projector import plain
from presentation.i18n import text
from scoring import load_catalogue
from workshop.aggregate import factor_medians
from workshop.store import (
    MAX_NAME_CHARS,
    MAX_PARTICIPANTS,
    Forbidden,
    RoomNotFound,
    TooManyAttempts,
    WorkshopError,
    clean_name,
    normalise_code,
    open_store,
)

CHECK_SECONDS = 5
PER_SESSION, PER_ADDRESS = 10, 100  # wrong room codes allowed per browser session / per address

hide_sidebar()
state = st.session_state
lang = current_lang()
catalogue = load_catalogue()
language_picker(st, key="join_language")  # the sidebar, and its switch, are hidden here

try:
    store = open_store()
except WorkshopError:
    st.error(text("join.unavailable", lang), icon=":material/database:")
    st.stop()


def clients() -> list[tuple[str, int]]:
    session = state.setdefault("join_session", secrets.token_hex(8))
    found = [(f"session:{session}", PER_SESSION)]
    if st.context.ip_address:
        found.append((f"address:{st.context.ip_address}", PER_ADDRESS))
    return found


code = normalise_code(st.query_params.get("room", ""))
if not code:
    st.title(text("join.title", lang))
    typed = st.text_input(text("join.code", lang), max_chars=16, placeholder="ABCD 2345", key="join_code")
    if st.button(text("join.open", lang), type="primary", key="join_open") and typed:
        st.query_params["room"] = normalise_code(typed)
        st.rerun()
    st.stop()


def ended() -> None:
    """The room this phone was in is gone: say so, and stop (nothing more to wait for)."""
    st.info(text("join.ended", lang), icon=":material/event_busy:")
    st.stop()


try:
    room = store.enter(code, clients())
except RoomNotFound:
    if code in state.get("join_tokens", {}) or st.query_params.get("me"):
        ended()  # this phone had joined it: the facilitator deleted the room
    st.error(text("join.no_room", lang))
    st.query_params.pop("room", None)
    st.stop()
except TooManyAttempts:
    st.error(text("join.too_many", lang))
    st.query_params.pop("room", None)
    st.stop()
except WorkshopError:
    st.error(text("join.unavailable", lang), icon=":material/database:")
    st.stop()

tokens = state.setdefault("join_tokens", {})
token = tokens.get(code) or st.query_params.get("me", "")
me = None
if token:
    try:
        me = store.participant(code, token)
        tokens[code] = token
        if st.query_params.get("me") != token:
            st.query_params["me"] = token
    except Forbidden:
        token = ""
    except RoomNotFound:
        ended()
    except WorkshopError:
        st.error(text("join.unavailable", lang), icon=":material/database:")
        st.stop()
st.title(plain(room.scenario.name))  # the facilitator's text: shown as typed, never as formatting

if me is None:
    st.caption(text("join.welcome", lang, n=len(room.factor_ids)))
    with st.form("join"):
        name = st.text_input(text("join.name", lang), max_chars=MAX_NAME_CHARS, key="join_name")
        joined = st.form_submit_button(text("join.join", lang), type="primary", width="stretch", key="join_join")
    if joined:
        if not clean_name(name):
            st.error(text("join.name_empty", lang))
            st.stop()
        try:
            if store.participant_count(code) >= MAX_PARTICIPANTS:
                st.error(text("join.full", lang))
                st.stop()
            tokens[code] = store.join(code, name, clients())
        except RoomNotFound:
            ended()
        except TooManyAttempts:
            st.error(text("join.too_many", lang))
            st.stop()
        except WorkshopError:
            st.error(text("join.unavailable", lang), icon=":material/database:")
            st.stop()
        st.query_params["me"] = tokens[code]
        st.rerun()
    st.stop()

participant_id, display_name = me
st.text(text("join.you_are", lang, name=display_name))  # a name is text, never markup


@st.fragment(run_every=CHECK_SECONDS)
def watch_round(seen: tuple[int, bool, bool]) -> None:
    """Rerun the page when the facilitator closes the round, opens the next one or deletes the room."""
    try:
        now = store.room(code)
    except RoomNotFound:
        st.rerun(scope="app")  # the page then says that the room has ended
    except WorkshopError:
        return
    if (now.round, now.round_open, now.revealed) != seen:
        st.rerun(scope="app")


watch_round((room.round, room.round_open, room.revealed))
try:
    everyone = store.answers(code)  # one read; the rounds are picked out below
except RoomNotFound:
    ended()
except WorkshopError:
    st.error(text("join.unavailable", lang), icon=":material/database:")
    st.stop()
mine = {a.round: a.factors for a in everyone if a.participant_id == participant_id}
previous = [a for a in everyone if a.round == room.round - 1]
shown = [a for a in everyone if a.round == room.round] if room.revealed else []
medians = factor_medians([a.factors for a in previous], room.factor_ids)
if not room.round_open:
    st.info(text("join.closed", lang, n=room.round), icon=":material/lock:")
    if room.revealed:  # the facilitator shows this round's result before the next one
        st.subheader(text("join.revealed", lang, n=room.round))
        revealed = factor_medians([a.factors for a in shown], room.factor_ids)
        for factor_id in room.factor_ids:
            group = revealed.get(factor_id)
            own = mine.get(room.round, {}).get(factor_id)
            st.text(
                text(
                    "join.revealed_line",
                    lang,
                    factor=catalogue.factors[factor_id].name.get(lang),
                    median="—" if group is None else f"{group:g}",
                    own="—" if own is None else f"{own:g}",
                )
            )
    st.stop()

st.subheader(text("join.round", lang, n=room.round))
if medians:
    st.caption(text("join.medians_note", lang))
start = mine.get(room.round) or mine.get(room.round - 1) or {f: room.scenario.factors[f] for f in room.factor_ids}
with st.form(f"answer:{room.round}"):
    values = {}
    for factor_id in room.factor_ids:
        factor = catalogue.factors[factor_id]
        values[factor_id] = st.slider(
            factor.name.get(lang),
            min_value=0.0,
            max_value=10.0,
            step=0.5,
            format="%.1f",
            value=float(start[factor_id]),
            key=f"answer:{room.round}:{factor_id}",
            help=text("help.factor", lang, low=factor.low.get(lang), high=factor.high.get(lang)),
        )
        if factor_id in medians:
            own = mine.get(room.round - 1, {}).get(factor_id)
            shown = "—" if own is None else f"{own:g}"
            st.caption(text("join.median", lang, median=f"{medians[factor_id]:g}", own=shown))
    sent = st.form_submit_button(text("join.submit", lang), type="primary", width="stretch", key="join_submit")
if sent:
    try:
        store.submit(code, tokens[code], values)
        st.success(text("join.saved", lang), icon=":material/check_circle:")
    except RoomNotFound:
        ended()
    except Forbidden:
        st.error(text("join.not_joined", lang))
    except WorkshopError:
        try:
            closed = not store.room(code).round_open
        except WorkshopError:
            closed = False
        st.error(text("join.submit_closed" if closed else "join.not_saved", lang))
elif room.round in mine:
    st.caption(text("join.already", lang))
