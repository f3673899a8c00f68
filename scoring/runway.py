"""Cash runway: the month-by-month projection (docs/model.md, "Runway").

For month t = 1..H::

    revenue_t = monthly_revenue * (1 + revenue_growth) ** (t - 1)      [currency / month]
    costs_t   = monthly_costs   * (1 + cost_growth)    ** (t - 1)      [currency / month]
    balance_t = balance_{t-1} + funding_t + revenue_t - costs_t,  balance_0 = cash

The cash-out month is the first t with ``balance_t < 0``; the runway is fractional::

    runway = (t - 1) + (balance_{t-1} + funding_t) / (costs_t - revenue_t)    [months]

so 600k of cash at a flat 50k burn is exactly 12.0 months. A company is *default alive*
(Paul Graham, "Default alive or default dead?", 2015; Trevor Blackwell's calculator) when,
with no further funding, it reaches break-even (some month t <= 120 with
``revenue_t >= costs_t``) and its balance stays >= 0 in every month up to 120. A company that
never becomes profitable is default dead however much cash it has.

Example — how long do 600k last at 50k a month?

>>> from scoring.scenario import Finance
>>> project_runway(Finance(cash=600_000, monthly_costs=50_000, monthly_revenue=0)).months
12.0
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict

from scoring.scenario import MAX_HORIZON_MONTHS, Finance

__all__ = [
    "DEFAULT_ALIVE_MONTHS",
    "RunwayResult",
    "calendar_month",
    "naive_runway",
    "planned_flows",
    "planned_funding",
    "project_runway",
    "runway_within",
]

DEFAULT_ALIVE_MONTHS = MAX_HORIZON_MONTHS


class RunwayResult(BaseModel):
    """The projection. Month-indexed tuples hold months 1..H in order."""

    model_config = ConfigDict(frozen=True)

    horizon_months: int
    months: float | None  # fractional runway [months]; None = never runs out within the horizon
    cash_out_month: int | None  # first month with a negative balance
    break_even_month: int | None  # first month with revenue >= costs
    default_alive: bool
    naive_months: float | None  # cash / month-1 net burn; None when month 1 does not burn cash
    balance: tuple[float, ...]  # end-of-month balance [currency]
    revenue: tuple[float, ...]
    costs: tuple[float, ...]
    funding: tuple[float, ...]  # cash arriving at the start of each month [currency]


def planned_flows(finance: Finance, months: int) -> tuple[np.ndarray, np.ndarray]:
    """(revenue, costs) of months 1..``months`` as planned [currency / month]."""
    elapsed = np.arange(months, dtype=float)
    revenue = finance.monthly_revenue * (1.0 + finance.revenue_growth) ** elapsed
    costs = finance.monthly_costs * (1.0 + finance.cost_growth) ** elapsed
    return revenue, costs


def planned_funding(finance: Finance, months: int, *, expected: bool = False) -> np.ndarray:
    """Cash arriving at the start of months 1..``months`` from every planned round [currency].

    ``expected``: each round's amount times its ``probability`` (its expected value), so an
    unsure round counts only in part.
    """
    funding = np.zeros(months)
    for funding_round in finance.funding:
        if funding_round.month <= months:  # several rounds in one month add up
            share = funding_round.probability if expected else 1.0
            funding[funding_round.month - 1] += funding_round.amount * share
    return funding


def _runway_months(cash: float, funding: np.ndarray, net: np.ndarray) -> tuple[float | None, int | None]:
    """(fractional runway, cash-out month) of balances ``cash + cumsum(funding + net)``."""
    balance = cash + np.cumsum(funding + net)
    negative = np.flatnonzero(balance < 0)
    if negative.size == 0:
        return None, None
    index = int(negative[0])
    before = cash if index == 0 else float(balance[index - 1])
    available = before + float(funding[index])
    # the balance went negative in month index + 1, so the runway ends before it; a ratio that
    # rounds up to a whole month is kept just below it
    months = min(index + available / float(-net[index]), math.nextafter(index + 1, 0.0))
    return months, index + 1


def runway_within(finance: Finance, months: int, *, with_funding: bool = True) -> float | None:
    """Runway over the first ``months`` months (not the plan's horizon) [months]; None = lasts.

    Each planned round counts at its expected value (amount x probability): a round with a
    10 % chance adds a tenth of its amount, so an unsure round leaves the runway short.
    """
    revenue, costs = planned_flows(finance, months)
    funding = planned_funding(finance, months, expected=True) if with_funding else np.zeros(months)
    return _runway_months(finance.cash, funding, revenue - costs)[0]


def naive_runway(finance: Finance) -> float | None:
    """Cash / month-1 net burn, ignoring growth and funding [months]; None when not burning."""
    first_burn = finance.monthly_costs - finance.monthly_revenue
    return finance.cash / first_burn if first_burn > 0 else None


def calendar_month(start_month: str, month: int) -> str:
    """The calendar month ("YYYY-MM") of projected month ``month`` (1 = ``start_month``).

    Who starts in January 2027 and runs out of cash in month 13 runs out in January 2028:

    >>> calendar_month("2027-01", 13)
    '2028-01'
    """
    year, first = (int(part) for part in start_month.split("-"))
    index = (first - 1) + (month - 1)
    return f"{year + index // 12:04d}-{index % 12 + 1:02d}"


def project_runway(finance: Finance) -> RunwayResult:
    """Project the cash balance over the plan's horizon."""
    horizon = finance.horizon_months
    span = max(horizon, DEFAULT_ALIVE_MONTHS)
    revenue_all, costs_all = planned_flows(finance, span)
    revenue, costs = revenue_all[:horizon], costs_all[:horizon]
    funding = planned_funding(finance, horizon)
    net = revenue - costs
    balance = finance.cash + np.cumsum(funding + net)
    months, cash_out_month = _runway_months(finance.cash, funding, net)

    covered = np.flatnonzero(revenue >= costs)
    break_even_month = int(covered[0]) + 1 if covered.size else None

    alive_net = revenue_all[:DEFAULT_ALIVE_MONTHS] - costs_all[:DEFAULT_ALIVE_MONTHS]
    # Graham: profitable at some point on the current plan, and the cash lasts until then (and after)
    default_alive = bool(np.any(alive_net >= 0) and np.all(finance.cash + np.cumsum(alive_net) >= 0))

    naive_months = naive_runway(finance)

    return RunwayResult(
        horizon_months=horizon,
        months=months,
        cash_out_month=cash_out_month,
        break_even_month=break_even_month,
        default_alive=default_alive,
        naive_months=naive_months,
        balance=tuple(balance.tolist()),
        revenue=tuple(revenue.tolist()),
        costs=tuple(costs.tolist()),
        funding=tuple(funding.tolist()),
    )
