"""The domain data under ``data/``, loaded and validated once.

Every file is parsed into frozen pydantic models and cross-checked (drivers name real
factors, mitigations exist, the interaction table is acyclic, every signed factor drives at
least one risk). A broken file raises :class:`~scoring.errors.DataError` naming the file and
the field, so the app and the CLI fail loudly at start rather than score with bad data.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scoring.errors import DataError

__all__ = [
    "CASH_SIGNALS",
    "DATA_DIR",
    "LANGUAGES",
    "Aggregation",
    "Band",
    "Catalogue",
    "EventEffect",
    "Factor",
    "Interaction",
    "Mitigation",
    "OpportunityAxis",
    "Risk",
    "RiskEvents",
    "Text",
    "load_catalogue",
]

DATA_DIR = Path(os.environ.get("SCORING_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))
LANGUAGES = ("en", "zh")
# Signals derived from the cash plan that risk drivers may name next to factor ids.
CASH_SIGNALS = ("cash.runway", "cash.self_funded_runway", "cash.burn_share")

PositiveWeight = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A piece of user-facing text in every supported language."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Group(_Frozen):
    id: str
    name: Text


class Factor(_Frozen):
    id: str
    direction: Literal["+", "-", "none"]
    emphasis: Literal["core", "standard", "context"] | None = None  # signed factors only
    name: Text
    low: Text
    high: Text

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]


class Mitigation(_Frozen):
    id: str
    section: str
    title: Text
    text: Text


class DriverSet(_Frozen):
    """How one of a risk's two dimensions (likelihood or impact) is derived."""

    prior: float = Field(ge=1, le=5)
    prior_weight: float = Field(ge=0, allow_inf_nan=False)
    drivers: dict[str, PositiveWeight] = Field(min_length=1)


class Risk(_Frozen):
    id: str
    category: str
    section: str
    name: Text
    description: Text
    weight: PositiveWeight = 1.0
    likelihood: DriverSet
    impact: DriverSet
    mitigations: list[str] = Field(min_length=1)


class Interaction(_Frozen):
    source: str
    target: str
    strength: float = Field(gt=0, le=0.9)
    why: Text


class Category(_Frozen):
    id: str
    code: str = Field(pattern=r"^[A-Z]$")
    section: str
    name: Text


class Band(_Frozen):
    id: str
    below: float | None = None
    name: Text


class CashSignal(_Frozen):
    name: Text


class OpportunityAxis(_Frozen):
    id: str
    section: str
    name: Text
    drivers: dict[str, PositiveWeight] = Field(min_length=1)


class _FactorsFile(_Frozen):
    schema_version: Literal[1]
    groups: list[Group]
    factors: list[Factor]


class _RisksFile(_Frozen):
    schema_version: Literal[1]
    risks: list[Risk]


class _MitigationsFile(_Frozen):
    schema_version: Literal[1]
    mitigations: list[Mitigation]


class _InteractionsFile(_Frozen):
    schema_version: Literal[1]
    interactions: list[Interaction]


class Aggregation(_Frozen):
    """How a risk's dimensions and the overall score are formed (data/model.yaml documents why)."""

    dimension_exponent: float = Field(ge=1, le=3)  # share x in [0, 1] -> 1 + 4 x^exponent on the 1-5 scale
    power: float = Field(ge=1, le=16)  # overall = power mean of the scores


class _ModelFile(_Frozen):
    schema_version: Literal[1]
    categories: list[Category]
    bands: list[Band] = Field(min_length=1)
    aggregation: Aggregation
    runway_comfort_months: float = Field(gt=0, allow_inf_nan=False)
    cash_signals: dict[str, CashSignal]


EffectKind = Literal["one_off_cost", "revenue_delay", "growth_cut", "funding_slip", "cost_rise"]
COST_EFFECTS = ("one_off_cost", "cost_rise")  # every risk has one, so it bites in any company with costs


class EventEffect(_Frozen):
    """One cash effect of a risk when it strikes, at impact 5 (data/risk_events.yaml)."""

    kind: EffectKind
    size: float = Field(gt=0, allow_inf_nan=False)
    months: int | None = Field(default=None, ge=1, le=120)  # growth_cut only: how long growth is cut


class RiskEvent(_Frozen):
    """What one risk does to cash when it strikes, and the source passage that says so."""

    effects: tuple[EventEffect, ...] = Field(min_length=1)
    section: str
    source: Text


