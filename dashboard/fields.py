"""Every scenario input the controls edit, declared once.

A :class:`Field` ties a widget (its session-state key, kind and bounds) to the place of its value
in a :class:`~scoring.Scenario` (a dotted path such as ``finance.uncertainty.cost_sd``), to how
the widget shows it (unit, and scale: growth and swings in %, stored as fractions) and to its
words in ``data/i18n.yaml``. Loading a scenario into the controls, reading it back, drawing the
widgets and naming a field in a message all go through :data:`FIELDS`.

Two families sit beside the table: the factor sliders (``f:<factor id>``, one per catalogue
factor, 0–10) and the funding rounds (rows in ``funding_rows``, chance in %). A round counts only
once both its month and its amount are filled in; until then it is kept as typed and left out of
the scenario (:func:`round_status`, :func:`funding_data`).

Streamlit-free: these functions take and return plain mappings; :mod:`dashboard.state` puts
them into the session.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from presentation.formatting import money
from presentation.i18n import strings, text
from scoring import Scenario, ScenarioError, load_catalogue
from scoring.links import Ignored, flat_keys
from scoring.runway import calendar_month, planned_flows
from scoring.scenario import (
    MAX_GROWTH,
    MAX_GROWTH_SD,
    MAX_HORIZON_MONTHS,
    MAX_LEAD_MONTHS,
    MAX_SD,
    MONEY_LIMITS_USD,
    SCHEMA_VERSION,
    FundingRound,
    Valuation,
    money_limit,
    parse_scenario,
)
from scoring.simulate import DEFAULT_FUNDRAISING_LEAD_MONTHS, RaiseAdvice
from scoring.valuation import load_methods

__all__ = [
    "CASH_OPEN",
    "CURRENCIES",
    "FACTOR_PREFIX",
    "FIELDS",
    "FUNDING_COLUMNS",
    "FUNDING_DRAFT",
    "FUNDING_LABEL",
    "FUNDING_ROWS",
    "RAISE_COVERS_MONTHS",
    "Bounds",
    "Field",
    "Section",
    "Unit",
    "Widget",
    "by_path",
    "check_round",
    "error_message",
    "factor_key",
    "field_label",
    "funding_data",
    "funding_rows",
    "ignored_message",
    "ignored_reason",
    "in_section",
    "link_field",
    "round_problem",
    "round_status",
    "round_summary",
    "scenario_data",
    "setting_labels",
    "shown_value",
    "stored_value",
    "suggested_round",
    "widget_values",
]

Section = Literal["scenario", "cash_plan", "uncertainty", "valuation"]  # where the widget is drawn
Widget = Literal["number", "slider", "text", "toggle", "select"]
# "money" widgets name the currency in their label; "percent" ones show fraction × 100
Unit = Literal["money", "percent", "months", "text", "code", "switch"]

CURRENCIES = ("USD", "EUR", "CNY", "GBP", "JPY", "SGD", "HKD", "CHF", "CAD", "INR")
FACTOR_PREFIX = "f:"  # a factor slider's key: f:<factor id>
FUNDING_ROWS = "funding_rows"  # the funding table's rows, kept across page switches
CASH_OPEN = "open:cash"  # True while the sidebar's cash plan is open (closed on a session's first run)
FUNDING_COLUMNS = ("month", "amount", "probability", "label")  # probability in % in the editor
FUNDING_DRAFT = "funding_draft"  # the round being typed in the editor, kept as typed across reruns and pages
# A round is commonly sized to last 18-24 months to the next milestone; the suggestion takes the short end.
RAISE_COVERS_MONTHS = 18
FUNDING_LABEL = "field.funding"


@dataclass(frozen=True)
class Bounds:
    """What a number widget accepts, in the widget's units (a slider of whole months takes ints)."""

    min: float
    max: float
    step: float | None = None
    format: str | None = None


