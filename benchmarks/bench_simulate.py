"""Benchmark: the Monte Carlo runway against a bare numpy pass of the same size.

100,000 paths x 60 months with cost, revenue and growth noise and risk events on (the
medical-diagnosis preset, horizon stretched to 60 months), interleaved with a *bare pass*:
normal draws of the same shape, a cumulative sum and the P10 / P50 / P90 per month, nothing
else. Medians over interleaved repetitions, so machine noise hits both alike.
Target: the simulation takes at most 2.5 x the bare pass.

    .venv/bin/python benchmarks/bench_simulate.py [--repeats 9] [--paths 100000] [--months 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from scoring import evaluate, load_preset
from scoring.simulate import simulate

TARGET_RATIO = 2.5


def bare_pass(rng: np.random.Generator, paths: int, months: int) -> np.ndarray:
    """Normal draws, a cumulative sum, three percentiles per month: the floor of any simulation."""
    draws = rng.standard_normal((paths, months))
    balance = 1e6 + np.cumsum(-5e4 * (1.0 + 0.1 * draws), axis=1)
    return np.percentile(balance, (10, 50, 90), axis=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=60)
    args = parser.parse_args()
    preset = load_preset("medical_diagnosis")
    finance = preset.finance.model_copy(
        update={
            "horizon_months": args.months,
            "uncertainty": preset.finance.uncertainty.model_copy(
                update={"cost_sd": 0.1, "revenue_sd": 0.2, "revenue_growth_sd": 0.01, "risk_events": True}
            ),
        }
    )
    scenario = preset.model_copy(update={"finance": finance})
    risk = evaluate(scenario).risk
    rng = np.random.default_rng(0)
    simulate(scenario, paths=args.paths, risk=risk)  # warm the allocator
    bare_pass(rng, args.paths, args.months)
    sim_times, bare_times = [], []
    for repeat in range(args.repeats):
        start = time.perf_counter()
        result = simulate(scenario, paths=args.paths, seed=repeat, risk=risk)
        sim_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare_pass(rng, args.paths, args.months)
        bare_times.append(time.perf_counter() - start)
    sim, bare = statistics.median(sim_times) * 1000, statistics.median(bare_times) * 1000
    ratio = sim / bare
    runway = [result.runway_months.p10, result.runway_months.p50, result.runway_months.p90]
    shown = " / ".join("lasts" if months is None else f"{months:.1f}" for months in runway)
    print(f"{args.paths:,} paths x {args.months} months, risk events on, median of {args.repeats}:")
    print(f"  simulate   {sim:7.0f} ms   (min {min(sim_times) * 1000:.0f}, max {max(sim_times) * 1000:.0f})")
    print(f"  bare pass  {bare:7.0f} ms   (min {min(bare_times) * 1000:.0f}, max {max(bare_times) * 1000:.0f})")
    print(
        f"  ratio      {ratio:7.2f} x   ({'meets' if ratio <= TARGET_RATIO else 'MISSES'} the {TARGET_RATIO} x target)"
    )
    print(f"  (runway P10 / P50 / P90 of the last run: {shown} months)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
