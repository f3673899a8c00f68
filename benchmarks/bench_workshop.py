"""Benchmark: the facilitator's aggregate for a room of 60 (target: at most ~200 ms server side).

Every few seconds the facilitator's page reads the round's answers from the store and turns
them into the group view: medians and IQRs of 31 factors, each participant's scenario through
the model (for the spread of the risk scores and radar axes), the agreement, Kendall's W, and
the model at the medians. Interleaved with a *bare pass* of the same size — numpy medians and quartiles of a
60 x 31 array and 60 calls of the model's arithmetic (``evaluate`` on pre-validated scenarios)
— so machine noise hits both alike. The store is a SQLite file in a temporary folder.

    .venv/bin/python benchmarks/bench_workshop.py [--runs 15] [--participants 60]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import numpy as np

from scoring import evaluate, load_catalogue, load_preset, parse_scenario
from workshop.aggregate import group_view
from workshop.store import WorkshopStore

TARGET_MS = 200.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--participants", type=int, default=60)
    args = parser.parse_args()
    catalogue = load_catalogue()
    factor_ids = list(catalogue.factors)
    base = load_preset("medical_diagnosis")
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as folder:
        store = WorkshopStore(f"sqlite:///{folder}/workshop.sqlite3")
        code, _ = store.create_room(base, factor_ids)
        for index in range(args.participants):
            token = store.join(code, f"participant {index}")
            store.submit(code, token, {f: float(rng.integers(0, 21)) / 2 for f in factor_ids})
        data = base.to_dict()
        own = []
        for answer in store.answers(code):
            data["factors"] = {**base.factors, **answer.factors}
            own.append(parse_scenario(data))
        table = np.array([[a.factors[f] for f in factor_ids] for a in store.answers(code)])

        def aggregate() -> None:
            room = store.room(code)
            group_view(room.scenario, room.factor_ids, [a.factors for a in store.answers(code, room.round)], catalogue)

        def bare() -> None:
            np.percentile(table, [25, 50, 75], axis=0)
            for scenario in own:
                evaluate(scenario, catalogue)

        aggregate()  # warm caches
        times: dict[str, list[float]] = {"aggregate": [], "bare": []}
        for _ in range(args.runs):
            for name, action in (("aggregate", aggregate), ("bare", bare)):
                start = time.perf_counter()
                action()
                times[name].append((time.perf_counter() - start) * 1000)
    aggregate_ms, bare_ms = statistics.median(times["aggregate"]), statistics.median(times["bare"])
    print(f"room of {args.participants}, {len(factor_ids)} factors each, median of {args.runs} interleaved runs:")
    print(f"  aggregate (store read + group view)  {aggregate_ms:7.1f} ms   (min {min(times['aggregate']):.1f})")
    print(f"  bare pass (quartiles + {args.participants} evaluations) {bare_ms:7.1f} ms")
    verdict = "met" if aggregate_ms <= TARGET_MS else "MISSED"
    print(f"  ratio {aggregate_ms / bare_ms:.2f} x; target <= {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
