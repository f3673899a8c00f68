"""The risk matrix's geometry: every marker inside the cell of its exact likelihood x impact, none
hiding another, band names left free; ghosts of the previous scores; drivers named once per dimension.

Distances are in axis units. The figure locks its axes 1:1 (``scaleanchor``), so one unit is the
same number of pixels across and up, and never fewer than ``MIN_CELL_PX`` (the phone's cell,
checked in the browser by tests/test_browser_matrix.py); a marker's radius in axis units is
therefore at most ``(size + outline) / 2 / MIN_CELL_PX``, and that is the radius used here.

The old layout (exact position, or the nearest free spot on rings 0.26 apart) fails these tests:
run through the same checks on the neutral template, it pushed 23 of 27 markers off their exact
point, drew 14 in another cell, let 21 cross their cell's edge and 63 pairs overlap (24 px
markers at 52 px a cell), and drew leader lines over band names.
"""

import itertools
import json
import math

import pytest

from presentation import charts as figures
from presentation.charts.common import BAND_COLOURS
from presentation.charts.heatmap import LABEL_STRIP, MIN_CELL_PX, cell_of, pack
from scoring import evaluate, load_catalogue, load_preset
from scoring.presets import preset_info
from scoring.risk import RiskReport, band_grid
from tests.helpers import new_session, open_on

EPS = 1e-9


def markers_of(fig):
    """(x, y, radius) of every marker of the last trace (the risks), radius in axis units."""
    trace = fig.data[-1]
    widths = trace.marker.line.width
    return [
        (x, y, (size + width) / 2 / MIN_CELL_PX)
        for x, y, size, width in zip(trace.x, trace.y, trace.marker.size, widths, strict=True)
    ]


def assert_in_cells_and_apart(fig, cells, strip=True):
    """Each marker inside its cell (and below the band-name strip); no two overlapping."""
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert tuple(fig.layout.xaxis.range) == tuple(fig.layout.yaxis.range) == (0.5, 5.5)
    spots = markers_of(fig)
    assert len(spots) == len(cells)
    for (x, y, r), (likelihood, impact) in zip(spots, cells, strict=True):
        assert likelihood - 0.5 <= x - r - EPS and x + r + EPS <= likelihood + 0.5, (x, r, likelihood)
        assert impact - 0.5 <= y - r - EPS and y + r + EPS <= impact + 0.5, (y, r, impact)
        if strip:
            assert y + r <= impact + 0.5 - LABEL_STRIP + EPS  # the band's name stays readable
    for (x1, y1, r1), (x2, y2, r2) in itertools.combinations(spots, 2):
        assert math.dist((x1, y1), (x2, y2)) >= r1 + r2 - EPS


def exact_cells(report: RiskReport) -> list[tuple[int, int]]:
    return [(cell_of(item.likelihood), cell_of(item.impact)) for item in report.items]


def all_fives(catalogue):
    scenario = load_preset("neutral_template")
    return evaluate(scenario.model_copy(update={"factors": dict.fromkeys(catalogue.factors, 5.0)})).risk


def crowd(report: RiskReport, count: int, likelihood: float, impact: float, catalogue) -> RiskReport:
    """The report with its first ``count`` risks moved to one exact point (band from the score)."""
    items = list(report.items)
    for index in range(count):
        items[index] = items[index].model_copy(
            update={
                "likelihood": likelihood,
                "impact": impact,
                "score": likelihood * impact,
                "band": catalogue.band_for(likelihood * impact),
            }
        )
    return report.model_copy(update={"items": tuple(items)})


class TestCells:
    @pytest.mark.parametrize(
        ("value", "cell"), [(1.0, 1), (1.49, 1), (1.5, 2), (3.22, 3), (3.4999, 3), (3.5, 4), (4.5, 5), (5.0, 5)]
    )
    def test_a_value_belongs_to_the_nearest_whole_cell_a_half_to_the_upper(self, value, cell):
        assert cell_of(value) == cell

    def test_a_lone_marker_is_the_largest_centred_below_the_band_name(self):
        # free box of cell (3, 3): x 2.55..3.45, y 2.55..3.24 (0.69 high); 26 px / 52 px = 0.5 wide
        (spot,) = pack(1, (3, 3))
        assert (spot.x, spot.y, spot.diameter) == pytest.approx((3.0, 2.895, 0.5))
        assert spot.outer_px == pytest.approx(26.0)

    def test_twenty_in_a_cell_pack_five_by_four(self):
        # slot = max over columns c of min(0.9 / c, 0.69 / ceil(20 / c)): c=5 gives min(0.18, 0.1725)
        # = 0.1725, better than c=4 (0.138) and c=6 (0.15): 8.97 px dots at 52 px a cell
        spots = pack(20, (3, 3))
        assert {round(s.diameter, 6) for s in spots} == {0.1725}
        assert sorted({round(s.x, 6) for s in spots}) == pytest.approx([2.655, 2.8275, 3.0, 3.1725, 3.345])
        assert len({round(s.y, 6) for s in spots}) == 4
        top = max(s.y + s.diameter / 2 for s in spots)
        assert top == pytest.approx(3.5 - LABEL_STRIP)  # the top row touches the band name's strip


