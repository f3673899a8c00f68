"""The sensitivity tornado: which inputs move overall risk and runway most."""

from __future__ import annotations

import plotly.graph_objects as go

from presentation.charts.common import HIGH_COLOUR, INK, LOW_COLOUR, layout
from presentation.i18n import text
from scoring.catalogue import Catalogue
from scoring.sensitivity import SensitivityResult

__all__ = ["sensitivity_label", "tornado"]


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
    figure_layout = layout(
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
    figure_layout["margin"] = {"l": 10, "r": 10, "t": 56, "b": 70}  # the legend sits under the axis titles
    return go.Figure(data=traces, layout=figure_layout)
