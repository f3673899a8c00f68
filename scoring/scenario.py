"""The ``Scenario`` model: the single source of truth for sliders, files, links and the CLI.

A scenario file is JSON::

    {"schema_version": 1, "name": "Seed-stage copilot", "currency": "USD",
     "factors": {"market.demand": 7, "technical.data_access": 3.5},
     "finance": {"cash": 600000, "monthly_costs": 50000, "monthly_revenue": 0,
                 "funding": [{"month": 9, "amount": 1500000}]},
     "settings": {"start_month": "2026-01"}}

Missing factors are neutral (5). Anything else that is wrong — an unknown factor id, a value
out of range, NaN, a string where a number belongs, a funding round after the horizon —
raises :class:`~scoring.errors.ScenarioError` naming the field; nothing is silently replaced.
A file's text meets the limits of :mod:`scoring.limits` (size, nesting, number and text lengths,
entries) before it is parsed, so no file, however hostile, costs more than milliseconds.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from scoring.catalogue import load_catalogue
from scoring.errors import ScenarioError
from scoring.limits import MAX_SCENARIO_BYTES, decode_json, read_file

__all__ = [
    "MAX_AMOUNT",
    "MAX_SCENARIO_BYTES",
    "MONEY_LIMITS_USD",
    "NEUTRAL",
    "SCHEMA_VERSION",
    "Finance",
    "FundingRound",
    "Scenario",
    "Settings",
    "Uncertainty",
    "Valuation",
    "load_scenario",
    "money_limit",
    "parse_scenario",
    "parse_scenario_json",
]

SCHEMA_VERSION = 1
NEUTRAL = 5.0
MAX_HORIZON_MONTHS = 120
# Upper limits on money [US dollars], far above anything a real AI startup holds, raises, spends
# or is worth, and low enough to catch a typo of a few zeros (a cash of 1e12 once read as a naive
# runway of 16 million months). Cash and a round: the largest private round so far (OpenAI,
# 40 billion, 2025) is under half of 1e11. A month's costs or revenue: the largest AI labs spend
# about 1e9 a month; 1e10 is ten times that. A valuation: no company, listed or private, has been
# worth 1e13 (ten trillion); a rating step is at most a tenth of that.
MONEY_LIMITS_USD = {
    "finance.cash": 1e11,
    "finance.monthly_costs": 1e10,
    "finance.monthly_revenue": 1e10,
    "finance.funding.amount": 1e11,
    "settings.valuation.base_pre_money": 1e13,
    "settings.valuation.step": 1e12,
}
# A currency worth less than a dollar gets a limit as many times higher: its units per dollar
# rounded up to a power of ten (1 USD ~ 150 JPY -> 1000, ~ 88 INR -> 100, ~ 7.1 CNY -> 10), so
# the same real amount meets the same limit give or take ten times. Any other code gets the
# widest factor (1 USD ~ 26,000 VND ~ 16,000 IDR), so no real amount is refused.
_UNITS_PER_USD = {
    "USD": 1,
    "EUR": 1,
    "GBP": 1,
    "CHF": 1,
    "CAD": 10,
    "SGD": 10,
    "CNY": 10,
    "HKD": 10,
    "INR": 100,
    "JPY": 1000,
}
_OTHER_UNITS_PER_USD = 100_000
# Every amount's ceiling whatever its currency: keeps 120 months of growth finite [currency].
MAX_AMOUNT = max(MONEY_LIMITS_USD.values()) * _OTHER_UNITS_PER_USD
# Monthly growth above 1000 % is a typo (0.05 means 5 % a month), and it would overflow.
MAX_GROWTH = 10.0
# A month's costs or revenue varying by more than 100 % (one standard deviation) is a typo.
MAX_SD = 1.0
MAX_GROWTH_SD = 0.5
MAX_LEAD_MONTHS = 36  # a fundraise planned to take more than three years is a typo

Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Growth = Annotated[float, Field(gt=-1, le=MAX_GROWTH, allow_inf_nan=False)]
FactorValue = Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class FundingRound(_Model):
    """Cash that arrives at the start of ``month`` (1 = the first projected month)."""

    month: int = Field(ge=1, le=MAX_HORIZON_MONTHS)
    amount: Amount
    label: str | None = Field(default=None, max_length=80)
    # The chance the round closes at all (docs/model.md, "Simulated futures"); 1 = certain.
    probability: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)


class Uncertainty(_Model):
    """How uncertain the cash plan is (docs/model.md, "Simulated futures").

    ``cost_sd`` and ``revenue_sd`` are relative standard deviations of each month's costs and
    revenue (normal, independent month to month); ``revenue_growth_sd`` is the standard
    deviation of a path's monthly revenue growth, drawn once per path; ``risk_events`` lets the
    risk register strike the cash curve. All zero / false: the simulation is the projection.
    """

    cost_sd: float = Field(default=0.0, ge=0, le=MAX_SD, allow_inf_nan=False)
    revenue_sd: float = Field(default=0.0, ge=0, le=MAX_SD, allow_inf_nan=False)
    revenue_growth_sd: float = Field(default=0.0, ge=0, le=MAX_GROWTH_SD, allow_inf_nan=False)
    risk_events: bool = False

    @property
    def is_zero(self) -> bool:
        return not (self.cost_sd or self.revenue_sd or self.revenue_growth_sd or self.risk_events)


class Finance(_Model):
    """The cash plan (docs/model.md, "Runway"). Amounts in [currency / month]."""

    cash: Amount
    monthly_costs: Amount
    monthly_revenue: Amount
    cost_growth: Growth = 0.0
    revenue_growth: Growth = 0.0
    # JSON has lists, not tuples: lax only for the container, each round stays strict.
    funding: tuple[FundingRound, ...] = Field(default=(), max_length=MAX_HORIZON_MONTHS, strict=False)
    horizon_months: int = Field(default=36, ge=1, le=MAX_HORIZON_MONTHS)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)

    @property
    def is_certain(self) -> bool:
        """No uncertainty at all: every simulated path is the projection."""
        return self.uncertainty.is_zero and all(r.probability == 1 for r in self.funding)

    @model_validator(mode="after")
    def _funding_within_horizon(self) -> Finance:
        for position, funding_round in enumerate(self.funding):
            if funding_round.month > self.horizon_months:
                raise PydanticCustomError(
                    "funding_after_horizon",
                    "month {month} is after the last month of the horizon ({horizon}); "
                    "extend horizon_months or move the round",
                    {
                        "month": funding_round.month,
                        "horizon": self.horizon_months,
                        "field": f"funding.{position}.month",
                    },
                )
        return self


class Valuation(_Model):
    base_pre_money: Amount | None = None
    step: Amount = 250_000.0


class Settings(_Model):
    start_month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    fundraising_lead_months: float | None = Field(default=None, ge=0, le=MAX_LEAD_MONTHS, allow_inf_nan=False)
    valuation: Valuation | None = None


class Scenario(_Model):
    """A company's situation: factor ratings 0–10 and a cash plan."""

    schema_version: int = SCHEMA_VERSION
    name: str = Field(default="Untitled scenario", min_length=1, max_length=120)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    factors: dict[str, FactorValue] = Field(default_factory=dict, validate_default=True)
    finance: Finance
    settings: Settings = Field(default_factory=Settings)

    @field_validator("schema_version")
    @classmethod
    def _supported_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version",
                "version {value} is not supported; this program reads version {supported}",
                {"value": value, "supported": SCHEMA_VERSION},
            )
        return value

    @field_validator("factors")
    @classmethod
    def _known_and_complete(cls, values: dict[str, float]) -> dict[str, float]:
        """Reject unknown ids (with a suggestion); fill missing factors with neutral 5."""
        known = load_catalogue().factors
        for factor_id in values:
            if factor_id not in known:
                close = difflib.get_close_matches(factor_id, list(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise PydanticCustomError(
                    "unknown_factor", "unknown factor id {id}{hint}", {"id": repr(factor_id), "hint": hint}
                )
        return {factor_id: float(values.get(factor_id, NEUTRAL)) for factor_id in known}

    @model_validator(mode="after")
    def _money_within_limits(self) -> Scenario:
        """Every amount at most its limit in the scenario's currency (:data:`MONEY_LIMITS_USD`)."""
        valuation = self.settings.valuation
        amounts = [
            ("finance.cash", "finance.cash", self.finance.cash),
            ("finance.monthly_costs", "finance.monthly_costs", self.finance.monthly_costs),
            ("finance.monthly_revenue", "finance.monthly_revenue", self.finance.monthly_revenue),
            *(
                ("finance.funding.amount", f"finance.funding.{position}.amount", funding_round.amount)
                for position, funding_round in enumerate(self.finance.funding)
            ),
            (
                "settings.valuation.base_pre_money",
                "settings.valuation.base_pre_money",
                valuation and valuation.base_pre_money,
            ),
            ("settings.valuation.step", "settings.valuation.step", valuation and valuation.step),
        ]
        for kind, field, value in amounts:
            limit = money_limit(kind, self.currency)
            if value is not None and value > limit:
                # "less_than_equal" with a worded limit: the interfaces translate it as they do the rest
                raise PydanticCustomError(
                    "less_than_equal", "must be at most {le}", {"le": f"{limit:,.0f} {self.currency}", "field": field}
                )
        return self

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def money_limit(field: str, currency: str) -> float:
    """The largest amount ``field`` may hold in ``currency`` [currency]; ``field`` is a key of
    :data:`MONEY_LIMITS_USD` ("finance.cash", "finance.funding.amount").

    >>> money_limit("finance.cash", "USD"), money_limit("finance.cash", "JPY")
    (100000000000.0, 100000000000000.0)
    """
    return MONEY_LIMITS_USD[field] * _UNITS_PER_USD.get(currency, _OTHER_UNITS_PER_USD)


def _field_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _shown(value: Any, limit: int = 60) -> str:
    """A wrong value as a message quotes it: its ``repr``, cut to ``limit`` characters.

    >>> _shown("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"
    """
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _describe(error: dict) -> tuple[str, str]:
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    if "field" in ctx:  # a cross-field check names the exact field it is about
        loc = loc + tuple(int(p) if p.isdigit() else p for p in str(ctx["field"]).split("."))
    message = error["msg"].removeprefix("Value error, ")
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "is not a known field"
    elif kind == "missing":
        message = "is required"
    elif kind in {"float_type", "int_type", "string_type", "model_type", "dict_type", "tuple_type", "list_type"}:
        message = f"{message[0].lower()}{message[1:]}, got {type(error['input']).__name__} {_shown(error['input'])}"
    elif "input" in error and "field" not in ctx and kind not in {"unknown_factor", "schema_version"}:
        message = f"{message[0].lower()}{message[1:]} (got {_shown(error['input'])})"
    if loc and loc[0] == "factors" and len(loc) == 2 and kind == "unknown_factor":
        loc = ("factors",)
    return _field_path(loc), message


def parse_scenario(data: Any, source: str = "") -> Scenario:
    """Validate a decoded scenario (a dict, as from JSON) into a :class:`Scenario`."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        message = f"a scenario must be a JSON object, got {kind}"
        raise ScenarioError("", message, source, kind="not_object", context={"type": kind})
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field, message = _describe(first)
        context = {key: value for key, value in (first.get("ctx") or {}).items() if key != "field"}
        raise ScenarioError(field, message, source, kind=first["type"], context=context) from None


def parse_scenario_json(text: str | bytes, source: str = "") -> Scenario:
    """Parse and validate the text of a scenario file (its limits first: :mod:`scoring.limits`)."""
    return parse_scenario(decode_json(text, source, max_items=MAX_HORIZON_MONTHS), source)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file: a regular file of at most :data:`MAX_SCENARIO_BYTES`."""
    return parse_scenario_json(read_file(path), str(path))
