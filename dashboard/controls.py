"""The scenario sidebar: preset, factor sliders, cash plan and funding rounds.

Widget values live in ``st.session_state`` under stable keys (``f:<factor id>``,
``fin:<field>``) and persist across pages. ``read_scenario`` turns them into a validated
:class:`~scoring.Scenario`; when they do not form one, the page keeps showing the last valid
scenario and the message names the field in the user's words.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from dashboard.formatting import shown_value, stored_value
from dashboard.i18n import strings, text
from reports import build_report, find_chromium, html_to_pdf
from scoring import Scenario, ScenarioError, load_catalogue, load_preset, parse_scenario, parse_scenario_json
from scoring.compare import Summary
from scoring.links import Ignored, apply_changes, changes, flat_keys
from scoring.presets import TEMPLATE, preset_info
from scoring.scenario import MAX_AMOUNT, MAX_GROWTH_SD, MAX_LEAD_MONTHS, MAX_SCENARIO_BYTES, MAX_SD, Valuation
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS
from scoring.valuation import load_methods

__all__ = ["ScenarioInput", "draw_sidebar", "error_message", "field_label", "read_scenario", "scenario_from_controls"]

FIRST_GROUPS = ("market", "technical", "funding")  # shown open; the rest in expanders
MORE_GROUPS = ("legal", "talent", "opportunity")
CURRENCIES = ("USD", "EUR", "CNY", "GBP", "JPY", "SGD", "HKD", "CHF", "CAD", "INR")
FUNDING_COLUMNS = ("month", "amount", "probability", "label")  # probability in % in the editor
LINK_ONLY_KEYS = ("lang",)  # link parameters that are not scenario inputs


@dataclass(frozen=True)
class ScenarioInput:
    scenario: Scenario  # what to show: the current scenario, or the last valid one
    error: ScenarioError | None  # why the current inputs were not used, if they were not


@functools.cache
def preset_scenario(preset_id: str) -> Scenario:
    """A preset, read and validated once per process (scenarios are frozen, so sharing is safe)."""
    return load_preset(preset_id)


def _load_into_state(scenario: Scenario, preset_id: str, name: str) -> None:
    """Put a scenario's values into every control; ``preset_id`` is the base of its link."""
    state = st.session_state
    for factor_id, value in scenario.factors.items():
        state[f"f:{factor_id}"] = value
    finance = scenario.finance
    state["fin:cash"] = finance.cash
    state["fin:monthly_costs"] = finance.monthly_costs
    state["fin:monthly_revenue"] = finance.monthly_revenue
    state["fin:cost_growth_pct"] = finance.cost_growth * 100
    state["fin:revenue_growth_pct"] = finance.revenue_growth * 100
    state["fin:horizon_months"] = finance.horizon_months
    state["fin:start_month"] = scenario.settings.start_month or ""
    state["name"] = name
    state["currency"] = scenario.currency
    state["funding_rows"] = [
        {**r.model_dump(include=set(FUNDING_COLUMNS)), "probability": r.probability * 100} for r in finance.funding
    ]
    uncertainty = finance.uncertainty
    state["unc:cost_sd_pct"] = uncertainty.cost_sd * 100
    state["unc:revenue_sd_pct"] = uncertainty.revenue_sd * 100
    state["unc:revenue_growth_sd_pct"] = uncertainty.revenue_growth_sd * 100
    state["unc:risk_events"] = uncertainty.risk_events
    lead = scenario.settings.fundraising_lead_months
    state["set:lead_months"] = DEFAULT_FUNDRAISING_LEAD_MONTHS if lead is None else lead
    valuation = scenario.settings.valuation or Valuation()
    state["set:base_pre_money"] = valuation.base_pre_money or load_methods().default_base_pre_money
    state["set:step"] = valuation.step
    state["funding_version"] = state.get("funding_version", 0) + 1
    state["last_valid"] = scenario
    state["baseline_preset"] = preset_id
    state["preset"] = preset_id


def _load_preset_into_state(preset_id: str, lang: str) -> None:
    _load_into_state(preset_scenario(preset_id), preset_id, preset_info()[preset_id].name.get(lang))


def _ensure_state() -> None:
    """On a session's first run: the scenario in the link, or the neutral template."""
    if "preset" in st.session_state:
        return
    lang = st.session_state.get("lang") or "en"
    params = st.query_params.to_dict()
    preset_id = params.pop("preset", TEMPLATE)
    ignored = []
    if preset_id not in preset_info():
        ignored.append(Ignored("preset", "is not a known preset"))
        preset_id = TEMPLATE
    for key in LINK_ONLY_KEYS:
        params.pop(key, None)
    scenario, more = apply_changes(preset_scenario(preset_id), params)
    name = scenario.name if "name" in params and all(i.key != "name" for i in more) else None
    _load_into_state(scenario, preset_id, name or preset_info()[preset_id].name.get(lang))
    st.session_state["link_ignored"] = ignored + more


