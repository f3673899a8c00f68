"""A scenario as a flat set of changes to a base scenario: for links and for variants.

Each input has one flat key — a factor id (``market.demand``) or a scenario field name
(``cash``, ``revenue_growth``, ``funding``, ``cost_sd``, ``start_month``, ``base_pre_money`` …)
— and a text value. :func:`changes` lists only what differs from the base, so a link or a
variant stays short and a change to the base carries through everything it does not override.
:func:`apply_changes` reads changes back through the :class:`~scoring.Scenario` model and is
forgiving: a change it cannot use (unknown key, not a number, out of range, markup) is left
out and reported as an :class:`Ignored` — its key, a ``kind`` and the values to word it with — and
the base's value stands. The words are the caller's: ``Ignored.reason`` is the English line of the
command line and the data checks; the dashboard says it in the user's language, naming each field
as its control does (:func:`dashboard.fields.ignored_message`).

Funding rounds are one key: ``month:amount[:probability[:label]]`` per round, joined by ``,``
(the label percent-encoded), e.g. ``funding=9:1500000,18:3000000:0.5:Series%20A``.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from scoring.catalogue import load_catalogue
from scoring.errors import ScenarioError
from scoring.scenario import Scenario, parse_scenario

__all__ = [
    "IGNORED_REASONS",
    "MAX_CHANGES",
    "MAX_VALUE_CHARS",
    "Ignored",
    "apply_changes",
    "changes",
    "flat_keys",
    "flatten",
]

MAX_VALUE_CHARS = 2_000  # a longer value is not something our own links ever write
MAX_CHANGES = 200

# key -> where it lives in the scenario dict, and how its text reads
_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "name": (("name",), "text"),
    "currency": (("currency",), "text"),
    "cash": (("finance", "cash"), "number"),
    "monthly_costs": (("finance", "monthly_costs"), "number"),
    "monthly_revenue": (("finance", "monthly_revenue"), "number"),
    "cost_growth": (("finance", "cost_growth"), "number"),
    "revenue_growth": (("finance", "revenue_growth"), "number"),
    "horizon_months": (("finance", "horizon_months"), "whole"),
    "funding": (("finance", "funding"), "funding"),
    "cost_sd": (("finance", "uncertainty", "cost_sd"), "number"),
    "revenue_sd": (("finance", "uncertainty", "revenue_sd"), "number"),
    "revenue_growth_sd": (("finance", "uncertainty", "revenue_growth_sd"), "number"),
    "risk_events": (("finance", "uncertainty", "risk_events"), "switch"),
    "start_month": (("settings", "start_month"), "text"),
    "fundraising_lead_months": (("settings", "fundraising_lead_months"), "number"),
    "base_pre_money": (("settings", "valuation", "base_pre_money"), "number"),
    "step": (("settings", "valuation", "step"), "number"),
}


# Why a change was left out, by kind, in English ({value} is the change's text, cut to 40 characters).
# "invalid" (the model refused the value) and "clash" (it does not fit the other settings) carry the
# model's ScenarioError instead.
IGNORED_REASONS = {
    "unknown_setting": "is not a known setting",
    "unknown_preset": "is not a known preset",
    "too_long": "is longer than {max} characters",
    "not_number": "is not a number ({value!r})",
    "not_whole": "must be a whole number ({value!r})",
    "not_switch": "must be 0 or 1 ({value!r})",
    "not_rounds": "is not a list of month:amount[:probability[:label]] rounds",
    "markup": "contains markup or control characters",
    "required": "is required",
    "too_many": "more than {max} settings; the rest were not read",
    "too_many_variants": "more than {max} variants; the rest were not read",
}


@dataclass(frozen=True)
class Ignored:
    """A change left out: its key as given (shortened when it was long), why (``kind``, a key of
    :data:`IGNORED_REASONS`, with ``context``), and the model's error for "invalid" and "clash"."""

    key: str
    kind: str
    context: Mapping[str, Any] = field(default_factory=dict, hash=False)
    error: ScenarioError | None = field(default=None, compare=False)

    @property
    def reason(self) -> str:
        """Why, in English (the command line, the data checks)."""
        if self.kind == "invalid" and self.error is not None:
            return self.error.message
        if self.kind == "clash" and self.error is not None:
            return f"does not fit the other settings: {self.error.field} {self.error.message}"
        return IGNORED_REASONS[self.kind].format(**self.context)


