"""Benchmark: slider-to-charts latency of the dashboard against a bare three-chart app.

Both apps run side by side on loopback; one headless Chromium moves a slider in each in
turn (ArrowRight / ArrowLeft on the thumb) and times from the key press until the app has
rerun and painted twice. Medians over interleaved moves, so machine noise hits both alike.
Target: dashboard median <= 1.5 x the baseline's.

    .venv/bin/python -m benchmarks.bench_latency [--moves 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys

from playwright.sync_api import sync_playwright

# The browser support lives with the browser tests (tests/browser.py): run this as a module from the
# checkout (python -m benchmarks.bench_latency), which puts the checkout on the path.
from tests.browser import CHROMIUM_ARGS, ROOT, chromium_path, open_app, streamlit_server, wait_idle_after

TARGET_RATIO = 1.5
APPS = {"dashboard": ROOT / "dashboard" / "app.py", "baseline": ROOT / "benchmarks" / "baseline_app.py"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    browser_path = chromium_path()
    if browser_path is None:
        print("error: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)", file=sys.stderr)
        return 2
    timings: dict[str, list[float]] = {name: [] for name in APPS}
    with (
        streamlit_server(APPS["dashboard"]) as dashboard_url,
        streamlit_server(APPS["baseline"]) as baseline_url,
        sync_playwright() as playwright,
    ):
        pages, browsers = {}, []
        for name, url in (("dashboard", dashboard_url), ("baseline", baseline_url)):
            # one browser each: a page that is not in front gets no animation frames
            browsers.append(playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS))
            page = browsers[-1].new_page(viewport={"width": 1600, "height": 1000})
            open_app(page, url)
            pages[name] = page
        for move in range(args.moves + 3):  # the first three warm caches and are not counted
            key = "ArrowRight" if move % 2 == 0 else "ArrowLeft"
            for name, page in pages.items():
                thumb = page.locator('[data-testid="stSlider"] input').first
                elapsed = wait_idle_after(page, lambda thumb=thumb, key=key: thumb.press(key))
                if move >= 3:
                    timings[name].append(elapsed)
        for browser in browsers:
            browser.close()
    dashboard, baseline = (statistics.median(timings[name]) for name in ("dashboard", "baseline"))
    ratio = dashboard / baseline
    print(f"{args.moves} interleaved slider moves each, median ms from key press to painted rerun:")
    print(
        f"  dashboard  {dashboard:7.1f} ms   (min {min(timings['dashboard']):.1f}, max {max(timings['dashboard']):.1f})"
    )
    print(f"  baseline   {baseline:7.1f} ms   (min {min(timings['baseline']):.1f}, max {max(timings['baseline']):.1f})")
    print(
        f"  ratio      {ratio:7.2f} x   ({'meets' if ratio <= TARGET_RATIO else 'MISSES'} the {TARGET_RATIO} x target)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
