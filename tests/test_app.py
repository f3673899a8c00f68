"""The Streamlit pages through AppTest: what a user reads after each action, and no exceptions."""

import json
from pathlib import PurePosixPath

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.fields import by_path, factor_key
from dashboard.state import fold_variant_edits
from presentation.formatting import money
from scoring import evaluate, load_preset, parse_scenario, parse_scenario_json
from scoring.links import apply_changes
from scoring.presets import PRESETS_DIR
from scoring.valuation import value_company
from tests.helpers import CATALOGUE, compare_page, kpi_frame, metric, move_factor, new_session, open_on, with_link


def widget_key(path: str) -> str:
    """The session-state key of the widget that edits the scenario field at ``path``."""
    return by_path(path).key


def runway_series(at: AppTest) -> list[str]:
    """The names in the runway chart's legend (its colour scale)."""
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    first = spec["layer"][0]
    while "layer" in first:
        first = first["layer"][0]
    return first["encoding"]["color"]["scale"]["domain"]


def risk_delta(at: AppTest) -> float:
    return float(metric(at, "Overall risk").delta.replace("±", ""))  # "±0.0" is shown for no change


def read_counts(shown: str, lang: str = "en") -> list[tuple[str, int]]:
    """ "2 critical · 5 high" (zh "极高 2 项 · 高 5 项") back into [(band id, count)], in the order shown."""
    by_name = {band.name.get(lang).lower(): band.id for band in CATALOGUE.bands}
    pairs = []
    for part in shown.split(" ·\u00a0"):
        if " " in part:  # a count and its band are tied by a no-break space: never parted at a line break
            raise ValueError(f"not a band count: {part!r}")
        words = part.replace("\u00a0", " ").removesuffix(" 项").split(" ")
        count, name = (words[0], words[1]) if lang == "en" else (words[1], words[0])
        pairs.append((by_name[name.lower()], int(count)))
    return pairs


def expected_counts(scenario) -> list[tuple[str, int]]:
    """The scoring result's band_counts, highest band first, empty bands left out."""
    counts = evaluate(scenario).risk.band_counts
    assert sum(counts.values()) == len(CATALOGUE.risks)
    return [(band.id, counts[band.id]) for band in reversed(CATALOGUE.bands) if counts[band.id]]


def risk_counts_caption(at: AppTest, lang: str = "en") -> str:
    """The line under the overall-risk figure: the one caption that reads as band counts."""
    for caption in at.caption:
        try:
            read_counts(caption.value, lang)
        except (KeyError, ValueError, IndexError):
            continue
        return caption.value
    raise AssertionError("no caption with the risks per band")


@pytest.fixture
def at() -> AppTest:
    app = new_session(cash_plan=True).run()
    assert not app.exception
    return app


def test_explore_shows_kpis_and_three_charts(at):
    assert [m.label for m in at.metric] == [
        "Overall risk", "Opportunity", "Runway", "Bad case (P10)", "Cash runs out", "Break-even",
        "No new money",
    ]  # fmt: skip
    assert metric(at, "Runway").value == "16.7 mo"
    assert metric(at, "Cash runs out").value == "2028-05"
    assert len(at.get("plotly_chart")) == 2  # heatmap and radar
    assert len(at.get("vega_lite_chart")) == 1  # runway
    assert at.title[0].value == "Neutral template"
    assert "<h2>The five biggest risks and what to do</h2>" in " ".join(block.proto.body for block in at.html)
    assert "Any risk in detail" in [s.value for s in at.header]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_risks_per_band_sit_under_the_overall_risk(lang):
    app = new_session(lang).run()
    shown = risk_counts_caption(app, lang)
    assert read_counts(shown, lang) == expected_counts(app.session_state["last_valid"])
    app.selectbox(key="preset").set_value("customer_service_cash_strapped").run()
    expected = expected_counts(load_preset("customer_service_cash_strapped"))
    assert read_counts(risk_counts_caption(app, lang), lang) == expected


def test_raising_a_risk_factor_raises_overall_risk(at):
    at.slider(key=factor_key("market.competition")).set_value(9.0).run()
    assert not at.exception
    assert risk_delta(at) > 0
    at.slider(key=factor_key("market.competition")).set_value(1.0).run()
    assert risk_delta(at) < 0


