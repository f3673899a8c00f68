"""Every message a user reads, in both languages, naming fields as the controls do.

Each way a link, a variant, a file or the workshop's store can refuse something has a kind; the
dashboard words the kind from data/i18n.yaml. For every kind: English and Chinese both exist, the
Chinese one carries no English sentence (no run of three ASCII words) and no internal field name
(``horizon_months``, ``finance.funding[0]``, a preset's id). Then the pages: a link in Chinese, the
console and the projector in Chinese, and the uploader's own words.
"""

from __future__ import annotations

import json
import re

import pytest

from dashboard.fields import error_message, field_label, ignored_message, link_field
from dashboard.share import UPLOADER_BOX, uploader_words
from dashboard.views.projector import store_message
from presentation.i18n import strings, text
from scoring import ScenarioError, load_preset, parse_scenario, parse_scenario_json
from scoring.links import IGNORED_REASONS, MAX_CHANGES, Ignored, apply_changes
from scoring.presets import preset_info
from tests.helpers import failed_join_rows, new_session, with_link
from workshop import queries
from workshop import store as store_module
from workshop.store import Forbidden, RoomNotFound, StoreUnavailable, Throttled, WorkshopError, open_store

TEMPLATE = load_preset("neutral_template")
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[^\S\n]+[A-Za-z]+){2,}")  # three ASCII words in a row
# What no Chinese message may show: the scenario file's dotted paths and flat keys that are not
# words in Chinese, list positions, and the presets' ids.
INTERNAL = re.compile(
    r"finance\.|settings\.|factors\.|funding\[|\[\d+\]|horizon_months|monthly_costs|monthly_revenue|"
    r"cost_growth|revenue_growth|cost_sd|revenue_sd|risk_events|start_month|fundraising_lead_months|"
    r"base_pre_money|" + "|".join(re.escape(preset_id) for preset_id in preset_info())
)


def assert_chinese(message: str, *allowed: str) -> None:
    """A Chinese message: Chinese text, no English sentence, no internal name (``allowed``: the
    user's own text the message quotes, taken out before the checks)."""
    for quoted in allowed:
        message = message.replace(quoted, "")
    assert any("\u4e00" <= char <= "\u9fff" for char in message), message
    assert not ENGLISH_RUN.search(message), message
    assert not INTERNAL.search(message), message


# --- a link's or a variant's changes that cannot be used ------------------------------------------

BASE_WITH_A_LATE_ROUND, _ = apply_changes(TEMPLATE, {"funding": "30:100000"})
# kind -> (base, the changes given, the key named, the Chinese words by hand)
LINK_CASES = {
    "unknown_setting": (TEMPLATE, {"admin": "1"}, "admin", "admin（不是可识别的设置）"),
    "too_long": (TEMPLATE, {"cash": "9" * 2_001}, "cash", "现有现金（超过 2,000 个字符）"),
    "not_number": (TEMPLATE, {"market.demand": "12a"}, "market.demand", "市场需求（不是数字（“12a”））"),
    "not_whole": (TEMPLATE, {"horizon_months": "6.5"}, "horizon_months", "预测月数（必须是整数（“6.5”））"),
    "not_switch": (TEMPLATE, {"risk_events": "2"}, "risk_events", "风险事件冲击现金（只能是 0 或 1（“2”））"),
    "not_rounds": (
        TEMPLATE,
        {"funding": "9"},
        "funding",
        "融资轮次（不是按“月份:金额[:概率[:备注]]”写的融资轮次列表）",
    ),
    "markup": (TEMPLATE, {"name": "<b>x</b>"}, "name", "情景名称（含有标记或控制字符）"),
    "required": (TEMPLATE, {"cash": ""}, "cash", "现有现金（不能为空）"),
    "too_many": (
        TEMPLATE,
        {f"x{n}": "1" for n in range(MAX_CHANGES + 1)},
        "…",
        f"…（设置超过 {MAX_CHANGES} 项；其余的未读取）",
    ),
    # the brief's example: a round after the horizon (the template projects 36 months)
    "invalid": (
        TEMPLATE,
        {"funding": "60:1000000"},
        "funding",
        "融资轮次（第 60 个月超出了预测期（共 36 个月）；请延长“预测月数”或调整该轮融资）",
    ),
    "clash": (
        BASE_WITH_A_LATE_ROUND,
        {"horizon_months": "24"},
        "horizon_months",
        "预测月数（与其他设置冲突：第 1 轮融资：月份"
        "第 30 个月超出了预测期（共 24 个月）；请延长“预测月数”或调整该轮融资）",
    ),
}
# kinds the dashboard itself reports (dashboard.url_state): a preset or a variant number
MADE_HERE = {
    "unknown_preset": (Ignored("preset", "unknown_preset"), "起点情景（不是已知的预设情景）"),
    "too_many_variants": (Ignored("v4", "too_many_variants", {"max": 3}), "v4（变体超过 3 个；其余的未读取）"),
}


