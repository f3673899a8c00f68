"""The Streamlit pages through AppTest: what a user reads after each action, and no exceptions."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def risk_delta(at: AppTest) -> float:
    return float(metric(at, "Overall risk").delta)


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def test_explore_shows_kpis_and_three_charts(at):
    assert [m.label for m in at.metric] == [
        "Overall risk", "Opportunity", "Runway", "Cash runs out", "Break-even", "If no new money",
    ]  # fmt: skip
    assert metric(at, "Runway").value == "16.7 months"
    assert metric(at, "Cash runs out").value == "2028-05"
    assert len(at.get("plotly_chart")) == 3
    assert at.title[0].value == "Neutral template"
    assert "The five biggest risks and what to do" in [s.value for s in at.subheader]


def test_raising_a_risk_factor_raises_overall_risk(at):
    at.slider(key="f:market.competition").set_value(9.0).run()
    assert not at.exception
    assert risk_delta(at) > 0
    at.slider(key="f:market.competition").set_value(1.0).run()
    assert risk_delta(at) < 0


def test_a_risk_lowering_factor_lowers_overall_risk_and_raises_opportunity(at):
    at.slider(key="f:technical.model_quality").set_value(9.0).run()
    assert risk_delta(at) < 0
    assert float(metric(at, "Opportunity").delta) > 0


def test_more_cash_lengthens_runway(at):
    at.number_input(key="fin:cash").set_value(2_000_000.0).run()
    assert not at.exception
    assert metric(at, "Runway").value == "33.3 months"  # 2M / (80k - 20k)


def test_a_preset_loads_every_control(at):
    at.selectbox(key="preset").set_value("customer_service_cash_strapped").run()
    assert not at.exception
    assert at.title[0].value == "Customer-service AI short of cash"
    assert metric(at, "Runway").value == "4.1 months"
    assert metric(at, "If no new money").value == "Runs out"
    assert at.slider(key="f:funding.cost_discipline").value == 2.0
    assert float(metric(at, "Overall risk").delta) == 0.0  # the preset is its own baseline


def test_language_switch_changes_labels(at):
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert metric(at, "总体风险")
    assert "五大风险及应对措施" in [s.value for s in at.subheader]
    assert at.slider(key="f:market.demand").label == "市场需求"


def test_funding_after_the_horizon_is_named_and_the_last_valid_scenario_stays(at):
    at.selectbox(key="preset").set_value("face_recognition_access_control").run()
    shown = metric(at, "Overall risk").value, metric(at, "Runway").value
    at.slider(key="fin:horizon_months").set_value(6).run()  # the Series A arrives in month 10
    assert not at.exception
    (error,) = at.error
    assert "Funding round 1: Month" in error.value and "after the last month of the horizon (6)" in error.value
    assert (metric(at, "Overall risk").value, metric(at, "Runway").value) == shown
    assert at.warning  # the page says it shows the last valid scenario


def test_validation_messages_speak_chinese_in_the_chinese_interface(at):
    at.session_state["lang"] = "zh"
    at.selectbox(key="preset").set_value("face_recognition_access_control").run()
    at.slider(key="fin:horizon_months").set_value(6).run()
    (error,) = at.error
    assert error.value.startswith("第 1 轮融资：月份：第 10 个月超出了预测期（共 6 个月）")


def test_a_malformed_start_month_is_named(at):
    at.text_input(key="fin:start_month").set_value("2027-13").run()
    assert not at.exception
    assert "Start month" in at.error[0].value


def test_an_edited_funding_round_reaches_the_runway(at):
    at.session_state["funding_rows"] = [{"month": 10, "amount": 600_000.0, "label": "Seed"}]
    at.run()
    assert not at.exception
    assert metric(at, "Runway").value == "26.7 months"  # 1.6M over a 60k net burn


def test_picking_a_risk_shows_its_mitigations(at):
    at.selectbox(key="risk_pick").set_value("legal.ip_infringement").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Search patents before you build" in text


def test_risks_page_filters_the_register(at):
    at.switch_page("pages/risks.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 27
    at.multiselect(key="risk_filter_category").set_value(["legal"]).run()
    assert len(at.dataframe[0].value) == 6
    at.multiselect(key="risk_filter_band").set_value(["critical"]).run()
    assert len(at.dataframe[0].value) <= 6


def test_method_page_prints_the_conventions(at):
    at.switch_page("pages/method.py").run()
    assert not at.exception
    body = " ".join(m.value for m in at.markdown)
    assert "Low < 5 · Medium < 10 · High < 17 · Critical ≥ 17" in body
    assert "exactly 12.0 months" in body
