"""Preset scenarios under ``data/presets/``: the source document's case studies and a template."""

from __future__ import annotations

import functools

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from scoring.catalogue import DATA_DIR, Text
from scoring.errors import DataError
from scoring.scenario import Scenario, load_scenario

__all__ = ["PRESETS_DIR", "TEMPLATE", "PresetInfo", "list_presets", "load_preset", "preset_info"]

PRESETS_DIR = DATA_DIR / "presets"
TEMPLATE = "neutral_template"


class PresetInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    section: str
    name: Text
    story: Text


class _PresetsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int
    presets: dict[str, PresetInfo]


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
    return info


def list_presets() -> list[str]:
    """Preset ids (file stems) in display order, the neutral template first."""
    return list(preset_info())


def load_preset(preset_id: str) -> Scenario:
    if preset_id not in list_presets():
        raise KeyError(f"unknown preset {preset_id!r}; known: {', '.join(list_presets())}")
    return load_scenario(PRESETS_DIR / f"{preset_id}.json")
