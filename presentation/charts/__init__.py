"""Figure builders: results in, figures out, one module per chart family.

- :mod:`~presentation.charts.heatmap`: the risk matrix;
- :mod:`~presentation.charts.radar`: opportunity radars (one layout, one way to close a ring);
- :mod:`~presentation.charts.runway`: the runway as Vega-Lite (the app) and Plotly (reports,
  slides), both from the same marks and ticks, and several plans overlaid;
- :mod:`~presentation.charts.tornado`: the sensitivity tornado;
- :mod:`~presentation.charts.valuation`: the valuation bridge;
- :mod:`~presentation.charts.common`: palette, base layout, the projector's large type.

No Streamlit here and no domain arithmetic: every number drawn comes from a result of
:mod:`scoring` (or :mod:`workshop.aggregate`) or from the scenario; these modules only choose
shapes, colours, positions and words. Everything is re-exported here:
``from presentation import charts; charts.risk_heatmap(...)``.
"""

from __future__ import annotations

from presentation.charts.common import BAND_COLOURS, BAND_TEXT, for_projector
from presentation.charts.heatmap import risk_heatmap
from presentation.charts.radar import opportunity_radar, radar_overlay, radar_spread
from presentation.charts.runway import runway_chart, runway_figure, runway_marks, runway_overlay
from presentation.charts.tornado import sensitivity_label, tornado
from presentation.charts.valuation import valuation_waterfall

__all__ = [
    "BAND_COLOURS",
    "BAND_TEXT",
    "for_projector",
    "opportunity_radar",
    "radar_overlay",
    "radar_spread",
    "risk_heatmap",
    "runway_chart",
    "runway_figure",
    "runway_marks",
    "runway_overlay",
    "sensitivity_label",
    "tornado",
    "valuation_waterfall",
]