def _on_preset_change(lang: str) -> None:
    _load_preset_into_state(st.session_state["preset"], lang)
    st.session_state.pop("pinned", None)


def load_scenario_into_controls(scenario: Scenario) -> None:
    """Show an uploaded or compared scenario in the controls (its link is based on the current preset)."""
    _load_into_state(scenario, st.session_state.get("baseline_preset", TEMPLATE), scenario.name)


def fold_edits(rows: list[dict], edits: dict) -> list[dict]:
    """A data editor's pending edits applied to the rows it was drawn from.

    Tables whose rows must survive page switches keep them in session state and fold the
    editor's edits in from its ``on_change`` callback, then draw a fresh editor.
    """
    rows = [dict(row) for row in rows]
    for index, edit in edits.get("edited_rows", {}).items():
        rows[int(index)].update(edit)
    rows += [dict(row) for row in edits.get("added_rows", [])]
    deleted = set(edits.get("deleted_rows", []))
    return [row for index, row in enumerate(rows) if index not in deleted]


def fold_variant_edits(rows: list[dict], edits: dict, labels: dict[str, str]) -> list[dict]:
    """A Compare variant's change rows after its editor's edits, in the scenario's units.

    The editor shows each setting by its label and growth and swings in % (as the sidebar
    does), so the edits are folded into what it showed and every value is stored back:
    typing 5 for revenue growth stores 0.05.
    """
    shown = [
        {"setting": labels.get(r["setting"], r["setting"]), "value": shown_value(r["setting"], r["value"])}
        for r in rows
    ]
    by_label = {label: key for key, label in labels.items()}
    folded = []
    for row in fold_edits(shown, edits):
        if row.get("setting"):
            key = by_label.get(row["setting"], row["setting"])
            folded.append({"setting": key, "value": stored_value(key, str(row.get("value") or ""))})
    return folded


def _on_funding_edit() -> None:
    """Fold the editor's changes into ``funding_rows`` so they survive page switches."""
    state = st.session_state
    edits = state.get(f"funding_editor:{state['funding_version']}", {})
    state["funding_rows"] = fold_edits(state["funding_rows"], edits)
    state["funding_version"] += 1


def _funding_rounds() -> list[dict]:
    """Rows of the funding table as scenario dicts; blank rows are skipped, bad ones kept for the error."""
    rounds = []
    for row in st.session_state["funding_rows"]:
        month, amount = row.get("month"), row.get("amount")
        if _blank(month) and _blank(amount):
            continue
        entry = {"month": _whole(month), "amount": None if _blank(amount) else float(amount)}
        if not _blank(row.get("probability")):
            entry["probability"] = float(row["probability"]) / 100
        if not _blank(row.get("label")):
            entry["label"] = str(row["label"])
        rounds.append(entry)
    return rounds


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def _whole(value: object) -> object:
    """Editor numbers arrive as floats; a whole float is a month, anything else stays as typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_label(field: str, lang: str) -> str:
    """A validation error's field path in the words of the control that holds it."""
    catalogue = load_catalogue()
    if field.startswith("factors.") and field[len("factors.") :] in catalogue.factors:
        return catalogue.factors[field[len("factors.") :]].name.get(lang)
    if field.startswith("finance.funding["):
        index = int(field[len("finance.funding[") : field.index("]")])
        column = field.rsplit(".", 1)[-1] if field.endswith(("month", "amount", "probability", "label")) else ""
        label = text("field.funding_row", lang, row=index + 1)
        return f"{label}{text('field.separator', lang)}{text('field.' + column, lang)}" if column else label
    key = "field." + field.rsplit(".", 1)[-1]
    return text(key, lang) if key in strings() else field


def error_message(error: ScenarioError, lang: str) -> str:
    """The validation message in the interface language (the model's English words otherwise)."""
    key = f"invalid.{error.kind}"
    if lang != "en" and key in strings():
        try:
            return text(key, lang, **error.context)
        except (KeyError, IndexError):  # a context without the expected limit: keep the model's words
            return error.message
    return error.message


