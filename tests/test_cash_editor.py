"""The funding-round editor and the money limits (issue 14, item 3), through AppTest.

The neutral template (data/presets/neutral_template.json) is the starting point: 1,000,000 USD of
cash, 80,000 of costs and 20,000 of revenue a month (a flat net burn of 60,000), 36 months from
2027-01, no rounds. So its runway is 1,000,000 / 60,000 = 16.7 months, and every round of
``amount`` inside the runway adds ``amount / 60,000`` months.
"""

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.fields import (
    CASH_OPEN,
    FUNDING_DRAFT,
    FUNDING_ROWS,
    by_path,
    funding_data,
    round_status,
    round_summary,
)
from dashboard.sidebar import FUNDING_DIALOG
from presentation.i18n import text
from scoring import ScenarioError, load_scenario
from tests.helpers import metric, new_session, run_cli

USD_CASH_LIMIT = "100,000,000,000 USD"  # scoring/scenario.py: MONEY_LIMITS_USD["finance.cash"] = 1e11


@pytest.fixture
def at() -> AppTest:
    app = new_session(cash_plan=True).run()
    assert not app.exception
    return app


def runway(at: AppTest) -> str:
    return metric(at, text("kpi.runway", "en")).value


def open_editor(at: AppTest, new: bool = True) -> None:
    at.button(key="funding:add" if new else "funding:open").click().run()
    assert not at.exception
    assert at.session_state[FUNDING_DIALOG]


def form(at: AppTest, column: str):
    return at.text_input(key="funding:label") if column == "label" else at.number_input(key=f"funding:{column}")


def type_into(at: AppTest, **values) -> None:
    """Type each value and commit it (Enter), one rerun each, as a person does."""
    for column, value in values.items():
        form(at, column).set_value(value).run()
        assert not at.exception


def sidebar_lines(at: AppTest) -> list[str]:
    return [line.value for line in at.sidebar.text]


def everything_shown(at: AppTest) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.info, *at.caption, *at.text, *at.markdown)]
    return "\n".join(str(part) for part in parts)


# --- adding, the half-typed round, a wrong round -----------------------------------------------------


def test_a_round_added_through_the_form_reaches_the_summary_and_the_runway(at):
    assert runway(at).startswith("16.7")
    open_editor(at)
    type_into(at, amount=600_000.0, month=10, label="Seed")
    at.button(key="funding:save").click().run()
    assert not at.exception
    assert at.session_state[FUNDING_ROWS] == [{"month": 10, "amount": 600_000.0, "probability": 100.0, "label": "Seed"}]
    assert not at.session_state[FUNDING_DIALOG]  # saved: the dialog closes
    assert "1. 2027-10 · 600k USD · 100 % · Seed" in sidebar_lines(at)  # month 10 of a plan from 2027-01
    assert runway(at).startswith("26.7")  # (1,000,000 + 600,000) / 60,000
    assert not at.error


def test_a_half_typed_round_keeps_its_values_shows_no_error_and_survives_reruns_and_pages(at):
    open_editor(at)
    type_into(at, amount=3_000_000.0)  # the founder's Enter in the amount, the month not yet typed
    assert form(at, "amount").value == 3_000_000.0
    assert not at.error
    assert "Not counted yet: add the month to count this round. What you typed is kept." in everything_shown(at)
    at.button(key="funding:save").click().run()  # Save too early: nothing is saved and nothing is lost
    assert at.session_state[FUNDING_ROWS] == []
    assert form(at, "amount").value == 3_000_000.0
    at.number_input(key=by_path("finance.cash").key).set_value(2_000_000.0).run()  # another widget's rerun
    assert form(at, "amount").value == 3_000_000.0
    at.switch_page("views/risks.py").run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    assert at.session_state[FUNDING_DRAFT]["amount"] == 3_000_000.0
    assert "Not saved yet: — · 3M USD · 100 %" in sidebar_lines(at)
    shown = everything_shown(at)
    for pydantic_words in ("valid number", "NoneType", "Input should"):
        assert pydantic_words not in shown
    assert runway(at).startswith("33.3")  # 2,000,000 / 60,000: the half round does not count
    type_into(at, month=14)  # the form is still open with the amount; the month completes it
    at.button(key="funding:save").click().run()
    assert at.session_state[FUNDING_ROWS] == [{"month": 14, "amount": 3_000_000.0, "probability": 100.0, "label": None}]
    assert runway(at).replace(" ", "").startswith(">36")  # 5,000,000 / 60,000 = 83 months: past the horizon


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"month": 40, "amount": 1e6}, "Month must be within the plan's 36 months (Months to project), not 40."),
        ({"month": 0, "amount": 1e6}, "Month must be at least 1."),
        ({"month": 10, "amount": 2e11}, f"Amount must be at most {USD_CASH_LIMIT}."),
        ({"month": 10, "amount": -5.0}, "Amount must be at least 0."),
        ({"month": 10, "amount": 1e6, "probability": 150.0}, "Chance must be between 0 and 100 %."),
    ],
)
def test_a_complete_wrong_round_names_the_field_and_is_not_saved(at, typed, message):
    open_editor(at)
    type_into(at, **typed)
    (error,) = at.error
    assert error.value == message
    at.button(key="funding:save").click().run()
    assert at.session_state[FUNDING_ROWS] == []
    assert at.session_state[FUNDING_DIALOG]  # still open, with what was typed
    assert all(form(at, column).value == value for column, value in typed.items())


