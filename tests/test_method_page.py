"""The Method page through AppTest: the explanation, the factor-influence table and the model card."""

import pytest
from streamlit.testing.v1 import AppTest

from presentation.i18n import text
from scoring import load_preset
from scoring.sensitivity import sensitivity
from tests.helpers import CATALOGUE, SIGNED, open_on


@pytest.fixture(scope="module", params=["en", "zh"])
def page(request) -> tuple[str, AppTest]:
    return request.param, open_on("views/method.py", request.param)


@pytest.fixture(scope="module")
def expected_change() -> dict[str, float]:
    """Overall risk with each signed factor at 10 minus at 0, on the neutral template."""
    rows = sensitivity(load_preset("neutral_template")).rows
    return {row.input: row.risk_high - row.risk_low for row in rows if row.input in SIGNED}


def influence_table(app: AppTest, lang: str):
    header = text("method.influence.change", lang)
    tables = [frame.value for frame in app.dataframe if header in frame.value.columns]
    assert len(tables) == 1, "the page shows one factor-influence table"
    return tables[0]


def test_the_page_explains_the_headline_the_curve_the_runway_pressure_and_default_alive(page):
    lang, app = page
    body = " ".join(m.value for m in app.markdown)
    titles = [s.value for s in app.header]
    assert text("method.influence.title", lang) in titles
    assert text("method.workshop.title", lang) in titles
    assert "1 + 4 · x^1.3" in body  # the dimension curve, with the exponent of data/model.yaml
    assert "(1/4)" in body  # the power mean with p = 4
    assert "1 − (" in body and "/ 24)²" in body  # the runway pressure against the 24-month comfort runway
    assert "Graham" in body
    if lang == "en":
        assert "lifts the headline from 29 to 37" in body  # one critical risk among 26 at 8
        assert "never becomes profitable is default dead" in body
        assert "expected value" in body
    else:
        assert "调研报告" in body
        assert "默认死亡" in body and "期望值" in body
        for word in ("您", "种子文档", "原始文档"):
            assert word not in body, word
    for forbidden in ("DESIGN.md", "shared/"):
        assert forbidden not in body


def test_the_influence_table_lists_every_signed_factor_with_its_computed_swing(page, expected_change):
    lang, app = page
    table = influence_table(app, lang)
    factor, emphasis, change = (text(f"method.influence.{key}", lang) for key in ("factor", "emphasis", "change"))
    assert list(table.columns) == [factor, emphasis, change]
    by_name = {CATALOGUE.factors[f].name.get(lang): f for f in SIGNED}
    assert sorted(table[factor]) == sorted(by_name)  # every signed factor, once, translated
    for name, level, value in zip(table[factor], table[emphasis], table[change], strict=True):
        factor_id = by_name[name]
        assert value == pytest.approx(expected_change[factor_id], abs=1e-9), factor_id
        assert level == text(f"method.influence.{CATALOGUE.factors[factor_id].emphasis}", lang)
    swings = [abs(value) for value in table[change]]
    assert swings == sorted(swings, reverse=True)  # largest first


def test_the_emphasis_levels_are_translated():
    levels = {text(f"method.influence.{level}", "zh") for level in ("core", "standard", "context")}
    assert levels == {"核心", "一般", "特定情形"}


def test_the_model_card_opens_from_the_page(page):
    lang, app = page
    (card,) = [e for e in app.expander if e.label == text("method.card.title", lang)]
    shown = " ".join(m.value for m in card.markdown)
    assert "Model card: how the navigator's numbers are made" in shown
    assert "<!--" not in shown  # the generator's marker lines are not shown
    assert "Cost discipline" in shown  # the generated influence table is in it
    if lang == "zh":
        assert "英文" in card.label and "英文" in shown  # the card is in English, and the page says so
