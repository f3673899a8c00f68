"""Two app replicas on one database: the facilitator on one server, the participants on the other.

Both servers get the same ``DATABASE_URL`` — a PostgreSQL schema of its own (``pg_url``), and
separately one SQLite file — as replicas behind a proxy would. The facilitator creates the room and
runs the rounds in headless Chromium on replica A; one participant joins and answers in Chromium on
replica B, three more through the store (the database itself: what a third replica would do). Every
answer must reach the facilitator's live view on A, and every round change and the reveal made on A
must reach the phone on B, by the pages' own polling (no reload).
"""

import contextlib
import statistics

import pytest
from sqlalchemy import select

from presentation.i18n import text
from scoring import load_catalogue
from tests.browser import CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server
from tests.helpers import needs_postgres
from workshop.schema import rooms
from workshop.store import WorkshopStore

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
APP = ROOT / "dashboard" / "app.py"
POLL_MS = 90_000  # pages poll every 3 s (console) and 5 s (phone); on a busy 2-core machine a rerun is slow
FIRST = "market.demand"  # the first factor of the catalogue: the phone's first slider


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    return request.getfixturevalue("pg_url")


@contextlib.contextmanager
def two_replicas(url: str, monkeypatch):
    """Replicas A and B of the app, both on ``url``, and a headless Chromium."""
    monkeypatch.setenv("DATABASE_URL", url)  # the servers inherit it
    with streamlit_server(APP) as a, streamlit_server(APP) as b, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            yield a, b, browser
        finally:
            browser.close()


def wait_for_run(page) -> None:
    page.wait_for_function(
        "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=60_000,
    )
    page.wait_for_timeout(500)


def wait_for_metric(page, label: str, value: int) -> None:
    """Until the facilitator's page shows ``value`` under ``label`` (by its own refresh)."""
    page.wait_for_function(
        """([label, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
               m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label
               && m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() === value)""",
        arg=[label, str(value)],
        timeout=POLL_MS,
    )


def wait_for_text(page, words: str) -> None:
    page.wait_for_function("(words) => document.body.innerText.includes(words)", arg=words, timeout=POLL_MS)


def click(page, key: str) -> None:
    """Press the button with Streamlit key ``key`` (its container has the class ``st-key-<key>``)."""
    page.locator(f".st-key-{key} button").first.click()


def test_answers_rounds_and_the_reveal_cross_between_two_replicas(database, monkeypatch):
    catalogue = load_catalogue()
    store = WorkshopStore(database)  # the test's own connections to the shared database
    try:
        with two_replicas(database, monkeypatch) as (a, b, browser):
            # The facilitator creates a room on replica A (the form's defaults: a preset, every factor).
            room = browser.new_page(viewport={"width": 1600, "height": 1000})
            room.goto(a + "/workshop")
            wait_for_run(room)
            click(room, "workshop_create")
            wait_for_run(room)
            with store.engine.connect() as connection:
                (code,) = connection.execute(select(rooms.c.code)).scalars().all()  # the only room
            factor_ids = store.room(code).factor_ids
            assert factor_ids[0] == FIRST
            wait_for_metric(room, text("workshop.joined", "en"), 0)

            # A participant on replica B joins and answers in the browser ...
            phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            phone.goto(f"{b}/join?room={code}")
            wait_for_run(phone)
            phone.locator(".st-key-join_name input").fill("Dana")
            click(phone, "join_join")
            wait_for_run(phone)
            wait_for_text(phone, text("join.you_are", "en", name="Dana"))
            slider = phone.locator('[data-testid="stSlider"] input').first
            start = store.room(code).scenario.factors[FIRST]  # a phone's sliders start at the room's scenario
            dana = min(start + 1.0, 10.0)
            for _ in range(2):
                slider.press("ArrowRight")  # +0.5 each
            assert float(slider.get_attribute("aria-valuetext")) == dana
            click(phone, "join_submit")
            wait_for_run(phone)
            wait_for_text(phone, text("join.saved", "en"))
            wait_for_metric(room, text("workshop.answers", "en", n=1), 1)
            wait_for_metric(room, text("workshop.joined", "en"), 1)

            # ... and three more through the database: each reaches replica A's live view.
            others = {"Ann": 2.0, "Bob": 4.0, "Cem": 8.0}
            for count, (name, value) in enumerate(others.items(), start=2):
                store.submit(code, store.join(code, name), dict.fromkeys(factor_ids, value))
                wait_for_metric(room, text("workshop.answers", "en", n=1), count)
            wait_for_metric(room, text("workshop.joined", "en"), 4)
            stored = {answer.participant: answer.factors[FIRST] for answer in store.answers(code)}
            assert stored == {"Dana": dana, **others}  # the browser's answer, as the database has it

            # Round changes made on A reach the phone on B: closed, revealed (with the group's median), next.
            click(room, "workshop_close_round")
            wait_for_text(phone, text("join.closed", "en", n=1))
            click(room, "workshop_reveal")
            wait_for_text(phone, text("join.revealed", "en", n=1))
            median = statistics.median([dana, *others.values()])  # worked out here, not by the app's aggregate
            line = text(
                "join.revealed_line",
                "en",
                factor=catalogue.factors[FIRST].name.get("en"),
                median=f"{median:g}",
                own=f"{dana:g}",
            )
            wait_for_text(phone, line)
            click(room, "workshop_next_round")
            wait_for_text(phone, text("join.round", "en", n=2))
            wait_for_text(phone, text("join.medians_note", "en"))  # round 2 shows round 1's medians

            # Round 2: an answer from B's phone reaches A again.
            wait_for_metric(room, text("workshop.answers", "en", n=2), 0)
            click(phone, "join_submit")
            wait_for_run(phone)
            wait_for_text(phone, text("join.saved", "en"))
            wait_for_metric(room, text("workshop.answers", "en", n=2), 1)
            assert [(a.participant, a.round) for a in store.answers(code, 2)] == [("Dana", 2)]
    finally:
        store.engine.dispose()
