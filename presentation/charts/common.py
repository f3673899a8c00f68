"""What every chart shares: the palette, the base layout and the projector's large type."""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = [
    "BAND_COLOURS",
    "BAND_TEXT",
    "BASELINE",
    "FAN",
    "FAN_FILL",
    "FONT",
    "HALO",
    "HIGH_COLOUR",
    "INK",
    "LOW_COLOUR",
    "MUTED",
    "NEGATIVE",
    "OUT_SHARE",
    "POSITIVE",
    "SERIES",
    "SERIES_DASH",
    "for_projector",
    "layout",
    "series_style",
]

# ColorBrewer YlOrRd, 4 classes: ordered by lightness, so it reads in greyscale and for the
# common colour-vision deficiencies; every cell also carries its band's name.
BAND_COLOURS = {"low": "#FFFFB2", "medium": "#FECC5C", "high": "#FD8D3C", "critical": "#E31A1C"}
BAND_TEXT = {"low": "#5A4A00", "medium": "#5A3A00", "high": "#4A1A00", "critical": "#FFFFFF"}
INK = "#1F2A44"  # markers and lines: dark slate, readable on every band colour
BASELINE = "#8C8C8C"
MUTED = "#666666"  # a line that is a reference, not a result (the naive runway)
POSITIVE, NEGATIVE = "#1F77B4", "#D62728"
FAN, FAN_FILL = "#1F77B4", "rgba(31, 119, 180, 0.18)"  # the simulated futures: median and band
OUT_SHARE = "#762A83"  # purple: apart from the red zero and cash-out lines
HALO = "rgba(118, 42, 131, 0.35)"  # a room's disagreement around a risk marker
LOW_COLOUR, HIGH_COLOUR = "#4C78A8", "#F58518"  # Tableau blue / orange: distinct for colour-blind readers
FONT = {"size": 15}

# One colour per compared scenario, the base in the page's ink: distinct for colour-blind readers
SERIES = (INK, "#F58518", "#54A24B", "#B279A2")
SERIES_DASH = ("solid", "dash", "dot", "dashdot")  # and a dash per scenario, for greyscale print


def layout(title: str, height: int, **extra: object) -> dict:
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


def series_style(index: int) -> tuple[str, str]:
    """The colour and dash of the ``index``-th compared scenario (the base is 0)."""
    return SERIES[index % len(SERIES)], SERIES_DASH[index % len(SERIES)]


def for_projector(figure: go.Figure, height: int = 680) -> go.Figure:
    """The same figure with type large enough to read from the back of a room (set on every
    axis: Streamlit's chart theme would otherwise keep its small tick labels)."""
    # large type needs more room than a chart's fixed margins hold: Plotly finds it (automargin)
    axis = {"tickfont": {"size": 20}, "title": {"font": {"size": 22}}, "automargin": True}
    figure.update_layout(
        height=height,
        font={"size": 22},
        title={"font": {"size": 30}},
        hoverlabel={"font": {"size": 20}},
        legend={"font": {"size": 20}},
        margin={"t": max(figure.layout.margin.t or 0, 76)},  # head-room for the 30-px title
    )
    figure.update_xaxes(**axis)
    figure.update_yaxes(**axis)
    figure.update_polars(radialaxis_tickfont_size=18, angularaxis_tickfont_size=22)
    figure.update_annotations(font_size=20)  # the runway's "cash out after …" marks: 14 px is unreadable there
    return figure
