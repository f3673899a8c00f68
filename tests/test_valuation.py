"""The two pre-money heuristics against values worked out by hand (data/valuation.yaml)."""

import pytest

from scoring import load_preset, parse_scenario
from scoring.catalogue import DATA_DIR
from scoring.errors import DataError
from scoring.valuation import load_methods, value_company
from tests.helpers import CATALOGUE


def extreme(best: bool, **settings):
    """Every factor at its most (or least) favourable end; no burn (best) or no cash at all (worst)."""
    factors = {}
    for factor_id, factor in CATALOGUE.factors.items():
        good_high = factor.direction in {"-", "none"}
        factors[factor_id] = 10.0 if good_high == best else 0.0
    finance = {"cash": 100_000 if best else 0, "monthly_costs": 50_000, "monthly_revenue": 60_000 if best else 0}
    return parse_scenario({"factors": factors, "finance": finance, "settings": settings})


def test_neutral_template_by_hand():
    """Every factor 5: every favourability 0.5 except the cash signals, so every summation
    rating is 0 and the value is the base. Scorecard: need for funding has the self-funded
    runway 1M / 60k = 16.667 months -> favourability 1 - pressure = (16.667/24)^2 = 0.482253
    (scoring.risk: pressure 1 - (runway / 24)^2; weight 2) and a burn share of 60k/80k -> 0.25
    (weight 1): f = 1.214506/3 = 0.404835, ratio 0.904835.
    2M * (0.95 * 1.0 + 0.05 * 0.904835) = 1,990,483.54."""
    result = value_company(load_preset("neutral_template"))
    assert result.base_pre_money == 2_000_000 and result.step == 250_000
    assert [item.rating for item in result.summation_items] == [0.0] * 12
    assert result.summation == 2_000_000
    assert result.scorecard == pytest.approx(1_990_483.54, abs=0.01)
    assert (result.low, result.high) == (result.scorecard, result.summation)


def test_best_company_by_hand():
    """f = 1 everywhere: twelve ratings of +2 -> 2M + 24 * 250k = 8M; scorecard 1.5 * 2M = 3M."""
    result = value_company(extreme(best=True))
    assert {item.rating for item in result.summation_items} == {2.0}
    assert result.summation == 8_000_000
    assert result.scorecard == pytest.approx(3_000_000)
    assert (result.low, result.high) == pytest.approx((3_000_000, 8_000_000))


def test_worst_company_floors_at_zero():
    """f = 0 everywhere: 2M - 24 * 250k is negative -> 0; scorecard 0.5 * 2M = 1M."""
    result = value_company(extreme(best=False))
    assert {item.rating for item in result.summation_items} == {-2.0}
    assert result.summation == 0.0
    assert result.scorecard == pytest.approx(1_000_000)


@pytest.mark.parametrize(
    ("key_person", "rating"),
    [(1.25, 1.0), (8.75, -1.0), (3.0, 0.0)],
)
def test_summation_rounds_half_away_from_zero(key_person, rating):
    """Management = (2 * team/10 + 1 * (1 - key_person/10)) / 3. Team 5, key person 1.25:
    f = 1.875 / 3 = 0.625, 4f - 2 = +0.5 -> +1; key person 8.75: -0.5 -> -1; 3: 0.2333 -> 0.
    Base 3M, step 500k: the value moves by one step per rating point (against key person 5)."""

    def scenario(key_person_value):
        return parse_scenario(
            {
                "factors": {"talent.team_strength": 5, "talent.key_person_dependence": key_person_value},
                "finance": {"cash": 1, "monthly_costs": 0, "monthly_revenue": 0},
                "settings": {"valuation": {"base_pre_money": 3_000_000, "step": 500_000}},
            }
        )

    result, reference = value_company(scenario(key_person)), value_company(scenario(5))
    management = next(item for item in result.summation_items if item.id == "management")
    assert management.rating == rating
    assert result.summation - reference.summation == 500_000 * rating


def test_scorecard_weights_are_the_methods():
    methods = load_methods()
    weights = {category.id: category.weight for category in methods.scorecard}
    assert weights == {
        "team": 0.30,
        "opportunity": 0.25,
        "product": 0.15,
        "competition": 0.10,
        "marketing": 0.10,
        "need_for_funding": 0.05,
        "other": 0.05,
    }
    assert len(methods.risk_factor_summation) == 12


def test_broken_mapping_names_the_file(tmp_path):
    text = (DATA_DIR / "valuation.yaml").read_text(encoding="utf-8")
    (tmp_path / "valuation.yaml").write_text(text.replace("talent.team_strength: 2", "talent.team: 2", 1))
    with pytest.raises(DataError, match=r"valuation\.yaml.*unknown input 'talent\.team'"):
        load_methods(tmp_path)


def plan(revenue: float, costs: float, currency: str = "USD", **valuation):
    return parse_scenario(
        {
            "currency": currency,
            "finance": {"cash": 1_000_000, "monthly_costs": costs, "monthly_revenue": revenue},
            "settings": {"valuation": valuation} if valuation else {},
        }
    )


@pytest.mark.parametrize(
    ("revenue", "costs", "material"),
    [
        (0, 80_000, False),  # pre-revenue
        (20_000, 80_000, False),  # a quarter of the costs, a 240k run rate: early revenue, the rules still apply
        (39_999, 80_000, False),  # just under half the costs; run rate 480k < 1M
        (40_000, 80_000, True),  # half the costs
        (300_000, 400_000, True),  # 300k a month: 75 % of its costs
        (90_000, 2_000_000, True),  # 4.5 % of large costs, but a 1.08M run rate >= half the 2M base
        (80_000, 2_000_000, False),  # a 960k run rate: just under half the base
        (1, 0, True),  # revenue and no costs at all
    ],
)
def test_material_revenue_follows_the_documented_thresholds(revenue, costs, material):
    """data/valuation.yaml: month-1 revenue >= 50 % of month-1 costs, or 12 x month-1 revenue >=
    50 % of the base pre-money (2M by default)."""
    rule = load_methods().material_revenue
    assert (rule.cost_share, rule.run_rate_share_of_base) == (0.5, 0.5)
    result = value_company(plan(revenue, costs))
    assert result.material_revenue is material
    assert result.monthly_revenue == revenue
    assert result.revenue_cost_share == (revenue / costs if costs else None)


def test_the_run_rate_test_reads_the_scenarios_own_base():
    assert not value_company(plan(90_000, 2_000_000, base_pre_money=3_000_000)).material_revenue  # 1.08M < 1.5M


def test_the_default_base_is_a_usd_placeholder_in_another_currency():
    assert load_methods().default_base_currency == "USD"
    assert not value_company(plan(0, 80_000)).base_is_placeholder  # USD: the default is meant for it
    assert value_company(plan(0, 80_000, currency="CNY")).base_is_placeholder
    assert value_company(plan(0, 80_000, currency="CNY", step=300_000)).base_is_placeholder  # base not set
    assert not value_company(plan(0, 80_000, currency="CNY", base_pre_money=15_000_000)).base_is_placeholder
