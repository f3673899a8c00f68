"""Risk scoring: golden values by hand, bands, amplification, and monotonicity properties."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring import evaluate, load_catalogue, parse_scenario, score_risks
from tests.helpers import SIGNED
from tests.strategies import factor_value, scenario_dicts, scenarios

NEUTRAL = parse_scenario({"finance": {"cash": 10_000_000, "monthly_costs": 0, "monthly_revenue": 0}})


GAMMA = 1.3  # data/model.yaml aggregation.dimension_exponent


def curve(share: float) -> float:
    """A dimension on the 1-5 scale from its weighted share in [0, 1]: 1 + 4 x^1.3."""
    return 1 + 4 * share**GAMMA


class TestGoldenValues:
    def test_fx_risk_at_neutral_factors(self, catalogue):
        # NEUTRAL has no burn, so every cash signal is 0; factors at 5 press 0.5.
        # likelihood: prior 2 (weight 0.5), fx_exposure 4 x 0.5, cross_border 1 x 0.5
        #   x = (0.5 * 1/4 + 2 + 0.5) / 5.5 = 2.625 / 5.5
        # impact: prior 2 (weight 1), fx_exposure 2 x 0.5, cash.runway 1 x 0
        #   x = (1 * 1/4 + 1 + 0) / 4 = 0.3125
        likelihood, impact = curve(2.625 / 5.5), curve(0.3125)
        assert (likelihood, impact) == pytest.approx((2.52917, 1.88179), abs=1e-5)
        item = score_risks(NEUTRAL, catalogue).item("financial.fx")
        assert item.likelihood == pytest.approx(likelihood)
        assert item.impact == pytest.approx(impact)
        assert item.score == pytest.approx(likelihood * impact)
        assert item.band == "low"  # 4.76, below 5
        assert item.amplified_by == ()

    def test_amplified_model_risk_at_neutral_factors(self, catalogue):
        # base likelihood of model_underperforms: every pressure 0.5, prior 3 (share 0.5) -> x = 0.5
        # source data_dependency: L x = (0.5 * 0.5 + 5 * 0.5) / 5.5 = 0.5,
        #   I x = (1 * 2.5/4 + 2.5 * 0.5) / 3.5 = 1.875 / 3.5
        # uplift = (5 - L) * 0.3 * (score - 1) / 24
        base = curve(0.5)
        source_score = curve(0.5) * curve(1.875 / 3.5)
        uplift = (5 - base) * 0.3 * (source_score - 1) / 24
        assert (base, source_score, uplift) == pytest.approx((2.62450, 7.28810, 0.18672), abs=1e-5)
        item = score_risks(NEUTRAL, catalogue).item("technical.model_underperforms")
        assert item.likelihood_base == pytest.approx(base)
        (source,) = item.amplified_by
        assert source.id == "technical.data_dependency"
        assert source.source_score == pytest.approx(source_score)
        assert source.uplift == pytest.approx(uplift)
        assert item.likelihood == pytest.approx(base + uplift)

    def test_short_runway_makes_funding_shortfall_and_cash_crunch_likely(self, catalogue):
        broke = parse_scenario({"finance": {"cash": 0, "monthly_costs": 50_000, "monthly_revenue": 0}})
        flush = NEUTRAL
        for risk_id in ("financial.funding_shortfall", "financial.cash_crunch"):
            broke_item = score_risks(broke, catalogue).item(risk_id)
            assert broke_item.likelihood > score_risks(flush, catalogue).item(risk_id).likelihood + 1.5
            assert broke_item.band in {"high", "critical"}

    def test_overall_is_the_power_mean_of_scores_rescaled(self, catalogue):
        # weights from data/risks.yaml, p = 4 from data/model.yaml, computed here by a plain loop
        report = score_risks(NEUTRAL, catalogue)
        weights = {risk_id: risk.weight for risk_id, risk in catalogue.risks.items()}
        assert weights["technical.model_underperforms"] == 2.5 and weights["financial.fx"] == 0.75

        def power_mean(items):
            total = sum(weights[item.id] * item.score**4 for item in items)
            return (total / sum(weights[item.id] for item in items)) ** 0.25

        assert report.overall == pytest.approx(100 * (power_mean(report.items) - 1) / 24)
        technical = [item for item in report.items if item.category == "technical"]
        assert report.by_category["technical"] == pytest.approx(100 * (power_mean(technical) - 1) / 24)

    def test_band_counts_count_every_risk_once(self, catalogue):
        report = score_risks(NEUTRAL, catalogue)
        assert list(report.band_counts) == ["low", "medium", "high", "critical"]
        assert sum(report.band_counts.values()) == 27
        for band, count in report.band_counts.items():
            assert count == sum(1 for item in report.items if item.band == band)

    def test_drivers_sum_to_the_value_above_the_prior(self, catalogue):
        # each dimension = 1 + the prior's part + the drivers' contributions; the curve's rise is
        # shared out in proportion to each part of the share x (prior: 0.5 * 1/4 of 5.5)
        item = score_risks(NEUTRAL, catalogue).item("financial.fx")
        likelihood = sum(d.contribution for d in item.drivers if d.dimension == "likelihood")
        share = 2.625 / 5.5
        prior_part = (item.likelihood_base - 1) * (0.125 / 5.5) / share
        assert 1 + prior_part + likelihood == pytest.approx(item.likelihood_base)


class TestBands:
    @pytest.mark.parametrize(
        ("score", "band"),
        [
            (1, "low"),
            (4.99, "low"),
            (5, "medium"),
            (9.99, "medium"),
            (10, "high"),
            (16.99, "high"),
            (17, "critical"),
            (25, "critical"),
        ],
    )
    def test_default_band_edges(self, catalogue, score, band):
        assert catalogue.band_for(score) == band


class TestRegister:
    def test_every_risk_of_the_register_is_scored(self, catalogue):
        report = score_risks(NEUTRAL, catalogue)
        assert [item.id for item in report.items] == list(catalogue.risks)
        assert len(report.items) == 27
        assert set(report.by_category) == {"technical", "market", "financial", "legal", "talent"}

    def test_every_interaction_target_lists_its_sources(self, catalogue):
        report = score_risks(NEUTRAL, catalogue)
        expected: dict[str, set] = {}
        for row in catalogue.interactions:
            expected.setdefault(row.target, set()).add(row.source)
        for item in report.items:
            assert {source.id for source in item.amplified_by} == expected.get(item.id, set())

    def test_every_risk_has_mitigations_in_both_languages(self, catalogue):
        for item in score_risks(NEUTRAL, catalogue).items:
            assert item.mitigations
            for mitigation_id in item.mitigations:
                text = catalogue.mitigations[mitigation_id].text
                assert text.en and text.zh

    def test_top_risks_are_sorted_by_score(self, catalogue):
        top = score_risks(NEUTRAL, catalogue).top(5)
        assert len(top) == 5
        assert [item.score for item in top] == sorted((item.score for item in top), reverse=True)


class TestProperties:
    @settings(max_examples=120, deadline=None)
    @given(scenarios)
    def test_scores_stay_in_range(self, scenario):
        report = evaluate(scenario)
        assert 0 <= report.risk.overall <= 100
        assert all(0 <= value <= 100 for value in report.risk.by_category.values())
        for item in report.risk.items:
            assert 1 <= item.likelihood_base <= item.likelihood <= 5
            assert 1 <= item.impact <= 5
            assert 1 <= item.score <= 25
        assert 0 <= report.opportunity.overall <= 100
        assert all(0 <= value <= 10 for value in report.opportunity.axes.values())

    @settings(max_examples=200, deadline=None)
    @given(scenario_dicts(), st.sampled_from(SIGNED), factor_value, factor_value)
    def test_every_factor_moves_risk_in_its_documented_direction(self, data, factor_id, a, b):
        assume(abs(a - b) >= 0.5)
        low, high = sorted((a, b))
        lo = evaluate(parse_scenario({**data, "factors": {**data["factors"], factor_id: low}})).risk
        hi = evaluate(parse_scenario({**data, "factors": {**data["factors"], factor_id: high}})).risk
        sign = 1 if load_catalogue().factors[factor_id].direction == "+" else -1
        for before, after in zip(lo.items, hi.items, strict=True):
            assert sign * (after.score - before.score) >= -1e-12, before.id
        # overall risk moves strictly with every factor
        assert sign * (hi.overall - lo.overall) > 0

    @settings(max_examples=150, deadline=None)
    @given(scenario_dicts(), st.floats(min_value=1, max_value=1e7))
    def test_more_cash_never_raises_financial_risk(self, data, extra):
        richer = {**data, "finance": {**data["finance"], "cash": data["finance"]["cash"] + extra}}
        before = evaluate(parse_scenario(data)).risk
        after = evaluate(parse_scenario(richer)).risk
        for old, new in zip(before.items, after.items, strict=True):
            assert new.score <= old.score + 1e-12, old.id
        assert after.by_category["financial"] <= before.by_category["financial"] + 1e-12