def test_a_risk_lowering_factor_lowers_overall_risk_and_raises_opportunity(at):
    move_factor(at, "technical.model_quality", 9.0)
    assert risk_delta(at) < 0
    assert float(metric(at, "Opportunity").delta) > 0


def test_more_cash_lengthens_runway(at):
    at.number_input(key=widget_key("finance.cash")).set_value(2_000_000.0).run()
    assert not at.exception
    assert metric(at, "Runway").value == "33.3 mo"  # 2M / (80k - 20k)


def test_a_preset_loads_every_control(at):
    at.selectbox(key="preset").set_value("customer_service_cash_strapped").run()
    assert not at.exception
    assert at.title[0].value == "Customer-service AI short of cash"
    assert metric(at, "Runway").value == "4.1 mo"
    assert metric(at, "No new money").value == "Runs out"
    assert at.session_state[factor_key("funding.cost_discipline")] == 2.0
    assert metric(at, "Overall risk").delta == "±0.0"  # the preset is its own baseline: no change, grey


def test_language_switch_changes_labels(at):
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert metric(at, "总体风险")
    assert "风险详情" in [s.value for s in at.header]
    assert "<h2>五大风险及应对措施</h2>" in " ".join(block.proto.body for block in at.html)
    assert at.slider(key=factor_key("market.demand")).label == "市场需求"


def test_funding_after_the_horizon_is_named_and_the_last_valid_scenario_stays(at):
    at.selectbox(key="preset").set_value("face_recognition_access_control").run()
    shown = metric(at, "Overall risk").value, metric(at, "Runway").value
    at.slider(key=widget_key("finance.horizon_months")).set_value(6).run()  # the Series A arrives in month 10
    assert not at.exception
    (error,) = at.error
    assert "Funding round 1: Month" in error.value and "after the last month of the horizon (6)" in error.value
    assert (metric(at, "Overall risk").value, metric(at, "Runway").value) == shown
    assert at.warning  # the page says it shows the last valid scenario


def test_validation_messages_speak_chinese_in_the_chinese_interface(at):
    at.session_state["lang"] = "zh"
    at.selectbox(key="preset").set_value("face_recognition_access_control").run()
    at.slider(key=widget_key("finance.horizon_months")).set_value(6).run()
    (error,) = at.error
    assert error.value.startswith("第 1 轮融资：月份：第 10 个月超出了预测期（共 6 个月）")


def test_a_malformed_start_month_is_named(at):
    at.text_input(key=widget_key("settings.start_month")).set_value("2027-13").run()
    assert not at.exception
    assert "Start month" in at.error[0].value


def test_an_edited_funding_round_reaches_the_runway(at):
    at.session_state["funding_rows"] = [{"month": 10, "amount": 600_000.0, "label": "Seed"}]
    at.run()
    assert not at.exception
    assert metric(at, "Runway").value == "26.7 mo"  # 1.6M over a 60k net burn


def test_picking_a_risk_shows_its_mitigations(at):
    at.selectbox(key="risk_pick").set_value("legal.ip_infringement").run()
    assert not at.exception
    text = " ".join(block.proto.body for block in at.html)
    assert "<strong>Search patents before you build</strong>" in text


def register(at: AppTest) -> list[str]:
    """The risk codes the Risks page lists, top row first."""
    return list(at.dataframe[0].value["code"])


def codes(scenario, category: str | None = None, band: str | None = None) -> set[str]:
    """The codes of the scenario's risks in this category and band, picked here from the scoring
    result's items (not from the page)."""
    return {
        CATALOGUE.risk_code(item.id)
        for item in evaluate(scenario).risk.items
        if category in (None, item.category) and band in (None, item.band)
    }


