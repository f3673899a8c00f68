"""A scenario as a flat set of changes to a base scenario: for links and for variants.

Each input has one flat key — a factor id (``market.demand``) or a scenario field name
(``cash``, ``revenue_growth``, ``funding``, ``cost_sd``, ``start_month``, ``base_pre_money`` …)
— and a text value. :func:`changes` lists only what differs from the base, so a link or a
variant stays short and a change to the base carries through everything it does not override.
:func:`apply_changes` reads changes back through the :class:`~scoring.Scenario` model and is
forgiving: a change it cannot use (unknown key, not a number, out of range, markup) is left
out and reported, and the base's value stands.

Funding rounds are one key: ``month:amount[:probability[:label]]`` per round, joined by ``,``
(the label percent-encoded), e.g. ``funding=9:1500000,18:3000000:0.5:Series%20A``.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from scoring.catalogue import load_catalogue
from scoring.errors import ScenarioError
from scoring.scenario import Scenario, parse_scenario

__all__ = ["MAX_VALUE_CHARS", "Ignored", "apply_changes", "changes", "flat_keys", "flatten"]

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


@dataclass(frozen=True)
class Ignored:
    key: str  # the flat key as given (shortened when it was long)
    reason: str


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
    """Text as a name or label: no tag or script URL, no control characters (ValueError otherwise).
    A lone "<" stays ("Seed < 2M"), so every name a file may hold still round-trips."""
    if _MARKUP.search(text) or not text.isprintable():
        raise ValueError("contains markup or control characters")
    return text


def _read_funding(text: str) -> list[dict]:
    rounds = []
    for part in filter(None, text.split(",")):
        fields = part.split(":")
        if not 2 <= len(fields) <= 4:
            raise ValueError("is not a list of month:amount[:probability[:label]] rounds")
        try:
            month, amount = _number(fields[0]), _number(fields[1])
            probability = _number(fields[2]) if len(fields) > 2 and fields[2] else None
        except ValueError:
            raise ValueError("is not a list of month:amount[:probability[:label]] rounds") from None
        row: dict[str, Any] = {"month": int(month) if month.is_integer() else month, "amount": amount}
        if probability is not None:
            row["probability"] = probability
        if len(fields) > 3 and fields[3]:
            row["label"] = _plain(unquote(fields[3]))
        rounds.append(row)
    return rounds


def _read(kind: str, text: str) -> Any:
    """A change's text as a scenario value; ValueError with the reason when it is not one."""
    if text == "":
        return None
    if kind == "number":
        try:
            return _number(text)
        except ValueError:
            raise ValueError(f"is not a number ({text[:40]!r})") from None
    if kind == "whole":
        try:
            value = _number(text)
        except ValueError:
            raise ValueError(f"is not a number ({text[:40]!r})") from None
        if not value.is_integer():
            raise ValueError(f"must be a whole number ({text[:40]!r})")
        return int(value)
    if kind == "switch":
        if text.lower() not in {"0", "1", "true", "false"}:
            raise ValueError(f"must be 0 or 1 ({text[:40]!r})")
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
            ignored.append(Ignored(shown, "is not a known setting"))
            continue
        if len(text) > MAX_VALUE_CHARS:
            ignored.append(Ignored(shown, f"is longer than {MAX_VALUE_CHARS} characters"))
            continue
        try:
            value = _read(keys[key][1], text)
        except ValueError as exc:
            ignored.append(Ignored(shown, str(exc)))
            continue
        if value is None and key in {"cash", "monthly_costs", "monthly_revenue"}:
            ignored.append(Ignored(shown, "is required"))
            continue
        applied[key] = value
        _set(data, keys[key][0], value)
    if len(given) > MAX_CHANGES:
        ignored.append(Ignored("…", f"more than {MAX_CHANGES} settings; the rest were not read"))
    original = base.to_dict()
    while True:
        try:
            return parse_scenario(data), ignored
        except ScenarioError as error:
            key = _key_of(error.field, keys)
            reason = error.message
            if key not in applied:  # a change clashes with the base (a shorter horizon than a round)
                key = _culprit(data, original, applied, keys, error)
                reason = f"does not fit the other settings: {error.field} {error.message}"
            del applied[key]
            _set(data, keys[key][0], _get(original, keys[key][0]))
            ignored.append(Ignored(key, reason))
