"""Sensitivity rows against runways worked out by hand (docs/model.md, "Sensitivity swing")."""

import pytest

from scoring import load_catalogue, parse_scenario
from scoring.sensitivity import CASH_INPUTS, sensitivity


def plan(**finance):
    return parse_scenario({"finance": {"monthly_revenue": 0, **finance}})


def rows_by_input(result):
    return {row.input: row for row in result.rows}


def test_cash_inputs_move_runway_by_hand():
    """600k at a flat 50k: 12 months. Cash -20/+20 %: 480k/50k = 9.6, 720k/50k = 14.4;
    costs -20/+20 %: 600k/40k = 15, 600k/60k = 10. Swing = runway change / 36."""
    rows = rows_by_input(sensitivity(plan(cash=600_000, monthly_costs=50_000, horizon_months=36)))
    cash, costs = rows["cash"], rows["monthly_costs"]
    assert (cash.low, cash.high) == pytest.approx((480_000, 720_000))
    assert (cash.runway_low, cash.runway_high) == pytest.approx((9.6, 14.4))
    assert (costs.runway_low, costs.runway_high) == pytest.approx((15.0, 10.0))
    assert cash.swing >= 4.8 / 36 - 1e-12
    assert costs.swing >= 5.0 / 36 - 1e-12
    assert rows["funding"].swing == 0.0  # no rounds planned
    assert rows["revenue_growth"].swing == 0.0  # 0 +- 20 % is still 0


def test_a_runway_that_lasts_counts_as_the_horizon():
    """1.2M at 50k lasts 24 months = the whole horizon; at -20 % cash it lasts 19.2 months."""
    row = rows_by_input(sensitivity(plan(cash=1_200_000, monthly_costs=50_000, horizon_months=20)))["cash"]
    assert row.runway_high is None
    assert row.runway_low == pytest.approx(19.2)
    assert row.swing >= (20 - 19.2) / 20 - 1e-12


def test_factor_rows_follow_the_factor_direction_and_leave_runway_alone():
    catalogue = load_catalogue()
    result = sensitivity(plan(cash=600_000, monthly_costs=50_000), catalogue)
    rows = rows_by_input(result)
    assert set(rows) == set(catalogue.factors) | set(CASH_INPUTS)
    for factor_id, factor in catalogue.factors.items():
        row = rows[factor_id]
        assert (row.low, row.high) == (0.0, 10.0)
        assert row.runway_low == row.runway_high == result.runway_months == 12.0
        if factor.direction == "+":
            assert row.risk_high > row.risk_low
        elif factor.direction == "-":
            assert row.risk_high < row.risk_low
        else:
            assert row.swing == 0.0
        assert row.swing == pytest.approx(abs(row.risk_high - row.risk_low) / 100)
    swings = [row.swing for row in result.rows]
    assert swings == sorted(swings, reverse=True)
