"""The scenario sidebar: preset, factor sliders, cash plan, funding rounds and uncertainty.

A page reads the scenario first (:func:`scenario_from_controls`) and draws the sidebar last
(:func:`draw_sidebar`), so its charts reach the browser before the unchanged controls do. Every
control is re-sent and re-drawn on each rerun, so the sidebar shows one factor group's sliders at
a time and keeps rarely used settings in expanders that render only while open.
Each widget of the field table (:mod:`dashboard.fields`) is drawn by :func:`draw_fields`,
the Investor page's valuation inputs too.

The funding rounds show in the sidebar as one readable line each; they are edited in a dialog
whose form keeps what is typed (the draft) in session state, so that Enter, a rerun or a page
switch loses nothing, and a round is validated only once its month and amount are both there.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.compute import simulate_scenario
from dashboard.fields import (
    CASH_OPEN,
    FUNDING_COLUMNS,
    FUNDING_DRAFT,
    FUNDING_LABEL,
    FUNDING_ROWS,
    RAISE_COVERS_MONTHS,
    Field,
    Section,
    by_path,
    check_round,
    error_message,
    factor_key,
    field_label,
    in_section,
    round_problem,
    round_status,
    round_summary,
    suggested_round,
)
from dashboard.share import share_panel
from dashboard.state import (
    PRESET,
    ScenarioInput,
    load_preset_into_state,
    preset_scenario,
    read_scenario,
    reclaim_widget_values,
)
from dashboard.url_state import open_link, sync_address_bar, warn_about_link
from presentation.formatting import cash_plan_line, money, plain
from presentation.i18n import text
from scoring import Scenario, load_catalogue
from scoring.presets import preset_info
from scoring.runway import calendar_month
from scoring.scenario import money_limit
from scoring.simulate import raise_advice

__all__ = ["draw_fields", "draw_sidebar", "scenario_from_controls"]

FACTOR_GROUP = "factor_group"  # the group whose sliders the sidebar shows
MOVED_MARK = " •"  # after a group's name: one of its factors differs from the start preset


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
        top = bounds.max
        if field.unit == "money":  # the limit in this currency; a value above it (the currency just
            # changed) stays in the widget, and the scenario's message names the field and the limit
            top = max(money_limit(field.path, currency), st.session_state.get(field.key) or 0.0)
        limits = {"min_value": bounds.min, "max_value": top, "step": bounds.step, "format": bounds.format}
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
        row = st.container(horizontal=True, vertical_alignment="bottom")  # one element, where columns are three
        for field in pending:
            draw_field(field, lang, currency, row)
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


def _factor_group(lang: str, scenario: Scenario) -> None:
    """One factor group's sliders at a time, picked from a row of pills; a group with a factor
    away from the start preset carries a dot. The hidden sliders keep their values (persisted),
    and a page draws five or six sliders where it drew sixteen plus three expanders: every element
    is re-sent and re-drawn on every move (benchmarks/README.md, latency)."""
    catalogue = load_catalogue()
    start = preset_scenario(st.session_state["baseline_preset"]).factors
    moved = {factor_id.split(".")[0] for factor_id, value in scenario.factors.items() if value != start[factor_id]}
    group = st.pills(
        text("sidebar.factors", lang),
        list(catalogue.groups),
        required=True,
        default=next(iter(catalogue.groups)),
        format_func=lambda g: catalogue.groups[g].name.get(lang) + (MOVED_MARK if g in moved else ""),
        key=FACTOR_GROUP,
        help=text("sidebar.factors_help", lang),
        persist_state="session",
    )
    for factor_id in catalogue.factors:
        if factor_id.split(".")[0] == group:
            _factor_slider(factor_id, lang)


# --- the funding rounds: a readable summary, and a dialog that edits them ----------------------

FUNDING_DIALOG = "funding_dialog"  # True while the rounds' dialog is open (it reopens on a full rerun)
_INPUTS = {column: f"funding:{column}" for column in FUNDING_COLUMNS}  # the form's widget keys
# "index": the round the draft edits (None: a new round); "origin": that round as it was when editing began
_BLANK = {"month": None, "amount": None, "probability": 100.0, "label": "", "index": None, "origin": None}


def _draft() -> dict:
    """The round being typed: its four fields and ``index``, the round it edits (None: a new one)."""
    state = st.session_state
    if FUNDING_DRAFT not in state:
        state[FUNDING_DRAFT] = dict(_BLANK)
    return state[FUNDING_DRAFT]


def _editing(draft: dict, rows: list[dict]) -> int | None:
    """The saved round the draft edits; None for a new round, or when that round is gone (a preset
    or a file replaced the rounds since): the draft is then saved as a new round."""
    index = draft.get("index")
    if index is None or index >= len(rows) or rows[index] != draft.get("origin"):
        return None
    return index


def _unsaved(draft: dict, rows: list[dict]) -> bool:
    """Whether the form holds typing that no saved round has."""
    index = _editing(draft, rows)
    if index is None:
        return round_status(draft) != "empty"
    return not all(_same(draft.get(c), rows[index].get(c)) for c in FUNDING_COLUMNS)


def _same(a: object, b: object) -> bool:
    empty = (None, "")
    return (a in empty and b in empty) or a == b


def _fill_inputs(draft: dict) -> None:
    for column, key in _INPUTS.items():
        st.session_state[key] = draft.get(column)


def _set_draft(draft: dict) -> None:
    st.session_state[FUNDING_DRAFT] = draft
    _fill_inputs(draft)


def _open_rounds(new: bool = False) -> None:
    """Open the dialog; ``new``: on a new round (unless the form holds typing, which is kept)."""
    draft = _draft()
    if (
        new
        and _editing(draft, st.session_state[FUNDING_ROWS]) is not None
        and not _unsaved(draft, st.session_state[FUNDING_ROWS])
    ):
        _set_draft(dict(_BLANK))
    else:
        _fill_inputs(draft)
    st.session_state[FUNDING_DIALOG] = True


def _close_rounds() -> None:
    st.session_state[FUNDING_DIALOG] = False  # the draft stays, and the sidebar says so


def _keep(column: str) -> None:
    """A form field's value into the draft, as typed, the moment the browser sends it."""
    value = st.session_state[_INPUTS[column]]
    _draft()[column] = "" if column == "label" and value is None else value


