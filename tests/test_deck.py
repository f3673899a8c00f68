"""The 16:9 slide deck (reports/deck.py): one 1280 × 720 section per slide, comparison slides
when variants are given, the CLI's ``report --deck`` printing one PDF page per slide; and
Present's comparison slides in the app (AppTest)."""

import datetime as dt
import os
import re

import pytest

from cli import main
from presentation.i18n import text
from reports import build_deck
from reports.deck import SLIDES
from scoring import load_preset
from scoring.links import apply_changes
from scoring.presets import PRESETS_DIR
from scoring.variants import derive
from tests.browser import chromium_path
from tests.helpers import compare_page, run_cli

TEMPLATE = str(PRESETS_DIR / "neutral_template.json")
MEDICAL = str(PRESETS_DIR / "medical_diagnosis.json")
SINGLE_SLIDES = 6  # title and figures, risk matrix, radar, runway, top risks, valuation
COMPARISON_SLIDES = SINGLE_SLIDES + 3  # and the key figures side by side, the runways, the radars
SECTION = re.compile(r'<section class="slide">')
# 1280 × 720 CSS px printed at 96 px to the inch are 13⅓ × 7½ in, i.e. 960 × 540 pt (72 to the inch)
PAGE_POINTS = (960, 540)


def variants_of(base, *names):
    """The base's bull and bear cases, as Compare builds them (their changes applied to the base)."""
    scenarios = [base]
    for template in names:
        scenario, ignored = apply_changes(base, derive(base, template))
        assert not ignored
        scenarios.append(scenario.model_copy(update={"name": f"{template.title()} case"}))
    return scenarios


@pytest.fixture(scope="module")
def template_deck() -> str:
    return build_deck([load_preset("neutral_template")], today=dt.date(2027, 3, 1))


def slides(page: str) -> list[str]:
    return page.split('<section class="slide">')[1:]


def test_one_scenario_is_six_slides_of_16_by_9(template_deck):
    assert len(SECTION.findall(template_deck)) == SINGLE_SLIDES
    assert "@page { size: 1280px 720px; margin: 0; }" in template_deck
    assert "section.slide { position: relative; width: 1280px; height: 720px; overflow: hidden;" in template_deck
    assert "break-after: page" in template_deck
    for number, body in enumerate(slides(template_deck), start=1):
        assert f"<span>{number} / {SINGLE_SLIDES}</span></footer>" in body
    # the charts are Plotly, inlined once, drawn as static pictures at the slide's size
    assert template_deck.count("Plotly.newPlot(") == 4  # matrix, radar, runway, valuation bridge
    assert template_deck.count("<script") == 1 + 4


def test_the_title_slide_carries_the_headline_figures(template_deck):
    title = slides(template_deck)[0]
    assert "<h1>Neutral template</h1>" in title
    assert "Report of 2027-03-01" in title
    # 1,000,000 of cash against 80,000 of costs and 20,000 of revenue a month: 1M / 60k = 16.7 months
    assert '<div class="label">Runway</div><div class="value">16.7 mo</div>' in title
    assert "Pre-money range (USD)" in title
    risks = slides(template_deck)[SLIDES.index("risks")]
    assert "The three biggest risks and what to do" in risks
    assert risks.count('<div class="risk">') == 3
    assert risks.count("<p><strong>") == 3 * 2  # two things to do for each, side by side


def test_the_deck_follows_the_order_present_shows(template_deck):
    kinds = {"risks": "The three biggest risks and what to do", "runway": "Cash balance by month"}
    order = [next((kind for kind, words in kinds.items() if words in body), None) for body in slides(template_deck)]
    assert order.index("runway") == SLIDES.index("runway") == 1  # the talk's second slide is the cash
    assert order.index("risks") == SLIDES.index("risks")


