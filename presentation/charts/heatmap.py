"""The risk matrix: 5 x 5 likelihood x impact, shaded by band, each risk a marker inside its cell.

Geometry (what the figure tests check):

- A risk's **cell** is the whole likelihood and whole impact nearest its exact values: cell ``k``
  spans ``[k - 0.5, k + 0.5)`` on its axis (a value of exactly 3.5 belongs to cell 4; 5.0 to 5).
  Its marker is always drawn inside that cell, however many risks share it.
- The axes are locked to a 1:1 aspect (``scaleanchor``), so every cell is a square of
  ``plot side / 5`` pixels. Marker sizes are pixels in Plotly, so they are worked out for the
  smallest cell the matrix is drawn with, :data:`MIN_CELL_PX` (a 360-px phone); on a laptop or a
  projector the cells are larger and the same markers sit inside them with more room.
- Within a cell the markers are packed on a small grid below the band name's strip
  (:data:`LABEL_STRIP` of the cell's height stays free, so a band name is never covered), highest
  score first, row by row from the top left. The fewer share a cell, the larger they are
  (at most :data:`MAX_MARKER_PX`); a marker too small for its code (fewer than
  :data:`CODE_MIN_PX`) is a coloured dot, and its cell's codes are listed under the matrix in
  the same order.
- A cell's shading is the band of its whole-number score (``band_grid``); a risk's own band comes
  from its exact score and may differ (3.6 x 5.0 = 18 is "critical" in cell 4 x 5, shaded
  "critical", but 4.4 x 4.3 = 18.9 is "critical" in cell 4 x 4, shaded "high"). The marker's
  **fill is the risk's own band colour** with a dark outline, so a red marker on an orange cell
  reads as "this one is critical", and its hover says so in words.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from presentation.charts.common import BAND_COLOURS, BAND_TEXT, HALO, INK, layout
from presentation.i18n import text
from scoring.catalogue import Catalogue
from scoring.risk import RiskItem, RiskReport

__all__ = ["CODE_MIN_PX", "LABEL_STRIP", "MAX_MARKER_PX", "MIN_CELL_PX", "Spot", "cell_of", "pack", "risk_heatmap"]

MIN_CELL_PX = 52.0  # the smallest cell drawn: a 360-px-wide phone leaves a ~270-px square plot
MAX_MARKER_PX = 26.0  # a lone marker's outer diameter (outline included)
CODE_MIN_PX = 17.0  # below this outer diameter a marker carries no code (listed under the matrix)
LABEL_STRIP = 0.26  # top share of each cell kept free for the band's name (font 15 of 100, baseline 22)
PAD = 0.05  # cell units kept free on the other three sides (the backdrop's gap is 0.02)
LINE = 1.5  # marker outline, px
SELECTED_LINE = 3.0
NOTE_LINE_PX = 24  # the figure grows by a line of the code list under the matrix: a line of the axis
# title (18 px type x Plotly's 1.3 line spacing; the note's smaller type keeps it). At 17 px, five lines
# of note pushed the title "Likelihood" up onto the tick labels (tests/test_browser_report.py)
# Room for the tick labels and axis titles (and, below, each line of the note), set here rather
# than left to Plotly's automargin: a margin pushed by automargin makes Plotly draw the whole
# figure twice on every update (~100 ms of the browser's time per slider move), and a static
# export (reports) has no automargin from Streamlit's theme at all.
MARGIN = {"l": 64, "r": 10, "t": 56, "b": 62}
GHOST_MOVE = 0.5  # a score change from ``previous`` at least this large draws a ghost


def _scatter(**props: object) -> dict:
    """A trace as a plain dict: the figure validates it once, where a ``go.Scatter`` is validated
    on its own and again inside the figure (a third of the matrix's build time per slider move)."""
    return {"type": "scatter", **props}


@dataclass(frozen=True, slots=True)
class Spot:
    """Where one marker is drawn: centre in axis units and outer diameter in axis units at
    :data:`MIN_CELL_PX` (an upper bound of its diameter on any larger screen)."""

    x: float
    y: float
    diameter: float
    cell: tuple[int, int]

    @property
    def outer_px(self) -> float:
        return self.diameter * MIN_CELL_PX


def cell_of(value: float) -> int:
    """The whole cell (1-5) an exact likelihood or impact falls in; a half belongs to the upper cell."""
    return min(5, max(1, math.floor(value + 0.5)))


def pack(count: int, cell: tuple[int, int]) -> list[Spot]:
    """``count`` equal markers on the largest grid that fits the free part of ``cell`` (likelihood,
    impact): row by row from the top left, each row centred, every marker at least its own
    diameter from the next and inside the cell."""
    width, height = 1.0 - 2 * PAD, 1.0 - PAD - LABEL_STRIP
    slot, cols = max((min(width / c, height / math.ceil(count / c)), c) for c in range(1, count + 1))
    rows = math.ceil(count / cols)
    diameter = min(slot, MAX_MARKER_PX / MIN_CELL_PX)
    left, top = cell[0] - 0.5 + PAD, cell[1] + 0.5 - LABEL_STRIP
    middle_y = top - height / 2
    spots = []
    for index in range(count):
        row, col = divmod(index, cols)
        in_row = min(cols, count - row * cols)
        x = left + width / 2 + (col - (in_row - 1) / 2) * slot
        y = middle_y - (row - (rows - 1) / 2) * slot
        spots.append(Spot(x, y, diameter, cell))
    return spots


def _layout_cells(
    current: Sequence[RiskItem], ghosts: Sequence[RiskItem]
) -> tuple[list[Spot], list[Spot], dict[tuple[int, int], list[tuple[str, int]]]]:
    """Spots for every current marker and every ghost; a ghost shares its (previous) cell's packing
    with the markers there, so it never hides one. Also each cell's occupants in drawing order."""
    occupants: dict[tuple[int, int], list[tuple[float, int, str, int]]] = {}
    for kind, items in (("now", current), ("was", ghosts)):
        for index, item in enumerate(items):
            bucket = occupants.setdefault((cell_of(item.likelihood), cell_of(item.impact)), [])
            bucket.append((-item.score, len(bucket), kind, index))  # highest score first, then arrival
    now: list[Spot | None] = [None] * len(current)
    was: list[Spot | None] = [None] * len(ghosts)
    order: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for cell, members in occupants.items():
        members.sort()
        order[cell] = [(kind, index) for _, _, kind, index in members]
        for (kind, index), spot in zip(order[cell], pack(len(members), cell), strict=True):
            (now if kind == "now" else was)[index] = spot
    return now, was, order  # type: ignore[return-value]


def _driver_names(item: RiskItem, catalogue: Catalogue, lang: str) -> tuple[str, str]:
    """The top three inputs behind likelihood and behind impact, each named once (those adding
    at least 0.005 points)."""

    def names(drivers) -> str:
        shown = [catalogue.input_name(d.input, lang) for d in drivers if d.contribution >= 0.005][:3]
        return ", ".join(shown) or "—"

    return names(item.likelihood_drivers), names(item.impact_drivers)


def risk_heatmap(
    report: RiskReport,
    grid: Sequence[Sequence[str]],
    catalogue: Catalogue,
    lang: str,
    selected: str | None = None,
    disagreement: dict[str, float] | None = None,
    previous: RiskReport | None = None,
) -> go.Figure:
    """The 5 x 5 likelihood x impact matrix shaded by band, each risk a marker inside its cell.

    ``grid[impact - 1][likelihood - 1]`` is the band of each whole cell (``scoring.risk.band_grid``).
    See the module docstring for where markers go: always inside the cell of their exact values,
    filled with their own band's colour; the hover gives the exact likelihood, impact, score and
    band, says when the cell is shaded another band, and names what drives likelihood and impact.
    With ``disagreement`` (risk id -> IQR of its score across a room) each marker gets a purple
    halo that grows with it (up to twice the marker). With ``previous`` (the report before the last
    change) every risk whose score moved by at least 0.5 or whose cell changed leaves a faint ghost
    in its previous cell, with a thin arrow to where it is now; the ghost's hover says "was X.X".
    """
    band_names = {band.id: band.name.get(lang) for band in catalogue.bands}
    # The matrix is one SVG picture behind the plot: it never changes with the sliders, and as
    # 25 shaded cells with 25 labels it would cost more to redraw than everything else here.
    backdrop = {
        "source": _matrix_svg(grid, band_names),
        "xref": "x",
        "yref": "y",
        "x": 0.5,
        "y": 5.5,
        "sizex": 5,
        "sizey": 5,
        "sizing": "stretch",
        "layer": "below",
    }
    items = report.items
    ghosts: list[RiskItem] = []
    if previous is not None:
        before = {item.id: item for item in previous.items}
        for item in items:
            old = before.get(item.id)
            if old is not None and (
                abs(item.score - old.score) >= GHOST_MOVE
                or (cell_of(item.likelihood), cell_of(item.impact)) != (cell_of(old.likelihood), cell_of(old.impact))
            ):
                ghosts.append(old)
    spots, ghost_spots, order = _layout_cells(items, ghosts)
    codes = [catalogue.risk_code(item.id) for item in items]
    traces: list = []
    if ghosts:
        traces += _ghost_traces(ghosts, ghost_spots, spots, items, catalogue, band_names, lang)
    if disagreement is not None:
        spreads = [disagreement.get(item.id, 0.0) for item in items]
        traces.append(
            _scatter(
                x=[spot.x for spot in spots],
                y=[spot.y for spot in spots],
                mode="markers",
                marker={
                    "size": [
                        spot.outer_px + min(6 * spread, spot.outer_px)
                        for spot, spread in zip(spots, spreads, strict=True)
                    ],
                    "color": HALO,
                },
                customdata=[
                    [catalogue.risks[item.id].name.get(lang), f"{spread:.1f}"]
                    for item, spread in zip(items, spreads, strict=True)
                ],
                hovertemplate="%{customdata[0]}: " + text("chart.iqr", lang) + " %{customdata[1]}<extra></extra>",
                showlegend=False,
            )
        )
    # one hover string per marker (cheaper for Plotly to check than a table of fields); customdata
    # keeps the exact likelihood, impact and score as numbers for whoever reads the figure
    score_word, likelihood_word, impact_word = (text(f"chart.{k}", lang) for k in ("score", "likelihood", "impact"))
    drives = text("drivers.likelihood", lang), text("drivers.impact", lang)
    hover = []
    for item, code in zip(items, codes, strict=True):
        cell = (cell_of(item.likelihood), cell_of(item.impact))
        cell_band = grid[cell[1] - 1][cell[0] - 1]
        likelihood_drivers, impact_drivers = _driver_names(item, catalogue, lang)
        lines = [
            f"<b>{code} · {html.escape(catalogue.risks[item.id].name.get(lang))}</b>",
            f"{score_word} {item.score:.1f} ({band_names[item.band]})",
            f"{likelihood_word} {item.likelihood:.2f} × {impact_word} {item.impact:.2f}",
        ]
        if cell_band != item.band:
            said = text(
                "matrix.cell_shaded",
                lang,
                likelihood=cell[0],
                impact=cell[1],
                cell_band=band_names[cell_band],
                band=band_names[item.band],
            )
            lines.append("<i>" + _hover_text(said) + "</i>")
        lines.append(_hover_text(f"{drives[0]}: {likelihood_drivers}"))
        lines.append(_hover_text(f"{drives[1]}: {impact_drivers}"))
        hover.append("<br>".join(lines))
    sizes, lines, labels, fonts = [], [], [], []
    for item, spot, code in zip(items, spots, codes, strict=True):
        line = SELECTED_LINE if item.id == selected else LINE
        sizes.append(spot.outer_px - line)
        lines.append(line)
        labels.append(code if spot.outer_px >= CODE_MIN_PX else "")
        fonts.append(11 if spot.outer_px >= 22 else 9.5)
    traces.append(
        _scatter(
            x=[spot.x for spot in spots],
            y=[spot.y for spot in spots],
            mode="markers+text",
            text=labels,
            textfont={"color": [BAND_TEXT[item.band] for item in items], "size": fonts},
            marker={
                "size": sizes,
                "color": [BAND_COLOURS[item.band] for item in items],
                "line": {"color": ["#00B4FF" if item.id == selected else INK for item in items], "width": lines},
                "opacity": 1,
            },
            hovertext=hover,
            customdata=[(item.likelihood, item.impact, item.score) for item in items],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    axis = {
        "range": [0.5, 5.5],
        "tickvals": [1, 2, 3, 4, 5],
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
        "fixedrange": True,
        "automargin": False,  # the margins below hold ticks, titles and note (see MARGIN)
    }
    note = _crowded_note(order, spots, codes, lang)
    x_title = text("chart.likelihood", lang)
    if note:
        x_title += "<br><span style='font-size:0.8em'>" + "<br>".join(html.escape(line) for line in note) + "</span>"
    figure_layout = layout(
        text("chart.heatmap_title", lang),
        520 + NOTE_LINE_PX * len(note),  # the plot keeps its size above the note
        xaxis={"title": {"text": x_title}, **axis},
        yaxis={
            "title": {"text": text("chart.impact", lang)},
            "scaleanchor": "x",
            "scaleratio": 1,
            "constraintoward": "top",  # on a narrow screen the spare height goes below the note
            **axis,
        },
        images=[backdrop],
    )
    figure_layout["margin"] = {**MARGIN, "b": MARGIN["b"] + NOTE_LINE_PX * len(note)}
    return go.Figure(data=traces, layout=figure_layout)


def _crowded_note(
    order: dict[tuple[int, int], list[tuple[str, int]]], spots: Sequence[Spot], codes: Sequence[str], lang: str
) -> list[str]:
    """Under the likelihood axis: the codes of each cell whose markers are too small to carry them,
    in the order they are drawn (highest score first), wrapped to fit a phone."""
    lines = []
    for cell in sorted(order, key=lambda c: (-c[1], c[0])):
        shown = [index for kind, index in order[cell] if kind == "now"]
        if not shown or spots[shown[0]].outer_px >= CODE_MIN_PX:
            continue
        lines.append(text("matrix.cell_codes", lang, likelihood=cell[0], impact=cell[1]))
        lines += _wrap([codes[i] for i in shown])
    return lines


def _hover_text(said: str) -> str:
    """Escaped and wrapped to lines that fit a phone's hover label (Plotly does not wrap them)."""
    return "<br>".join(html.escape(line) for line in _wrap(said.split(" "), width=40))


def _wrap(words: Sequence[str], width: int = 36) -> list[str]:
    """Greedy word wrap counting a CJK character as two columns."""
    lines: list[list[str]] = []
    used = 0
    for word in words:
        size = len(word) if word.isascii() else sum(2 if ord(char) > 0x2E7F else 1 for char in word)
        if lines and used + 1 + size <= width:
            lines[-1].append(word)
            used += 1 + size
        else:
            lines.append([word])
            used = size
    return [" ".join(line) for line in lines]


def _ghost_traces(
    ghosts: Sequence[RiskItem],
    ghost_spots: Sequence[Spot],
    spots: Sequence[Spot],
    items: Sequence[RiskItem],
    catalogue: Catalogue,
    band_names: dict[str, str],
    lang: str,
) -> list:
    """Faint markers where moved risks were, and one trace of thin arrows from each to its marker."""
    where = {item.id: spot for item, spot in zip(items, spots, strict=True)}
    xs: list[float | None] = []
    ys: list[float | None] = []
    heads: list[float] = []
    for ghost, start in zip(ghosts, ghost_spots, strict=True):
        end = where[ghost.id]
        dx, dy = end.x - start.x, end.y - start.y
        length = math.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        # from the ghost's edge to the marker's edge (radii at the smallest cell: never inside one)
        xs += [start.x + ux * start.diameter / 2, end.x - ux * end.diameter / 2, None]
        ys += [start.y + uy * start.diameter / 2, end.y - uy * end.diameter / 2, None]
        heads += [0, 7, 0]
    arrows = _scatter(
        x=xs,
        y=ys,
        mode="lines+markers",
        line={"color": INK, "width": 1},
        marker={"symbol": "arrow", "size": heads, "angleref": "previous", "color": INK},
        hoverinfo="skip",
        showlegend=False,
    )
    faint = _scatter(
        x=[spot.x for spot in ghost_spots],
        y=[spot.y for spot in ghost_spots],
        mode="markers",
        marker={
            "size": [spot.outer_px - LINE for spot in ghost_spots],
            "color": [BAND_COLOURS[ghost.band] for ghost in ghosts],
            "opacity": 0.35,
            "line": {"color": INK, "width": LINE},
        },
        hovertext=[
            f"<b>{catalogue.risk_code(ghost.id)} · {html.escape(catalogue.risks[ghost.id].name.get(lang))}</b><br>"
            + html.escape(text("matrix.was", lang, score=f"{ghost.score:.1f}", band=band_names[ghost.band]))
            + f"<br>{text('chart.likelihood', lang)} {ghost.likelihood:.2f} × {text('chart.impact', lang)} "
            + f"{ghost.impact:.2f}"
            for ghost in ghosts
        ],
        customdata=[(ghost.likelihood, ghost.impact, ghost.score) for ghost in ghosts],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
    )
    return [faint, arrows]


def _matrix_svg(grid: Sequence[Sequence[str]], band_names: dict[str, str]) -> str:
    """The 5 x 5 matrix as an SVG data URI: each cell shaded by its band, the band's name in its corner."""
    cell, gap = 100, 2
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500 500" width="500" height="500">']
    for impact, row in enumerate(grid, start=1):
        for likelihood, band in enumerate(row, start=1):
            x, y = (likelihood - 1) * cell, (5 - impact) * cell
            parts.append(
                f'<rect x="{x + gap}" y="{y + gap}" width="{cell - 2 * gap}" height="{cell - 2 * gap}" '
                f'fill="{BAND_COLOURS[band]}"/>'
                f'<text x="{x + 8}" y="{y + 22}" font-family="sans-serif" font-size="15" '
                f'fill="{BAND_TEXT[band]}">{html.escape(band_names[band])}</text>'
            )
    parts.append("</svg>")
    return "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode()).decode()
