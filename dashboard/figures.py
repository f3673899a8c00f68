"""Plotly figure builders: scoring results in, ``go.Figure`` out.

No Streamlit here and no domain arithmetic: every number drawn comes from a scoring result
or the scenario; this module only chooses shapes, colours, positions and words. The app's
runway chart is a Vega-Lite spec (see :func:`runway_chart`: it updates in place as sliders
move); reports, which must work offline with one inlined library, draw the same chart in
Plotly (:func:`runway_figure`). Everything else is Plotly.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import text
from scoring.catalogue import Catalogue
from scoring.opportunity import OpportunityResult
from scoring.risk import RiskReport
from scoring.runway import RunwayResult, calendar_month
from scoring.sensitivity import SensitivityResult
from scoring.simulate import SimulationResult
from scoring.valuation import ValuationResult

__all__ = [
    "BAND_COLOURS",
    "for_projector",
    "opportunity_radar",
    "radar_overlay",
    "radar_spread",
    "risk_heatmap",
    "runway_chart",
    "runway_figure",
    "runway_overlay",
    "sensitivity_label",
    "tornado",
    "valuation_waterfall",
]

# ColorBrewer YlOrRd, 4 classes: ordered by lightness, so it reads in greyscale and for the
# common colour-vision deficiencies; every cell also carries its band's name.
BAND_COLOURS = {"low": "#FFFFB2", "medium": "#FECC5C", "high": "#FD8D3C", "critical": "#E31A1C"}
BAND_TEXT = {"low": "#5A4A00", "medium": "#5A3A00", "high": "#4A1A00", "critical": "#FFFFFF"}
INK = "#1F2A44"  # markers and lines: dark slate, readable on every band colour
BASELINE = "#8C8C8C"
POSITIVE, NEGATIVE = "#1F77B4", "#D62728"
FAN, FAN_FILL = "#1F77B4", "rgba(31, 119, 180, 0.18)"  # the simulated futures: median and band
OUT_SHARE = "#762A83"  # purple: apart from the red zero and cash-out lines
HALO = "rgba(118, 42, 131, 0.35)"  # a room's disagreement around a risk marker
FONT = {"size": 15}


def _layout(title: str, height: int, **extra: object) -> dict:
    """Layout shared by every chart. No named template: Streamlit applies its own theme, and
    resolving a template costs more than the rest of a figure."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 19}},
        "font": FONT,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 56, "b": 10},
        "hoverlabel": {"font": {"size": 14}},
        **extra,
    }


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
    layout = _layout(
        text("chart.heatmap_title", lang),
        520,
        xaxis={"title": {"text": text("chart.likelihood", lang)}, **axis},
        yaxis={"title": {"text": text("chart.impact", lang)}, **axis},
        images=[backdrop],
    )
    return go.Figure(data=traces, layout=layout)


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