def test_every_kind_of_ignored_change_is_tested_here():
    assert set(LINK_CASES) | set(MADE_HERE) == set(IGNORED_REASONS) | {"invalid", "clash"}


@pytest.mark.parametrize("kind", sorted(LINK_CASES))
def test_an_ignored_change_is_worded_in_chinese_with_the_fields_label(kind):
    base, given, key, chinese = LINK_CASES[kind]
    _, ignored = apply_changes(base, given)
    item = next(item for item in ignored if item.kind == kind)
    assert item.key == key
    assert ignored_message(item, "zh") == chinese
    assert_chinese(chinese, "admin", "12a")  # the link's own text, quoted back
    english = ignored_message(item, "en")
    assert english.startswith(field_label(link_field(key), "en")) and not INTERNAL.search(english)


@pytest.mark.parametrize("kind", sorted(MADE_HERE))
def test_the_dashboards_own_refusals_are_worded_in_chinese(kind):
    item, chinese = MADE_HERE[kind]
    assert ignored_message(item, "zh") == chinese
    assert_chinese(chinese, "v4")
    assert item.reason == IGNORED_REASONS[kind].format(**item.context)  # the English line, for the CLI


def test_the_english_reason_stays_for_the_command_line_and_the_data_checks():
    _, ignored = apply_changes(TEMPLATE, {"market.demand": "12a", "funding": "60:1000000"})
    assert [item.reason for item in ignored] == [
        "is not a number ('12a')",
        "month 60 is after the last month of the horizon (36); extend horizon_months or move the round",
    ]
    english = ignored_message(ignored[1], "en")
    assert english == (
        "Funding rounds (month 60 is after the last month of the horizon (36); extend “Months to project” "
        "or move the round)"
    )


# --- a scenario the model refuses (a file, a form, a link's value) -------------------------------

FINANCE = {"cash": 1, "monthly_costs": 1, "monthly_revenue": 0}
INVALID = [  # one for every kind of error the model raises for a dict
    {"finance": {**FINANCE, "cash": "x"}},
    {"finance": {**FINANCE, "horizon_months": 2.5}},
    {"name": 5, "finance": FINANCE},
    {"name": "", "finance": FINANCE},
    {"finance": {**FINANCE, "uncertainty": {"risk_events": "yes"}}},
    {"finance": {**FINANCE, "uncertainty": 5}},
    {"finance": {**FINANCE, "funding": 5}},
    {"factors": [], "finance": FINANCE},
    {"factors": {"market.demnd": 3}, "finance": FINANCE},
    {"schema_version": 2, "finance": FINANCE},
    {"finance": {**FINANCE, "cash": float("nan")}},
    {"finance": {**FINANCE, "cost_growth": -1}},
    {"currency": "usd", "finance": FINANCE},
    {"finance": {**FINANCE, "funding": [{"month": 1, "amount": 1, "label": "x" * 81}]}},
    {"finance": {**FINANCE, "funding": [{"month": 1, "amount": 1}] * 121}},
    {"finance": {**FINANCE, "cash": 2e11}},
    {"x": 1, "finance": FINANCE},
    {"finance": {"cash": 1}},
    {"finance": {**FINANCE, "funding": [{"month": 50, "amount": 1}]}},
    {"finance": {**FINANCE, "cash": -1}},
    [1, 2],
]


