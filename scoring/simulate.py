"""Monte Carlo runway: many possible futures of the cash plan (docs/model.md, "Simulated futures").

Each path p draws, for month t = 1..H::

    costs_t   = planned_costs_t   * (1 + cost_rise_t) * max(1 + cost_sd * eps_t, 0) + one_off_t
    revenue_t = R0 * (1 + g_p) ** (t - 1) * event_t * max(1 + revenue_sd * eta_t, 0)
    g_p       = revenue_growth + revenue_growth_sd * z_p            (once per path, >= -0.99)
    balance_t = balance_{t-1} + funding_t + revenue_t - costs_t

with eps, eta, z independent standard normals and each funding round closing with its
``probability``. With risk events on, every risk strikes at most once per path, in a month
drawn from the constant monthly hazard that its likelihood implies, and then does everything
data/risk_events.yaml lists for it, each effect scaled by impact / 5: a one-off cost, lost and
delayed revenue, a growth cut, a funding round that slips or fails, a cost rise
(``cost_rise_t``, ``one_off_t`` and ``event_t`` above; all 0 / 1 without events). Every risk
has a cost effect, so every risk bites in every company with costs, before revenue and
without a planned round too. Runway and cash-out are those of scoring/runway.py, path by
path; a path is default alive when, with no further funding, it reaches break-even
(``revenue_t >= costs_t`` in some month up to 120) and its balance stays >= 0 through month
120 (the noise and the events go on past the horizon).

The noise, the growth draw, the funding draws and the risk events come from separate seeded
streams, so a path meets the same luck with and without risk events: as every effect only
lowers revenue, raises costs or delays or cancels funding, turning them on can only shorten its
runway. With every uncertainty at zero each path is the deterministic projection, bit for bit.

>>> from scoring.scenario import Scenario, Finance, Uncertainty
>>> plan = Finance(cash=600_000, monthly_costs=50_000, monthly_revenue=0, horizon_months=24)
>>> simulate(Scenario(finance=plan), paths=10).runway_months.p50
12.0
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue, load_catalogue
from scoring.risk import RiskReport, score_risks
from scoring.runway import DEFAULT_ALIVE_MONTHS, naive_runway, planned_flows
from scoring.scenario import Finance, Scenario

__all__ = [
    "DEFAULT_FUNDRAISING_LEAD_MONTHS",
    "DEFAULT_PATHS",
    "MAX_PATHS",
    "Fan",
    "Percentiles",
    "RaiseAdvice",
    "SimulationResult",
    "raise_advice",
    "simulate",
]

DEFAULT_PATHS = 10_000
DEFAULT_FUNDRAISING_LEAD_MONTHS = 6.0  # a round takes 6-9 months from first meeting to money
MAX_PATHS = 200_000  # 200k paths x 120 months keeps every array under 200 MB
MIN_GROWTH = -0.99  # a path's drawn growth never reaches -100 % a month
PERCENTILES = (10, 50, 90)
# The order of the seeded streams; adding one at the end keeps old seeds' numbers.
_STREAMS = ("costs", "revenue", "growth", "funding", "events", "costs_after", "revenue_after")


class Percentiles(BaseModel):
    """P10 / P50 / P90 runway [months]; None = that share of paths does not run out."""

    model_config = ConfigDict(frozen=True)

    p10: float | None
    p50: float | None
    p90: float | None


class Fan(BaseModel):
    """P10 / P50 / P90 end-of-month balance for months 1..H [currency]."""

    model_config = ConfigDict(frozen=True)

    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]


class SimulationResult(BaseModel):
    """The report of ``python -m scoring simulate``."""

    model_config = ConfigDict(frozen=True)

    paths: int
    seed: int
    horizon_months: int
    risk_events: bool
    runway_months: Percentiles
    prob_cash_out_by_month: tuple[float, ...]  # share of paths out of cash by month t, non-decreasing
    prob_default_alive: float
    fan: Fan
    naive_months: float | None  # cash / month-1 net burn, as in the projection


def _multiplier(rng: np.random.Generator, shape: tuple[int, int], sd: float) -> np.ndarray:
    """max(1 + sd * eps, 0) for standard normal eps (numpy forms 1 + sd * eps as it draws)."""
    draws = rng.normal(1.0, sd, shape)
    return np.maximum(draws, 0.0, out=draws)


def _net(revenue: np.ndarray, costs: np.ndarray, count: int) -> np.ndarray:
    """revenue - costs as a (count, months) array of its own; reuses a 2-D input's memory."""
    if costs.ndim == 2:
        return np.subtract(revenue, costs, out=costs)
    if revenue.ndim == 2:
        return np.subtract(revenue, costs, out=revenue)
    return np.tile(revenue - costs, (count, 1))


