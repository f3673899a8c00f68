"""Scenarios side by side: each one summarised, KPIs with deltas against the first, risks that differ.

The Compare page and the report both read these; nothing here knows how they are drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from scoring.catalogue import Catalogue, load_catalogue
from scoring.evaluate import Evaluation, evaluate
from scoring.scenario import Scenario
from scoring.simulate import SimulationResult, simulate
from scoring.valuation import ValuationResult, value_company

__all__ = [
    "KPIS",
    "TOP_RISKS",
    "VIEW_PATHS",
    "VIEW_SEED",
    "KpiRow",
    "Summary",
    "differing_top_risks",
    "kpi_rows",
    "summarise",
]

# The app and the reports simulate 5,000 paths with one seed: the same scenario always gives
# the same numbers on screen and on paper.
VIEW_PATHS = 5_000
VIEW_SEED = 2026
TOP_RISKS = 5
# KPI id -> whether a higher value is better (for colouring deltas)
KPIS = {
    "overall_risk": False,
    "opportunity": True,
    "runway_months": True,
    "p10_months": True,
    "p50_months": True,
    "cash_out_month": True,
    "break_even_month": False,
    "prob_default_alive": True,
    "valuation_low": True,
    "valuation_high": True,
}


class Summary(BaseModel):
    """Everything a comparison or a report shows about one scenario."""

    model_config = ConfigDict(frozen=True)

    scenario: Scenario
    evaluation: Evaluation
    simulation: SimulationResult | None  # None when the plan is certain: one future, the plan
    valuation: ValuationResult
    # the same futures (paths, seed) with risk events off, when ``simulation`` has them on: what
    # the risk events cost; None otherwise
    without_events: SimulationResult | None = None

    def kpis(self) -> dict[str, float | None]:
        """KPI id -> value; a runway or month that lies beyond the horizon is None."""
        runway = self.evaluation.runway
        simulation = self.simulation
        return {
            "overall_risk": self.evaluation.risk.overall,
            "opportunity": self.evaluation.opportunity.overall,
            "runway_months": runway.months,
            "p10_months": simulation.runway_months.p10 if simulation else runway.months,
            "p50_months": simulation.runway_months.p50 if simulation else runway.months,
            "cash_out_month": runway.cash_out_month,
            "break_even_month": runway.break_even_month,
            "prob_default_alive": (simulation.prob_default_alive if simulation else float(runway.default_alive)),
            "valuation_low": self.valuation.low,
            "valuation_high": self.valuation.high,
        }

    def top_risks(self, count: int = TOP_RISKS) -> list[str]:
        return [item.id for item in self.evaluation.risk.top(count)]


def summarise(
    scenario: Scenario,
    catalogue: Catalogue | None = None,
    evaluation: Evaluation | None = None,
    simulation: SimulationResult | None = None,
    without_events: SimulationResult | None = None,
) -> Summary:
    """Score, simulate (``VIEW_PATHS`` with ``VIEW_SEED``) and value one scenario; when the
    simulation has risk events on, simulate the same futures without them too.

    Pass ``evaluation`` / ``simulation`` / ``without_events`` when they are already at hand (the
    app caches them).
    """
    catalogue = catalogue or load_catalogue()
    evaluation = evaluation or evaluate(scenario, catalogue)
    if scenario.finance.is_certain:
        simulation = None
    elif simulation is None:
        simulation = simulate(scenario, catalogue, paths=VIEW_PATHS, seed=VIEW_SEED, risk=evaluation.risk)
    if simulation is None or not simulation.risk_events:
        without_events = None
    elif without_events is None:
        without_events = simulate(scenario, catalogue, paths=simulation.paths, seed=simulation.seed, risk_events=False)
    return Summary(
        scenario=scenario,
        evaluation=evaluation,
        simulation=simulation,
        valuation=value_company(scenario),
        without_events=without_events,
    )


class KpiRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    kpi: str
    higher_is_better: bool
    values: tuple[float | None, ...]  # one per scenario, the base first
    deltas: tuple[float | None, ...]  # value - base value; None for the base or an open-ended value


def kpi_rows(summaries: Sequence[Summary]) -> list[KpiRow]:
    """Every KPI of every scenario with its change from the first (the base)."""
    table = [summary.kpis() for summary in summaries]
    rows = []
    for kpi, higher_is_better in KPIS.items():
        values = tuple(entry[kpi] for entry in table)
        base = values[0]
        deltas = tuple(
            None if index == 0 or value is None or base is None else value - base for index, value in enumerate(values)
        )
        rows.append(KpiRow(kpi=kpi, higher_is_better=higher_is_better, values=values, deltas=deltas))
    return rows


def differing_top_risks(summaries: Sequence[Summary], count: int = TOP_RISKS) -> list[tuple[list[str], list[str]]]:
    """For each scenario after the base: (risks in its top ``count`` but not the base's,
    risks in the base's top ``count`` that left its own), in rank order."""
    base = summaries[0].top_risks(count)
    result = []
    for summary in summaries[1:]:
        own = summary.top_risks(count)
        result.append(([r for r in own if r not in base], [r for r in base if r not in own]))
    return result
