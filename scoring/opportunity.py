"""Opportunity scoring: the nine radar axes of the source survey's section 3, each 0–10.

An axis is ``10 * sum(w_i * g_i) / sum(w_i)`` where the *favourability* g of a factor with
value v in [0, 10] is ``v / 10`` for an opportunity factor or a "-" factor (more is better)
and ``1 - v / 10`` for a "+" factor (more is worse). Overall opportunity is the mean of the
axes rescaled to [0, 100].
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue
from scoring.scenario import Scenario

__all__ = ["OpportunityResult", "score_opportunity"]


class OpportunityResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    overall: float  # [0, 100]
    axes: dict[str, float]  # axis id -> [0, 10], in data order


def score_opportunity(scenario: Scenario, catalogue: Catalogue) -> OpportunityResult:
    axes = {}
    for axis_id, axis in catalogue.axes.items():
        total = 0.0
        for factor_id, weight in axis.drivers.items():
            value = scenario.factors[factor_id] / 10.0
            total += weight * (1.0 - value if catalogue.factors[factor_id].direction == "+" else value)
        axes[axis_id] = 10.0 * total / sum(axis.drivers.values())
    return OpportunityResult(overall=10.0 * sum(axes.values()) / len(axes), axes=axes)
