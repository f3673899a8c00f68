"""Cached scoring calls for the pages: an unchanged scenario is never scored twice.

``st.cache_data`` keys on the scenario's JSON text (pydantic models are not hashable) and
returns a copy of the frozen result to every session.
"""

from __future__ import annotations

import json

import streamlit as st

from scoring import Evaluation, Scenario, evaluate, load_catalogue, load_preset, parse_scenario_json
from scoring.risk import band_grid

__all__ = ["evaluate_scenario", "preset_evaluation", "risk_band_grid"]


@st.cache_data(max_entries=512, show_spinner=False)
def _evaluate_json(scenario_json: str) -> Evaluation:
    return evaluate(parse_scenario_json(scenario_json))


def evaluate_scenario(scenario: Scenario) -> Evaluation:
    return _evaluate_json(json.dumps(scenario.to_dict(), sort_keys=True))


@st.cache_data(show_spinner=False)
def preset_evaluation(preset_id: str) -> Evaluation:
    """The baseline of most reruns: read and scored once per preset, not on every slider move."""
    return evaluate(load_preset(preset_id))


@st.cache_data(show_spinner=False)
def risk_band_grid() -> tuple[tuple[str, ...], ...]:
    return band_grid(load_catalogue())
