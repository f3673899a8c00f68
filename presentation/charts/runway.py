"""Runway charts: the plan, the simulated futures, funding rounds and the marks that matter.

The app draws the runway as a Vega-Lite spec (:func:`runway_chart`: Streamlit updates its data
in place as sliders move); reports and slides, which need one inlined library, draw the same
chart in Plotly (:func:`runway_figure`). Both read the same marks (:func:`runway_marks`:
cash-out, break-even and the naive estimate, decided once) and the same month ticks
(:func:`month_ticks`); only the drawing differs.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from presentation.charts.common import FAN, FAN_FILL, INK, MUTED, NEGATIVE, OUT_SHARE, POSITIVE, layout, series_style
from presentation.i18n import text
from scoring.runway import RunwayResult, calendar_month
from scoring.simulate import SimulationResult

__all__ = [
    "LabelPlace",
    "RunwayMark",
    "label_places",
    "month_ticks",
    "runway_chart",
    "runway_figure",
    "runway_marks",
    "runway_overlay",
]

MarkKind = Literal["cash_out", "break_even", "naive"]
# how each renderer dashes a mark: Plotly's dash name and Vega-Lite's strokeDash
_PLOTLY_DASH: dict[MarkKind, str] = {"cash_out": "dash", "break_even": "dot", "naive": "dot"}
_VEGA_DASH: dict[MarkKind, list[int]] = {"cash_out": [6, 3], "break_even": [2, 3], "naive": [2, 3]}
# The marks' words live in a strip of their own above the lines, one row per mark: no line, no
# funding triangle and no other label can cross them, whatever the data. Vega-Lite draws the strip
# above the plot in pixels; Plotly inside the plot, in head-room no series reaches (a report or a
# slide may change the figure's margins, never its axes).
_VEGA_ROW = 18  # px between label rows above a Vega-Lite plot (13-px type)
_VEGA_FIRST = 8  # px from the plot's top edge to the first row's baseline, clear of the top tick labels
_PLOTLY_ROW = 0.075  # share of a Plotly plot's height given to each label row
_PLOTLY_PAD = 0.05  # share of the data's span left free above and below the series


@dataclass(frozen=True)
class RunwayMark:
    """A vertical line on a runway chart: where, in which colour, with which words."""

    kind: MarkKind
    month: float
    colour: str
    label: str


def runway_marks(runway: RunwayResult, lang: str) -> list[RunwayMark]:
    """The months a runway chart marks, in drawing order: cash-out (when the cash runs out within
    the horizon), break-even (when reached) and the naive cash ÷ burn (when it falls within the
    horizon). Every month comes from the runway result."""
    marks = []
    if runway.months is not None:
        label = text("chart.cash_out", lang, months=f"{runway.months:.1f}")
        marks.append(RunwayMark("cash_out", runway.months, NEGATIVE, label))
    if runway.break_even_month is not None:
        marks.append(RunwayMark("break_even", runway.break_even_month, POSITIVE, text("chart.break_even", lang)))
    if runway.naive_months is not None and runway.naive_months <= runway.horizon_months:
        label = text("chart.naive", lang, months=f"{runway.naive_months:.1f}")
        marks.append(RunwayMark("naive", runway.naive_months, MUTED, label))
    return marks


@dataclass(frozen=True)
class LabelPlace:
    """Where a mark's label goes: its row in the label strip (0 nearest the plot) and the side of
    its line the words run to ("right" or "left", whichever leaves more of the horizon)."""

    mark: RunwayMark
    row: int
    side: Literal["left", "right"]


def label_places(marks: Sequence[RunwayMark], horizon: int) -> list[LabelPlace]:
    """Each mark's label place, in the marks' order: one row each, so two labels never share a
    line of text (a cash-out and a naive estimate a tenth of a month apart stay apart); the words
    run away from the nearer end of the horizon, so a mark late in the plan is labelled on its left."""
    return [
        LabelPlace(mark, row, "right" if mark.month <= horizon - mark.month else "left")
        for row, mark in enumerate(marks)
    ]


def month_ticks(horizon: int, start_month: str | None) -> tuple[list[int], list[str] | None]:
    """The ticks of a month axis 1..horizon (every ~eighth month) and, when the plan has a
    start month, their calendar labels (None without one)."""
    ticks = list(range(1, horizon + 1, max(1, horizon // 8)))
    return ticks, [calendar_month(start_month, month) for month in ticks] if start_month else None


def _from_cash(cash: float, values: Sequence[float]) -> list[float]:
    """A monthly series drawn from month 0, where the balance is the cash on hand."""
    return [cash, *values]


# --- Vega-Lite: the app ---------------------------------------------------------------------------


def _vega_month_axis(horizon: int, start_month: str | None) -> dict:
    ticks, labels = month_ticks(horizon, start_month)
    axis: dict = {"values": ticks, "grid": False}
    if labels:
        cases = " : ".join(f"datum.value == {month} ? '{label}'" for month, label in zip(ticks, labels, strict=True))
        axis["labelExpr"] = f"{cases} : ''"
    return axis


def runway_chart(
    runway: RunwayResult,
    cash: float,
    currency: str,
    lang: str,
    start_month: str | None = None,
    simulation: SimulationResult | None = None,
) -> dict:
    """Cash balance by month as a Vega-Lite spec for ``st.vega_lite_chart(spec=...)``.

    The plan's balance from month 0 (``cash``) with the zero line, funding rounds and the
    cash-out, break-even and naive-runway months. With a ``simulation`` it adds the P10-P90 band
    of futures, the median future and, on a right-hand 0-100 % axis, the share of futures out of
    cash by each month.

    Vega-Lite, not Plotly: Streamlit updates a Vega-Lite chart's data in place, while a Plotly
    chart whose figure changes is rebuilt from scratch. The fan moves with every factor slider
    (risk events), and rebuilding this chart cost more than the rest of the page.

    The months' numbers travel in the spec as the named dataset ``runway`` (Streamlit sends it as
    Arrow and swaps it in place): unlike the ``data`` argument, which Streamlit inserts only after
    the chart's first run, a named dataset is there from the start, so Vega never computes a
    scale from an empty table ("Infinite extent" warnings in the console).
    """
    horizon = runway.horizon_months
    months = list(range(horizon + 1))
    places = label_places(runway_marks(runway, lang), horizon)
    data = pd.DataFrame(
        {"month": months, "plan": _from_cash(cash, runway.balance), "funding": _from_cash(0.0, runway.funding)}
    )
    names = {key: text(f"chart.{key}", lang) for key in ("plan", "balance", "fan", "fan_median", "out_share")}
    plan_name = names["plan"] if simulation else names["balance"]
    series = [(plan_name, INK)]
    if simulation:
        fan = simulation.fan
        for percentile in ("p10", "p50", "p90"):
            data[percentile] = _from_cash(cash, getattr(fan, percentile))
        data["out"] = _from_cash(0.0, simulation.prob_cash_out_by_month)
        series += [(names["fan"], FAN), (names["fan_median"], FAN), (names["out_share"], OUT_SHARE)]
    colour = {
        "scale": {"domain": [name for name, _ in series], "range": [hue for _, hue in series]},
        "legend": {
            "orient": "top",
            "columns": 2,  # two by two: fits a phone as well as a projector
            "offset": _VEGA_FIRST + _VEGA_ROW * len(places) + 6,  # above the marks' label rows
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
        "axis": _vega_month_axis(horizon, start_month),
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
        {
            "data": one,
            "mark": {"type": "rule", "color": NEGATIVE, "strokeWidth": 1.5, "aria": False},  # decoration: no name
            "encoding": {"y": {"datum": 0}},
        }
    )
    if any(amount > 0 for amount in runway.funding):  # a layer with no rows would warn of an infinite extent
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
    for place in places:  # each line across the plot, its words in their row above it
        mark = place.mark
        at = {"datum": mark.month, "type": "quantitative"}
        layers.append(
            {
                "data": one,
                "mark": {
                    "type": "rule",
                    "color": mark.colour,
                    "strokeDash": _VEGA_DASH[mark.kind],
                    "strokeWidth": 2,
                    "aria": False,  # screen readers read the mark's words (the text layer), not its line
                },
                "encoding": {"x": at},
            }
        )
        right = place.side == "right"
        layers.append(
            {
                "data": one,
                "mark": {
                    "type": "text",
                    "color": mark.colour,
                    "align": "left" if right else "right",
                    "dx": 4 if right else -4,
                    "baseline": "bottom",
                    "fontSize": 13,
                },
                "encoding": {
                    "x": at,
                    "y": {"value": -(_VEGA_FIRST + _VEGA_ROW * place.row)},
                    "text": {"value": mark.label},
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
    spec |= {"data": {"name": "runway"}, "datasets": {"runway": data}}
    return spec


# --- Plotly: reports and slides -------------------------------------------------------------------


def _month_axis(horizon: int, start_month: str | None, lang: str) -> dict:
    """A Plotly month axis 0..horizon; with a start month, the ticks named by calendar."""
    axis: dict = {"title": {"text": text("chart.month_axis", lang)}, "range": [0, horizon]}
    ticks, labels = month_ticks(horizon, start_month)
    if labels:
        axis |= {"tickvals": ticks, "ticktext": labels}
    return axis


def _zero_line() -> dict:
    """The red line at a balance of zero, across the plot."""
    zero = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0}
    return {**zero, "line": {"color": NEGATIVE, "width": 1.5}}


def _marker_line(place: LabelPlace, rows: int) -> tuple[dict, dict]:
    """A mark's line up to the label strip (a shape) and its words in their row of the strip (an
    annotation). The strip is the top ``rows`` × ``_PLOTLY_ROW`` of the plot, which no series reaches."""
    mark = place.mark
    strip = _PLOTLY_ROW * rows
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": mark.month, "x1": mark.month, "y0": 0, "y1": 1 - strip}
    shape["line"] = {"color": mark.colour, "dash": _PLOTLY_DASH[mark.kind], "width": 2}
    right = place.side == "right"
    annotation = {
        "x": mark.month,
        "xref": "x",
        "y": 1 - strip + _PLOTLY_ROW * (place.row + 0.5),
        "yref": "paper",
        "text": mark.label,
        "showarrow": False,
        "yanchor": "middle",
        "xanchor": "left" if right else "right",
        "xshift": 4 if right else -4,
        "font": {"color": mark.colour, "size": 14},
    }
    return shape, annotation


def _money_range(series: Sequence[Sequence[float]], rows: int) -> list[float]:
    """The balance axis: every drawn series and zero with a little air, plus head-room for ``rows``
    label rows (so the data fill the plot's lower 1 - rows × ``_PLOTLY_ROW``)."""
    values = [0.0, *(value for values in series for value in values)]
    low, high = min(values), max(values)
    pad = _PLOTLY_PAD * (high - low) or 1.0
    low, high = low - pad, high + pad
    return [low, high + (high - low) * _PLOTLY_ROW * rows / (1 - _PLOTLY_ROW * rows)]


def _fan_traces(simulation: SimulationResult, cash: float, currency: str, lang: str) -> list[go.Scatter]:
    """The P10-P90 band, the median future, and the share of futures out of cash (right axis)."""
    months = list(range(simulation.horizon_months + 1))
    money = text("chart.month", lang) + " %{x}: %{y:,.0f} " + currency
    fan = simulation.fan
    return [
        go.Scatter(
            x=months,
            y=_from_cash(cash, fan.p90),
            mode="lines",
            line={"width": 0, "color": FAN},
            hovertemplate="P90 · " + money + "<extra></extra>",
            showlegend=False,
        ),
        go.Scatter(
            x=months,
            y=_from_cash(cash, fan.p10),
            mode="lines",
            line={"width": 0, "color": FAN},
            fill="tonexty",
            fillcolor=FAN_FILL,
            name=text("chart.fan", lang),
            hovertemplate="P10 · " + money + "<extra></extra>",
        ),
        go.Scatter(
            x=months,
            y=_from_cash(cash, fan.p50),
            mode="lines",
            line={"color": FAN, "width": 2, "dash": "dash"},
            name=text("chart.fan_median", lang),
            hovertemplate="P50 · " + money + "<extra></extra>",
        ),
        go.Scatter(
            x=months,
            y=_from_cash(0.0, simulation.prob_cash_out_by_month),
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
    """The runway chart as a Plotly figure, for reports and slides (the app draws :func:`runway_chart`).

    ``cash`` is the starting balance (month 0); months are numbered 1..H and, with a
    ``start_month``, labelled with calendar months. With a ``simulation`` the chart adds the
    P10-P90 band of futures, the median future and, on a right-hand 0-100 % axis, the share
    of futures out of cash by each month.
    """
    plan = {
        "x": list(range(runway.horizon_months + 1)),
        "y": _from_cash(cash, runway.balance),
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
    places = label_places(runway_marks(runway, lang), runway.horizon_months)
    shapes, annotations = [_zero_line()], []
    for place in places:
        shape, annotation = _marker_line(place, len(places))
        shapes.append(shape)
        annotations.append(annotation)
    drawn = [plan["y"]]
    if simulation:
        drawn += [_from_cash(cash, simulation.fan.p10), _from_cash(cash, simulation.fan.p90)]
    figure_layout = layout(
        text("chart.runway_title", lang),
        460 if simulation else 440,
        xaxis=_month_axis(runway.horizon_months, start_month, lang),
        yaxis={
            "title": {"text": currency},
            "tickformat": "~s",
            "zeroline": False,
            "range": _money_range(drawn, len(places)),
        },
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        shapes=shapes,
        annotations=annotations,
    )
    if simulation:
        figure_layout["yaxis2"] = {
            "title": {"text": text("chart.out_share_axis", lang), "font": {"color": OUT_SHARE}},
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02 / (1 - _PLOTLY_ROW * len(places))],  # 100 % just under the label strip
            "tickmode": "array",
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "tickformat": ".0%",
            "tickfont": {"color": OUT_SHARE},
            "showgrid": False,
            "zeroline": False,
        }
    figure_layout["margin"] = {"l": 10, "r": 10, "t": 80, "b": 10}  # room for the title and the legend
    return go.Figure(data=traces, layout=figure_layout)


def runway_overlay(
    plans: Sequence[tuple[str, float, RunwayResult]], currency: str, lang: str, start_month: str | None = None
) -> go.Figure:
    """The planned balance of several scenarios on one chart: (name, starting cash, runway) each."""
    horizon = max(runway.horizon_months for _, _, runway in plans)
    traces = []
    for index, (name, cash, runway) in enumerate(plans):
        colour, dash = series_style(index)
        traces.append(
            go.Scatter(
                x=list(range(runway.horizon_months + 1)),
                y=_from_cash(cash, runway.balance),
                mode="lines",
                name=html.escape(name),  # Plotly reads tags in text: a name is shown, never interpreted
                line={"color": colour, "width": 3, "dash": dash},
                # the name by reference: a "%{y}" typed in it is shown, never filled in
                hovertemplate="%{fullData.name} · "
                + text("chart.month", lang)
                + " %{x}: %{y:,.0f} "
                + currency
                + "<extra></extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout=layout(
            text("chart.runway_compare_title", lang),
            440,
            xaxis=_month_axis(horizon, start_month, lang),
            yaxis={"title": {"text": currency}, "tickformat": "~s", "zeroline": False},
            legend={"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center"},
            shapes=[_zero_line()],
        ),
    )
