"""Words and charts, without Streamlit: what the app, the reports and the command line show.

- :mod:`presentation.i18n`: every UI string in English and Simplified Chinese (``data/i18n.yaml``);
- :mod:`presentation.formatting`: KPI values, deltas, band counts and inputs in words;
- :mod:`presentation.method_text`: the Method page's text with the conventions in force;
- :mod:`presentation.charts`: the figure builders, one module per chart family (Plotly, and the
  app's Vega-Lite runway).

Results in, words and figures out: every number shown is computed by :mod:`scoring` (or by
:mod:`workshop.aggregate` for a room) and arrives here as a typed result. Nothing here imports
streamlit, ``dashboard``, ``reports`` or ``cli`` (``tests/test_architecture.py``). Importing this
package loads no chart library; :mod:`presentation.charts` loads Plotly.
"""
