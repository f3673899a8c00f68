"""The scenario in the address bar: a session opens the link's scenario, and every run writes the
current one back, as its preset and only what differs from it (:mod:`scoring.links`).

Each write is a move of :mod:`dashboard.history` (Streamlit pushes a browser history entry for
it). A run whose address is not the one the app last wrote is the browser's Back or Forward:
the address's move is loaded into the controls, and nothing is written, so no entry is pushed.

The comparison (Compare's base and up to three variants) rides along while it has a variant, on
every page, so a reload or a copied link reopens it::

    …/compare?preset=medical_diagnosis&v1=Bull%20case&v1.market.demand=7&v1.cash=5000000&v2=Bear%20case&v2.risk_events=0

- ``vN=<name>`` names variant N (1, 2, 3: the order shown) and ``vN.<key>=<value>`` is one of its
  changes, with the flat keys and texts of the base's own parameters (:mod:`scoring.links`);
  a key's first dot ends the prefix (``v1.market.demand`` is ``market.demand`` of variant 1).
- ``vb=<preset>`` is a base other than the Explore scenario: a preset alone, or a kept or
  pinned scenario as that preset and its changes ``vb.<key>=<value>``. No ``vb``: the base is
  the Explore scenario, which the rest of the address already holds.

They are read as the base's are, forgivingly: a change that cannot be used (unknown key, not a
number, out of range, markup in a name) and every variant past the third are left out and named
in the link's warning; the address is then written clean. The moves of :mod:`dashboard.history`
are the scenario's parameters only (adding a variant is not a move of the scenario).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import streamlit as st

from dashboard import history
from dashboard.fields import by_path, error_message, field_label, ignored_message, link_field
from dashboard.state import PRESET, load_into_state, load_scenario_into_controls, preset_scenario
from presentation.formatting import plain
from presentation.i18n import text
from scoring import Scenario, ScenarioError
from scoring.links import Ignored, apply_changes, changes, flat_keys
from scoring.pitch import MAX_VARIANTS, Pitch, PitchChangeError
from scoring.presets import TEMPLATE, preset_info

__all__ = [
    "LINK_ONLY_KEYS",
    "comparison_params",
    "document_error",
    "link_params",
    "new_variant",
    "open_link",
    "open_pitch",
    "set_comparison",
    "sync_address_bar",
    "warn_about_link",
]

LINK_ONLY_KEYS = ("lang",)  # link parameters that are not scenario inputs
ADDRESS = "address"  # session key: the query the app last left in the address bar
BASE = "vb"  # the comparison's base when it is not the Explore scenario
_VARIANT = re.compile(r"v([0-9]{1,3})")  # vN names variant N; vN.<key> is one of its changes
_VARIANT_FIELD = re.compile(r"variants\[([0-9]+)\](?:\.changes\.(.+)|\.(name|changes))?")  # a pitch file's
GOTO_COMPARE = "goto_compare"  # session key: a pitch file was loaded; its next run opens Compare


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
    if state.pop(GOTO_COMPARE, False) and state.get("page") != "compare":
        st.switch_page("views/compare.py")
    params = st.query_params.to_dict()
    if PRESET not in state:
        _load_link(params)
    elif _scenario_part(params) != _scenario_part(state.get(ADDRESS, params)) and _history_navigation():
        # another page's parameters, or none after a page cleared them, are not a move: only
        # Back and Forward bring a scenario from the address into the controls
        index = history.find(dict(_scenario_part(params)))
        if index is not None:
            history.go_to(index)
        else:  # an entry this session has not recorded: read it as a link
            _load_link(params)


def _comparison_key(key: str) -> bool:
    prefix = key.split(".", 1)[0]
    return prefix == BASE or _VARIANT.fullmatch(prefix) is not None


def _scenario_part(params: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A move of :mod:`dashboard.history`: the scenario's parameters, without the comparison's."""
    return history.key_of({key: value for key, value in params.items() if not _comparison_key(key)})


