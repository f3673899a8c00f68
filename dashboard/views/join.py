"""Workshop, participant side (built for a phone): a display name, the room's sliders, submit.

``/join?room=CODE``. The participant's token is the only key to their answers. It is kept in this
browser session and in a cookie of this browser for this room (``workshop_me_<CODE>``, 7 days,
SameSite=Strict, written by a tiny script; read back by the next session through
``st.context.cookies``) — never in the address bar and never on screen, so a reload keeps the
participant and no one who sees the phone's screen, or a screenshot of it, becomes them. An old
link with ``me=…`` (from before) is ignored and cleared from the address: it may have been seen.

Who is asking, for the store's limits: this browser (a random id in the ``workshop_browser``
cookie, which survives reloads) and its address (``WORKSHOP_TRUSTED_PROXY_HEADER`` behind your own
proxy, else the peer address), found as on the console and the projector
(:func:`dashboard.views.projector.this_client`). A right code is never refused; every wrong one gets
the same words.

Everything a phone says is in its own language (the store's errors are mapped to messages here),
the room's name is shown as the facilitator typed it (as text, never as formatting), and a phone
whose room has been deleted is told that the room has ended instead of waiting on. A phone that
cannot reach the database says so and tries again by itself every few seconds; an answer submitted
meanwhile is kept in the session and sent when the database answers again.
"""

import re
import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from dashboard.ui import current_lang, hide_sidebar, language_picker
from dashboard.views.projector import set_cookie, this_client
from presentation.formatting import plain
from presentation.i18n import text
from scoring import load_catalogue
from workshop.aggregate import factor_medians
from workshop.store import (
    MAX_NAME_CHARS,
    MAX_PARTICIPANTS,
    Forbidden,
    RoomNotFound,
    StoreUnavailable,
    Throttled,
    WorkshopError,
    clean_name,
    normalise_code,
    open_store,
)

CHECK_SECONDS = 5
RETRY_SECONDS = 4  # a phone that cannot reach the database tries again this often
ME_COOKIE, ME_DAYS = "workshop_me_", 7  # + the room code: one participant token per room
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")  # what secrets.token_urlsafe hands out

hide_sidebar()
state = st.session_state
lang = current_lang()
catalogue = load_catalogue()
language_picker(st, key="join_language")  # the sidebar, and its switch, are hidden here


def retrying(error: StoreUnavailable | None = None) -> None:
    """The database cannot be reached: say so, rerun the page every few seconds, and stop. What was
    typed is in this session (a pending answer, the name), so the page carries on where it was.
    A full or read-only database, or a wrong setting, is named as such (never where it is)."""
    kind = getattr(error, "kind", "unreachable")
    key = {"full": "store.full", "read_only": "store.read_only"}.get(kind, "store.misconfigured")
    st.warning(text("join.retrying" if kind in ("busy", "unreachable") else key, lang), icon=":material/sync:")
    state["join_retry_at"] = time.monotonic() + RETRY_SECONDS - 1

    @st.fragment(run_every=RETRY_SECONDS)
    def again() -> None:
        if time.monotonic() >= state.get("join_retry_at", 0):  # not on this run's own first call
            st.rerun(scope="app")

    again()
    st.stop()


def ended() -> None:
    """The room this phone was in is gone: say so, and stop (nothing more to wait for)."""
    st.info(text("join.ended", lang), icon=":material/event_busy:")
    st.stop()


def removed() -> None:
    """This phone's participant is no longer in the room: the facilitator removed them."""
    st.warning(text("join.removed", lang), icon=":material/person_remove:")
    st.stop()


T = TypeVar("T")


def unavailable() -> None:
    st.error(text("join.unavailable", lang), icon=":material/database:")
    st.stop()


def from_store(ask: Callable[[], T]) -> T:
    """What the store answers; a removed participant, a room gone or a database away is said here,
    in the phone's language, and the page stops."""
    try:
        return ask()
    except Forbidden:
        removed()
    except RoomNotFound:
        ended()
    except StoreUnavailable as error:
        retrying(error)
    except WorkshopError:
        unavailable()


store = from_store(open_store)

st.query_params.pop("me", None)  # an old link's token: never used, never left in the address


