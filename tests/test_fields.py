"""The field table (dashboard/fields.py): one entry per scenario input the controls edit, unique
keys, words in both languages, and every value survives scenario -> controls -> scenario."""

import copy
import math
import types
import typing
from collections import Counter

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from dashboard.fields import (
    FIELDS,
    by_path,
    field_label,
    scenario_data,
    setting_labels,
    shown_value,
    stored_value,
    widget_values,
)
from scoring import load_catalogue, parse_scenario
from scoring.catalogue import DATA_DIR
from scoring.links import flat_keys
from scoring.scenario import MAX_GROWTH_SD, MAX_HORIZON_MONTHS, MAX_LEAD_MONTHS, MAX_SD, MONEY_LIMITS_USD, Scenario
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS
from scoring.valuation import load_methods
from tests.strategies import scenario_dicts

# The inputs the widgets show in % (the scenario holds fractions), as the sidebar's labels say.
PERCENT_PATHS = {
    "finance.cost_growth",
    "finance.revenue_growth",
    "finance.uncertainty.cost_sd",
    "finance.uncertainty.revenue_sd",
    "finance.uncertainty.revenue_growth_sd",
}
# Edited elsewhere: the factor sliders and the funding table are families of their own.
NOT_IN_TABLE = {"schema_version", "factors", "finance.funding"}
DEFAULT_BASE = load_methods().default_base_pre_money  # data/valuation.yaml
DEFAULT_STEP = 250_000.0  # the risk-factor summation's usual value of one rating step


def whole_percent(low: int, high: int):
    return st.integers(low, high).map(lambda percent: percent / 100)


@st.composite
def edited_scenarios(draw, fraction=whole_percent):
    """Scenarios with every input the controls edit, each optional one set or left unset."""
    data = draw(scenario_dicts())
    finance = data["finance"]
    finance["cost_growth"] = draw(fraction(-20, 30))
    finance["revenue_growth"] = draw(fraction(-20, 30))
    for row in finance["funding"]:
        if draw(st.booleans()):
            row["probability"] = draw(fraction(0, 100))
        if draw(st.booleans()):
            row["label"] = draw(st.sampled_from(["Seed", "Series A", "上轮 2"]))
    finance["uncertainty"] = {
        "cost_sd": draw(fraction(0, 100)),
        "revenue_sd": draw(fraction(0, 100)),
        "revenue_growth_sd": draw(fraction(0, 50)),
        "risk_events": draw(st.booleans()),
    }
    data["name"] = draw(st.text(min_size=1, max_size=120).map(str.strip).filter(bool))
    data["currency"] = draw(st.from_regex(r"[A-Z]{3}", fullmatch=True))
    settings = data["settings"] = {}
    if draw(st.booleans()):
        settings["start_month"] = draw(st.sampled_from(["2026-01", "2027-12", "2030-06"]))
    if draw(st.booleans()):
        settings["fundraising_lead_months"] = draw(st.floats(min_value=0, max_value=MAX_LEAD_MONTHS))
    if draw(st.booleans()):
        valuation = settings["valuation"] = {}
        if draw(st.booleans()):
            valuation["base_pre_money"] = draw(st.sampled_from([DEFAULT_BASE, 0.0]) | st.floats(1, 1e9))
        if draw(st.booleans()):
            valuation["step"] = draw(st.sampled_from([DEFAULT_STEP]) | st.floats(0, 1e7))
    return parse_scenario(data)


def through_the_controls(scenario: Scenario) -> Scenario:
    """The scenario the controls describe after ``scenario`` was loaded into them."""
    return parse_scenario(scenario_data(widget_values(scenario)))


