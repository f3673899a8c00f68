"""A phone in Debian's headless Chromium: it joins a room, reloads, and is still the same participant,
its token kept in a cookie of this browser for this room — never in the address bar.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true), where a
missing browser is a failure: `make test` installs it there.
"""

import pytest

from scoring import load_preset
from tests.browser import app_browser, require_chromium
from tests.helpers import TWO_FACTORS
from workshop.store import WorkshopStore

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

FIRST_LOAD_MS = 180_000  # a first page load on a shared, busy machine


def test_a_phone_reloads_and_is_still_the_same_participant_without_me_in_its_address(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))  # the server inherits it: rooms in a fresh SQLite file
    monkeypatch.delenv("DATABASE_URL", raising=False)
    store = WorkshopStore(f"sqlite:///{tmp_path / 'workshop.sqlite3'}")
    code, _ = store.create_room(load_preset("neutral_template"), TWO_FACTORS)
    with app_browser(BROWSER) as (url, browser):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        phone = context.new_page()
        errors = []
        phone.on("pageerror", lambda error: errors.append(str(error)))
        phone.goto(f"{url}/join?room={code}")
        phone.get_by_role("textbox", name="Your name").fill("Ann")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("You are Ann").wait_for(timeout=FIRST_LOAD_MS)
        phone.wait_for_function(f"() => document.cookie.includes('workshop_me_{code}=')", timeout=30_000)
        kept = {c["name"]: c for c in context.cookies()}
        token = kept[f"workshop_me_{code}"]["value"]
        assert store.participant(code, token)[1] == "Ann"  # the cookie holds this participant's token
        assert kept[f"workshop_me_{code}"]["sameSite"] == "Strict" and "workshop_browser" in kept
        assert "me=" not in phone.url and token not in phone.url

        phone.reload()  # F5: a new session; the cookie brings the participant back
        phone.get_by_text("You are Ann").wait_for(timeout=FIRST_LOAD_MS)
        assert phone.url.endswith(f"/join?room={code}") and token not in phone.url
        assert phone.get_by_role("button", name="Submit").is_visible()
        assert store.participant_count(code) == 1  # the same participant, not a second one
        assert phone.locator('[data-testid="stException"]').count() == 0
        assert not errors
    store.engine.dispose()
