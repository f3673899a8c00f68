"""Bad input of every class gets one clear error naming the field; nothing is silently replaced."""

import json

import pytest

from scoring import ScenarioError, load_scenario, parse_scenario, parse_scenario_json
from scoring.scenario import MAX_SCENARIO_BYTES

FINANCE = {"cash": 600_000, "monthly_costs": 50_000, "monthly_revenue": 0}


def scenario(**overrides):
    return {"schema_version": 1, "name": "t", "finance": dict(FINANCE), **overrides}


def error_for(data) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario_json(json.dumps(data) if not isinstance(data, str) else data)
    assert "\n" not in str(info.value)
    return info.value


class TestValid:
    def test_missing_factors_default_to_neutral_five(self, catalogue):
        parsed = parse_scenario(scenario(factors={"market.demand": 7.5}))
        assert parsed.factors["market.demand"] == 7.5
        assert parsed.factors["legal.labor_practices"] == 5.0
        assert list(parsed.factors) == list(catalogue.factors)

    def test_defaults_of_the_cash_plan(self):
        finance = parse_scenario(scenario()).finance
        assert (finance.cost_growth, finance.revenue_growth, finance.funding, finance.horizon_months) == (0, 0, (), 36)

    def test_whole_numbers_are_accepted_as_ratings(self):
        assert parse_scenario(scenario(factors={"market.demand": 7})).factors["market.demand"] == 7.0

    def test_round_trip_through_json(self):
        original = parse_scenario(
            scenario(
                factors={"talent.team_strength": 4.5},
                finance={**FINANCE, "funding": [{"month": 3, "amount": 1e6, "label": "Seed"}]},
                settings={"start_month": "2027-03", "fundraising_lead_months": 7},
            )
        )
        assert parse_scenario_json(json.dumps(original.to_dict())) == original

    def test_utf8_bom_and_chinese_names_are_fine(self):
        text = json.dumps(scenario(name="智能客服"), ensure_ascii=False).encode("utf-8-sig")
        assert parse_scenario_json(text).name == "智能客服"


class TestBadInput:
    def test_unknown_factor_id_is_named_with_a_suggestion(self):
        error = error_for(scenario(factors={"market.demnd": 5}))
        assert error.field == "factors"
        assert "'market.demnd'" in error.message
        assert "did you mean 'market.demand'" in error.message

    @pytest.mark.parametrize("value", [10.5, -0.1, 11])
    def test_factor_out_of_range(self, value):
        error = error_for(scenario(factors={"market.demand": value}))
        assert error.field == "factors.market.demand"
        assert str(value) in error.message

    @pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
    def test_nan_and_infinity_are_rejected_where_they_stand(self, literal):
        text = json.dumps(scenario()).replace('"cash": 600000', f'"cash": {literal}')
        error = error_for(text)
        assert error.field == "finance.cash"
        assert "finite" in error.message

    def test_nan_factor(self):
        error = error_for(
            '{"factors": {"technical.security": NaN}, "finance": {"cash": 1, "monthly_costs": 1, "monthly_revenue": 0}}'
        )
        assert error.field == "factors.technical.security"

    def test_negative_cash(self):
        error = error_for(scenario(finance={**FINANCE, "cash": -5}))
        assert error.field == "finance.cash"
        assert (error.kind, error.context) == ("greater_than_equal", {"ge": 0.0})
        assert "greater than or equal to 0" in error.message

    @pytest.mark.parametrize(
        ("where", "value"),
        [("cash", "600000"), ("monthly_costs", True), ("horizon_months", 12.5), ("funding", {"month": 1})],
    )
    def test_wrong_types(self, where, value):
        error = error_for(scenario(finance={**FINANCE, where: value}))
        assert error.field == f"finance.{where}"

    def test_string_factor_is_a_wrong_type_not_a_number(self):
        error = error_for(scenario(factors={"market.demand": "7"}))
        assert error.field == "factors.market.demand"
        assert "str" in error.message

    def test_funding_month_outside_the_horizon(self):
        error = error_for(
            scenario(
                finance={
                    **FINANCE,
                    "horizon_months": 24,
                    "funding": [{"month": 3, "amount": 1}, {"month": 30, "amount": 1}],
                }
            )
        )
        assert error.field == "finance.funding[1].month"
        assert "30" in error.message and "24" in error.message
        assert (error.kind, error.context) == ("funding_after_horizon", {"month": 30, "horizon": 24})

    def test_funding_month_zero(self):
        error = error_for(scenario(finance={**FINANCE, "funding": [{"month": 0, "amount": 1}]}))
        assert error.field == "finance.funding[0].month"

    @pytest.mark.parametrize("horizon", [0, 121])
    def test_horizon_out_of_range(self, horizon):
        assert error_for(scenario(finance={**FINANCE, "horizon_months": horizon})).field == "finance.horizon_months"

    def test_growth_of_minus_100_percent_or_less(self):
        assert error_for(scenario(finance={**FINANCE, "cost_growth": -1})).field == "finance.cost_growth"

    def test_missing_required_cash_input(self):
        finance = dict(FINANCE)
        del finance["monthly_costs"]
        error = error_for(scenario(finance=finance))
        assert (error.field, error.message) == ("finance.monthly_costs", "is required")

    def test_missing_finance(self):
        assert error_for({"name": "x"}).field == "finance"

    def test_unknown_field(self):
        error = error_for(scenario(finanse={}))
        assert (error.field, error.message) == ("finanse", "is not a known field")

    def test_unsupported_schema_version(self):
        error = error_for(scenario(schema_version=2))
        assert error.field == "schema_version"
        assert "not supported" in error.message

    def test_malformed_json(self):
        error = error_for('{"finance": {"cash": 1,,}}')
        assert error.field == ""
        assert "not valid JSON" in error.message and "line 1" in error.message

    def test_duplicate_keys(self):
        assert "appears twice" in error_for('{"name": "a", "name": "b"}').message

    def test_json_that_is_not_an_object(self):
        assert "must be a JSON object" in error_for("[1, 2]").message

    @pytest.mark.parametrize(
        ("field", "value"), [("currency", "usd"), ("name", ""), ("settings", {"start_month": "2027-13"})]
    )
    def test_malformed_text_fields(self, field, value):
        assert error_for(scenario(**{field: value})).field.startswith(field)


