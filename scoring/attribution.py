"""What changed and why: a headline's change split exactly among the inputs that changed.

Two scenarios differ in a few inputs (the flat keys of :mod:`scoring.links`: factor ids, cash
plan fields, the funding rounds as one key, settings). :func:`attribute` splits the change of
overall risk (or overall opportunity), ``v(after) - v(before)``, into one part per changed input
by their **Shapley values**: each input's marginal effect ``v(S + i) - v(S)`` averaged over
every order in which the inputs could have changed, where ``v(S)`` scores the baseline with the
inputs in ``S`` taken from the new scenario::

    phi_i = sum over S not holding i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))

The parts add up to the whole change (efficiency), inputs that play the same role get equal
parts (symmetry), and an input that moves nothing gets exactly 0 (null player). Up to
:data:`EXACT_MAX_INPUTS` inputs the sum runs over all 2**n coalitions; with more it is the mean
over :data:`PERMUTATIONS` seeded orders (half of them reversed). Each order's marginal
effects telescope to the whole change, so the mean adds up to it exactly too; each part is then
an estimate (between two presets that differ in 16 inputs, within 0.25 points of a 4,096-order
reference on average, 0.4 at worst, over eight seeds).

Risk depends on the factors and, through the cash signals, on the six cash-plan inputs of
:data:`RISK_FINANCE_KEYS`; the horizon, the uncertainty, the settings, the name and the
currency never move it, so they get 0 without being evaluated. Opportunity depends on the
factors only. Coalitions are scored in one batch by a vectorised copy of
:func:`scoring.risk.score_risks`'s arithmetic over the pressures of
:func:`scoring.risk.input_pressures` (a factor's pressure depends on that factor alone, the cash
signals on the cash plan alone, so a coalition's pressures are the baseline's with some columns
taken from the new scenario); tests/test_attribution.py checks it against ``score_risks``.

Example — a single change gets the whole change:

>>> from scoring import load_catalogue, parse_scenario
>>> before = parse_scenario({"finance": {"cash": 1e6, "monthly_costs": 5e4, "monthly_revenue": 0}})
>>> after = before.model_copy(update={"factors": {**before.factors, "market.demand": 9.0}})
>>> result = attribute(before, after, load_catalogue())
>>> [share.input for share in result.shares], result.shares[0].share == result.change
(['market.demand'], True)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue
from scoring.links import flatten
from scoring.risk import SCORE_MAX, SCORE_MIN, RiskReport, input_pressures
from scoring.scenario import Scenario

__all__ = [
    "EXACT_MAX_INPUTS",
    "PERMUTATIONS",
    "RISK_FINANCE_KEYS",
    "Attribution",
    "InputShare",
    "RiskMove",
    "apportion",
    "attribute",
    "changed_inputs",
    "risk_moves",
    "shapley",
]

EXACT_MAX_INPUTS = 10  # 2**10 coalitions in one batch: a few milliseconds
PERMUTATIONS = 64  # orders sampled beyond that (32 and their reverses)
SEED = 20261130
# Flat keys that name Finance fields alike: the inputs of input_pressures' cash signals (the runway
# within the comfort window with and without the rounds, and month 1's burn share). The horizon is
# not one: the signals look at the comfort window, whatever the plan's horizon.
RISK_FINANCE_KEYS = ("cash", "monthly_costs", "monthly_revenue", "cost_growth", "revenue_growth", "funding")

Metric = Literal["risk", "opportunity"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class InputShare(_Result):
    input: str  # flat key: a factor id or a scenario field (scoring.links)
    before: str  # its value in the baseline, as a link writes it
    after: str
    share: float  # points of the headline (0–100) this input moved it by


class Attribution(_Result):
    metric: Metric
    before: float  # the headline of the baseline [0, 100]
    after: float  # the headline of the new scenario [0, 100]
    shares: tuple[InputShare, ...]  # every changed input, the largest share (in size) first
    method: Literal["exact", "sampled"]
    permutations: int  # orders averaged when sampled; 0 when exact

    @property
    def change(self) -> float:
        return self.after - self.before

    def rounded(self, decimals: int = 1, total: float | None = None) -> tuple[float, ...]:
        """The shares rounded so that they add up to the rounded change (or ``total``) exactly."""
        return apportion([share.share for share in self.shares], self.change if total is None else total, decimals)


class RiskMove(_Result):
    id: str
    before: float  # score [1, 25]
    after: float
    band_before: str
    band_after: str

    @property
    def change(self) -> float:
        return self.after - self.before


def apportion(parts: Sequence[float], total: float, decimals: int = 1) -> tuple[float, ...]:
    """``parts`` rounded to ``decimals`` so that they add up to ``total`` rounded the same way.

    Largest remainders: every part is rounded down, and the units still missing go to the parts
    that lost the most. A part of exactly 0 stays 0 (its remainder is the smallest).
    """
    if not parts:
        return ()
    scale = 10**decimals
    target = round(float(f"{total:.{decimals}f}") * scale)  # the total as a page prints it
    floors = [math.floor(part * scale) for part in parts]
    missing = target - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: -(parts[i] * scale - floors[i]))
    if missing < 0:  # only when the parts do not add up to the total (a caller's own total)
        order = sorted(range(len(parts)), key=lambda i: parts[i] * scale - floors[i])
    units = list(floors)
    for step in range(abs(missing)):
        units[order[step % len(parts)]] += 1 if missing > 0 else -1
    return tuple(unit / scale for unit in units)


def changed_inputs(before: Scenario, after: Scenario) -> tuple[str, ...]:
    """The flat keys whose values differ between the two scenarios, factors first."""
    old, new = flatten(before), flatten(after)
    return tuple(key for key in new if old[key] != new[key])


def shapley(players: int, value: Callable[[np.ndarray], np.ndarray], *, seed: int = SEED) -> tuple[np.ndarray, int]:
    """Shapley values of ``players`` players and the number of orders sampled (0 = exact).

    ``value`` scores a batch of coalitions: a boolean array (rows x players) -> one value a row.
    """
    n = players
    if n == 0:
        return np.zeros(0), 0
    if n <= EXACT_MAX_INPUTS:
        codes = np.arange(2**n)
        masks = (codes[:, None] >> np.arange(n)) & 1 == 1
        values = value(masks)
        sizes = masks.sum(axis=1)
        weights = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)])
        phi = np.zeros(n)
        for i in range(n):
            without = codes[~masks[:, i]]
            phi[i] = np.sum(weights[sizes[without]] * (values[without | (1 << i)] - values[without]))
        return phi, 0
    rng = np.random.default_rng(seed)
    half = [rng.permutation(n) for _ in range(PERMUTATIONS // 2)]
    orders = np.array(half + [order[::-1] for order in half])
    ranks = np.argsort(orders, axis=1)  # ranks[p, i]: the step at which order p brings player i in
    steps = np.arange(n + 1)
    masks = (ranks[:, None, :] < steps[None, :, None]).reshape(-1, n)  # order p, first k players in
    values = value(masks).reshape(len(orders), n + 1)
    marginal = np.diff(values, axis=1)  # marginal[p, k]: what the (k+1)-th player of order p adds
    phi = np.take_along_axis(marginal, ranks, axis=1).mean(axis=0)
    return phi, len(orders)


# --- the scores of a batch of coalitions -----------------------------------------------------------


class _RiskModel:
    """score_risks' arithmetic as arrays: pressures (rows x inputs) -> overall risk a row."""

    def __init__(self, catalogue: Catalogue, inputs: Sequence[str]):
        column = {input_id: index for index, input_id in enumerate(inputs)}
        risks = list(catalogue.risks.values())
        self.index = {risk.id: row for row, risk in enumerate(risks)}
        self.exponent = catalogue.aggregation.dimension_exponent
        self.power = catalogue.aggregation.power
        self.weights = np.array([risk.weight for risk in risks])
        self.dimensions = []
        for name in ("likelihood", "impact"):
            specs = [getattr(risk, name) for risk in risks]
            matrix = np.zeros((len(risks), len(inputs)))
            for row, spec in enumerate(specs):
                for input_id, weight in spec.drivers.items():
                    matrix[row, column[input_id]] = weight
            prior = np.array([spec.prior_weight * (spec.prior - 1.0) / 4.0 for spec in specs])
            total = np.array([spec.prior_weight + sum(spec.drivers.values()) for spec in specs])
            self.dimensions.append((matrix, prior, total))
        self.interactions = [
            (self.index[row.source], self.index[row.target], row.strength) for row in catalogue.interactions
        ]

    def overall(self, pressures: np.ndarray) -> np.ndarray:
        likelihood, impact = (
            1.0 + 4.0 * ((prior + pressures @ matrix.T) / total) ** self.exponent
            for matrix, prior, total in self.dimensions
        )
        base = likelihood * impact
        kept = np.ones_like(base)
        for source, target, strength in self.interactions:
            kept[:, target] *= 1.0 - strength * (base[:, source] - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)
        score = (likelihood + (5.0 - likelihood) * (1.0 - kept)) * impact
        mean = ((score**self.power) @ self.weights / self.weights.sum()) ** (1.0 / self.power)
        return 100.0 * (mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


_MODELS: dict[tuple[int, tuple[str, ...]], tuple[Catalogue, _RiskModel]] = {}


def _risk_model(catalogue: Catalogue, inputs: tuple[str, ...]) -> _RiskModel:
    """The arrays of a catalogue, built once (the catalogue is kept so that its id stays its own)."""
    key = (id(catalogue), inputs)
    if key not in _MODELS:
        if len(_MODELS) >= 4:
            _MODELS.clear()
        _MODELS[key] = (catalogue, _RiskModel(catalogue, inputs))
    return _MODELS[key][1]


def _opportunity_weights(catalogue: Catalogue) -> dict[str, float]:
    """Overall opportunity = sum(weight_f * favourability_f): the mean of the axes, each a weighted mean."""
    weights: dict[str, float] = {}
    for axis in catalogue.axes.values():
        total = sum(axis.drivers.values())
        for factor_id, weight in axis.drivers.items():
            weights[factor_id] = weights.get(factor_id, 0.0) + 100.0 * weight / total / len(catalogue.axes)
    return weights


def _favourability(scenario: Scenario, catalogue: Catalogue, factor_id: str) -> float:
    value = scenario.factors[factor_id] / 10.0
    return 1.0 - value if catalogue.factors[factor_id].direction == "+" else value


def _risk_value(before: Scenario, after: Scenario, players: Sequence[str], catalogue: Catalogue):
    old, new = input_pressures(before, catalogue), input_pressures(after, catalogue)
    inputs = tuple(old)
    model = _risk_model(catalogue, inputs)
    column = {input_id: index for index, input_id in enumerate(inputs)}
    factor_players = [(j, column[key]) for j, key in enumerate(players) if key in catalogue.factors]
    finance_players = [(j, key) for j, key in enumerate(players) if key in RISK_FINANCE_KEYS]
    cash_columns = [index for input_id, index in column.items() if input_id.startswith("cash.")]

    @functools.cache
    def cash_pressures(subset: int) -> np.ndarray:
        update = {key: getattr(after.finance, key) for b, (_, key) in enumerate(finance_players) if subset >> b & 1}
        mixed = before.model_copy(update={"finance": before.finance.model_copy(update=update)})
        pressures = input_pressures(mixed, catalogue)
        return np.array([pressures[inputs[index]] for index in cash_columns])

    base_row = np.array([old[input_id] for input_id in inputs])
    new_row = np.array([new[input_id] for input_id in inputs])

    def value(masks: np.ndarray) -> np.ndarray:
        pressures = np.repeat(base_row[None, :], len(masks), axis=0)
        for j, index in factor_players:
            pressures[masks[:, j], index] = new_row[index]
        if finance_players:
            subsets = np.zeros(len(masks), dtype=int)
            for b, (j, _) in enumerate(finance_players):
                subsets |= masks[:, j].astype(int) << b
            for subset in np.unique(subsets):
                pressures[np.ix_(subsets == subset, cash_columns)] = cash_pressures(int(subset))
        return model.overall(pressures)

    return value


def _opportunity_value(before: Scenario, after: Scenario, players: Sequence[str], catalogue: Catalogue):
    weights = _opportunity_weights(catalogue)
    base = sum(weight * _favourability(before, catalogue, factor_id) for factor_id, weight in weights.items())
    steps = np.array(
        [
            weights.get(key, 0.0) * (_favourability(after, catalogue, key) - _favourability(before, catalogue, key))
            for key in players
        ]
    )

    def value(masks: np.ndarray) -> np.ndarray:
        return base + masks @ steps

    return value


def attribute(before: Scenario, after: Scenario, catalogue: Catalogue, metric: Metric = "risk") -> Attribution:
    """Split the change of overall risk (or opportunity) from ``before`` to ``after`` among the changed inputs."""
    old, new = flatten(before), flatten(after)
    changed = [key for key in new if old[key] != new[key]]
    if metric == "risk":
        signed = {factor_id for factor_id, factor in catalogue.factors.items() if factor.direction != "none"}
        players = [key for key in changed if key in signed or key in RISK_FINANCE_KEYS]
        value = _risk_value(before, after, players, catalogue)
    else:
        weights = _opportunity_weights(catalogue)
        players = [key for key in changed if key in weights]
        value = _opportunity_value(before, after, players, catalogue)
    ends = value(np.array([[False] * len(players), [True] * len(players)]).reshape(2, len(players)))
    phi, orders = shapley(len(players), value)
    part = dict(zip(players, phi.tolist(), strict=True))
    shares = [InputShare(input=key, before=old[key], after=new[key], share=part.get(key, 0.0)) for key in changed]
    shares.sort(key=lambda share: -abs(share.share))
    return Attribution(
        metric=metric,
        before=float(ends[0]),
        after=float(ends[1]),
        shares=tuple(shares),
        method="sampled" if orders else "exact",
        permutations=orders,
    )


def risk_moves(before: RiskReport, after: RiskReport, count: int = 5) -> tuple[RiskMove, ...]:
    """The risks whose scores moved most (in size), ties in register order; unmoved risks left out."""
    old = {item.id: item for item in before.items}
    moves = [
        RiskMove(
            id=item.id, before=old[item.id].score, after=item.score, band_before=old[item.id].band, band_after=item.band
        )
        for item in after.items
        if item.score != old[item.id].score
    ]
    return tuple(sorted(moves, key=lambda move: -abs(move.change))[:count])