def _load_link(params: dict[str, str]) -> None:
    lang = st.session_state.get("lang") or "en"
    comparison = {key: value for key, value in params.items() if _comparison_key(key)}
    params = {key: value for key, value in params.items() if not _comparison_key(key)}
    preset_id = params.pop(PRESET, TEMPLATE)
    ignored = []
    if preset_id not in preset_info():
        ignored.append(Ignored(PRESET, "unknown_preset"))
        preset_id = TEMPLATE
    for key in LINK_ONLY_KEYS:
        params.pop(key, None)
    scenario, more = apply_changes(preset_scenario(preset_id), params)
    name_key = by_path("name").link_key
    name = scenario.name if name_key in params and all(i.key != name_key for i in more) else None
    load_into_state(scenario, preset_id, name or preset_info()[preset_id].name.get(lang))
    if comparison:  # a link without one keeps the session's (Back to an entry not recorded)
        more += _open_comparison(comparison, scenario, lang)
    st.session_state["link_ignored"] = ignored + more


def _open_comparison(params: dict[str, str], current: Scenario, lang: str) -> list[Ignored]:
    """The link's comparison into the session (:func:`set_comparison`); what it could not use."""
    ignored: list[Ignored] = []
    base, choice = current, "current"
    base_changes = {key[len(BASE) + 1 :]: value for key, value in params.items() if key.startswith(f"{BASE}.")}
    if BASE in params or base_changes:
        preset_id = params.get(BASE, TEMPLATE)
        if preset_id not in preset_info():
            ignored.append(Ignored(BASE, "unknown_preset"))
        elif not base_changes:
            base, choice = preset_scenario(preset_id), f"preset:{preset_id}"
        else:
            base, more = apply_changes(preset_scenario(preset_id), base_changes)
            ignored += [replace(item, key=f"{BASE}.{item.key}") for item in more]
            st.session_state.setdefault("library", {})[base.name] = base
            choice = f"saved:{base.name}"
    numbers = sorted({int(match[1]) for key in params if (match := _VARIANT.fullmatch(key.split(".", 1)[0]))})
    ignored += [Ignored(f"v{n}", "too_many_variants", {"max": MAX_VARIANTS}) for n in numbers[MAX_VARIANTS:]]
    variants = []
    for number in numbers[:MAX_VARIANTS]:
        prefix = f"v{number}."
        given = {key[len(prefix) :]: value for key, value in params.items() if key.startswith(prefix)}
        given.pop("name", None)  # a variant's name is vN itself
        name = params.get(f"v{number}", "")
        _, more = apply_changes(base, given | ({"name": name} if name else {}))
        unused = {item.key for item in more}
        ignored += [replace(item, key=prefix + item.key if item.key != "name" else f"v{number}") for item in more]
        rows = [{"setting": key, "value": value} for key, value in given.items() if key in flat_keys()]
        variants.append(("" if "name" in unused else name, [row for row in rows if row["setting"] not in unused]))
    set_comparison(choice, variants)
    return ignored


def new_variant(name: str, rows: list[dict[str, str]]) -> dict:
    """A variant of the comparison (``state["variants"]``); its id is never reused in a session,
    so a widget of an earlier variant never shows through in a new one."""
    state = st.session_state
    state["variant_seq"] = state.get("variant_seq", -1) + 1
    return {"id": state["variant_seq"], "name": name, "rows": rows, "version": 0}


def set_comparison(choice: str, variants: list[tuple[str, list[dict[str, str]]]]) -> None:
    """Compare's base (a key of its base picker: "current", "preset:<id>", "saved:<name>") and variants."""
    st.session_state["compare_base"] = choice
    st.session_state["variants"] = [new_variant(name, rows) for name, rows in variants]


