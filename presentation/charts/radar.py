"""Opportunity radars: one scenario over a baseline, several overlaid, a room's median and spread.

Every radar has the same layout (:func:`radar_layout`: 0-10 rings, the legend under the circle)
and every outline is closed by one helper (:func:`ring`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from presentation.charts.common import BASELINE, OUT_SHARE, POSITIVE, layout, series_style
from presentation.i18n import text
from scoring.catalogue import Catalogue
from scoring.opportunity import OpportunityResult

__all__ = ["opportunity_radar", "radar_layout", "radar_overlay", "radar_spread", "ring"]

HOVER = "%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>"


def _polar(**props: object) -> dict:
    """One radar outline as a plain trace dict: the figure validates it once, where a
    ``go.Scatterpolar`` is validated on its own and again inside the figure (≈ a quarter of the
    radar's build time on every slider move)."""
    return {"type": "scatterpolar", **props}


def ring(values: Sequence) -> list:
    """A radar outline's points, the first repeated at the end so the line closes."""
    return [*values, values[0]]


def _outline(values: Mapping[str, float], axes: Sequence[str]) -> list[float]:
    """The closed outline of one result's axis values, in ``axes`` order."""
    return ring([values[axis] for axis in axes])


def _theta(axes: Sequence[str], catalogue: Catalogue, lang: str) -> list[str]:
    """The axes' names around the circle, closed like every outline."""
    return ring([catalogue.axes[axis].name.get(lang) for axis in axes])


def radar_layout(lang: str) -> dict:
    """The layout of every radar: 0-10 rings, the axis names around the circle, legend under it."""
    lines = {"gridcolor": "#DDDDDD", "linecolor": "#BBBBBB"}
    figure_layout = layout(
        text("chart.radar_title", lang),
        520,
        polar={
            "radialaxis": {"range": [0, 10], "tickvals": [2, 4, 6, 8, 10], **lines},
            "angularaxis": {**lines, "tickfont": {"size": 13}},
        },
        legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
    )
    # room for the axis names around the circle, and under it for the legend: a legend that has
    # to push the margin out makes Plotly draw the figure twice on every update
    figure_layout["margin"] = {"l": 105, "r": 105, "t": 56, "b": 90}
    return figure_layout


def opportunity_radar(
    current: OpportunityResult,
    baseline: OpportunityResult | None,
    catalogue: Catalogue,
    lang: str,
    baseline_name: str = "",
) -> go.Figure:
    """The nine opportunity axes (0–10) of the scenario, over a baseline when there is one."""
    axes = list(current.axes)
    theta = _theta(axes, catalogue, lang)
    traces = []
    if baseline is not None:
        traces.append(
            _polar(
                r=_outline(baseline.axes, axes),
                theta=theta,
                name=html.escape(baseline_name) or text("chart.baseline", lang),  # a pinned name: shown, not read
                line={"color": BASELINE, "dash": "dash", "width": 2},
                hovertemplate=HOVER,
            )
        )
    traces.append(
        _polar(
            r=_outline(current.axes, axes),
            theta=theta,
            name=text("chart.this_scenario", lang),
            fill="toself",
            fillcolor="rgba(31, 119, 180, 0.25)",
            line={"color": POSITIVE, "width": 3},
            hovertemplate=HOVER,
        )
    )
    return go.Figure(data=traces, layout=radar_layout(lang))


def radar_overlay(results: Sequence[tuple[str, OpportunityResult]], catalogue: Catalogue, lang: str) -> go.Figure:
    """The opportunity radars of several scenarios over one another, the base filled."""
    axes = list(results[0][1].axes)
    theta = _theta(axes, catalogue, lang)
    traces = []
    for index, (name, result) in enumerate(results):
        colour, dash = series_style(index)
        traces.append(
            _polar(
                r=_outline(result.axes, axes),
                theta=theta,
                name=html.escape(name),  # Plotly reads tags in text: a name is shown, never interpreted
                line={"color": colour, "width": 3, "dash": dash},
                fill="toself" if index == 0 else None,
                fillcolor="rgba(31, 42, 68, 0.10)" if index == 0 else None,
                hovertemplate=HOVER,
            )
        )
    return go.Figure(data=traces, layout=radar_layout(lang))


def radar_spread(
    median: dict[str, float], low: dict[str, float], high: dict[str, float], catalogue: Catalogue, lang: str
) -> go.Figure:
    """A room's opportunity radar: the median of its members' axes and the band from the 25th
    to the 75th percentile (the outer edge filled, the inner edge dashed)."""
    axes = list(median)
    theta = _theta(axes, catalogue, lang)
    traces = [
        _polar(
            r=_outline(high, axes),
            theta=theta,
            name=text("chart.q3", lang),
            fill="toself",
            fillcolor="rgba(118, 42, 131, 0.12)",
            line={"color": OUT_SHARE, "width": 1},
            hovertemplate=HOVER,
        ),
        _polar(
            r=_outline(low, axes),
            theta=theta,
            name=text("chart.q1", lang),
            line={"color": OUT_SHARE, "width": 1, "dash": "dot"},
            hovertemplate=HOVER,
        ),
        _polar(
            r=_outline(median, axes),
            theta=theta,
            name=text("chart.group_median", lang),
            line={"color": POSITIVE, "width": 3},
            hovertemplate=HOVER,
        ),
    ]
    return go.Figure(data=traces, layout=radar_layout(lang))
