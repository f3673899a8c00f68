"""Reports that print well: paragraphs kept whole, a first page that is the summary, a one-page
summary layout (HTML and PDF, from the library and the CLI), and charts whose layout does not
depend on the process's default Plotly template. (In Chromium, at screen widths, every chart's
ticks and titles inside the chart: tests/test_browser_report.py.)"""

import datetime as dt
import html
import io
import json
import re

import plotly.io as pio
import pytest

from presentation.formatting import KPI_LABELS, band_counts, kpi_value
from presentation.i18n import text
from presentation.method_text import method_sections
from reports import build_report, html_to_pdf
from reports.html import _markdown, _short
from scoring import load_catalogue, load_preset
from scoring.compare import summarise
from scoring.links import apply_changes
from scoring.presets import PRESETS_DIR
from scoring.variants import derive, variant_templates
from tests.browser import chromium_path
from tests.helpers import run_cli

TODAY = dt.date(2026, 11, 28)
MEDICAL = str(PRESETS_DIR / "medical_diagnosis.json")


def test_the_lines_of_a_paragraph_or_a_list_item_make_one():
    source = """
A first sentence that goes
on over a line break. A second *one
in italics* ends here.

- An item that goes
  on under itself
- A second item
lazily continued.

第一行写到这里，
第二行接着写。
Then English
again.
| a | b |
|---|---|
| 1 | 2 |
"""
    assert _markdown(source) == (
        "<p>A first sentence that goes on over a line break. A second <em>one in italics</em> ends here.</p>\n"
        "<ul><li>An item that goes on under itself</li><li>A second item lazily continued.</li></ul>\n"
        "<p>第一行写到这里，第二行接着写。Then English again.</p>\n"
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_method_text_keeps_its_paragraphs_and_list_items_whole(lang):
    """In the report's "How the numbers are computed": as many list items as the source starts
    (the first source, over two lines, once split into an item and a stray paragraph), no
    paragraph that starts mid-sentence, and no space where a Chinese line was broken."""
    page = build_report([load_preset("medical_diagnosis")], lang=lang, today=TODAY)
    conventions = page[page.index(text("report.conventions", lang)) :]
    title, sources = method_sections(lang)[-1]
    starts = [line for line in sources.splitlines() if line.startswith("- ")]
    assert len(starts) == 6
    shown = conventions[conventions.index(f"<h3>{title}</h3>") :]
    assert shown.count("<li>") == len(starts) and "</ul><p>" not in shown
    assert "(《大模型创业的风险与机遇》)" not in re.findall(r"<p>(.{0,20})", conventions)
    assert not re.search(r"<p>[a-z(（]", conventions)
    if lang == "zh":  # every line break after a Chinese character is joined without a space
        pairs = [
            (a.strip(), b.strip())
            for _, body in method_sections(lang)
            for a, b in zip(body.splitlines(), body.splitlines()[1:], strict=False)
        ]
        joined = [  # (not where *italic* markup meets the break: that becomes <em>)
            html.escape(a[-3:] + b[:3])
            for a, b in pairs
            if a and b and b[0] not in "-|" and "\u4e00" <= a[-2] <= "\u9fff" and "*" not in a[-3:] + b[:3]
        ]
        assert len(joined) > 20 and [pair for pair in joined if pair not in conventions] == []


def test_a_name_is_cut_to_its_width_with_an_ellipsis():
    assert _short("abcdef", 4) == "abc…"  # three letters and the ellipsis: four widths
    assert _short("abcd", 4) == "abcd"
    assert _short("ab cdef", 4) == "ab…"  # no space before the ellipsis
    assert _short("中文名字", 5) == "中文…"  # each character two widths: 2 + 2 + 1


@pytest.fixture(scope="module")
def medical():
    scenario = load_preset("medical_diagnosis")
    return scenario, summarise(scenario)


def test_the_summary_layout_is_the_first_page_alone(medical):
    scenario, summary = medical
    page = build_report([scenario], summaries=[summary], today=TODAY, layout="summary")
    full = build_report([scenario], summaries=[summary], today=TODAY)
    catalogue = load_catalogue()
    for kpi, value in summary.kpis().items():
        label, shown = text(KPI_LABELS[kpi], "en"), kpi_value(kpi, value, scenario, "en")
        assert f'{label}</div><div class="value">{shown}' in page
    assert band_counts(summary.evaluation.risk, "en") in page
    assert "Start raising by 2029-07" in page  # the bad case (P10) less the 6 months a raise takes
    assert "Pre-money range" in page
    for item in summary.evaluation.risk.top(5):
        assert catalogue.risks[item.id].name.get("en") in page
        for mitigation in item.mitigations[:3]:
            assert f"<li>{catalogue.mitigations[mitigation].title.get('en')}</li>" in page
    assert "<script" not in page and text("report.inputs", "en") not in page
    assert page.count("<footer>") == 1
    # the full report opens with the same summary, then a page break, then the charts
    start = page.index('<section class="summary">')
    end = page.index("</section>", start)
    assert page[start:end] in full
    assert "body.layout-full .summary { break-after: page; }" in full and 'class="layout-full"' in full
    assert full.index("</section>") < full.index(text("report.runway", "en"))


def test_the_comparison_summary_has_the_kpis_side_by_side_and_the_risks_that_differ():
    base = load_preset("medical_diagnosis")
    bull, _ = apply_changes(base, derive(base, "bull"))
    bull = bull.model_copy(update={"name": variant_templates()["bull"].name.get("en")})
    page = build_report([base, bull], today=TODAY, layout="summary")
    assert "<th>Medical-diagnosis model</th><th>Bull case</th>" in page
    for label in ("Overall risk", "Bad case (P10)", "Valuation, high", "Top risks that differ from the base"):
        assert label in page
    assert "The five biggest risks of Medical-diagnosis model and what to do" in page


def test_a_layout_is_one_of_two():
    with pytest.raises(ValueError, match="full, summary"):
        build_report([load_preset("medical_diagnosis")], layout="deck")


def figures(page: str) -> list[dict]:
    """Every chart's figure as Plotly.newPlot receives it (data and layout)."""
    calls = re.findall(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{"displayModeBar"', page, re.S)
    return [{"data": json.loads(data), "layout": json.loads(layout)} for data, layout in calls]


def test_the_charts_do_not_depend_on_the_default_template(medical):
    """In the app, Streamlit's theme is Plotly's default template (no automargin, placeholder
    colours); the CLI has Plotly's own (automargin on). The report's charts are the same under
    either, with every axis's automargin off and its margins its own."""
    scenario, summary = medical
    default = pio.templates.default
    try:
        shown = {}
        for template in ("plotly", "none", "ggplot2"):
            pio.templates.default = template
            shown[template] = figures(build_report([scenario], summaries=[summary], today=TODAY))
    finally:
        pio.templates.default = default
    assert len(shown["plotly"]) == 3
    assert shown["plotly"] == shown["none"] == shown["ggplot2"]
    for figure in shown["plotly"]:
        layout = figure["layout"]
        assert layout["width"] == 700 and layout["margin"]["l"] >= 60  # room for "−10M" and "USD"
        axes = [value for key, value in layout.items() if re.fullmatch(r"[xy]axis\d*", key)]
        assert axes and all(axis.get("automargin") is False for axis in axes)


def test_the_cli_writes_the_summary(capsys, tmp_path):
    out = tmp_path / "summary.html"
    code, stdout, err = run_cli(capsys, "report", MEDICAL, "--out", str(out), "--summary")
    assert (code, err) == (0, "") and "wrote" in stdout
    page = out.read_text(encoding="utf-8")
    assert 'class="layout-summary"' in page and "<script" not in page and "Overall risk" in page


def pdf_pages(page: str) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(html_to_pdf(page))).pages)


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="NO BROWSER: Chromium not found")
def test_the_summary_fits_one_a4_page(medical):
    """One scenario in English, and the largest comparison in Chinese (four, one with a long name)."""
    scenario, summary = medical
    assert pdf_pages(build_report([scenario], summaries=[summary], layout="summary")) == 1
    bear, _ = apply_changes(scenario, derive(scenario, "bear"))
    bull, _ = apply_changes(scenario, derive(scenario, "bull"))
    four = [
        scenario,
        bull.model_copy(update={"name": "乐观情景"}),
        bear.model_copy(update={"name": "悲观情景"}),
        bear.model_copy(update={"name": "一个相当长的变体名称，用来检查换行和截断是否正常工作的情景，" * 3}),
    ]
    assert pdf_pages(build_report(four, lang="zh", layout="summary")) == 1
