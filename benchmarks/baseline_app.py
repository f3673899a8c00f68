"""A minimal bare Streamlit app: the yardstick of the latency benchmark (bench_latency.py).

One slider, three small Plotly charts — a 5 x 5 heatmap, a 6-point radar, a 37-point line —
and one metric, every one of them drawn from the slider's value, with no model behind them.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="baseline", layout="wide")
value = st.sidebar.slider("value", 0.0, 10.0, 5.0, 0.5)

heat = go.Figure(go.Heatmap(z=[[value + i - j for i in range(5)] for j in range(5)]))
radar = go.Figure(go.Scatterpolar(r=[(value + k) % 10 for k in range(6)], theta=[*"ABCDEF"], fill="toself"))
line = go.Figure(go.Scatter(x=list(range(37)), y=[100 - t * value / 10 for t in range(37)]))
st.metric("value", f"{value:.1f}")
left, middle, right = st.columns(3)
left.plotly_chart(heat, key="heat")
middle.plotly_chart(radar, key="radar")
right.plotly_chart(line, key="line")