class _Refused(ValueError):
    """A change's text that is not a value of its kind: an :class:`Ignored` kind and its context."""

    def __init__(self, kind: str, **context: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.context = context


def _paths() -> dict[str, tuple[tuple[str, ...], str]]:
    factors = {factor_id: (("factors", factor_id), "number") for factor_id in load_catalogue().factors}
    return {**factors, **_FIELDS}


def flat_keys() -> tuple[str, ...]:
    """Every key a link or a variant may carry, factors first."""
    return tuple(_paths())


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _funding_text(rounds: list[dict]) -> str:
    parts = []
    for row in rounds:
        fields = [str(row["month"]), _number_text(row["amount"])]
        label = row.get("label")
        if row.get("probability", 1.0) != 1.0 or label:
            fields.append(_number_text(row.get("probability", 1.0)))
        if label:
            fields.append(quote(label, safe=""))
        parts.append(":".join(fields))
    return ",".join(parts)


def _get(data: dict, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _set(data: dict, path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    if value is None:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = value


def flatten(scenario: Scenario) -> dict[str, str]:
    """Every input of ``scenario`` as key -> text ("" for an unset optional field)."""
    data = scenario.to_dict()
    flat = {}
    for key, (path, kind) in _paths().items():
        value = _get(data, path)
        if value is None:
            flat[key] = ""
        elif kind == "funding":
            flat[key] = _funding_text(value)
        elif kind == "switch":
            flat[key] = "1" if value else "0"
        elif kind in {"number", "whole"}:
            flat[key] = _number_text(value)
        else:
            flat[key] = str(value)
    return flat


def changes(base: Scenario, scenario: Scenario) -> dict[str, str]:
    """What ``scenario`` changes from ``base``, as flat key -> text."""
    before, after = flatten(base), flatten(scenario)
    return {key: value for key, value in after.items() if before[key] != value}


def _number(text: str) -> float:
    value = float(text)  # ValueError for anything that is not a number
    if not math.isfinite(value):
        raise ValueError
    return value


_MARKUP = re.compile(r"<\s*[a-z!/?]|javascript:|data:text/html", re.IGNORECASE)


def _plain(text: str) -> str:
    """Text as a name or label: no tag or script URL, no control characters (:class:`_Refused` otherwise).
    A lone "<" stays ("Seed < 2M"), so every name a file may hold still round-trips."""
    if _MARKUP.search(text) or not text.isprintable():
        raise _Refused("markup")
    return text


def _read_funding(text: str) -> list[dict]:
    rounds = []
    for part in filter(None, text.split(",")):
        fields = part.split(":")
        if not 2 <= len(fields) <= 4:
            raise _Refused("not_rounds")
        try:
            month, amount = _number(fields[0]), _number(fields[1])
            probability = _number(fields[2]) if len(fields) > 2 and fields[2] else None
        except ValueError:
            raise _Refused("not_rounds") from None
        row: dict[str, Any] = {"month": int(month) if month.is_integer() else month, "amount": amount}
        if probability is not None:
            row["probability"] = probability
        if len(fields) > 3 and fields[3]:
            row["label"] = _plain(unquote(fields[3]))
        rounds.append(row)
    return rounds


def _read(kind: str, text: str) -> Any:
    """A change's text as a scenario value; :class:`_Refused` with the reason when it is not one."""
    if text == "":
        return None
    if kind in {"number", "whole"}:
        try:
            value = _number(text)
        except ValueError:
            raise _Refused("not_number", value=text[:40]) from None
        if kind == "number":
            return value
        if not value.is_integer():
            raise _Refused("not_whole", value=text[:40])
        return int(value)
    if kind == "switch":
        if text.lower() not in {"0", "1", "true", "false"}:
            raise _Refused("not_switch", value=text[:40])
        return text.lower() in {"1", "true"}
    if kind == "funding":
        return _read_funding(text)
    return _plain(text)


def _key_of(field: str, keys: Mapping[str, tuple[tuple[str, ...], str]]) -> str | None:
    """The flat key whose value a validation error's field path points into."""
    if field.startswith("finance.funding"):
        return "funding"
    if field.startswith("factors."):
        return field[len("factors.") :]
    last = field.rsplit(".", 1)[-1]
    return last if last in keys else None


def _culprit(data: dict, original: dict, applied: dict, keys: Mapping, error: ScenarioError) -> str:
    """The applied change whose undoing clears ``error`` (the latest one if none alone does)."""
    for key in reversed(applied):
        trial = copy.deepcopy(data)
        _set(trial, keys[key][0], _get(original, keys[key][0]))
        try:
            parse_scenario(trial)
        except ScenarioError as other:
            if (other.field, other.message) == (error.field, error.message):
                continue
        return key
    return next(reversed(applied))


def apply_changes(base: Scenario, given: Mapping[str, str]) -> tuple[Scenario, list[Ignored]]:
    """``base`` with every usable change applied, and what was ignored and why."""
    keys = _paths()
    data = base.to_dict()
    ignored: list[Ignored] = []
    applied: dict[str, Any] = {}
    for key, text in list(given.items())[:MAX_CHANGES]:
        shown = key if len(key) <= 40 else key[:37] + "…"
        if key not in keys:
            ignored.append(Ignored(shown, "unknown_setting"))
            continue
        if len(text) > MAX_VALUE_CHARS:
            ignored.append(Ignored(shown, "too_long", {"max": MAX_VALUE_CHARS}))
            continue
        try:
            value = _read(keys[key][1], text)
        except _Refused as refused:
            ignored.append(Ignored(shown, refused.kind, refused.context))
            continue
        if value is None and key in {"cash", "monthly_costs", "monthly_revenue"}:
            ignored.append(Ignored(shown, "required"))
            continue
        applied[key] = value
        _set(data, keys[key][0], value)
    if len(given) > MAX_CHANGES:
        ignored.append(Ignored("…", "too_many", {"max": MAX_CHANGES}))
    original = base.to_dict()
    while True:
        try:
            return parse_scenario(data), ignored
        except ScenarioError as error:
            key = _key_of(error.field, keys)
            kind = "invalid"
            if key not in applied:  # a change clashes with the base (a shorter horizon than a round)
                key = _culprit(data, original, applied, keys, error)
                kind = "clash"
            del applied[key]
            _set(data, keys[key][0], _get(original, keys[key][0]))
            ignored.append(Ignored(key, kind, error=error))