@dataclass(frozen=True)
class Field:
    """One scenario input and the widget that edits it."""

    path: str  # where the value lives in a scenario: "finance.cost_growth"
    key: str  # the widget's session-state key: "fin:cost_growth_pct"
    section: Section
    widget: Widget
    unit: Unit
    label: str  # i18n key of the widget's label (and of the field in messages)
    help: str | None = None  # i18n key of the widget's help
    cast: Callable[[Any], Any] = float  # a widget value as the scenario's type (before the scale)
    scale: int = 1  # widget value = scenario value × scale
    bounds: Bounds | None = None
    default: Any = None  # shown when the scenario leaves the field unset; a callable is called
    zero_is_unset: bool = False  # 0 also shows the default (the widget cannot show 0)
    # Fields whose group (the path's parent) is left out of the scenario when each is at its
    # default, so links and files stay short.
    omit_at_default: bool = False
    half: bool = False  # drawn two to a row
    choices: tuple[str, ...] = ()  # a select widget's options (the current value comes first)
    placeholder: str | None = None
    max_chars: int | None = None

    @property
    def link_key(self) -> str:
        """The field's flat key in links and Compare variants (:mod:`scoring.links`)."""
        return self.path.rsplit(".", 1)[-1]

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def shown(self, scenario: Scenario) -> Any:
        """The field's value in ``scenario`` as its widget holds it."""
        value = _get(scenario, self.path)
        if value is None or (self.zero_is_unset and not value):
            value = self.default_value()
        return _scaled(value, self.scale) if self.scale != 1 else value

    def stored(self, values: Mapping[str, Any]) -> Any:
        """The widget's value (from ``values``, keyed like session state) in the scenario's units;
        ``None`` for empty text, which leaves the field to the model's default."""
        if self.cast is str:
            return str(values.get(self.key) or "").strip() or None
        value = self.cast(values[self.key])
        return _scaled(value, 1 / self.scale) if self.scale != 1 else value


def _scaled(value: float, factor: float) -> float:
    """``value`` times a power of ten as a decimal shift of its shortest digits, so that -0.197
    shows as -19.7 and -19.7 stores as -0.197 (in floats, -19.7 / 100 is -0.19699999999999998)."""
    return float(Decimal(repr(float(value))) * Decimal(repr(factor)))


def _money(path: str, key: str, section: Section = "cash_plan", **more: Any) -> Field:
    name = path.rsplit(".", 1)[-1]
    # the limit in US dollars; the widget takes the limit in the scenario's currency (money_limit)
    bounds = more.pop("bounds", Bounds(0.0, MONEY_LIMITS_USD[path], 10_000.0, "%.0f"))
    return Field(path, key, section, "number", "money", f"field.{name}", f"help.{name}", bounds=bounds, **more)


def _percent(path: str, key: str, section: Section, bounds: Bounds, help_key: str, **more: Any) -> Field:
    name = path.rsplit(".", 1)[-1]
    return Field(path, key, section, "number", "percent", f"field.{name}", help_key, scale=100, bounds=bounds, **more)


_GROWTH = Bounds(-99.0, MAX_GROWTH * 100, 0.5, "%.1f")  # the model allows > -100 %; -99 is the widget's floor
_SWING = Bounds(0.0, MAX_SD * 100, 1.0, "%.0f")

# In the order the widgets are drawn. Field(path, key, section, widget, unit, label, help, ...)
FIELDS: tuple[Field, ...] = (
    Field("name", "name", "scenario", "text", "text", "field.name", cast=str, max_chars=120),
    Field("currency", "currency", "scenario", "select", "code", "field.currency", cast=str, choices=CURRENCIES),
    _money("finance.cash", "fin:cash"),
    _money("finance.monthly_costs", "fin:monthly_costs"),
    _money("finance.monthly_revenue", "fin:monthly_revenue"),
    _percent("finance.cost_growth", "fin:cost_growth_pct", "cash_plan", _GROWTH, "help.growth", half=True),
    _percent("finance.revenue_growth", "fin:revenue_growth_pct", "cash_plan", _GROWTH, "help.growth", half=True),
    Field(
        "finance.horizon_months",
        "fin:horizon_months",
        "cash_plan",
        "slider",
        "months",
        "field.horizon_months",
        "help.horizon",
        cast=int,
        bounds=Bounds(1, MAX_HORIZON_MONTHS),
    ),
    Field(
        "settings.start_month",
        "fin:start_month",
        "cash_plan",
        "text",
        "text",
        "field.start_month",
        "help.start_month",
        cast=str,
        default="",
        placeholder="2027-01",
    ),
    _percent("finance.uncertainty.cost_sd", "unc:cost_sd_pct", "uncertainty", _SWING, "help.cost_sd", half=True),
    _percent(
        "finance.uncertainty.revenue_sd", "unc:revenue_sd_pct", "uncertainty", _SWING, "help.revenue_sd", half=True
    ),
    _percent(
        "finance.uncertainty.revenue_growth_sd",
        "unc:revenue_growth_sd_pct",
        "uncertainty",
        Bounds(0.0, MAX_GROWTH_SD * 100, 0.5, "%.1f"),
        "help.revenue_growth_sd",
        half=True,
    ),
    Field(
        "settings.fundraising_lead_months",
        "set:lead_months",
        "uncertainty",
        "number",
        "months",
        "field.fundraising_lead_months",
        "help.fundraising_lead_months",
        bounds=Bounds(0.0, float(MAX_LEAD_MONTHS), 1.0, "%.0f"),
        default=DEFAULT_FUNDRAISING_LEAD_MONTHS,
        half=True,
    ),
    Field(
        "finance.uncertainty.risk_events",
        "unc:risk_events",
        "uncertainty",
        "toggle",
        "switch",
        "field.risk_events",
        "help.risk_events",
        cast=bool,
    ),
    _money(
        "settings.valuation.base_pre_money",
        "set:base_pre_money",
        "valuation",
        bounds=Bounds(1.0, MONEY_LIMITS_USD["settings.valuation.base_pre_money"], 100_000.0, "%.0f"),
        default=lambda: load_methods().default_base_pre_money,
        zero_is_unset=True,
        omit_at_default=True,
        half=True,
    ),
    _money(
        "settings.valuation.step",
        "set:step",
        "valuation",
        bounds=Bounds(0.0, MONEY_LIMITS_USD["settings.valuation.step"], 50_000.0, "%.0f"),
        default=Valuation().step,
        omit_at_default=True,
        half=True,
    ),
)

