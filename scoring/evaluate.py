"""One call that scores a whole scenario: risks, opportunity and runway."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue, load_catalogue
from scoring.opportunity import OpportunityResult, score_opportunity
from scoring.risk import RiskReport, score_risks
from scoring.runway import RunwayResult, project_runway
from scoring.scenario import Scenario

__all__ = ["Evaluation", "evaluate"]


class Evaluation(BaseModel):
    """The report of ``python -m scoring evaluate`` (README, "Command line")."""

    model_config = ConfigDict(frozen=True)

    risk: RiskReport
    opportunity: OpportunityResult
    runway: RunwayResult


def evaluate(scenario: Scenario, catalogue: Catalogue | None = None) -> Evaluation:
    catalogue = catalogue or load_catalogue()
    return Evaluation(
        risk=score_risks(scenario, catalogue),
        opportunity=score_opportunity(scenario, catalogue),
        runway=project_runway(scenario.finance),
    )