class TestCrowded:
    def test_all_factors_five_every_marker_in_its_cell(self, catalogue):
        report = all_fives(catalogue)
        # 20 risks share cell 3 x 3: the old rings pushed them into cells 2, 4 and beyond
        assert exact_cells(report).count((3, 3)) == 20
        fig = figures.risk_heatmap(report, band_grid(catalogue), catalogue, "en")
        assert_in_cells_and_apart(fig, exact_cells(report))

    def test_twelve_on_one_point_stay_in_one_cell_and_say_their_band(self, catalogue):
        # 4.2 x 4.4 = 18.48: "critical" (17 and above) in cell 4 x 4, which is shaded "high" (16)
        report = crowd(all_fives(catalogue), 12, 4.2, 4.4, catalogue)
        grid = band_grid(catalogue)
        assert grid[3][3] == "high" and report.items[0].band == "critical"
        fig = figures.risk_heatmap(report, grid, catalogue, "en", selected=report.items[0].id)
        assert_in_cells_and_apart(fig, exact_cells(report))
        markers = fig.data[-1]
        assert list(markers.marker.color[:12]) == [BAND_COLOURS["critical"]] * 12  # its own band, not the cell's
        assert markers.marker.line.width[0] == 3  # the selected one, still inside its cell (checked above)
        assert tuple(markers.customdata[0]) == pytest.approx((4.2, 4.4, 18.48))  # exact, for machines
        hover = markers.hovertext[0].split("<br>")
        assert hover[1:3] == ["Score 18.5 (Critical)", "Likelihood 4.20 × Impact 4.40"]
        assert "In cell 4 × 4, shaded High; its own score is Critical" in " ".join(hover[3:])

    def test_dots_too_small_for_a_code_are_listed_under_the_matrix_in_drawing_order(self, catalogue):
        report = all_fives(catalogue)
        fig = figures.risk_heatmap(report, band_grid(catalogue), catalogue, "en")
        markers = fig.data[-1]
        in_centre = [i for i, cell in enumerate(exact_cells(report)) if cell == (3, 3)]
        assert all(markers.text[i] == "" for i in in_centre)  # 9 px dots carry no code
        highest_first = sorted(in_centre, key=lambda i: -report.items[i].score)
        title = fig.layout.xaxis.title.text
        assert "Cell 3 × 3, highest score first:" in title
        listed = title.split("Cell 3 × 3, highest score first:<br>")[1].split("<br>Cell")[0].replace("<br>", " ")
        assert listed.split()[:20] == [catalogue.risk_code(report.items[i].id) for i in highest_first]
        assert fig.layout.height > 520  # the figure grows by the list; the matrix keeps its size

    def test_a_cell_shaded_like_the_risk_says_nothing_extra(self, catalogue):
        report = all_fives(catalogue)
        fig = figures.risk_heatmap(report, band_grid(catalogue), catalogue, "en")
        grid = band_grid(catalogue)
        for item, hover in zip(report.items, fig.data[-1].hovertext, strict=True):
            shaded = grid[cell_of(item.impact) - 1][cell_of(item.likelihood) - 1]
            assert ("In cell" in hover) == (shaded != item.band)


