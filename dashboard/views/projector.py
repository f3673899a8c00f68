"""Workshop, projector view: ``/projector?room=CODE`` — the room's name, join link, code and QR,
the round's state and the group's live figures. It carries no secret: its address holds only the
room code (the same as the join link's), and nothing on it can change the room, so it can be
projected, reloaded and opened on any screen.

Also the pieces the workshop pages share (imported by ``views/workshop.py`` and ``views/join.py``):
who is asking (:func:`this_client`: this browser's id, kept in its ``workshop_browser`` cookie, and its
address behind a trusted proxy — the same on all three pages, so the store's limits count one
browser once), a cookie of this browser (:func:`set_cookie`), a store error in the user's language
(:func:`store_message`), the join link for phones, the QR code, Markdown-safe text
(:func:`presentation.formatting.plain`), the round's status line and the group's figures. The page
itself runs only when Streamlit runs this file as the page (``__name__ == "__main__"``).

A wrong room code here is counted against this browser and its address, as on ``/join``, and gets
the same words as a room that has ended; a right code is never refused.

Join links: ``WORKSHOP_PUBLIC_URL`` (e.g. ``https://workshop.example.org``), when set, is the root
of every join link and QR. Otherwise the address the app was opened at — except a loopback one
(localhost, 127.x, ::1), which no phone can reach: then the machine's network address is used,
found as Streamlit finds its "Network URL" (a UDP socket "connected" outwards; no packet is sent).
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import re
import secrets
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import segno
import streamlit as st
from streamlit import net_util

from dashboard.compute import risk_band_grid, room_view
from dashboard.ui import PLOTLY_CONFIG, current_lang, hide_sidebar, language_picker
from presentation import charts
from presentation.formatting import plain  # also the workshop pages' (imported from here)
from presentation.i18n import text
from scoring import load_catalogue
from scoring.catalogue import Catalogue
from workshop.store import (
    Answer,
    Client,
    Forbidden,
    Room,
    RoomNotFound,
    StoreUnavailable,
    Throttled,
    WorkshopError,
    client_address,
    normalise_code,
    open_store,
    trusted_proxy,
)

PUBLIC_URL = "WORKSHOP_PUBLIC_URL"
REFRESH_SECONDS = 3
BROWSER_COOKIE, BROWSER_DAYS = "workshop_browser", 365  # this browser's id for the store's limits
_BROWSER = re.compile(r"[0-9a-f]{32}")  # what secrets.token_hex(16) hands out
# A database that cannot serve, by StoreUnavailable.kind -> data/i18n.yaml; the facilitator's console
# also shows the server's own words for the ones an administrator fixes (a setting, the schema).
_STORE_KINDS = ("busy", "unreachable", "full", "read_only", "broken", "config", "schema")
_DETAILED = ("broken", "config", "schema")
_THROTTLED = {"create": "workshop.too_many_rooms", "room": "join.busy", "browser": "join.too_often"}


def set_cookie(name: str, value: str, days: int) -> None:
    """Set (or, with ``days=0``, delete) a cookie of this browser. ``name`` and ``value`` are the
    pages' own (a room code the store accepted, a token or id it made) — never text a user typed —
    and go in as JSON strings."""
    attributes = f"; path=/; max-age={days * 86400}; samesite=strict"
    st.html(
        f"<script>document.cookie = {json.dumps(name + '=')} + {json.dumps(value)} + {json.dumps(attributes)}"
        ' + (location.protocol === "https:" ? "; secure" : "");</script>',
        unsafe_allow_javascript=True,
        width="content",
    )


def this_client() -> Client:
    """Who is asking, for the store's limits: this browser (its id kept in a cookie, made on its first
    visit to any workshop page) and the address it comes from (:func:`workshop.store.client_address`)."""
    state = st.session_state
    if "workshop_browser" not in state:
        kept = st.context.cookies.get(BROWSER_COOKIE)
        if isinstance(kept, str) and _BROWSER.fullmatch(kept):
            state["workshop_browser"] = kept
        else:
            state["workshop_browser"] = secrets.token_hex(16)
            set_cookie(BROWSER_COOKIE, state["workshop_browser"], BROWSER_DAYS)
    proxy = trusted_proxy()
    forwarded = st.context.headers.get_all(proxy[0]) if proxy else []
    return Client(state["workshop_browser"], client_address(st.context.ip_address, forwarded, proxy[1] if proxy else 0))


def store_message(error: WorkshopError, lang: str, detail: bool = False) -> str:
    """A workshop error in ``lang``: a database that cannot serve by its kind, a refusal by what it
    refuses; never the store's English words, except, with ``detail`` (the facilitator's console),
    the server's own line under a setting or a database an administrator has to fix."""
    if isinstance(error, StoreUnavailable):
        kind = error.kind if error.kind in _STORE_KINDS else "unreachable"
        message = text(f"workshop.store_{kind}", lang)
        if detail and kind in _DETAILED:
            message += "  \n" + text("workshop.store_detail", lang, detail=plain(str(error)))
        return message
    if isinstance(error, Throttled):
        return text(_THROTTLED.get(error.limit, "join.busy"), lang)
    if isinstance(error, (RoomNotFound, Forbidden)):
        return text("workshop.room_ended", lang)
    return text("workshop.failed", lang)


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_root(page: str) -> str:
    """The address this browser opened the app at, without the page path and query ('' unknown)."""
    parts = urlsplit(st.context.url or "")
    if not parts.netloc:
        return ""
    path = parts.path.rstrip("/")
    if path.endswith(f"/{page}"):
        path = path[: -len(page) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def network_address() -> str | None:
    """This machine's address on its network, when the server listens on it (else None)."""
    if _is_loopback(st.get_option("server.address")):
        return None  # the server was started on loopback only: no phone can reach it
    found = net_util.get_internal_ip()  # no traffic: a UDP "connect" picks the outbound interface
    return None if not found or _is_loopback(found) else found


def join_root(page: str) -> tuple[str, str]:
    """(root of the join link, where it comes from): "public" (WORKSHOP_PUBLIC_URL), "network"
    (a loopback address replaced by the network address), "loopback" (no phone can reach it) or
    "opened" (the address as opened)."""
    public = os.environ.get(PUBLIC_URL, "").strip()
    if public:
        return public.rstrip("/"), "public"
    root = app_root(page)
    parts = urlsplit(root)
    if not _is_loopback(parts.hostname):
        return root, "opened"
    found = network_address()
    if found is None:
        return root, "loopback"
    netloc = found if parts.port is None else f"{found}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")), "network"