def as_the_controls_show_it(scenario: Scenario) -> Scenario:
    """``scenario`` with its unset settings as the controls show them: a raise takes the
    simulation's default lead time, and a valuation at the data's defaults is left out."""
    settings = scenario.settings
    lead = settings.fundraising_lead_months
    valuation = settings.valuation
    base = (valuation.base_pre_money if valuation else None) or DEFAULT_BASE  # 0 is no base either
    step = valuation.step if valuation else DEFAULT_STEP
    kept = None if (base, step) == (DEFAULT_BASE, DEFAULT_STEP) else {"base_pre_money": base, "step": step}
    data = scenario.to_dict()
    data["settings"] = {
        **({"start_month": settings.start_month} if settings.start_month else {}),
        "fundraising_lead_months": DEFAULT_FUNDRAISING_LEAD_MONTHS if lead is None else lead,
        **({"valuation": kept} if kept else {}),
    }
    return parse_scenario(data)


def value_at(scenario: Scenario, path: str):
    """The value at ``path``; None inside an unset part (a scenario without a valuation)."""
    value = scenario
    for part in path.split("."):
        value = getattr(value, part) if value is not None else None
    return value


# --- one entry per input ---------------------------------------------------------------------------


def submodel(annotation) -> type[BaseModel] | None:
    """The model a field holds (``Valuation | None`` holds a Valuation), if it holds one."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def leaf_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, info in model.model_fields.items():
        inner = submodel(info.annotation)
        if inner is not None and not isinstance(info.annotation, types.GenericAlias):
            paths += leaf_paths(inner, f"{prefix}{name}.")
        else:
            paths.append(f"{prefix}{name}")
    return paths


def test_every_scenario_input_has_exactly_one_entry():
    edited = [path for path in leaf_paths(Scenario) if path not in NOT_IN_TABLE]
    assert "settings.valuation.base_pre_money" in edited and "finance.uncertainty.risk_events" in edited
    assert Counter(field.path for field in FIELDS) == Counter(edited)


def test_keys_paths_and_link_keys_are_unique():
    for attribute in ("key", "path", "link_key"):
        values = [getattr(field, attribute) for field in FIELDS]
        assert len(values) == len(set(values)), attribute
    assert not any(field.key.startswith("f:") for field in FIELDS)  # the factor sliders' prefix


def test_every_link_key_is_a_field_a_factor_or_the_funding_rounds():
    table = {field.link_key for field in FIELDS}
    assert table <= set(flat_keys())
    assert set(flat_keys()) - table == {*load_catalogue().factors, "funding"}


def test_every_label_and_help_is_written_in_both_languages():
    strings = yaml.safe_load((DATA_DIR / "i18n.yaml").read_text(encoding="utf-8"))["strings"]
    for field in FIELDS:
        for key in filter(None, (field.label, field.help)):
            assert key in strings, (field.path, key)
            assert all(isinstance(strings[key].get(lang), str) and strings[key][lang] for lang in ("en", "zh")), key


def test_growth_and_swings_are_shown_in_percent():
    assert {field.path for field in FIELDS if field.scale == 100} == PERCENT_PATHS
    assert {field.scale for field in FIELDS} == {1, 100}


def test_each_widget_takes_only_values_the_model_accepts():
    """The widgets' limits come from the model's: each end of every range is a valid scenario."""
    base = parse_scenario({"finance": {"cash": 1, "monthly_costs": 1, "monthly_revenue": 0}}).to_dict()
    for field in FIELDS:
        if field.bounds is None:
            continue
        assert field.bounds.min < field.bounds.max
        for end in (field.bounds.min, field.bounds.max):
            data = copy.deepcopy(base)
            *parents, last = field.path.split(".")
            target = data
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = field.cast(end) if field.scale == 1 else end / field.scale
            parse_scenario(data)  # raises when the widget could produce an invalid scenario
    assert by_path("finance.horizon_months").bounds.max == MAX_HORIZON_MONTHS
    assert by_path("settings.fundraising_lead_months").bounds.max == MAX_LEAD_MONTHS
    assert by_path("finance.uncertainty.cost_sd").bounds.max == MAX_SD * 100
    assert by_path("finance.uncertainty.revenue_growth_sd").bounds.max == MAX_GROWTH_SD * 100
    # money widgets: the US-dollar limits here; the sidebar draws the limit in the scenario's currency
    assert by_path("finance.cash").bounds.max == MONEY_LIMITS_USD["finance.cash"] == 1e11
    assert by_path("finance.monthly_costs").bounds.max == 1e10


# --- every value survives the controls ------------------------------------------------------------


@given(edited_scenarios())
def test_a_scenario_survives_the_controls(scenario):
    """Loaded into the controls and read back, a scenario is itself (unset settings as shown)."""
    after = through_the_controls(scenario)
    expected = as_the_controls_show_it(scenario)
    for field in FIELDS:
        assert value_at(after, field.path) == value_at(expected, field.path), field.path
    assert after == expected
    assert through_the_controls(after) == after


@given(edited_scenarios(fraction=lambda low, high: st.floats(low / 100, high / 100)))
def test_any_fraction_survives_the_controls_to_within_a_rounding(scenario):
    """A float of 17 significant digits comes back within a rounding of itself (the widget holds
    it ×100), every other input exactly."""
    after, expected = through_the_controls(scenario), as_the_controls_show_it(scenario)
    for field in FIELDS:
        got, want = value_at(after, field.path), value_at(expected, field.path)
        if field.path in PERCENT_PATHS:
            assert math.isclose(got, want, rel_tol=1e-15, abs_tol=1e-300), field.path
        else:
            assert got == want, field.path
    for got, want in zip(after.finance.funding, expected.finance.funding, strict=True):
        assert math.isclose(got.probability, want.probability, rel_tol=1e-15)
        assert (got.month, got.amount, got.label) == (want.month, want.amount, want.label)


@settings(max_examples=300)
@given(
    edited_scenarios(
        fraction=lambda low, high: st.integers(round(low * 10_000), round(high * 10_000)).map(lambda n: n / 1_000_000)
    )
)
def test_a_fraction_of_up_to_six_decimals_survives_the_controls_exactly(scenario):
    """What people type or links carry (-0.197, 0.0125, 0.333333) comes back to the last digit."""
    assert through_the_controls(scenario) == as_the_controls_show_it(scenario)


def test_a_fraction_with_three_decimals_survives_the_controls():
    """-19.7 % is stored as -0.197, not -0.19699999999999998 (x100 then /100 in floats): a link
    with cost_growth=-0.197 reopens unchanged."""
    scenario = parse_scenario(
        {"finance": {"cash": 1e6, "monthly_costs": 8e4, "monthly_revenue": 0, "cost_growth": -0.197}}
    )
    assert through_the_controls(scenario).finance.cost_growth == -0.197


# --- the fields in words ---------------------------------------------------------------------------


def test_a_field_is_named_as_its_control_labels_it():
    assert field_label("finance.uncertainty.cost_sd", "en") == "Cost swing, % / month"
    assert field_label("settings.valuation.step", "zh") == "每级评分对应的估值"
    assert field_label("cash", "en") == "Cash on hand"  # a link's flat key
    assert field_label("factors.market.demand", "en") == "Proven demand"
    assert field_label("finance.funding[1].probability", "en") == "Funding round 2: Chance, %"
    assert field_label("schema_version", "en") == "Schema version"
    assert field_label("settings.valuation", "en") == "settings.valuation"  # nothing holds it: as given


def test_every_setting_a_variant_may_change_has_a_label():
    labels = setting_labels("en")
    assert list(labels) == list(flat_keys())
    assert labels["funding"] == "Funding rounds"
    assert labels["fundraising_lead_months"] == "Months a raise takes"
    assert labels["market.demand"] == "Proven demand"
    assert len(set(setting_labels("zh").values())) == len(labels)  # a variant's editor picks by label


def test_a_variant_shows_growth_and_swings_in_percent():
    assert shown_value("revenue_growth", "0.05") == "5"
    assert shown_value("revenue_growth_sd", "0.015") == "1.5"
    assert shown_value("cash", "1200000") == "1200000"
    assert shown_value("cost_sd", "") == ""
    assert shown_value("cost_sd", "lots") == "lots"
    assert stored_value("revenue_growth", "5") == "0.05"
    assert stored_value("cost_growth", " -2 ") == "-0.02"
    assert stored_value("cash", " 1200000 ") == "1200000"
    assert stored_value("cost_sd", "lots") == "lots"
