"""Comparisons as documents: the pitch file (scoring/pitch.py) and the comparison in the address
(dashboard/url_state.py) — round trips, limits, bad files named, the CLI's report of a pitch file,
and Compare reopened from its link and from its file."""

import json
from pathlib import PurePosixPath

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.fields import by_path
from dashboard.url_state import document_error
from scoring import Pitch, ScenarioError, load_preset, parse_pitch_json, pitch_json, variant_scenarios
from scoring.pitch import PitchChangeError, load_scenarios, read_document
from tests.helpers import compare_page, kpi_frame, new_session, run_cli, with_link

MEDICAL = load_preset("medical_diagnosis")  # cash 4M, costs 160k, a Series B in month 18 of 60
BULL = ("Bull", {"market.demand": "7", "cash": "5000000"})
BEAR = ("Bear", {"monthly_costs": "200000", "risk_events": "0"})


def pitch_data(**changes) -> dict:
    """A valid pitch file's JSON (the medical case, a bull and a bear case), with ``changes`` on top."""
    return json.loads(pitch_json(MEDICAL, [BULL, BEAR])) | changes


def refusal(data, source: str = "pitch.json") -> ScenarioError:
    text = data if isinstance(data, (str, bytes)) else json.dumps(data)
    with pytest.raises(ScenarioError) as caught:
        parse_pitch_json(text, source)
    return caught.value


# --- the file ---------------------------------------------------------------------------------------


def test_a_pitch_file_round_trips():
    pitch = parse_pitch_json(pitch_json(MEDICAL, [BULL, BEAR]))
    assert pitch.base == MEDICAL
    assert [(v.name, v.texts()) for v in pitch.variants] == [BULL, BEAR]
    bull, bear = variant_scenarios(pitch)
    assert (bull.name, bull.finance.cash, bull.factors["market.demand"]) == ("Bull", 5_000_000, 7)
    assert bull.finance.monthly_costs == 160_000  # what a variant does not change is the base's
    assert (bear.name, bear.finance.monthly_costs, bear.finance.uncertainty.risk_events) == ("Bear", 200_000, False)
    assert bear.finance.cash == 4_000_000
    # the file is readable JSON that says what it is
    document = json.loads(pitch_json(MEDICAL, [BULL]))
    assert (document["kind"], document["schema_version"], document["base"]["name"]) == (
        "pitch",
        1,
        "Medical-diagnosis model",
    )
    assert document["variants"] == [{"name": "Bull", "changes": {"market.demand": "7", "cash": "5000000"}}]


def test_changes_may_be_json_numbers_and_switches():
    data = pitch_data(
        variants=[{"name": "Hand-written", "changes": {"cash": 3.5e6, "horizon_months": 48, "risk_events": False}}]
    )
    (variant,) = parse_pitch_json(json.dumps(data)).variants
    assert variant.texts() == {"cash": "3500000", "horizon_months": "48", "risk_events": "0"}


