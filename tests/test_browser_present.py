"""Present mode in Debian's headless Chromium at the projector sizes 1280 × 720, 1366 × 768 and
1920 × 1080 (and 1280 × 720 in Chinese): for every slide of a base with a bull and a bear case
(six slides and three comparison slides), nothing scrolls, every visible element lies inside the
viewport and every slide's content above the navigation bar, every chart's text inside its chart,
no text cut short (no ellipsis, nothing wider than its box), and Previous / Next / Leave visible
and not covered. Each slide is saved as a PNG under /tmp/deck_shots to look at.

Skipped with a loud reason when no Chromium is installed, except in CI (CI=true)."""

from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from presentation.i18n import text
from scoring.variants import variant_templates
from tests.browser import app_browser, require_chromium

pytestmark = pytest.mark.browser

BROWSER = require_chromium()
pytest.importorskip("playwright.sync_api")

SHOTS = Path("/tmp/deck_shots")
SLIDES = 9  # six of the base, three of the comparison
SIZES = [(1280, 720, "en"), (1366, 768, "en"), (1920, 1080, "en"), (1280, 720, "zh")]
# the longest texts a slide shows: a long name (title, table head, legends) and a pre-money
# range of two wide figures (a base of 12,345,678 and 333,333 a step: "11.7M – 14.0M" or so)
LINK = {
    "preset": "medical_diagnosis",
    "name": "Medical-diagnosis model: Series A pitch to the investment committee",
    "base_pre_money": "12345678",
    "step": "333333",
}

IDLE = (
    "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'"
)

# Everything that would make a slide unreadable from the back of a room, each with its text.
PROBLEMS = """() => {
    const problems = [];
    const width = innerWidth, height = innerHeight, slack = 1;
    const visible = (element) => {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none'
            && element.closest('[data-testid="stSidebar"]') === null;
    };
    const words = (element) => (element.innerText || element.textContent || '').trim().slice(0, 60);
    // nothing scrolls: not the document, not Streamlit's own scrolling main area, nothing else
    for (const element of [document.scrollingElement, ...document.querySelectorAll('*')]) {
        const overflow = getComputedStyle(element).overflowY;
        const scrolls = element === document.scrollingElement || overflow === 'auto' || overflow === 'scroll';
        if (scrolls && element.scrollHeight > element.clientHeight + slack && element.clientHeight > 0)
            problems.push(['scrolls', element.className.toString().slice(0, 60), element.scrollHeight,
                           element.clientHeight]);
    }
    const main = document.querySelector('[data-testid="stMain"]');
    const stage = document.querySelector('.st-key-present_stage').getBoundingClientRect();
    // what is seen: text (where its lines are drawn, not its box: Streamlit pads some boxes with
    // negative margins), buttons, images and charts
    for (const element of main.querySelectorAll('*')) {
        if (!visible(element) || element.closest('.js-plotly-plot')) continue;
        const text = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
        if (!text && !element.matches('button, img, canvas, input, .js-plotly-plot')) continue;
        let box = element.getBoundingClientRect();
        if (text) {
            const range = document.createRange();
            range.selectNodeContents(element);
            box = range.getBoundingClientRect();
        }
        if (box.left < -slack || box.top < -slack || box.right > width + slack || box.bottom > height + slack)
            problems.push(['outside the viewport', words(element), box.left, box.top, box.right, box.bottom]);
        if (element.closest('.st-key-present_stage') && box.bottom > stage.bottom + slack)
            problems.push(['below the slide', words(element), box.bottom, stage.bottom]);
        if (!text) continue;
        const style = getComputedStyle(element);
        if (words(element).endsWith('…') || words(element).endsWith('...'))
            problems.push(['ellipsis', words(element)]);
        if (element.scrollWidth > element.clientWidth + slack && element.clientWidth > 0
                && (style.textOverflow === 'ellipsis' || style.overflowX !== 'visible'))
            problems.push(['cut', words(element), element.scrollWidth, element.clientWidth]);
    }
    // a chart's words (ticks, axis names, the radar's axis names, legends) inside the chart
    for (const chart of main.querySelectorAll('.js-plotly-plot')) {
        const frame = chart.getBoundingClientRect();
        if (frame.bottom > stage.bottom + slack) problems.push(['chart below the slide', frame.bottom, stage.bottom]);
        for (const label of chart.querySelectorAll('text')) {
            const box = label.getBoundingClientRect();
            if (!label.textContent.trim() || box.width === 0) continue;
            if (box.left < frame.left - slack || box.right > frame.right + slack
                    || box.top < frame.top - slack || box.bottom > frame.bottom + slack)
                problems.push(['outside its chart', label.textContent, box.left, box.top, box.right, box.bottom]);
        }
    }
    // the way on: each button on screen and on top (nothing drawn over it)
    for (const key of ['present_back', 'present_next', 'present_leave']) {
        const button = document.querySelector(`.st-key-${key} button`);
        const box = button?.getBoundingClientRect();
        if (!box || box.top < 0 || box.bottom > height || box.left < 0 || box.right > width) {
            problems.push(['navigation off screen', key]);
            continue;
        }
        const top = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
        if (!button.contains(top)) problems.push(['navigation covered', key]);
    }
    return problems;
}"""