def join_link(code: str, page: str) -> tuple[str, str]:
    """The link phones open, and where its root comes from (see :func:`join_root`)."""
    root, source = join_root(page)
    return f"{root}/join?room={code}", source


def qr_png(link: str) -> bytes:
    picture = io.BytesIO()
    segno.make(link, error="m").save(picture, kind="png", scale=8, border=2)
    return picture.getvalue()


def show_join(room: Room, page: str, lang: str, wall: bool = False) -> str:
    """The join link, the code and the QR, with a word on where the link's address comes from (on the
    console; on the projector, ``wall``, the QR is larger and the setup note is left out)."""
    link, source = join_link(room.code, page)
    code_col, qr_col = st.columns([2, 1])
    with code_col:
        st.markdown(text("workshop.join_at", lang))
        st.markdown(f"## `{link}`")
        st.markdown(text("workshop.code_is", lang, code=" ".join([room.code[:4], room.code[4:]])))
        if source == "network" and not wall:
            st.caption(text("workshop.link_network", lang, setting=PUBLIC_URL))
        elif source == "loopback":
            st.warning(text("workshop.link_loopback", lang, setting=PUBLIC_URL), icon=":material/wifi_off:")
        elif source == "public" and not wall:
            st.caption(text("workshop.link_public", lang, setting=PUBLIC_URL))
    with qr_col:
        alt = text("workshop.qr_alt", lang, link=link)
        st.image(qr_png(link), caption=text("workshop.scan", lang), width=380 if wall else 260, alt=alt)
    return link


def round_status(room: Room, lang: str) -> str:
    if room.round_open:
        return text("workshop.round_open", lang, n=room.round)
    if room.revealed:
        return text("workshop.round_revealed", lang, n=room.round)
    return text("workshop.round_closed", lang, n=room.round)


def show_group(room: Room, everyone: list[Answer], joined: int, lang: str, catalogue: Catalogue, key: str):
    """The round's figures, heatmap, radar and the factors to discuss first; returns
    (this round's view, last round's view or None, this round's answers)."""
    current = [answer for answer in everyone if answer.round == room.round]
    previous = [answer for answer in everyone if answer.round == room.round - 1]
    view = room_view(room.scenario, room.factor_ids, [answer.factors for answer in current])
    before = room_view(room.scenario, room.factor_ids, [answer.factors for answer in previous]) if previous else None
    figures_row = st.columns(5)
    figures_row[0].metric(text("workshop.joined", lang), joined)
    figures_row[1].metric(text("workshop.answers", lang, n=room.round), view.answers)
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
        return view, before, current
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
        key=f"{key}_heatmap",
        alt=text("workshop.heatmap_title", lang),
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
        key=f"{key}_radar",
        alt=text("chart.radar_title", lang),
    )
    st.header(text("workshop.discuss", lang))
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
    return view, before, current


# Read from the back of a room: larger text, figures and status line on this page only. Static CSS.
WALL_STYLE = """
<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.45rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3rem; line-height: 1.15; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.1rem; }
</style>
"""


def _page() -> None:
    hide_sidebar()
    st.html(WALL_STYLE)
    lang = current_lang()
    catalogue = load_catalogue()
    language_picker(st, key="projector_language")  # the sidebar, and its switch, are hidden here
    try:
        store = open_store()
    except WorkshopError as error:
        st.error(store_message(error, lang), icon=":material/database:")
        st.stop()
    code = normalise_code(st.query_params.get("room", ""))
    if not code:
        st.title(text("workshop.projector_title", lang))
        st.info(text("workshop.projector_no_room", lang), icon=":material/cast:")
        st.stop()
    try:
        room = store.enter(code, this_client())
    except RoomNotFound:  # also a browser past its limit of wrong codes: in the same words
        st.info(text("workshop.projector_gone", lang), icon=":material/meeting_room:")
        st.stop()
    except WorkshopError as error:
        st.error(store_message(error, lang), icon=":material/database:")
        st.stop()
    st.title(plain(room.scenario.name))
    show_join(room, "projector", lang, wall=True)

    @st.fragment(run_every=REFRESH_SECONDS)
    def live() -> None:
        try:
            now = store.room(code)
            joined = store.participant_count(code)
            everyone = store.answers(code)
        except RoomNotFound:
            st.info(text("workshop.projector_gone", lang), icon=":material/meeting_room:")
            return
        except WorkshopError as error:
            st.error(store_message(error, lang), icon=":material/database:")
            return
        st.header(round_status(now, lang))
        show_group(now, everyone, joined, lang, catalogue, "projector")

    live()


if __name__ == "__main__":  # Streamlit runs a page as __main__; workshop.py imports the helpers
    _page()