class _Events:
    """The risk events of every path, turned into per-month arrays for any set of paths.

    Each risk strikes a path at most once; its strikes are stored sparsely (the paths it hits
    within 120 months and the month), and each of its effects refers to them with the effect's
    size scaled by the risk's impact. Effects are written as impulses at a path's month into a
    flat (paths x months) array; cumulative sums turn impulses into steps (a cost rise from
    the event on) and steps into ramps (a growth cut); one-off costs and revenue gaps are
    written in place.
    """

    def __init__(self, finance: Finance, report: RiskReport, catalogue: Catalogue, rng: np.random.Generator, n: int):
        model = catalogue.risk_events
        self.finance = finance
        self.n = n
        self.fail_after = model.fail_after_months
        self.struck: list[tuple[np.ndarray, np.ndarray]] = []  # per risk: (paths struck, month of the strike)
        # kind -> [(risk position, size, months of a growth cut)], one per risk and effect
        self.strikes: dict[str, list[tuple[int, float, int]]] = {}
        self._within: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # all paths' hits
        self._lookup: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
        chances = np.array([model.probability(item.likelihood) for item in report.items])
        hazards = 1.0 - (1.0 - chances) ** (1.0 / model.window_months)
        # The month of a risk's first strike is geometric(hazard), P(month > k) = (1 - h)^k: for a
        # uniform u, ceil(log(1 - u) / log(1 - h)). Only months 1..120 ever matter, which u below
        # 1 - (1 - h)^120 give; the months of the other paths are never computed.
        draws = rng.random((len(report.items), n))  # one row per risk
        reach = 1.0 - (1.0 - hazards) ** DEFAULT_ALIVE_MONTHS
        for item, uniform, hazard, within in zip(report.items, draws, hazards, reach, strict=True):
            if hazard <= 0:
                continue  # a zero hazard never strikes
            struck = np.flatnonzero(uniform <= within * (1.0 + 1e-9))  # a margin; the exact test follows
            months = np.ceil(np.log1p(-uniform[struck]) / math.log1p(-hazard))
            kept = months <= DEFAULT_ALIVE_MONTHS
            self.struck.append((struck[kept], np.maximum(months[kept], 1.0).astype(np.int64)))
            for effect in model.risks[item.id].effects:
                size = effect.size * item.impact / 5.0
                if effect.kind in ("revenue_delay", "funding_slip"):
                    size = max(1, round(size))  # whole months
                self.strikes.setdefault(effect.kind, []).append((len(self.struck) - 1, size, effect.months or 0))

    def _hits(self, kind: str, rows: np.ndarray | None, months: int):
        """(row position, month, flat index into a (rows, months) array, size, cut months) of
        each strike of ``kind`` that falls in months 1..``months``, among ``rows`` (None = all)."""
        for risk, size, duration in self.strikes.get(kind, []):
            key = (risk, months)
            if rows is None and key in self._within:
                yield (*self._within[key], size, duration)
                continue
            struck, at = self.struck[risk]
            if rows is not None:
                if self._lookup[0] is not rows:  # row positions of the paths in ``rows``
                    lookup = np.full(self.n, -1)
                    lookup[rows] = np.arange(rows.size)
                    self._lookup = (rows, lookup)
                position = self._lookup[1][struck]
                kept = position >= 0
                struck, at = position[kept], at[kept]
            inside = at <= months
            hit = (struck[inside], at[inside], struck[inside] * months + (at[inside] - 1))
            if rows is None:
                self._within[key] = hit  # risks with several effects share it
            yield (*hit, size, duration)

    def cost_factor(self, rows: np.ndarray | None, count: int, months: int) -> np.ndarray | None:
        """1 + every cost rise so far, an array of its own; None = no cost rises."""
        if "cost_rise" not in self.strikes:
            return None
        rises = np.zeros((count, months))
        rises[:, 0] = 1.0  # the 1, summed along with the rises
        flat = rises.reshape(-1)  # a view
        for _, _, index, size, _ in self._hits("cost_rise", rows, months):
            np.add.at(flat, index, size)
        return np.cumsum(rises, axis=1, out=rises)

    def add_one_offs(self, costs: np.ndarray, rows: np.ndarray | None) -> None:
        """Add one-off costs in place: ``size`` months of the planned costs of the event month."""
        flat = costs.reshape(-1)  # a view
        planned_costs = planned_flows(self.finance, DEFAULT_ALIVE_MONTHS)[1]  # strikes fall in months 1..120
        for _, at, index, size, _ in self._hits("one_off_cost", rows, costs.shape[1]):
            np.add.at(flat, index, size * planned_costs[at - 1])

    def log_revenue(self, rows: np.ndarray | None, count: int, months: int, log_growth) -> np.ndarray | None:
        """log(revenue_t / R0) per path and month with every growth cut and delay; None = none.

        Summed twice from its second differences: the growth log(1 + g) from month 2 and a cut c
        for D months as a slope log(1 - c) from its month, back D months later (0.02 for 12
        months: revenue ends 22 % lower and stays so). A delay of d months of a growing curve is
        a step of -d * log(1 + g) from the end of the gap: an impulse in the slope (a shrinking
        curve is not helped by a delay).
        """
        growing = np.maximum(log_growth, 0.0)
        delays = "revenue_delay" in self.strikes and bool(np.any(growing > 0))
        if "growth_cut" not in self.strikes and not delays:
            return None
        curve = np.zeros((count, months))
        flat = curve.reshape(-1)  # a view
        for _, at, index, size, duration in self._hits("growth_cut", rows, months):
            cut = math.log1p(-size)
            np.add.at(flat, index, cut)
            back = at + duration <= months
            np.add.at(flat, index[back] + duration, -cut)
        if months > 1:
            curve[:, 1] += log_growth
        np.cumsum(curve, axis=1, out=curve)  # the slope: the growth less the cuts in force
        if delays:
            for row, at, index, size, _ in self._hits("revenue_delay", rows, months):
                end = at + size <= months
                shift = size * (growing[row[end]] if np.ndim(growing) else growing)
                np.add.at(flat, index[end] + size, -shift)
        return np.cumsum(curve, axis=1, out=curve)

    def clear_gaps(self, revenue: np.ndarray, rows: np.ndarray | None) -> None:
        """Empty the ``size`` months of revenue from each delay's month, in place."""
        months = revenue.shape[1]
        flat = revenue.reshape(-1)  # a view
        for _, at, index, size, _ in self._hits("revenue_delay", rows, months):
            flat[index] = 0.0
            for offset in range(1, size):
                inside = at + offset <= months
                flat[index[inside] + offset] = 0.0

    def funding_slip(self, planned_month: int) -> np.ndarray:
        """Months each path's round planned for ``planned_month`` slips: every earlier strike adds."""
        slip = np.zeros(self.n)
        for risk, size, _ in self.strikes.get("funding_slip", []):
            struck, at = self.struck[risk]
            slip[struck[at <= planned_month]] += size
        return slip