def ask_for_code(problem: str | None = None) -> None:
    """The code box (after ``problem``, a message, when a code did not open a room), then stop."""
    st.title(text("join.title", lang))
    if problem:
        st.error(problem)
    typed = st.text_input(text("join.code", lang), max_chars=16, placeholder="ABCD 2345", key="join_code")
    if st.button(text("join.open", lang), type="primary", key="join_open") and typed:
        st.query_params["room"] = normalise_code(typed)
        st.rerun()
    st.stop()


code = normalise_code(st.query_params.get("room", ""))
if not code:
    ask_for_code()

tokens = state.setdefault("join_tokens", {})
kept = st.context.cookies.get(ME_COOKIE + code)
token = tokens.get(code) or (kept if isinstance(kept, str) and _TOKEN.fullmatch(kept) else "")
try:
    room = store.enter(code, this_client())
except RoomNotFound:  # also a client past its limit: in the same words
    if token:
        ended()  # this phone had joined it: the facilitator deleted the room
    st.query_params.pop("room", None)
    ask_for_code(text("join.no_room", lang))  # the box again: a mistyped code is tried again here
except StoreUnavailable as error:
    retrying(error)
except WorkshopError:
    unavailable()

me = None
if token:
    me = from_store(lambda: store.participant(code, token))
    tokens[code] = token
    set_cookie(ME_COOKIE + code, token, ME_DAYS)  # every run: a reload of this browser finds it
st.title(plain(room.scenario.name))  # the facilitator's text: shown as typed, never as formatting

if me is None:
    st.caption(text("join.welcome", lang, n=len(room.factor_ids)))
    with st.form("join"):
        name = st.text_input(
            text("join.name", lang), value=state.get("join_typed_name", ""), max_chars=MAX_NAME_CHARS, key="join_name"
        )
        joined = st.form_submit_button(text("join.join", lang), type="primary", width="stretch", key="join_join")
    if joined:
        if not clean_name(name):
            st.error(text("join.name_empty", lang))
            st.stop()
        state["join_typed_name"] = name  # kept if the database cannot be reached just now
        try:
            if store.participant_count(code) >= MAX_PARTICIPANTS:
                st.error(text("join.full", lang))
                st.stop()
            tokens[code] = store.join(code, name, this_client())
        except RoomNotFound:
            ended()
        except Throttled as error:
            st.error(text("join.busy" if error.limit == "room" else "join.too_often", lang))
            st.stop()
        except StoreUnavailable as error:
            retrying(error)
        except WorkshopError:
            unavailable()
        state.pop("join_typed_name", None)
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
everyone = from_store(lambda: store.answers(code))  # one read; the rounds are picked out below
mine = {a.round: a.factors for a in everyone if a.participant_id == participant_id}
previous = [a for a in everyone if a.round == room.round - 1]
shown = [a for a in everyone if a.round == room.round] if room.revealed else []
medians = factor_medians([a.factors for a in previous], room.factor_ids)
if not room.round_open:
    state.pop("join_pending", None)  # the round closed before the database came back
    st.info(text("join.closed", lang, n=room.round), icon=":material/lock:")
    if room.revealed:  # the facilitator shows this round's result before the next one
        st.header(text("join.revealed", lang, n=room.round))
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

st.header(text("join.round", lang, n=room.round))
if medians:
    st.caption(text("join.medians_note", lang))
pending = state.get("join_pending")  # (code, round, values) not yet saved: the database was away
if pending is not None and pending[:2] != (code, room.round):
    state.pop("join_pending")  # another room's, or an earlier round's
    pending = None
start = (
    (pending and pending[2])
    or mine.get(room.round)
    or mine.get(room.round - 1)
    or {f: room.scenario.factors[f] for f in room.factor_ids}
)
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
if sent or pending is not None:
    if sent:
        state["join_pending"] = (code, room.round, values)
    try:
        store.submit(code, tokens[code], state["join_pending"][2])
        state.pop("join_pending", None)
        st.success(text("join.saved", lang), icon=":material/check_circle:")
    except RoomNotFound:
        ended()
    except Forbidden:
        removed()
    except StoreUnavailable as error:
        retrying(error)  # the answer stays pending, and is sent when the database answers again
    except WorkshopError:
        state.pop("join_pending", None)
        try:
            closed = not store.room(code).round_open
        except WorkshopError:
            closed = False
        st.error(text("join.submit_closed" if closed else "join.not_saved", lang))
elif room.round in mine:
    st.caption(text("join.already", lang))