def test_scenario_and_pitch_files_are_told_apart(tmp_path):
    assert isinstance(read_document(pitch_json(MEDICAL, [BULL])), Pitch)
    no_kind = pitch_data()
    del no_kind["kind"]  # "variants" alone says it
    assert isinstance(read_document(json.dumps(no_kind)), Pitch)
    assert read_document(json.dumps(MEDICAL.to_dict())) == MEDICAL
    (tmp_path / "pitch.json").write_text(pitch_json(MEDICAL, [BULL, BEAR]), encoding="utf-8")
    assert [s.name for s in load_scenarios(tmp_path / "pitch.json")] == ["Medical-diagnosis model", "Bull", "Bear"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (b" " * 1_000_001, "file_too_large"),
        ('{"kind": "pitch", "variants": ' + "[" * 30 + "]" * 30 + "}", "too_deep"),
        ('{"kind": "pitch", "base": {"finance": {"cash": 1' + "0" * 60 + "}}}", "number_too_long"),
        ('{"kind": "pitch", "kind": "pitch"}', "duplicate_key"),
        ('{"kind": "pitch", "variants": [', "not_json"),
        (b'{"kind": "\xff"}', "not_utf8"),
    ],
)
def test_the_parse_limits_come_first(text, kind):
    assert refusal(text).kind == kind


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "deck"}, "kind", "input should be 'pitch' (got 'deck')"),
        ({"variants": [{"name": str(n)} for n in range(4)]}, "variants", "has 4 entries; at most 3"),
        ({"variants": [{"name": "", "changes": {}}]}, "variants[0].name", "string should have at least 1 character"),
        (
            {"variants": [{"name": "A", "changes": {"cash": "lots"}}]},
            "variants[0].changes.cash",
            "is not a number ('lots')",
        ),
        (
            {"variants": [{"name": "A"}, {"name": "B", "changes": {"market.demnd": "7"}}]},
            "variants[1].changes.market.demnd",
            "is not a known setting",
        ),
        (
            {"variants": [{"name": "A", "changes": {"cash": -5}}]},
            "variants[0].changes.cash",
            "greater than or equal to 0",
        ),
        (
            {"variants": [{"name": "A", "changes": {"cash": [1]}}]},
            "variants[0].changes.cash",
            "must be text, a number or a switch (got [1])",
        ),
        ({"extra": 1}, "extra", "is not a known field"),
    ],
)
def test_a_bad_pitch_file_is_named_in_one_line(change, field, message):
    error = refusal(pitch_data(**change))
    assert (error.field, error.source) == (field, "pitch.json")
    assert message in error.message and "\n" not in str(error)


def test_a_bad_base_is_named_as_the_base():
    data = pitch_data()
    data["base"]["finance"]["cash"] = -1
    assert refusal(data).field == "base.finance.cash"
    data["base"]["finance"]["cash"] = 1
    data["base"]["finance"]["horizon_months"] = 12  # the Series B is in month 18
    assert refusal(data).field == "base.finance.funding[0].month"
    assert refusal([1, 2]).kind == "not_object"


def test_a_variant_change_that_clashes_with_the_base_is_named():
    """A horizon of 12 months leaves the base's Series B (month 18) outside it: the file is refused."""
    error = refusal(pitch_data(variants=[{"name": "Short", "changes": {"horizon_months": "12"}}]))
    assert isinstance(error, PitchChangeError) and error.field == "variants[0].changes.horizon_months"
    assert error.ignored.kind == "clash"


def test_errors_are_worded_in_the_page_language_with_the_field_in_user_terms():
    bad_cash = refusal(pitch_data(variants=[{"name": "A"}, {"name": "B", "changes": {"cash": "lots"}}]))
    assert document_error(bad_cash, "en") == ("Variant 2: Cash on hand", "is not a number ('lots')")
    assert document_error(bad_cash, "zh") == ("变体 2：现有现金", "不是数字（“lots”）")
    below = refusal(pitch_data(variants=[{"name": "A", "changes": {"monthly_costs": "-1"}}]))
    assert document_error(below, "zh") == ("变体 1：月度成本", "不能小于 0")
    data = pitch_data()
    data["base"]["finance"]["cash"] = -1
    assert document_error(refusal(data), "zh") == ("基准情景：现有现金", "不能小于 0")
    too_many = refusal(pitch_data(variants=[{"name": str(n)} for n in range(5)]))
    assert document_error(too_many, "en") == ("Variants", "has 5 entries; at most 3")
    assert document_error(too_many, "zh") == ("变体", "有 5 项；最多 3 项")
    assert document_error(refusal("[1"), "en")[0] == ""  # the whole file: the page names the file


# --- the command line ---------------------------------------------------------------------------------


def test_the_cli_reports_a_pitch_file_as_a_comparison(tmp_path, capsys):
    path = tmp_path / "pitch.json"
    path.write_text(pitch_json(MEDICAL, [("Bull <b>case</b>", BULL[1]), ("熊市情景", BEAR[1])]), encoding="utf-8")
    out = tmp_path / "pitch.html"
    code, stdout, stderr = run_cli(capsys, "report", str(path), "--out", str(out))
    assert (code, stderr) == (0, "") and stdout.startswith(f"wrote {out}")
    page = out.read_text(encoding="utf-8")
    assert "Medical-diagnosis model" in page and "熊市情景" in page
    assert "Bull &lt;b&gt;case&lt;/b&gt;" in page and "Bull <b>case</b>" not in page  # a name is text