@pytest.fixture(scope="module")
def app():
    with app_browser(BROWSER) as (url, browser):
        yield url, browser


def wait_for_slide(page, number: int, lang: str) -> None:
    """The slide's run over and drawn: its position caption, and a chart's SVG where it has one."""
    position = text("present.position", lang, n=number, total=SLIDES)
    page.wait_for_function(
        """(position) => [...document.querySelectorAll('.st-key-present_nav p')].some(p => p.innerText === position)
            && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
            && [...document.querySelectorAll('.st-key-present_stage .stPlotlyChart')].every(
                   chart => chart.querySelector('.main-svg'))""",
        arg=position,
    )
    page.wait_for_timeout(1200)  # Plotly's resize to the stage, and any last layout


@pytest.mark.parametrize(("width", "height", "lang"), SIZES, ids=[f"{w}x{h}-{lang}" for w, h, lang in SIZES])
def test_every_slide_fits_the_screen_with_nothing_cut(app, width, height, lang):
    url, browser = app
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    page.set_default_timeout(180_000)  # a first run on a busy two-core machine
    try:
        page.goto(f"{url}/compare?{urlencode(LINK | {'lang': lang}, quote_via=quote)}")
        templates = variant_templates()
        for template in ("bull", "bear"):
            button = page.get_by_role(
                "button", name=text("compare.add_template", lang, name=templates[template].name.get(lang))
            )
            button.wait_for()
            page.wait_for_function(IDLE)
            button.click()
            page.wait_for_timeout(500)
            page.wait_for_function(IDLE)
        page.get_by_role("link", name=text("nav.present", lang)).click()
        found = {}
        for number in range(1, SLIDES + 1):
            wait_for_slide(page, number, lang)
            page.screenshot(path=str(SHOTS / f"present_{width}x{height}_{lang}_{number}.png"))
            problems = page.evaluate(PROBLEMS)
            if problems:
                found[number] = problems
            if number < SLIDES:
                page.keyboard.press("ArrowRight")
        assert found == {}
        if (width, lang) == (1280, "en"):  # the same slides as a 16:9 PDF, one slide per page
            from pypdf import PdfReader

            with page.expect_download(timeout=180_000) as download:
                page.get_by_role("button", name=text("share.deck_pdf", lang)).click()
            assert download.value.suggested_filename == "comparison-deck.pdf"
            reader = PdfReader(download.value.path())
            assert len(reader.pages) == SLIDES
            assert reader.pages[0].extract_text().startswith(LINK["name"][:20])
    finally:
        page.close()


# A slide with each fault the checks look for, and a scrolling page: each must be named.
FAULTY_SLIDE = """<html><body style="margin:0"><div data-testid="stMain" style="height:2000px">
  <div class="st-key-present_stage" style="height:200px">
    <p style="width:80px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis">Pre-money range 1.75M – 2.25M</p>
    <div style="height:300px"></div><p>3. F4 Falling profitability: the third risk's actions</p>
    <div class="js-plotly-plot" style="width:300px; height:150px">
      <svg width="300" height="150" style="overflow:visible"><text x="280" y="80">Ecosystem</text></svg>
    </div>
  </div>
  <div class="st-key-present_back"><button>Previous</button></div>
  <div class="st-key-present_next" style="position:absolute; top:900px"><button>Next</button></div>
  <div class="st-key-present_leave"><button>Leave</button></div>
  <div style="position:absolute; top:0; left:0; width:100%; height:700px"></div>
</div></body></html>"""


def test_the_checks_name_every_fault_of_a_slide_that_does_not_fit(app):
    _, browser = app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.set_content(FAULTY_SLIDE)
        problems = page.evaluate(PROBLEMS)
    finally:
        page.close()
    found = {(kind, str(what)[:20]) for kind, what, *_ in problems}
    assert ("scrolls", "") in found  # the document is 2000 px tall
    assert ("cut", "Pre-money range 1.75") in found  # an ellipsis that really cuts
    assert ("below the slide", "3. F4 Falling profit") in found
    assert ("outside its chart", "Ecosystem") in found
    assert ("navigation off screen", "present_next") in found
    assert ("navigation covered", "present_back") in found and ("navigation covered", "present_leave") in found
    assert {kind for kind, _ in found} == {
        "scrolls", "cut", "below the slide", "chart below the slide", "outside its chart", "outside the viewport",
        "navigation off screen", "navigation covered",
    }  # fmt: skip
