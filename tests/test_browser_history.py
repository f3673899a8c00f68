"""The browser's Back and Forward step through the moves, and Reset cleans the address, in the real
app in Debian's headless Chromium (Streamlit pushes a history entry per move; the app brings the
scenario of the entry the browser goes to back into the controls)."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server, wait_idle_after

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

COMPETITION = '[data-testid="stSlider"] input >> nth=1'  # market.competition, the second slider


def wait_for_slider(page, value: str) -> None:
    """Until the competition slider shows ``value`` and the rerun that set it has finished."""
    page.wait_for_function(
        """(value) => {
            const sliders = document.querySelectorAll('[data-testid="stSlider"] input');
            return sliders.length > 1 && sliders[1].getAttribute('aria-valuetext') === value
                && document.querySelector('[data-testid="stApp"]')
                       ?.getAttribute('data-test-script-state') === 'notRunning';
        }""",
        arg=value,
        timeout=90_000,  # a loaded machine
    )
    page.wait_for_timeout(300)


def open_explore(page, url: str) -> None:
    """Load the app and wait until the sidebar's sliders are drawn and the first run has finished
    (up to three minutes: the sidebar comes last, and a busy test machine is slow)."""
    page.goto(url)
    page.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stSlider"] input').length > 1
            && document.querySelectorAll('.js-plotly-plot').length >= 2
            && document.querySelector('[data-testid="stApp"]')
                   ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=180_000,
    )
    page.wait_for_timeout(500)


def overall_risk(page) -> str:
    """The overall-risk KPI as shown: its value and its change (the value alone is a whole number)."""
    return page.locator('[data-testid="stMetric"]').first.inner_text()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_back_forward_and_reset():
    with streamlit_server(ROOT / "dashboard" / "app.py") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            open_explore(page, url)
            start_risk = overall_risk(page)
            slider = page.locator(COMPETITION)
            wait_idle_after(page, lambda: slider.press("ArrowRight"), timeout_ms=90_000)  # 5.0 -> 5.5, one move
            wait_for_slider(page, "5.5")
            first_risk, first_query = overall_risk(page), query(page)
            assert first_query == {"market.competition": ["5.5"]}
            wait_idle_after(page, lambda: slider.press("ArrowRight"), timeout_ms=90_000)  # 5.5 -> 6.0, another
            wait_for_slider(page, "6.0")
            second_risk = overall_risk(page)
            assert query(page) == {"market.competition": ["6"]}
            assert len({start_risk, first_risk, second_risk}) == 3  # a change of +0.0, then about +0.3, then +0.6

            page.go_back()
            wait_for_slider(page, "5.5")
            assert overall_risk(page) == first_risk
            assert query(page) == first_query  # the address the browser went back to, not written over

            page.go_forward()
            wait_for_slider(page, "6.0")
            assert overall_risk(page) == second_risk

            page.go_back()
            wait_for_slider(page, "5.5")
            page.get_by_role("button", name="Reset to preset").click()
            wait_for_slider(page, "5.0")
            assert overall_risk(page) == start_risk
            page.wait_for_function("() => window.location.search === ''", timeout=10_000)  # a clean address
            assert page.locator('[data-testid="stException"]').count() == 0
            assert not errors
        finally:
            browser.close()
