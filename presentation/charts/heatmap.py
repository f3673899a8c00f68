"""The risk matrix: 5 x 5 likelihood x impact, shaded by band, each risk a labelled marker."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence

import plotly.graph_objects as go

from presentation.charts.common import BAND_COLOURS, BAND_TEXT, HALO, INK, layout
from presentation.i18n import text
from scoring.catalogue import Catalogue
from scoring.risk import RiskReport

__all__ = ["risk_heatmap"]


def _dodge(points: list[tuple[float, float]], order: list[float], gap: float = 0.26) -> list[tuple[float, float]]:
    """Where to draw each marker so that none hides another: its exact position when that is
    free, else the nearest free spot on rings around it (highest scores placed first)."""
    placed: dict[int, tuple[float, float]] = {}
    rings = [(0.0, 0.0)] + [
        (radius * math.cos(angle), radius * math.sin(angle))
        for radius, count in ((gap, 6), (2 * gap, 12), (3 * gap, 18))
        for angle in (2 * math.pi * k / count for k in range(count))
    ]
    for index in sorted(range(len(points)), key=lambda i: order[i]):
        x, y = points[index]
        for dx, dy in rings:
            spot = (min(max(x + dx, 0.6), 5.4), min(max(y + dy, 0.6), 5.4))
            if all(math.dist(spot, other) >= gap * 0.95 for other in placed.values()):
                break
        placed[index] = spot
    return [placed[index] for index in range(len(points))]


def risk_heatmap(
    report: RiskReport,
    grid: Sequence[Sequence[str]],
    catalogue: Catalogue,
    lang: str,
    selected: str | None = None,
    disagreement: dict[str, float] | None = None,
) -> go.Figure:
    """The 5 x 5 likelihood x impact matrix shaded by band, each risk a labelled marker.

    ``grid[impact - 1][likelihood - 1]`` is the band of each whole cell (``scoring.risk.band_grid``).
    Markers sit at each risk's exact (likelihood, impact); where two would hide each other, one
    moves aside on a ring with a thin leader back to its exact point. With ``disagreement``
    (risk id -> IQR of its score across a room) each marker gets a purple halo that grows with it.
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
    traces: list = []
    items = report.items
    shown = _dodge([(item.likelihood, item.impact) for item in items], order=[-item.score for item in items])
    moved = [(item, spot) for item, spot in zip(items, shown, strict=True) if spot != (item.likelihood, item.impact)]
    leaders_x: list[float | None] = []
    leaders_y: list[float | None] = []
    for item, (x, y) in moved:
        leaders_x += [item.likelihood, x, None]
        leaders_y += [item.impact, y, None]
    traces.append(
        go.Scatter(
            x=leaders_x,
            y=leaders_y,
            mode="lines",
            line={"color": INK, "width": 1},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    if disagreement is not None:
        spreads = [disagreement.get(item.id, 0.0) for item in items]
        traces.append(
            go.Scatter(
                x=[x for x, _ in shown],
                y=[y for _, y in shown],
                mode="markers",
                marker={"size": [min(24 + 8 * spread, 96) for spread in spreads], "color": HALO},
                customdata=[
                    [catalogue.risks[item.id].name.get(lang), f"{spread:.1f}"]
                    for item, spread in zip(items, spreads, strict=True)
                ],
                hovertemplate="%{customdata[0]}: " + text("chart.iqr", lang) + " %{customdata[1]}<extra></extra>",
                showlegend=False,
            )
        )
    hover = []
    for item in items:
        drivers = ", ".join(catalogue.input_name(d.input, lang) for d in item.drivers[:3])
        hover.append(
            [
                catalogue.risks[item.id].name.get(lang),
                f"{item.score:.1f}",
                band_names[item.band],
                f"{item.likelihood:.2f}",
                f"{item.impact:.2f}",
                drivers,
            ]
        )
    traces.append(
        go.Scatter(
            x=[x for x, _ in shown],
            y=[y for _, y in shown],
            mode="markers+text",
            text=[catalogue.risk_code(item.id) for item in items],
            textfont={"color": "#FFFFFF", "size": 11},
            marker={
                "size": [30 if item.id == selected else 24 for item in items],
                "color": INK,
                "line": {"color": ["#00B4FF" if item.id == selected else "#FFFFFF" for item in items], "width": 2},
            },
            customdata=hover,
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                + text("chart.score", lang)
                + " %{customdata[1]} (%{customdata[2]})<br>"
                + text("chart.likelihood", lang)
                + " %{customdata[3]} × "
                + text("chart.impact", lang)
                + " %{customdata[4]}<br>"
                + text("chart.drivers", lang)
                + ": %{customdata[5]}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    axis = {"range": [0.5, 5.5], "tickvals": [1, 2, 3, 4, 5], "showgrid": False, "zeroline": False}
    figure_layout = layout(
        text("chart.heatmap_title", lang),
        520,
        xaxis={"title": {"text": text("chart.likelihood", lang)}, **axis},
        yaxis={"title": {"text": text("chart.impact", lang)}, **axis},
        images=[backdrop],
    )
    return go.Figure(data=traces, layout=figure_layout)


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
