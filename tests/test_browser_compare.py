"""Compare remembers, in Debian's headless Chromium: Add Bull case → Add Bear case → reload, and
both variants are still there; the address copied into a new browser (a fresh context: no
cookies, no session) opens the same comparison.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true)."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import app_browser, require_chromium

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

pytest.importorskip("playwright.sync_api")

# The variants' expanders ("Bull case · 5 changes") and the KPI table's columns, once the run is over.
SHOWN = r"""() => {
    if (document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') !== 'notRunning')
        return null;
    const variants = [...document.querySelectorAll('[data-testid="stExpander"] summary')]
        .map((summary) => summary.innerText.trim().split('\n').pop().trim())  // after the icon's name
        .filter((label) => / · \d+ changes$/.test(label));
    const columns = [...document.querySelectorAll('.st-key-kpi_table th')].map((th) => th.innerText.trim());
    return {variants, columns};
}"""


def shown(page, names: list[str]) -> dict:
    """What Compare shows once every one of ``names`` has its expander and its KPI column (up to
    three minutes: a first run on a busy two-core machine is slow)."""
    page.wait_for_function(
        f"""(names) => {{
            const seen = ({SHOWN})();
            return seen !== null && names.every((name) =>
                seen.variants.some((label) => label.startsWith(name + ' · ')) && seen.columns.includes(name));
        }}""",
        arg=names,
        timeout=180_000,
    )
    page.wait_for_timeout(500)
    return page.evaluate(SHOWN)


def add(page, label: str, param: str) -> None:
    """Click an Add button and wait until the address holds the new variant."""
    page.get_by_role("button", name=label).click()
    page.wait_for_function("(param) => new URLSearchParams(location.search).has(param)", arg=param, timeout=120_000)


def test_variants_survive_a_reload_and_open_from_a_copied_link():
    with app_browser(BROWSER) as (url, browser):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(180_000)
        page.goto(f"{url}/compare")
        page.get_by_role("button", name="Add Bull case").wait_for()
        cut = page.evaluate(  # every action's label whole at 1280 px (five columns cut them to "Add: after the r…")
            """() => [...document.querySelectorAll('.st-key-compare_actions button p')]
                .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent)"""
        )
        assert cut == []
        add(page, "Add Bull case", "v1")
        add(page, "Add Bear case", "v2")
        before = shown(page, ["Bull case", "Bear case"])
        query = parse_qs(urlparse(page.url).query)
        assert (query["v1"], query["v2"]) == (["Bull case"], ["Bear case"])
        assert query["v2.monthly_costs"] == ["88000"]  # the bear case: the template's 80k of costs x 1.1

        page.reload()
        after = shown(page, ["Bull case", "Bear case"])
        assert after == before
        assert page.get_by_text("Add a variant above").count() == 0

        link = page.url
        fresh = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            other = fresh.new_page()
            other.set_default_timeout(180_000)
            other.goto(link)
            opened = shown(other, ["Bull case", "Bear case"])
            assert opened == before
            assert parse_qs(urlparse(other.url).query) == query  # and it writes the same address back
        finally:
            fresh.close()