def test_the_chinese_form_names_the_field_in_chinese():
    app = new_session("zh", cash_plan=True).run()
    open_editor(app)
    type_into(app, month=10, amount=2e11)
    assert app.error[0].value == f"金额不能大于 {USD_CASH_LIMIT}。"
    type_into(app, amount=None)
    assert "请填写金额" in everything_shown(app)


# --- editing and deleting ----------------------------------------------------------------------------


def test_a_round_is_edited_in_place_and_deleted(at):
    at.session_state[FUNDING_ROWS] = [{"month": 10, "amount": 600_000.0, "probability": 100.0, "label": "Seed"}]
    at.run()
    assert runway(at).startswith("26.7")  # (1,000,000 + 600,000) / 60,000
    open_editor(at, new=False)
    at.button(key="funding:edit:0").click().run()
    assert (form(at, "month").value, form(at, "amount").value, form(at, "label").value) == (10, 6e5, "Seed")
    type_into(at, amount=900_000.0, probability=60.0)
    at.button(key="funding:save").click().run()
    assert at.session_state[FUNDING_ROWS] == [{"month": 10, "amount": 900_000.0, "probability": 60.0, "label": "Seed"}]
    assert "1. 2027-10 · 900k USD · 60 % · Seed" in sidebar_lines(at)
    assert runway(at).startswith("31.7")  # a planned round counts in full: (1,000,000 + 900,000) / 60,000
    open_editor(at, new=False)
    at.button(key="funding:delete:0").click().run()
    assert at.session_state[FUNDING_ROWS] == []
    at.button(key="funding:done").click().run()
    assert not at.session_state[FUNDING_DIALOG]
    assert text("funding.none", "en") in everything_shown(at)
    assert runway(at).startswith("16.7")
    assert not at.exception


def test_an_unsaved_edit_survives_closing_and_add_a_round_and_outlives_its_round(at):
    at.session_state[FUNDING_ROWS] = [{"month": 10, "amount": 600_000.0, "probability": 100.0, "label": "Seed"}]
    at.run()
    open_editor(at, new=False)
    at.button(key="funding:edit:0").click().run()
    type_into(at, amount=700_000.0)
    at.button(key="funding:done").click().run()  # closed without saving: kept, and the sidebar says so
    assert "Not saved yet: 2027-10 · 700k USD · 100 % · Seed" in sidebar_lines(at)
    open_editor(at, new=True)  # "Add a round" does not throw the edit away
    assert form(at, "amount").value == 700_000.0
    assert "Round 1" in [heading.value for heading in at.subheader]
    at.button(key="funding:done").click().run()
    at.selectbox(key="preset").set_value("face_recognition_access_control").run()  # new rounds: a Series A
    open_editor(at, new=False)
    assert "New round" in [heading.value for heading in at.subheader]  # round 1 is another round now
    at.button(key="funding:save").click().run()
    rows = at.session_state[FUNDING_ROWS]
    assert [(row["month"], row["amount"], row["label"]) for row in rows] == [
        (10, 2_000_000.0, "Series A"),  # data/presets/face_recognition_access_control.json, untouched
        (10, 700_000.0, "Seed"),  # the edit, saved as a round of its own
    ]


# --- the round the raise hint suggests -----------------------------------------------------------


def test_the_suggested_round_is_the_raise_hints_month_and_amount(at):
    """With no uncertainty every future is the plan: P10 = 16.7 months. A 6-month raise leaves
    10.7 months of slack, so raising starts by month 11 (2027-11) and the money lands in month
    11 + 6 = 17 (2028-05); 18 months of the 60,000 net burn is 1,080,000, two figures up: 1.1M."""
    for path in (
        "finance.uncertainty.cost_sd",
        "finance.uncertainty.revenue_sd",
        "finance.uncertainty.revenue_growth_sd",
    ):
        at.session_state[by_path(path).key] = 0.0
    at.session_state[by_path("finance.uncertainty.risk_events").key] = False
    at.run()
    assert any("Start raising by 2027-11" in hint.value for hint in at.info)  # the Explore page's raise hint
    open_editor(at)
    suggestion = next(info.value for info in at.info if info.value.startswith("The raise hint"))
    assert "start raising by 2027-11" in suggestion and "land in 2028-05: 1.1M USD" in suggestion
    at.button(key="funding:suggest").click().run()
    assert (form(at, "month").value, form(at, "amount").value) == (17, 1_100_000.0)
    at.button(key="funding:save").click().run()
    assert at.session_state[FUNDING_ROWS][0] | {"label": None} == {
        "month": 17,
        "amount": 1_100_000.0,
        "probability": 100.0,
        "label": None,
    }
    assert runway(at).startswith("35.0")  # (1,000,000 + 1,100,000) / 60,000


