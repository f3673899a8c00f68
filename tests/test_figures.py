"""Figure builders without Streamlit: trace types, values and words come from the results."""

import base64
import math
import re
from html import escape

import pytest

from presentation import charts as figures
from presentation.formatting import (
    cash_plan_line,
    compact,
    risk_detail_html,
    score_bars_html,
    section_html,
    split_html,
    top_risks_html,
)
from scoring import evaluate, load_preset
from scoring.risk import band_grid
from scoring.sensitivity import sensitivity
from scoring.simulate import simulate


@pytest.fixture(scope="module")
def report():
    return evaluate(load_preset("medical_diagnosis"))


class TestRiskHeatmap:
    def test_every_risk_is_a_labelled_marker_hovering_its_exact_values(self, report, catalogue):
        fig = figures.risk_heatmap(report.risk, band_grid(catalogue), catalogue, "en")
        markers = fig.data[-1]
        assert markers.type == "scatter" and markers.mode == "markers+text"
        assert len(markers.x) == 27
        # a code sits in its marker, or under the matrix when its cell is too crowded to carry it
        listed = re.sub("<[^>]+>", " ", fig.layout.xaxis.title.text.split("<br>", 1)[1]).split()
        for item, label in zip(report.risk.items, markers.text, strict=True):
            assert label == catalogue.risk_code(item.id) or (label == "" and catalogue.risk_code(item.id) in listed)
        assert any(markers.text)  # medical diagnosis has roomy cells too
        first = report.risk.items[0]
        name, score, dims = markers.hovertext[0].split("<br>")[:3]
        assert name == f"<b>{catalogue.risk_code(first.id)} · {catalogue.risks[first.id].name.en}</b>"
        band = next(b.name.en for b in catalogue.bands if b.id == first.band)
        assert score == f"Score {first.score:.1f} ({band})"
        assert dims == f"Likelihood {first.likelihood:.2f} × Impact {first.impact:.2f}"

    def test_markers_sit_in_the_cell_of_their_exact_values(self, report, catalogue):
        # a cell is the whole values +- 0.5; the geometry in detail is in tests/test_matrix.py
        fig = figures.risk_heatmap(report.risk, band_grid(catalogue), catalogue, "en")
        markers = fig.data[-1]
        for item, x, y, exact in zip(report.risk.items, markers.x, markers.y, markers.customdata, strict=True):
            cell = (math.floor(item.likelihood + 0.5), math.floor(item.impact + 0.5))
            assert (math.floor(x + 0.5), math.floor(y + 0.5)) == cell
            assert tuple(exact) == (item.likelihood, item.impact, item.score)
        spots = list(zip(markers.x, markers.y, strict=True))
        assert len(set(spots)) == len(spots)  # no marker hides another

    def test_matrix_backdrop_writes_every_band_in_its_cells(self, catalogue, report):
        grid = band_grid(catalogue)
        fig = figures.risk_heatmap(report.risk, grid, catalogue, "zh")
        (image,) = fig.layout.images
        svg = base64.b64decode(image.source.split(",", 1)[1]).decode()
        assert svg.count("<rect") == 25
        assert svg.count(">极高<") == sum(row.count("critical") for row in grid)
        assert svg.count(">低<") == sum(row.count("low") for row in grid)
        assert (image.x, image.y, image.sizex, image.sizey) == (0.5, 5.5, 5, 5)

    def test_titles_follow_the_language(self, report, catalogue):
        fig = figures.risk_heatmap(report.risk, band_grid(catalogue), catalogue, "zh")
        assert fig.layout.xaxis.title.text.split("<br>")[0] == "可能性"
        assert fig.layout.title.text.startswith("风险热力图")


class TestOpportunityRadar:
    def test_current_over_baseline_closed_loops(self, report, catalogue):
        baseline = evaluate(load_preset("neutral_template")).opportunity
        fig = figures.opportunity_radar(report.opportunity, baseline, catalogue, "en", "Template")
        assert [trace.type for trace in fig.data] == ["scatterpolar", "scatterpolar"]
        base, current = fig.data
        assert base.name == "Template"
        assert list(current.r[:-1]) == list(report.opportunity.axes.values())
        assert current.r[-1] == current.r[0] and current.theta[-1] == current.theta[0]
        assert len(current.theta) == 10

    def test_without_baseline_one_trace(self, report, catalogue):
        fig = figures.opportunity_radar(report.opportunity, None, catalogue, "en")
        assert len(fig.data) == 1


