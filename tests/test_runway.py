"""The runway projection against values worked out by hand (docs/model.md conventions)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import Finance, project_runway
from tests.strategies import finances


def plan(**fields) -> Finance:
    return Finance.model_validate({"monthly_revenue": 0, **fields})


class TestProjectRunway:
    def test_flat_burn_600k_at_50k_is_12_months(self):
        result = project_runway(plan(cash=600_000, monthly_costs=50_000))
        assert result.months == 12.0
        assert result.cash_out_month == 13  # balance_12 is exactly 0, month 13 is the first below 0
        assert result.naive_months == 12.0
        assert result.default_alive is False
        assert result.balance[11] == 0.0
        assert len(result.balance) == 36

    def test_100k_at_30k_is_three_and_a_third_months(self):
        result = project_runway(plan(cash=100_000, monthly_costs=30_000))
        assert result.months == pytest.approx(10 / 3)
        assert result.cash_out_month == 4

    def test_zero_costs_never_run_out(self):
        result = project_runway(plan(cash=0, monthly_costs=0))
        assert result.months is None
        assert result.cash_out_month is None
        assert result.naive_months is None
        assert result.default_alive is True
        assert result.break_even_month == 1  # revenue 0 >= costs 0

    def test_profitable_today_with_shrinking_revenue_is_default_dead(self):
        # Month 1 earns 10k, but revenue shrinks 5 % a month below the flat 50k costs (month 5).
        # Independent closed form: balance_t = 100k + 60k (1 - 0.95^t) / 0.05 - 50k t.
        result = project_runway(plan(cash=100_000, monthly_costs=50_000, monthly_revenue=60_000, revenue_growth=-0.05))
        assert result.default_alive is False
        assert result.naive_months is None  # month 1 is not burning cash
        assert result.break_even_month == 1

        def balance(t: int) -> float:
            return 100_000 + 60_000 * (1 - 0.95**t) / 0.05 - 50_000 * t

        assert balance(14) > 0 > balance(15)
        assert result.cash_out_month == 15
        burn_15 = 50_000 - 60_000 * 0.95**14
        assert result.months == pytest.approx(14 + balance(14) / burn_15, rel=1e-12)
        assert result.balance[13] == pytest.approx(balance(14), rel=1e-12)

    def test_funding_after_cash_out_does_not_rescue(self):
        result = project_runway(plan(cash=600_000, monthly_costs=50_000, funding=[{"month": 20, "amount": 1_000_000}]))
        assert result.cash_out_month == 13
        assert result.months == 12.0
        # the chart still shows how deep the hole is and the recovery
        assert result.balance[18] == -350_000
        assert result.balance[19] == 600_000

    def test_funding_before_cash_out_extends_runway(self):
        # 50k left after month 11; 300k arrive at the start of month 12 -> 6 more months.
        result = project_runway(plan(cash=600_000, monthly_costs=50_000, funding=[{"month": 12, "amount": 300_000}]))
        assert result.months == 18.0
        assert result.cash_out_month == 19
        assert result.naive_months == 12.0  # naive ignores funding

    def test_rounds_in_the_same_month_add_up(self):
        one = project_runway(plan(cash=100_000, monthly_costs=50_000, funding=[{"month": 2, "amount": 200_000}]))
        two = project_runway(
            plan(
                cash=100_000,
                monthly_costs=50_000,
                funding=[{"month": 2, "amount": 150_000}, {"month": 2, "amount": 50_000}],
            )
        )
        assert two.balance == one.balance
        assert two.months == one.months == 6.0

    def test_runway_fraction_counts_funding_of_the_cash_out_month(self):
        # 20k left after month 1; month 2 brings 10k and burns 50k: 2 - 1 + 30k / 50k = 1.6.
        result = project_runway(plan(cash=70_000, monthly_costs=50_000, funding=[{"month": 2, "amount": 10_000}]))
        assert result.cash_out_month == 2
        assert result.months == pytest.approx(1.6)

    def test_break_even_month_with_growing_revenue(self):
        # 10k * 1.1^(t-1) >= 20k  <=>  t - 1 >= log 2 / log 1.1 = 7.27  ->  t = 9
        result = project_runway(plan(cash=1e6, monthly_costs=20_000, monthly_revenue=10_000, revenue_growth=0.1))
        assert result.break_even_month == 9
        assert math.log(2) / math.log(1.1) == pytest.approx(7.27, abs=0.01)

    def test_default_alive_when_growth_reaches_profit_before_cash_runs_out(self):
        # Burn falls from 10k to 0 by month 6; about 29k is burnt in all, cash is 100k.
        result = project_runway(plan(cash=100_000, monthly_costs=50_000, monthly_revenue=40_000, revenue_growth=0.05))
        assert result.default_alive is True
        assert result.break_even_month == 6
        assert result.naive_months == 10.0

    def test_default_alive_ignores_planned_funding(self):
        result = project_runway(plan(cash=100_000, monthly_costs=10_000, funding=[{"month": 1, "amount": 5_000_000}]))
        assert result.months is None
        assert result.default_alive is False

    def test_costs_and_revenue_compound_monthly(self):
        result = project_runway(
            plan(cash=0, monthly_costs=100, cost_growth=0.1, monthly_revenue=50, revenue_growth=-0.5)
        )
        assert result.costs[:3] == pytest.approx((100, 110, 121))
        assert result.revenue[:3] == pytest.approx((50, 25, 12.5))

    def test_horizon_sets_length_of_every_series(self):
        result = project_runway(plan(cash=1, monthly_costs=0, horizon_months=7))
        assert (len(result.balance), len(result.revenue), len(result.costs), len(result.funding)) == (7, 7, 7, 7)


class TestRunwayProperties:
    @settings(max_examples=150, deadline=None)
    @given(finances(), st.floats(min_value=1, max_value=1e6))
    def test_more_costs_never_lengthen_runway(self, finance, extra):
        base = project_runway(Finance.model_validate(finance))
        costlier = project_runway(
            Finance.model_validate({**finance, "monthly_costs": finance["monthly_costs"] + extra})
        )
        never = math.inf
        assert (costlier.months if costlier.months is not None else never) <= (
            base.months if base.months is not None else never
        )

    @settings(max_examples=150, deadline=None)
    @given(finances())
    def test_runway_is_null_or_finite_and_within_horizon(self, finance):
        result = project_runway(Finance.model_validate(finance))
        if result.months is not None:
            assert 0 <= result.months < result.horizon_months
            assert result.cash_out_month - 1 <= result.months < result.cash_out_month
        assert all(math.isfinite(value) for value in result.balance)


def test_never_profitable_is_default_dead_however_much_cash():
    """Graham's definition: 100M cash at an 800k burn and no revenue lasts 125 months, past the
    120-month test, yet never reaches break-even — default dead (docs/model.md, "default alive")."""
    result = project_runway(Finance(cash=100_000_000, monthly_costs=800_000, monthly_revenue=0))
    assert result.months is None  # lasts the 36-month horizon
    assert result.break_even_month is None
    assert result.default_alive is False