_BY_PATH = {field.path: field for field in FIELDS}
_BY_LINK_KEY = {field.link_key: field for field in FIELDS}


def by_path(path: str) -> Field:
    """The field at ``path`` in a scenario ("finance.cash"); KeyError for anything else."""
    return _BY_PATH[path]


def in_section(section: Section) -> tuple[Field, ...]:
    return tuple(field for field in FIELDS if field.section == section)


def factor_key(factor_id: str) -> str:
    return f"{FACTOR_PREFIX}{factor_id}"


# --- scenario <-> widget values --------------------------------------------------------------


def _get(source: Any, path: str) -> Any:
    """The value at a dotted path of a scenario (attributes) or a scenario dict (keys); None if unset."""
    for part in path.split("."):
        if source is None:
            return None
        source = source.get(part) if isinstance(source, Mapping) else getattr(source, part)
    return source


def _set(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def funding_rows(funding: Iterable[FundingRound]) -> list[dict]:
    """Funding rounds as the editor's rows (chance in %)."""
    return [{**r.model_dump(include=set(FUNDING_COLUMNS)), "probability": _scaled(r.probability, 100)} for r in funding]


def round_status(row: Mapping) -> Literal["empty", "partial", "complete"]:
    """ "complete" once both month and amount are filled in, "partial" while only some of the
    round is (a chance alone is its default, not typing), "empty" otherwise."""
    no_month, no_amount = _blank(row.get("month")), _blank(row.get("amount"))
    if not (no_month or no_amount):
        return "complete"
    return "empty" if no_month and no_amount and _blank(row.get("label")) else "partial"


def _round_entry(row: Mapping) -> dict:
    """A complete row as a scenario's round (chance in % back to a fraction)."""
    entry = {"month": _whole(row["month"]), "amount": float(row["amount"])}
    if not _blank(row.get("probability")):
        entry["probability"] = _scaled(float(row["probability"]), 1 / 100)
    if not _blank(row.get("label")):
        entry["label"] = str(row["label"])
    return entry


def funding_data(rows: Iterable[Mapping]) -> list[dict]:
    """The complete rows as scenario dicts: a round is validated only once month and amount are
    both there; a half-typed one is left out of the scenario (and kept in the rows) until then."""
    return [_round_entry(row) for row in rows if round_status(row) == "complete"]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def _whole(value: object) -> object:
    """Editor numbers arrive as floats; a whole float is a month, anything else stays as typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def check_round(row: Mapping, scenario: Scenario) -> ScenarioError | None:
    """Why a complete row cannot be a round of ``scenario`` (its horizon and currency), if it cannot."""
    finance = {"cash": 0.0, "monthly_costs": 0.0, "monthly_revenue": 0.0, "funding": [_round_entry(row)]}
    finance["horizon_months"] = scenario.finance.horizon_months
    try:
        parse_scenario({"currency": scenario.currency, "finance": finance})
    except ScenarioError as error:
        return error
    return None


def round_problem(error: ScenarioError, lang: str) -> str:
    """A round's validation error in the editor's words, naming the field as the form labels it."""
    column = error.field.rsplit(".", 1)[-1]
    if error.kind == "funding_after_horizon":
        return text("funding.after_horizon", lang, **error.context)
    if column == "probability":  # the model holds a fraction, the form a percentage
        return text("funding.chance_range", lang)
    label = text(f"field.{column}", lang) if column in FUNDING_COLUMNS else field_label(error.field, lang)
    return text("funding.invalid", lang, field=label, message=error_message(error, lang))


def round_summary(row: Mapping, currency: str, start_month: str | None, lang: str) -> str:
    """One round in a line: "Month 14 · 3M USD · 60 % · Series A" (a calendar month when the plan
    has a start month); "—" for what is not filled in yet."""
    month, amount, chance = row.get("month"), row.get("amount"), row.get("probability")
    if _blank(month):
        when = "—"
    elif start_month and isinstance(_whole(month), int) and _whole(month) >= 1:
        when = calendar_month(start_month, _whole(month))
    else:
        when = text("funding.month_n", lang, month=f"{float(month):g}")
    parts = [when, "—" if _blank(amount) else money(float(amount), currency)]
    parts.append(text("funding.chance", lang, pct=f"{100.0 if _blank(chance) else float(chance):.0f}"))
    if not _blank(row.get("label")):
        parts.append(str(row["label"]))
    return " · ".join(parts)


def suggested_round(scenario: Scenario, advice: RaiseAdvice) -> dict | None:
    """The round the raise hint asks for, as a row: it lands when a raise started by the hint's
    month closes (start month + the months a raise takes, within the horizon) and holds
    :data:`RAISE_COVERS_MONTHS` months of the planned net burn from then, rounded up to two
    significant figures. None when the hint forces no raise or nothing burns cash after it.

    A flat 50k burn with a 6-month raise started by month 7 lands in month 13 with 18 x 50k = 900k.
    """
    if advice.start_by_month is None:
        return None
    finance = scenario.finance
    month = min(advice.start_by_month + math.ceil(advice.lead_months), finance.horizon_months)
    revenue, costs = planned_flows(finance, month - 1 + RAISE_COVERS_MONTHS)
    burn = float(
        sum(max(cost - income, 0.0) for cost, income in zip(costs[month - 1 :], revenue[month - 1 :], strict=True))
    )
    if burn <= 0:
        return None
    step = 10.0 ** (math.floor(math.log10(burn)) - 1)
    amount = min(math.ceil(round(burn / step, 9)) * step, money_limit("finance.funding.amount", scenario.currency))
    return {"month": month, "amount": float(amount), "probability": 100.0, "label": None}


def widget_values(scenario: Scenario) -> dict[str, Any]:
    """Every control's value for ``scenario``, by session-state key: the table's fields, the
    factor sliders and the funding rows."""
    values = {field.key: field.shown(scenario) for field in FIELDS}
    values |= {factor_key(factor_id): value for factor_id, value in scenario.factors.items()}
    values[FUNDING_ROWS] = funding_rows(scenario.finance.funding)
    return values


def scenario_data(values: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario dict (for :func:`~scoring.parse_scenario`) that the controls' ``values`` describe."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "factors": {factor_id: float(values[factor_key(factor_id)]) for factor_id in load_catalogue().factors},
        "finance": {"funding": funding_data(values[FUNDING_ROWS])},
    }
    for field in FIELDS:
        value = field.stored(values)
        if value is not None:
            _set(data, field.path, value)
    groups: dict[str, list[Field]] = {}
    for field in FIELDS:
        if field.omit_at_default:
            groups.setdefault(field.path.rsplit(".", 1)[0], []).append(field)
    for group, members in groups.items():
        if all(_get(data, field.path) == field.default_value() for field in members):
            *parents, last = group.split(".")
            parent = data
            for part in parents:
                parent = parent[part]
            del parent[last]
    return data


# --- the fields in words -----------------------------------------------------------------------


def link_field(key: str) -> str:
    """A flat key of a link or a variant (:mod:`scoring.links`) as a scenario field path."""
    return f"factors.{key}" if key in load_catalogue().factors else key


def field_label(field: str, lang: str) -> str:
    """A field path (or a link's flat key) in the words of the control that holds it."""
    catalogue = load_catalogue()
    if field.startswith("factors.") and field[len("factors.") :] in catalogue.factors:
        return catalogue.factors[field[len("factors.") :]].name.get(lang)
    if field.startswith("finance.funding["):
        index = int(field[len("finance.funding[") : field.index("]")])
        column = field.rsplit(".", 1)[-1] if field.endswith(FUNDING_COLUMNS) else ""
        label = text("field.funding_row", lang, row=index + 1)
        return f"{label}{text('field.separator', lang)}{text('field.' + column, lang)}" if column else label
    entry = _BY_PATH.get(field) or _BY_LINK_KEY.get(field)
    if entry is not None:
        return text(entry.label, lang)
    key = "field." + field.rsplit(".", 1)[-1]  # a field no widget holds: "schema_version", "finance.funding"
    return text(key, lang) if key in strings() else field


def setting_labels(lang: str) -> dict[str, str]:
    """Every flat setting a link or a variant may change (:mod:`scoring.links`), by its label."""
    return {key: field_label(link_field(key), lang) for key in flat_keys()}


# The start of json's reasons (Python 3.11-3.13) -> their words in data/i18n.yaml; any other is "json.other"
_JSON_REASONS = {
    "Expecting value": "json.value",
    "Expecting property name": "json.property_name",
    "Expecting ':'": "json.colon",
    "Expecting ','": "json.comma",
    "Unterminated string": "json.unterminated",
    "Invalid control character": "json.control_character",
    "Invalid \\": "json.escape",
    "Extra data": "json.extra_data",
    "Illegal trailing comma": "json.trailing_comma",
}
_JSON_TYPES = {"list": "array", "str": "string", "int": "number", "float": "number", "bool": "boolean"}


def _message_context(error: ScenarioError, lang: str) -> dict[str, Any]:
    """The error's context as its message shows it: limits as short numbers, and the model's English
    words (a JSON reason, a factor id hint, a field name in the advice) in the interface's words."""
    context = {name: f"{value:g}" if isinstance(value, float) else value for name, value in error.context.items()}
    if error.kind == "not_json":
        reason = str(context.get("reason"))
        found = [key for start, key in _JSON_REASONS.items() if reason.startswith(start)]
        context["reason"] = text(found[0] if found else "json.other", lang)
    elif error.kind == "not_object":
        context["type"] = _JSON_TYPES.get(str(context.get("type")), "null")
    elif error.kind == "funding_after_horizon":
        context["setting"] = field_label("finance.horizon_months", lang)
    elif error.kind == "unknown_factor":
        factors = load_catalogue().factors
        close = difflib.get_close_matches(str(context.get("id", "")).strip("'"), list(factors), n=1)
        hint = {"id": repr(close[0]), "name": factors[close[0]].name.get(lang)} if close else None
        context["hint"] = text("invalid.unknown_factor_hint", lang, **hint) if hint else ""
    return context


def error_message(error: ScenarioError, lang: str) -> str:
    """The validation message in the interface language, naming fields as the controls do (the
    model's English words only for a kind ``data/i18n.yaml`` does not word)."""
    key = f"invalid.{error.kind}"
    if key not in strings():
        return error.message
    try:
        return text(key, lang, **_message_context(error, lang))
    except (KeyError, IndexError, ValueError):  # a context without the expected values: the model's words
        return error.message


def ignored_reason(item: Ignored, lang: str) -> str:
    """Why a change a link, a variant or a pitch file held could not be used, in the interface
    language ("is not a number ('lots')"), naming any other field as its control is labelled."""
    if item.kind in {"invalid", "clash"} and item.error is not None:
        reason = error_message(item.error, lang)
        if item.kind == "clash":
            reason = text("link.clash", lang, field=field_label(item.error.field, lang), message=reason)
        return reason
    return text(f"link.{item.kind}", lang, **item.context)


def ignored_message(item: Ignored, lang: str, label: str | None = None) -> str:
    """A change that could not be used, in a line: the setting as its control is labelled (or
    ``label``), and why (:func:`ignored_reason`): "Competition (is not a number ('lots'))"."""
    field = field_label(link_field(item.key), lang) if label is None else label
    return text("link.item", lang, field=field, reason=ignored_reason(item, lang))


def shown_value(key: str, value: str) -> str:
    """A flat setting's text (:mod:`scoring.links`) in its widget's units: growth and swings in %."""
    field = _BY_LINK_KEY.get(key)
    if field is not None and field.scale != 1 and value:
        try:
            return f"{float(value) * field.scale:.10g}"
        except ValueError:
            return value
    return value


def stored_value(key: str, value: str) -> str:
    """The inverse of :func:`shown_value`; text that is not a number is kept for the warning."""
    field = _BY_LINK_KEY.get(key)
    if field is not None and field.scale != 1 and value.strip():
        try:
            return f"{float(value) / field.scale:.10g}"
        except ValueError:
            return value
    return value.strip()
