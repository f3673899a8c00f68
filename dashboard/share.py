"""Share · save · load: the link to this view, the scenario as a JSON file (down and up), and the
report (HTML, and PDF where Chromium is installed)."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import streamlit as st

from dashboard.state import load_scenario_into_controls
from dashboard.url_state import document_error, link_params, open_pitch
from presentation.formatting import plain
from presentation.i18n import text
from reports import build_deck, build_report, find_chromium, html_to_pdf
from scoring import Scenario, ScenarioError
from scoring.compare import Summary
from scoring.pitch import Pitch, read_document
from scoring.scenario import MAX_SCENARIO_BYTES

__all__ = ["deck_button", "file_name", "report_buttons", "scenario_json", "share_panel"]


def _on_upload() -> None:
    """Read an uploaded scenario file into the controls (a pitch file: its base, and its variants
    into Compare, which opens), or say why it cannot be used."""
    state = st.session_state
    upload = state.get(f"upload:{state.get('upload_version', 0)}")
    if upload is None:
        return
    state["upload_version"] = state.get("upload_version", 0) + 1  # a fresh, empty uploader
    try:  # every limit (size first, nesting, numbers, lengths) is checked before the file is parsed
        document = read_document(upload.getvalue(), upload.name)
    except ScenarioError as error:
        state["upload_error"] = (upload.name, error)
        return
    state.pop("upload_error", None)
    if isinstance(document, Pitch):
        open_pitch(document)
    else:
        load_scenario_into_controls(document)


UPLOADER_BOX = "share_upload"  # the uploader's container: its class is st-key-share_upload


def _css_string(words: str) -> str:
    return '"' + words.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def uploader_words(lang: str, box: str) -> str:
    """A style that words the uploader in container ``box`` in ``lang``: Streamlit draws its button
    ("Upload"), its limit ("1MB per file • JSON") and its drop hint in English only and has no option
    for them, so each is hidden (``display: none``, out of the accessibility tree too) and our words
    from data/i18n.yaml take its place as generated content. Should Streamlit rename these parts,
    its own words show again; nothing breaks."""
    zone = f'.st-key-{box} [data-testid="stFileUploaderDropzone"]'
    words = {
        "button": _css_string(text("share.upload_button", lang)),
        "limit": _css_string(text("share.upload_limit", lang, mb=f"{MAX_SCENARIO_BYTES / 1e6:g}")),
        "drop": _css_string(text("share.upload_drop", lang)),
    }
    return f"""<style>
{zone} button [data-testid="stMarkdownContainer"] p {{ display: none; }}
{zone} button [data-testid="stMarkdownContainer"]::after {{ content: {words["button"]}; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] > div > span {{ display: none; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: {words["limit"]}; font-size: 0.875rem; opacity: 0.7; }}
{zone} > div:not([data-testid]) > span {{ display: none; }}
{zone} > div:not([data-testid])::after {{ content: {words["drop"]}; }}
</style>"""


def scenario_json(scenario: Scenario) -> str:
    """The scenario file a user downloads: readable JSON that ``parse_scenario_json`` reads back."""
    return json.dumps(scenario.to_dict(), ensure_ascii=False, indent=2)


def file_name(scenario: Scenario, extension: str) -> str:
    """A safe download name from the scenario's name: letters, digits and dashes."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in scenario.name).strip("-").lower()
    return f"{'-'.join(filter(None, stem.split('-')))[:60] or 'scenario'}.{extension}"


def _stem(scenarios: list[Scenario]) -> str:
    return file_name(scenarios[0], "") if len(scenarios) == 1 else "comparison."


def deck_button(
    lang: str, scenarios: list[Scenario], summaries: list[Summary] | None = None, key: str = "deck"
) -> None:
    """Download these scenarios as a 16:9 slide deck (PDF, one slide per page) where Chromium is
    installed; built only when the button is pressed."""
    if find_chromium() is None:
        return
    st.download_button(
        text("share.deck_pdf", lang),
        data=lambda: html_to_pdf(build_deck(scenarios, lang=lang, summaries=summaries)),
        file_name=f"{_stem(scenarios)[:-1]}-deck.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/slideshow:",
        key=f"{key}:deck",
        help=text("share.deck_help", lang),
    )


def report_buttons(
    lang: str, scenarios: list[Scenario], summaries: list[Summary] | None = None, key: str = "report"
) -> None:
    """Download the report of these scenarios as HTML, and as PDF and a slide deck where Chromium
    is installed: whole labels side by side, each on a row of its own where the room is narrow
    (the sidebar).

    The report is built only when a button is pressed (a callable ``data``), never on a rerun.
    """
    stem = _stem(scenarios)

    def page() -> str:
        return build_report(scenarios, lang=lang, summaries=summaries)

    row = st.container(horizontal=True, gap="small")
    row.download_button(
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
        row.download_button(
            text("share.report_pdf", lang),
            data=lambda: html_to_pdf(page()),
            file_name=f"{stem}pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key=f"{key}:pdf",
        )
        row.download_button(
            text("share.summary_pdf", lang),
            data=lambda: html_to_pdf(build_report(scenarios, lang=lang, summaries=summaries, layout="summary")),
            file_name=f"{stem[:-1]}-summary.pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/summarize:",
            key=f"{key}:summary",
            help=text("share.summary_help", lang),
        )
    with row:
        deck_button(lang, scenarios, summaries, key=key)


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
    if state.get("page") == "compare" and state.get("pitch"):  # Compare with variants: the comparison as a file
        st.download_button(
            text("share.download_pitch", lang),
            data=state["pitch"],
            file_name="pitch.json",
            mime="application/json",
            icon=":material/download:",
            on_click="ignore",
            key="download_pitch",
            help=text("share.pitch_help", lang),
        )
    st.html(uploader_words(lang, UPLOADER_BOX))
    st.container(key=UPLOADER_BOX).file_uploader(
        text("share.upload", lang),
        type=["json"],
        key=f"upload:{state.get('upload_version', 0)}",
        on_change=_on_upload,
        help=text("share.upload_help", lang, kb=MAX_SCENARIO_BYTES // 1000),
    )
    report_buttons(lang, [scenario], key="report")
    if "upload_error" in state:
        name, error = state["upload_error"]
        where, message = document_error(error, lang)
        # the file's name, its keys and the values quoted in the message are the uploader's text
        shown = {"file": plain(name), "field": plain(where or name), "message": plain(message)}
        st.error(text("share.upload_error", lang, **shown))
