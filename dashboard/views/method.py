"""Method: how every number is computed, in plain words, with the conventions in force."""

import streamlit as st

from dashboard.i18n import text
from dashboard.method_text import method_sections
from dashboard.ui import current_lang

lang = current_lang()
st.title(text("method.title", lang))
for title, body in method_sections(lang):
    st.subheader(title)
    st.markdown(body)