def _edit_round(index: int) -> None:
    row = st.session_state[FUNDING_ROWS][index]
    _set_draft({**_BLANK, **row, "index": index, "origin": dict(row)})


def _delete_round(index: int) -> None:
    state = st.session_state
    state[FUNDING_ROWS] = [row for position, row in enumerate(state[FUNDING_ROWS]) if position != index]
    editing = _draft().get("index")
    if editing == index:
        _set_draft(dict(_BLANK))
    elif editing is not None and editing > index:
        _draft()["index"] = editing - 1  # the same round, one place up


def _use_suggestion(row: dict) -> None:
    _set_draft({**_BLANK, **row, "label": ""})


def _clear_form() -> None:
    _set_draft(dict(_BLANK))


def _save_round(scenario: Scenario) -> bool:
    """Save a complete, valid draft into the rounds; False (and the draft kept) otherwise."""
    state = st.session_state
    draft = _draft()
    if round_status(draft) != "complete" or check_round(draft, scenario) is not None:
        return False
    rows = list(state[FUNDING_ROWS])
    row = {column: draft.get(column) for column in FUNDING_COLUMNS}
    row["label"] = str(row["label"] or "").strip() or None
    index = _editing(draft, rows)
    if index is not None:
        rows[index] = row
    else:
        rows.append(row)
    state[FUNDING_ROWS] = rows
    state[FUNDING_DRAFT] = dict(_BLANK)
    state[FUNDING_DIALOG] = False
    return True


def _missing(draft: dict, lang: str) -> str:
    names = [text(f"field.{column}", lang).lower() for column in ("month", "amount") if draft.get(column) is None]
    return text("funding.and", lang).join(names)


