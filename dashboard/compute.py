"""Cached scoring calls for the pages: an unchanged scenario is never scored twice.

The caches key on the scenario's JSON text (pydantic models are not hashable). Evaluations,
frozen and free of arrays, are shared by every session (``st.cache_resource``): a slider move
that comes back to a scored scenario gets it without unpickling a copy (≈ 0.6 ms each, two or
three per rerun). Simulations, which hold numpy arrays, are still handed out as copies
(``st.cache_data``).
"""

from __future__ import annotations

import json

import streamlit as st

from scoring import Evaluation, Scenario, evaluate, load_catalogue, load_preset, parse_scenario_json
from scoring.compare import VIEW_PATHS, VIEW_SEED, Summary, summarise
from scoring.risk import band_grid
from scoring.sensitivity import SensitivityResult, sensitivity
from scoring.simulate import SimulationResult, simulate
from workshop.aggregate import GroupView, group_view

__all__ = [
    "APP_PATHS",
    "APP_SEED",
    "evaluate_scenario",
    "preset_evaluation",
    "risk_band_grid",
    "room_view",
    "scenario_sensitivity",
    "scenario_summary",
    "simulate_scenario",
]

# The app simulates 5,000 paths with a fixed seed (as reports do): the same scenario always draws
# the same fan, so moving a slider back and forth does not make the chart shimmer.
APP_PATHS = VIEW_PATHS
APP_SEED = VIEW_SEED


def _key(scenario: Scenario) -> str:
    return json.dumps(scenario.to_dict(), sort_keys=True)


@st.cache_resource(max_entries=512, show_spinner=False)
def _evaluate_json(scenario_json: str) -> Evaluation:
    return evaluate(parse_scenario_json(scenario_json))


def evaluate_scenario(scenario: Scenario) -> Evaluation:
    return _evaluate_json(_key(scenario))


@st.cache_data(max_entries=256, show_spinner=False)
def _simulate_json(scenario_json: str, risk_events: bool) -> SimulationResult:
    scenario = parse_scenario_json(scenario_json)
    risk = _evaluate_json(scenario_json).risk if risk_events else None
    return simulate(scenario, paths=APP_PATHS, seed=APP_SEED, risk_events=risk_events, risk=risk)


def simulate_scenario(scenario: Scenario, risk_events: bool | None = None) -> SimulationResult:
    """The Monte Carlo runway; ``risk_events`` overrides the scenario's switch.

    Without risk events the factors play no part, so they are left out of the cache key: moving
    a factor slider does not re-run that simulation.
    """
    events = scenario.finance.uncertainty.risk_events if risk_events is None else risk_events
    if not events:
        scenario = scenario.model_copy(update={"factors": {}, "name": "-"})
    return _simulate_json(_key(scenario), events)


def scenario_summary(scenario: Scenario) -> Summary:
    """Everything a comparison, a slide or a report shows about one scenario, from the cached
    parts: the evaluation, the simulation and, when it has risk events, the same futures without."""
    simulation = None if scenario.finance.is_certain else simulate_scenario(scenario)
    without = simulate_scenario(scenario, risk_events=False) if simulation and simulation.risk_events else None
    return summarise(scenario, evaluation=evaluate_scenario(scenario), simulation=simulation, without_events=without)


@st.cache_data(max_entries=64, show_spinner=False)
def _sensitivity_json(scenario_json: str) -> SensitivityResult:
    return sensitivity(parse_scenario_json(scenario_json))


def scenario_sensitivity(scenario: Scenario) -> SensitivityResult:
    return _sensitivity_json(_key(scenario))


@st.cache_data(max_entries=64, show_spinner=False)
def _group_view_json(scenario_json: str, factor_ids: tuple[str, ...], ratings_json: str) -> GroupView:
    return group_view(parse_scenario_json(scenario_json), factor_ids, json.loads(ratings_json))


def room_view(scenario: Scenario, factor_ids: tuple[str, ...], ratings: list[dict[str, float]]) -> GroupView:
    """A round's group view; a refresh that finds no new answer costs only the store read."""
    return _group_view_json(_key(scenario), tuple(factor_ids), json.dumps(ratings, sort_keys=True))


@st.cache_resource(show_spinner=False)
def preset_evaluation(preset_id: str) -> Evaluation:
    """The baseline of most reruns: read and scored once per preset, not on every slider move."""
    return evaluate(load_preset(preset_id))


@st.cache_data(show_spinner=False)
def risk_band_grid() -> tuple[tuple[str, ...], ...]:
    return band_grid(load_catalogue())