def test_risks_page_lists_exactly_the_risks_of_the_chosen_category_and_band(at):
    """The medical-diagnosis preset has six legal risks, two of them high (the other four medium):
    the category filter keeps the six, the band filter then only the two."""
    at.selectbox(key="preset").set_value("medical_diagnosis").run()
    at.switch_page("views/risks.py").run()
    assert not at.exception
    scenario = load_preset("medical_diagnosis")
    shown = register(at)
    assert len(shown) == len(set(shown)) == 27 and set(shown) == codes(scenario)
    at.multiselect(key="risk_filter_category").set_value(["legal"]).run()
    legal = codes(scenario, category="legal")
    assert len(legal) == 6 and set(register(at)) == legal and len(register(at)) == 6
    at.multiselect(key="risk_filter_band").set_value(["high"]).run()
    legal_high = codes(scenario, category="legal", band="high")
    assert len(legal_high) == 2 and legal_high < legal  # the band filter must drop four rows
    assert sorted(register(at)) == sorted(legal_high)
    at.multiselect(key="risk_filter_category").set_value([]).run()  # the band alone: high risks of every kind
    high = codes(scenario, band="high")
    assert high > legal_high and sorted(register(at)) == sorted(high)
    assert f"{len(high)} of 27 risks shown." in " ".join(c.value for c in at.caption)


def test_method_page_prints_the_conventions(at):
    at.switch_page("views/method.py").run()
    assert not at.exception
    body = " ".join(m.value for m in at.markdown)
    assert "Low < 5 · Medium < 10 · High < 17 · Critical ≥ 17" in body
    assert "exactly 12.0 months" in body
    assert "1% · 5% · 15% · 35% · 65%" in body  # likelihood -> chance anchors, from data/risk_events.yaml
    assert "every later funding round slips 3 months" in body


def test_the_bad_case_sits_beside_the_naive_runway_and_says_when_to_raise(at):
    p10 = float(metric(at, "Bad case (P10)").value.removesuffix(" mo"))
    assert p10 < 16.7  # the template's risk events shorten the plan's 16.7 months
    assert metric(at, "Runway").delta == "naive 16.7"  # 1M / (80k - 20k)
    assert metric(at, "Bad case (P10)").delta.startswith("median ")
    assert metric(at, "No new money").delta == "0% survive"
    (hint,) = at.info
    assert hint.value.startswith("**Start raising by 2027-")
    assert f"after {p10:.1f} months" in hint.value
    assert runway_series(at) == ["Plan", "P10–P90 of futures", "Median future", "Share out of cash"]


def test_risk_events_off_gives_back_the_plan_runway(at):
    with_events = metric(at, "Bad case (P10)").delta  # "median 15.1"
    at.session_state[widget_key("finance.uncertainty.risk_events")] = False
    at.run()
    assert not at.exception
    without = metric(at, "Bad case (P10)").delta
    assert float(without.split()[1]) > float(with_events.split()[1])
    assert "with risk events" not in " ".join(c.value for c in at.caption)


def test_no_uncertainty_means_one_future_and_no_fan(at):
    for swing in ("cost_sd", "revenue_sd", "revenue_growth_sd"):
        at.session_state[widget_key(f"finance.uncertainty.{swing}")] = 0.0
    at.session_state[widget_key("finance.uncertainty.risk_events")] = False
    at.run()
    assert metric(at, "Bad case (P10)").value == metric(at, "Runway").value == "16.7 mo"
    assert runway_series(at) == ["Balance"]


def test_a_long_fundraise_says_start_now(at):
    at.session_state[widget_key("settings.fundraising_lead_months")] = 24.0
    at.run()
    assert any(w.value.startswith("**Start raising now.**") for w in at.warning)


def test_an_uncertain_round_shortens_the_bad_case(at):
    at.session_state[widget_key("finance.uncertainty.risk_events")] = False
    at.session_state["funding_rows"] = [{"month": 10, "amount": 600_000.0, "probability": 100.0, "label": "Seed"}]
    at.run()
    assert metric(at, "Bad case (P10)").value.startswith("2")  # ~26 months with the round
    at.session_state["funding_rows"] = [{"month": 10, "amount": 600_000.0, "probability": 50.0, "label": "Seed"}]
    at.run()
    assert not at.exception
    assert float(metric(at, "Bad case (P10)").value.removesuffix(" mo")) < 17  # half the futures miss the round


def test_sensitivity_page_ranks_every_input():
    at = open_on("views/sensitivity.py")
    assert "Neutral template" in at.caption[0].value
    assert len(at.dataframe[0].value) == 37  # 31 factors + 6 cash inputs
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["y"][0] == "Monthly costs"
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.title[0].value == "哪些输入最关键"