def test_the_suggestion_never_overwrites_what_is_typed(at):
    open_editor(at)
    type_into(at, amount=250_000.0)
    assert at.button(key="funding:suggest").disabled


# --- the money limits everywhere ----------------------------------------------------------------------


def test_over_limit_cash_in_a_link_is_refused_naming_the_field():
    app = new_session()
    app.query_params["cash"] = "200000000000"
    app.run()
    assert not app.exception
    warning = app.warning[0].value
    assert "Cash on hand" in warning and f"must be at most {USD_CASH_LIMIT}" in warning
    assert app.session_state[by_path("finance.cash").key] == 1_000_000  # the template's, kept


def test_over_limit_cash_in_a_file_and_on_the_command_line_is_refused_naming_the_field(tmp_path, capsys):
    path = tmp_path / "trillion.json"
    path.write_text(json.dumps({"finance": {"cash": 1e12, "monthly_costs": 60_000, "monthly_revenue": 0}}))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == f"{path}: finance.cash: must be at most {USD_CASH_LIMIT}"
    code, out, err = run_cli(capsys, "evaluate", str(path))
    assert code != 0 and out == ""
    assert f"finance.cash: must be at most {USD_CASH_LIMIT}" in err


def test_the_cash_widget_takes_the_limit_of_the_currency_and_a_currency_switch_names_the_field(at):
    cash = by_path("finance.cash").key
    assert at.number_input(key=cash).max == 1e11
    at.selectbox(key=by_path("currency").key).set_value("JPY").run()
    assert at.number_input(key=cash).max == 1e14  # about 1000 yen to the dollar, rounded up
    at.number_input(key=cash).set_value(5e13).run()  # 50 trillion yen: possible in yen ...
    assert not at.error
    at.selectbox(key=by_path("currency").key).set_value("USD").run()  # ... not in dollars
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith(f"Cash on hand: must be at most {USD_CASH_LIMIT}")


# --- the rows behind the form ----------------------------------------------------------------------


def test_a_round_counts_once_its_month_and_amount_are_there():
    rows = [
        {"month": 14, "amount": None, "probability": 100.0, "label": ""},
        {"month": None, "amount": 3e6, "probability": 60.0, "label": None},
        {"month": None, "amount": None, "probability": 100.0, "label": "Series B"},
        {"month": None, "amount": None, "probability": 100.0, "label": ""},
        {"month": 9, "amount": 1.5e6, "probability": 60.0, "label": "Series A"},
    ]
    assert [round_status(row) for row in rows] == ["partial", "partial", "partial", "empty", "complete"]
    assert funding_data(rows) == [{"month": 9, "amount": 1.5e6, "probability": 0.6, "label": "Series A"}]


def test_a_round_reads_as_one_line():
    row = {"month": 14, "amount": 3e6, "probability": 60.0, "label": "Series A"}
    assert round_summary(row, "USD", None, "en") == "Month 14 · 3M USD · 60 % · Series A"
    assert round_summary(row, "USD", "2027-01", "en") == "2028-02 · 3M USD · 60 % · Series A"
    assert round_summary(row, "CNY", None, "zh") == "第 14 个月 · 3M CNY · 60% · Series A"
    assert round_summary({"amount": 250_000.0}, "EUR", None, "en") == "— · 250k EUR · 100 %"


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("en", "1M USD in the bank · costs 80k USD/mo · revenue 20k USD/mo · 36 months · no funding rounds"),
        ("zh", "现金 1M USD · 每月成本 80k USD · 每月收入 20k USD · 预测 36 个月 · 无融资"),
    ],
)
def test_the_cash_plan_starts_folded_and_says_what_it_holds(lang, template):
    """A first visit shows the plan as one line under its closed expander (open, its controls are
    redrawn on every slider move); what is typed once it is opened shows in that line when closed,
    a round being typed included. The template's plan, read off data/presets by hand."""
    app = new_session(lang).run()
    assert not app.exception
    assert not app.number_input  # none of the plan's controls is drawn
    assert [c.value for c in app.sidebar.caption][-1] == template
    app.session_state[CASH_OPEN] = True
    app.run()
    app.number_input(key=by_path("finance.cash").key).set_value(2_500_000.0).run()
    open_editor(app)
    type_into(app, amount=500_000.0)  # no month yet: a draft, not a round
    app.button(key="funding:done").click().run()
    app.session_state[CASH_OPEN] = False
    app.run()
    assert not app.exception and not app.number_input
    line = [c.value for c in app.sidebar.caption][-1]
    assert line.startswith("2.5M USD in the bank · " if lang == "en" else "现金 2.5M USD · ")
    assert line.endswith(" · a round not saved yet" if lang == "en" else " · 有一轮尚未保存")