def test_the_cli_names_a_bad_or_misused_pitch_file(tmp_path, capsys):
    path = tmp_path / "pitch.json"
    path.write_text(json.dumps(pitch_data(variants=[{"name": "A", "changes": {"cash": "lots"}}])), encoding="utf-8")
    code, _, stderr = run_cli(capsys, "report", str(path), "--out", str(tmp_path / "x.html"))
    assert code == 2 and stderr == f"error: {path}: variants[0].changes.cash: is not a number ('lots')\n"
    path.write_text(pitch_json(MEDICAL, [BULL, BEAR]), encoding="utf-8")
    scenario = tmp_path / "one.json"
    scenario.write_text(json.dumps(MEDICAL.to_dict()), encoding="utf-8")
    code, _, stderr = run_cli(
        capsys, "report", str(path), str(scenario), str(scenario), "--out", str(tmp_path / "x.html")
    )
    assert code == 2 and stderr == "error: a comparison covers at most 4 scenarios, got 5\n"
    code, stdout, stderr = run_cli(capsys, "evaluate", str(path))
    assert (code, stdout) == (2, "") and stderr.count("\n") == 1 and "use `report`" not in stderr
    assert "make its report with `report`" in stderr


# --- the app: the comparison in the address, and in a file --------------------------------------------


