"""Benchmark: how fast a hostile scenario file is refused, against reading a normal one.

Every input of ``tests/test_limits.py`` (450,000 funding rounds, 100,000 open brackets, a
5,000-digit number, 50,000 nested objects, a 990,000-character name …) plus the largest an upload
can be (1,000,000 open brackets), each through ``parse_scenario_json`` until its refusal,
interleaved with the *bare pass*: ``json.loads`` of a normal scenario file (the medical-diagnosis
preset), the least any reader pays, and with ``json.loads`` alone of the same input (the floor of
any reader that parses it; "fails" where it raises). Medians of ``--runs``; then, once per input
and untimed, the peak memory of the refusal (``tracemalloc``). Before the limits (issue 13) the funding file cost
≈ 2–5 s and 0.5–0.8 GB, and the brackets, the number and the nesting ended in a traceback.

    .venv/bin/python -m benchmarks.bench_parse [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc

from scoring import ScenarioError, parse_scenario_json
from scoring.presets import PRESETS_DIR
from tests.test_limits import IDS, REFUSED

TARGET_MS = 100.0  # a refusal of a 1 MB input in well under a tenth of a second


def loads_ns(text: str) -> int:
    """``json.loads`` alone of the same input, where it can parse it at all (the floor of any parse)."""
    start = time.perf_counter_ns()
    try:
        json.loads(text)
    except (RecursionError, ValueError):
        return -1
    return time.perf_counter_ns() - start


def refusal_ns(text: str) -> int:
    start = time.perf_counter_ns()
    try:
        parse_scenario_json(text)
    except ScenarioError:
        return time.perf_counter_ns() - start
    raise AssertionError("not refused")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    normal = (PRESETS_DIR / "medical_diagnosis.json").read_text(encoding="utf-8")
    inputs = [(name, row[0]) for name, row in zip(IDS, REFUSED, strict=True)]
    inputs.append(("open_brackets_1mb", "[" * 1_000_000))
    bare: list[int] = []
    times: dict[str, list[int]] = {name: [] for name, _ in inputs}
    plain: dict[str, list[int]] = {name: [] for name, _ in inputs}
    for _ in range(args.runs):
        for name, text in inputs:
            times[name].append(refusal_ns(text))
            plain[name].append(loads_ns(text))
            start = time.perf_counter_ns()
            json.loads(normal)
            bare.append(time.perf_counter_ns() - start)
    print(f"{'input':<20}{'bytes':>11}{'median ms':>11}{'max ms':>9}{'loads ms':>10}{'peak MB':>9}  refusal")
    worst = 0.0
    for name, text in inputs:
        tracemalloc.start()
        try:
            parse_scenario_json(text)
        except ScenarioError as error:
            message = str(error)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        median = statistics.median(times[name]) / 1e6
        worst = max(worst, median)
        size = len(text.encode())
        loads = statistics.median(plain[name]) / 1e6
        shown = "fails" if loads < 0 else f"{loads:.2f}"
        slowest = max(times[name]) / 1e6
        print(f"{name:<20}{size:>11,}{median:>11.2f}{slowest:>9.1f}{shown:>10}{peak:>9.1f}  {message[:60]}")
    print(
        f"bare pass: json.loads of a normal scenario ({len(normal.encode()):,} bytes): "
        f"median {statistics.median(bare) / 1e6:.3f} ms"
    )
    print(f"slowest median refusal {worst:.1f} ms (target <= {TARGET_MS:.0f} ms)")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