def layers(spec: dict) -> list[dict]:
    """Every layer of a Vega-Lite spec, nested layers flattened."""
    found = []
    for layer in spec.get("layer", []):
        found += layers(layer) if "layer" in layer else [layer]
    return found


def rules_at(spec: dict) -> set[float]:
    return {
        layer["encoding"]["x"]["datum"]
        for layer in layers(spec)
        if layer["mark"]["type"] == "rule" and "datum" in layer["encoding"].get("x", {})
    }


class TestRunwayChart:
    def test_balance_starts_at_cash_and_marks_funding_cash_out_and_naive(self):
        scenario = load_preset("medical_diagnosis")
        runway = evaluate(scenario).runway
        spec = figures.runway_chart(runway, scenario.finance.cash, "USD", "en", "2027-01")
        data = spec["datasets"][spec["data"]["name"]]
        assert list(data["plan"]) == [scenario.finance.cash, *runway.balance]
        assert list(data["month"]) == list(range(runway.horizon_months + 1))
        assert list(data.loc[data["funding"] > 0, "month"]) == [18]
        assert list(data.loc[data["funding"] > 0, "funding"]) == [6_000_000]
        assert {runway.months, runway.naive_months, runway.break_even_month} <= rules_at(spec)
        axis = layers(spec)[0]["encoding"]["x"]["axis"]
        assert axis["labelExpr"].startswith("datum.value == 1 ? '2027-01'")

    def test_no_cash_out_line_when_the_money_lasts(self):
        scenario = load_preset("recommendation_international")
        runway = evaluate(scenario).runway
        spec = figures.runway_chart(runway, scenario.finance.cash, "USD", "en")
        labels = [layer["encoding"]["text"]["value"] for layer in layers(spec) if layer["mark"]["type"] == "text"]
        assert not any("cash out" in label for label in labels)
        assert "labelExpr" not in layers(spec)[0]["encoding"]["x"]["axis"]  # month numbers without a start


@pytest.fixture(scope="module")
def simulation():
    return simulate(load_preset("medical_diagnosis"), paths=400, seed=1)


class TestUncertaintyFigures:
    def test_runway_chart_draws_the_fan_and_the_out_of_cash_share(self, report, simulation):
        spec = figures.runway_chart(report.runway, 1_200_000, "USD", "en", "2027-01", simulation=simulation)
        data = spec["datasets"]["runway"]
        assert list(data["p10"][1:]) == list(simulation.fan.p10) and list(data["p90"][1:]) == list(simulation.fan.p90)
        assert list(data["p50"][1:]) == list(simulation.fan.p50)
        assert list(data["out"][1:]) == list(simulation.prob_cash_out_by_month)
        band, median, plan = layers(spec)[:3]
        assert band["mark"]["type"] == "area" and band["encoding"]["y2"] == {"field": "p90"}
        assert median["encoding"]["y"]["field"] == "p50" and plan["encoding"]["y"]["field"] == "plan"
        share = spec["layer"][1]
        assert share["encoding"]["y"]["axis"]["orient"] == "right"
        assert share["encoding"]["y"]["scale"]["domain"] == [0, 1]
        assert spec["resolve"] == {"scale": {"y": "independent"}}
        assert plan["encoding"]["color"]["datum"] == "Plan"

    def test_runway_chart_without_simulation_is_the_plan_alone(self, report):
        spec = figures.runway_chart(report.runway, 1_200_000, "USD", "en")
        data = spec["datasets"]["runway"]
        assert "p50" not in data and "resolve" not in spec
        assert layers(spec)[0]["encoding"]["color"]["scale"]["domain"] == ["Balance"]

    def test_tornado_shows_the_top_15_from_the_scenario_value(self, catalogue):
        result = sensitivity(load_preset("medical_diagnosis"), catalogue)
        fig = figures.tornado(result, catalogue, "zh")
        risk_low, runway_low, risk_high, runway_high = fig.data
        assert len(risk_low.y) == 15
        assert risk_low.y[0] == figures.sensitivity_label(result.rows[0].input, catalogue, "zh")
        assert risk_low.base == result.risk
        for bar, row in zip(risk_high.x, result.rows, strict=False):
            assert bar == pytest.approx(row.risk_high - result.risk)
        assert runway_low.xaxis == "x2" and runway_high.xaxis == "x2"
        assert fig.layout.title.text == "对风险和跑道影响最大的输入"


