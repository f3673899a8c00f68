"""Every page in Debian's headless Chromium, in English and Chinese, checked by axe-core (the copy
bundled with ``axe-playwright-python``: nothing is downloaded) against the WCAG 2.0 / 2.1 A and AA
rules: not one critical or serious violation — colour contrast, images and charts without a text
alternative, controls without a name — and the page says which language it is in. The workshop pages
show a real room with two answers (made in a fresh SQLite file), so the console and the projector draw
the group's charts; Compare shows a base with a variant, so its KPI table and charts are checked too.

No rule is switched off and no element is excluded.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true), where a
missing browser is a failure: `make test` installs it there.
"""

from collections.abc import Iterator

import pytest

from presentation.i18n import text
from scoring import load_preset
from scoring.variants import variant_templates
from tests.browser import app_browser, require_chromium
from tests.helpers import TWO_FACTORS
from workshop.store import WorkshopStore

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

FIRST_LOAD_MS = 180_000  # a page's first load on a shared, busy machine
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
BLOCKING = {"critical", "serious"}
PAGE_LANGUAGE = {"en": "en", "zh": "zh-CN"}  # <html lang>, which a screen reader's voice follows (WCAG 3.1.1)

# (name, address, charts drawn once it is ready); {code} and {key} are the room's.
PAGES = [
    ("explore", "/", 3),  # the heatmap, the radar and the Vega-Lite runway
    ("risks", "/risks", 0),
    ("sensitivity", "/sensitivity", 1),
    ("compare", "/compare", 0),  # a variant is added below: then four charts
    ("investor", "/investor", 1),
    ("present", "/present", 0),
    ("workshop_new", "/workshop", 0),  # the form that creates a room
    ("workshop_console", "/workshop?room={code}&key={key}", 3),  # the room's console: the group's charts
    ("join", "/join?room={code}", 0),  # a phone that has not joined yet
    ("projector", "/projector?room={code}", 2),
    ("method", "/method", 0),
]

# The page has finished its run and drawn its title, at least `charts` charts (Plotly and Vega-Lite)
# and every element: none still a grey placeholder (a widget's code loading) or left from the last run.
READY = """(charts) => document.querySelectorAll(
        '.js-plotly-plot, [data-testid="stVegaLiteChart"] svg.marks').length >= charts
    && document.querySelector('[data-testid="stMain"] h1') !== null
    && document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]') === null
    && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, object, str, str]]:
    """The dashboard with one workshop room where two people have answered: (url, browser, room code,
    facilitator key)."""
    data_dir = tmp_path_factory.mktemp("a11y")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATA_DIR", str(data_dir))  # the server inherits it: rooms in a fresh SQLite file
        env.delenv("DATABASE_URL", raising=False)
        env.delenv("WORKSHOP_PUBLIC_URL", raising=False)
        store = WorkshopStore(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
        code, key = store.create_room(load_preset("neutral_template"), TWO_FACTORS)
        for name, rating in (("Ann", 3.0), ("李明", 8.0)):
            store.submit(code, store.join(code, name), dict.fromkeys(TWO_FACTORS, rating))
        store.engine.dispose()
        with app_browser(BROWSER) as (url, browser):
            yield url, browser, code, key


def wait_ready(page, charts: int) -> None:
    page.wait_for_function(READY, arg=charts, timeout=FIRST_LOAD_MS)
    page.wait_for_timeout(1000)  # a chart's last transition, a late rerun
    page.wait_for_function(READY, arg=charts, timeout=FIRST_LOAD_MS)


def report(violations: list[dict]) -> str:
    """Each violation: rule id, impact, what it asks for, and every element it found with why."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"        {node['html'][:200]}")
            lines += [f"        {line}" for line in (node.get("failureSummary") or "").splitlines()]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", list(PAGE_LANGUAGE))
@pytest.mark.parametrize(("name", "address", "charts"), PAGES, ids=[name for name, _, _ in PAGES])
def test_no_serious_accessibility_violation(app, name, address, charts, lang):
    url, browser, code, key = app
    address = address.format(code=code, key=key)
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # a fresh browser: no cookies
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{url}{address}{'&' if '?' in address else '?'}lang={lang}")
        wait_ready(page, charts)
        if name == "compare":  # a base and a variant: the KPI table with its deltas, runways, radars, heatmaps
            template = next(iter(variant_templates().values()))
            page.get_by_role("button", name=text("compare.add_template", lang, name=template.name.get(lang))).click()
            wait_ready(page, 4)
        assert page.get_by_role("dialog").count() == 0, page.get_by_role("dialog").first.inner_text()  # not found
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.evaluate("document.documentElement.lang") == PAGE_LANGUAGE[lang]
        results = Axe().run(page, options=AXE_OPTIONS).response
        blocking = [violation for violation in results["violations"] if violation["impact"] in BLOCKING]
        assert not blocking, f"{name} ({lang}) at {address}:\n{report(blocking)}"
        assert not errors
    finally:
        context.close()
