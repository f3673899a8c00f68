"""Session state <-> Scenario: load a scenario into the controls, read the scenario they describe.

Widget values live in ``st.session_state`` under the keys of :mod:`dashboard.fields` and persist
across pages. :func:`read_scenario` turns them into a validated :class:`~scoring.Scenario`; when
they do not form one, the page keeps showing the last valid scenario and says why.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import streamlit as st

from dashboard.fields import FACTOR_PREFIX, FIELDS, by_path, scenario_data, shown_value, stored_value, widget_values
from presentation.i18n import text
from scoring import Scenario, ScenarioError, load_preset, parse_scenario
from scoring.links import apply_changes
from scoring.presets import TEMPLATE, preset_info

__all__ = [
    "PRESET",
    "ScenarioInput",
    "compare_scenarios",
    "fold_edits",
    "fold_variant_edits",
    "load_into_state",
    "load_preset_into_state",
    "load_scenario_into_controls",
    "preset_scenario",
    "read_scenario",
    "reclaim_widget_values",
]

PRESET = "preset"  # the preset picker's key
_CONTROL_KEYS = frozenset({PRESET, *(field.key for field in FIELDS)})  # and every factor slider


@dataclass(frozen=True)
class ScenarioInput:
    scenario: Scenario  # what to show: the current scenario, or the last valid one
    error: ScenarioError | None  # why the current inputs were not used, if they were not


@functools.cache
def preset_scenario(preset_id: str) -> Scenario:
    """A preset, read and validated once per process (scenarios are frozen, so sharing is safe)."""
    return load_preset(preset_id)


def load_into_state(scenario: Scenario, preset_id: str, name: str) -> None:
    """Put a scenario's values into every control; ``preset_id`` is the base of its link."""
    state = st.session_state
    for key, value in widget_values(scenario).items():
        state[key] = value
    state[by_path("name").key] = name
    state["funding_version"] = state.get("funding_version", 0) + 1  # a fresh funding editor
    state["last_valid"] = scenario
    state["baseline_preset"] = preset_id
    state[PRESET] = preset_id


def load_preset_into_state(preset_id: str, lang: str) -> None:
    load_into_state(preset_scenario(preset_id), preset_id, preset_info()[preset_id].name.get(lang))


def load_scenario_into_controls(scenario: Scenario) -> None:
    """Show an uploaded or compared scenario in the controls (its link is based on the current preset)."""
    load_into_state(scenario, st.session_state.get("baseline_preset", TEMPLATE), scenario.name)


def compare_scenarios(current: Scenario, lang: str) -> list[Scenario]:
    """Compare's base and its variants as built on the Compare page (``state["variants"]``: each
    a name and the settings it changes), or ``[current]`` when there are none: what Present's
    comparison slides and the deck show. The base is ``state["compare_base"]``: the Explore
    scenario, the pinned one, a kept one or a preset; a variant's unusable changes are left out
    (Compare names them)."""
    state = st.session_state
    variants = state.get("variants") or []
    if not variants:
        return [current]
    source = state.get("compare_base") or "current"
    library = state.get("library") or {}
    base = current
    if source == "pinned" and state.get("pinned") is not None:
        base = state["pinned"]
    elif source.startswith("saved:") and source.removeprefix("saved:") in library:
        base = library[source.removeprefix("saved:")]
    elif source.startswith("preset:") and source.removeprefix("preset:") in preset_info():
        preset_id = source.removeprefix("preset:")
        base = preset_scenario(preset_id).model_copy(update={"name": preset_info()[preset_id].name.get(lang)})
    scenarios = [base]
    for variant in variants:
        scenario, _ignored = apply_changes(base, {row["setting"]: row["value"] for row in variant["rows"]})
        scenarios.append(scenario.model_copy(update={"name": variant["name"] or text("compare.unnamed", lang)}))
    return scenarios


def read_scenario() -> ScenarioInput:
    """The scenario the controls describe, validated; the last valid one if they do not."""
    state = st.session_state
    data = scenario_data(state)
    try:
        scenario = parse_scenario(data)
    except ScenarioError as error:
        return ScenarioInput(scenario=state["last_valid"], error=error)
    state["last_valid"] = scenario
    return ScenarioInput(scenario=scenario, error=None)


def reclaim_widget_values() -> None:
    """On the first run of a page, hand every control its value again through the state API.

    A value put in session state by code (a preset or a link loaded on the first run) reaches
    the browser only with the page that first draws the widget; after a page switch the browser
    would draw the same widget at its default (sliders at 0, no cash) while the model still
    held the real value, and the next interaction would send those defaults back. Assigning the
    values again marks them as set by the app, so the new page draws them (Streamlit's advice
    for widgets that span pages). Once per page visit, not per rerun.
    """
    state = st.session_state
    page = state.get("page")
    if state.get("controls_page") == page:
        return
    state["controls_page"] = page
    for key in list(state.keys()):
        if key in _CONTROL_KEYS or key.startswith(FACTOR_PREFIX):
            state[key] = state[key]


def fold_edits(rows: list[dict], edits: dict) -> list[dict]:
    """A data editor's pending edits applied to the rows it was drawn from.

    Tables whose rows must survive page switches keep them in session state and fold the
    editor's edits in from its ``on_change`` callback, then draw a fresh editor.
    """
    rows = [dict(row) for row in rows]
    for index, edit in edits.get("edited_rows", {}).items():
        rows[int(index)].update(edit)
    rows += [dict(row) for row in edits.get("added_rows", [])]
    deleted = set(edits.get("deleted_rows", []))
    return [row for index, row in enumerate(rows) if index not in deleted]


def fold_variant_edits(rows: list[dict], edits: dict, labels: dict[str, str]) -> list[dict]:
    """A Compare variant's change rows after its editor's edits, in the scenario's units.

    The editor shows each setting by its label and growth and swings in % (as the sidebar
    does), so the edits are folded into what it showed and every value is stored back:
    typing 5 for revenue growth stores 0.05.
    """
    shown = [
        {"setting": labels.get(r["setting"], r["setting"]), "value": shown_value(r["setting"], r["value"])}
        for r in rows
    ]
    by_label = {label: key for key, label in labels.items()}
    folded = []
    for row in fold_edits(shown, edits):
        if row.get("setting"):
            key = by_label.get(row["setting"], row["setting"])
            folded.append({"setting": key, "value": stored_value(key, str(row.get("value") or ""))})
    return folded
