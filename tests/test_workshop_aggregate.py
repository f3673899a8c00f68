"""The group view against values worked out by hand: medians, IQRs, agreement, Kendall's W (shared ranking)."""

import numpy as np
import pytest

from scoring import evaluate, load_preset
from tests.helpers import FACTORS
from workshop.aggregate import agreement, agreement_by_factor, factor_medians, group_view, kendalls_w

BASE = load_preset("neutral_template")


def answers(*rows):
    return [dict(zip(FACTORS, row, strict=True)) for row in rows]


def test_factor_medians_by_hand():
    """What a phone shows as the group's answer: per factor the median (the mean of the middle
    two for an even count), in the room's order; nothing before anyone answered."""
    medians = factor_medians(answers((2, 9, 4), (6, 1, 4.5), (3, 5, 10)), FACTORS)
    assert list(medians.items()) == [("market.demand", 3.0), ("market.competition", 5.0), ("talent.team_strength", 4.5)]
    assert factor_medians(answers((2, 9, 4), (7, 1, 5)), FACTORS) == dict(zip(FACTORS, (4.5, 5.0, 4.5), strict=True))
    assert factor_medians(answers((2, 9, 4)), FACTORS[:1]) == {"market.demand": 2.0}  # only the factors asked for
    assert factor_medians([], FACTORS) == {}
    assert all(type(value) is float for value in medians.values())


def test_kendalls_w_by_hand():
    """Three raters, three items, ranks (1,2,3), (1,3,2), (2,1,3): rank sums 4, 6, 8, mean 6,
    S = 4 + 0 + 4 = 8; W = 12 * 8 / (3² * (3³ - 3)) = 96 / 216 = 0.4444."""
    assert kendalls_w(np.array([[1, 2, 3], [1, 3, 2], [2, 1, 3]])) == pytest.approx(96 / 216)
    assert kendalls_w(np.array([[2, 5, 9], [1, 4, 10]])) == pytest.approx(1.0)  # same order
    assert kendalls_w(np.array([[1, 2], [2, 1]])) == pytest.approx(0.0)  # opposite orders


def test_kendalls_w_corrects_for_ties_by_hand():
    """Raters (5, 5, 9) and (1, 2, 3): ranks (1.5, 1.5, 3) and (1, 2, 3); sums 2.5, 3.5, 6,
    mean 4, S = 2.25 + 0.25 + 4 = 6.5. The first rater's tie of two adds 2³ - 2 = 6:
    W = 12 * 6.5 / (4 * 24 - 2 * 6) = 78 / 84 = 0.92857."""
    assert kendalls_w(np.array([[5, 5, 9], [1, 2, 3]])) == pytest.approx(78 / 84)


def test_kendalls_w_is_undefined_without_an_order():
    assert kendalls_w(np.array([[5, 5, 5], [7, 7, 7]])) is None  # everyone rated all alike
    assert kendalls_w(np.array([[1, 2, 3]])) is None  # one rater
    assert kendalls_w(np.empty((0, 3))) is None


def test_medians_and_spreads_by_hand():
    """Demand 2, 4, 6, 8: median 5, quartiles 3.5 and 6.5 (linear), IQR 3. Competition all 5: IQR 0.
    Team 0, 0, 10, 10: median 5, quartiles 0 and 10, IQR 10 -> discussed first."""
    view = group_view(BASE, FACTORS, answers((2, 5, 0), (4, 5, 0), (6, 5, 10), (8, 5, 10)))
    demand = view.factors["market.demand"]
    assert (demand.median, demand.q1, demand.q3, demand.iqr) == (5.0, 3.5, 6.5, 3.0)
    assert view.factors["market.competition"].iqr == 0.0
    assert view.disagreement == ("talent.team_strength", "market.demand", "market.competition")
    assert view.mean_iqr == pytest.approx((3 + 0 + 10) / 3)
    # the model runs at the medians: here every median is 5, so the template itself
    assert view.evaluation == evaluate(BASE)
    assert view.answers == 4


def test_risk_spread_comes_from_each_members_own_scenario():
    unanimous = group_view(BASE, FACTORS, answers((8, 2, 7), (8, 2, 7), (8, 2, 7)))
    assert all(spread.iqr == 0.0 for spread in unanimous.risk_scores.values())
    assert unanimous.kendalls_w == pytest.approx(1.0)
    assert unanimous.agreement == 1.0
    split = group_view(BASE, FACTORS, answers((0, 10, 0), (10, 0, 10), (0, 10, 0), (10, 0, 10)))
    assert max(spread.iqr for spread in split.risk_scores.values()) > 1.0
    assert split.kendalls_w == pytest.approx(0.0)
    assert split.agreement == 0.0  # medians 5: every rating 5 away


