"""The valuation bridge: risk-factor summation from the base pre-money, category by category."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from presentation.charts.common import INK, NEGATIVE, layout
from presentation.i18n import text
from scoring.valuation import ValuationResult

__all__ = ["valuation_waterfall"]


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
        layout(
            text("valuation.bridge_title", lang),
            460,
            yaxis={"title": {"text": currency}, "tickformat": "~s"},
            xaxis={"tickangle": -35},
            showlegend=False,
        )
    )
    return figure
