"""Limits on a scenario file (scoring/limits.py): hostile files of an accepted size are refused
before they are parsed, each with a one-line message naming what is wrong, in both languages."""

from __future__ import annotations

import json
import os

import pytest

from dashboard.fields import error_message
from presentation.i18n import strings
from scoring import ScenarioError, parse_scenario_json
from scoring.limits import (
    MAX_CONTAINERS,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_KEYS,
    MAX_SCENARIO_BYTES,
    MAX_TEXT,
    decode_json,
    read_file,
)
from scoring.presets import PRESETS_DIR
from scoring.scenario import MAX_HORIZON_MONTHS, load_scenario
from tests.helpers import new_session

PRESET = PRESETS_DIR / "medical_diagnosis.json"
BASE = json.loads(PRESET.read_text(encoding="utf-8"))


def with_finance(**changes) -> dict:
    return {**BASE, "finance": {**BASE["finance"], **changes}}


def compact(data) -> str:
    return json.dumps(data, separators=(",", ":"))


# The attacks of issue 13: each within 1 MB, each once a traceback, seconds of CPU or a hang.
FUNDING_450K = compact(with_finance(funding=[1] * 450_000))  # 900 kB; 450,000 validation errors before
OPEN_BRACKETS = "[" * 100_000  # a RecursionError before
LONG_INTEGER = '{"schema_version": ' + "9" * 5_000 + "}"  # a ValueError (over Python's 4,300 digits) before
DEEP_OBJECTS = '{"a":' * 50_000 + "1" + "}" * 50_000
HUGE_NAME = json.dumps({**BASE, "name": "x" * 990_000})
HUGE_KEY = json.dumps({**BASE, "factors": {"k" * 5_000: 1}})
MANY_FACTORS = json.dumps({**BASE, "factors": {f"f{i}": 5 for i in range(250)}})
EMPTY_LISTS = "[" + ",".join(["[]"] * 330_000) + "]"  # json.loads alone: most of a second
MANY_NUMBERS = "[" + ",".join(["1"] * 330_000) + "]"

REFUSED = [
    # (input, field, kind, the whole message)
    (FUNDING_450K, "finance.funding", "too_many_items", "has 450,000 entries; at most 120"),
    (OPEN_BRACKETS, "", "too_deep", "the file nests deeper than 20 levels"),
    (LONG_INTEGER, "", "number_too_long", "a number has 5,000 digits; at most 50"),
    (DEEP_OBJECTS, "", "too_deep", "the file nests deeper than 20 levels"),
    (HUGE_NAME, "name", "text_too_long", "is 990,000 characters long; at most 1,000"),
    (HUGE_KEY, "factors", "key_too_long", "has a key of 5,000 characters; at most 1,000"),
    (MANY_FACTORS, "factors", "too_many_keys", "has 250 entries; at most 200"),
    (EMPTY_LISTS, "", "too_many_containers", "the file holds 330,001 objects {…} and lists […]; at most 1,000"),
    (MANY_NUMBERS, "", "too_many_items", "the file has 330,000 entries; at most 120"),
]
IDS = [
    "funding_450k",
    "open_brackets",
    "long_integer",
    "deep_objects",
    "huge_name",
    "huge_key",
    "factors",
    "empty_lists",
    "root_list",
]


def refusal(text: str | bytes) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario_json(text, "attack.json")
    return info.value


@pytest.mark.parametrize(("text", "field", "kind", "message"), REFUSED, ids=IDS)
def test_a_hostile_file_is_refused_with_one_named_line(text, field, kind, message):
    assert len(text.encode()) <= MAX_SCENARIO_BYTES  # an accepted size: only the limits stop it
    error = refusal(text)
    assert (error.field, error.kind, error.message) == (field, kind, message)
    assert str(error) == (f"attack.json: {field}: {message}" if field else f"attack.json: {message}")
    assert "\n" not in str(error)


@pytest.mark.parametrize(("text", "field", "kind", "message"), REFUSED, ids=IDS)
def test_every_refusal_is_worded_in_chinese(text, field, kind, message):
    error = refusal(text)
    assert f"invalid.{kind}" in strings()
    zh = error_message(error, "zh")
    assert zh != message and any("\u4e00" <= char <= "\u9fff" for char in zh)
    numbers = [word for word in message.replace(";", " ").split() if word[0].isdigit()]
    assert all(number in zh for number in numbers)  # the same figures: 450,000 and 120


