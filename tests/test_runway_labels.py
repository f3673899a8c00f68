"""The runway chart's words never collide: each mark's label has a row of its own in a strip that no
line reaches, on the side of its line with more of the horizon; and the Vega-Lite spec never asks
Vega for the extent of an empty field. Also the KPI row's words for a score that did not move.

The presets give the cases: cash-out and naive on the same month (neutral template), a short
runway with the naive estimate a fifth of a month after the cash-out (cash-strapped), a long one
with break-even three months after a late cash-out and a round (medical diagnosis), no cash-out
and an early break-even (customer-service leader), a round in month 12 (autonomous driving)."""

from itertools import pairwise

import pytest

from presentation import charts
from presentation.charts.runway import _PLOTLY_ROW, _VEGA_FIRST, RunwayMark, label_places
from presentation.formatting import naive_months, score_delta
from scoring import evaluate, load_preset
from scoring.runway import RunwayResult
from scoring.simulate import simulate

PRESETS = [
    "neutral_template",
    "customer_service_cash_strapped",
    "medical_diagnosis",
    "customer_service_leader",
    "autonomous_driving_perception",
    "patent_letter_customer_service",
]


def layers(spec: dict) -> list[dict]:
    found = []
    for layer in spec.get("layer", []):
        found += layers(layer) if "layer" in layer else [layer]
    return found


def texts(spec: dict) -> list[dict]:
    return [layer for layer in layers(spec) if layer["mark"]["type"] == "text"]


@pytest.fixture(scope="module", params=PRESETS)
def case(request):
    scenario = load_preset(request.param)
    runway = evaluate(scenario).runway
    simulation = None if scenario.finance.is_certain else simulate(scenario, paths=200, seed=3)
    return scenario, runway, simulation


def straight_line() -> RunwayResult:
    """100 of cash burnt at 20 a month over a 10-month horizon: out of cash after exactly 5 months,
    and the naive estimate 100 / 20 = 5 months too. Balances 80, 60, …, -100."""
    return RunwayResult(
        horizon_months=10,
        months=5.0,
        cash_out_month=6,
        break_even_month=None,
        default_alive=False,
        naive_months=5.0,
        balance=tuple(100.0 - 20 * month for month in range(1, 11)),
        revenue=(0.0,) * 10,
        costs=(20.0,) * 10,
        funding=(0.0,) * 10,
    )


class TestLabelPlaces:
    def test_the_words_run_towards_the_longer_part_of_the_horizon(self):
        def mark(month: float) -> RunwayMark:
            return RunwayMark("cash_out", month, "#000", "x")

        places = label_places([mark(16.7), mark(18.0), mark(18.1), mark(30.0)], horizon=36)
        # 16.7 leaves 19.3 months to the right; 18 is the middle (right wins a tie); 18.1 and 30 leave less
        assert [place.side for place in places] == ["right", "right", "left", "left"]
        assert [place.row for place in places] == [0, 1, 2, 3]

    def test_each_mark_has_a_row_of_its_own(self, case):
        _, runway, _ = case
        places = label_places(charts.runway_marks(runway, "en"), runway.horizon_months)
        assert sorted(place.row for place in places) == list(range(len(places)))
        for place in places:
            room = runway.horizon_months - place.mark.month if place.side == "right" else place.mark.month
            assert room >= runway.horizon_months / 2  # the side with more room


class TestVegaLabels:
    def test_labels_sit_above_the_plot_in_rows_apart(self, case):
        scenario, runway, simulation = case
        spec = charts.runway_chart(runway, scenario.finance.cash, "USD", "en", None, simulation)
        labels = texts(spec)
        assert [layer["encoding"]["text"]["value"] for layer in labels] == [
            mark.label for mark in charts.runway_marks(runway, "en")
        ]
        tops = sorted(layer["encoding"]["y"]["value"] for layer in labels)
        for layer in labels:  # baseline at or above 8 px over the plot: no line is drawn up there
            assert layer["mark"]["baseline"] == "bottom" and layer["encoding"]["y"]["value"] <= -_VEGA_FIRST
        for upper, lower in pairwise(tops):
            assert lower - upper >= labels[0]["mark"]["fontSize"] + 4  # 13-px type, rows 18 px apart
        legend = layers(spec)[0]["encoding"]["color"]["legend"]
        if labels:  # the legend above the highest row, not on it
            assert legend["offset"] >= -tops[0] + labels[0]["mark"]["fontSize"]
        for layer in layers(spec):  # every series is clipped to the plot, so none reaches the labels
            if layer["mark"]["type"] in {"line", "area"}:
                assert layer["mark"]["clip"] is True

    def test_a_label_runs_away_from_the_nearer_end(self, case):
        scenario, runway, simulation = case
        spec = charts.runway_chart(runway, scenario.finance.cash, "USD", "en", None, simulation)
        for layer in texts(spec):
            month = layer["encoding"]["x"]["datum"]
            if month > runway.horizon_months / 2:
                assert (layer["mark"]["align"], layer["mark"]["dx"]) == ("right", -4)
            else:
                assert (layer["mark"]["align"], layer["mark"]["dx"]) == ("left", 4)

    def test_the_medical_plan_labels_its_late_marks_on_their_left(self):
        # cash-out after 52.1 and break-even in month 55 of 60: both written leftwards, in rows 0 and 1;
        # the naive 26.7 (< 30) rightwards in row 2
        scenario = load_preset("medical_diagnosis")
        runway = evaluate(scenario).runway
        spec = charts.runway_chart(runway, scenario.finance.cash, "USD", "en")
        shown = [
            (layer["encoding"]["text"]["value"].split(" ")[0], layer["mark"]["align"], layer["encoding"]["y"]["value"])
            for layer in texts(spec)
        ]
        assert shown == [("cash", "right", -8), ("break-even", "right", -26), ("naive", "left", -44)]

    def test_no_layer_asks_for_the_extent_of_an_empty_field(self, case):
        # Vega warns "Infinite extent for field" when a scale reads a field with no rows: the data
        # are in the spec from the first run, and the funding triangles are drawn only with a round
        scenario, runway, simulation = case
        spec = charts.runway_chart(runway, scenario.finance.cash, "USD", "en", None, simulation)
        data = spec["datasets"][spec["data"]["name"]]
        assert len(data) == runway.horizon_months + 1 and not data.isna().any().any()
        filtered = [layer for layer in layers(spec) if layer.get("transform")]
        rounds = sum(amount > 0 for amount in runway.funding)
        assert len(filtered) == (1 if rounds else 0)
        if filtered:
            assert filtered[0]["transform"] == [{"filter": "datum.funding > 0"}]
            assert (data["funding"] > 0).sum() == rounds
        for layer in layers(spec):  # every field a layer reads is a column of the data
            for channel in layer["encoding"].values():
                if isinstance(channel, dict) and "field" in channel and "data" not in layer:
                    assert channel["field"] in data.columns


