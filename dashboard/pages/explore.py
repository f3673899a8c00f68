"""Explore: the landing page (first cut — KPIs of a preset; charts follow)."""

import streamlit as st

from scoring import evaluate, list_presets, load_preset

preset = st.selectbox("Preset", list_presets(), key="preset")
report = evaluate(load_preset(preset))
left, middle, right = st.columns(3)
left.metric("Overall risk", f"{report.risk.overall:.0f} / 100")
middle.metric("Opportunity", f"{report.opportunity.overall:.0f} / 100")
runway = report.runway.months
right.metric("Runway", "beyond horizon" if runway is None else f"{runway:.1f} months")
