"""The Monte Carlo runway against closed forms, the projection and its own promises."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import evaluate, load_catalogue, load_preset, parse_scenario, project_runway
from scoring.simulate import _Events, simulate
from tests.strategies import scenario_dicts


def scenario(finance: dict, **uncertainty):
    finance = {"monthly_revenue": 0, **finance}
    if uncertainty:
        finance["uncertainty"] = uncertainty
    return parse_scenario({"finance": finance})


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def within_sampling_error(observed: float, expected: float, paths: int, sigmas: float = 4.5) -> bool:
    return abs(observed - expected) <= sigmas * math.sqrt(max(expected * (1 - expected), 1e-12) / paths) + 1e-12


def later(a: float | None, b: float | None) -> bool:
    """a >= b for runways, None (never runs out) being the longest."""
    return a is None or (b is not None and a >= b)


@st.composite
def uncertain_scenarios(draw):
    data = draw(scenario_dicts())
    data["finance"]["uncertainty"] = {
        "cost_sd": draw(st.floats(0, 0.5)),
        "revenue_sd": draw(st.floats(0, 0.5)),
        "revenue_growth_sd": draw(st.floats(0, 0.05)),
    }
    for funding_round in data["finance"]["funding"]:
        funding_round["probability"] = draw(st.floats(0, 1))
    return parse_scenario(data)


class TestZeroUncertaintyIsTheProjection:
    @settings(max_examples=60, deadline=None)
    @given(scenario_dicts().map(parse_scenario))
    def test_every_number_equals_the_projection(self, plan):
        result = simulate(plan, paths=3, seed=7)
        runway = project_runway(plan.finance)
        assert result.fan.p10 == result.fan.p50 == result.fan.p90 == runway.balance
        assert result.runway_months.p10 == result.runway_months.p50 == result.runway_months.p90 == runway.months
        out = runway.cash_out_month
        expected = [1.0 if out and month >= out else 0.0 for month in range(1, runway.horizon_months + 1)]
        assert list(result.prob_cash_out_by_month) == expected
        assert result.prob_default_alive == float(runway.default_alive)
        assert result.naive_months == runway.naive_months

    def test_600k_at_50k_is_12_months_in_every_path(self):
        result = simulate(scenario({"cash": 600_000, "monthly_costs": 50_000, "horizon_months": 24}), paths=500)
        assert (result.runway_months.p10, result.runway_months.p50, result.runway_months.p90) == (12.0, 12.0, 12.0)
        assert result.prob_cash_out_by_month[11] == 0.0  # balance_12 is exactly 0
        assert result.prob_cash_out_by_month[12] == 1.0


class TestClosedForms:
    def test_iid_normal_costs_match_the_normal_sum(self):
        """No revenue, costs c(1 + s*eps_t): out of cash by month t iff sum of t costs > cash.

        The sum of t costs is normal with mean t*c and sd c*s*sqrt(t), so
        P(out by t) = 1 - Phi((cash - t*c) / (c*s*sqrt(t))). Here cash = 500k, c = 50k, s = 0.2:
        at t = 10 the mean spend equals the cash, so P = 1/2; at t = 9, P = 1 - Phi(1/(0.2*3)).
        """
        paths, cash, cost, sd = 20_000, 500_000.0, 50_000.0, 0.2
        plan = scenario({"cash": cash, "monthly_costs": cost, "horizon_months": 14}, cost_sd=sd)
        result = simulate(plan, paths=paths, seed=11)
        for month in range(6, 15):
            expected = 1 - normal_cdf((cash - month * cost) / (cost * sd * math.sqrt(month)))
            assert within_sampling_error(result.prob_cash_out_by_month[month - 1], expected, paths), month
        assert within_sampling_error(result.prob_cash_out_by_month[9], 0.5, paths)
        assert result.runway_months.p50 == pytest.approx(10.0, abs=0.05)

    def test_a_50_percent_round_splits_the_paths_in_half(self):
        """100k at 50k a month lasts 2 months; with the 1M round in month 2 it lasts 22 > 12."""
        paths = 10_000
        plan = scenario(
            {
                "cash": 100_000,
                "monthly_costs": 50_000,
                "horizon_months": 12,
                "funding": [{"month": 2, "amount": 1_000_000, "probability": 0.5}],
            }
        )
        result = simulate(plan, paths=paths, seed=3)
        without_round = result.prob_cash_out_by_month[2]  # month 3: the first month below zero
        assert within_sampling_error(without_round, 0.5, paths)
        assert result.prob_cash_out_by_month[1] == 0.0
        assert result.prob_cash_out_by_month[-1] == without_round  # the funded half never runs out
        assert result.runway_months.p10 == 2.0
        assert result.runway_months.p90 is None
        assert result.prob_default_alive == 0.0

    def test_revenue_growth_sd_is_drawn_once_per_path(self):
        """Profitable at month 1 (revenue 60k, costs 50k), growth g ~ N(0, 0.02) once per path:
        a path is default alive when revenue never drops below costs for long, which holds for
        g >= 0 (half the paths) and for slightly negative g only until the margin is gone."""
        plan = scenario(
            {"cash": 0, "monthly_costs": 50_000, "monthly_revenue": 60_000, "horizon_months": 12},
            revenue_growth_sd=0.02,
        )
        result = simulate(plan, paths=20_000, seed=5)
        # balance_t = sum(60k (1+g)^k - 50k) >= 0 for all t <= 120 holds for g >= g*, where g*
        # solves 60k * sum((1+g)^k, k<120) = 120 * 50k; found by bisection below.
        low, high = -0.05, 0.0
        for _ in range(60):
            g = (low + high) / 2
            total = sum(60_000 * (1 + g) ** k - 50_000 for k in range(120))
            low, high = (low, g) if total >= 0 else (g, high)
        expected = 1 - normal_cdf(high / 0.02)
        assert within_sampling_error(result.prob_default_alive, expected, 20_000)


class TestPromises:
    def test_same_seed_same_numbers_other_seed_other_numbers(self):
        plan = load_preset("medical_diagnosis")
        noisy = plan.model_copy(
            update={
                "finance": plan.finance.model_copy(
                    update={"uncertainty": plan.finance.uncertainty.model_copy(update={"cost_sd": 0.2})}
                )
            }
        )
        first = simulate(noisy, paths=2000, seed=42)
        assert simulate(noisy, paths=2000, seed=42) == first
        assert simulate(noisy, paths=2000, seed=43).fan != first.fan

    @settings(max_examples=40, deadline=None)
    @given(uncertain_scenarios(), st.integers(0, 2**32 - 1))
    def test_risk_events_never_lengthen_runway(self, plan, seed):
        off = simulate(plan, paths=300, seed=seed, risk_events=False)
        on = simulate(plan, paths=300, seed=seed, risk_events=True)
        for percentile in ("p10", "p50", "p90"):
            assert later(getattr(off.runway_months, percentile), getattr(on.runway_months, percentile))
        assert all(a <= b for a, b in zip(off.prob_cash_out_by_month, on.prob_cash_out_by_month, strict=True))
        assert on.prob_default_alive <= off.prob_default_alive
        assert all(a <= b for a, b in zip(on.fan.p50, off.fan.p50, strict=True))

    @settings(max_examples=40, deadline=None)
    @given(uncertain_scenarios(), st.booleans())
    def test_shares_rise_and_percentiles_are_ordered(self, plan, events):
        result = simulate(plan, paths=200, seed=1, risk_events=events)
        shares = result.prob_cash_out_by_month
        assert len(shares) == plan.finance.horizon_months
        assert all(0 <= a <= b <= 1 for a, b in itertools.pairwise(shares))
        assert later(result.runway_months.p50, result.runway_months.p10)
        assert later(result.runway_months.p90, result.runway_months.p50)
        assert all(a <= b <= c for a, b, c in zip(result.fan.p10, result.fan.p50, result.fan.p90, strict=True))
        assert all(math.isfinite(v) for v in result.fan.p50)

    def test_risk_events_shorten_a_preset_runway(self):
        plan = load_preset("neutral_template")
        off = simulate(plan, paths=4000, seed=0, risk_events=False)
        on = simulate(plan, paths=4000, seed=0, risk_events=True)
        assert on.runway_months.p50 < off.runway_months.p50
        assert on.prob_cash_out_by_month[-1] >= off.prob_cash_out_by_month[-1]

    def test_bad_arguments_are_refused(self):
        plan = load_preset("neutral_template")
        with pytest.raises(ValueError, match="paths"):
            simulate(plan, paths=0)
        with pytest.raises(ValueError, match="seed"):
            simulate(plan, seed=-1)


class TestRiskEventChances:
    def test_a_risk_strikes_within_the_window_with_its_mapped_probability(self):
        """Each risk's share of paths struck within 24 months is the anchor interpolation of its
        likelihood (data/risk_events.yaml), e.g. L = 3.5 -> 0.15 + 0.5 * (0.35 - 0.15) = 0.25."""
        catalogue = load_catalogue()
        plan = load_preset("medical_diagnosis")
        report = evaluate(plan).risk
        paths = 20_000
        events = _Events(plan.finance, report, catalogue, np.random.default_rng(9), paths)
        struck_months = [month for strikes in events.strikes.values() for _, month, _ in strikes]
        assert len(struck_months) == len(report.items)
        # strike lists follow register order within each kind; rebuild the per-risk order
        by_kind = {kind: iter(strikes) for kind, strikes in events.strikes.items()}
        for item in report.items:
            kind = catalogue.risk_events.effects[item.category].kind
            _, month, _ = next(by_kind[kind])
            expected = catalogue.risk_events.probability(item.likelihood)
            assert within_sampling_error(float(np.sum(month <= 24)) / paths, expected, paths), item.id
