"""Entry point and router: page set-up, the language switch, and navigation. Pages do the rest."""

import streamlit as st

from dashboard.ui import apply_style, language_picker
from presentation.i18n import text

st.set_page_config(page_title="AI Startup Navigator", page_icon="🧭", layout="wide")
apply_style()
lang = language_picker()
pages = [
    st.Page(
        "views/explore.py", title=text("nav.explore", lang), icon=":material/explore:", url_path="explore", default=True
    ),
    st.Page("views/risks.py", title=text("nav.risks", lang), icon=":material/table_view:", url_path="risks"),
    st.Page(
        "views/sensitivity.py", title=text("nav.sensitivity", lang), icon=":material/tune:", url_path="sensitivity"
    ),
    st.Page("views/compare.py", title=text("nav.compare", lang), icon=":material/compare:", url_path="compare"),
    st.Page("views/investor.py", title=text("nav.investor", lang), icon=":material/paid:", url_path="investor"),
    st.Page("views/present.py", title=text("nav.present", lang), icon=":material/slideshow:", url_path="present"),
    st.Page("views/workshop.py", title=text("nav.workshop", lang), icon=":material/groups:", url_path="workshop"),
    st.Page("views/join.py", title=text("nav.join", lang), url_path="join", visibility="hidden"),
    st.Page(
        "views/projector.py", title=text("workshop.projector_title", lang), url_path="projector", visibility="hidden"
    ),
    st.Page("views/method.py", title=text("nav.method", lang), icon=":material/function:", url_path="method"),
]
page = st.navigation(pages)
st.session_state["page"] = page.url_path  # which page this run draws (see dashboard.state.reclaim_widget_values)
page.run()
