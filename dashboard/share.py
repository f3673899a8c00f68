"""Share · save · load: the link to this view, the scenario as a JSON file (down and up), and the
report (HTML, and PDF where Chromium is installed)."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import streamlit as st

from dashboard.fields import error_message, field_label
from dashboard.state import load_scenario_into_controls
from dashboard.url_state import link_params
from presentation.formatting import plain
from presentation.i18n import text
from reports import build_report, find_chromium, html_to_pdf
from scoring import Scenario, ScenarioError, parse_scenario_json
from scoring.compare import Summary
from scoring.scenario import MAX_SCENARIO_BYTES

__all__ = ["file_name", "report_buttons", "scenario_json", "share_panel"]


def _on_upload() -> None:
    """Read an uploaded scenario file into the controls, or say why it cannot be used."""
    state = st.session_state
    upload = state.get(f"upload:{state.get('upload_version', 0)}")
    if upload is None:
        return
    state["upload_version"] = state.get("upload_version", 0) + 1  # a fresh, empty uploader
    try:  # every limit (size first, nesting, numbers, lengths) is checked before the file is parsed
        scenario = parse_scenario_json(upload.getvalue(), upload.name)
    except ScenarioError as error:
        state["upload_error"] = (upload.name, error)
        return
    state.pop("upload_error", None)
    load_scenario_into_controls(scenario)


def scenario_json(scenario: Scenario) -> str:
    """The scenario file a user downloads: readable JSON that ``parse_scenario_json`` reads back."""
    return json.dumps(scenario.to_dict(), ensure_ascii=False, indent=2)


def file_name(scenario: Scenario, extension: str) -> str:
    """A safe download name from the scenario's name: letters, digits and dashes."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in scenario.name).strip("-").lower()
    return f"{'-'.join(filter(None, stem.split('-')))[:60] or 'scenario'}.{extension}"


def report_buttons(
    lang: str, scenarios: list[Scenario], summaries: list[Summary] | None = None, key: str = "report"
) -> None:
    """Download the report of these scenarios as HTML, and as PDF where Chromium is installed.

    The report is built only when a button is pressed (a callable ``data``), never on a rerun.
    """
    stem = file_name(scenarios[0], "") if len(scenarios) == 1 else "comparison."

    def page() -> str:
        return build_report(scenarios, lang=lang, summaries=summaries)

    html_col, pdf_col = st.columns(2)
    html_col.download_button(
        text("share.report_html", lang),
        data=page,
        file_name=f"{stem}html",
        mime="text/html",
        on_click="ignore",
        icon=":material/description:",
        key=f"{key}:html",
        help=text("share.report_help", lang),
    )
    if find_chromium() is not None:
        pdf_col.download_button(
            text("share.report_pdf", lang),
            data=lambda: html_to_pdf(page()),
            file_name=f"{stem}pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key=f"{key}:pdf",
        )


def share_panel(lang: str, scenario: Scenario) -> None:
    """The link to this view (with a copy button), the scenario as JSON, and loading a file."""
    state = st.session_state
    query = urlencode(link_params(scenario, lang), quote_via=quote)
    link = f"{st.context.url or ''}?{query}" if query else st.context.url or ""
    st.caption(text("share.link", lang))
    st.code(link or "?", language=None, wrap_lines=True)
    st.download_button(
        text("share.download_json", lang),
        data=scenario_json(scenario),
        file_name=file_name(scenario, "json"),
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        key="download_json",
    )
    st.file_uploader(
        text("share.upload", lang),
        type=["json"],
        key=f"upload:{state.get('upload_version', 0)}",
        on_change=_on_upload,
        help=text("share.upload_help", lang, kb=MAX_SCENARIO_BYTES // 1000),
    )
    report_buttons(lang, [scenario], key="report")
    if "upload_error" in state:
        name, error = state["upload_error"]
        where = field_label(error.field, lang) if error.field else name
        # the file's name, its keys and the values quoted in the message are the uploader's text
        shown = {"file": plain(name), "field": plain(where), "message": plain(error_message(error, lang))}
        st.error(text("share.upload_error", lang, **shown))
