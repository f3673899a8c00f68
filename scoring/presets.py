"""Preset scenarios under ``data/presets/``: the source document's case studies and a template.

Every case study of the source ends with the response that resolved it. A case preset may carry
that residual picture as an *after the response* variant (``after:`` in presets.yaml): the flat
changes (:mod:`scoring.links`) its 应对措施 imply, each with ``why``, the phrase of the case that
justifies it. :func:`preset_after` gives the changes (a Compare variant keeps only these, like the
bull and bear cases), :func:`load_preset` with ``after=True`` the scenario with them applied.
"""

from __future__ import annotations

import functools

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scoring.catalogue import DATA_DIR, Text
from scoring.errors import DataError
from scoring.links import apply_changes, flat_keys
from scoring.scenario import Scenario, load_scenario

__all__ = [
    "PRESETS_DIR",
    "TEMPLATE",
    "AfterResponse",
    "Change",
    "PresetInfo",
    "list_presets",
    "load_preset",
    "preset_after",
    "preset_info",
]

PRESETS_DIR = DATA_DIR / "presets"
TEMPLATE = "neutral_template"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(_Frozen):
    """One setting the response changes: its new value as link text, and the case's words for it."""

    value: str  # the flat text of scoring.links: "7", "0.09", "4:1500000:1:Follow-on%20round"
    why: str = Field(min_length=1)  # a phrase of the case study, verbatim


class AfterResponse(_Frozen):
    story: Text
    changes: dict[str, Change] = Field(min_length=1)  # flat key -> change

    def flat(self) -> dict[str, str]:
        return {key: change.value for key, change in self.changes.items()}


class PresetInfo(_Frozen):
    section: str
    name: Text
    story: Text
    after: AfterResponse | None = None


class _PresetsFile(_Frozen):
    schema_version: int
    presets: dict[str, PresetInfo]


def _check_after(preset_id: str, after: AfterResponse) -> None:
    """Every change names a setting and applies to the preset as given, or the file is broken."""
    where = f"presets.{preset_id}.after.changes"
    known = set(flat_keys())
    for key in after.changes:
        if key not in known or key == "name":
            raise DataError("presets/presets.yaml", f"{where}.{key}", "is not a setting a variant may change")
    _, ignored = apply_changes(load_scenario(PRESETS_DIR / f"{preset_id}.json"), after.flat())
    if ignored:
        raise DataError("presets/presets.yaml", f"{where}.{ignored[0].key}", ignored[0].reason)


@functools.cache
def preset_info() -> dict[str, PresetInfo]:
    """Display names and stories by preset id, in display order (data/presets/presets.yaml)."""
    try:
        raw = yaml.safe_load((PRESETS_DIR / "presets.yaml").read_text(encoding="utf-8"))
        info = _PresetsFile.model_validate(raw).presets
    except (OSError, yaml.YAMLError) as exc:
        raise DataError("presets/presets.yaml", "", str(exc)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DataError("presets/presets.yaml", ".".join(map(str, first["loc"])), first["msg"]) from None
    files = {path.stem for path in PRESETS_DIR.glob("*.json")}
    if set(info) != files:
        raise DataError("presets/presets.yaml", "presets", f"must list exactly the preset files: {sorted(files)}")
    for preset_id, entry in info.items():
        if entry.after is not None:
            _check_after(preset_id, entry.after)
    return info


def list_presets() -> list[str]:
    """Preset ids (file stems) in display order, the neutral template first."""
    return list(preset_info())


def preset_after(preset_id: str) -> dict[str, str] | None:
    """The flat changes of the preset's "after the response" variant; None when it has none."""
    if preset_id not in preset_info():
        raise KeyError(f"unknown preset {preset_id!r}; known: {', '.join(list_presets())}")
    after = preset_info()[preset_id].after
    return None if after is None else after.flat()


def load_preset(preset_id: str, *, after: bool = False) -> Scenario:
    """A preset's scenario; with ``after=True`` its "after the response" variant (KeyError if none)."""
    if preset_id not in list_presets():
        raise KeyError(f"unknown preset {preset_id!r}; known: {', '.join(list_presets())}")
    scenario = load_scenario(PRESETS_DIR / f"{preset_id}.json")
    if not after:
        return scenario
    changes = preset_after(preset_id)
    if changes is None:
        raise KeyError(f"preset {preset_id!r} has no after-the-response variant")
    changed, _ = apply_changes(scenario, changes)  # checked when presets.yaml was read
    return changed.model_copy(update={"name": f"{scenario.name} (after the response)"})
