"""Pre-money valuation heuristics for the investor view: risk-factor summation and scorecard.

Both are angel-investor rules of thumb; which of our factors feed which of their categories is
our heuristic and lives in ``data/valuation.yaml`` (printed wherever a valuation is shown).
Every category gets a favourability ``f`` in [0, 1], the weighted mean of how favourable its
inputs are (see :func:`favourability`). Then

- risk-factor summation: rating = round(4f - 2) half away from zero, in -2..+2;
  value = base + step * sum(ratings), never below zero;
- scorecard: ratio = 0.5 + f (50 %..150 % of the comparable company);
  value = base * sum(weight * ratio).

The valuation range is the lower and the higher of the two values.

Both are meant for pre-revenue companies. The result says whether this one already has
*material* revenue (thresholds in ``data/valuation.yaml``), so every view that shows the range
can say so, and whether the base is the data's USD placeholder in a scenario of another currency.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scoring.catalogue import CASH_SIGNALS, DATA_DIR, PositiveWeight, Text, _read, load_catalogue
from scoring.errors import DataError
from scoring.risk import input_pressures
from scoring.scenario import Scenario

__all__ = [
    "Category",
    "MaterialRevenue",
    "Methods",
    "RatedCategory",
    "ValuationResult",
    "favourability",
    "load_methods",
    "value_company",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Category(_Frozen):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: Text
    drivers: dict[str, PositiveWeight] = Field(min_length=1)
    weight: float | None = Field(default=None, gt=0, le=1)  # scorecard only


class MaterialRevenue(_Frozen):
    """When revenue is too large for the pre-revenue heuristics (either test suffices)."""

    cost_share: float = Field(gt=0, allow_inf_nan=False)  # month-1 revenue / month-1 costs at least this
    run_rate_share_of_base: float = Field(gt=0, allow_inf_nan=False)  # 12 x month-1 revenue / base pre-money


class Methods(_Frozen):
    schema_version: int = Field(ge=1, le=1)
    default_base_pre_money: float = Field(gt=0, allow_inf_nan=False)
    default_base_currency: str = Field(pattern=r"^[A-Z]{3}$")
    material_revenue: MaterialRevenue
    risk_factor_summation: tuple[Category, ...] = Field(min_length=12, max_length=12)
    scorecard: tuple[Category, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights(self) -> Methods:
        if any(c.weight is None for c in self.scorecard):
            raise ValueError("every scorecard category needs a weight")
        if not math.isclose(sum(c.weight for c in self.scorecard), 1.0, abs_tol=1e-9):
            raise ValueError("scorecard weights must add up to 1")
        return self


class RatedCategory(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    favourability: float  # [0, 1]
    rating: float  # summation: -2..+2 (whole); scorecard: the ratio 0.5..1.5
    contribution: float  # [currency]: step * rating, or base * weight * ratio


class ValuationResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    base_pre_money: float
    step: float
    # the base is the data's default, a placeholder in ``default_base_currency`` that this
    # scenario's currency does not share (not set, or set to exactly the default)
    base_is_placeholder: bool
    default_base_currency: str
    monthly_revenue: float  # month 1, [currency / month]
    revenue_cost_share: float | None  # month-1 revenue / month-1 costs; None without costs
    material_revenue: bool  # too much revenue for pre-revenue rules of thumb (data/valuation.yaml)
    summation: float
    summation_items: tuple[RatedCategory, ...]
    scorecard: float
    scorecard_items: tuple[RatedCategory, ...]

    @property
    def low(self) -> float:
        return min(self.summation, self.scorecard)

    @property
    def high(self) -> float:
        return max(self.summation, self.scorecard)


@functools.cache
def load_methods(data_dir: Path = DATA_DIR) -> Methods:
    """Read ``valuation.yaml`` and check every driver names a factor or a cash signal."""
    methods = _read(Path(data_dir), "valuation.yaml", Methods)
    known = set(load_catalogue().factors) | set(CASH_SIGNALS)
    for method in ("risk_factor_summation", "scorecard"):
        for position, category in enumerate(getattr(methods, method)):
            for driver in category.drivers:
                if driver not in known:
                    raise DataError("valuation.yaml", f"{method}[{position}].drivers", f"unknown input {driver!r}")
    return methods


def favourability(scenario: Scenario) -> dict[str, float]:
    """How favourable each factor and cash signal is, in [0, 1] (1 = best for the company)."""
    catalogue = load_catalogue()
    values = {key: 1.0 - pressure for key, pressure in input_pressures(scenario, catalogue).items()}
    for factor_id, factor in catalogue.factors.items():
        if factor.direction == "none":  # an opportunity factor: more is better
            values[factor_id] = scenario.factors[factor_id] / 10.0
    return values


def _mean(category: Category, inputs: dict[str, float]) -> float:
    return sum(w * inputs[i] for i, w in category.drivers.items()) / sum(category.drivers.values())


def _round_half_away(value: float) -> float:
    return math.copysign(math.floor(abs(value) + 0.5), value) + 0.0  # + 0.0: no "-0"


def value_company(scenario: Scenario, methods: Methods | None = None) -> ValuationResult:
    """Both valuations of ``scenario`` with its ``settings.valuation`` (or the data's default base)."""
    methods = methods or load_methods()
    settings = scenario.settings.valuation
    base = settings.base_pre_money if settings and settings.base_pre_money else methods.default_base_pre_money
    step = settings.step if settings else 250_000.0
    is_default = base == methods.default_base_pre_money
    finance = scenario.finance
    revenue, costs = finance.monthly_revenue, finance.monthly_costs
    share = revenue / costs if costs > 0 else None
    rule = methods.material_revenue
    material = revenue > 0 and (
        share is None or share >= rule.cost_share or 12.0 * revenue >= rule.run_rate_share_of_base * base
    )
    inputs = favourability(scenario)
    summation_items = []
    for category in methods.risk_factor_summation:
        f = _mean(category, inputs)
        rating = _round_half_away(4.0 * f - 2.0)
        summation_items.append(
            RatedCategory(id=category.id, favourability=f, rating=rating, contribution=step * rating)
        )
    scorecard_items = []
    for category in methods.scorecard:
        f = _mean(category, inputs)
        scorecard_items.append(
            RatedCategory(
                id=category.id, favourability=f, rating=0.5 + f, contribution=base * category.weight * (0.5 + f)
            )
        )
    return ValuationResult(
        base_pre_money=base,
        step=step,
        base_is_placeholder=is_default and scenario.currency != methods.default_base_currency,
        default_base_currency=methods.default_base_currency,
        monthly_revenue=revenue,
        revenue_cost_share=share,
        material_revenue=material,
        summation=max(0.0, base + sum(item.contribution for item in summation_items)),
        summation_items=tuple(summation_items),
        scorecard=sum(item.contribution for item in scorecard_items),
        scorecard_items=tuple(scorecard_items),
    )
