"""Reports: the HTML carries every assumption and escapes user text; the CLI verb's exit codes;
in Chromium with the network off the charts draw; the PDF is a PDF with the content."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from cli import main
from presentation.formatting import band_counts, months_long
from presentation.i18n import text
from reports import build_report
from scoring import Scenario, evaluate, load_catalogue, load_preset, parse_scenario
from scoring.compare import summarise
from scoring.presets import PRESETS_DIR
from scoring.simulate import simulate
from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.helpers import run_cli

MEDICAL = str(PRESETS_DIR / "medical_diagnosis.json")
TEMPLATE = str(PRESETS_DIR / "neutral_template.json")
CASH_STRAPPED = str(PRESETS_DIR / "customer_service_cash_strapped.json")


@pytest.fixture(scope="module")
def single() -> str:
    return build_report([load_preset("medical_diagnosis")], today=dt.date(2026, 11, 28))


def test_a_single_report_prints_every_assumption(single):
    catalogue = load_catalogue()
    assert "<title>Medical-diagnosis model</title>" in single
    assert "Report of 2026-11-28" in single and "AI Startup Navigator 0.1.0" in single
    for factor in catalogue.factors.values():
        assert f"<td>{factor.name.get('en')}</td>" in single
    for label in ("Cash on hand", "4,000,000 USD", "Month 18: 6M USD · Series B", "Risks hit the cash plan"):
        assert label in single
    for heading in ("Overall risk", "Bad case (P10)", "The five biggest risks and what to do", "Every assumption"):
        assert heading in single
    assert text("method.runway.title", "en") in single  # the conventions
    assert "Risk-factor summation" in single and "Scorecard" in single and "A heuristic, not a valuation" in single
    assert single.count("Plotly.newPlot(") == 3  # runway, heatmap, radar
    assert single.count("<script") == 4  # plotly.js once, inlined, and one call per chart
    assert 'src="http' not in single and "<link" not in single


def test_the_report_renders_the_simulations_it_is_handed(monkeypatch):
    """The renderer simulates nothing: the futures with and without risk events come in with the
    summaries (here made by ``summarise``, as the CLI and the app do)."""
    import scoring.compare

    scenario = load_preset("medical_diagnosis")
    (summary,) = [summarise(scenario)]
    assert summary.simulation.risk_events and summary.without_events is not None
    assert summary.without_events == simulate(
        scenario, paths=summary.simulation.paths, seed=summary.simulation.seed, risk_events=False
    )

    def no_simulation(*args, **kwargs):
        raise AssertionError("the report ran a simulation")

    monkeypatch.setattr(scoring.compare, "simulate", no_simulation)
    page = build_report([scenario], summaries=[summary], today=dt.date(2026, 11, 28))
    without = months_long(summary.without_events.runway_months.p50, scenario.finance.horizon_months, "en")
    assert f'<th>{text("report.without_events", "en")}</th><td class="num">{without}</td>' in page
    # a summary whose simulation has no risk events carries no second run, and the report no such row
    quiet = summarise(scenario, simulation=simulate(scenario, paths=200, seed=1, risk_events=False))
    assert quiet.without_events is None
    assert text("report.without_events", "en") not in build_report([scenario], summaries=[quiet])


def counts_in_words(scenario, lang: str = "en") -> str:
    """The scoring result's band_counts as a reader sees them, checked against the numbers."""
    counts = evaluate(scenario).risk.band_counts
    shown = band_counts(evaluate(scenario).risk, lang)
    bands = load_catalogue().bands
    expected = [
        (counts[band.id], band.name.get(lang)) for band in reversed(bands) if counts[band.id]
    ]  # highest band first, empty ones left out
    parts = shown.split(" ·\u00a0")  # the line may break after a dot, never inside a part
    assert len(parts) == len(expected)
    for part, (count, name) in zip(parts, expected, strict=True):
        words = f"{count} {name.lower()}" if lang == "en" else f"{name} {count} 项"
        assert part == words.replace(" ", "\u00a0")  # no-break spaces: a count stays with its band
    return shown


def test_the_overall_risk_tile_carries_the_risks_per_band(single):
    shown = counts_in_words(load_preset("medical_diagnosis"))
    assert f'<div class="counts">{shown}</div>' in single
    assert single.index(shown) > single.index("Overall risk")
    assert single.index(shown) < single.index("Opportunity")


def template(**finance) -> Scenario:
    data = json.loads(Path(TEMPLATE).read_text(encoding="utf-8"))
    data["finance"].update(finance)
    return parse_scenario(data)


