"""A bare Streamlit app with one slider and three Plotly charts: the latency baseline.

It draws figures of the same kinds and sizes as the dashboard (a 5 x 5 heatmap with 27
markers, a 9-axis radar, a 36-month line) from one slider, with no model behind them.
"""

import math

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="baseline", layout="wide")
value = st.sidebar.slider("value", 0.0, 10.0, 5.0, 0.5)

heat = go.Figure(go.Heatmap(z=[[(i * j) % 4 for i in range(1, 6)] for j in range(1, 6)], showscale=False))
heat.add_trace(
    go.Scatter(
        x=[1 + (k * value) % 4 for k in range(27)],
        y=[1 + (k * 7 + value) % 4 for k in range(27)],
        mode="markers+text",
        text=[f"R{k}" for k in range(27)],
    )
)
radar = go.Figure(
    go.Scatterpolar(r=[(value + k) % 10 for k in range(9)] + [value % 10], theta=[*"ABCDEFGHI", "A"], fill="toself")
)
line = go.Figure(
    go.Scatter(x=list(range(37)), y=[1e6 - 5e4 * t * (1 + value / 10) + 1e4 * math.sin(t) for t in range(37)])
)
left, right = st.columns(2)
left.plotly_chart(heat, key="heat")
right.plotly_chart(radar, key="radar")
st.plotly_chart(line, key="line")
