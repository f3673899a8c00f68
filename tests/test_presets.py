"""Every preset is valid and its numbers tell the story of its case study."""

import pytest

from scoring import evaluate, list_presets, load_preset
from scoring.presets import TEMPLATE, preset_info

CASES = {
    "face_recognition_access_control",
    "ecommerce_ai_customer_service",
    "customer_service_cash_strapped",
    "patent_letter_customer_service",
    "medical_diagnosis",
    "recommendation_international",
    "autonomous_driving_perception",
}


def test_one_preset_per_case_study_plus_the_template():
    assert set(list_presets()) == CASES | {TEMPLATE}
    assert list_presets()[0] == TEMPLATE


@pytest.mark.parametrize("preset_id", sorted(CASES | {TEMPLATE}))
def test_preset_loads_and_evaluates(preset_id):
    report = evaluate(load_preset(preset_id))
    assert len(report.risk.items) == 27
    info = preset_info()[preset_id]
    assert info.name.en and info.name.zh and info.story.en and info.story.zh


def top_ids(preset_id: str, count: int = 5) -> set[str]:
    return {item.id for item in evaluate(load_preset(preset_id)).risk.top(count)}


def test_template_is_neutral():
    assert set(load_preset(TEMPLATE).factors.values()) == {5.0}


def test_cash_strapped_company_runs_out_within_half_a_year():
    report = evaluate(load_preset("customer_service_cash_strapped"))
    assert report.runway.months < 6
    assert not report.runway.default_alive
    assert {"financial.funding_shortfall", "financial.cash_crunch"} <= top_ids("customer_service_cash_strapped")


def test_patent_letter_puts_ip_infringement_on_top():
    assert evaluate(load_preset("patent_letter_customer_service")).risk.top(1)[0].id == "legal.ip_infringement"


def test_face_recognition_is_held_back_by_model_and_data():
    assert {"technical.model_underperforms", "technical.data_dependency"} & top_ids("face_recognition_access_control")


def test_medical_diagnosis_is_dominated_by_compliance_and_privacy():
    assert {"legal.industry_compliance", "legal.data_privacy"} <= top_ids("medical_diagnosis", 3)


def test_ecommerce_customer_service_faces_competition():
    assert "market.competition" in top_ids("ecommerce_ai_customer_service", 3)


def test_international_expansion_is_default_alive_with_cross_border_risk():
    report = evaluate(load_preset("recommendation_international"))
    assert report.runway.default_alive
    assert "legal.international_trade" in top_ids("recommendation_international", 8)
    assert report.opportunity.axes["expansion"] >= 6


def test_autonomous_driving_depends_on_the_next_round():
    report = evaluate(load_preset("autonomous_driving_perception"))
    assert report.runway.naive_months < report.runway.months  # the Series B buys the time
    assert report.runway.break_even_month is None
    # the case (4.3.3): road data is hard to collect, the model improves slowly, compute is short
    assert {"technical.model_underperforms", "market.supply_chain"} <= top_ids("autonomous_driving_perception")