def read_scenario() -> ScenarioInput:
    """The scenario the controls describe, validated; the last valid one if they do not."""
    state = st.session_state
    catalogue = load_catalogue()
    start_month = (state.get("fin:start_month") or "").strip()
    data = {
        "schema_version": 1,
        "currency": state.get("currency", "USD"),
        "factors": {factor_id: float(state[f"f:{factor_id}"]) for factor_id in catalogue.factors},
        "finance": {
            "cash": float(state["fin:cash"]),
            "monthly_costs": float(state["fin:monthly_costs"]),
            "monthly_revenue": float(state["fin:monthly_revenue"]),
            "cost_growth": float(state["fin:cost_growth_pct"]) / 100,
            "revenue_growth": float(state["fin:revenue_growth_pct"]) / 100,
            "funding": _funding_rounds(),
            "horizon_months": int(state["fin:horizon_months"]),
            "uncertainty": {
                "cost_sd": float(state["unc:cost_sd_pct"]) / 100,
                "revenue_sd": float(state["unc:revenue_sd_pct"]) / 100,
                "revenue_growth_sd": float(state["unc:revenue_growth_sd_pct"]) / 100,
                "risk_events": bool(state["unc:risk_events"]),
            },
        },
        "settings": {"fundraising_lead_months": float(state["set:lead_months"])},
    }
    valuation = {"base_pre_money": float(state["set:base_pre_money"]), "step": float(state["set:step"])}
    if valuation != {"base_pre_money": load_methods().default_base_pre_money, "step": Valuation().step}:
        data["settings"]["valuation"] = valuation  # only when set: links and files stay short
    if start_month:
        data["settings"]["start_month"] = start_month
    name = (state.get("name") or "").strip()
    if name:  # an empty name falls back to the model's "Untitled scenario"
        data["name"] = name
    try:
        scenario = parse_scenario(data)
    except ScenarioError as error:
        return ScenarioInput(scenario=state["last_valid"], error=error)
    state["last_valid"] = scenario
    return ScenarioInput(scenario=scenario, error=None)


def _factor_slider(factor_id: str, lang: str) -> None:
    factor = load_catalogue().factors[factor_id]
    st.slider(
        factor.name.get(lang),
        min_value=0.0,
        max_value=10.0,
        step=0.5,
        format="%.1f",
        key=f"f:{factor_id}",
        help=text("help.factor", lang, low=factor.low.get(lang), high=factor.high.get(lang)),
        persist_state="session",
    )


def _cash_plan(lang: str, currency: str) -> None:
    money = {"min_value": 0.0, "max_value": MAX_AMOUNT, "step": 10_000.0, "format": "%.0f", "persist_state": "session"}
    st.number_input(f"{text('field.cash', lang)} ({currency})", key="fin:cash", help=text("help.cash", lang), **money)
    st.number_input(
        f"{text('field.monthly_costs', lang)} ({currency})",
        key="fin:monthly_costs",
        help=text("help.monthly_costs", lang),
        **money,
    )
    st.number_input(
        f"{text('field.monthly_revenue', lang)} ({currency})",
        key="fin:monthly_revenue",
        help=text("help.monthly_revenue", lang),
        **money,
    )
    growth = {"min_value": -99.0, "max_value": 1000.0, "step": 0.5, "format": "%.1f", "persist_state": "session"}
    left, right = st.columns(2)
    left.number_input(
        text("field.cost_growth", lang), key="fin:cost_growth_pct", help=text("help.growth", lang), **growth
    )
    right.number_input(
        text("field.revenue_growth", lang), key="fin:revenue_growth_pct", help=text("help.growth", lang), **growth
    )
    st.slider(
        text("field.horizon_months", lang),
        min_value=1,
        max_value=120,
        key="fin:horizon_months",
        help=text("help.horizon", lang),
        persist_state="session",
    )
    st.text_input(
        text("field.start_month", lang),
        key="fin:start_month",
        placeholder="2027-01",
        help=text("help.start_month", lang),
        persist_state="session",
    )
    st.markdown(f"**{text('field.funding', lang)}**", help=text("help.funding", lang))
    frame = pd.DataFrame(st.session_state["funding_rows"], columns=list(FUNDING_COLUMNS))
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


def _uncertainty(lang: str) -> None:
    """How uncertain the plan is, in % (the scenario holds fractions), and how long a raise takes."""
    spreads = (("cost_sd", MAX_SD, 1.0), ("revenue_sd", MAX_SD, 1.0), ("revenue_growth_sd", MAX_GROWTH_SD, 0.5))
    cells = [*st.columns(2), *st.columns(2)]
    for cell, (field, maximum, step) in zip(cells, spreads, strict=False):
        cell.number_input(
            text(f"field.{field}", lang),
            key=f"unc:{field}_pct",
            min_value=0.0,
            max_value=maximum * 100,
            step=step,
            format="%.0f" if step >= 1 else "%.1f",
            help=text(f"help.{field}", lang),
            persist_state="session",
        )
    cells[3].number_input(
        text("field.fundraising_lead_months", lang),
        key="set:lead_months",
        min_value=0.0,
        max_value=float(MAX_LEAD_MONTHS),
        step=1.0,
        format="%.0f",
        help=text("help.fundraising_lead_months", lang),
        persist_state="session",
    )
    st.toggle(
        text("field.risk_events", lang),
        key="unc:risk_events",
        help=text("help.risk_events", lang),
        persist_state="session",
    )