class TestSpread:
    @pytest.mark.parametrize("preset_id", list(preset_info()))
    def test_every_preset_keeps_markers_in_their_cells(self, preset_id, catalogue):
        report = evaluate(load_preset(preset_id)).risk
        fig = figures.risk_heatmap(report, band_grid(catalogue), catalogue, "zh")
        assert_in_cells_and_apart(fig, exact_cells(report))

    def test_workshop_halo_at_most_doubles_its_marker(self, catalogue):
        report = evaluate(load_preset("medical_diagnosis")).risk
        spreads = {item.id: 5.0 * index for index, item in enumerate(report.items)}
        fig = figures.risk_heatmap(report, band_grid(catalogue), catalogue, "en", disagreement=spreads)
        halo, markers = fig.data[-2], fig.data[-1]
        assert (halo.x, halo.y) == (markers.x, markers.y)
        outer = [s + w for s, w in zip(markers.marker.size, markers.marker.line.width, strict=True)]
        assert halo.marker.size[0] == outer[0]  # no disagreement: no halo beyond the marker
        assert all(o < h <= 2 * o + EPS for h, o in zip(halo.marker.size[1:], outer[1:], strict=True))


class TestGhosts:
    def test_without_previous_only_the_markers(self, catalogue):
        report = evaluate(load_preset("medical_diagnosis")).risk
        assert len(figures.risk_heatmap(report, band_grid(catalogue), catalogue, "en").data) == 1

    def test_a_moved_risk_leaves_a_ghost_in_its_old_cell_with_an_arrow(self, catalogue):
        now = all_fives(catalogue)
        first = now.items[0]
        # before: T1 at 4.1 x 4.2 = 17.22 (cell 4 x 4); a second risk moved by 0.3 only: no ghost
        before = crowd(now, 1, 4.1, 4.2, catalogue)
        second = before.items[1]
        items = list(before.items)
        items[1] = second.model_copy(update={"likelihood": second.likelihood + 0.1, "score": second.score + 0.3})
        before = before.model_copy(update={"items": tuple(items)})
        grid = band_grid(catalogue)
        fig = figures.risk_heatmap(now, grid, catalogue, "en", previous=before)
        ghost, arrows, _ = fig.data
        assert len(ghost.x) == 1 and ghost.hovertext[0].startswith(f"<b>{catalogue.risk_code(first.id)} · ")
        assert "<br>was 17.2 (Critical)<br>Likelihood 4.10 × Impact 4.20" in ghost.hovertext[0]
        gx, gy = ghost.x[0], ghost.y[0]
        radius = (ghost.marker.size[0] + ghost.marker.line.width) / 2 / MIN_CELL_PX
        assert 3.5 <= gx - radius < gx + radius <= 4.5
        assert 3.5 <= gy - radius < gy + radius <= 4.5 - LABEL_STRIP
        assert ghost.marker.opacity < 0.5
        # the arrow runs from the ghost's edge to T1's marker edge, head at the marker
        x, y, r = markers_of(fig)[0]
        (x0, x1, gap), (y0, y1, _) = arrows.x, arrows.y
        assert gap is None and list(arrows.marker.size) == [0, 7, 0]
        assert math.dist((x0, y0), (gx, gy)) == pytest.approx(radius)
        assert math.dist((x1, y1), (x, y)) == pytest.approx(r)
        assert_in_cells_and_apart(fig, exact_cells(now))

    def test_a_cell_change_alone_leaves_a_ghost(self, catalogue):
        now = crowd(all_fives(catalogue), 1, 3.52, 3.0, catalogue)  # cell 4 x 3, score 10.56
        before = crowd(now, 1, 3.48, 3.0, catalogue)  # cell 3 x 3, score 10.44: 0.12 lower
        fig = figures.risk_heatmap(now, band_grid(catalogue), catalogue, "en", previous=before)
        ghost = fig.data[0]
        assert len(ghost.x) == 1 and 2.5 < ghost.x[0] < 3.5
        assert "<br>was 10.4 (High)<br>" in ghost.hovertext[0]

    def test_ghosts_share_their_cell_without_hiding_a_marker(self, catalogue):
        now = all_fives(catalogue)
        before = evaluate(load_preset("medical_diagnosis")).risk
        fig = figures.risk_heatmap(now, band_grid(catalogue), catalogue, "en", previous=before)
        ghost = fig.data[0]
        ghosts = [
            (x, y, (s + ghost.marker.line.width) / 2 / MIN_CELL_PX)
            for x, y, s in zip(ghost.x, ghost.y, ghost.marker.size, strict=True)
        ]
        moved = [
            (cell_of(b.likelihood), cell_of(b.impact))
            for a, b in zip(now.items, before.items, strict=True)
            if abs(a.score - b.score) >= 0.5
            or exact_cells(now)[now.items.index(a)] != (cell_of(b.likelihood), cell_of(b.impact))
        ]
        assert len(ghosts) == len(moved) > 5
        for (x, y, r), (likelihood, impact) in zip(ghosts, moved, strict=True):
            assert likelihood - 0.5 <= x - r and x + r <= likelihood + 0.5 and impact - 0.5 <= y - r
        for (x1, y1, r1), (x2, y2, r2) in itertools.product(ghosts, markers_of(fig)):
            assert math.dist((x1, y1), (x2, y2)) >= r1 + r2 - EPS


