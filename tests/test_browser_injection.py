"""Markdown in a link renders as text in the real app (Debian's headless Chromium, Streamlit's own
Markdown renderer): a name, a value and an unknown key that are links, an image and every other
construct Streamlit reads (emphasis, code, colour, icon, emoji, maths, strikethrough, bare links)
show as typed, no link to or image from the attacker's host is in the page, and the browser asks
nothing of that host.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true)."""

from urllib.parse import quote, urlencode, urlsplit

import pytest

from tests.browser import app_browser, require_chromium

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

pytest.importorskip("playwright.sync_api")

JOIN = "\u2060"  # the invisible word joiner that splits a bare link or a shortcode
LINK = "[Claim your refund](https://evil.test/phish)"
CASH = "[Log in again](https://evil.test/a)"
KEY = "[x](https://evil.test)"
# every construct at once (at most 120 characters, a name's limit)
MIXED = (
    "![t](https://evil.test/track.png) **b** `c` :red[x] :material/home: :smile: $x$ ~~s~~ www.evil.test a@evil.test"
)
FORMATTING = (  # a heading's own anchor (href="#…") aside
    "a:not([href^='#']), img, strong, em, code, del, .katex, [data-testid='stIconMaterial'], .stMarkdownColoredText,"
    " [data-testid='stIconEmoji']"
)


def open_page(page, url: str) -> None:
    """Load a page and wait until its first run has finished and its title is drawn (up to three
    minutes: a busy test machine is slow), then a moment more for anything drawn late."""
    page.goto(url)
    page.wait_for_function(
        """() => document.querySelector('h1')
            && document.querySelector('[data-testid="stApp"]')
                   ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=180_000,
    )
    page.wait_for_timeout(1500)


def shown(locator) -> str:
    return locator.inner_text().replace(JOIN, "")


def attacker(address: str) -> bool:
    return (urlsplit(address).hostname or "").endswith("evil.test")


def assert_nothing_from_the_attacker(page) -> None:
    assert page.locator('a[href*="evil"]:not([href^="#"])').count() == 0
    assert page.locator('img[src*="evil"]').count() == 0


def test_markdown_in_a_link_is_shown_as_typed_and_nothing_is_fetched():
    asked = []
    with app_browser(BROWSER) as (url, browser):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda request: asked.append(request.url))
        page.route(attacker, lambda route: route.abort())  # never leaves the machine

        open_page(page, f"{url}/?{urlencode({'name': LINK, 'cash': CASH, KEY: '1'}, quote_via=quote)}")
        assert_nothing_from_the_attacker(page)
        title = page.locator("h1").first
        assert shown(title) == LINK
        warning = page.locator('[data-testid="stAlert"]').filter(has_text="could not be used")
        assert CASH in shown(warning) and KEY in shown(warning)
        assert warning.locator(FORMATTING).count() == 0
        bar = page.locator('[data-testid="stHeader"]').bounding_box()
        assert warning.bounding_box()["y"] >= bar["y"] + bar["height"]  # all of it below the top bar

        open_page(page, f"{url}/?{urlencode({'name': MIXED}, quote_via=quote)}")
        assert_nothing_from_the_attacker(page)
        title = page.locator("h1").first
        assert shown(title) == MIXED  # every mark as typed; ":smile:" is not 😄
        assert title.locator(FORMATTING).count() == 0

        open_page(page, f"{url}/risks?{urlencode({'name': LINK}, quote_via=quote)}")
        assert_nothing_from_the_attacker(page)
        caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Claim your refund")
        assert LINK in shown(caption) and caption.locator(FORMATTING).count() == 0
    assert not [address for address in asked if attacker(address)]
