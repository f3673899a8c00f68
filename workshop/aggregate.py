"""The group view of one round: medians and spreads of the ratings and of what they imply.

A workshop is a structured group estimate (a Delphi round), so the group's *median* rating of
each factor feeds the same scoring model as a slider would, and the spread is shown beside it:
the interquartile range (IQR, the 75th minus the 25th percentile, numpy's linear
interpolation) of each factor, of each risk's score and of each radar axis.

**Agreement** is about levels: how close the room's ratings are to each other. Per rated
factor it is the share of the ratings within ±1 point of that factor's median (inclusive, on
the 0–10 scale), and the room's agreement is the mean of those shares over the rated factors:

    a_i = #{j : |x_ji − median_i| ≤ 1} / m,     agreement = (1/n) Σ_i a_i

for m answers and n rated factors, x_ji rater j's rating of factor i. 1 (100 %) = everyone is
within one point of the group on every factor; 0 = no one is. The tolerance of one point is
about the resolution people rate at on a 0–10 scale (the slider moves in steps of 0.5, so one
point is two steps either way): 5 and 6 are "about the same", 3 and 7 are not. A tiny margin
(1e-9) absorbs float rounding, so a rating exactly one point away always counts. Agreement
needs at least two answers (None, shown as —): one person agrees with no one, and a "100 %"
from the first phone to answer would tell the facilitator nothing.

Why not Kendall's W as "agreement": W asks whether raters *order* the factors alike, not
whether their ratings are close. A room whose ratings all lie within ±0.5 of each other but
in no common order gets W near 0, and a room split in two (half rate every factor 0–5, half
5–10, in the same order) gets W = 1. A facilitator reading W as agreement would act on the
opposite of what the room thinks. W is kept as the **shared ranking**, with the correction for
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

__all__ = [
    "TOLERANCE",
    "GroupView",
    "Spread",
    "agreement",
    "agreement_by_factor",
    "factor_medians",
    "group_view",
    "kendalls_w",
    "median_scenario",
]

TOLERANCE = 1.0  # points on the 0–10 scale: a rating this close to the median agrees with it
_ROUNDING = 1e-9  # so that a rating exactly TOLERANCE away counts despite float rounding


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
    agreement: float | None  # mean share of ratings within ±1 of the median; None below two answers
    factor_agreement: dict[str, float]  # rated factor -> its share within ±1; empty below two answers
    kendalls_w: float | None  # shown as "shared ranking", never as agreement
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


def agreement_by_factor(ratings: np.ndarray) -> np.ndarray | None:
    """Per item of an (m raters x n items) array: the share of ratings within ±1 of its median.

    None with fewer than two raters or no items.
    """
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 2 or ratings.shape[0] < 2 or ratings.shape[1] < 1:
        return None
    close = np.abs(ratings - np.median(ratings, axis=0)) <= TOLERANCE + _ROUNDING
    return close.mean(axis=0)


def agreement(ratings: np.ndarray) -> float | None:
    """The room's agreement about levels: the mean over the items of :func:`agreement_by_factor`."""
    shares = agreement_by_factor(ratings)
    return None if shares is None else float(shares.mean())


def factor_medians(answers: Sequence[Mapping[str, float]], factor_ids: Sequence[str]) -> dict[str, float]:
    """Each factor's median rating over ``answers`` (each rates every one of ``factor_ids``), in
    ``factor_ids`` order: what a participant's phone shows as the group's answer. Empty without answers."""
    if not answers:
        return {}
    ratings = np.array([[answer[f] for f in factor_ids] for answer in answers], dtype=float)
    ratings = ratings.reshape(len(answers), len(factor_ids))
    return {f: float(value) for f, value in zip(factor_ids, np.median(ratings, axis=0), strict=True)}


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
            agreement=None,
            factor_agreement={},
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
    shares = agreement_by_factor(ratings)
    score_table, axis_table = np.array(scores), np.array(axes)
    return GroupView(
        answers=len(round_answers),
        factors=factors,
        disagreement=disagreement,
        agreement=None if shares is None else float(shares.mean()),
        factor_agreement={} if shares is None else {f: float(shares[i]) for i, f in enumerate(factor_ids)},
        kendalls_w=kendalls_w(ratings),
        risk_scores={risk_id: _spread(score_table[:, i]) for i, risk_id in enumerate(risk_ids)},
        axes={axis: _spread(axis_table[:, i]) for i, axis in enumerate(evaluation.opportunity.axes)},
        evaluation=evaluation,
        scenario=scenario,
    )
