"""Benchmark: how long a report takes, as HTML and as PDF.

An investor presses "Report" at the end of a meeting; the file should arrive in seconds. Each
HTML build is interleaved with a *bare pass* — three empty Plotly figures written into one page
with plotly.js inlined, the unavoidable part of a self-contained report — so machine noise hits
both alike. The PDF adds one headless-Chromium print of that HTML.

    .venv/bin/python benchmarks/bench_report.py [--runs 7] [--pdf-runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from reports import build_report, find_chromium, html_to_pdf
from scoring import load_preset

COMPARED = ("neutral_template", "medical_diagnosis", "customer_service_cash_strapped")


def bare_page() -> str:
    charts = "".join(pio.to_html(go.Figure(), full_html=False, include_plotlyjs=False) for _ in range(3))
    return f"<html><head><script>{get_plotlyjs()}</script></head><body>{charts}</body></html>"


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-runs", type=int, default=3)
    args = parser.parse_args()
    single = [load_preset("medical_diagnosis")]
    several = [load_preset(p) for p in COMPARED]
    build_report(single)  # warm caches: data files, plotly.js
    times: dict[str, list[float]] = {"single": [], "comparison": [], "bare": []}
    for _ in range(args.runs):
        times["single"].append(timed(lambda: build_report(single)))
        times["bare"].append(timed(bare_page))
        times["comparison"].append(timed(lambda: build_report(several)))
    print(f"HTML report, median of {args.runs} interleaved runs:")
    for name, label in (("single", "one scenario"), ("comparison", "three scenarios"), ("bare", "bare page")):
        print(f"  {label:16} {statistics.median(times[name]):7.0f} ms")
    ratio = statistics.median(times["single"]) / statistics.median(times["bare"])
    print(f"  ratio one scenario / bare page: {ratio:.1f} x")
    if find_chromium() is None:
        print("PDF: no Chromium here, skipped")
        return
    page = build_report(single)
    pdf = [timed(lambda: html_to_pdf(page)) for _ in range(args.pdf_runs)]
    print(f"PDF print of the one-scenario report, median of {args.pdf_runs}: {statistics.median(pdf):.0f} ms")


if __name__ == "__main__":
    main()
