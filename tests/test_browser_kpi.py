"""Explore's KPI row in Debian's headless Chromium, as a laptop (1280×720, sidebar open) and a
phone (390×844) show it, in English and Chinese: every label and value whole (no ellipsis, nothing
wider than its box), a baseline delta grey and arrowless, and the runway chart drawn without a
single Vega warning on load or while a slider moves.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true)."""

import pytest

from tests.browser import CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server, wait_idle_after

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

# Each KPI label and value, and anything inside them that is wider than its box or runs past its
# column, with the text of each. Text that fits has nothing to report.
CUT_TEXT = """() => {
    const cut = [];
    for (const box of document.querySelectorAll(
            '[data-testid="stMetricLabel"], [data-testid="stMetricValue"]')) {
        const column = box.closest('[data-testid="stElementContainer"]').getBoundingClientRect();
        const words = box.innerText.trim();
        if (words.endsWith('…') || words.endsWith('...')) cut.push(['ellipsis', words]);
        for (const element of [box, ...box.querySelectorAll('*')]) {
            if (element instanceof SVGElement) continue;
            if (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1)
                cut.push(['overflow', words, element.scrollWidth, element.clientWidth]);
        }
        const range = document.createRange();
        range.selectNodeContents(box.querySelector('[data-testid="stMarkdownContainer"]') || box);
        const text = range.getBoundingClientRect();
        if (text.right > column.right + 1 || text.left < column.left - 1)
            cut.push(['past its column', words, text.left, text.right, column.left, column.right]);
    }
    return cut;
}"""

FIRST_DELTA = """() => {
    const [risk, , runway] = document.querySelectorAll('[data-testid="stMetric"]');
    const delta = risk.querySelector('[data-testid="stMetricDelta"]');
    const note = runway.querySelector('[data-testid="stMetricDelta"]');
    return {
        text: delta.innerText.trim(),
        arrows: delta.querySelectorAll('[data-testid^="stMetricDeltaIcon"]').length,
        colour: getComputedStyle(delta).color,
        grey: getComputedStyle(note).color,
    };
}"""


def open_explore(page, url: str) -> None:
    """Explore loaded and drawn: its three charts there and its first run over. ``open_app``'s
    wait, given three minutes: a cold first run on a busy two-core machine can take more than one."""
    page.set_default_timeout(180_000)
    page.goto(url)
    page.wait_for_function(
        """() => document.querySelectorAll('.js-plotly-plot, [data-testid="stVegaLiteChart"] svg.marks').length >= 3
            && document.querySelector('[data-testid="stApp"]')
                   ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=180_000,
    )
    page.wait_for_timeout(500)


def vega_complaints(messages: list[tuple[str, str]]) -> list[str]:
    """Console warnings and errors from Vega (its logger writes "WARN …" / "ERROR …") or about it."""
    return [
        text
        for kind, text in messages
        if kind in {"warning", "error"} and (text.startswith(("WARN", "ERROR")) or "vega" in text.lower())
    ]


@pytest.fixture(scope="module")
def browser():
    with streamlit_server(ROOT / "dashboard" / "app.py") as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            yield url, chromium
        finally:
            chromium.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (390, 844)])
def test_every_kpi_is_whole_and_the_runway_chart_never_warns(browser, lang, width, height):
    url, chromium = browser
    page = chromium.new_page(viewport={"width": width, "height": height})
    try:
        messages, errors = [], []
        page.on("console", lambda message: messages.append((message.type, message.text)))
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_explore(page, f"{url}/?lang={lang}")
        assert page.locator('[data-testid="stMetric"]').count() == 7
        assert page.evaluate(CUT_TEXT) == []

        delta = page.evaluate(FIRST_DELTA)  # the preset is its own baseline: no change
        assert delta["text"] == "±0.0" and delta["arrows"] == 0
        assert delta["colour"] == delta["grey"]  # the grey of the runway's second line, not red or green

        if width >= 1280:  # the sidebar is open: move a factor twice, as a founder would
            competition = page.locator('[data-testid="stSlider"] input').nth(1)
            for _ in range(2):
                wait_idle_after(page, lambda: competition.press("ArrowRight"))
            moved = page.evaluate(FIRST_DELTA)
            assert moved["text"].startswith("+") and moved["arrows"] == 1  # more competition, more risk
            assert moved["colour"] != moved["grey"]
            assert page.evaluate(CUT_TEXT) == []
        assert vega_complaints(messages) == [] and errors == []
    finally:
        page.close()