class _Paths:
    """The shared draws of one simulation, and the flows they give for any set of paths."""

    def __init__(
        self, scenario: Scenario, catalogue: Catalogue, paths: int, seed: int, risk: RiskReport | None, events
    ):
        self.finance = finance = scenario.finance
        u = finance.uncertainty
        self.n = paths
        rngs = dict(
            zip(
                _STREAMS,
                (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS))),
                strict=True,
            )
        )
        self.rngs = rngs
        horizon = finance.horizon_months
        self.cost_noise = _multiplier(rngs["costs"], (paths, horizon), u.cost_sd) if u.cost_sd else None
        self.revenue_noise = _multiplier(rngs["revenue"], (paths, horizon), u.revenue_sd) if u.revenue_sd else None
        self.growth = None
        if u.revenue_growth_sd:
            drawn = finance.revenue_growth + u.revenue_growth_sd * rngs["growth"].standard_normal(paths)
            self.growth = np.maximum(drawn, MIN_GROWTH)
        self.closes = rngs["funding"].random((paths, len(finance.funding))) < [r.probability for r in finance.funding]
        self.events = None
        if events:
            report = risk or score_risks(scenario, catalogue)
            self.events = _Events(finance, report, catalogue, rngs["events"], paths)

    def noise_after(self, rows: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The noise multipliers of months 1..120 for ``rows``; months H+1..120 are drawn for
        every path, so a path meets the same luck whichever paths survive."""
        u, extra = self.finance.uncertainty, DEFAULT_ALIVE_MONTHS - self.finance.horizon_months
        cost = revenue = None
        if u.cost_sd:
            after = _multiplier(self.rngs["costs_after"], (self.n, extra), u.cost_sd)[rows]
            cost = np.concatenate([self.cost_noise[rows], after], axis=1)
        if u.revenue_sd:
            after = _multiplier(self.rngs["revenue_after"], (self.n, extra), u.revenue_sd)[rows]
            revenue = np.concatenate([self.revenue_noise[rows], after], axis=1)
        return cost, revenue

    def flows(self, rows: np.ndarray | None, months: int, cost_noise, revenue_noise) -> tuple[np.ndarray, np.ndarray]:
        """(revenue, costs) for ``rows`` (None = all paths) over months 1..``months``.

        Each is either the planned 1-D curve, shared by every path, or a (paths, months) array
        of its own; the noise arrays are left untouched.
        """
        f, ev = self.finance, self.events
        count = self.n if rows is None else rows.size
        planned_revenue, costs = planned_flows(f, months)
        factor = ev.cost_factor(rows, count, months) if ev is not None else None
        if factor is not None:
            factor *= costs
            costs = factor
        if cost_noise is not None:
            costs = cost_noise * costs if factor is None else np.multiply(costs, cost_noise, out=costs)
        if ev is not None and "one_off_cost" in ev.strikes:
            if costs.ndim == 1:
                costs = np.tile(costs, (count, 1))
            ev.add_one_offs(costs, rows)
        if f.monthly_revenue == 0:
            return planned_revenue, costs
        growth = None if self.growth is None else (self.growth if rows is None else self.growth[rows])
        log_growth = math.log1p(f.revenue_growth) if growth is None else np.log1p(growth)
        exponent = ev.log_revenue(rows, count, months, log_growth) if ev is not None else None
        if exponent is None and growth is not None:
            exponent = np.multiply.outer(log_growth, np.arange(months, dtype=float))
        if exponent is None:
            revenue = planned_revenue  # the projection's own numbers, bit for bit
        else:
            revenue = np.exp(exponent, out=exponent)
            revenue *= f.monthly_revenue
        if ev is not None and "revenue_delay" in ev.strikes:
            if revenue.ndim == 1:
                revenue = np.tile(revenue, (count, 1))
            ev.clear_gaps(revenue, rows)
        if revenue_noise is not None:  # a 2-D revenue is this call's own array
            revenue = np.multiply(revenue, revenue_noise, out=revenue) if revenue.ndim == 2 else revenue * revenue_noise
        return revenue, costs

    def arrivals(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(month each path receives it, amount) per planned funding month; month inf = never.

        Rounds planned for the same month are summed first, in plan order, as the projection
        does; risk events slip them together (a slip depends only on the planned month).
        """
        groups: dict[int, np.ndarray] = {}
        for column, funding_round in enumerate(self.finance.funding):
            amount = np.where(self.closes[:, column], funding_round.amount, 0.0)
            groups[funding_round.month] = groups.get(funding_round.month, 0.0) + amount
        arrivals = []
        for planned, amount in groups.items():
            month = np.where(amount > 0, float(planned), np.inf)
            if self.events is not None:
                slip = self.events.funding_slip(planned)
                month = np.where(slip <= self.events.fail_after, month + slip, np.inf)
            arrivals.append((month, amount))
        return arrivals


def _ranks(percent: float, count: int) -> tuple[int, int]:
    """The 0-based ranks, among ``count`` sorted values, that the ``percent`` percentile interpolates."""
    position = percent / 100.0 * (count - 1)
    return math.floor(position), math.ceil(position)


def _at_percentile(ordered: np.ndarray, percent: float) -> np.ndarray:
    """Linear interpolation between the ranks around ``percent`` of values sorted (or
    partitioned at those ranks) along axis 0: numpy's default percentile method."""
    position = percent / 100.0 * (ordered.shape[0] - 1)
    low, high = _ranks(percent, ordered.shape[0])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _runway_percentile(ordered: np.ndarray, percent: float) -> float | None:
    """A percentile of the sorted runways; None when it reaches a path that never runs out."""
    high = math.ceil(percent / 100.0 * (ordered.size - 1))
    return float(_at_percentile(ordered, percent)) if math.isfinite(ordered[high]) else None


def simulate(
    scenario: Scenario,
    catalogue: Catalogue | None = None,
    *,
    paths: int = DEFAULT_PATHS,
    seed: int = 0,
    risk_events: bool | None = None,
    risk: RiskReport | None = None,
) -> SimulationResult:
    """Simulate ``paths`` futures of the scenario's cash plan.

    ``risk_events`` overrides the scenario's switch (to show runway with and without them);
    ``risk`` is the scenario's risk report when the caller already has it.
    """
    if not 1 <= paths <= MAX_PATHS:
        raise ValueError(f"paths must be between 1 and {MAX_PATHS}, got {paths}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    catalogue = catalogue or load_catalogue()
    finance = scenario.finance
    horizon = finance.horizon_months
    events = finance.uncertainty.risk_events if risk_events is None else risk_events
    draws = _Paths(scenario, catalogue, paths, seed, risk, events)

    revenue, costs = draws.flows(None, horizon, draws.cost_noise, draws.revenue_noise)
    net = _net(revenue, costs, paths)
    arrivals = draws.arrivals()
    # + funding, then the running sum: cash + cumsum(funding + net); in revenue's memory if free
    balance = revenue if revenue.ndim == 2 and revenue is not net else np.empty_like(net)
    np.copyto(balance, net)
    everyone = np.arange(paths)
    funded = False  # does any path receive money within the horizon?
    for month, amount in arrivals:
        inside = (month <= horizon) & (amount > 0)
        funded = funded or bool(inside.any())
        balance[everyone[inside], (month[inside] - 1).astype(np.int64)] += amount[inside]
    np.cumsum(balance, axis=1, out=balance)
    balance += finance.cash

    negative = balance < 0
    first = negative.argmax(axis=1)  # 0-based month of the first negative balance, if any
    out = negative[everyone, first]
    rows = np.flatnonzero(out)
    at = first[rows]
    before = np.where(at > 0, balance[rows, np.maximum(at - 1, 0)], finance.cash)
    runway = np.full(paths, np.inf)
    funding_at = sum((amount[rows] * (month[rows] == at + 1) for month, amount in arrivals), np.zeros(rows.size))
    # as in the projection: a runway ends before its cash-out month, also when the ratio rounds up
    runway[rows] = np.minimum(at + (before + funding_at) / -net[rows, at], np.nextafter(at + 1.0, 0.0))
    cash_out = np.cumsum(np.bincount(at, minlength=horizon)) / paths

    # Default alive (Graham): with no further funding, break-even (revenue_t >= costs_t, i.e.
    # net_t >= 0) in some month up to 120 and a balance >= 0 through month 120. Funding only
    # adds cash, so a path that runs out is dead; one that received money is checked again
    # without it. min(cash + x) == cash + min(x): rounding is monotone.
    alive = ~out
    if funded:
        kept = np.flatnonzero(alive)
        alive[kept] = np.cumsum(net[kept], axis=1).min(axis=1) + finance.cash >= 0
    kept = np.flatnonzero(alive)
    if kept.size:
        if horizon < DEFAULT_ALIVE_MONTHS:  # the survivors' flows up to month 120
            cost_noise, revenue_noise = draws.noise_after(kept)
            flows = _net(*draws.flows(kept, DEFAULT_ALIVE_MONTHS, cost_noise, revenue_noise), kept.size)
        else:
            flows = net[kept]
        break_even = (flows >= 0).any(axis=1)
        alive[kept] = break_even & (np.cumsum(flows, axis=1, out=flows).min(axis=1) + finance.cash >= 0)

    # the fan: P10 / P50 / P90 of each month's balance; only the ranks around them are placed
    ranks = sorted({rank for p in PERCENTILES for rank in _ranks(p, paths)})
    balance.partition(ranks, axis=0)
    fan = [_at_percentile(balance, p) for p in PERCENTILES]
    runway.sort()
    return SimulationResult(
        paths=paths,
        seed=seed,
        horizon_months=horizon,
        risk_events=events,
        runway_months=Percentiles(**{f"p{p}": _runway_percentile(runway, p) for p in PERCENTILES}),
        prob_cash_out_by_month=tuple(cash_out.tolist()),
        prob_default_alive=float(alive.mean()),
        fan=Fan(**{f"p{p}": tuple(row.tolist()) for p, row in zip(PERCENTILES, fan, strict=True)}),
        naive_months=naive_runway(finance),
    )


class RaiseAdvice(BaseModel):
    """When to start raising so that, in the bad case (P10), the money lands before the cash ends."""

    model_config = ConfigDict(frozen=True)

    lead_months: float  # how long a raise takes
    slack_months: float | None  # P10 runway - lead; None = P10 lasts the whole horizon
    start_by_month: int | None  # the plan month in which raising must start; None = no deadline

    @property
    def now(self) -> bool:
        return self.slack_months is not None and self.slack_months <= 0


def raise_advice(result: SimulationResult, lead_months: float | None = None) -> RaiseAdvice:
    """Start raising while the P10 runway still exceeds the time a raise takes.

    With a P10 runway of 10.5 months and a 6-month raise the slack is 4.5 months, so raising
    must start during month 5:

    >>> p10 = Percentiles(p10=10.5, p50=None, p90=None)
    >>> fan = Fan(p10=(), p50=(), p90=())
    >>> result = SimulationResult(paths=1, seed=0, horizon_months=24, risk_events=False, runway_months=p10,
    ...     prob_cash_out_by_month=(), prob_default_alive=0.0, fan=fan, naive_months=None)
    >>> raise_advice(result).start_by_month
    5
    """
    lead = DEFAULT_FUNDRAISING_LEAD_MONTHS if lead_months is None else lead_months
    p10 = result.runway_months.p10
    if p10 is None:
        return RaiseAdvice(lead_months=lead, slack_months=None, start_by_month=None)
    slack = p10 - lead
    return RaiseAdvice(lead_months=lead, slack_months=slack, start_by_month=math.floor(slack) + 1 if slack > 0 else 1)
