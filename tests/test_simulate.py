"""The Monte Carlo runway against closed forms, the projection and its own promises."""

import itertools
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import DataError, RiskItem, RiskReport, load_catalogue, load_preset, parse_scenario, project_runway
from scoring.catalogue import DATA_DIR
from scoring.simulate import simulate
from tests.helpers import cash_plan
from tests.strategies import scenario_dicts


def scenario(finance: dict, **uncertainty):
    return cash_plan(**finance, uncertainty=uncertainty) if uncertainty else cash_plan(**finance)


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


def striking(only: dict[str, float], anchors=(0.0, 0.05, 0.15, 0.35, 0.65), impact: float = 5.0):
    """A catalogue and a risk report in which only the risks of ``only`` (id -> likelihood) can
    strike: likelihood 1 maps to a zero chance, and every other risk has likelihood 1.

    The report is built here, not scored, so the tests do not hang on today's risk numbers.
    """
    catalogue = load_catalogue()
    events = catalogue.risk_events.model_copy(update={"probability_by_likelihood": anchors})
    catalogue = catalogue.model_copy(update={"risk_events": events})
    items = tuple(
        RiskItem.model_construct(id=risk_id, category=risk.category, likelihood=only.get(risk_id, 1.0), impact=impact)
        for risk_id, risk in catalogue.risks.items()
    )
    return catalogue, RiskReport.model_construct(items=items)


# Forced: a risk of likelihood 5 strikes within 24 months with a chance of 99 % (17.5 % a month).
FORCED = (0.0, 0.0, 0.0, 0.0, 0.99)
PRE_REVENUE = {"cash": 2_000_000, "monthly_costs": 100_000, "monthly_revenue": 0, "horizon_months": 36}
NO_ROUND = {"cash": 1_000_000, "monthly_costs": 150_000, "monthly_revenue": 50_000, "revenue_growth": 0.03}
WITH_ROUND = {**NO_ROUND, "funding": [{"month": 10, "amount": 1_500_000}], "horizon_months": 48}
NOISE = {"cost_sd": 0.1, "revenue_sd": 0.2, "revenue_growth_sd": 0.01}


def company(kind: str):
    if kind == "neutral":
        return load_preset("neutral_template")
    return scenario({"pre-revenue": PRE_REVENUE, "no round": NO_ROUND, "with a round": WITH_ROUND}[kind], **NOISE)


