"""Sensitivity: which inputs move overall risk and runway most (docs/model.md, "Sensitivity swing").

Every factor is swept from 0 to 10 and every cash input moved by -20 % and +20 %
(``cash``, ``monthly_costs``, ``monthly_revenue``, ``cost_growth``, ``revenue_growth``, and
``funding``: every round's amount at once). For each input a row holds the overall risk and
the runway (the deterministic projection) at its low and high value and the *swing*::

    swing = max(|risk_high - risk_low| / 100, |runway_high - runway_low| / H)

with a runway that never runs out counted as the horizon H. Rows are sorted by swing, largest
first (ties keep catalogue order: factors, then cash inputs).

>>> from scoring import load_preset
>>> rows = sensitivity(load_preset("customer_service_cash_strapped")).rows
>>> rows[0].swing >= rows[1].swing >= rows[-1].swing
True
>>> len(rows)  # 31 factors and 6 cash inputs
37
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue, load_catalogue
from scoring.risk import score_risks
from scoring.runway import project_runway
from scoring.scenario import Finance, Scenario

__all__ = ["CASH_INPUTS", "CASH_STEP", "SensitivityResult", "SensitivityRow", "sensitivity"]

CASH_STEP = 0.20  # each cash input is moved by this share down and up
CASH_INPUTS = ("cash", "monthly_costs", "monthly_revenue", "cost_growth", "revenue_growth", "funding")


class SensitivityRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    input: str  # factor id or cash field name
    kind: Literal["factor", "cash"]
    low: float  # the input's low value (0 for a factor; -20 % for a cash input; funding: total)
    high: float
    risk_low: float  # overall risk 0-100 at the low value
    risk_high: float
    runway_low: float | None  # runway months at the low value; None = never runs out
    runway_high: float | None
    swing: float  # [0, 1]


class SensitivityResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    horizon_months: int
    risk: float  # overall risk of the scenario as it is
    runway_months: float | None
    rows: tuple[SensitivityRow, ...]  # largest swing first


def _shifted(finance: Finance, field: str, scale: float) -> Finance:
    """The plan with one cash input scaled (no re-validation: +20 % may pass a typo guard)."""
    if field == "funding":
        rounds = tuple(r.model_copy(update={"amount": r.amount * scale}) for r in finance.funding)
        return finance.model_copy(update={"funding": rounds})
    return finance.model_copy(update={field: getattr(finance, field) * scale})


def _cash_value(finance: Finance, field: str) -> float:
    if field == "funding":
        return sum(r.amount for r in finance.funding)
    return getattr(finance, field)


def sensitivity(scenario: Scenario, catalogue: Catalogue | None = None) -> SensitivityResult:
    """Sweep every input and rank them by how far they move risk or runway."""
    catalogue = catalogue or load_catalogue()
    horizon = scenario.finance.horizon_months
    base_runway = project_runway(scenario.finance).months

    def swing(risk_low, risk_high, runway_low, runway_high) -> float:
        def months(value):
            return horizon if value is None else value

        return max(abs(risk_high - risk_low) / 100.0, abs(months(runway_high) - months(runway_low)) / horizon)

    rows = []
    for factor_id in catalogue.factors:
        risks = []
        for value in (0.0, 10.0):
            factors = {**scenario.factors, factor_id: value}
            risks.append(score_risks(scenario.model_copy(update={"factors": factors}), catalogue).overall)
        rows.append(
            SensitivityRow(
                input=factor_id,
                kind="factor",
                low=0.0,
                high=10.0,
                risk_low=risks[0],
                risk_high=risks[1],
                runway_low=base_runway,
                runway_high=base_runway,
                swing=swing(risks[0], risks[1], base_runway, base_runway),
            )
        )
    for field in CASH_INPUTS:
        risks, runways = [], []
        for scale in (1.0 - CASH_STEP, 1.0 + CASH_STEP):
            moved = scenario.model_copy(update={"finance": _shifted(scenario.finance, field, scale)})
            risks.append(score_risks(moved, catalogue).overall)
            runways.append(project_runway(moved.finance).months)
        value = _cash_value(scenario.finance, field)
        rows.append(
            SensitivityRow(
                input=field,
                kind="cash",
                low=value * (1.0 - CASH_STEP),
                high=value * (1.0 + CASH_STEP),
                risk_low=risks[0],
                risk_high=risks[1],
                runway_low=runways[0],
                runway_high=runways[1],
                swing=swing(*risks, *runways),
            )
        )
    rows.sort(key=lambda row: -row.swing)
    return SensitivityResult(
        horizon_months=horizon,
        risk=score_risks(scenario, catalogue).overall,
        runway_months=base_runway,
        rows=tuple(rows),
    )
