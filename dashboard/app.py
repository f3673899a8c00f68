"""Entry point and router: page set-up, the language switch, and navigation. Pages do the rest."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` adds only dashboard/

from dashboard.i18n import text
from dashboard.ui import apply_style, language_picker

st.set_page_config(page_title="AI Startup Navigator", page_icon="🧭", layout="wide")
apply_style()
lang = language_picker()
pages = [
    st.Page(
        "pages/explore.py", title=text("nav.explore", lang), icon=":material/explore:", url_path="explore", default=True
    ),
    st.Page("pages/risks.py", title=text("nav.risks", lang), icon=":material/table_view:", url_path="risks"),
    st.Page(
        "pages/sensitivity.py", title=text("nav.sensitivity", lang), icon=":material/tune:", url_path="sensitivity"
    ),
    st.Page("pages/compare.py", title=text("nav.compare", lang), icon=":material/compare:", url_path="compare"),
    st.Page("pages/method.py", title=text("nav.method", lang), icon=":material/function:", url_path="method"),
]
st.navigation(pages).run()
