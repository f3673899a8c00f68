"""The workshop in Debian's headless Chromium: the console survives a reload (its key kept in a cookie,
never in the address bar), and the projector page holds no key anywhere in its HTML.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true), where a
missing browser is a failure: `make test` installs it there.
"""

import re

import pytest

from tests.browser import app_browser, require_chromium

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

ROOM_NAME = "Board offsite **Q3** <i>李明</i>"  # user text: must show exactly as typed


def wait_until_idle(page) -> None:
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')
                 ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=60_000,
    )


def room_code(page) -> str:
    """The room code, read off the join link as the page shows it."""
    link = page.locator("code").filter(has_text="/join?room=").first
    link.wait_for(timeout=60_000)
    return re.search(r"room=([A-Z0-9]+)", link.inner_text()).group(1)


def test_the_console_survives_a_reload_and_the_projector_holds_no_key(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))  # the server inherits it: rooms in a fresh SQLite file
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    with app_browser(BROWSER) as (url, browser):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{url}/workshop")
        page.get_by_role("heading", name="Run a workshop").wait_for(timeout=60_000)
        page.get_by_role("textbox", name="Room name (optional)").fill(ROOM_NAME)
        page.get_by_role("button", name="Create the room").click()
        code = room_code(page)
        page.get_by_text("Round 1 is open").wait_for(timeout=60_000)
        wait_until_idle(page)
        heading = page.locator("h1").first.inner_text().strip()
        assert heading == f"Workshop: {ROOM_NAME}"  # as typed: no bold, no italics, no tags eaten
        page.wait_for_function("() => document.cookie.includes('workshop_console=')", timeout=30_000)
        cookie = next(c for c in context.cookies() if c["name"] == "workshop_console")
        kept_code, _, key = cookie["value"].partition(".")
        assert kept_code == code and len(key) >= 40 and cookie["sameSite"] == "Strict"
        assert key not in page.url and page.url.endswith("/workshop")

        page.reload()  # F5: a new session; the cookie brings the console back
        assert room_code(page) == code
        page.get_by_text("Round 1 is open").wait_for(timeout=60_000)
        assert page.get_by_role("button", name="Close the round").is_enabled()
        assert key not in page.url

        projector_href = page.get_by_role("link", name="Open the projector view").get_attribute("href")
        assert projector_href.endswith(f"/projector?room={code}&lang=en") and key not in projector_href
        big = context.new_page()
        big.goto(projector_href)
        big.get_by_text("Round 1 is open").wait_for(timeout=60_000)
        assert room_code(big) == code
        wait_until_idle(big)
        big.wait_for_timeout(500)
        assert big.locator("h1").first.inner_text().strip() == ROOM_NAME
        big.set_viewport_size({"width": 1366, "height": 768})  # a common projector: no figure's label cut
        big.wait_for_timeout(500)
        cut = big.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p')]
                .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent)"""
        )
        assert cut == []  # "Shared ranking (Kendall's W)" ran under its help icon at 1366 px
        html = big.content()
        assert code in html and key not in html and "document.cookie" not in html
        assert page.locator('[data-testid="stException"]').count() == 0
        assert big.locator('[data-testid="stException"]').count() == 0
        assert not errors