def _suggestion(scenario: Scenario, lang: str) -> None:
    """The raise hint's round (when to raise and how much), and a button that fills the form with it."""
    advice = raise_advice(simulate_scenario(scenario), scenario.settings.fundraising_lead_months)
    row = suggested_round(scenario, advice)
    if row is None:
        st.caption(text("funding.no_suggestion", lang))
        return
    start = scenario.settings.start_month

    def when(month: int) -> str:
        return calendar_month(start, month) if start else text("sim.month_when", lang, month=month)

    st.info(
        text(
            "funding.suggest",
            lang,
            when=when(advice.start_by_month),
            lead=f"{advice.lead_months:g}",
            lands=when(row["month"]),
            amount=money(row["amount"], scenario.currency),
            covers=RAISE_COVERS_MONTHS,
        ),
        icon=":material/lightbulb:",
    )
    busy = _unsaved(_draft(), st.session_state[FUNDING_ROWS])  # never overwrite what is typed
    st.button(
        text("funding.use_suggestion", lang),
        key="funding:suggest",
        icon=":material/add:",
        on_click=_use_suggestion,
        args=(row,),
        disabled=busy,
        help=text("funding.suggest_busy", lang) if busy else None,
    )


def _rounds_dialog(lang: str, scenario: Scenario) -> None:
    """The dialog's body: the saved rounds (edit, delete), then the form of one round."""
    state = st.session_state
    rows = state[FUNDING_ROWS]
    draft = _draft()
    currency, start = scenario.currency, scenario.settings.start_month
    busy = _unsaved(draft, rows)
    for index, row in enumerate(rows):
        line, edit, delete = st.columns([5, 1.4, 1.6], vertical_alignment="center")
        line.text(f"{index + 1}. {round_summary(row, currency, start, lang)}")  # a label is text, never markup
        edit.button(
            text("funding.edit_round", lang),
            key=f"funding:edit:{index}",
            help=text("funding.edit_round_help", lang, row=index + 1),
            on_click=_edit_round,
            args=(index,),
            disabled=busy or _editing(draft, rows) == index,
        )
        delete.button(
            text("funding.delete", lang),
            key=f"funding:delete:{index}",
            help=text("funding.delete_help", lang, row=index + 1),
            on_click=_delete_round,
            args=(index,),
        )
    if rows:
        st.divider()
    editing = _editing(draft, rows)
    if editing is not None:
        st.subheader(text("funding.editing_heading", lang, row=editing + 1))
    else:
        st.subheader(text("funding.new_heading", lang))
        _suggestion(scenario, lang)
    for column, key in _INPUTS.items():
        if key not in state:  # a widget not drawn for a while: its value comes back from the draft
            state[key] = draft.get(column)
    month_cell, amount_cell = st.columns(2)
    month_cell.number_input(
        text("field.month", lang),
        min_value=None,
        value=None,  # the field may be emptied again (the model checks the range, naming the field)
        step=1,
        format="%d",
        key=_INPUTS["month"],
        help=text("funding.month_help", lang),
        on_change=_keep,
        args=("month",),
    )
    if start and isinstance(draft.get("month"), int) and draft["month"] >= 1:
        month_cell.caption(
            text("funding.month_is", lang, month=draft["month"], when=calendar_month(start, draft["month"]))
        )
    amount_cell.number_input(
        f"{text('field.amount', lang)} ({currency})",
        min_value=None,
        value=None,  # the field may be emptied again (the model checks the range, naming the field)
        step=100_000.0,
        format="%.0f",
        key=_INPUTS["amount"],
        on_change=_keep,
        args=("amount",),
    )
    chance_cell, label_cell = st.columns(2)
    chance_cell.number_input(
        text("field.probability", lang),
        min_value=None,
        value=None,  # the field may be emptied again (the model checks the range, naming the field)
        step=5.0,
        format="%.0f",
        key=_INPUTS["probability"],
        help=text("help.probability", lang),
        on_change=_keep,
        args=("probability",),
    )
    label_cell.text_input(
        text("field.label", lang), max_chars=80, key=_INPUTS["label"], on_change=_keep, args=("label",)
    )
    status = round_status(draft)
    if status == "partial":
        st.caption(text("funding.partial", lang, missing=_missing(draft, lang)))
    elif status == "complete":
        problem = check_round(draft, scenario)
        if problem is not None:
            st.error(plain(round_problem(problem, lang)), icon=":material/error:")  # may quote the label
    save, clear, done = st.columns(3)
    saved = save.button(text("funding.save", lang), key="funding:save", type="primary", icon=":material/check:")
    if saved and _save_round(scenario):
        st.rerun()  # the whole page: the charts take the new round
    clear.button(text("funding.clear", lang), key="funding:clear", on_click=_clear_form)
    if done.button(text("funding.done", lang), key="funding:done"):
        _close_rounds()
        st.rerun()