class TestOneSourceForEachDecision:
    """The two runway renderers read the same marks and ticks; every radar shares one layout and closes its ring."""

    @pytest.mark.parametrize("preset", ["medical_diagnosis", "recommendation_international", "neutral_template"])
    def test_both_runway_renderers_draw_the_same_marks(self, preset):
        scenario = load_preset(preset)
        runway = evaluate(scenario).runway
        marks = figures.runway_marks(runway, "en")
        spec = figures.runway_chart(runway, scenario.finance.cash, "USD", "en")
        plotly = figures.runway_figure(runway, scenario.finance.cash, "USD", "en")
        vega_labels = [layer["encoding"]["text"]["value"] for layer in layers(spec) if layer["mark"]["type"] == "text"]
        assert vega_labels == [mark.label for mark in marks]
        assert [annotation.text for annotation in plotly.layout.annotations] == [mark.label for mark in marks]
        assert [shape.x0 for shape in plotly.layout.shapes[1:]] == [mark.month for mark in marks]  # after the zero line
        assert {mark.month for mark in marks} <= rules_at(spec)

    def test_the_projector_writes_the_runway_marks_large(self):
        scenario = load_preset("medical_diagnosis")
        plotly = figures.runway_figure(evaluate(scenario).runway, scenario.finance.cash, "USD", "en")
        assert {annotation.font.size for annotation in plotly.layout.annotations} == {14}
        big = figures.for_projector(plotly)
        assert len(big.layout.annotations) >= 2  # cash out and the naive runway at least
        assert {annotation.font.size for annotation in big.layout.annotations} == {20}

    def test_marks_come_from_the_runway_result(self):
        runway = evaluate(load_preset("medical_diagnosis")).runway
        kinds = {mark.kind: mark.month for mark in figures.runway_marks(runway, "zh")}
        assert kinds["cash_out"] == runway.months
        assert kinds.get("break_even") == runway.break_even_month
        assert ("naive" in kinds) == (runway.naive_months is not None and runway.naive_months <= runway.horizon_months)

    def test_month_ticks_label_the_calendar_only_with_a_start(self):
        from presentation.charts.runway import month_ticks

        assert month_ticks(24, None) == ([1, 4, 7, 10, 13, 16, 19, 22], None)
        ticks, labels = month_ticks(36, "2027-11")
        assert ticks[:3] == [1, 5, 9] and labels[:3] == ["2027-11", "2028-03", "2028-07"]
        assert month_ticks(5, None)[0] == [1, 2, 3, 4, 5]

    def test_every_radar_has_the_one_layout_and_closed_rings(self, report, catalogue):
        baseline = evaluate(load_preset("neutral_template")).opportunity
        axes = report.opportunity.axes
        radars = [
            figures.opportunity_radar(report.opportunity, baseline, catalogue, "en"),
            figures.radar_overlay([("A", report.opportunity), ("B", baseline)], catalogue, "en"),
            figures.radar_spread(axes, axes, axes, catalogue, "en"),
        ]
        layouts = [radar.layout.to_plotly_json() for radar in radars]
        assert layouts[0] == layouts[1] == layouts[2]
        for radar in radars:
            for trace in radar.data:
                assert len(trace.r) == len(trace.theta) == len(axes) + 1
                assert trace.r[-1] == trace.r[0] and trace.theta[-1] == trace.theta[0]