def refusal(data) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    return info.value


@pytest.mark.parametrize("data", INVALID, ids=lambda data: json.dumps(data)[:60])
def test_every_validation_message_has_words_in_both_languages(data):
    error = refusal(data)
    assert f"invalid.{error.kind}" in strings()
    chinese = error_message(error, "zh")
    assert chinese != error.message
    assert_chinese(chinese, "'market.demnd'", "'market.demand'", "true", "false", "USD")
    english = error_message(error, "en")
    assert english and not re.search(r"horizon_months|\^\[|Input should", english)


def test_a_round_after_the_horizon_names_the_horizon_as_its_control_does():
    error = refusal({"finance": {**FINANCE, "horizon_months": 48, "funding": [{"month": 60, "amount": 1e6}]}})
    assert error.kind == "funding_after_horizon" and field_label(error.field, "zh") == "第 1 轮融资：月份"
    assert error_message(error, "zh") == "第 60 个月超出了预测期（共 48 个月）；请延长“预测月数”或调整该轮融资"
    assert error_message(error, "en") == (
        "month 60 is after the last month of the horizon (48); extend “Months to project” or move the round"
    )


def test_an_unknown_factor_suggests_the_nearest_by_its_name():
    error = refusal({"factors": {"market.demnd": 3}, "finance": FINANCE})
    assert error_message(error, "zh") == "未知的因素编号 'market.demnd'；是否想写 'market.demand'（市场需求）？"


# text -> the Chinese message, by hand (line and column of the character where json stopped)
NOT_JSON = {
    '{"a" 1}': "不是有效的 JSON：键后面缺少冒号 ':'（第 1 行第 6 列）",
    "[1 2]": "不是有效的 JSON：两个条目之间缺少逗号 ','（第 1 行第 4 列）",
    '{"cash": 1,}': "不是有效的 JSON：此处应有一个用双引号括起来的键（或多了一个逗号）（第 1 行第 12 列）",
    "[1,]": "不是有效的 JSON：此处应有一个值（或多了一个逗号）（第 1 行第 4 列）",
    '{"a": "b': "不是有效的 JSON：有一段引号中的文本没有结束引号（第 1 行第 7 列）",
    '{"a": "\\q"}': "不是有效的 JSON：引号中的文本含有无效的 \\ 转义（第 1 行第 8 列）",  # at the backslash
    '{"a": "\\u12"}': "不是有效的 JSON：引号中的文本含有无效的 \\ 转义（第 1 行第 9 列）",  # at the u
    '{"a": "x\ty"}': "不是有效的 JSON：引号中的文本含有控制字符（例如换行）（第 1 行第 9 列）",
    "{} {}": "不是有效的 JSON：JSON 值结束后还有多余的内容（第 1 行第 4 列）",
}


@pytest.mark.parametrize("source", list(NOT_JSON))
def test_why_a_file_is_not_json_is_said_in_chinese(source):
    with pytest.raises(ScenarioError) as info:
        parse_scenario_json(source, "bad.json")
    assert info.value.kind == "not_json"
    chinese = error_message(info.value, "zh")
    assert chinese == NOT_JSON[source]
    assert_chinese(chinese)
    assert "Expecting" not in error_message(info.value, "en")


# --- the workshop's store ----------------------------------------------------------------------------