class TestRiskEvents:
    def test_a_risk_strikes_with_the_chance_its_likelihood_maps_to(self):
        """A company exactly at break-even with no cash runs out in the month a risk strikes (every
        risk has a cost effect), so the share out of cash by month t is the chance of a strike by
        t: 1 - (1 - h)^t with h the monthly hazard of the window chance. The anchors are those of
        data/risk_events.yaml (L = 1 .. 5: 0.01, 0.05, 0.15, 0.35, 0.65) with L = 1 set to 0 by
        ``striking``; L = 3.5 lies halfway between 0.15 and 0.35: 0.25 within 24 months, worked
        out here, not asked of the model."""
        plan = scenario({"cash": 0, "monthly_costs": 100_000, "monthly_revenue": 100_000, "horizon_months": 24})
        paths = 20_000
        hazard = 1 - (1 - 0.25) ** (1 / 24)
        for risk_id in load_catalogue().risks:
            catalogue, report = striking({risk_id: 3.5})
            assert catalogue.risk_events.probability(3.5) == pytest.approx(0.25)
            shares = simulate(plan, catalogue, paths=paths, seed=9, risk_events=True, risk=report)
            shares = shares.prob_cash_out_by_month
            for month in (1, 6, 12, 24):
                assert within_sampling_error(shares[month - 1], 1 - (1 - hazard) ** month, paths), (risk_id, month)

    @pytest.mark.parametrize("impact", [1.0, 5.0])
    def test_every_risk_bites_before_revenue_without_a_round(self, impact):
        """Each risk alone, forced to strike, lowers the median balance and shortens the median
        runway of a pre-revenue company with no planned round, even at the lowest impact."""
        plan = scenario(PRE_REVENUE)
        off = simulate(plan, paths=2000, seed=4, risk_events=False)
        assert off.runway_months.p50 == 20.0
        for risk_id in load_catalogue().risks:
            catalogue, report = striking({risk_id: 5.0}, FORCED, impact)
            on = simulate(plan, catalogue, paths=2000, seed=4, risk_events=True, risk=report)
            assert on.fan.p50[-1] < off.fan.p50[-1], risk_id
            assert on.runway_months.p50 < off.runway_months.p50, risk_id

    @pytest.mark.parametrize("kind", ["neutral", "pre-revenue", "no round", "with a round"])
    def test_no_company_is_immune_to_a_category(self, kind):
        plan = company(kind)
        off = simulate(plan, paths=2000, seed=2, risk_events=False)
        for category in load_catalogue().categories:
            risks = [rid for rid, risk in load_catalogue().risks.items() if risk.category == category]
            catalogue, report = striking(dict.fromkeys(risks, 5.0), FORCED, impact=3.0)
            on = simulate(plan, catalogue, paths=2000, seed=2, risk_events=True, risk=report)
            assert on.runway_months.p50 is not None and (
                off.runway_months.p50 is None or on.runway_months.p50 < off.runway_months.p50
            ), (kind, category)

    def test_a_one_off_cost_is_its_months_of_costs_scaled_by_impact(self):
        """financial.fx: a one-off 0.5 months of costs at impact 5; at impact 2 that is 0.2
        months, 20k of flat 100k costs. Forced, it has struck by month 24 in over half the paths."""
        plan = scenario({"cash": 10_000_000, "monthly_costs": 100_000, "horizon_months": 24})
        off = simulate(plan, paths=1000, risk_events=False)
        size = {e.kind: e.size for e in load_catalogue().risk_events.risks["financial.fx"].effects}["one_off_cost"]
        catalogue, report = striking({"financial.fx": 5.0}, FORCED, impact=2.0)
        on = simulate(plan, catalogue, paths=1000, risk_events=True, risk=report)
        assert on.fan.p50[-1] == pytest.approx(off.fan.p50[-1] - size * 2 / 5 * 100_000)

    def test_a_funding_risk_slips_the_round_and_costs_money(self):
        """With a round planned for month 10, the two funding risks at impact 5 slip it 3 months
        each, 6 in all (within the 9-month limit): the company runs out before it arrives.
        (Without a round their one-off costs still bite: see the pre-revenue test.)"""
        plan = scenario({**WITH_ROUND, "horizon_months": 24})
        off = simulate(plan, paths=2000, seed=1, risk_events=False)
        both = {"financial.funding_shortfall": 5.0, "financial.financing_difficulty": 5.0}
        catalogue, report = striking(both, FORCED)
        on = simulate(plan, catalogue, paths=2000, seed=1, risk_events=True, risk=report)
        assert off.runway_months.p50 is None  # the round carries the company through 24 months
        assert on.runway_months.p50 is not None  # the round slipped: out of cash first

    def test_with_every_chance_zero_events_change_nothing(self):
        """The events draw from their own stream: the noise, growth and funding draws stay the same."""
        plan = company("with a round")
        catalogue, report = striking({}, (0.0, 0.0, 0.0, 0.0, 0.0))
        on = simulate(plan, catalogue, paths=500, seed=3, risk_events=True, risk=report)
        assert on.model_copy(update={"risk_events": False}) == simulate(plan, paths=500, seed=3, risk_events=False)