def open_pitch(pitch: Pitch) -> None:
    """A pitch file loaded: its base into the controls (the comparison's base), its variants into
    Compare, which the next run opens."""
    load_scenario_into_controls(pitch.base)
    variants = [
        (variant.name, [{"setting": key, "value": value} for key, value in variant.texts().items() if key != "name"])
        for variant in pitch.variants
    ]
    set_comparison("current", variants)
    st.session_state[GOTO_COMPARE] = True


def comparison_params() -> dict[str, str]:
    """The comparison's part of the address (see the module's docstring); empty without a variant."""
    state = st.session_state
    variants = state.get("variants") or []
    if not variants:
        return {}
    params: dict[str, str] = {}
    choice = state.get("compare_base", "current")
    if choice.startswith("preset:"):
        params[BASE] = choice.removeprefix("preset:")
    elif choice == "pinned" or choice.startswith("saved:"):
        kept = state.get("pinned") if choice == "pinned" else state.get("library", {}).get(choice[len("saved:") :])
        if kept is not None:
            preset_id = state.get("baseline_preset", TEMPLATE)
            params[BASE] = preset_id
            params |= {f"{BASE}.{key}": value for key, value in changes(preset_scenario(preset_id), kept).items()}
    for number, variant in enumerate(variants[:MAX_VARIANTS], start=1):
        params[f"v{number}"] = variant["name"]
        params |= {f"v{number}.{row['setting']}": row["value"] for row in variant["rows"]}
    return params


def _label(key: str, lang: str) -> str:
    """A link key in the words of the page: "Variant 2: Cash on hand", "Base scenario"."""
    prefix, _, rest = key.partition(".")
    if not _comparison_key(key):
        return field_label(link_field(key), lang)
    whole = text("compare.base", lang) if prefix == BASE else text("share.link_variant", lang, n=prefix[1:])
    return f"{whole}{text('field.separator', lang)}{field_label(link_field(rest), lang)}" if rest else whole


def document_error(error: ScenarioError, lang: str) -> tuple[str, str]:
    """Where a scenario or pitch file is wrong and why, in the words of the page ("Variant 2: Cash
    on hand", "Base scenario: Monthly costs"); ``""`` for the whole file."""
    separator = text("field.separator", lang)
    message = error_message(error, lang)
    if isinstance(error, PitchChangeError) and error.ignored.kind != "invalid":  # worded as a link's
        item = error.ignored
        if item.kind == "clash" and item.error is not None:
            reason = error_message(item.error, lang)
            message = text("link.clash", lang, field=field_label(item.error.field, lang), message=reason)
        else:
            message = text(f"link.{item.kind}", lang, **item.context)
    if not error.field:
        return "", message
    if error.field.startswith("base."):
        return f"{text('compare.base', lang)}{separator}{field_label(error.field[len('base.') :], lang)}", message
    match = _VARIANT_FIELD.fullmatch(error.field)
    if match is None:
        return field_label(error.field, lang), message
    variant = text("share.link_variant", lang, n=int(match[1]) + 1)
    part = field_label(link_field(match[2]), lang) if match[2] else field_label(match[3], lang) if match[3] else ""
    return f"{variant}{separator}{part}" if part else variant, message


def warn_about_link(lang: str) -> None:
    """Once, after :func:`open_link`: what the link held that could not be used, and why."""
    ignored = st.session_state.pop("link_ignored", None)
    if ignored:
        # an unknown key is shown as given, and a reason quotes the value: both are the link's text
        items = text("link.separator", lang).join(
            plain(ignored_message(item, lang, _label(item.key, lang))) for item in ignored
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
    return params | comparison_params()


def sync_address_bar(scenario: Scenario, lang: str) -> None:
    """Write ``scenario``'s link into the address bar, so the URL always reopens this view, and
    keep it as a move (:mod:`dashboard.history`)."""
    params = link_params(scenario, lang)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state[ADDRESS] = params
    history.record(dict(_scenario_part(params)), scenario)