WORKSHOP_ERRORS = [
    *(
        StoreUnavailable(f"The workshop database (SQLite) is {kind} right now.", kind)
        for kind in ("busy", "unreachable")
    ),
    *(StoreUnavailable(f"The workshop database (SQLite) is {kind}.", kind) for kind in ("full", "read_only", "broken")),
    StoreUnavailable("DATABASE_URL is not a database address this app can use: the port is not a number.", "config"),
    StoreUnavailable("The workshop database (SQLite) has schema version 9; this program reads version 3.", "schema"),
    *(Throttled("Too many joins just now; try again soon.", limit) for limit in ("room", "browser", "create")),
    RoomNotFound("There is no room with this code. Check the code on the projector."),
    Forbidden("Only the facilitator's private link can do this."),
    WorkshopError("Could not find a free room code; try again."),
]


@pytest.mark.parametrize("error", WORKSHOP_ERRORS, ids=lambda error: type(error).__name__)
def test_a_store_error_is_said_in_the_pages_language(error):
    chinese = store_message(error, "zh")
    assert_chinese(chinese)
    assert str(error) not in store_message(error, "en")  # the store's own words only as the detail below


def test_the_console_adds_the_servers_line_for_a_setting_to_fix():
    error = StoreUnavailable("DATABASE_URL is not a database address this app can use: it cannot be read.", "config")
    shown = store_message(error, "zh", detail=True)
    assert shown == (
        "研讨会的数据库设置有误。  \n供运行服务器的人参考：DATABASE_URL is not a database address this app can use: "
        "it cannot be read."
    )  # the server's words, inert as Markdown (plain)
    assert store_message(StoreUnavailable("busy", "busy"), "en", detail=True) == (
        "The workshop database is busy; try again in a moment."
    )


def test_the_stores_docstring_states_its_limits_as_the_code_sets_them():
    doc = " ".join(store_module.__doc__.split())
    for phrase in (
        f"per browser ({queries.WRONG_PER_BROWSER}) and per address ({queries.WRONG_PER_ADDRESS}) over "
        f"{queries.FAILED_JOINS_WINDOW.seconds // 60} minutes",
        f"per room ({queries.JOINS_PER_ROOM} a minute) and per browser ({queries.JOINS_PER_BROWSER} a minute)",
        f"per browser ({queries.ROOMS_PER_BROWSER}) and per address ({queries.ROOMS_PER_ADDRESS}) an hour",
    ):
        assert phrase in doc
    assert queries.JOIN_WINDOW.seconds == 60 and queries.CREATE_WINDOW.seconds == 3600


# --- the pages -----------------------------------------------------------------------------------------


def link_warning(query: dict[str, str]) -> str:
    (warning,) = with_link(query).warning
    return warning.value


def test_a_link_with_a_round_after_the_horizon_warns_in_chinese():
    assert link_warning({"lang": "zh", "funding": "60:1000000"}) == (
        "链接中有部分内容无法使用，已改用默认值："
        "融资轮次（第 60 个月超出了预测期（共 36 个月）；请延长“预测月数”或调整该轮融资）"
    )


def test_a_link_with_an_unknown_preset_warns_in_chinese():
    assert (
        link_warning({"lang": "zh", "preset": "nope"})
        == "链接中有部分内容无法使用，已改用默认值：起点情景（不是已知的预设情景）"
    )


def test_a_link_with_several_bad_parts_lists_them_in_chinese():
    shown = link_warning({"lang": "zh", "market.demand": "12a", "horizon_months": "6.5", "admin": "1"})
    assert shown.endswith("市场需求（不是数字（“12a”））；预测月数（必须是整数（“6.5”））；admin（不是可识别的设置）")
    assert_chinese(shown, "admin", "12a")


@pytest.fixture
def workshop_data(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))


def test_the_console_with_a_wrong_key_speaks_chinese(workshop_data):
    console = new_session("zh")
    console.switch_page("views/workshop.py").run()
    console.button(key="workshop_create").click().run()
    code = console.session_state["workshop"]["code"]
    forged = new_session("zh")
    forged.query_params["room"] = code
    forged.query_params["key"] = "x" * 43
    forged.switch_page("views/workshop.py").run()
    assert not forged.exception
    assert [error.value for error in forged.error] == [text("workshop.wrong_key", "zh")]
    assert_chinese(forged.error[0].value)


