"""Pure-Python scoring for the AI-startup risk & opportunity navigator.

Never imports streamlit or plotly: everything a chart shows is computed here and returned as
a frozen pydantic result.

>>> from scoring import evaluate, load_preset
>>> report = evaluate(load_preset("neutral_template"))
>>> 0 <= report.risk.overall <= 100
True
"""

from scoring.catalogue import Catalogue, load_catalogue
from scoring.errors import DataError, ScenarioError
from scoring.evaluate import Evaluation, evaluate
from scoring.opportunity import OpportunityResult, score_opportunity
from scoring.pitch import Pitch, parse_pitch_json, pitch_json, variant_scenarios
from scoring.presets import list_presets, load_preset
from scoring.risk import RiskItem, RiskReport, score_risks
from scoring.runway import RunwayResult, project_runway
from scoring.scenario import (
    Finance,
    FundingRound,
    Scenario,
    Settings,
    load_scenario,
    parse_scenario,
    parse_scenario_json,
)

__all__ = [
    "Catalogue",
    "DataError",
    "Evaluation",
    "Finance",
    "FundingRound",
    "OpportunityResult",
    "Pitch",
    "RiskItem",
    "RiskReport",
    "RunwayResult",
    "Scenario",
    "ScenarioError",
    "Settings",
    "evaluate",
    "list_presets",
    "load_catalogue",
    "load_preset",
    "load_scenario",
    "parse_pitch_json",
    "parse_scenario",
    "parse_scenario_json",
    "pitch_json",
    "project_runway",
    "score_opportunity",
    "score_risks",
    "variant_scenarios",
]

__version__ = "0.1.0"  # the one version: pyproject.toml reads it (dynamic), tests/test_packaging.py checks
