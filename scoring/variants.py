"""Ready-made variants (bull / bear) from ``data/variants.yaml``, derived from any base scenario.

A variant is stored as changes to its base (see :mod:`scoring.links`); :func:`derive` works out
those changes once, from the base as it is when the variant is created.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from scoring.catalogue import DATA_DIR, Text, _read, load_catalogue
from scoring.errors import DataError
from scoring.links import changes
from scoring.scenario import Scenario, parse_scenario

__all__ = ["VariantTemplate", "derive", "variant_templates"]

_GROWTH = ("cost_growth", "revenue_growth")
_AMOUNTS = ("cash", "monthly_costs", "monthly_revenue")


class VariantTemplate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    name: Text
    add: dict[str, float] = Field(default_factory=dict)
    scale: dict[str, float] = Field(default_factory=dict)


class _VariantsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = Field(ge=1, le=1)
    variants: tuple[VariantTemplate, ...]


@functools.cache
def variant_templates(data_dir: Path = DATA_DIR) -> dict[str, VariantTemplate]:
    templates = {t.id: t for t in _read(Path(data_dir), "variants.yaml", _VariantsFile).variants}
    factors = load_catalogue().factors
    for template in templates.values():
        for key in template.add:
            if key not in factors and key not in _GROWTH:
                raise DataError("variants.yaml", f"{template.id}.add", f"cannot add to {key!r}")
        for key, factor in template.scale.items():
            if key not in _AMOUNTS or factor < 0:
                raise DataError("variants.yaml", f"{template.id}.scale", f"cannot scale {key!r} by {factor}")
    return templates


def derive(base: Scenario, template_id: str) -> dict[str, str]:
    """The changes that turn ``base`` into the template's variant of it."""
    template = variant_templates()[template_id]
    data = base.to_dict()
    for key, shift in template.add.items():
        if key in data["factors"]:
            data["factors"][key] = min(10.0, max(0.0, data["factors"][key] + shift))
        else:
            data["finance"][key] = max(-0.99, data["finance"].get(key, 0.0) + shift)
    for key, factor in template.scale.items():
        data["finance"][key] = round(data["finance"][key] * factor, 2)  # whole cents, no float dust
    return changes(base, parse_scenario(data))