def test_the_uncertainty_controls_widen_the_futures(at):
    at.session_state["open:uncertainty"] = True  # the expander renders its controls only while open
    at.run()
    assert (
        at.toggle(key=widget_key("finance.uncertainty.risk_events")).value is True
    )  # the template ships with risk events on
    p10 = float(metric(at, "Bad case (P10)").value.removesuffix(" mo"))
    at.number_input(key=widget_key("finance.uncertainty.cost_sd")).set_value(40.0).run()
    assert not at.exception
    assert float(metric(at, "Bad case (P10)").value.removesuffix(" mo")) < p10  # a wider spread, a worse bad case
    at.number_input(key=widget_key("settings.fundraising_lead_months")).set_value(12.0).run()
    hints = " ".join(a.value for a in [*at.info, *at.warning])
    assert "a raise takes about 12 months" in hints or "the 12 months a raise takes" in hints


def test_the_address_bar_holds_only_what_changed_and_reopens_the_view(at):
    assert dict(at.query_params) == {}  # the untouched template needs no parameters
    at.slider(key=factor_key("market.competition")).set_value(9.0).run()
    at.number_input(key=widget_key("finance.cash")).set_value(750_000.0).run()
    link = {key: at.query_params[key] for key in at.query_params}
    assert link == {"market.competition": "9", "cash": "750000"}
    reopened = with_link(link)
    assert not reopened.exception and not reopened.warning
    for label in ("Overall risk", "Runway", "Bad case (P10)", "Cash runs out"):
        assert metric(reopened, label).value == metric(at, label).value


def test_a_preset_link_opens_the_preset_in_its_language():
    app = with_link({"preset": "medical_diagnosis", "lang": "zh"})
    assert not app.exception
    assert app.title[0].value == "智能医疗诊断"
    assert app.session_state[widget_key("finance.cash")] == 4_000_000  # data/presets/medical_diagnosis.json
    assert dict(app.query_params) == {"preset": "medical_diagnosis", "lang": "zh"}


def test_a_tampered_link_names_what_it_ignored_and_keeps_the_rest():
    app = with_link(
        {
            "cash": "500000",
            "market.demand": "eleven",
            "monthly_costs": "-1",
            "name": "<script>alert(1)</script>",
            "admin": "true",
            "preset": "../../etc/passwd",
        }
    )
    assert not app.exception
    warning = app.warning[0].value
    for named in ("Proven demand", "Monthly costs", "Scenario name", "admin", "Start from"):
        assert named in warning
    assert app.title[0].value == "Neutral template"
    assert app.session_state[widget_key("finance.cash")] == 500_000
    assert dict(app.query_params) == {"cash": "500000"}  # the address bar is cleaned up
    app.run()
    assert not app.warning  # said once


def downloaded(at: AppTest, key: str, served: dict[str, bytes]) -> tuple[str, bytes]:
    """The label of the download button with this key, and the file behind its link."""
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    return button.proto.label, served[PurePosixPath(button.proto.url).stem]


def uploader(at: AppTest):
    """The scenario-file uploader (a fresh key after every upload)."""
    version = at.session_state.get("upload_version", 0)
    return at.file_uploader(key=f"upload:{version}")


def test_a_scenario_file_round_trips_through_download_and_upload(at, served):
    at.session_state["open:share"] = True
    at.selectbox(key="preset").set_value("medical_diagnosis").run()
    at.number_input(key=widget_key("finance.monthly_costs")).set_value(95_000.0).run()
    label, content = downloaded(at, "download_json", served)
    assert label == "Download scenario (JSON)"
    saved = json.loads(content)  # what the user gets: data/presets/medical_diagnosis.json, costs 95k
    assert saved["name"] == "Medical-diagnosis model" and saved["currency"] == "USD"
    assert saved["factors"]["legal.sector_regulation"] == 9 and saved["factors"]["technical.data_access"] == 2
    finance = saved["finance"]
    assert (finance["cash"], finance["monthly_costs"], finance["monthly_revenue"]) == (4_000_000, 95_000, 10_000)
    assert (finance["cost_growth"], finance["revenue_growth"], finance["horizon_months"]) == (0.025, 0.08, 60)
    assert [(r["month"], r["amount"], r["label"]) for r in finance["funding"]] == [(18, 6_000_000, "Series B")]
    assert saved["settings"]["start_month"] == "2027-01"
    preset = json.loads((PRESETS_DIR / "medical_diagnosis.json").read_text(encoding="utf-8"))
    preset["finance"]["monthly_costs"] = 95_000
    assert parse_scenario_json(content) == parse_scenario(preset)  # every field, read back as the app reads it
    saved["name"] = "Founder's own plan"
    saved["finance"]["cash"] = 3_000_000
    uploader(at).set_value(("plan.json", json.dumps(saved).encode(), "application/json")).run()
    assert not at.exception
    assert at.title[0].value == "Founder's own plan"
    assert (
        at.session_state[widget_key("finance.cash")] == 3_000_000
        and at.session_state[widget_key("finance.monthly_costs")] == 95_000
    )


