"""The group view against values worked out by hand: medians, IQRs, Kendall's W."""

import numpy as np
import pytest

from scoring import evaluate, load_preset
from workshop.aggregate import group_view, kendalls_w

BASE = load_preset("neutral_template")
FACTORS = ["market.demand", "market.competition", "talent.team_strength"]


def answers(*rows):
    return [dict(zip(FACTORS, row, strict=True)) for row in rows]


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
    split = group_view(BASE, FACTORS, answers((0, 10, 0), (10, 0, 10), (0, 10, 0), (10, 0, 10)))
    assert max(spread.iqr for spread in split.risk_scores.values()) > 1.0
    assert split.kendalls_w == pytest.approx(0.0)


def test_no_answers_yet_shows_the_base():
    view = group_view(BASE, FACTORS, [])
    assert view.answers == 0 and view.kendalls_w is None and view.factors == {}
    assert view.evaluation == evaluate(BASE)