def test_variants_add_the_comparison_slides_with_their_deltas():
    base = load_preset("neutral_template")
    page = build_deck(variants_of(base, "bull", "bear"), lang="en")
    assert len(SECTION.findall(page)) == COMPARISON_SLIDES
    table = slides(page)[6]
    assert "<h2>Key figures</h2>" in table
    assert "<th>Neutral template</th><th>Bull case</th><th>Bear case</th>" in table
    # by a month-by-month loop by hand (as tests/test_app.py): the bull case's 1M against 80k of
    # costs and 25k of revenue growing 2 % a month lasts 20.17 months, the bear case's 13.38
    assert '<td>20.2 mo<span class="delta better">+3.5 mo</span></td>' in table
    assert '<td>13.4 mo<span class="delta worse">-3.3 mo</span></td>' in table
    assert page.count("Plotly.newPlot(") == 4 + 2  # and the runways and the radars overlaid


def test_names_are_shown_as_written_and_chinese_slides_are_chinese():
    base = load_preset("neutral_template").model_copy(update={"name": "<b>Acme</b> & co"})
    page = build_deck(variants_of(base, "bear"), lang="zh")
    assert "<b>Acme</b>" not in page and "&lt;b&gt;Acme&lt;/b&gt; &amp; co" in page
    assert '<html lang="zh-CN">' in page
    assert text("present.top_risks", "zh") in page and text("compare.kpis", "zh") in page


def test_a_deck_covers_one_to_four_scenarios():
    base = load_preset("neutral_template")
    with pytest.raises(ValueError, match="1 to 4 scenarios, got 5"):
        build_deck([base] * 5)


def test_cli_deck_writes_html_and_refuses_it_with_summary(capsys, tmp_path):
    out = tmp_path / "deck.html"
    code, printed, err = run_cli(capsys, "report", TEMPLATE, MEDICAL, "--out", str(out), "--deck")
    assert (code, err) == (0, "") and printed.startswith(f"wrote {out}")
    assert len(SECTION.findall(out.read_text(encoding="utf-8"))) == COMPARISON_SLIDES
    with pytest.raises(SystemExit) as exit_:  # an argparse error
        main(["report", TEMPLATE, "--out", str(tmp_path / "x.pdf"), "--deck", "--summary"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--deck: not allowed with argument --summary" in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_present_shows_the_comparison_slides_when_variants_exist():
    at = compare_page()
    at.button(key="add:bull").click().run()
    at.button(key="add:bear").click().run()
    at.switch_page("views/present.py").run()
    assert not at.exception
    assert "Slide 1 of 9" in at.caption[-1].value
    at.session_state["slide"] = 6
    at.run()
    assert not at.exception
    assert at.title[0].value == "Key figures"
    (table,) = [element for element in at.get("html") if '<table class="present-table"' in element.proto.body]
    assert "<th>Bull case</th>" in table.proto.body
    assert '<td>20.2 mo<span class="delta better">+3.5 mo</span></td>' in table.proto.body  # as by hand above
    for slide, charts in ((7, 1), (8, 1)):  # the runways overlaid, the radars overlaid
        at.session_state["slide"] = slide
        at.run()
        assert not at.exception and len(at.get("plotly_chart")) == charts
    assert at.button(key="present_next").disabled and "Slide 9 of 9" in at.caption[-1].value
    if chromium_path() is not None:  # the slides as a PDF, built only when pressed
        assert [d.proto.label for d in at.get("download_button")] == ["Deck (PDF)"]


BROWSER = chromium_path()
needs_browser = pytest.mark.skipif(
    BROWSER is None and os.environ.get("CI") != "true", reason="NO BROWSER: Chromium not found"
)


@pytest.mark.browser
@needs_browser
@pytest.mark.parametrize(
    ("files", "expected", "title"),
    [((TEMPLATE,), SINGLE_SLIDES, "Neutral template"), ((MEDICAL, TEMPLATE), COMPARISON_SLIDES, "Medical-diagnosis")],
)
def test_cli_deck_pdf_has_one_16_by_9_page_per_slide(capsys, tmp_path, files, expected, title):
    from pypdf import PdfReader

    out = tmp_path / "deck.pdf"
    code, _, err = run_cli(capsys, "report", *files, "--out", str(out), "--deck")
    assert (code, err) == (0, "")
    reader = PdfReader(out)
    assert len(reader.pages) == expected
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == PAGE_POINTS
        assert page.extract_text().rstrip().endswith(f"{number} / {expected}")  # its own slide, nothing spilt over
    assert reader.pages[0].extract_text().startswith(title)  # the base's title slide first