def test_the_limits_hold_exactly_at_their_values():
    """One step inside each limit is read; one step over is refused."""
    assert decode_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, max_items=1) is not None  # 20 levels
    assert refusal("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).kind == "too_deep"
    assert decode_json("[" + "9" * MAX_DIGITS + "]", max_items=1) == [int("9" * MAX_DIGITS)]
    assert decode_json("[0." + "9" * MAX_DIGITS + "]", max_items=1) == [1.0]
    assert refusal("[" + "9" * (MAX_DIGITS + 1) + "]").context == {"digits": MAX_DIGITS + 1, "max": MAX_DIGITS}
    assert refusal("[1e" + "0" * (MAX_DIGITS + 1) + "1]").kind == "number_too_long"  # in an exponent too
    assert decode_json(json.dumps(["x" * MAX_TEXT]), max_items=1) == ["x" * MAX_TEXT]
    assert refusal(json.dumps({"name": "x" * (MAX_TEXT + 1)})).kind == "text_too_long"
    assert len(decode_json(json.dumps({str(i): 0 for i in range(MAX_KEYS)}), max_items=1)) == MAX_KEYS
    assert refusal(json.dumps({str(i): 0 for i in range(MAX_KEYS + 1)})).kind == "too_many_keys"
    objects = ["{}"] * (MAX_CONTAINERS - 1)  # and the list that holds them: 1,000
    assert len(decode_json("[" + ",".join(objects) + "]", max_items=MAX_CONTAINERS)) == 999
    assert refusal("[" + ",".join([*objects, "[]"]) + "]").context == {"count": 1_001, "max": MAX_CONTAINERS}
    rounds = [{"month": month, "amount": 1000} for month in range(1, MAX_HORIZON_MONTHS + 1)]
    full = parse_scenario_json(compact(with_finance(funding=rounds, horizon_months=MAX_HORIZON_MONTHS)))
    assert len(full.finance.funding) == 120  # a round every month of the longest horizon: valid
    over = refusal(compact(with_finance(funding=[*rounds, rounds[0]], horizon_months=MAX_HORIZON_MONTHS)))
    assert (over.field, over.message) == ("finance.funding", "has 121 entries; at most 120")


def test_brackets_and_digits_inside_texts_are_not_structure():
    """A name of 100 brackets and a label of 60 digits are valid (the name may hold 120
    characters, a label 80), however many brackets and digits that looks like."""
    funding = [{"month": 3, "amount": 1000, "label": "7" * 60}]
    scenario = parse_scenario_json(json.dumps({**with_finance(funding=funding), "name": "[{" * 50}))
    assert scenario.name == "[{" * 50 and scenario.finance.funding[0].label == "7" * 60
    name = 'say "' + "[" * 24 + " \\"  # an escaped quote and an escaped backslash inside the text
    assert parse_scenario_json(json.dumps({**BASE, "name": name})).name == name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"\\"' * 300_000, "not valid JSON: Extra data (line 1, column 5)"),  # quotes, every other one escaped
        ('["' + '\\"' * 450_000 + "\\", "not valid JSON: Unterminated string starting at (line 1, column 2)"),
        ('"' * 900_000, "not valid JSON: Extra data (line 1, column 3)"),
    ],
)
def test_the_scan_reads_quotes_once(text, message):
    """Quotes that never close a string: a scan that retried from each quote would take hours."""
    assert refusal("[" * 30 + text).kind == "too_deep"  # the scan runs to the end of the file
    assert refusal(text).message == message


def test_a_long_wrong_value_is_quoted_short():
    error = refusal(json.dumps({**BASE, "currency": "U" * 900}))
    assert error.field == "currency" and len(error.message) < 120 and error.message.endswith("…)")


def test_the_file_reader_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):  # a blocking open or read of either would never return
        with pytest.raises(ScenarioError, match=r"pipe.json|zero.json") as info:
            read_file(path)
        assert info.value.message == "is not a regular file (a device, a pipe or a socket), not a scenario file"
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


def test_the_file_reader_takes_exactly_the_limit(tmp_path):
    text = PRESET.read_text(encoding="utf-8")
    exact = tmp_path / "exact.json"
    exact.write_text(text + " " * (MAX_SCENARIO_BYTES - len(text.encode())), encoding="utf-8")
    assert exact.stat().st_size == 1_000_000
    assert load_scenario(exact) == load_scenario(PRESET)
    over = tmp_path / "over.json"
    over.write_text(exact.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(over)
    assert (info.value.kind, info.value.message) == ("file_too_large", "the file is larger than 1000 kB")


def test_the_upload_names_each_hostile_file_in_both_languages():
    """Through the share panel's uploader, as a browser sends them: a named error, no exception."""
    at = new_session()
    at.session_state["open:share"] = True
    at.run()

    def uploader():
        return at.file_uploader(key=f"upload:{at.session_state.get('upload_version', 0)}")

    for name, content, shown in [
        ("funding.json", FUNDING_450K, "Funding rounds: has 450,000 entries; at most 120"),
        ("deep.json", OPEN_BRACKETS, "deep.json: the file nests deeper than 20 levels"),
        ("digits.json", LONG_INTEGER, "digits.json: a number has 5,000 digits; at most 50"),
    ]:
        uploader().set_value((name, content.encode(), "application/json")).run()
        assert not at.exception
        assert at.error[0].value == f"{name} was not loaded — {shown}"
        assert at.title[0].value == "Neutral template"  # nothing changed
    at.session_state["lang"] = "zh"
    uploader().set_value(("funding.json", FUNDING_450K.encode(), "application/json")).run()
    assert not at.exception
    assert at.error[0].value == "funding.json 未载入——融资轮次：有 450,000 项；最多 120 项"
    uploader().set_value(("big.json", b" " * (MAX_SCENARIO_BYTES + 1), "application/json")).run()
    assert at.error[0].value == "big.json 未载入——big.json：文件大于 1000 kB"