class RiskEvents(_Frozen):
    """How likelihood maps to a chance of striking, and what each risk does to cash."""

    schema_version: Literal[2]
    window_months: float = Field(gt=0, allow_inf_nan=False)
    probability_by_likelihood: tuple[float, float, float, float, float]
    fail_after_months: float = Field(gt=0, allow_inf_nan=False)  # a round slipping more than this fails
    risks: dict[str, RiskEvent]

    def probability(self, likelihood: float) -> float:
        """The chance a risk of this likelihood [1, 5] strikes within the window.

        >>> load_catalogue().risk_events.probability(3.5)
        0.25
        """
        position = min(max(likelihood, 1.0), 5.0) - 1.0
        low = min(int(position), 3)
        anchors = self.probability_by_likelihood
        return anchors[low] + (position - low) * (anchors[low + 1] - anchors[low])


class _OpportunityFile(_Frozen):
    schema_version: Literal[1]
    axes: list[OpportunityAxis]


class Catalogue(_Frozen):
    """Everything the model knows, indexed by public id (insertion order = display order)."""

    groups: dict[str, Group]
    factors: dict[str, Factor]
    risks: dict[str, Risk]
    mitigations: dict[str, Mitigation]
    interactions: tuple[Interaction, ...]
    categories: dict[str, Category]
    bands: tuple[Band, ...]
    aggregation: Aggregation
    runway_comfort_months: float
    cash_signals: dict[str, CashSignal]
    axes: dict[str, OpportunityAxis]
    risk_events: RiskEvents

    def band_for(self, score: float) -> str:
        for band in self.bands:
            if band.below is None or score < band.below:
                return band.id
        return self.bands[-1].id

    def band_name(self, band_id: str, lang: str = "en") -> str:
        """The display name of a band ("High", "高")."""
        return next(band.name.get(lang) for band in self.bands if band.id == band_id)

    def risk_code(self, risk_id: str) -> str:
        """A short label for charts: the category's letter and the risk's place in it (T1, F3)."""
        category = self.risks[risk_id].category
        same = [rid for rid, risk in self.risks.items() if risk.category == category]
        return f"{self.categories[category].code}{same.index(risk_id) + 1}"

    def input_name(self, input_id: str, lang: str = "en") -> str:
        """The display name of a driver input: a factor or a cash signal."""
        if input_id in self.factors:
            return self.factors[input_id].name.get(lang)
        return self.cash_signals[input_id].name.get(lang)


