"""Small shared pieces of page chrome: the current language and the projector-friendly style."""

from __future__ import annotations

import json
from collections.abc import Sequence

import streamlit as st

from presentation.i18n import LANGUAGE_NAMES, language_name
from scoring.catalogue import Catalogue

__all__ = ["PLOTLY_CONFIG", "apply_style", "current_lang", "hide_sidebar", "language_picker", "mitigation_list"]

# Charts: no Plotly logo, keep the camera button for a PNG, no scroll-zoom hijacking the page.
PLOTLY_CONFIG = {"displayModeBar": False, "scrollZoom": False}

# Larger type for a projector at the back of a room; static CSS only, never user text.
_STYLE = """
<style>
[data-testid="stMetricValue"] { font-size: clamp(1.25rem, 1.75vw, 2.1rem); }
[data-testid="stMetricLabel"] p { font-size: 1.0rem; }
/* seven KPIs share a row: let a long label wrap rather than end in an ellipsis */
[data-testid="stMetricLabel"] * { white-space: normal; }
[data-testid="stMetricLabel"] .stMarkdownEllipsis { overflow: visible; text-overflow: clip; }
[data-testid="stMetricLabel"] .stMarkdownEllipsis p { white-space: normal; overflow-wrap: break-word; }
/* below Streamlit's 60-px top bar: a warning above the title was half under it at 2.2rem */
.block-container { padding-top: 4.25rem; }
/* an st.html that only runs a script (e.g. the page language) takes no room, not even a gap */
.stElementContainer:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
</style>
"""


def apply_style() -> None:
    st.html(_STYLE)


# For pages that stand alone (presentation, a participant's phone): no sidebar, no toolbar.
_STANDALONE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
.block-container { padding-top: 2.2rem; }  /* no top bar here */
</style>
"""


def hide_sidebar() -> None:
    st.html(_STANDALONE)


def current_lang() -> str:
    return st.session_state.get("lang") or "en"


# The page's language as <html lang> holds it (BCP 47): a screen reader picks its voice and
# pronunciation by it (WCAG 3.1.1). Streamlit's page always says "en".
HTML_LANG = {"en": "en", "zh": "zh-CN"}


def _remember_language(key: str) -> None:
    st.session_state["lang"] = st.session_state[key]


def language_picker(where=None, key: str = "language_picker") -> str:
    """The language switch (in the sidebar unless ``where`` says otherwise). The choice is kept
    under its own key by the change callback, so no widget reset on the rerun that relabels the
    whole page can undo it."""
    if "lang" not in st.session_state and st.query_params.get("lang") in LANGUAGE_NAMES:
        st.session_state["lang"] = st.query_params["lang"]  # a shared link opens in its language
    lang = current_lang()
    (where or st.sidebar).segmented_control(
        "Language · 语言",
        list(LANGUAGE_NAMES),
        format_func=language_name,
        key=key,
        default=lang,
        required=True,
        on_change=_remember_language,
        args=(key,),
    )
    if where is None:  # the app's own switch, drawn once every run: tell the browser the page's language
        st.sidebar.html(
            f"<script>document.documentElement.lang = {json.dumps(HTML_LANG[lang])};</script>",
            unsafe_allow_javascript=True,
            width="content",
        )
    return lang


def mitigation_list(mitigation_ids: Sequence[str], catalogue: Catalogue, lang: str, indent: str = "") -> str:
    """One Markdown list (one element to render) of what to do about a risk."""
    return "\n".join(
        f"{indent}- **{catalogue.mitigations[m].title.get(lang)}** — {catalogue.mitigations[m].text.get(lang)}"
        for m in mitigation_ids
    )
