"""Sensitivity rows against runways worked out by hand (docs/model.md, "Sensitivity swing")."""

import pytest

from scoring import score_risks
from scoring.sensitivity import CASH_INPUTS, sensitivity
from tests.helpers import cash_plan


def rows_by_input(result):
    return {row.input: row for row in result.rows}


def test_cash_inputs_move_runway_by_hand():
    """600k at a flat 50k lasts 12 months of a 24-month horizon.

    cash -20 % / +20 %:  480k / 50k = 9.6 and 720k / 50k = 14.4 months -> runway swing 4.8 / 24 = 0.2
    costs -20 % / +20 %: 600k / 40k = 15 and 600k / 60k = 10 months    -> runway swing 5 / 24 = 0.208 33
    The overall risk moves by only a few points either way (under 20, i.e. under 0.2 on the swing
    scale), so the runway term is the larger one and is the swing. Revenue, both growths and funding
    are 0 (no rounds): 0 +- 20 % is still 0, nothing moves, the swing is 0.
    So costs rank first, cash second, and every factor (it moves risk only, by less) after them."""
    result = sensitivity(cash_plan(cash=600_000, monthly_costs=50_000, horizon_months=24))
    rows = rows_by_input(result)
    cash, costs = rows["cash"], rows["monthly_costs"]
    assert (cash.low, cash.high) == pytest.approx((480_000, 720_000))
    assert (cash.runway_low, cash.runway_high) == pytest.approx((9.6, 14.4))
    assert (costs.low, costs.high) == pytest.approx((40_000, 60_000))
    assert (costs.runway_low, costs.runway_high) == pytest.approx((15.0, 10.0))
    assert abs(cash.risk_high - cash.risk_low) < 20 and abs(costs.risk_high - costs.risk_low) < 20
    assert cash.swing == pytest.approx(0.2)
    assert costs.swing == pytest.approx(5 / 24)
    for name in ("monthly_revenue", "cost_growth", "revenue_growth", "funding"):
        assert rows[name].swing == 0.0, name
    assert [row.input for row in result.rows[:2]] == ["monthly_costs", "cash"]
    swings = [row.swing for row in result.rows]
    assert swings == sorted(swings, reverse=True)


def test_a_runway_that_lasts_counts_as_the_horizon():
    """1.2M at 50k lasts 24 months, past the 20-month horizon: at +20 % cash it never runs out and
    counts as 20; at -20 % (960k) it lasts 19.2 months. Runway swing (20 - 19.2) / 20 = 0.04; the
    risk moves by under 4 points, so 0.04 is the swing."""
    row = rows_by_input(sensitivity(cash_plan(cash=1_200_000, monthly_costs=50_000, horizon_months=20)))["cash"]
    assert row.runway_high is None
    assert row.runway_low == pytest.approx(19.2)
    assert abs(row.risk_high - row.risk_low) < 4
    assert row.swing == pytest.approx(0.04)


def curve(share: float) -> float:
    """A dimension on the 1-5 scale from its weighted share in [0, 1]: 1 + 4 x^1.3 (data/model.yaml)."""
    return 1 + 4 * share**1.3


def test_a_factor_swing_is_its_risk_change_by_hand_on_a_one_risk_register(catalogue):
    """A register of one risk, financial.fx (data/risks.yaml), and no burn: the runway never ends,
    so the runway term is 0 and the swing is |risk_high - risk_low| / 100. Every other factor
    stays at 5 (pressure 0.5); the runway's pressure is 0. With one risk the power mean is its
    score, and overall risk = 100 (score - 1) / 24.

    likelihood share x = (0.5 * (2 - 1)/4 + 4 * fx_exposure + 1 * cross_border) / 5.5
    impact share     y = (1 * (2 - 1)/4 + 2 * fx_exposure + 1 * runway) / 4
    score = curve(x) * curve(y)

    fx_exposure 0 -> 10:  x = 0.625/5.5 -> 4.625/5.5, y = 0.0625 -> 0.5625
                          score 1.37130 -> 12.13235, risk 1.547 -> 46.385, swing 0.448 38
    cross_border 0 -> 10: x = 2.125/5.5 -> 3.125/5.5, y = 0.3125 both ends (fx_exposure at 5 adds 4 x 0.5
                          to x's sum and 2 x 0.5 to y's)
                          risk 12.784 -> 18.714, swing 0.059 30
    Every other factor drives nothing in this register: swing 0."""
    register = catalogue.model_copy(
        update={"risks": {"financial.fx": catalogue.risks["financial.fx"]}, "interactions": ()}
    )
    result = sensitivity(cash_plan(cash=10_000_000, monthly_costs=0), register)
    rows = rows_by_input(result)
    fx, cross = rows["funding.fx_exposure"], rows["legal.cross_border"]
    low, high = curve(0.625 / 5.5) * curve(0.0625), curve(4.625 / 5.5) * curve(0.5625)
    assert (low, high) == pytest.approx((1.37130, 12.13235), abs=1e-5)
    assert fx.runway_low is fx.runway_high is None
    assert (fx.risk_low, fx.risk_high) == pytest.approx((100 * (low - 1) / 24, 100 * (high - 1) / 24))
    assert (high - low) / 24 == pytest.approx(0.44838, abs=1e-5)
    assert fx.swing == pytest.approx((high - low) / 24)
    low, high = curve(2.125 / 5.5) * curve(0.3125), curve(3.125 / 5.5) * curve(0.3125)
    assert (cross.risk_low, cross.risk_high) == pytest.approx((12.78405, 18.71432), abs=1e-5)
    assert (high - low) / 24 == pytest.approx(0.05930, abs=1e-5)
    assert cross.swing == pytest.approx((high - low) / 24)
    assert [row.input for row in result.rows[:2]] == ["funding.fx_exposure", "legal.cross_border"]
    assert all(row.swing == 0.0 for row in result.rows[2:])


def test_factor_rows_follow_the_factor_direction_and_leave_runway_alone(catalogue):
    """Each factor swept 0 -> 10 moves overall risk as its direction says, the runway (600k at a
    flat 50k: 12 months) not at all; its risk ends are the overall risk scored with the factor at
    0 and at 10."""
    scenario = cash_plan(cash=600_000, monthly_costs=50_000)
    result = sensitivity(scenario, catalogue)
    rows = rows_by_input(result)
    assert set(rows) == set(catalogue.factors) | set(CASH_INPUTS)
    for factor_id, factor in catalogue.factors.items():
        row = rows[factor_id]
        at = {
            value: score_risks(
                scenario.model_copy(update={"factors": {**scenario.factors, factor_id: value}}), catalogue
            ).overall
            for value in (0.0, 10.0)
        }
        assert (row.low, row.high) == (0.0, 10.0)
        assert (row.risk_low, row.risk_high) == pytest.approx((at[0.0], at[10.0]))
        assert row.runway_low == row.runway_high == result.runway_months == 12.0
        if factor.direction == "+":
            assert row.risk_high > row.risk_low
        elif factor.direction == "-":
            assert row.risk_high < row.risk_low
        else:
            assert row.risk_high == row.risk_low and row.swing == 0.0
        if factor.direction != "none":  # risk moves either way: the swing counts the size, not the sign
            assert 0.0 < row.swing < rows["cash"].swing  # below cash's 4.8 / 36, worked out below
    # cash: 480k / 50k = 9.6 and 720k / 50k = 14.4 months over the default 36-month horizon
    assert rows["cash"].swing == pytest.approx(4.8 / 36)
    swings = [row.swing for row in result.rows]
    assert swings == sorted(swings, reverse=True)