def _funding_summary(lang: str, scenario: Scenario) -> None:
    """The rounds in the sidebar, one line each, and the buttons that open the dialog."""
    state = st.session_state
    rows = state[FUNDING_ROWS]
    st.markdown(f"**{text(FUNDING_LABEL, lang)}**", help=text("funding.help", lang))
    currency, start = scenario.currency, scenario.settings.start_month
    for index, row in enumerate(rows):
        st.text(f"{index + 1}. {round_summary(row, currency, start, lang)}")  # a label is text, never markup
        if round_status(row) != "complete":  # a half row (set by code, not by the form): kept, not counted
            st.caption(text("funding.partial", lang, missing=_missing(row, lang)))
    if not rows:
        st.caption(text("funding.none", lang))
    draft = _draft()
    if _unsaved(draft, rows):
        st.text(text("funding.draft_line", lang, summary=round_summary(draft, currency, start, lang)))
    if rows or _unsaved(draft, rows):  # one full-width button a line: the sidebar is narrow
        st.button(
            text("funding.edit", lang),
            key="funding:open",
            icon=":material/edit:",
            on_click=_open_rounds,
            width="stretch",
        )
    st.button(
        text("funding.add", lang),
        key="funding:add",
        icon=":material/add:",
        on_click=_open_rounds,
        kwargs={"new": True},
        width="stretch",
    )


def _draw_rounds_dialog(lang: str, scenario: Scenario) -> None:
    if st.session_state.get(FUNDING_DIALOG):
        dialog = st.dialog(text(FUNDING_LABEL, lang), width="medium", on_dismiss=_close_rounds)
        dialog(_rounds_dialog)(lang, scenario)


def _section(label: str, key: str, **more: Any) -> Any:
    """A sidebar expander that renders its contents only while open, and stays as the user left it
    from page to page: a widget's state belongs to its page, so a page switch would close it (or
    open it) again; the choice is kept under a key of its own (``kept:`` + ``key``)."""
    kept = "kept:" + key

    def remember() -> None:
        st.session_state[kept] = st.session_state[key]

    return st.expander(label, expanded=st.session_state.get(kept, False), key=key, on_change=remember, **more)


def _on_preset_change(lang: str) -> None:
    load_preset_into_state(st.session_state[PRESET], lang)
    st.session_state.pop("pinned", None)


def draw_sidebar(lang: str, current: ScenarioInput) -> None:
    """Draw the controls in the sidebar; call at the end of the page.

    One factor group's sliders at a time (the pills above them pick the group); sharing (link,
    JSON, report), the cash plan and the uncertainty settings sit in expanders that render their
    contents only while open. Hidden controls keep their values.
    """
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
        share = _section(text("share.title", lang), "open:share", icon=":material/share:")
        if share.open:
            with share:
                share_panel(lang, current.scenario)
        if current.error is not None:
            field = field_label(current.error.field, lang)
            message = plain(error_message(current.error, lang))  # may quote what was typed
            st.error(text("error.inline", lang, field=plain(field), message=message))
        _factor_group(lang, current.scenario)
        # folded by default, and the line under it says what the plan holds: open, its eleven controls
        # are drawn again on every slider move, a fifth of a move's time (benchmarks/README.md, latency)
        cash = _section(text("sidebar.cash_plan", lang), CASH_OPEN)
        if cash.open:
            with cash:
                currency = st.session_state[by_path("currency").key]
                draw_fields("cash_plan", lang, currency)
                _funding_summary(lang, current.scenario)
        else:
            line = cash_plan_line(current.scenario, lang)
            if _unsaved(_draft(), st.session_state[FUNDING_ROWS]):
                line += " · " + text("sidebar.round_unsaved", lang)
            st.caption(line)
        spread = _section(text("field.uncertainty", lang), "open:uncertainty")
        if spread.open:
            with spread:
                draw_fields("uncertainty", lang)
    _draw_rounds_dialog(lang, current.scenario)
