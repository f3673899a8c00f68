"""Scenarios as changes to a base: links and variants round-trip, and bad changes are reported."""

from hypothesis import given
from hypothesis import strategies as st

from scoring import Scenario, load_preset, parse_scenario
from scoring.links import MAX_VALUE_CHARS, apply_changes, changes, flat_keys, flatten
from tests.strategies import scenario_dicts

TEMPLATE = load_preset("neutral_template")


@st.composite
def rich_scenarios(draw):
    """Scenarios using every optional field, with labels full of separators."""
    data = draw(scenario_dicts())
    finance = data["finance"]
    label = st.text(alphabet="12 :,%&=#<>上轮", min_size=1, max_size=12).filter(str.strip)  # no tag starts
    for row in finance["funding"]:
        row["probability"] = draw(st.floats(min_value=0, max_value=1))
        if draw(st.booleans()):
            row["label"] = draw(label)
    finance["uncertainty"] = {
        "cost_sd": draw(st.floats(min_value=0, max_value=1)),
        "revenue_sd": draw(st.floats(min_value=0, max_value=1)),
        "revenue_growth_sd": draw(st.floats(min_value=0, max_value=0.5)),
        "risk_events": draw(st.booleans()),
    }
    data["name"] = draw(st.sampled_from(["Base", "Bull: 上行 情景", "Bear, 50% & more", "Seed < 2M > 1M"]))
    data["currency"] = draw(st.sampled_from(["USD", "CNY", "EUR"]))
    data["settings"] = {
        "start_month": draw(st.sampled_from(["2026-01", "2030-12"])),
        "fundraising_lead_months": draw(st.floats(min_value=0, max_value=36)),
        "valuation": {"base_pre_money": draw(st.floats(min_value=1, max_value=1e9)), "step": 500_000},
    }
    return parse_scenario(data)


@given(rich_scenarios())
def test_changes_round_trip_exactly(scenario):
    restored, ignored = apply_changes(TEMPLATE, changes(TEMPLATE, scenario))
    assert ignored == []
    assert restored == scenario


def test_only_differences_are_written():
    assert changes(TEMPLATE, TEMPLATE) == {}
    edited = TEMPLATE.model_copy(update={"factors": {**TEMPLATE.factors, "market.demand": 7.5}})
    assert changes(TEMPLATE, edited) == {"market.demand": "7.5"}


def test_a_variant_follows_its_base():
    """A variant records its changes only: a later edit of the base shows through."""
    variant = {"market.demand": "8", "monthly_costs": "90000"}
    base = parse_scenario({**TEMPLATE.to_dict(), "finance": {**TEMPLATE.to_dict()["finance"], "cash": 2_500_000}})
    bull, ignored = apply_changes(base, variant)
    assert ignored == []
    assert bull.finance.cash == 2_500_000  # from the edited base
    assert bull.factors["market.demand"] == 8 and bull.finance.monthly_costs == 90_000


def test_funding_rounds_text():
    scenario, ignored = apply_changes(TEMPLATE, {"funding": "9:1500000,18:3000000:0.5:Series%20A%2C%20lead"})
    assert ignored == []
    assert [(r.month, r.amount, r.probability, r.label) for r in scenario.finance.funding] == [
        (9, 1_500_000, 1.0, None),
        (18, 3_000_000, 0.5, "Series A, lead"),
    ]
    assert flatten(scenario)["funding"] == "9:1500000,18:3000000:0.5:Series%20A%2C%20lead"


def test_tampered_changes_are_named_and_the_base_stands():
    given_changes = {
        "cash": "500000",  # fine
        "market.demand": "eleven",
        "market.competition": "11",
        "monthly_costs": "-5",
        "cost_sd": "nan",
        "revenue_sd": "inf",
        "admin": "1",
        "name": "<script>alert(1)</script>",
        "risk_events": "maybe",
        "horizon_months": "6.5",
        "funding": "soon:lots",
        "start_month": "2026-13",
        "currency": "dollars",
        "monthly_revenue": "9" * (MAX_VALUE_CHARS + 1),
    }
    scenario, ignored = apply_changes(TEMPLATE, given_changes)
    assert scenario.finance.cash == 500_000
    reasons = {item.key: item.reason for item in ignored}
    assert set(reasons) == set(given_changes) - {"cash"}
    assert "not a number" in reasons["market.demand"]
    assert "less than or equal to 10" in reasons["market.competition"]
    assert "greater than or equal to 0" in reasons["monthly_costs"]
    assert "not a known setting" in reasons["admin"]
    assert "markup" in reasons["name"]
    assert "longer than" in reasons["monthly_revenue"]
    assert changes(TEMPLATE, scenario) == {"cash": "500000"}


def test_markup_in_a_round_label_is_refused():
    scenario, ignored = apply_changes(TEMPLATE, {"funding": "9:100:1:%3Cscript%3E"})
    assert scenario.finance.funding == ()
    assert [(item.key, item.reason) for item in ignored] == [("funding", "contains markup or control characters")]


def test_a_change_that_clashes_with_the_base_is_dropped():
    """The base has a round in month 30; a link that shortens the horizon to 24 cannot stand."""
    base, _ = apply_changes(TEMPLATE, {"funding": "30:100000"})
    scenario, ignored = apply_changes(base, {"horizon_months": "24", "cash": "5"})
    assert scenario.finance.horizon_months == 36 and scenario.finance.cash == 5
    assert [item.key for item in ignored] == ["horizon_months"]
    assert "does not fit" in ignored[0].reason and "month 30" in ignored[0].reason


@given(st.dictionaries(st.sampled_from([*flat_keys(), "x", "π"]) | st.text(max_size=8), st.text(max_size=30)))
def test_any_text_gives_a_valid_scenario(given_changes):
    scenario, ignored = apply_changes(TEMPLATE, given_changes)
    assert isinstance(scenario, Scenario)
    assert len(ignored) <= len(given_changes)