class TestDefaultAlive:
    """Graham: with no further funding, reach break-even by month 120 and never run out before."""

    @pytest.mark.parametrize("horizon", [36, 120])
    def test_never_profitable_is_dead_however_much_cash(self, horizon):
        plan = scenario({"cash": 100_000_000, "monthly_costs": 800_000, "horizon_months": horizon}, cost_sd=0.1)
        result = simulate(plan, paths=500)
        assert result.runway_months.p90 is None  # 125 months of cash: no path runs out in the horizon
        assert result.prob_default_alive == 0.0

    def test_revenue_growing_past_costs_with_enough_cash_is_alive(self):
        """50k growing 5 % a month passes 200k of costs in month 30; the burn until then is about
        2.6M, well inside 5M; break-even falls after the 24-month horizon."""
        finance = {"cash": 5_000_000, "monthly_costs": 200_000, "monthly_revenue": 50_000, "revenue_growth": 0.05}
        plan = scenario({**finance, "horizon_months": 24}, cost_sd=0.05, revenue_sd=0.05)
        assert project_runway(plan.finance).break_even_month is None
        assert simulate(plan, paths=2000).prob_default_alive > 0.99

    def test_profitable_from_month_one_is_alive(self):
        plan = scenario({"cash": 0, "monthly_costs": 50_000, "monthly_revenue": 60_000, "horizon_months": 12})
        assert simulate(plan, paths=200).prob_default_alive == 1.0
        noisy = scenario({"cash": 100_000, "monthly_costs": 50_000, "monthly_revenue": 60_000}, cost_sd=0.05)
        assert simulate(noisy, paths=2000).prob_default_alive == 1.0


class TestRiskEventsFile:
    def test_every_risk_has_effects_with_a_cost_and_a_bilingual_source(self):
        catalogue = load_catalogue()
        assert list(catalogue.risk_events.risks) == list(catalogue.risks)
        for risk_id, event in catalogue.risk_events.risks.items():
            assert {e.kind for e in event.effects} & {"one_off_cost", "cost_rise"}, risk_id
            assert event.section.split("-")[0] in event.source.en and "source survey" in event.source.en
            assert any("\u4e00" <= char <= "\u9fff" for char in event.source.zh) and "调研报告" in event.source.zh
            for text in (event.source.en, event.source.zh):
                assert "seed" not in text.lower() and "种子" not in text, risk_id

    @pytest.fixture
    def events_file(self, tmp_path) -> Path:
        shutil.copytree(DATA_DIR, tmp_path / "data")
        return tmp_path / "data" / "risk_events.yaml"

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            (
                "  financial.fx:\n",
                "  financial.fx_typo:\n",
                "risk_events.yaml: risks: risk 'financial.fx' has no cash effect",
            ),
            (
                "      - {kind: cost_rise, size: 0.08}",
                "      - {kind: growth_cut, size: 0.01, months: 6}",
                "cost effect",
            ),
            (
                "      - {kind: growth_cut, size: 0.03, months: 12}",
                "      - {kind: growth_cut, size: 0.03}",
                "risk_events.yaml: risks.market.substitution.effects.0: a growth_cut needs `months`",
            ),
            ("      - {kind: cost_rise, size: 0.08}", "      - {kind: cost_rise, size: 0.08, months: 3}", ".months:"),
            (
                "      - {kind: growth_cut, size: 0.03, months: 12}",
                "      - {kind: growth_cut, size: 1.5, months: 12}",
                "below 1",
            ),
            ("      - {kind: cost_rise, size: 0.08}", "      - {kind: cost_jump, size: 0.08}", "kind"),
            ("fail_after_months: 9\n", "", "fail_after_months"),
        ],
    )
    def test_a_broken_entry_names_the_file_and_field(self, events_file, old, new, expected):
        text = events_file.read_text(encoding="utf-8")
        assert old in text
        events_file.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(DataError, match=r"^risk_events\.yaml") as info:
            load_catalogue(events_file.parent)
        assert expected in str(info.value)

    def test_an_unknown_risk_is_refused(self, events_file):
        with events_file.open("a", encoding="utf-8") as handle:
            handle.write("  talent.burnout:\n    effects: [{kind: cost_rise, size: 0.1}]\n    section: x\n")
            handle.write("    source: {en: x, zh: 某}\n")
        with pytest.raises(DataError, match=r"risks\.talent\.burnout: unknown risk"):
            load_catalogue(events_file.parent)