class TestMoneyLimits:
    """Amounts no AI startup could hold, raise, spend or be worth are refused as typos, naming the
    field and the limit in the scenario's currency (scoring/scenario.py, MONEY_LIMITS_USD)."""

    @pytest.mark.parametrize(
        ("where", "field", "limit"),
        [
            ({"cash": 1e11}, "finance.cash", "100,000,000,000 USD"),
            ({"monthly_costs": 1e10}, "finance.monthly_costs", "10,000,000,000 USD"),
            ({"monthly_revenue": 1e10}, "finance.monthly_revenue", "10,000,000,000 USD"),
        ],
    )
    def test_the_limit_itself_is_accepted_and_a_dollar_more_refused(self, where, field, limit):
        parse_scenario(scenario(finance={**FINANCE, **where}))  # at the limit: fine
        (key, value), *_ = where.items()
        error = error_for(scenario(finance={**FINANCE, key: value + 1}))
        assert (error.field, error.message) == (field, f"must be at most {limit}")
        assert (error.kind, error.context) == ("less_than_equal", {"le": limit})

    def test_the_founders_trillion_is_refused(self):
        """Issue 14: cash=1e12 was accepted and the naive line read 16666666.7 months."""
        error = error_for(scenario(finance={**FINANCE, "cash": 1e12}))
        assert str(error) == "finance.cash: must be at most 100,000,000,000 USD"

    def test_a_round_names_its_position(self):
        rounds = [{"month": 3, "amount": 5e6}, {"month": 9, "amount": 2e11}]
        error = error_for(scenario(finance={**FINANCE, "funding": rounds}))
        assert str(error) == "finance.funding[1].amount: must be at most 100,000,000,000 USD"

    def test_valuation_inputs(self):
        error = error_for(scenario(settings={"valuation": {"base_pre_money": 2e13}}))
        assert str(error) == "settings.valuation.base_pre_money: must be at most 10,000,000,000,000 USD"
        error = error_for(scenario(settings={"valuation": {"step": 2e12}}))
        assert str(error) == "settings.valuation.step: must be at most 1,000,000,000,000 USD"

    def test_a_currency_worth_less_than_a_dollar_has_a_higher_limit(self):
        """150 yen to the dollar rounds up to 1000: 1e13 yen (~67 billion USD) is a possible cash."""
        parse_scenario(scenario(currency="JPY", finance={**FINANCE, "cash": 1e13}))
        error = error_for(scenario(currency="JPY", finance={**FINANCE, "cash": 2e14}))
        assert error.message == "must be at most 100,000,000,000,000 JPY"
        error = error_for(scenario(currency="EUR", finance={**FINANCE, "cash": 2e11}))
        assert error.message == "must be at most 100,000,000,000 EUR"

    def test_absurd_numbers_in_an_unlisted_currency_are_refused_too(self):
        parse_scenario(scenario(currency="VND", finance={**FINANCE, "cash": 1e15}))  # ~40 billion USD
        assert error_for(scenario(currency="VND", finance={**FINANCE, "cash": 1e17})).field == "finance.cash"
        assert error_for(scenario(currency="VND", finance={**FINANCE, "cash": 1e19})).field == "finance.cash"


class TestFiles:
    def test_missing_file(self, tmp_path):
        with pytest.raises(ScenarioError, match="no such file"):
            load_scenario(tmp_path / "nope.json")

    def test_folder_instead_of_a_file(self, tmp_path):
        with pytest.raises(ScenarioError, match="is a folder"):
            load_scenario(tmp_path)

    def test_oversized_file(self, tmp_path):
        path = tmp_path / "big.json"
        path.write_text(" " * (MAX_SCENARIO_BYTES + 1) + json.dumps(scenario()))
        with pytest.raises(ScenarioError, match="larger than"):
            load_scenario(path)

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "latin1.json"
        path.write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
        with pytest.raises(ScenarioError, match="not UTF-8"):
            load_scenario(path)

    def test_error_names_the_file(self, tmp_path):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(scenario(finance={**FINANCE, "cash": -1})))
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        assert str(info.value).startswith(f"{path}: finance.cash:")