class TestDriversOnce:
    def test_each_input_once_per_dimension_and_together_the_old_list(self, catalogue):
        report = all_fives(catalogue)
        for item in report.items:
            spec = catalogue.risks[item.id]
            assert [d.input for d in item.likelihood_drivers] == sorted(
                spec.likelihood.drivers,
                key=lambda i: -next(d.contribution for d in item.likelihood_drivers if d.input == i),
            )
            assert {d.input for d in item.impact_drivers} == set(spec.impact.drivers)
            assert all(d.dimension == "likelihood" for d in item.likelihood_drivers)
            assert all(d.dimension == "impact" for d in item.impact_drivers)
            assert sorted(item.drivers, key=id) == sorted(item.likelihood_drivers + item.impact_drivers, key=id)

    def test_the_founders_duplicate_is_split_by_dimension(self, catalogue):
        # L1 in the neutral template: IP exposure drives both its likelihood and its impact, so the
        # old "top three of both" read "IP exposure, IP exposure, Competition"
        report = evaluate(load_preset("neutral_template")).risk
        l1 = next(item for item in report.items if catalogue.risk_code(item.id) == "L1")
        old = [catalogue.input_name(d.input) for d in l1.drivers[:3]]
        assert old.count("IP exposure") == 2
        fig = figures.risk_heatmap(report, band_grid(catalogue), catalogue, "en")
        hover = fig.data[-1].hovertext[report.items.index(l1)].replace("<br>", " ")
        said = {
            "Drives likelihood": hover.split("Drives likelihood: ")[1].split(" Drives impact: ")[0],
            "Drives impact": hover.split("Drives impact: ")[1],
        }
        lines = {}
        for heading, names in said.items():
            lines[heading] = names.split(", ")
            assert len(lines[heading]) == len(set(lines[heading])) >= 1  # no input twice in a line
        # likelihood: IP exposure 0.96 points, Contract maturity and Algorithmic edge 0.29 each (tied,
        # register order); impact: IP exposure 0.84, Competition 0.42
        assert lines["Drives likelihood"] == ["IP exposure", "Contract maturity", "Algorithmic edge"]
        assert lines["Drives impact"] == ["IP exposure", "Competition"]
        assert fig.data[-1].hovertemplate == "%{hovertext}<extra></extra>"

    def test_json_keeps_drivers_and_adds_the_split(self, catalogue):
        item = json.loads(all_fives(catalogue).model_dump_json())["items"][0]
        assert {"drivers", "likelihood_drivers", "impact_drivers"} <= set(item)
        assert len(item["drivers"]) == len(item["likelihood_drivers"]) + len(item["impact_drivers"])


class TestDriversOnThePages:
    """The Risk register and Explore's risk detail name each input once per dimension (L1 in the
    neutral template, where the app opens: IP exposure drives both its likelihood and impact)."""

    def test_register_has_a_likelihood_and_an_impact_column(self):
        at = open_on("views/risks.py")
        table = at.dataframe[0].value
        l1 = table[table["code"] == "L1"].iloc[0]
        assert l1["likelihood_drivers"] == "IP exposure, Contract maturity, Algorithmic edge"
        assert l1["impact_drivers"] == "IP exposure, Competition"
        assert "drivers" not in table.columns  # the mixed list that named IP exposure twice is gone
        for column in ("likelihood_drivers", "impact_drivers"):
            for cell in table[column]:
                names = cell.split(", ")
                assert len(names) == len(set(names))

    def test_risk_detail_lists_drivers_under_their_dimension(self):
        at = new_session("zh").run()
        at.selectbox(key="risk_pick").set_value("legal.ip_infringement").run()
        assert not at.exception
        detail = next(block.proto.body for block in at.html if "推高可能性" in block.proto.body)
        likelihood, impact = detail.split("<strong>推高可能性</strong>")[1].split("<strong>推高影响</strong>")
        ip = load_catalogue().input_name("legal.ip_exposure", "zh")
        assert likelihood.count(ip) == 1 and impact.split("<strong>")[0].count(ip) == 1
        assert "(+0.96)" in likelihood and "(+0.84)" in impact