def opportunity_radar(
    current: OpportunityResult,
    baseline: OpportunityResult | None,
    catalogue: Catalogue,
    lang: str,
    baseline_name: str = "",
) -> go.Figure:
    """The nine opportunity axes (0–10) of the scenario, over a baseline when there is one."""
    axes = list(current.axes)
    names = [catalogue.axes[axis].name.get(lang) for axis in axes]
    closed = [*names, names[0]]
    traces = []
    if baseline is not None:
        traces.append(
            go.Scatterpolar(
                r=[baseline.axes[axis] for axis in axes] + [baseline.axes[axes[0]]],
                theta=closed,
                name=baseline_name or text("chart.baseline", lang),
                line={"color": BASELINE, "dash": "dash", "width": 2},
                hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    traces.append(
        go.Scatterpolar(
            r=[current.axes[axis] for axis in axes] + [current.axes[axes[0]]],
            theta=closed,
            name=text("chart.this_scenario", lang),
            fill="toself",
            fillcolor="rgba(31, 119, 180, 0.25)",
            line={"color": POSITIVE, "width": 3},
            hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
        )
    )
    layout = _layout(
        text("chart.radar_title", lang),
        520,
        polar={
            "radialaxis": {
                "range": [0, 10],
                "tickvals": [2, 4, 6, 8, 10],
                "gridcolor": "#DDDDDD",
                "linecolor": "#BBBBBB",
            },
            "angularaxis": {"gridcolor": "#DDDDDD", "linecolor": "#BBBBBB", "tickfont": {"size": 13}},
        },
        legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
    )
    layout["margin"] = {"l": 105, "r": 105, "t": 56, "b": 10}  # room for the axis names around the circle
    return go.Figure(data=traces, layout=layout)


def _month_axis(horizon: int, start_month: str | None, lang: str) -> dict:
    """A Plotly month axis 0..horizon; with a start month, every ~eighth month named by calendar."""
    axis: dict = {"title": {"text": text("chart.month_axis", lang)}, "range": [0, horizon]}
    if start_month:
        ticks = list(range(1, horizon + 1, max(1, horizon // 8)))
        axis |= {"tickvals": ticks, "ticktext": [calendar_month(start_month, month) for month in ticks]}
    return axis


def _calendar_ticks(horizon: int, start_month: str | None) -> dict:
    """x-axis ticks: every ~eighth month, labelled with its calendar month when the plan has a start."""
    step = max(1, horizon // 8)
    ticks = list(range(1, horizon + 1, step))
    axis: dict = {"values": ticks, "grid": False}
    if start_month:
        labels = " : ".join(f"datum.value == {month} ? '{calendar_month(start_month, month)}'" for month in ticks)
        axis["labelExpr"] = f"{labels} : ''"
    return axis


def runway_chart(
    runway: RunwayResult,
    cash: float,
    currency: str,
    lang: str,
    start_month: str | None = None,
    simulation: SimulationResult | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Cash balance by month as a Vega-Lite chart: ``(data, spec)`` for ``st.vega_lite_chart``.

    The plan's balance from month 0 (``cash``) with the zero line, funding rounds and the
    cash-out, break-even and naive-runway months. With a ``simulation`` it adds the P10-P90 band
    of futures, the median future and, on a right-hand 0-100 % axis, the share of futures out of
    cash by each month.

    Vega-Lite, not Plotly: Streamlit updates a Vega-Lite chart's data in place, while a Plotly
    chart whose figure changes is rebuilt from scratch. The fan moves with every factor slider
    (risk events), and rebuilding this chart cost more than the rest of the page.
    """
    horizon = runway.horizon_months
    months = list(range(horizon + 1))
    data = pd.DataFrame({"month": months, "plan": [cash, *runway.balance], "funding": [0.0, *runway.funding]})
    names = {key: text(f"chart.{key}", lang) for key in ("plan", "balance", "fan", "fan_median", "out_share")}
    plan_name = names["plan"] if simulation else names["balance"]
    series = [(plan_name, INK)]
    if simulation:
        fan = simulation.fan
        data["p10"], data["p50"], data["p90"] = [cash, *fan.p10], [cash, *fan.p50], [cash, *fan.p90]
        data["out"] = [0.0, *simulation.prob_cash_out_by_month]
        series += [(names["fan"], FAN), (names["fan_median"], FAN), (names["out_share"], OUT_SHARE)]
    colour = {
        "scale": {"domain": [name for name, _ in series], "range": [hue for _, hue in series]},
        "legend": {
            "orient": "top",
            "columns": 2,  # two by two: fits a phone as well as a projector
            "title": None,
            "labelFontSize": 13,
            "symbolType": "stroke",
            "symbolStrokeWidth": 3,
            "symbolOpacity": 1,
        },
    }
    x = {
        "field": "month",
        "type": "quantitative",
        "title": text("chart.month_axis", lang),
        "scale": {"domain": [0, horizon], "nice": False},
        "axis": _calendar_ticks(horizon, start_month),
    }
    money = {"type": "quantitative", "title": currency, "axis": {"format": "~s", "grid": True}}

    def line(field: str, name: str, **mark: object) -> dict:
        return {
            "mark": {"type": "line", "clip": True, **mark},
            "encoding": {"x": x, "y": {"field": field, **money}, "color": {"datum": name, **colour}},
        }

    layers: list[dict] = []
    if simulation:
        layers.append(
            {
                "mark": {"type": "area", "opacity": 0.22, "clip": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "p10", **money},
                    "y2": {"field": "p90"},
                    "color": {"datum": names["fan"], **colour},
                },
            }
        )
        layers.append(line("p50", names["fan_median"], strokeDash=[6, 4], strokeWidth=2))
    layers.append(line("plan", plan_name, strokeWidth=3))
    one = {"values": [{}]}  # marks placed by constants, drawn once (not once per month of the data)
    layers.append(
        {"data": one, "mark": {"type": "rule", "color": NEGATIVE, "strokeWidth": 1.5}, "encoding": {"y": {"datum": 0}}}
    )
    layers.append(
        {
            "transform": [{"filter": "datum.funding > 0"}],
            "mark": {"type": "point", "shape": "triangle-up", "size": 180, "filled": True, "color": POSITIVE},
            "encoding": {
                "x": x,
                "y": {"field": "plan", **money},
                "tooltip": [
                    {"field": "funding", "title": text("chart.funding", lang), "format": ",.0f"},
                    {"field": "month", "title": text("chart.month", lang)},
                ],
            },
        }
    )
    marks = []
    if runway.months is not None:
        label = text("chart.cash_out", lang, months=f"{runway.months:.1f}")
        marks.append((runway.months, NEGATIVE, [6, 3], label))
    if runway.break_even_month is not None:
        marks.append((runway.break_even_month, POSITIVE, [2, 3], text("chart.break_even", lang)))
    if runway.naive_months is not None and runway.naive_months <= horizon:
        label = text("chart.naive", lang, months=f"{runway.naive_months:.1f}")
        marks.append((runway.naive_months, "#666666", [2, 3], label))
    for row, (at, hue, dash, label) in enumerate(marks):  # labels stacked at the top, one row each
        layers.append(
            {
                "data": one,
                "mark": {"type": "rule", "color": hue, "strokeDash": dash, "strokeWidth": 2},
                "encoding": {"x": {"datum": at, "type": "quantitative"}},
            }
        )
        layers.append(
            {
                "data": one,
                "mark": {"type": "text", "color": hue, "align": "left", "dx": 4, "baseline": "top", "fontSize": 13},
                "encoding": {
                    "x": {"datum": at, "type": "quantitative"},
                    "y": {"value": 4 + 18 * row},
                    "text": {"value": label},
                },
            }
        )
    tooltip = [
        {"field": "month", "title": text("chart.month", lang)},
        {"field": "plan", "title": plan_name, "format": ",.0f"},
    ]
    if simulation:
        tooltip += [{"field": f"p{p}", "title": f"P{p}", "format": ",.0f"} for p in (10, 50, 90)]
        tooltip.append({"field": "out", "title": names["out_share"], "format": ".0%"})
    # an invisible column per month carries the hover: every number of that month at once
    layers.append(
        {"mark": {"type": "rule", "strokeWidth": 12, "opacity": 0.001}, "encoding": {"x": x, "tooltip": tooltip}}
    )
    spec: dict = {
        "height": 440,
        "title": {"text": text("chart.runway_title", lang), "anchor": "start", "fontSize": 19},
    }
    if simulation:
        share = {
            "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2, "clip": True},
            "encoding": {
                "x": x,
                "y": {
                    "field": "out",
                    "type": "quantitative",
                    "title": text("chart.out_share_axis", lang),
                    "scale": {"domain": [0, 1]},
                    "axis": {
                        "orient": "right",
                        "format": ".0%",
                        "values": [0, 0.25, 0.5, 0.75, 1],
                        "grid": False,
                        "titleColor": OUT_SHARE,
                        "labelColor": OUT_SHARE,
                    },
                },
                "color": {"datum": names["out_share"], **colour},
            },
        }
        spec |= {"layer": [{"layer": layers}, share], "resolve": {"scale": {"y": "independent"}}}
    else:
        spec["layer"] = layers
    return data, spec


def _marker_line(x: float, colour: str, dash: str, label: str, position: str) -> tuple[dict, dict]:
    """A vertical line across the plot and its label (a shape and an annotation)."""
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1}
    shape["line"] = {"color": colour, "dash": dash, "width": 2}
    top = position == "top"
    annotation = {
        "x": x,
        "xref": "x",
        "y": 1 if top else 0,
        "yref": "paper",
        "text": label,
        "showarrow": False,
        "yanchor": "bottom",
        "xanchor": "center" if top else "left",
        "xshift": 0 if top else 4,
        "font": {"color": colour, "size": 14},
    }
    return shape, annotation


def _fan_traces(simulation: SimulationResult, cash: float, currency: str, lang: str) -> list[go.Scatter]:
    """The P10-P90 band, the median future, and the share of futures out of cash (right axis)."""
    months = list(range(simulation.horizon_months + 1))
    money = text("chart.month", lang) + " %{x}: %{y:,.0f} " + currency
    fan = simulation.fan
    return [
        go.Scatter(
            x=months,
            y=[cash, *fan.p90],
            mode="lines",
            line={"width": 0, "color": FAN},
            hovertemplate="P90 · " + money + "<extra></extra>",
            showlegend=False,
        ),
        go.Scatter(
            x=months,
            y=[cash, *fan.p10],
            mode="lines",
            line={"width": 0, "color": FAN},
            fill="tonexty",
            fillcolor=FAN_FILL,
            name=text("chart.fan", lang),
            hovertemplate="P10 · " + money + "<extra></extra>",
        ),
        go.Scatter(
            x=months,
            y=[cash, *fan.p50],
            mode="lines",
            line={"color": FAN, "width": 2, "dash": "dash"},
            name=text("chart.fan_median", lang),
            hovertemplate="P50 · " + money + "<extra></extra>",
        ),
        go.Scatter(
            x=months,
            y=[0.0, *simulation.prob_cash_out_by_month],
            yaxis="y2",
            mode="lines",
            line={"color": OUT_SHARE, "width": 2, "shape": "hv"},
            name=text("chart.out_share", lang),
            hovertemplate=text("chart.month", lang)
            + " %{x}: %{y:.0%} "
            + text("chart.out_share_axis", lang)
            + "<extra></extra>",
        ),
    ]


def runway_figure(
    runway: RunwayResult,
    cash: float,
    currency: str,
    lang: str,
    start_month: str | None = None,
    simulation: SimulationResult | None = None,
) -> go.Figure:
    """The runway chart as a Plotly figure, for reports (the app draws :func:`runway_chart`).

    ``cash`` is the starting balance (month 0); months are numbered 1..H and, with a
    ``start_month``, labelled with calendar months. With a ``simulation`` the chart adds the
    P10-P90 band of futures, the median future and, on a right-hand 0-100 % axis, the share
    of futures out of cash by each month.
    """
    plan = {
        "x": list(range(runway.horizon_months + 1)),
        "y": [cash, *runway.balance],
        "mode": "lines",
        "line": {"color": INK, "width": 3},
        "name": text("chart.plan" if simulation else "chart.balance", lang),
        "hovertemplate": text("chart.month", lang) + " %{x}: %{y:,.0f} " + currency + "<extra></extra>",
    }
    if simulation is None:
        plan |= {"fill": "tozeroy", "fillcolor": "rgba(31, 42, 68, 0.08)"}
    traces = [*_fan_traces(simulation, cash, currency, lang), go.Scatter(plan)] if simulation else [go.Scatter(plan)]
    rounds = [(month, amount) for month, amount in enumerate(runway.funding, start=1) if amount > 0]
    if rounds:
        traces.append(
            go.Scatter(
                x=[month for month, _ in rounds],
                y=[runway.balance[month - 1] for month, _ in rounds],
                mode="markers",
                marker={
                    "symbol": "triangle-up",
                    "size": 16,
                    "color": POSITIVE,
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                customdata=[amount for _, amount in rounds],
                name=text("chart.funding", lang),
                hovertemplate=text("chart.funding", lang)
                + " %{customdata:,.0f} "
                + currency
                + " ("
                + text("chart.month", lang)
                + " %{x})<extra></extra>",
            )
        )
    zero = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0}
    shapes, annotations = [{**zero, "line": {"color": NEGATIVE, "width": 1.5}}], []
    marks = []
    if runway.months is not None:
        marks.append(
            (runway.months, NEGATIVE, "dash", text("chart.cash_out", lang, months=f"{runway.months:.1f}"), "top")
        )
    if runway.break_even_month is not None:
        marks.append((runway.break_even_month, POSITIVE, "dot", text("chart.break_even", lang), "bottom"))
    if runway.naive_months is not None and runway.naive_months <= runway.horizon_months:
        label = text("chart.naive", lang, months=f"{runway.naive_months:.1f}")
        marks.append((runway.naive_months, "#666666", "dot", label, "bottom"))
    for mark in marks:
        shape, annotation = _marker_line(*mark)
        shapes.append(shape)
        annotations.append(annotation)
    xaxis = _month_axis(runway.horizon_months, start_month, lang)
    layout = _layout(
        text("chart.runway_title", lang),
        460 if simulation else 440,
        xaxis=xaxis,
        yaxis={"title": {"text": currency}, "tickformat": "~s", "zeroline": False},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        shapes=shapes,
        annotations=annotations,
    )
    if simulation:
        layout["yaxis2"] = {
            "title": {"text": text("chart.out_share_axis", lang), "font": {"color": OUT_SHARE}},
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "tickmode": "array",
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "tickformat": ".0%",
            "tickfont": {"color": OUT_SHARE},
            "showgrid": False,
            "zeroline": False,
        }
    layout["margin"] = {"l": 10, "r": 10, "t": 80, "b": 10}  # room for the cash-out label above the plot
    return go.Figure(data=traces, layout=layout)


# One colour per compared scenario, the base in the page's ink: distinct for colour-blind readers
SERIES = (INK, "#F58518", "#54A24B", "#B279A2")
SERIES_DASH = ("solid", "dash", "dot", "dashdot")  # and a dash per scenario, for greyscale print


def runway_overlay(
    plans: Sequence[tuple[str, float, RunwayResult]], currency: str, lang: str, start_month: str | None = None
) -> go.Figure:
    """The planned balance of several scenarios on one chart: (name, starting cash, runway) each."""
    horizon = max(runway.horizon_months for _, _, runway in plans)
    traces = []
    for index, (name, cash, runway) in enumerate(plans):
        traces.append(
            go.Scatter(
                x=list(range(runway.horizon_months + 1)),
                y=[cash, *runway.balance],
                mode="lines",
                name=html.escape(name),  # Plotly reads tags in text: a name is shown, never interpreted
                line={"color": SERIES[index % len(SERIES)], "width": 3, "dash": SERIES_DASH[index % len(SERIES)]},
                hovertemplate=f"{html.escape(name)} · "
                + text("chart.month", lang)
                + " %{x}: %{y:,.0f} "
                + currency
                + "<extra></extra>",
            )
        )
    zero = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0}
    xaxis = _month_axis(horizon, start_month, lang)
    return go.Figure(
        data=traces,
        layout=_layout(
            text("chart.runway_compare_title", lang),
            440,
            xaxis=xaxis,
            yaxis={"title": {"text": currency}, "tickformat": "~s", "zeroline": False},
            legend={"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center"},
            shapes=[{**zero, "line": {"color": NEGATIVE, "width": 1.5}}],
        ),
    )


def _radar_layout(lang: str) -> dict:
    """The layout of a radar of several outlines: 0-10 rings, legend under the circle."""
    layout = _layout(
        text("chart.radar_title", lang),
        520,
        polar={
            "radialaxis": {"range": [0, 10], "tickvals": [2, 4, 6, 8, 10], "gridcolor": "#DDDDDD"},
            "angularaxis": {"gridcolor": "#DDDDDD", "tickfont": {"size": 13}},
        },
        legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
    )
    layout["margin"] = {"l": 105, "r": 105, "t": 56, "b": 10}  # room for the axis names
    return layout


def radar_overlay(results: Sequence[tuple[str, OpportunityResult]], catalogue: Catalogue, lang: str) -> go.Figure:
    """The opportunity radars of several scenarios over one another, the base filled."""
    axes = list(results[0][1].axes)
    names = [catalogue.axes[axis].name.get(lang) for axis in axes]
    traces = []
    for index, (name, result) in enumerate(results):
        colour = SERIES[index % len(SERIES)]
        traces.append(
            go.Scatterpolar(
                r=[result.axes[axis] for axis in axes] + [result.axes[axes[0]]],
                theta=[*names, names[0]],
                name=html.escape(name),
                line={"color": colour, "width": 3, "dash": SERIES_DASH[index % len(SERIES)]},
                fill="toself" if index == 0 else None,
                fillcolor="rgba(31, 42, 68, 0.10)" if index == 0 else None,
                hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    return go.Figure(data=traces, layout=_radar_layout(lang))


LOW_COLOUR, HIGH_COLOUR = "#4C78A8", "#F58518"  # Tableau blue / orange: distinct for colour-blind readers


def sensitivity_label(input_id: str, catalogue: Catalogue, lang: str) -> str:
    """A sensitivity row's input in the user's words: a factor's name or a cash field's label."""
    if input_id in catalogue.factors:
        return catalogue.factors[input_id].name.get(lang)
    return text(f"field.{input_id}", lang)


def tornado(result: SensitivityResult, catalogue: Catalogue, lang: str, top: int = 15) -> go.Figure:
    """The ``top`` inputs by swing: overall risk (left) and runway (right) at each input's low
    and high value, as bars from the scenario's own value; the largest swing on top. A runway
    that lasts the horizon is drawn at the horizon."""
    rows = result.rows[:top]
    labels = [sensitivity_label(row.input, catalogue, lang) for row in rows]
    horizon = result.horizon_months

    def months(value: float | None) -> float:
        return horizon if value is None else value

    base_runway = months(result.runway_months)
    traces = []
    for side, colour, name in (("low", LOW_COLOUR, "chart.input_low"), ("high", HIGH_COLOUR, "chart.input_high")):
        risk = [getattr(row, f"risk_{side}") for row in rows]
        runway = [months(getattr(row, f"runway_{side}")) for row in rows]
        values = [f"{getattr(row, side):g}" if row.kind == "factor" else f"{getattr(row, side):,.4g}" for row in rows]
        common = {"orientation": "h", "y": labels, "marker": {"color": colour}, "customdata": values}
        traces.append(
            go.Bar(
                x=[value - result.risk for value in risk],
                base=result.risk,
                name=text(name, lang),
                legendgroup=side,
                hovertemplate="%{y} = %{customdata}: " + text("chart.tornado_risk", lang) + " %{x:+.1f}<extra></extra>",
                **common,
            )
        )
        traces.append(
            go.Bar(
                x=[value - base_runway for value in runway],
                base=base_runway,
                xaxis="x2",
                name=text(name, lang),
                legendgroup=side,
                showlegend=False,
                hovertemplate="%{y} = %{customdata}: "
                + text("chart.tornado_runway", lang)
                + " %{x:+.1f}<extra></extra>",
                **common,
            )
        )
    centre = {"type": "line", "yref": "paper", "y0": 0, "y1": 1, "line": {"color": INK, "width": 1.5}}
    layout = _layout(
        text("chart.tornado_title", lang),
        170 + 34 * len(rows),
        barmode="overlay",
        xaxis={"domain": [0, 0.47], "title": {"text": text("chart.tornado_risk", lang)}, "zeroline": False},
        xaxis2={"domain": [0.53, 1], "title": {"text": text("chart.tornado_runway", lang)}, "zeroline": False},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": 0, "x": 0, "xanchor": "left", "yanchor": "bottom", "yref": "container"},
        shapes=[
            {**centre, "xref": "x", "x0": result.risk, "x1": result.risk},
            {**centre, "xref": "x2", "x0": base_runway, "x1": base_runway},
        ],
    )
    layout["margin"] = {"l": 10, "r": 10, "t": 56, "b": 70}  # the legend sits under the axis titles
    return go.Figure(data=traces, layout=layout)


def valuation_waterfall(result: ValuationResult, names: Sequence[str], currency: str, lang: str) -> go.Figure:
    """Risk-factor summation as a bridge: the base pre-money, each category's step up or down,
    and the value it adds up to. ``names`` are the twelve categories' display names."""
    moved = [(name, item.contribution) for name, item in zip(names, result.summation_items, strict=True)]
    labels = [text("valuation.base", lang), *(name for name, _ in moved), text("valuation.summation", lang)]
    figure = go.Figure(
        go.Waterfall(
            orientation="v",
            x=labels,
            y=[result.base_pre_money, *(amount for _, amount in moved), result.summation],
            measure=["absolute", *(["relative"] * len(moved)), "total"],
            increasing={"marker": {"color": "#54A24B"}},
            decreasing={"marker": {"color": NEGATIVE}},
            totals={"marker": {"color": INK}},
            connector={"line": {"color": "#BBBBBB", "width": 1}},
            hovertemplate="%{x}: %{y:,.0f} " + currency + "<extra></extra>",
        )
    )
    figure.update_layout(
        _layout(
            text("valuation.bridge_title", lang),
            460,
            yaxis={"title": {"text": currency}, "tickformat": "~s"},
            xaxis={"tickangle": -35},
            showlegend=False,
        )
    )
    return figure


def for_projector(figure: go.Figure, height: int = 680) -> go.Figure:
    """The same figure with type large enough to read from the back of a room (set on every
    axis: Streamlit's chart theme would otherwise keep its small tick labels)."""
    axis = {"tickfont": {"size": 20}, "title": {"font": {"size": 22}}}
    figure.update_layout(
        height=height,
        font={"size": 22},
        title={"font": {"size": 30}},
        hoverlabel={"font": {"size": 20}},
        legend={"font": {"size": 20}},
    )
    figure.update_xaxes(**axis)
    figure.update_yaxes(**axis)
    figure.update_polars(radialaxis_tickfont_size=18, angularaxis_tickfont_size=22)
    return figure


def radar_spread(
    median: dict[str, float], low: dict[str, float], high: dict[str, float], catalogue: Catalogue, lang: str
) -> go.Figure:
    """A room's opportunity radar: the median of its members' axes and the band from the 25th
    to the 75th percentile (the outer edge filled, the inner edge dashed)."""
    axes = list(median)
    names = [catalogue.axes[axis].name.get(lang) for axis in axes]
    theta = [*names, names[0]]

    def ring(values: dict[str, float]) -> list[float]:
        return [values[axis] for axis in axes] + [values[axes[0]]]

    traces = [
        go.Scatterpolar(
            r=ring(high),
            theta=theta,
            name=text("chart.q3", lang),
            fill="toself",
            fillcolor="rgba(118, 42, 131, 0.12)",
            line={"color": OUT_SHARE, "width": 1},
            hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
        ),
        go.Scatterpolar(
            r=ring(low),
            theta=theta,
            name=text("chart.q1", lang),
            line={"color": OUT_SHARE, "width": 1, "dash": "dot"},
            hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
        ),
        go.Scatterpolar(
            r=ring(median),
            theta=theta,
            name=text("chart.group_median", lang),
            line={"color": POSITIVE, "width": 3},
            hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
        ),
    ]
    return go.Figure(data=traces, layout=_radar_layout(lang))