def test_a_bad_scenario_file_is_named_and_nothing_changes(at):
    at.session_state["open:share"] = True
    at.run()
    bad = {"finance": {"cash": 1, "monthly_costs": 1, "monthly_revenue": 0}, "factors": {"market.demnd": 3}}
    uploader(at).set_value(("bad.json", json.dumps(bad).encode(), "application/json")).run()
    assert not at.exception
    assert "bad.json was not loaded" in at.error[0].value and "market.demand" in at.error[0].value
    assert at.title[0].value == "Neutral template"
    uploader(at).set_value(("big.json", b" " * 1_000_001, "application/json")).run()
    assert "larger than 1000 kB" in at.error[0].value


def test_a_page_switch_keeps_every_control(at):
    """Values loaded by code (the preset on the first run) must reach the controls of the next
    page too; they used to be drawn at their defaults there (sliders 0, cash 0, no name), and
    the next rerun took those defaults for the scenario. (The browser test checks the same.)"""
    at.switch_page("views/compare.py").run()
    at.run()  # the next rerun carries back what the new page's controls show
    assert at.session_state["name"] == "Neutral template"
    assert at.session_state[widget_key("finance.cash")] == 1_000_000
    assert at.session_state[factor_key("market.demand")] == 5.0
    assert "The Explore scenario (Neutral template)" in at.selectbox(key="compare_base").options


def test_the_compare_table_shows_a_lasting_runway_and_a_name_as_written():
    """st.table reads its cells as Markdown: "> 60 mo" would become a quote bar and a name like
    "[Win](x)" a link, so what it is handed is escaped."""
    at = compare_page()
    at.selectbox(key="compare_base").set_value("preset:medical_diagnosis").run()
    at.button(key="add:bull").click().run()  # the bull case lasts the 60-month horizon
    at.session_state["variants"][0]["name"] = "[Win](https://evil.test) *now*"
    at.run()
    assert not at.exception
    table = kpi_frame(at)
    assert table.loc["Runway"].iloc[1] == "\\> 60 mo"
    # escaped by hand; a word joiner (U+2060) splits "https://", which GFM would link even escaped
    assert table.columns[1] == "\\[Win\\](https\\:\u2060\\/\\/evil.test) \\*now\\*"


def test_compare_bull_and_bear_against_the_base():
    at = compare_page()
    assert "Add a variant above" in at.info[0].value
    at.button(key="add:bull").click().run()
    at.button(key="add:bear").click().run()
    assert not at.exception
    table = kpi_frame(at)
    assert list(table.columns) == ["Neutral template", "Bull case", "Bear case"]
    assert table.loc["Runway", "Neutral template"] == "16.7 mo"
    # by a month-by-month loop by hand: 1M against 80k of costs and 25k of revenue growing 2 % a
    # month runs out after 20.17 months; against 88k of costs and 15k shrinking 2 %, after 13.38
    assert table.loc["Runway", "Bull case"] == "20.2 mo (+3.5 mo)"
    assert table.loc["Runway", "Bear case"] == "13.4 mo (-3.3 mo)"
    base = at.session_state["last_valid"]
    variants = [
        apply_changes(base, {r["setting"]: r["value"] for r in v["rows"]})[0] for v in at.session_state["variants"]
    ]
    for column, scenario in zip(table.columns, [base, *variants], strict=True):
        assert read_counts(kpi_frame(at, spaces=False).loc["Risks per band", column]) == expected_counts(scenario)
    assert list(table.index).index("Risks per band") == list(table.index).index("Overall risk") + 1
    assert len(at.get("plotly_chart")) == 2 + 3  # runway and radar overlaid, a heatmap each
    assert len(at.get("download_button")) >= 1  # the comparison report