def test_category_bars_say_their_value_and_escape_names():
    """Explore's "Risk by category" as one HTML element: the words carry each score, the bar's
    width is the score (clamped to 0-100), and a name is text, never markup."""
    html = score_bars_html([("Legal", 45.04), ("<b>x</b> & y", 130.0), ("Talent", -3.0)])
    assert html.count("<li>") == 3 and "Legal · 45 / 100" in html
    assert 'style="width: 45.0%"' in html and 'style="width: 100.0%"' in html and 'style="width: 0.0%"' in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html and "<b>" not in html
    assert html.count('aria-hidden="true"') == 3  # the bars are decoration; the words are read


def test_top_risks_list_the_five_highest_first_with_what_to_do(report, catalogue):
    """Explore's "five biggest risks" block: the ranking is the scores' (checked against the
    register sorted here), each risk with its band, score and first two mitigations."""
    html = top_risks_html(report.risk, "en")
    ranked = sorted(report.risk.items, key=lambda item: item.score, reverse=True)[:5]
    shown = re.findall(r'(?:<ol class="top-risks">|</ul></li>)<li><strong>(\S+) ', html)  # a risk, not an action
    assert shown == [catalogue.risk_code(item.id) for item in ranked]
    assert ranked[0].score >= ranked[-1].score and html.startswith('<ol class="top-risks">')
    for item in ranked:
        band = next(band.name.en for band in catalogue.bands if band.id == item.band)
        assert f"</strong> — {band} {item.score:.1f}<ul>" in html
        for mitigation in item.mitigations[:2]:
            assert f"<strong>{escape(catalogue.mitigations[mitigation].title.en)}</strong>" in html
    assert html.count("<ul>") == 5 and html.count("<li>") == 5 + 10


def test_risk_detail_splits_drivers_by_dimension_and_lists_every_action(report, catalogue):
    amplified = next(item for item in report.risk.items if item.amplified_by)
    html = risk_detail_html(amplified, "en")
    about, todo = html.removeprefix('<div class="split even"><div>').split("</div><div>")
    code, name = catalogue.risk_code(amplified.id), catalogue.risks[amplified.id].name.en
    assert f"<strong>{code} {escape(name)}</strong>" in about  # the code as on the matrix and in the picker
    assert f"= score {amplified.score:.1f}" in about
    likelihood = about.split("<strong>Drives likelihood</strong>")[1].split("<strong>Drives impact</strong>")[0]
    top = amplified.likelihood_drivers[0]
    assert f"{escape(catalogue.input_name(top.input, 'en'))} (+{top.contribution:.2f})" in likelihood
    source = catalogue.risks[amplified.amplified_by[0].id].name.en
    assert escape(source) in about.split("<strong>Amplified by</strong>")[1]
    assert todo.count("<li>") == len(amplified.mitigations) and "<strong>What to do</strong>" in todo


def test_html_blocks_escape_their_headings():
    block = split_html(section_html("<b>x</b> & y", "<p>body</p>"), "", kind="wide")
    heading = "<h2>&lt;b&gt;x&lt;/b&gt; &amp; y</h2>"
    assert block == f'<div class="split wide"><div><section>{heading}<p>body</p></section></div><div></div></div>'


def test_compact_amounts_take_the_unit_of_their_rounded_value():
    """Three figures, worked out by hand: 999,999 rounds to 1.00M (it read "1e+03k" once)."""
    cases = {
        999_999: "1M", 999_499: "999k", 96_600: "96.6k", -250_000: "-250k", 1_750_000: "1.75M", 1_234: "1.23k",
        999: "999", 0: "0", -999_999_999: "-1B", 1e12: "1,000B", 5e13: "50,000B",
    }  # fmt: skip
    assert {value: compact(value) for value in cases} == cases


def test_the_closed_cash_plan_line_names_growth_only_where_there_is_some():
    """The medical-diagnosis preset by hand: 4M cash, 160k costs growing 2.5 %, 10k revenue growing 8 %."""
    medical = load_preset("medical_diagnosis")
    assert cash_plan_line(medical, "en") == (
        "4M USD in the bank · costs 160k USD/mo (+2.5 %/mo) · revenue 10k USD/mo (+8 %/mo) · 60 months"
        " · 1 funding round"
    )
    assert cash_plan_line(medical, "zh") == (
        "现金 4M USD · 每月成本 160k USD（月增 +2.5%） · 每月收入 10k USD（月增 +8%） · 预测 60 个月 · 1 轮融资"
    )