def test_no_answers_yet_shows_the_base():
    view = group_view(BASE, FACTORS, [])
    assert view.answers == 0 and view.kendalls_w is None and view.factors == {}
    assert view.evaluation == evaluate(BASE)


def test_agreement_by_hand():
    """Ratings 2, 4, 5, 6, 9: median 5, within 4 … 6 are 4, 5 and 6 -> 3/5 = 0.6.
    Ratings 5, 5, 5, 5, 5: all five -> 1.0. The room: (0.6 + 1.0) / 2 = 0.8."""
    ratings = np.array([[2, 5], [4, 5], [5, 5], [6, 5], [9, 5]])
    assert agreement_by_factor(ratings) == pytest.approx([0.6, 1.0])
    assert agreement(ratings) == pytest.approx(0.8)


def test_agreement_counts_exactly_one_point_away():
    """4, 5, 6: median 5, 4 and 6 are exactly 1 away and count -> 1.0. 3.5, 5, 6.5: only 5 -> 1/3.
    2, 4, 6, 8: median (4 + 6) / 2 = 5, 4 and 6 count -> 2/4. 1.14, 1.14, 2.14: 2.14 - 1.14 is
    1.0000000000000002 in floating point, still exactly one point -> 1.0."""
    assert agreement(np.array([[4], [5], [6]])) == pytest.approx(1.0)
    assert agreement(np.array([[3.5], [5], [6.5]])) == pytest.approx(1 / 3)
    assert agreement(np.array([[2], [4], [6], [8]])) == pytest.approx(0.5)
    assert agreement(np.array([[1.14], [1.14], [2.14]])) == pytest.approx(1.0)
    assert agreement(np.array([[3.9], [5], [6.1]])) == pytest.approx(1 / 3)  # just beyond: no


def test_a_near_unanimous_room_agrees_though_it_shares_no_ranking():
    """Six raters, all within ±0.5 of 5 on three factors, each rater in a different cyclic order:
    (4.5, 5, 5.5), (5, 5.5, 4.5), (5.5, 4.5, 5), then the same with 4.6 and 5.4. Every factor's
    median is 5 and every rating within 0.5 of it -> agreement 1.0. Each factor gets ranks 1, 2, 3
    twice, so every rank sum is 12, S = 0 and W = 0: no shared order at all."""
    room = answers((4.5, 5, 5.5), (5, 5.5, 4.5), (5.5, 4.5, 5), (4.6, 5, 5.4), (5, 5.4, 4.6), (5.4, 4.6, 5))
    view = group_view(BASE, FACTORS, room)
    assert view.agreement == pytest.approx(1.0)
    assert view.factor_agreement == pytest.approx(dict.fromkeys(FACTORS, 1.0))
    assert view.kendalls_w == pytest.approx(0.0)


def test_a_split_room_disagrees_though_it_ranks_alike():
    """Half the room rates 1, 2, 3 and half 7, 8, 9: the same order for all -> W = 1. The medians
    are (1 + 7) / 2 = 4, (2 + 8) / 2 = 5 and (3 + 9) / 2 = 6, each 3 points from every rating:
    no rating within ±1 of its median -> agreement 0."""
    view = group_view(BASE, FACTORS, answers((1, 2, 3), (1, 2, 3), (7, 8, 9), (7, 8, 9)))
    assert view.kendalls_w == pytest.approx(1.0)
    assert view.agreement == pytest.approx(0.0)
    assert [view.factors[f].median for f in FACTORS] == [4.0, 5.0, 6.0]


def test_agreement_needs_two_answers():
    """One answer agrees with no one: None (shown as —), as W."""
    assert agreement(np.array([[1.0, 9.0]])) is None
    assert agreement(np.empty((0, 2))) is None
    one = group_view(BASE, FACTORS, answers((2, 5, 8)))
    assert one.agreement is None and one.factor_agreement == {} and one.kendalls_w is None
    none = group_view(BASE, FACTORS, [])
    assert none.agreement is None and none.factor_agreement == {}
