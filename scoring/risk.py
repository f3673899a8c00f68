"""Risk scoring: likelihood and impact in [1, 5] per risk, amplification, bands, overall 0–100.

Each of a risk's two dimensions maps the weighted mean *share* of its drivers' pressures onto
[1, 5] through a convex curve (data/model.yaml, ``aggregation.dimension_exponent`` = gamma)::

    x     = (w0 * (prior - 1) / 4 + sum(w_i * p_i)) / (w0 + sum(w_i))      in [0, 1]
    value = 1 + 4 * x ** gamma

A factor's pressure is ``v / 10`` for a "+" factor and ``1 - v / 10`` for a "-" factor
(v in [0, 10]). Cash-plan signals are pressures in [0, 1] too:

- ``cash.runway``: ``1 - (min(runway, C) / C) ** 2`` with the planned funding, each round counted at
  its expected value (amount x probability), C = the comfort runway of data/model.yaml
  (24 months); a runway beyond C, or none, gives 0.
- ``cash.self_funded_runway``: the same without any planned funding round.
- ``cash.burn_share``: month-1 net burn / month-1 costs, clipped to [0, 1] (0 when profitable).

Amplification (source survey 2.1.2) raises a target's likelihood from its sources' *base* scores,
applied once::

    L' = 5 - (5 - L) * prod_k(1 - s_k * (score_k - 1) / 24),   0 < s_k <= 0.9

Score = L' x I in [1, 25]; band from data/model.yaml. Overall risk (and each category's) is
the weighted power mean of the scores rescaled to [0, 100]::

    overall = 100 * (M - 1) / 24,   M = (sum(w_j * score_j ** p) / sum(w_j)) ** (1 / p)

so one critical risk shows in the headline instead of vanishing in a mean of 27. Every step
is a weighted mean, a rising curve, a product of non-decreasing terms or a power mean with
positive weights, so a "+" factor never lowers any score, a "-" factor never raises one, and
overall risk moves strictly with every factor (each drives at least one risk; the loader
checks it).

Example — one critical risk among otherwise equal ones lifts the headline:

>>> round(overall_from_scores([8.0] * 27, [1.0] * 27, power=4), 1)
29.2
>>> round(overall_from_scores([20.0] + [8.0] * 26, [1.0] * 27, power=4), 1)
37.4
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue, DriverSet
from scoring.runway import runway_within
from scoring.scenario import Scenario

__all__ = [
    "AmplifiedBy",
    "Driver",
    "RiskItem",
    "RiskReport",
    "band_grid",
    "input_pressures",
    "overall_from_scores",
    "score_risks",
]

SCORE_MIN, SCORE_MAX = 1.0, 25.0


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Driver(_Result):
    """One input's share in a risk's likelihood or impact."""

    input: str  # factor id or cash signal
    dimension: Literal["likelihood", "impact"]
    weight: float
    pressure: float  # [0, 1]
    contribution: float  # points it adds on the 1–5 scale


class AmplifiedBy(_Result):
    id: str  # the source risk
    strength: float
    source_score: float  # the source's score before amplification
    uplift: float  # likelihood points this source alone adds


class RiskItem(_Result):
    id: str
    category: str
    likelihood: float  # [1, 5], after amplification
    impact: float  # [1, 5]
    score: float  # likelihood x impact, [1, 25]
    band: str
    likelihood_base: float  # before amplification
    drivers: tuple[Driver, ...]  # both dimensions, largest contribution first (an input may appear twice)
    likelihood_drivers: tuple[Driver, ...]  # what drives the likelihood, each input once, largest first
    impact_drivers: tuple[Driver, ...]  # what drives the impact, each input once, largest first
    amplified_by: tuple[AmplifiedBy, ...]
    mitigations: tuple[str, ...]


class RiskReport(_Result):
    overall: float  # [0, 100]
    band_counts: dict[str, int]  # band id -> how many risks are in it, every band listed (low first)
    by_category: dict[str, float]  # category id -> [0, 100]
    items: tuple[RiskItem, ...]  # register order

    def top(self, count: int = 5) -> tuple[RiskItem, ...]:
        """The highest-scoring risks, ties broken by register order."""
        return tuple(sorted(self.items, key=lambda item: -item.score)[:count])

    def item(self, risk_id: str) -> RiskItem:
        return next(item for item in self.items if item.id == risk_id)


def band_grid(catalogue: Catalogue) -> tuple[tuple[str, ...], ...]:
    """The band of every whole cell of the 5 x 5 matrix: ``grid[impact - 1][likelihood - 1]``."""
    return tuple(tuple(catalogue.band_for(likelihood * impact) for likelihood in range(1, 6)) for impact in range(1, 6))


def _signal_runway_pressure(runway: float | None, comfort: float) -> float:
    """1 - (runway / comfort)^2: a runway shorter than a raise takes (6 of 24 months) is a crisis
    (0.94), 12 months is serious (0.75), 18 months moderate (0.44), the comfort runway none."""
    if runway is None:
        return 0.0
    return 1.0 - (min(runway, comfort) / comfort) ** 2


def input_pressures(scenario: Scenario, catalogue: Catalogue) -> dict[str, float]:
    """The pressure in [0, 1] of every signed factor and cash signal."""
    pressures = {}
    for factor_id, factor in catalogue.factors.items():
        value = scenario.factors[factor_id] / 10.0
        if factor.direction == "+":
            pressures[factor_id] = value
        elif factor.direction == "-":
            pressures[factor_id] = 1.0 - value
    finance = scenario.finance
    comfort = catalogue.runway_comfort_months
    window = math.ceil(comfort)
    pressures["cash.runway"] = _signal_runway_pressure(runway_within(finance, window), comfort)
    pressures["cash.self_funded_runway"] = _signal_runway_pressure(
        runway_within(finance, window, with_funding=False), comfort
    )
    costs = finance.monthly_costs
    burn = (costs - finance.monthly_revenue) / costs if costs > 0 else 0.0
    pressures["cash.burn_share"] = min(max(burn, 0.0), 1.0)
    return pressures


def _dimension(
    spec: DriverSet, name: Literal["likelihood", "impact"], pressures: dict[str, float], exponent: float
) -> tuple[float, list[Driver]]:
    total_weight = spec.prior_weight + sum(spec.drivers.values())
    prior_share = spec.prior_weight * (spec.prior - 1.0) / 4.0
    shares = {input_id: weight * pressures[input_id] for input_id, weight in spec.drivers.items()}
    share = (prior_share + sum(shares.values())) / total_weight
    value = 1.0 + 4.0 * share**exponent
    # each driver's contribution: its part of the share, times the curve's rise over the share
    points_per_share = (value - 1.0) / share if share > 0 else 0.0
    drivers = [
        Driver(
            input=input_id,
            dimension=name,
            weight=spec.drivers[input_id],
            pressure=pressures[input_id],
            contribution=points_per_share * part / total_weight,
        )
        for input_id, part in shares.items()
    ]
    return value, drivers


def _largest_first(drivers: list[Driver]) -> tuple[Driver, ...]:
    return tuple(sorted(drivers, key=lambda d: -d.contribution))


def overall_from_scores(scores: list[float], weights: list[float], power: float) -> float:
    """The weighted power mean of risk scores [1, 25], rescaled to [0, 100]."""
    mean = (sum(w * s**power for w, s in zip(weights, scores, strict=True)) / sum(weights)) ** (1.0 / power)
    return 100.0 * (mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


def score_risks(scenario: Scenario, catalogue: Catalogue) -> RiskReport:
    """Score every risk of the register for one scenario."""
    pressures = input_pressures(scenario, catalogue)
    exponent = catalogue.aggregation.dimension_exponent
    base = {}
    for risk_id, risk in catalogue.risks.items():
        likelihood, l_drivers = _dimension(risk.likelihood, "likelihood", pressures, exponent)
        impact, i_drivers = _dimension(risk.impact, "impact", pressures, exponent)
        base[risk_id] = (likelihood, impact, l_drivers, i_drivers)

    sources: dict[str, list] = {}
    for row in catalogue.interactions:
        source_likelihood, source_impact, _, _ = base[row.source]
        sources.setdefault(row.target, []).append((row, source_likelihood * source_impact))

    items = []
    for risk_id, risk in catalogue.risks.items():
        likelihood, impact, l_drivers, i_drivers = base[risk_id]
        headroom = 5.0 - likelihood
        kept = 1.0  # share of the headroom left after every source
        amplified_by = []
        for row, source_score in sources.get(risk_id, []):
            factor = 1.0 - row.strength * (source_score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)
            amplified_by.append(
                AmplifiedBy(
                    id=row.source, strength=row.strength, source_score=source_score, uplift=headroom * (1 - factor)
                )
            )
            kept *= factor
        # L + (5 - L)(1 - prod) == 5 - (5 - L) prod, written so that no source leaves L exact
        amplified = likelihood + headroom * (1.0 - kept)
        score = amplified * impact
        items.append(
            RiskItem(
                id=risk_id,
                category=risk.category,
                likelihood=amplified,
                impact=impact,
                score=score,
                band=catalogue.band_for(score),
                likelihood_base=likelihood,
                drivers=_largest_first(l_drivers + i_drivers),
                likelihood_drivers=_largest_first(l_drivers),
                impact_drivers=_largest_first(i_drivers),
                amplified_by=tuple(amplified_by),
                mitigations=tuple(risk.mitigations),
            )
        )

    def weighted_mean(selected: list[RiskItem]) -> float:
        weights = [catalogue.risks[item.id].weight for item in selected]
        return overall_from_scores([item.score for item in selected], weights, catalogue.aggregation.power)

    by_category = {
        category: weighted_mean([item for item in items if item.category == category])
        for category in catalogue.categories
        if any(item.category == category for item in items)
    }
    band_counts = {band.id: sum(item.band == band.id for item in items) for band in catalogue.bands}
    return RiskReport(
        overall=weighted_mean(items), band_counts=band_counts, by_category=by_category, items=tuple(items)
    )
