"""The scenario in the address bar: a session opens the link's scenario, and every run writes the
current one back, as its preset and only what differs from it (:mod:`scoring.links`).

Each write is a move of :mod:`dashboard.history` (Streamlit pushes a browser history entry for
it). A run whose address is not the one the app last wrote is the browser's Back or Forward:
the address's move is loaded into the controls, and nothing is written, so no entry is pushed.
"""

from __future__ import annotations

import streamlit as st

from dashboard import history
from dashboard.fields import by_path, field_label, link_field
from dashboard.state import PRESET, load_into_state, preset_scenario
from presentation.formatting import plain
from presentation.i18n import text
from scoring import Scenario
from scoring.links import Ignored, apply_changes, changes
from scoring.presets import TEMPLATE, preset_info

__all__ = ["LINK_ONLY_KEYS", "link_params", "open_link", "sync_address_bar", "warn_about_link"]

LINK_ONLY_KEYS = ("lang",)  # link parameters that are not scenario inputs
ADDRESS = "address"  # session key: the query the app last left in the address bar


def _history_navigation() -> bool:
    """Whether Streamlit says this run is the browser's Back or Forward (not a public API: False if gone)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))
    except ImportError:
        return False


def open_link() -> None:
    """On a session's first run: the scenario in the link, or the neutral template. Later, when the
    address is not what the app wrote (the browser went Back or Forward): the scenario there."""
    state = st.session_state
    params = st.query_params.to_dict()
    if PRESET not in state:
        _load_link(params)
    elif history.key_of(params) != history.key_of(state.get(ADDRESS, params)) and _history_navigation():
        # another page's parameters, or none after a page cleared them, are not a move: only
        # Back and Forward bring a scenario from the address into the controls
        index = history.find(params)
        if index is not None:
            history.go_to(index)
        else:  # an entry this session has not recorded: read it as a link
            _load_link(params)


def _load_link(params: dict[str, str]) -> None:
    lang = st.session_state.get("lang") or "en"
    params = dict(params)
    preset_id = params.pop(PRESET, TEMPLATE)
    ignored = []
    if preset_id not in preset_info():
        ignored.append(Ignored(PRESET, "is not a known preset"))
        preset_id = TEMPLATE
    for key in LINK_ONLY_KEYS:
        params.pop(key, None)
    scenario, more = apply_changes(preset_scenario(preset_id), params)
    name_key = by_path("name").link_key
    name = scenario.name if name_key in params and all(i.key != name_key for i in more) else None
    load_into_state(scenario, preset_id, name or preset_info()[preset_id].name.get(lang))
    st.session_state["link_ignored"] = ignored + more


def warn_about_link(lang: str) -> None:
    """Once, after :func:`open_link`: what the link held that could not be used, and why."""
    ignored = st.session_state.pop("link_ignored", None)
    if ignored:
        # an unknown key is shown as given, and a reason quotes the value: both are the link's text
        items = "; ".join(
            f"{plain(field_label(link_field(item.key), lang))} ({plain(item.reason)})" for item in ignored
        )
        st.warning(text("share.link_ignored", lang, items=items), icon=":material/link_off:")


def link_params(scenario: Scenario, lang: str) -> dict[str, str]:
    """The query string that reopens ``scenario``: its preset and only what differs from it."""
    preset_id = st.session_state.get("baseline_preset", TEMPLATE)
    params = {} if preset_id == TEMPLATE else {PRESET: preset_id}
    if lang != "en":
        params["lang"] = lang
    params |= changes(preset_scenario(preset_id), scenario)
    if scenario.name in preset_info()[preset_id].name.model_dump().values():
        params.pop(by_path("name").link_key, None)  # the preset's own name, in either language
    return params


def sync_address_bar(scenario: Scenario, lang: str) -> None:
    """Write ``scenario``'s link into the address bar, so the URL always reopens this view, and
    keep it as a move (:mod:`dashboard.history`)."""
    params = link_params(scenario, lang)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state[ADDRESS] = params
    history.record(params, scenario)
