"""docs/model.md, the model card, cannot drift from the code.

Its tables of numbers are regenerated and compared with the file; the influence table is also
checked against ``sensitivity`` directly (not through the generator); every judgment test is
listed; the constants quoted in the prose are those in force; and the card points only inside
the repository.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from scoring import load_preset
from scoring import model_card as card_module
from scoring.model_card import BLOCKS, MODEL_CARD, render_blocks, stale_blocks, update_card
from scoring.sensitivity import sensitivity
from tests.helpers import CATALOGUE, ROOT

CARD = MODEL_CARD.read_text(encoding="utf-8")
FIX = "run `.venv/bin/python -m scoring.model_card` to rewrite the tables of docs/model.md"


def block(name: str, card: str = CARD) -> str:
    """The text between a generated block's BEGIN and END lines."""
    match = re.search(rf"^<!-- BEGIN GENERATED: {name} .*?-->\n(.*?)^<!-- END GENERATED: {name} ", card, re.M | re.S)
    assert match, f"docs/model.md has no generated block {name!r}"
    return match[1]


def test_the_generated_tables_are_up_to_date():
    stale = stale_blocks(CARD)
    assert not stale, f"docs/model.md is out of date ({', '.join(stale)}): {FIX}"


def test_the_influence_table_is_each_signed_factor_s_swing_on_the_neutral_template():
    rows = sensitivity(load_preset("neutral_template")).rows
    signed = {f for f, factor in CATALOGUE.factors.items() if factor.direction != "none"}
    expected = {row.input: row.risk_high - row.risk_low for row in rows if row.input in signed}
    shown = {}
    for line in block("influence").splitlines():
        match = re.fullmatch(r"\| (.+?) \| `([a-z_.]+)` \| (\w+) \| ([\d.]+) \| ([\d.]+) \| ([+-][\d.]+) \|", line)
        if match:
            shown[match[2]] = (match[1], match[3], float(match[6]))
    assert set(shown) == signed, FIX
    for factor_id, (name, emphasis, change) in shown.items():
        assert name == CATALOGUE.factors[factor_id].name.en
        assert emphasis == CATALOGUE.factors[factor_id].emphasis
        assert change == pytest.approx(expected[factor_id], abs=0.051), f"{factor_id}: {FIX}"
    swings = [abs(change) for _, _, change in shown.values()]
    assert swings == sorted(swings, reverse=True)


def test_the_generator_rewrites_only_what_is_stale():
    blocks = render_blocks()
    first_row = block("influence").splitlines()[2]
    fresh = update_card(CARD, blocks)
    broken = fresh.replace(first_row, "| a stale row |")
    assert stale_blocks(broken, blocks) == ["influence"]
    assert update_card(broken, blocks) == fresh
    with pytest.raises(ValueError, match="no markers for: presets"):
        update_card(CARD.replace("<!-- BEGIN GENERATED: presets", "<!-- gone"), blocks)


def test_the_command_checks_and_rewrites_the_card(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "model.md"
    copy.write_text(CARD.replace(block("presets"), "| an old table |\n"), encoding="utf-8")
    monkeypatch.setattr(card_module, "MODEL_CARD", copy)
    assert card_module.main(["--check"]) == 1
    assert "python -m scoring.model_card" in capsys.readouterr().err  # it names the fix
    assert card_module.main([]) == 0
    assert copy.read_text(encoding="utf-8") == update_card(CARD)
    assert card_module.main(["--check"]) == 0


def test_every_generated_block_is_in_the_card():
    for name in BLOCKS:
        assert CARD.count(f"<!-- BEGIN GENERATED: {name} ") == 1, name
        assert CARD.count(f"<!-- END GENERATED: {name} ") == 1, name


def _test_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]


@pytest.mark.parametrize("test_file", ["test_judgment.py", "test_presets.py"])
def test_every_judgment_test_is_listed_with_its_source(test_file):
    missing = [name for name in _test_names(ROOT / "tests" / test_file) if f"`{name}`" not in CARD]
    assert not missing, f"docs/model.md, section 4, does not list tests/{test_file}: {', '.join(missing)}"


def test_the_prose_quotes_the_constants_in_force():
    aggregation = CATALOGUE.aggregation
    comfort = CATALOGUE.runway_comfort_months
    assert f"γ = {aggregation.dimension_exponent:g}" in CARD
    assert "1 + 4x^γ" in CARD
    assert f"p = {aggregation.power:g}" in CARD
    assert f"C = {comfort:g} months" in CARD
    limits = [band.below for band in CATALOGUE.bands if band.below is not None]
    assert f"Bands {' / '.join(f'{limit:g}' for limit in limits)}" in CARD
    events = CATALOGUE.risk_events
    assert " · ".join(f"{p:.0%}" for p in events.probability_by_likelihood).replace("%", " %") in CARD
    assert f"more than {events.fail_after_months:g} months" in CARD


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_card_links_resolve_and_stay_inside_the_repository():
    anchors = {_slug(line.lstrip("#")) for line in CARD.splitlines() if line.startswith("#")}
    for target in re.findall(r"\]\(([^)]+)\)", CARD):
        if target.startswith("#"):
            assert target[1:] in anchors, target
        else:
            assert target.startswith("https://"), target
    for document in (CARD, (ROOT / "README.md").read_text(encoding="utf-8")):
        assert "DESIGN.md" not in document
        assert "../shared" not in document


def test_the_readme_points_to_the_card():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("(docs/model.md)") >= 2  # near the top and in "How the numbers are made"