def test_the_console_says_a_wrong_database_setting_in_chinese(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://ws:hunter2@db.internal:notaport/rooms")
    console = new_session("zh")
    console.switch_page("views/workshop.py").run()
    assert not console.exception
    (error,) = console.error
    assert error.value.startswith("研讨会的数据库设置有误。")
    assert "DATABASE_URL is not a database address" in error.value  # the server's line, for whoever runs it
    assert "hunter2" not in error.value and "db.internal" not in error.value


def test_the_projector_with_a_wrong_code_counts_this_browser_and_speaks_chinese(workshop_data):
    shown = new_session("zh")
    shown.query_params["room"] = "ZZZZ2222"
    shown.switch_page("views/projector.py").run()
    assert not shown.exception
    assert [info.value for info in shown.info] == [text("workshop.projector_gone", "zh")]
    browser = shown.session_state["workshop_browser"]  # the same id, and cookie, as /join and the console
    assert any("workshop_browser" in h.value and browser in h.value for h in shown.get("html"))
    # counted as /join counts it: this browser and its address (none under AppTest: "unknown")
    assert sorted(client for client, _ in failed_join_rows(open_store())) == ["address:unknown", f"browser:{browser}"]


# --- the uploader ----------------------------------------------------------------------------------------


def test_the_uploaders_words_come_from_the_strings_and_stay_inside_the_style():
    style = uploader_words("zh", UPLOADER_BOX)
    for key in ("share.upload_button", "share.upload_drop"):
        assert f'content: "{text(key, "zh")}"' in style
    assert 'content: "最大 1 MB · JSON"' in style
    assert style.count("<") == 2  # <style> and </style>: a word never closes the style
    assert f".st-key-{UPLOADER_BOX} " in style


@pytest.mark.browser
def test_the_uploader_shows_our_words_in_a_browser():
    """Streamlit 1.67 draws "Upload", "1MB per file • JSON" and, while a file is dragged over, "Drag and
    drop a file here": in Chinese the uploader shows none of them, and our words instead."""
    from tests.browser import app_browser, require_chromium

    with app_browser(require_chromium()) as (url, browser):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/?lang=zh")
        page.wait_for_function(
            """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')
                === 'notRunning' && document.querySelectorAll('[data-testid="stExpander"]').length > 0""",
            timeout=180_000,
        )
        page.locator('[data-testid="stExpander"] summary').filter(has_text="分享").first.click()
        page.wait_for_selector(f'.st-key-{UPLOADER_BOX} [data-testid="stFileUploaderDropzone"]', timeout=60_000)
        shown = """() => {
            const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
            const seen = [];
            for (const node of zone.querySelectorAll('*')) {
                const after = getComputedStyle(node, '::after').content;
                if (after && after.startsWith('"')) seen.push(JSON.parse(after));
                if (node.children.length === 0 && node.checkVisibility() && node.textContent.trim()
                    && node.getAttribute('data-testid') !== 'stIconMaterial') seen.push(node.textContent.trim());
            }
            return seen;
        }"""
        assert page.evaluate(shown) == ["选择文件", "最大 1 MB · JSON"]
        page.evaluate(
            """() => {
                const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
                const files = new DataTransfer();
                files.items.add(new File(['{}'], 'a.json', {type: 'application/json'}));
                zone.dispatchEvent(new DragEvent('dragenter', {bubbles: true, dataTransfer: files}));
            }"""
        )
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"] *')]
                .some(node => getComputedStyle(node, '::after').content === '"将文件拖放到此处"')""",
            timeout=10_000,
        )
        assert "将文件拖放到此处" in page.evaluate(shown)
        assert "Drag and drop" not in " ".join(page.evaluate(shown))
