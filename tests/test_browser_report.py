"""The comparison report in Chromium: at 800 px and 1280 px wide every tick label and axis title of
every chart lies inside its chart and clear of the other axis parts, the runway shows its first
month; printed to PDF, the first page is the summary and the summary layout is one page.

The charts are drawn at one fixed width (``reports.html.CHART_WIDTH``, A4's printable width), so
the same checks hold on paper. Screenshots of the charts go to ``$REPORT_SHOTS`` when it is set.
"""

import datetime as dt
import io
import os
import unicodedata
from pathlib import Path

import plotly.io as pio
import pytest

from presentation.charts.runway import month_ticks
from presentation.i18n import text
from reports import build_report, html_to_pdf
from scoring import load_catalogue, load_preset
from scoring.compare import summarise
from scoring.links import apply_changes
from scoring.variants import derive, variant_templates
from tests.browser import CHROMIUM_ARGS, require_chromium

BROWSER = require_chromium()
WIDTHS = (800, 1280)
TODAY = dt.date(2026, 11, 28)

# Every text of an axis, by Plotly's and Vega's class names: tick labels and titles.
AXIS_PARTS = {
    "xtick": ".xtick text",
    "ytick": ".ytick text",
    "y2tick": ".y2tick text",
    "xtitle": ".g-xtitle text",
    "ytitle": ".g-ytitle text",
    "y2title": ".g-y2title text",
    "angular": ".angularaxistick text",  # the radar's axis names
    "legend": ".legendtext",
}
# An axis title must not sit on its own axis's tick labels ("USD" on the money ticks).
CLEAR_OF = {"xtitle": "xtick", "ytitle": "ytick", "y2title": "y2tick"}

MEASURE = """(parts) => {
    const box = (el) => { const r = el.getBoundingClientRect();
                          return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                                  width: r.width, height: r.height}; };
    const charts = [];
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        const svg = plot.querySelector('.main-svg');
        const found = {};
        for (const [name, selector] of Object.entries(parts)) {
            found[name] = [...plot.querySelectorAll(selector)]
                .filter((el) => el.textContent.trim() !== '')
                .map((el) => ({text: el.textContent, ...box(el)}));
        }
        const title = plot.querySelector('.gtitle');
        charts.push({kind: 'plotly', title: title ? title.textContent : '', svg: box(svg), parts: found});
    }
    for (const svg of document.querySelectorAll('.vega-embed svg')) {
        const found = {
            label: [...svg.querySelectorAll('.role-axis-label text')].map((el) => ({text: el.textContent, ...box(el)})),
            title: [...svg.querySelectorAll('.role-axis-title text')].map((el) => ({text: el.textContent, ...box(el)})),
        };
        charts.push({kind: 'vega', title: '', svg: box(svg), parts: found});
    }
    return charts;
}"""


def comparison(lang: str = "en"):
    """The medical-diagnosis case with its bull and bear cases, as Compare makes them."""
    base = load_preset("medical_diagnosis")
    scenarios = [base]
    for template_id in ("bull", "bear"):
        variant, ignored = apply_changes(base, derive(base, template_id))
        assert not ignored
        scenarios.append(variant.model_copy(update={"name": variant_templates()[template_id].name.get(lang)}))
    return scenarios


@pytest.fixture(scope="module")
def scenarios():
    return comparison()


@pytest.fixture(scope="module")
def summaries(scenarios):
    return [summarise(scenario) for scenario in scenarios]


@pytest.fixture(scope="module")
def reports(tmp_path_factory, scenarios, summaries):
    """The comparison report in English and in Chinese and two one-scenario reports (the case, and
    the neutral template with its crowded heatmap), as files, built as the app builds them: there
    Streamlit's theme is Plotly's default template, and it has no automargin (with Plotly's own
    default, automargin hid the clipping the app showed)."""
    folder = tmp_path_factory.mktemp("reports")
    default = pio.templates.default
    pio.templates.default = "none"  # no automargin, like the app's
    try:
        pages = {
            "comparison": build_report(scenarios, summaries=summaries, today=TODAY),
            "comparison-zh": build_report(comparison("zh"), lang="zh", today=TODAY),
            "single": build_report(scenarios[:1], summaries=summaries[:1], today=TODAY),
            # five lines of codes under its heatmap (crowded cells): once they pushed "Likelihood" onto the ticks
            "crowded": build_report([load_preset("neutral_template")], today=TODAY),
        }
    finally:
        pio.templates.default = default
    files = {}
    for name, page in pages.items():
        files[name] = folder / f"{name}.html"
        files[name].write_text(page, encoding="utf-8")
    return files


def inside(part: dict, svg: dict, slack: float = 0.5) -> bool:
    return (
        part["left"] >= svg["left"] - slack
        and part["right"] <= svg["right"] + slack
        and part["top"] >= svg["top"] - slack
        and part["bottom"] <= svg["bottom"] + slack
    )


def overlap(a: dict, b: dict, slack: float = 3) -> bool:
    """Whether two texts' boxes overlap by more than ``slack`` px each way: a text's box holds its
    font's whole ascent and descent, a few px of which are empty above and below digits."""
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack
    )