def _read(data_dir: Path, name: str, model: type[BaseModel]) -> BaseModel:
    path = data_dir / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(name, "", f"cannot read the file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise DataError(name, "", f"not valid YAML ({exc})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise DataError(name, field, first["msg"]) from None


def _index(items: list, file: str, kind: str) -> dict:
    index = {}
    for position, item in enumerate(items):
        if item.id in index:
            raise DataError(file, f"{kind}[{position}].id", f"duplicate id {item.id!r}")
        index[item.id] = item
    return index


def _check_acyclic(interactions: list[Interaction]) -> None:
    edges: dict[str, list[str]] = {}
    for row in interactions:
        edges.setdefault(row.source, []).append(row.target)
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        if node in path:
            cycle = " -> ".join((*path[path.index(node) :], node))
            raise DataError("interactions.yaml", "interactions", f"the table has a loop: {cycle}")
        if node in done:
            return
        for target in edges.get(node, []):
            visit(target, (*path, node))
        done.add(node)

    for source in list(edges):
        visit(source, ())


def _validate_references(cat: dict) -> None:
    factors, risks = cat["factors"], cat["risks"]
    for group_id in {f.group for f in factors.values()} - set(cat["groups"]):
        raise DataError("factors.yaml", "factors", f"factor group {group_id!r} is not listed in groups")
    signed = {fid for fid, f in factors.items() if f.direction != "none"}
    for factor_id, factor in factors.items():
        if (factor.emphasis is None) != (factor_id not in signed):
            raise DataError("factors.yaml", f"factors.{factor_id}.emphasis", "every signed factor needs one, no other")
    risk_inputs = signed | set(CASH_SIGNALS)
    if set(cat["cash_signals"]) != set(CASH_SIGNALS):
        raise DataError("model.yaml", "cash_signals", f"must name exactly {', '.join(CASH_SIGNALS)}")
    driven: set[str] = set()
    for position, risk in enumerate(risks.values()):
        where = f"risks[{position}]"
        if risk.category not in cat["categories"]:
            raise DataError("risks.yaml", f"{where}.category", f"unknown category {risk.category!r}")
        for dimension in ("likelihood", "impact"):
            for input_id in getattr(risk, dimension).drivers:
                if input_id not in risk_inputs:
                    raise DataError(
                        "risks.yaml",
                        f"{where}.{dimension}.drivers",
                        f"{input_id!r} is neither a signed factor nor a cash signal",
                    )
                driven.add(input_id)
        for mitigation in risk.mitigations:
            if mitigation not in cat["mitigations"]:
                raise DataError("risks.yaml", f"{where}.mitigations", f"unknown mitigation {mitigation!r}")
    # Overall risk must move strictly with every factor, so each signed factor drives a risk.
    for factor_id in sorted(signed - driven):
        raise DataError("risks.yaml", "risks", f"factor {factor_id!r} drives no risk")
    for position, row in enumerate(cat["interactions"]):
        for end in ("source", "target"):
            if getattr(row, end) not in risks:
                raise DataError(
                    "interactions.yaml", f"interactions[{position}].{end}", f"unknown risk {getattr(row, end)!r}"
                )
        if row.source == row.target:
            raise DataError("interactions.yaml", f"interactions[{position}]", "a risk cannot amplify itself")
    _check_acyclic(cat["interactions"])
    for position, axis in enumerate(cat["axes"].values()):
        for input_id in axis.drivers:
            if input_id not in factors:
                raise DataError("opportunity.yaml", f"axes[{position}].drivers", f"unknown factor {input_id!r}")
    events = cat["risk_events"]
    anchors = events.probability_by_likelihood
    if any(not 0 <= p < 1 for p in anchors) or list(anchors) != sorted(anchors):
        raise DataError("risk_events.yaml", "probability_by_likelihood", "needs five rising chances in [0, 1)")
    for risk_id in risks:
        if risk_id not in events.risks:
            raise DataError("risk_events.yaml", "risks", f"risk {risk_id!r} has no cash effect")
    for risk_id, event in events.risks.items():
        where = f"risks.{risk_id}"
        if risk_id not in risks:
            raise DataError("risk_events.yaml", where, "unknown risk")
        for position, effect in enumerate(event.effects):
            field = f"{where}.effects.{position}"
            if effect.kind == "growth_cut" and effect.months is None:
                raise DataError("risk_events.yaml", field, "a growth_cut needs `months`")
            if effect.kind != "growth_cut" and effect.months is not None:
                raise DataError("risk_events.yaml", f"{field}.months", f"`months` is for growth_cut, not {effect.kind}")
            if effect.kind == "growth_cut" and effect.size >= 1:
                raise DataError("risk_events.yaml", f"{field}.size", "a growth cut must be below 1")
        if not any(effect.kind in COST_EFFECTS for effect in event.effects):
            raise DataError(
                "risk_events.yaml",
                f"{where}.effects",
                "needs a cost effect (one_off_cost or cost_rise), so that the risk bites in every company",
            )
    bands = cat["bands"]
    limits = [band.below for band in bands[:-1]]
    if any(limit is None for limit in limits) or bands[-1].below is not None or limits != sorted(limits):
        raise DataError("model.yaml", "bands", "every band but the last needs a rising `below`; the last has none")


@functools.cache
def load_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """Load and cross-check every data file; cached per folder."""
    data_dir = Path(data_dir)
    factors_file = _read(data_dir, "factors.yaml", _FactorsFile)
    risks_file = _read(data_dir, "risks.yaml", _RisksFile)
    mitigations_file = _read(data_dir, "mitigations.yaml", _MitigationsFile)
    interactions_file = _read(data_dir, "interactions.yaml", _InteractionsFile)
    model_file = _read(data_dir, "model.yaml", _ModelFile)
    opportunity_file = _read(data_dir, "opportunity.yaml", _OpportunityFile)
    fields = {
        "groups": _index(factors_file.groups, "factors.yaml", "groups"),
        "factors": _index(factors_file.factors, "factors.yaml", "factors"),
        "risks": _index(risks_file.risks, "risks.yaml", "risks"),
        "mitigations": _index(mitigations_file.mitigations, "mitigations.yaml", "mitigations"),
        "interactions": tuple(interactions_file.interactions),
        "categories": _index(model_file.categories, "model.yaml", "categories"),
        "bands": tuple(model_file.bands),
        "aggregation": model_file.aggregation,
        "runway_comfort_months": model_file.runway_comfort_months,
        "cash_signals": model_file.cash_signals,
        "axes": _index(opportunity_file.axes, "opportunity.yaml", "axes"),
        "risk_events": _read(data_dir, "risk_events.yaml", RiskEvents),
    }
    _validate_references(fields)
    return Catalogue(**fields)
