"""The scenario sidebar: preset, factor sliders, cash plan, funding rounds and uncertainty.

A page reads the scenario first (:func:`scenario_from_controls`) and draws the sidebar last
(:func:`draw_sidebar`), so its charts reach the browser before the ~50 unchanged controls do.
Each widget of the field table (:mod:`dashboard.fields`) is drawn by :func:`draw_fields`,
the Investor page's valuation inputs too.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.fields import (
    FUNDING_COLUMNS,
    FUNDING_LABEL,
    FUNDING_ROWS,
    Field,
    Section,
    by_path,
    error_message,
    factor_key,
    field_label,
    in_section,
)
from dashboard.share import share_panel
from dashboard.state import (
    PRESET,
    ScenarioInput,
    fold_edits,
    load_preset_into_state,
    read_scenario,
    reclaim_widget_values,
)
from dashboard.url_state import open_link, sync_address_bar, warn_about_link
from presentation.i18n import text
from scoring import load_catalogue
from scoring.presets import preset_info

__all__ = ["draw_fields", "draw_sidebar", "scenario_from_controls"]

FIRST_GROUPS = ("market", "technical", "funding")  # shown open; the rest in expanders
MORE_GROUPS = ("legal", "talent", "opportunity")


def scenario_from_controls() -> ScenarioInput:
    """The scenario the controls describe (the link's, or a preset's, on a session's first run).

    Every run writes the scenario back to the address bar, so the URL always reopens this view.
    Pages read it first and call :func:`draw_sidebar` last.
    """
    open_link()
    reclaim_widget_values()
    lang = st.session_state.get("lang") or "en"
    warn_about_link(lang)
    current = read_scenario()
    sync_address_bar(current.scenario, lang)
    return current


def draw_field(field: Field, lang: str, currency: str = "", where: Any = None) -> None:
    """One field's widget (in ``where``, a column or container; the current one by default)."""
    where = where or st
    label = text(field.label, lang)
    if field.unit == "money":
        label = f"{label} ({currency})"
    common = {"key": field.key, "help": text(field.help, lang) if field.help else None, "persist_state": "session"}
    if field.widget in {"number", "slider"}:
        bounds = field.bounds
        limits = {"min_value": bounds.min, "max_value": bounds.max, "step": bounds.step, "format": bounds.format}
        (where.number_input if field.widget == "number" else where.slider)(label, **limits, **common)
    elif field.widget == "text":
        where.text_input(label, placeholder=field.placeholder, max_chars=field.max_chars, **common)
    elif field.widget == "toggle":
        where.toggle(label, **common)
    elif field.widget == "select":
        options = list(dict.fromkeys([st.session_state[field.key], *field.choices]))  # the current value first
        where.selectbox(label, options, **common)
    else:
        raise ValueError(f"no widget of kind {field.widget!r}")


def draw_fields(section: Section, lang: str, currency: str = "") -> None:
    """A section's widgets in the table's order; ``half`` fields two to a row."""
    pending: list[Field] = []

    def pair() -> None:
        for cell, field in zip(st.columns(2), pending, strict=False):
            draw_field(field, lang, currency, cell)
        pending.clear()

    for field in in_section(section):
        if field.half:
            pending.append(field)
            if len(pending) == 2:
                pair()
            continue
        if pending:
            pair()
        draw_field(field, lang, currency)
    if pending:
        pair()


def _factor_slider(factor_id: str, lang: str) -> None:
    factor = load_catalogue().factors[factor_id]
    st.slider(
        factor.name.get(lang),
        min_value=0.0,
        max_value=10.0,
        step=0.5,
        format="%.1f",
        key=factor_key(factor_id),
        help=text("help.factor", lang, low=factor.low.get(lang), high=factor.high.get(lang)),
        persist_state="session",
    )


def _on_funding_edit() -> None:
    """Fold the editor's changes into the funding rows so they survive page switches."""
    state = st.session_state
    edits = state.get(f"funding_editor:{state['funding_version']}", {})
    state[FUNDING_ROWS] = fold_edits(state[FUNDING_ROWS], edits)
    state["funding_version"] += 1


def _funding_editor(lang: str, currency: str) -> None:
    st.markdown(f"**{text(FUNDING_LABEL, lang)}**", help=text("help.funding", lang))
    frame = pd.DataFrame(st.session_state[FUNDING_ROWS], columns=list(FUNDING_COLUMNS))
    st.data_editor(
        frame.astype({"month": "Int64", "amount": "float64", "probability": "float64", "label": "object"}),
        key=f"funding_editor:{st.session_state['funding_version']}",
        num_rows="dynamic",
        hide_index=True,
        on_change=_on_funding_edit,
        column_config={
            "month": st.column_config.NumberColumn(text("field.month", lang), step=1, format="%d"),
            "amount": st.column_config.NumberColumn(f"{text('field.amount', lang)} ({currency})", format="%.0f"),
            "probability": st.column_config.NumberColumn(
                text("field.probability", lang),
                min_value=0,
                max_value=100,
                step=5,
                format="%.0f",
                help=text("help.probability", lang),
            ),
            "label": st.column_config.TextColumn(text("field.label", lang), max_chars=80),
        },
    )


def _on_preset_change(lang: str) -> None:
    load_preset_into_state(st.session_state[PRESET], lang)
    st.session_state.pop("pinned", None)


def draw_sidebar(lang: str, current: ScenarioInput) -> None:
    """Draw the controls in the sidebar; call at the end of the page.

    Sharing (link, JSON, report), the legal, talent and opportunity sliders, the cash plan and
    the uncertainty settings sit in expanders that render their contents only while open
    (their values persist while closed).
    """
    catalogue = load_catalogue()
    info = preset_info()
    with st.sidebar:
        st.selectbox(
            text("sidebar.preset", lang),
            list(info),
            key=PRESET,
            format_func=lambda preset_id: info[preset_id].name.get(lang),
            on_change=_on_preset_change,
            args=(lang,),
            help=text("help.preset", lang),
            persist_state="session",
        )
        draw_fields("scenario", lang)
        share = st.expander(text("share.title", lang), icon=":material/share:", key="open:share", on_change="rerun")
        if share.open:
            with share:
                share_panel(lang, current.scenario)
        if current.error is not None:
            field = field_label(current.error.field, lang)
            st.error(text("error.inline", lang, field=field, message=error_message(current.error, lang)))
        groups = {group: [fid for fid in catalogue.factors if fid.split(".")[0] == group] for group in catalogue.groups}
        for group in FIRST_GROUPS:
            st.subheader(catalogue.groups[group].name.get(lang))
            for factor_id in groups[group]:
                _factor_slider(factor_id, lang)
        for group in MORE_GROUPS:
            section = st.expander(catalogue.groups[group].name.get(lang), key=f"open:{group}", on_change="rerun")
            if section.open:
                with section:
                    for factor_id in groups[group]:
                        _factor_slider(factor_id, lang)
        cash = st.expander(text("sidebar.cash_plan", lang), expanded=True, key="open:cash", on_change="rerun")
        if cash.open:
            with cash:
                currency = st.session_state[by_path("currency").key]
                draw_fields("cash_plan", lang, currency)
                _funding_editor(lang, currency)
        spread = st.expander(text("field.uncertainty", lang), key="open:uncertainty", on_change="rerun")
        if spread.open:
            with spread:
                draw_fields("uncertainty", lang)