def test_a_company_with_revenue_gets_the_warning_and_a_pre_revenue_one_does_not():
    rich = template(monthly_revenue=300_000, monthly_costs=400_000)
    page = build_report([rich])
    warning = (
        "These rules of thumb are for pre-revenue companies; this company already earns 300k USD a month"
        " (75% of its costs) — use revenue multiples or a DCF instead."
    )
    assert f'<p class="warning">{warning}</p>' in page
    assert page.index(warning) > page.index(text("valuation.title", "en"))  # in the valuation section
    assert "这家公司每月已有 300k USD 的收入（相当于成本的 75%）" in build_report([rich], lang="zh")
    pre_revenue = build_report([template(monthly_revenue=0)])
    assert "pre-revenue companies;" not in pre_revenue and 'class="warning"' not in pre_revenue
    comparison = build_report([template(monthly_revenue=0), rich])
    assert f'<p class="warning">{rich.name}: {warning}</p>' in comparison


def test_the_default_base_in_another_currency_is_a_usd_placeholder():
    page = build_report([template(monthly_revenue=0).model_copy(update={"currency": "CNY"})])
    assert "The default base pre-money, 2,000,000, is a USD placeholder" in page


def test_the_method_section_keeps_paragraphs_whole_and_prints_the_risk_events_table(single):
    """A sentence broken over two source lines stays one paragraph (as Markdown reads it), and
    the per-risk cash effects print as a table, not as raw ``| … |`` lines."""
    assert "<p>|" not in single
    assert "<th>Risk</th>" in single
    # method.uncertainty.body wraps "… counts futures that, with no" / "further funding, …"
    assert "counts futures that, with no further funding" in single
    ip_name = load_catalogue().risks["legal.ip_infringement"].name.en
    assert f"<td>L1 {ip_name}</td>" in single


def test_user_text_is_escaped():
    data = json.loads(Path(TEMPLATE).read_text(encoding="utf-8"))
    data["name"] = "<script>alert(1)</script>"
    data["finance"]["funding"] = [{"month": 3, "amount": 5, "label": "<img src=x onerror=alert(1)>"}]
    page = build_report([parse_scenario(data)])
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_comparison_has_deltas_overlays_and_differing_risks():
    scenarios = [load_preset(p) for p in ("neutral_template", "medical_diagnosis", "customer_service_cash_strapped")]
    page = build_report(scenarios, lang="zh")
    assert "情景对比：Neutral template · Medical-diagnosis model · Customer-service AI short of cash" in page
    assert page.count("Plotly.newPlot(") == 2 + 3  # runway and radar overlaid, a heatmap each
    assert '<span class="delta worse">-12.5 个月</span>' in page  # 4.1 vs 16.7 months of runway
    assert "与基准不同的主要风险" in page
    assert "<th>各等级风险数</th>" in page
    for scenario in scenarios:
        assert f'<td class="counts">{counts_in_words(scenario, "zh")}</td>' in page
    assert "class=differs" in page  # the inputs that differ are shaded


def test_cli_writes_html(capsys, tmp_path):
    out = tmp_path / "pitch.html"
    code, stdout, err = run_cli(capsys, "report", TEMPLATE, MEDICAL, "--out", str(out))
    assert (code, err) == (0, "")
    assert f"wrote {out}" in stdout
    assert "Comparison: Neutral template · Medical-diagnosis model" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "missing.json", "--out", "{tmp}/r.html"], "error: missing.json: no such file"),
        (["report", TEMPLATE, "--out", "{tmp}/r.txt"], "must end in .html or .pdf"),
        (["report", TEMPLATE, "--out", "{tmp}/no/such/r.html"], "does not exist"),
        (["report", *[TEMPLATE] * 5, "--out", "{tmp}/r.html"], "at most 4 scenarios"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, message):
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse errors
        code = exit_.code
    _, err = capsys.readouterr()
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("r.*"))


def test_a_bad_scenario_file_names_the_field(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"finance": {"cash": -1, "monthly_costs": 1, "monthly_revenue": 0}}', encoding="utf-8")
    code, _, err = run_cli(capsys, "report", str(bad), "--out", str(tmp_path / "r.html"))
    assert code == 2 and "finance.cash" in err


BROWSER = chromium_path()
needs_browser = pytest.mark.skipif(
    BROWSER is None and os.environ.get("CI") != "true", reason="NO BROWSER: Chromium not found"
)


@pytest.mark.browser
@needs_browser
def test_the_html_report_draws_its_charts_offline(tmp_path, single):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    page_file = tmp_path / "report.html"
    page_file.write_text(single, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(offline=True)
            page = context.new_page()
            requests, errors = [], []
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(page_file.as_uri())
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3")
            assert page.locator(".js-plotly-plot").count() == 3
            assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 4  # runway lines and markers
            assert page.locator(".js-plotly-plot .scatterpolar, .js-plotly-plot .polarlayer .trace").count() >= 1
            assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
            assert not errors
        finally:
            browser.close()


@pytest.mark.browser
@needs_browser
def test_the_pdf_report_is_a_pdf_with_the_content(capsys, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    code, _, err = run_cli(capsys, "report", CASH_STRAPPED, "--out", str(out))
    assert (code, err) == (0, "")
    assert out.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    content = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Customer-service AI short of cash", "Overall risk", "Every assumption", "Cash on hand"):
        assert expected in content
