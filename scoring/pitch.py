"""A pitch file: one comparison as a document — a base scenario and up to three variants.

::

    {"kind": "pitch", "schema_version": 1,
     "base": {…a scenario file…},
     "variants": [{"name": "Bull case", "changes": {"market.demand": "7", "cash": "1500000"}},
                  {"name": "Bear case", "changes": {"monthly_costs": 88000, "risk_events": true}}]}

A variant holds only what it changes from the base, as the flat keys and texts of a link
(:mod:`scoring.links`: factor ids and field names; numbers and switches may also be written as
JSON numbers and booleans). A file is a pitch file when its top level says ``"kind": "pitch"`` or
holds ``"variants"``; anything else is read as a scenario file (:func:`read_document`).

It is read as strictly as a scenario file: the limits of :mod:`scoring.limits` first, then the
model (the base is a :class:`~scoring.Scenario`, so its errors are named ``base.finance.cash``),
then every change is applied to the base. Unlike a link, which opens anyway and names what it
could not use, a change that cannot be applied refuses the whole file with one
:class:`~scoring.errors.ScenarioError` naming it (``variants[1].changes.cash``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from scoring.errors import ScenarioError
from scoring.limits import decode_json, read_file
from scoring.links import Ignored, apply_changes
from scoring.scenario import MAX_HORIZON_MONTHS, Scenario, _describe, _Model, parse_scenario

__all__ = [
    "MAX_VARIANTS",
    "Pitch",
    "PitchChangeError",
    "PitchVariant",
    "is_pitch",
    "load_scenarios",
    "parse_pitch_json",
    "pitch_json",
    "read_document",
    "variant_scenarios",
]

MAX_VARIANTS = 3  # a base and three variants: four columns, as many as a report or a slide shows
PITCH_VERSION = 1


class PitchVariant(_Model):
    name: str = Field(min_length=1, max_length=120)  # as a scenario's name
    changes: dict[str, str | bool | int | float] = Field(default_factory=dict)

    def texts(self) -> dict[str, str]:
        """The changes as the texts of a link: ``True`` is "1", 3.5e6 is "3500000"."""
        return {key: _text(value) for key, value in self.changes.items()}


class Pitch(_Model):
    kind: Literal["pitch"] = "pitch"
    schema_version: Literal[1] = PITCH_VERSION
    base: Scenario
    variants: list[PitchVariant] = Field(default_factory=list, max_length=MAX_VARIANTS)


class PitchChangeError(ScenarioError):
    """A variant's change that cannot be applied to the base; ``ignored`` says why, as a link's
    would (:class:`~scoring.links.Ignored`, which an interface words in its language)."""

    def __init__(self, field: str, ignored: Ignored, source: str = "") -> None:
        model = ignored.error if ignored.kind == "invalid" else None  # the model's own kind and limits
        kind, context = (model.kind, model.context) if model is not None else ("", {})
        super().__init__(field, ignored.reason, source, kind, context)
        self.ignored = ignored


def _text(value: str | bool | float) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def is_pitch(data: Any) -> bool:
    """Whether decoded JSON is a pitch file rather than a scenario file."""
    return isinstance(data, dict) and (data.get("kind") == "pitch" or "variants" in data)


def _pitch(data: Any, source: str) -> Pitch:
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ScenarioError("", f"a pitch file must be a JSON object, got {kind}", source, "not_object", {"type": kind})
    try:
        pitch = Pitch.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["loc"][-1] in {"str", "bool", "int", "float"}:  # a change of none of its types: pydantic names each
            first = {
                **first,
                "loc": first["loc"][:-1],
                "type": "change_type",
                "msg": "must be text, a number or a switch",
            }
        field, message = _describe(first)
        if first["type"] == "too_long":  # the variants: pydantic's words quote the whole list
            message = f"has {first['ctx']['actual_length']} entries; at most {first['ctx']['max_length']}"
        context = {key: value for key, value in (first.get("ctx") or {}).items() if key != "field"}
        raise ScenarioError(field, message, source, kind=first["type"], context=context) from None
    for index, variant in enumerate(pitch.variants):
        _, ignored = apply_changes(pitch.base, variant.texts())
        if ignored:
            raise PitchChangeError(f"variants[{index}].changes.{ignored[0].key}", ignored[0], source)
    return pitch


def parse_pitch_json(text: str | bytes, source: str = "") -> Pitch:
    """Parse and validate the text of a pitch file (its limits first: :mod:`scoring.limits`)."""
    return _pitch(decode_json(text, source, max_items=MAX_HORIZON_MONTHS), source)


def read_document(text: str | bytes, source: str = "") -> Scenario | Pitch:
    """A scenario file or a pitch file, told apart by its top level (:func:`is_pitch`)."""
    data = decode_json(text, source, max_items=MAX_HORIZON_MONTHS)
    return _pitch(data, source) if is_pitch(data) else parse_scenario(data, source)


def variant_scenarios(pitch: Pitch) -> list[Scenario]:
    """Each variant as a scenario: the base with its changes, under the variant's name."""
    return [
        apply_changes(pitch.base, variant.texts())[0].model_copy(update={"name": variant.name})
        for variant in pitch.variants
    ]


def load_scenarios(path: str | Path) -> list[Scenario]:
    """The scenarios of a file: one for a scenario file, the base and its variants for a pitch file."""
    document = read_document(read_file(path), str(path))
    return [document.base, *variant_scenarios(document)] if isinstance(document, Pitch) else [document]


def pitch_json(base: Scenario, variants: Sequence[tuple[str, Mapping[str, str]]]) -> str:
    """The pitch file of ``base`` and its ``variants`` (name, changes), readable and as
    :func:`parse_pitch_json` reads it back; a variant's own ``name`` change is left out."""
    pitch = Pitch(
        base=base,
        variants=[
            PitchVariant(name=name, changes={key: value for key, value in changes.items() if key != "name"})
            for name, changes in variants
        ],
    )
    document = {
        "kind": pitch.kind,
        "schema_version": pitch.schema_version,
        "base": base.to_dict(),
        "variants": [variant.model_dump() for variant in pitch.variants],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
