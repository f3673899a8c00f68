import pytest

from scoring import parse_scenario, score_opportunity

FINANCE = {"cash": 1, "monthly_costs": 0, "monthly_revenue": 0}


def test_neutral_scenario_is_five_on_every_axis(catalogue):
    result = score_opportunity(parse_scenario({"finance": FINANCE}), catalogue)
    assert list(result.axes) == [
        "technology", "market_space", "capital", "talent", "policy", "business_model", "data", "ecosystem", "expansion",
    ]  # fmt: skip
    assert all(value == pytest.approx(5.0) for value in result.axes.values())
    assert result.overall == pytest.approx(50.0)


def test_best_case_on_every_factor_is_ten_everywhere(catalogue):
    best = {fid: (0 if factor.direction == "+" else 10) for fid, factor in catalogue.factors.items()}
    result = score_opportunity(parse_scenario({"factors": best, "finance": FINANCE}), catalogue)
    assert all(value == pytest.approx(10.0) for value in result.axes.values())
    assert result.overall == pytest.approx(100.0)


def test_expansion_axis_by_hand(catalogue):
    # expansion = 10 * (3 * global_reach/10 + 1 * market_size/10 + 1 * (1 - cross_border/10)) / 5
    factors = {"opportunity.global_reach": 8, "opportunity.market_size": 6, "legal.cross_border": 9}
    result = score_opportunity(parse_scenario({"factors": factors, "finance": FINANCE}), catalogue)
    assert result.axes["expansion"] == pytest.approx(10 * (3 * 0.8 + 0.6 + 0.1) / 5)
