"""Hypothesis strategies for scenarios: any valid factor ratings and cash plans."""

from hypothesis import strategies as st

from scoring import parse_scenario
from scoring.scenario import MONEY_LIMITS_USD
from tests.helpers import CATALOGUE

FACTOR_IDS = list(CATALOGUE.factors)
# Cash, costs, revenue and rounds valid in every currency: the US-dollar limits are the lowest, and
# a month's costs or revenue (1e10) the lowest of those (scoring/scenario.py, MONEY_LIMITS_USD).
MAX_GENERATED_AMOUNT = 5e7
assert min(MONEY_LIMITS_USD.values()) >= MAX_GENERATED_AMOUNT

factor_value = st.floats(min_value=0, max_value=10, allow_nan=False)
amount = st.floats(min_value=0, max_value=MAX_GENERATED_AMOUNT, allow_nan=False)
growth = st.floats(min_value=-0.2, max_value=0.3, allow_nan=False)


@st.composite
def finances(draw):
    horizon = draw(st.integers(min_value=1, max_value=120))
    rounds = draw(
        st.lists(
            st.fixed_dictionaries({"month": st.integers(min_value=1, max_value=horizon), "amount": amount}),
            max_size=3,
        )
    )
    return {
        "cash": draw(amount),
        "monthly_costs": draw(amount),
        "monthly_revenue": draw(amount),
        "cost_growth": draw(growth),
        "revenue_growth": draw(growth),
        "funding": rounds,
        "horizon_months": horizon,
    }


@st.composite
def scenario_dicts(draw):
    factors = draw(st.dictionaries(st.sampled_from(FACTOR_IDS), factor_value))
    return {"name": "generated", "factors": factors, "finance": draw(finances())}


scenarios = scenario_dicts().map(parse_scenario)
