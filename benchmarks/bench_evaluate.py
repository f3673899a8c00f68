"""Benchmark: how long one whole-model evaluation takes in-process.

Every slider move re-runs validation and the whole model, so the target is a median of at
most 2 ms for ``parse_scenario + evaluate``. Beside it runs a *bare pass* of the same size —
the weighted sums of 27 risks and one numpy cumulative sum over the horizon, with no models
or validation — interleaved with the real runs so machine noise hits both alike; the ratio
says what the typed, validated results cost on top of the arithmetic.

    .venv/bin/python benchmarks/bench_evaluate.py [--runs 2000] [--preset medical_diagnosis]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from scoring import evaluate, load_catalogue, load_preset, parse_scenario

TARGET_MS = 2.0


def bare_pass(factors: dict[str, float], finance: dict, weights: list[list[tuple[str, float]]]) -> float:
    """The model's arithmetic with nothing else: weighted means and a cumulative sum."""
    total = 0.0
    for drivers in weights:
        total += sum(weight * factors[factor] / 10 for factor, weight in drivers) / len(drivers)
    months = np.arange(finance["horizon_months"])
    flows = finance["monthly_revenue"] * 1.01**months - finance["monthly_costs"] * 1.02**months
    balance = finance["cash"] + np.cumsum(flows)
    return total + float(np.argmax(balance < 0))


def measure(runs: int, preset: str) -> dict[str, float]:
    catalogue = load_catalogue()
    data = load_preset(preset).to_dict()
    weights = [
        [(f, w) for f, w in {**r.likelihood.drivers, **r.impact.drivers}.items() if f in catalogue.factors]
        for r in catalogue.risks.values()
    ]
    scenario = parse_scenario(data)
    for _ in range(50):  # warm caches and the allocator
        evaluate(parse_scenario(data), catalogue)
    full, model_only, bare = [], [], []
    for _ in range(runs):
        start = time.perf_counter_ns()
        evaluate(parse_scenario(data), catalogue)
        full.append(time.perf_counter_ns() - start)
        start = time.perf_counter_ns()
        evaluate(scenario, catalogue)
        model_only.append(time.perf_counter_ns() - start)
        start = time.perf_counter_ns()
        bare_pass(scenario.factors, data["finance"], weights)
        bare.append(time.perf_counter_ns() - start)

    def ms(samples: list[int]) -> float:
        return statistics.median(samples) / 1e6

    return {
        "parse_and_evaluate_ms": ms(full),
        "evaluate_ms": ms(model_only),
        "bare_ms": ms(bare),
        "p90_parse_and_evaluate_ms": sorted(full)[int(0.9 * runs)] / 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--preset", default="medical_diagnosis")
    args = parser.parse_args()
    result = measure(args.runs, args.preset)
    ratio = result["parse_and_evaluate_ms"] / result["bare_ms"]
    verdict = "meets" if result["parse_and_evaluate_ms"] <= TARGET_MS else "MISSES"
    print(f"preset {args.preset}, {args.runs} interleaved runs, medians:")
    p90 = result["p90_parse_and_evaluate_ms"]
    print(f"  parse_scenario + evaluate  {result['parse_and_evaluate_ms']:.3f} ms  (p90 {p90:.3f} ms)")
    print(f"  evaluate alone             {result['evaluate_ms']:.3f} ms")
    print(f"  bare arithmetic pass       {result['bare_ms']:.3f} ms  (ratio {ratio:.1f}x)")
    print(f"  {verdict} the target of {TARGET_MS} ms per slider move")
    return 0


if __name__ == "__main__":
    sys.exit(main())
