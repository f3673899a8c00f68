"""The data files load, are complete in both languages, and a broken one fails loudly."""

import shutil
from pathlib import Path

import pytest

from scoring import DataError, load_catalogue
from scoring.catalogue import DATA_DIR


def test_design_ids_are_all_present(catalogue):
    assert len(catalogue.factors) == 31
    assert len(catalogue.risks) == 27
    assert [len([r for r in catalogue.risks.values() if r.category == c]) for c in catalogue.categories] == [
        6,
        6,
        7,
        6,
        2,
    ]
    assert list(catalogue.axes) == [
        "technology", "market_space", "capital", "talent", "policy", "business_model", "data", "ecosystem", "expansion",
    ]  # fmt: skip


def test_every_text_exists_in_english_and_chinese(catalogue):
    texts = []
    for factor in catalogue.factors.values():
        texts += [factor.name, factor.low, factor.high]
    for risk in catalogue.risks.values():
        texts += [risk.name, risk.description]
    for mitigation in catalogue.mitigations.values():
        texts += [mitigation.title, mitigation.text]
    for row in catalogue.interactions:
        texts.append(row.why)
    for text in texts:
        assert text.en.strip() and text.zh.strip()
        assert any("\u4e00" <= char <= "\u9fff" for char in text.zh), text


def test_every_mitigation_cites_a_strategy_section_of_the_seed(catalogue):
    for mitigation in catalogue.mitigations.values():
        assert mitigation.section.split("-")[0] in {
            "2.2.2",
            "2.3.2",
            "2.4.2",
            "2.5.2",
            "4.5.2",
            "2.2.3",
            "2.3.3",
            "2.4.3",
            "2.5.3",
            "3.4.3",
            "4.3.3",
        }


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("factors.yaml", '    direction: "+"', "    direction: up", "factors.yaml: factors.1.direction"),
        ("factors.yaml", 'zh: "市场需求"', "fr: demande", "factors.yaml: factors.0.name"),
        (
            "risks.yaml",
            "technical.model_quality: 5",
            "technical.model_qualty: 5",
            "'technical.model_qualty' is neither",
        ),
        (
            "risks.yaml",
            "mitigations: [tech.prototype,",
            "mitigations: [tech.nothing,",
            "unknown mitigation 'tech.nothing'",
        ),
        ("interactions.yaml", "strength: 0.3", "strength: 1.5", "interactions.yaml: interactions.0.strength"),
        ("model.yaml", "below: 10", "below: 3", "model.yaml: bands"),
        (
            "opportunity.yaml",
            "opportunity.open_source: 1}",
            "opportunity.closed: 1}",
            "unknown factor 'opportunity.closed'",
        ),
        ("risks.yaml", "  - id: technical.data_dependency", "  - id: technical.model_underperforms", "duplicate id"),
        ("factors.yaml", "groups:", "groups: [", "not valid YAML"),
    ],
)
def test_broken_data_file_names_file_and_field(data_copy, file, old, new, expected):
    edit(data_copy / file, old, new)
    with pytest.raises(DataError) as info:
        load_catalogue(data_copy)
    assert expected in str(info.value)
    assert str(info.value).startswith(file)


def test_factor_that_drives_no_risk_is_rejected(data_copy):
    risks = data_copy / "risks.yaml"
    edit(risks, "{funding.tax_complexity: 4, legal.cross_border: 1}", "{legal.cross_border: 1}")
    edit(risks, "{funding.tax_complexity: 2, cash.runway: 1}", "{cash.runway: 1}")
    with pytest.raises(DataError, match=r"factor 'funding\.tax_complexity' drives no risk"):
        load_catalogue(data_copy)


def test_interaction_loop_is_rejected(data_copy):
    with (data_copy / "interactions.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "  - {source: technical.weak_innovation, target: financial.profitability_decline, strength: 0.1,\n"
            "     why: {en: loop, zh: 循环}}\n"
        )
    with pytest.raises(DataError, match=r"loop: .*financial\.profitability_decline"):
        load_catalogue(data_copy)


def test_missing_file_is_named(data_copy):
    (data_copy / "mitigations.yaml").unlink()
    with pytest.raises(DataError, match=r"^mitigations.yaml: cannot read"):
        load_catalogue(data_copy)