# Session-state keys of the sidebar's scenario controls (and the Investor page's valuation inputs)
_CONTROL_PREFIXES = ("f:", "fin:", "unc:", "set:")
_CONTROL_KEYS = ("preset", "name", "currency")


def _reclaim_widget_values() -> None:
    """On the first run of a page, hand every control its value again through the state API.

    A value put in session state by code (a preset or a link loaded on the first run) reaches
    the browser only with the page that first draws the widget; after a page switch the browser
    would draw the same widget at its default (sliders at 0, no cash) while the model still
    held the real value, and the next interaction would send those defaults back. Assigning the
    values again marks them as set by the app, so the new page draws them (Streamlit's advice
    for widgets that span pages). Once per page visit, not per rerun.
    """
    state = st.session_state
    page = state.get("page")
    if state.get("controls_page") == page:
        return
    state["controls_page"] = page
    for key in list(state.keys()):
        if key.startswith(_CONTROL_PREFIXES) or key in _CONTROL_KEYS:
            state[key] = state[key]


def _field_of(key: str) -> str:
    """A link key as a scenario field path, to name it in the user's words."""
    return f"factors.{key}" if key in load_catalogue().factors else key


def link_params(scenario: Scenario, lang: str) -> dict[str, str]:
    """The query string that reopens ``scenario``: its preset and only what differs from it."""
    preset_id = st.session_state.get("baseline_preset", TEMPLATE)
    params = {} if preset_id == TEMPLATE else {"preset": preset_id}
    if lang != "en":
        params["lang"] = lang
    params |= changes(preset_scenario(preset_id), scenario)
    if scenario.name in preset_info()[preset_id].name.model_dump().values():
        params.pop("name", None)  # the preset's own name, in either language
    return params


def scenario_from_controls() -> ScenarioInput:
    """The scenario the controls describe (the link's, or a preset's, on a session's first run).

    Every run writes the scenario back to the address bar, so the URL always reopens this view.
    Pages read it first and call :func:`draw_sidebar` last, so the charts reach the browser
    before the ~50 unchanged controls do.
    """
    _ensure_state()
    _reclaim_widget_values()
    lang = st.session_state.get("lang") or "en"
    ignored = st.session_state.pop("link_ignored", None)
    if ignored:
        items = "; ".join(f"{field_label(_field_of(item.key), lang)} ({item.reason})" for item in ignored)
        st.warning(text("share.link_ignored", lang, items=items), icon=":material/link_off:")
    current = read_scenario()
    params = link_params(current.scenario, lang)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return current


def _on_upload() -> None:
    """Read an uploaded scenario file into the controls, or say why it cannot be used."""
    state = st.session_state
    upload = state.get(f"upload:{state.get('upload_version', 0)}")
    if upload is None:
        return
    state["upload_version"] = state.get("upload_version", 0) + 1  # a fresh, empty uploader
    try:
        if upload.size > MAX_SCENARIO_BYTES:
            raise ScenarioError("", f"the file is larger than {MAX_SCENARIO_BYTES // 1000} kB", upload.name)
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


def setting_labels(lang: str) -> dict[str, str]:
    """Every flat setting a link or a variant may change (:mod:`scoring.links`), by its label."""
    factors = load_catalogue().factors
    return {key: factors[key].name.get(lang) if key in factors else text(f"field.{key}", lang) for key in flat_keys()}


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
        st.error(text("share.upload_error", lang, file=name, field=where, message=error_message(error, lang)))


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
            key="preset",
            format_func=lambda preset_id: info[preset_id].name.get(lang),
            on_change=_on_preset_change,
            args=(lang,),
            help=text("help.preset", lang),
            persist_state="session",
        )
        st.text_input(text("field.name", lang), key="name", max_chars=120, persist_state="session")
        currencies = list(dict.fromkeys([st.session_state["currency"], *CURRENCIES]))
        st.selectbox(text("field.currency", lang), currencies, key="currency", persist_state="session")
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
                _cash_plan(lang, st.session_state["currency"])
        spread = st.expander(text("field.uncertainty", lang), key="open:uncertainty", on_change="rerun")
        if spread.open:
            with spread:
                _uncertainty(lang)
