"""Benchmark: slider-to-charts latency of the dashboard against a minimal bare Streamlit app.

The dashboard's Explore page and :mod:`benchmarks.baseline_app` (one slider; a 5 x 5 heatmap,
a 6-point radar and a 37-point line in Plotly; one metric) run side by side on loopback, one
headless Chromium each. Each app's first slider is moved one step right, then back left, in
turn, and each move is timed from the key press until every chart on the page — and every
metric — shows the data of the new slider position: the Plotly figures' ``.data`` on their
graph divs, the marks a Vega-Lite view drew, the metrics' text. The two positions' data are
learnt first (settled pages, untimed), so a move is over when the page shows exactly what it
shows when all is done — not merely when something changed. Medians and p90 of interleaved
moves, so machine noise hits both apps alike. Target: the dashboard's median <= 1.5 x the
bare app's. Each move is also split by the app's websocket messages: key press to the first
message of the rerun, to its last message, and the drawing after it.

    .venv/bin/python -m benchmarks.bench_latency [--moves 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

# The browser support lives with the browser tests (tests/browser.py): run this as a module from the
# checkout (python -m benchmarks.bench_latency), which puts the checkout on the path.
from tests.browser import CHROMIUM_ARGS, ROOT, chromium_path, open_app, streamlit_server, wait_idle_after

__all__ = [
    "APPS",
    "CHARTS",
    "KEYS",
    "SLIDER",
    "Move",
    "changed_parts",
    "learn_positions",
    "open_bench_page",
    "page_data",
    "settle",
    "summary",
    "timed_move",
]

TARGET_RATIO = 1.5
APPS = {"dashboard": ROOT / "dashboard" / "app.py", "baseline": ROOT / "benchmarks" / "baseline_app.py"}
CHARTS = {"dashboard": 3, "baseline": 3}  # charts each app's page draws (open_app waits for them)
SLIDER = '[data-testid="stSlider"] input'
KEYS = ("ArrowRight", "ArrowLeft")  # one step away and back: the page alternates between two states

# What the page shows, as a list of strings: every Plotly figure's data (Plotly's own bookkeeping
# keys left out), every Vega view's drawn marks, every metric's value.
_PAGE_DATA_JS = """() => {
    const own = (key, value) => (key === 'uid' || key.startsWith('_')) ? undefined : value;
    const plots = [...document.querySelectorAll('.js-plotly-plot')].map(div => JSON.stringify(div.data, own));
    const vega = [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks')].map(svg =>
        [...svg.querySelectorAll('path, text')].map(e => e.getAttribute('d') ?? e.textContent).join('|'));
    const metrics = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.textContent);
    return [...plots.map(p => 'plotly:' + p), ...vega.map(v => 'vega:' + v), ...metrics.map(m => 'metric:' + m)];
}"""

# Timestamps and sizes of the app's websocket messages (Streamlit's reruns arrive that way).
_WEBSOCKET_LOG_JS = """(() => {
    window.__messages = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', event => window.__messages.push(
                [performance.now(), event.data.byteLength ?? event.data.size ?? event.data.length ?? 0]));
        }
    };
})();"""

# One timed move: the key press is stamped by a capturing keydown listener; after it, on every
# animation frame in which the DOM changed, the page's data is compared with the target.
_TIMED_MOVE_JS = (
    """([targetData, timeoutMs]) => {
    const target = JSON.stringify(targetData);
    const pageData = """
    + _PAGE_DATA_JS
    + """;
    window.__move = new Promise((resolve, reject) => {
        let start = null, dirty = true;
        const observer = new MutationObserver(() => { dirty = true; });
        observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
        document.addEventListener('keydown', () => { start = performance.now(); }, {capture: true, once: true});
        const began = performance.now();
        const tick = () => {
            const now = performance.now();
            if (start !== null && dirty) {
                dirty = false;
                if (JSON.stringify(pageData()) === target) {
                    observer.disconnect();
                    const messages = window.__messages.filter(([t]) => t >= start && t <= now);
                    resolve({
                        ms: now - start,
                        first: messages.length ? messages[0][0] - start : null,
                        last: messages.length ? messages[messages.length - 1][0] - start : null,
                        bytes: messages.reduce((sum, [, size]) => sum + size, 0),
                    });
                    return;
                }
            }
            if (now - began > timeoutMs) {
                observer.disconnect();
                reject(new Error('the page never showed the new data'));
                return;
            }
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    });
}"""
)

_LOADED_JS = """(charts) => document.querySelectorAll(
        '.js-plotly-plot, [data-testid="stVegaLiteChart"] svg.marks').length >= charts
    && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""

_QUIET_JS = """([quietMs, timeoutMs]) => new Promise((resolve, reject) => {
    let last = performance.now();
    const began = last;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    const timer = setInterval(() => {
        const now = performance.now();
        const state = document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
        if (state !== 'running' && now - last >= quietMs) {
            clearInterval(timer); observer.disconnect(); resolve(now - began);
        } else if (now - began > timeoutMs) {
            clearInterval(timer); observer.disconnect(); reject(new Error('the page never went quiet'));
        }
    }, 20);
})"""


@dataclass
class Move:
    """One timed slider move: ms from the key press to the new data on screen, split by messages."""

    ms: float
    first_message_ms: float | None  # key press -> the rerun's first websocket message
    last_message_ms: float | None  # key press -> its last message before the data showed
    message_bytes: int

    @property
    def drawing_ms(self) -> float | None:
        """From the last message to the new data on screen: the browser's own work at the end."""
        return None if self.last_message_ms is None else self.ms - self.last_message_ms


def open_bench_page(browser, url: str, charts: int):
    """A page of the app with its websocket messages logged, loaded and settled."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.add_init_script(_WEBSOCKET_LOG_JS)
    try:
        open_app(page, url, charts=charts)
    except PlaywrightTimeout:  # a first run on a busy machine can take longer than open_app waits
        page.wait_for_function(_LOADED_JS, arg=charts, timeout=240_000)
    settle(page)
    return page


def page_data(page) -> list[str]:
    """What the page shows now: figures' data, drawn Vega marks, metric values (one string each)."""
    return page.evaluate(_PAGE_DATA_JS)


def settle(page, quiet_ms: int = 400, timeout_ms: int = 30_000) -> None:
    """Wait until the script is not running and the DOM has not changed for ``quiet_ms``."""
    page.evaluate(_QUIET_JS, [quiet_ms, timeout_ms])


def learn_positions(page) -> dict[str, list[str]]:
    """The page's settled data at each of the slider's two positions, keyed by the key that leads there.

    Moves right and back twice, untimed, waiting each time for the page to go quiet; the two
    rounds must agree (the page is a function of the slider) and the positions must differ.
    """
    thumb = page.locator(SLIDER).first
    rounds = []
    for _ in range(2):
        seen = {}
        for key in KEYS:
            wait_idle_after(page, lambda key=key: thumb.press(key))
            settle(page)
            seen[key] = page_data(page)
        rounds.append(seen)
    if rounds[0] != rounds[1]:
        raise RuntimeError("the page shows different data for the same slider position")
    if rounds[1][KEYS[0]] == rounds[1][KEYS[1]]:
        raise RuntimeError("the slider move changed nothing the benchmark can see")
    return rounds[1]


def timed_move(page, key: str, target: list[str], timeout_ms: int = 30_000) -> Move:
    """Press ``key`` on the first slider; time until the page shows ``target``; let it settle."""
    page.evaluate(_TIMED_MOVE_JS, [target, timeout_ms])
    page.locator(SLIDER).first.press(key)
    result = page.evaluate("() => window.__move")
    settle(page)
    return Move(result["ms"], result["first"], result["last"], int(result["bytes"]))


def changed_parts(positions: dict[str, list[str]]) -> tuple[int, int]:
    """How many of the page's charts and metrics differ between the two positions, of how many."""
    left, right = (positions[key] for key in KEYS)
    return sum(a != b for a, b in zip(left, right, strict=True)), len(left)


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def summary(moves: list[Move]) -> dict[str, float]:
    """Median and p90 of the moves, and the medians of their parts."""
    ms = [m.ms for m in moves]

    def median_of(values: list[float | None]) -> float:
        known = [v for v in values if v is not None]
        return statistics.median(known) if known else float("nan")

    return {
        "median": statistics.median(ms),
        "p90": _p90(ms),
        "min": min(ms),
        "max": max(ms),
        "first_message": median_of([m.first_message_ms for m in moves]),
        "last_message": median_of([m.last_message_ms for m in moves]),
        "drawing": median_of([m.drawing_ms for m in moves]),
        "kilobytes": statistics.median(m.message_bytes for m in moves) / 1000,
    }


def run(moves: int, apps: dict[str, Path] = APPS) -> dict[str, dict[str, float]]:
    browser_path = chromium_path()
    if browser_path is None:
        raise RuntimeError("no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)")
    timings: dict[str, list[Move]] = {name: [] for name in apps}
    with (
        streamlit_server(apps["dashboard"]) as dashboard_url,
        streamlit_server(apps["baseline"]) as baseline_url,
        sync_playwright() as playwright,
    ):
        pages, targets, browsers = {}, {}, []
        try:
            for name, url in (("dashboard", dashboard_url), ("baseline", baseline_url)):
                # one browser each: a page that is not in front gets no animation frames
                browsers.append(playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS))
                pages[name] = open_bench_page(browsers[-1], url, CHARTS[name])
                targets[name] = learn_positions(pages[name])
                changed, parts = changed_parts(targets[name])
                print(f"  {name}: a move changes {changed} of the {parts} charts and metrics it shows")
            order = list(pages)
            for move in range(moves + 2):  # the first round of each key warms caches and is not counted
                key = KEYS[move % 2]
                for name in order if move % 4 < 2 else order[::-1]:  # alternate which app goes first
                    result = timed_move(pages[name], key, targets[name][key])
                    if move >= 2:
                        timings[name].append(result)
        finally:
            for browser in browsers:
                browser.close()
    return {name: summary(timings[name]) for name in apps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    try:
        result = run(args.moves)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.moves} interleaved slider moves each, ms from the key press to the new data on screen:")
    print("             median     p90   min – max    | 1st msg  last msg  drawing   kB/move")
    for name, s in result.items():
        print(
            f"  {name:9}  {s['median']:6.1f}  {s['p90']:6.1f}  {s['min']:4.0f} – {s['max']:<4.0f}  |"
            f"  {s['first_message']:6.1f}  {s['last_message']:7.1f}  {s['drawing']:6.1f}  {s['kilobytes']:7.1f}"
        )
    ratio = result["dashboard"]["median"] / result["baseline"]["median"]
    p90_ratio = result["dashboard"]["p90"] / result["baseline"]["p90"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"  ratio of medians {ratio:.2f} x ({verdict} the {TARGET_RATIO} x target); ratio of p90s {p90_ratio:.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