def test_a_variant_follows_an_edit_of_the_base():
    at = compare_page()
    at.button(key="add:bear").click().run()
    before = kpi_frame(at).loc["Cash runs out", "Bear case"]
    at.session_state[widget_key("finance.cash")] = 2_000_000.0  # the base is the Explore scenario; edit its cash
    at.run()
    after = kpi_frame(at).loc["Cash runs out", "Bear case"]
    # by hand: 2M against 88k of costs and 15k of revenue shrinking 2 % a month runs out in month 27
    assert (before.split()[0], after.split()[0]) == ("2028-02", "2029-03")


def test_a_bad_variant_value_is_named_and_the_base_value_stands():
    at = compare_page()
    at.button(key="add:bull").click().run()
    at.session_state["variants"][0]["rows"].append({"setting": "market.competition", "value": "lots"})
    at.run()
    assert not at.exception
    assert "Competition (is not a number ('lots'))" in at.warning[0].value


def test_a_growth_typed_in_percent_in_a_variant_is_stored_as_a_fraction():
    """The variant table shows growth in % like the sidebar; 5 typed there is 5 %, not 500 %.
    Unedited rows keep their values; a new row and a deleted one are folded in too."""
    labels = {"revenue_growth": "Revenue growth", "cash": "Cash", "market.demand": "Proven demand"}
    rows = [{"setting": "revenue_growth", "value": "0.07"}, {"setting": "cash", "value": "1200000"}]
    edits = {
        "edited_rows": {0: {"value": "5"}},
        "added_rows": [{"setting": "Proven demand", "value": "8"}],
        "deleted_rows": [1],
    }
    assert fold_variant_edits(rows, edits, labels) == [
        {"setting": "revenue_growth", "value": "0.05"},
        {"setting": "market.demand", "value": "8"},
    ]
    assert fold_variant_edits(rows, {}, labels) == rows  # 0.07 -> "7" % -> 0.07


def test_open_a_variant_in_explore_keeps_the_base():
    at = compare_page()
    at.button(key="add:bull").click().run()
    at.button(key="variant_open:0").click().run()
    assert not at.exception
    assert at.session_state["compare_base"] == "saved:Neutral template"
    assert at.session_state[factor_key("market.demand")] == 7


def test_investor_view_values_the_scenario_and_its_settings_reach_the_link():
    at = open_on("views/investor.py")
    values = {m.label: m.value for m in at.metric}
    assert values["Risk-factor summation"] == "2M USD"  # every rating 0 for the neutral template
    assert values["Scorecard"] == money(value_company(at.session_state["last_valid"]).scorecard, "USD")
    assert "A heuristic, not a valuation" in at.info[0].value
    assert not at.warning  # 20k of revenue against 80k of costs: early revenue, no warning
    assert len(at.get("plotly_chart")) == 1  # the summation bridge
    at.number_input(key=widget_key("settings.valuation.base_pre_money")).set_value(3_000_000.0).run()
    values = {m.label: m.value for m in at.metric}
    assert values["Risk-factor summation"] == "3M USD"
    assert at.query_params["base_pre_money"] == "3000000"


def investor_page(revenue: float, costs: float = 400_000.0, lang: str = "en", **state) -> AppTest:
    """The template with this month-1 revenue and costs, on the Investor page."""
    app = new_session(lang, cash_plan=True).run()
    app.number_input(key=widget_key("finance.monthly_costs")).set_value(costs).run()
    app.number_input(key=widget_key("finance.monthly_revenue")).set_value(revenue).run()
    for key, value in state.items():
        app.session_state[key] = value
    app.switch_page("views/investor.py").run()
    assert not app.exception
    return app


def test_a_company_with_revenue_is_told_the_rules_are_for_pre_revenue():
    at = investor_page(300_000.0)  # 300k a month against 400k of costs
    assert value_company(at.session_state["last_valid"]).material_revenue
    (warning,) = at.warning
    assert warning.value == (
        "These rules of thumb are for pre-revenue companies; this company already earns 300k USD a month "
        "(75% of its costs) — use revenue multiples or a DCF instead."
    )
    zh = investor_page(300_000.0, lang="zh")
    assert (
        "这两种经验法适用于尚无收入的公司；这家公司每月已有 300k USD 的收入（相当于成本的 75%）" in zh.warning[0].value
    )
    at.switch_page("views/present.py").run()
    at.session_state["slide"] = 5  # the valuation slide
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [warning.value]