class TestPlotlyLabels:
    def test_a_worked_straight_line(self):
        # balances from 100 down to -100, zero included: span 200, 5 % air (10) each side -> [-110, 110];
        # two label rows take 2 x 0.075 = 0.15 of the plot, so the top is 110 + 220 x 0.15 / 0.85 = 148.82
        fig = charts.runway_figure(straight_line(), 100.0, "USD", "en")
        low, high = fig.layout.yaxis.range
        assert low == pytest.approx(-110) and high == pytest.approx(148.8235, abs=1e-3)
        assert (110 - low) / (high - low) == pytest.approx(0.85)  # the top of the data, as a share of the plot
        cash_out, naive = fig.layout.annotations
        assert cash_out.text == "cash out after 5.0 months" and naive.text == "naive 5.0"
        assert cash_out.y == pytest.approx(0.8875) and naive.y == pytest.approx(0.9625)  # row centres in the strip
        assert (cash_out.xanchor, cash_out.xshift) == ("left", 4)  # month 5 of 10: a tie goes right
        assert [shape.y1 for shape in fig.layout.shapes[1:]] == [pytest.approx(0.85)] * 2

    def test_every_series_stays_under_the_label_strip(self, case):
        scenario, runway, simulation = case
        fig = charts.runway_figure(runway, scenario.finance.cash, "USD", "en", None, simulation)
        places = label_places(charts.runway_marks(runway, "en"), runway.horizon_months)
        strip = 1 - _PLOTLY_ROW * len(places)  # the strip's lower edge, a share of the plot's height
        low, high = fig.layout.yaxis.range
        for trace in fig.data:
            if trace.yaxis == "y2":
                top = fig.layout.yaxis2.range[1]
                assert max(trace.y) / top <= strip + 1e-9
            else:
                assert (max(trace.y) - low) / (high - low) < strip - 0.02  # and a margin for the triangles
        for shape in fig.layout.shapes[1:]:
            assert shape.y1 == pytest.approx(strip)
        rows = sorted(annotation.y for annotation in fig.layout.annotations)
        assert all(y > strip for y in rows)
        for lower, upper in pairwise(rows):
            assert upper - lower == pytest.approx(_PLOTLY_ROW)

    def test_the_sides_match_the_app(self, case):
        scenario, runway, simulation = case
        fig = charts.runway_figure(runway, scenario.finance.cash, "USD", "en", None, simulation)
        spec = charts.runway_chart(runway, scenario.finance.cash, "USD", "en", None, simulation)
        plotly = [(annotation.text, annotation.xanchor) for annotation in fig.layout.annotations]
        vega = [(layer["encoding"]["text"]["value"], layer["mark"]["align"]) for layer in texts(spec)]
        assert plotly == vega


class TestScoreDelta:
    @pytest.mark.parametrize(
        ("delta", "shown"),
        [
            (0.0, ("±0.0", False)),
            (0.04, ("±0.0", False)),
            (-0.049, ("±0.0", False)),  # "-0.0" is no loss either
            (0.06, ("+0.1", True)),
            (-0.2, ("-0.2", True)),
            (12.34, ("+12.3", True)),
        ],
    )
    def test_a_change_that_rounds_to_zero_is_no_change(self, delta, shown):
        assert score_delta(delta) == shown

    @pytest.mark.parametrize(
        ("months", "shown"),
        [
            (None, "not burning"),
            (16.666, "16.7"),
            (120.0, "120.0"),  # the longest plan the model projects is still a number
            (120.04, "> 120"),
            (1e11 / 60_000, "> 120"),  # cash at its limit over a small burn: not "1666666.7"
        ],
    )
    def test_the_naive_runway_never_reads_as_a_million_months(self, months, shown):
        assert naive_months(months, "en") == shown