def query(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def on_compare(at: AppTest) -> AppTest:
    at.switch_page("views/compare.py").run()
    assert not at.exception
    return at


def variants_of(at: AppTest) -> list[tuple[str, dict[str, str]]]:
    return [(v["name"], {r["setting"]: r["value"] for r in v["rows"]}) for v in at.session_state["variants"]]


def test_the_address_holds_the_variants_and_a_new_session_reopens_them():
    at = compare_page()
    at.button(key="add:bull").click().run()
    at.button(key="add:bear").click().run()
    link = query(at)
    # the bull case of the neutral template: revenue 20k x 1.25; the bear case: costs 80k x 1.1, revenue x 0.75
    assert link["v1"] == "Bull case" and link["v1.monthly_revenue"] == "25000" and link["v1.market.demand"] == "7"
    assert link["v2"] == "Bear case" and link["v2.monthly_costs"] == "88000" and link["v2.revenue_growth"] == "-0.02"
    assert "vb" not in link  # the base is the Explore scenario, which the address holds anyway
    again = with_link(link)
    assert not again.warning
    on_compare(again)
    assert variants_of(again) == variants_of(at)
    table = kpi_frame(again)
    assert list(table.columns) == ["Neutral template", "Bull case", "Bear case"]
    # by hand (tests/test_app.py): 1M runs out after 20.17 months in the bull case, 13.38 in the bear
    assert list(table.loc["Runway"]) == ["16.7 mo", "20.2 mo (+3.5 mo)", "13.4 mo (-3.3 mo)"]
    assert query(again) == link  # and the reopened page writes the same address


def test_a_removed_or_renamed_variant_leaves_the_address():
    at = compare_page()
    at.button(key="add:bull").click().run()
    at.button(key="add:bear").click().run()
    at.text_input(key="variant_name:1").input("Downside").run()
    assert query(at)["v2"] == "Downside"
    at.button(key="variant_remove:0").click().run()
    link = query(at)
    assert link["v1"] == "Downside" and not any(key.startswith("v2") for key in link)
    at.button(key="variant_remove:1").click().run()
    assert not any(key.startswith("v") for key in query(at))


def test_a_kept_base_travels_as_its_preset_and_changes():
    at = compare_page()
    cash = by_path("finance.cash").key  # the cash widget's key
    at.session_state[cash] = 2_000_000.0
    at.run()
    at.button(key="keep_explore").click().run()
    at.session_state[cash] = 1_500_000.0  # Explore moves on; the kept base stays at 2M
    at.run()
    at.selectbox(key="compare_base").set_value("saved:Neutral template").run()
    at.button(key="add:bear").click().run()
    link = query(at)
    assert (link["cash"], link["vb"], link["vb.cash"]) == ("1500000", "neutral_template", "2000000")
    again = on_compare(with_link(link))
    assert again.session_state["compare_base"] == "saved:Neutral template"
    assert again.session_state["library"]["Neutral template"].finance.cash == 2_000_000
    # by hand (tests/test_app.py): 2M against 88k of costs and 15k shrinking 2 % a month runs out in 2029-03
    assert kpi_frame(again).loc["Cash runs out", "Bear case"].split()[0] == "2029-03"
    preset = on_compare(with_link({"vb": "medical_diagnosis", "v1": "Bull"}))
    assert preset.session_state["compare_base"] == "preset:medical_diagnosis"


def test_a_tampered_link_opens_and_names_what_it_could_not_use():
    link = {
        "vb": "no_such_case",
        "v1": "Bull",
        "v1.market.competition": "lots",
        "v1.cash": "2000000",
        "v2": "<script>x</script>",
        "v2.nonsense": "1",
        "v3": "Third",
        "v4": "Fourth",
        "v9.cash": "1",
    }
    at = with_link(link)
    (warning,) = at.warning
    for part in (
        "Base scenario (is not a known preset)",
        "Variant 1: Competition (is not a number ('lots'))",
        "Variant 2: nonsense (is not a known setting)",
        "Variant 2 (contains markup or control characters)",
        "Variant 4 (more than 3 variants; the rest were not read)",
        "Variant 9 (more than 3 variants; the rest were not read)",
    ):
        assert part in warning.value.replace("\\", "")
    assert variants_of(at) == [("Bull", {"cash": "2000000"}), ("", {}), ("Third", {})]
    assert query(at) == {"v1": "Bull", "v1.cash": "2000000", "v2": "", "v3": "Third"}  # cleaned up


def test_a_link_in_chinese_names_the_variant_in_chinese():
    app = with_link({"lang": "zh", "v1": "乐观", "v1.cash": "x"}, lang="zh")
    assert "变体 1：现有现金（不是数字（“x”））" in app.warning[0].value


def upload(at: AppTest, name: str, content: str) -> AppTest:
    version = at.session_state.get("upload_version", 0)
    return at.file_uploader(key=f"upload:{version}").set_value((name, content.encode(), "application/json")).run()


def test_a_pitch_file_downloads_from_compare_and_loads_into_compare(served):
    at = compare_page()
    at.session_state["open:share"] = True
    at.run()
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("-download_pitch")]  # no variant yet
    at.button(key="add:bull").click().run()
    at.button(key="add:bear").click().run()
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("-download_pitch")]
    assert button.proto.label == "Download pitch file (JSON)"
    content = served[PurePosixPath(button.proto.url).stem].decode()
    pitch = parse_pitch_json(content)
    assert pitch.base == at.session_state["last_valid"]
    assert [v.name for v in pitch.variants] == ["Bull case", "Bear case"]
    assert pitch.variants[1].texts()["monthly_costs"] == "88000"

    fresh = new_session()
    fresh.session_state["open:share"] = True
    fresh.run()
    upload(fresh, "medical.json", pitch_json(MEDICAL, [BULL, BEAR]))
    assert not fresh.exception and fresh.title[0].value == "Compare scenarios"  # the file opened Compare
    assert list(kpi_frame(fresh).columns) == ["Medical-diagnosis model", "Bull", "Bear"]
    assert fresh.session_state["compare_base"] == "current"
    assert query(fresh)["cash"] == "4000000" and query(fresh)["v1.cash"] == "5000000"  # the address has it all


def test_a_bad_pitch_file_is_named_and_nothing_changes():
    at = new_session("zh")
    at.session_state["open:share"] = True
    at.run()
    bad = pitch_data(variants=[{"name": "A", "changes": {"cash": "lots"}}])
    upload(at, "bad.json", json.dumps(bad))
    assert not at.exception
    assert at.error[0].value == "bad.json 未载入——变体 1：现有现金：不是数字（“lots”）"
    assert "variants" not in at.session_state or not at.session_state["variants"]
    assert not any(key.startswith("v") for key in query(at))