def problems(charts: list[dict]) -> list[str]:
    """Every axis text outside its chart, and every axis title on its tick labels, in words."""
    found = []
    for number, chart in enumerate(charts):
        where = f"chart {number} ({chart['title'] or chart['kind']})"
        for name, parts in chart["parts"].items():
            found += [
                f"{where}: {name} {part['text']!r} outside {chart['svg']}"
                for part in parts
                if not inside(part, chart["svg"])
            ]
            found += [f"{where}: {name} {part['text']!r} has no size" for part in parts if not part["width"]]
        for title, ticks in CLEAR_OF.items():
            for a in chart["parts"].get(title, []):
                found += [
                    f"{where}: {title} {a['text']!r} on {ticks} {b['text']!r}"
                    for b in chart["parts"].get(ticks, [])
                    if overlap(a, b)
                ]
    return found


@pytest.fixture(scope="module")
def browser():
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def measure(browser, page_file: Path, width: int, shots: str = "") -> list[dict]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(page_file.as_uri())
        count = page.locator(".js-plotly-plot").count()
        page.wait_for_function(
            """(count) => [...document.querySelectorAll('.js-plotly-plot')]
                   .filter((plot) => plot._fullLayout && plot.querySelector('.main-svg')).length === count""",
            arg=count,
            timeout=180_000,
        )
        page.wait_for_timeout(300)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            for number, plot in enumerate(page.locator(".js-plotly-plot").all()):
                plot.screenshot(path=f"{shots}/{page_file.stem}-{width}-{number}.png")
        return page.evaluate(MEASURE, AXIS_PARTS)
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("report", ["comparison", "comparison-zh", "single", "crowded"])
def test_no_tick_label_or_axis_title_leaves_its_chart(browser, reports, scenarios, report, width):
    assert (scenarios[0].finance.horizon_months, scenarios[0].settings.start_month) == (60, "2027-01")
    charts = measure(browser, reports[report], width, os.environ.get("REPORT_SHOTS", ""))
    plotly = [chart for chart in charts if chart["kind"] == "plotly"]
    # comparison: the runway, the radar and a heatmap per scenario; single: runway, heatmap, radar
    assert len(plotly) == (5 if report.startswith("comparison") else 3)
    assert problems(charts) == []
    for chart in plotly:  # the checks saw the texts: every chart has axis texts, the radar its nine names
        texts = sum(len(parts) for name, parts in chart["parts"].items() if name != "legend")
        assert texts >= 9, chart["title"]
    if report == "crowded":
        return
    runway = plotly[0]
    _, labels = month_ticks(60, "2027-01")  # the case's horizon and start month
    assert [part["text"] for part in runway["parts"]["xtick"]] == labels, "a month label is missing"
    assert labels[0] == "2027-01"  # the first month, which the clipped chart lost
    assert runway["parts"]["ytitle"][0]["text"] == "USD"
    if report == "single":  # the share of futures out of cash, on the right
        assert runway["parts"]["y2tick"][-1]["text"] == "100%"
    radar = next(chart for chart in plotly if chart["parts"]["angular"])
    names = {axis.name.get("zh" if report.endswith("zh") else "en") for axis in load_catalogue().axes.values()}
    assert {part["text"] for part in radar["parts"]["angular"]} == names


def test_a_problem_is_seen():
    """The checker itself: a tick label past the chart's edge and a title on its ticks are named."""
    svg = {"left": 0, "right": 700, "top": 0, "bottom": 440}
    tick = {"text": "25M", "left": -20, "right": 8, "top": 50, "bottom": 66, "width": 28, "height": 16}
    title = {"text": "USD", "left": 2, "right": 20, "top": 40, "bottom": 80, "width": 18, "height": 40}
    chart = {"kind": "plotly", "title": "t", "svg": svg, "parts": {"ytick": [tick], "ytitle": [title]}}
    assert problems([chart]) == [
        f"chart 0 (t): ytick '25M' outside {svg}",
        "chart 0 (t): ytitle 'USD' on ytick '25M'",
    ]


def words(pdf_page) -> str:
    """A PDF page's text in single spaces, its ligatures ("ﬀ") spelled out."""
    return " ".join(unicodedata.normalize("NFKC", pdf_page.extract_text()).split())


@pytest.mark.browser
def test_the_pdf_opens_on_the_summary_and_the_summary_is_one_page(scenarios, summaries):
    from pypdf import PdfReader

    full = PdfReader(io.BytesIO(html_to_pdf(build_report(scenarios, summaries=summaries, today=TODAY))))
    first = words(full.pages[0])
    for expected in (
        "Comparison: Medical-diagnosis model · Bull case · Bear case",
        "Overall risk",
        "Bad case (P10)",
        "Valuation, high",
        "Top risks that differ from the base",
        "The five biggest risks of Medical-diagnosis model and what to do",
    ):
        assert expected in first
    catalogue = load_catalogue()
    for risk_id in summaries[0].top_risks(5):
        assert catalogue.risks[risk_id].name.get("en") in first
    assert text("report.runway", "en") not in first  # the charts start on page 2
    assert len(full.pages) > 3
    one_page = build_report(scenarios, summaries=summaries, today=TODAY, layout="summary")
    summary = PdfReader(io.BytesIO(html_to_pdf(one_page)))
    assert len(summary.pages) == 1
    assert words(summary.pages[0]).startswith(first[:200])
