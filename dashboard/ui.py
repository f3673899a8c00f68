"""Small shared pieces of page chrome: the current language and the projector-friendly style."""

from __future__ import annotations

import json

import streamlit as st

from presentation.i18n import LANGUAGE_NAMES, language_name

__all__ = ["PLOTLY_CONFIG", "apply_style", "current_lang", "hide_sidebar", "language_picker"]

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
/* Explore's KPIs (.st-key-kpis, a horizontal container): seven cells in a row where each gets
   160 px, else four a row (1280 or 1440 px with the sidebar open), two on a phone. A label, value
   or second line wraps instead of ending in an ellipsis; a value's type shrinks with its cell
   (cqi: 1 % of the cell's width), so no word is ever cut. */
.st-key-kpis { container-type: inline-size; row-gap: 0.75rem; }
.st-key-kpis > * { flex: 1 1 0 !important; min-width: 0 !important; container-type: inline-size; }
@container (max-width: 1230px) { .st-key-kpis > * { flex: 0 0 calc(25% - 0.75rem) !important; } }
@container (max-width: 640px) { .st-key-kpis > * { flex: 0 0 calc(50% - 0.5rem) !important; } }
.st-key-kpis [data-testid="stCaptionContainer"] p { word-break: keep-all !important; }  /* 极高 2 项 stays whole */
.st-key-kpis [data-testid="stMetric"] .stMarkdownEllipsis { overflow: visible; text-overflow: clip; }
.st-key-kpis [data-testid="stMetric"] .stMarkdownEllipsis p { white-space: normal; overflow-wrap: break-word; }
.st-key-kpis [data-testid="stMetricValue"] { font-size: clamp(1.25rem, 20cqi, 2.25rem); line-height: 1.2; }
.st-key-kpis [data-testid="stMetricDelta"] { max-width: 100%; }
/* Explore's text blocks (presentation.formatting: split_html, section_html): two columns, one on a phone;
   headings and lists as Streamlit's st.header and Markdown draw them */
.split { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0.5rem 2rem; }
.split.wide { grid-template-columns: minmax(0, 1.6fr) minmax(0, 1fr); }
@media (max-width: 640px) { .split, .split.wide { grid-template-columns: minmax(0, 1fr); } }
.split section h2 { font-size: 1.75rem; font-weight: 600; line-height: 1.2; padding: 1.25rem 0 1rem; margin: 0; }
.split p { margin: 0 0 1rem; }
.split ul, .split ol { margin: 0 0 1rem; padding-left: 1.5rem; }
.split li { margin: 0.25rem 0; }
.split li > ul { margin: 0.25rem 0 0.4rem; }
.split em:lang(zh) { font-style: normal; }  /* slanted Chinese is a fake italic, hard to read */
.split .score-bars { padding-left: 0; }  /* the bars line up with their heading (their own rules follow) */
/* score_bars_html (presentation.formatting): st.progress's look, one element for all the bars */
.score-bars { list-style: none; margin: 0; padding: 0; }
.score-bars li { margin: 0 0 0.75rem; padding: 0; }
.score-bars li > span:first-child { display: block; font-size: 0.875rem; margin-bottom: 0.25rem; }
.score-bar { display: block; height: 0.5rem; border-radius: 0.25rem; background: rgba(20, 19, 18, 0.1); }
.score-bar > span { display: block; height: 100%; border-radius: 0.25rem; background: #b02e3c; }  /* theme primary */
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
