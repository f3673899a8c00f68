"""The latency benchmark's pages in Debian's headless Chromium: both apps load, and one move of
each, timed by the benchmark's own functions, ends with the charts showing the new data.

No timed assertion: the figures are the benchmark's business (benchmarks/README.md); this test
keeps its pages and its measuring working. Skipped with a loud reason when no Chromium is
installed, except in CI (CI=true), where a missing browser is a failure.
"""

import json

import pytest

from tests.browser import CHROMIUM_ARGS, require_chromium, streamlit_server

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
bench = pytest.importorskip("benchmarks.bench_latency")


def plotly_data(parts: list[str]) -> list[list[dict]]:
    """The Plotly figures' traces among the page data the benchmark reads."""
    return [json.loads(part.removeprefix("plotly:")) for part in parts if part.startswith("plotly:")]


@pytest.mark.parametrize("app", ["baseline", "dashboard"])
def test_one_timed_move_ends_with_the_charts_showing_the_new_data(app):
    with streamlit_server(bench.APPS[app]) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            errors = []
            page = bench.open_bench_page(browser, url, bench.CHARTS[app])
            page.on("pageerror", lambda error: errors.append(str(error)))
            thumb = page.locator(bench.SLIDER).first
            start = float(thumb.get_attribute("aria-valuetext"))
            positions = bench.learn_positions(page)
            right, left = (positions[key] for key in bench.KEYS)
            charts = [part for part in right if not part.startswith("metric:")]
            assert len(charts) >= bench.CHARTS[app]  # every chart of the page is read
            changed, _ = bench.changed_parts(positions)
            assert changed >= 3  # the move shows in at least three charts or metrics

            move = bench.timed_move(page, "ArrowRight", right)

            assert float(thumb.get_attribute("aria-valuetext")) == start + 0.5
            assert bench.page_data(page) == right != left
            assert move.ms > 0 and move.message_bytes > 0  # the rerun came over the websocket
            assert move.first_message_ms is not None and 0 <= move.first_message_ms <= move.ms
            if app == "baseline":  # the bare app draws the slider's value itself: 5.0 -> 5.5
                heat, radar, line = plotly_data(right)
                assert heat[0]["z"][0] == [5.5, 6.5, 7.5, 8.5, 9.5]
                assert radar[0]["r"] == [5.5, 6.5, 7.5, 8.5, 9.5, 0.5]
                assert line[0]["y"][:3] == [100, 99.45, 98.9]
                assert "metric:5.5" in right
            assert page.locator('[data-testid="stException"]').count() == 0
            assert not errors
        finally:
            browser.close()
