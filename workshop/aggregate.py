"""The group view of one round: medians and spreads of the ratings and of what they imply.

A workshop is a structured group estimate (a Delphi round), so the group's *median* rating of
each factor feeds the same scoring model as a slider would, and the spread is shown beside it:
the interquartile range (IQR, the 75th minus the 25th percentile, numpy's linear
interpolation) of each factor, of each risk's score and of each radar axis. Agreement overall
is Kendall's coefficient of concordance W over the rated factors, with the correction for
tied ratings (Kendall & Babington Smith, 1939; Siegel & Castellan, *Nonparametric statistics*,
1988, §9.4):

    W = 12 S / (m² (n³ − n) − m Σ_j T_j),   S = Σ_i (R_i − R̄)²,   T_j = Σ (t³ − t) over rater j's ties

for m raters and n factors, R_i the sum of factor i's ranks. W = 1: everyone orders the factors
alike; near 0: no shared order. W needs at least two raters, two factors and some variation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from scoring import Evaluation, Scenario, evaluate, load_catalogue, parse_scenario
from scoring.catalogue import Catalogue

__all__ = ["GroupView", "Spread", "group_view", "kendalls_w", "median_scenario"]


class Spread(BaseModel):
    model_config = ConfigDict(frozen=True)

    median: float
    q1: float
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


class GroupView(BaseModel):
    """What the facilitator's screen shows for one round."""

    model_config = ConfigDict(frozen=True)

    answers: int
    factors: dict[str, Spread]  # rated factor -> its spread, in the room's order
    disagreement: tuple[str, ...]  # rated factors, widest IQR first (ties: room order)
    kendalls_w: float | None
    risk_scores: dict[str, Spread]  # risk id -> spread of its score (likelihood x impact)
    axes: dict[str, Spread]  # opportunity axis -> spread
    evaluation: Evaluation  # the model at the median ratings: heatmap, radar, runway
    scenario: Scenario  # the base scenario with the median ratings

    @property
    def mean_iqr(self) -> float:
        """The average IQR over the rated factors: the room's overall spread."""
        return float(np.mean([spread.iqr for spread in self.factors.values()])) if self.factors else 0.0


def _spread(values: np.ndarray) -> Spread:
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return Spread(median=float(median), q1=float(q1), q3=float(q3))


def _ranks(row: np.ndarray) -> tuple[np.ndarray, float]:
    """Average ranks of one rater's ratings (1 = lowest) and the tie term Σ (t³ − t)."""
    order = np.argsort(row, kind="stable")
    ranks = np.empty(len(row))
    ties = 0.0
    sorted_values = row[order]
    start = 0
    while start < len(row):
        end = start
        while end + 1 < len(row) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        size = end - start + 1
        ties += size**3 - size
        start = end + 1
    return ranks, ties


def kendalls_w(ratings: np.ndarray) -> float | None:
    """Kendall's W of an (m raters x n items) array of ratings, tie-corrected; None if undefined."""
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 2 or ratings.shape[0] < 2 or ratings.shape[1] < 2:
        return None
    m, n = ratings.shape
    ranked = [_ranks(row) for row in ratings]
    totals = np.sum([ranks for ranks, _ in ranked], axis=0)
    s = float(np.sum((totals - totals.mean()) ** 2))
    denominator = m**2 * (n**3 - n) - m * sum(ties for _, ties in ranked)
    if denominator <= 0:  # every rater rated every item alike: no order to agree on
        return None
    return 12.0 * s / denominator


def median_scenario(base: Scenario, factor_ids: Sequence[str], ratings: np.ndarray) -> Scenario:
    data = base.to_dict()
    medians = np.median(ratings, axis=0) if len(ratings) else [base.factors[f] for f in factor_ids]
    data["factors"] = {**base.factors, **{f: float(v) for f, v in zip(factor_ids, medians, strict=True)}}
    return parse_scenario(data)


def group_view(
    base: Scenario,
    factor_ids: Sequence[str],
    round_answers: Sequence[Mapping[str, float]],
    catalogue: Catalogue | None = None,
) -> GroupView:
    """The group view of one round's answers, each a mapping that rates exactly ``factor_ids``."""
    catalogue = catalogue or load_catalogue()
    ratings = np.array([[answer[f] for f in factor_ids] for answer in round_answers], dtype=float)
    ratings = ratings.reshape(len(round_answers), len(factor_ids))
    scenario = median_scenario(base, factor_ids, ratings)
    evaluation = evaluate(scenario, catalogue)
    if not len(round_answers):
        empty = Spread(median=0.0, q1=0.0, q3=0.0)
        return GroupView(
            answers=0,
            factors={},
            disagreement=(),
            kendalls_w=None,
            risk_scores={item.id: empty.model_copy(update={"median": item.score}) for item in evaluation.risk.items},
            axes={a: empty.model_copy(update={"median": v}) for a, v in evaluation.opportunity.axes.items()},
            evaluation=evaluation,
            scenario=scenario,
        )
    factors = {f: _spread(ratings[:, i]) for i, f in enumerate(factor_ids)}
    disagreement = tuple(sorted(factor_ids, key=lambda f: -factors[f].iqr))  # stable: room order on ties
    # each participant's own scenario through the model, for the spread of what the ratings imply
    data = base.to_dict()
    scores, axes = [], []
    for row in ratings:
        data["factors"] = {**base.factors, **dict(zip(factor_ids, row.tolist(), strict=True))}
        own = evaluate(parse_scenario(data), catalogue)
        scores.append([item.score for item in own.risk.items])
        axes.append(list(own.opportunity.axes.values()))
    risk_ids = [item.id for item in evaluation.risk.items]
    score_table, axis_table = np.array(scores), np.array(axes)
    return GroupView(
        answers=len(round_answers),
        factors=factors,
        disagreement=disagreement,
        kendalls_w=kendalls_w(ratings),
        risk_scores={risk_id: _spread(score_table[:, i]) for i, risk_id in enumerate(risk_ids)},
        axes={axis: _spread(axis_table[:, i]) for i, axis in enumerate(evaluation.opportunity.axes)},
        evaluation=evaluation,
        scenario=scenario,
    )