def test_a_pre_revenue_company_gets_no_revenue_warning():
    at = investor_page(0.0)
    assert value_company(at.session_state["last_valid"]).monthly_revenue == 0
    assert not at.warning


def test_the_default_base_in_another_currency_is_called_a_usd_placeholder():
    at = investor_page(0.0, currency="CNY")
    (warning,) = at.warning
    assert warning.value.startswith("The default base pre-money, 2,000,000, is a USD placeholder")
    assert "in CNY" in warning.value
    at.number_input(key=widget_key("settings.valuation.base_pre_money")).set_value(15_000_000.0).run()
    assert not at.warning  # a base of its own


def test_presentation_mode_walks_through_one_chart_per_slide():
    at = open_on("views/present.py")
    assert at.title[0].value == "Neutral template"
    assert [m.label for m in at.metric][:4] == ["Overall risk", "Opportunity", "Runway", "Bad case (P10)"]
    assert read_counts(risk_counts_caption(at)) == expected_counts(at.session_state["last_valid"])
    assert at.button(key="present_back").disabled
    charts = []
    for _ in range(5):
        at.button(key="present_next").click().run()
        assert not at.exception
        charts.append(len(at.get("plotly_chart")))
    assert charts == [1, 1, 0, 1, 1]  # runway, heatmap, top risks (text), radar, valuation
    assert at.button(key="present_next").disabled
    assert "Slide 6 of 6" in at.caption[-1].value
    at.button(key="present_leave").click().run()
    assert not at.exception
    assert len(at.metric) == 7  # back on Explore


@pytest.mark.parametrize("page", ["views/compare.py", "views/investor.py", "views/present.py"])
def test_the_new_pages_speak_chinese(page):
    at = new_session("zh")
    at.switch_page(page).run()
    assert not at.exception
    shown = " ".join(
        [e.value for e in at.title]
        + [e.value for e in at.caption]
        + [m.label for m in at.metric]
        + [b.label for b in at.button]
    )
    assert any(word in shown for word in ("情景对比", "估值", "总体风险"))
    assert "Compare scenarios" not in shown and "Investor view" not in shown and "Overall risk" not in shown


@pytest.mark.parametrize(
    ("preset_id", "verdict"),
    [
        ("customer_service_leader", "Survives"),  # plan default alive, 96 % of futures too
        ("recommendation_international", "At risk"),  # plan default alive, only 22 % of futures
        ("neutral_template", "Runs out"),  # never reaches break-even on its cash
    ],
)
def test_no_new_money_says_at_risk_when_the_plan_survives_but_most_futures_do_not(preset_id, verdict):
    at = new_session().run()
    at.selectbox(key="preset").set_value(preset_id).run()
    shown = metric(at, "No new money")
    assert shown.value == verdict
    share = int(shown.delta.split("%")[0])
    assert (share >= 50) == (verdict == "Survives") or verdict == "Runs out"


def test_the_sidebar_shows_one_factor_group_and_keeps_the_others():
    at = new_session().run()
    shown = [s.key for s in at.sidebar.slider if s.key.startswith(factor_key(""))]
    assert shown == [factor_key(fid) for fid in CATALOGUE.factors if fid.startswith("market.")]  # not all 27
    assert at.pills(key="factor_group").options[0] == "Market"  # no dot: nothing moved yet
    move_factor(at, "legal.ip_exposure", 9.0)
    risk = metric(at, "Overall risk").value
    at.pills(key="factor_group").set_value("market").run()  # legal's sliders hidden again
    assert factor_key("legal.ip_exposure") not in [s.key for s in at.sidebar.slider]
    assert at.session_state[factor_key("legal.ip_exposure")] == 9.0 and metric(at, "Overall risk").value == risk
    labels = at.pills(key="factor_group").options
    assert (labels[0], labels[1], labels[3]) == ("Market", "Technical", "Legal •")  # the moved group is marked
    move_factor(at, "market.competition", 8.0)
    assert at.pills(key="factor_group").options[0] == "Market •"
