"""Entry point: a router only (pages live in dashboard/pages/)."""

import streamlit as st

st.set_page_config(page_title="AI startup navigator", layout="wide")
st.navigation([st.Page("pages/explore.py", title="Explore", default=True)]).run()
