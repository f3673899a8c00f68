"""The command line (`ai-navigator`, `python -m scoring`): JSON and text output, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from cli import main
from presentation.i18n import text
from scoring import load_catalogue
from scoring.presets import PRESETS_DIR
from tests.helpers import ROOT, run_cli

PRESET = str(PRESETS_DIR / "customer_service_cash_strapped.json")


def test_json_report_has_the_documented_fields(capsys):
    code, out, err = run_cli(capsys, "evaluate", PRESET)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert set(report) == {"risk", "opportunity", "runway"}
    assert {"overall", "band_counts", "by_category", "items"} <= set(report["risk"])
    assert {"id", "category", "likelihood", "impact", "score", "band", "drivers", "amplified_by", "mitigations"} <= set(
        report["risk"]["items"][0]
    )
    assert {"overall", "axes"} <= set(report["opportunity"])
    assert {"months", "cash_out_month", "break_even_month", "default_alive", "naive_months", "balance"} <= set(
        report["runway"]
    )
    assert len(report["runway"]["balance"]) == 24  # this preset's horizon


def test_json_keeps_full_precision(capsys):
    _, out, _ = run_cli(capsys, "evaluate", PRESET)
    months = json.loads(out)["runway"]["months"]
    assert months != round(months, 6)  # not rounded for display


def test_text_report_is_readable(capsys):
    code, out, _ = run_cli(capsys, "evaluate", PRESET, "--format", "text")
    assert code == 0
    assert out.startswith("Customer-service AI short of cash\n")
    assert "Overall risk:" in out and "Top risks:" in out and "default dead" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_report_puts_the_risks_per_band_beside_overall_risk(capsys, lang):
    _, out, _ = run_cli(capsys, "evaluate", PRESET)
    counts = json.loads(out)["risk"]["band_counts"]
    _, text, _ = run_cli(capsys, "evaluate", PRESET, "--format", "text", "--lang", lang)
    headline = text.splitlines()[2]
    assert headline.startswith("Overall risk:" if lang == "en" else "总体风险:")
    shown = headline.split("(", 1)[1].removesuffix(")").split(" · ")
    bands = load_catalogue().bands
    expected = [(band.name.get(lang), counts[band.id]) for band in reversed(bands) if counts[band.id]]
    assert shown == [f"{n} {name.lower()}" if lang == "en" else f"{name} {n} 项" for name, n in expected]
    assert sum(counts.values()) == len(load_catalogue().risks)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_labels_come_from_the_strings_file(capsys, lang):
    _, out, _ = run_cli(capsys, "evaluate", PRESET, "--format", "text", "--lang", lang)
    keys = ("overall", "opportunity", "runway", "cash_out", "break_even", "dead", "naive", "by_category", "top", "axes")
    for key in keys:
        assert text(f"cli.{key}", lang) in out
    assert f"     {text('cli.do', lang)}: " in out
    assert not [name for name in vars(cli) if "LABEL" in name.upper()]  # no table of words of its own


@pytest.mark.parametrize(
    ("command", "prog"),
    [
        ([sys.executable, "-m", "scoring"], "python -m scoring"),
        ([str(Path(sys.executable).parent / "ai-navigator")], "ai-navigator"),
    ],
)
def test_help_names_the_command_that_was_run(command, prog):
    if not Path(command[0]).exists():
        pytest.skip(f"no {command[0]}: the project is not installed into this interpreter's environment")
    done = subprocess.run([*command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: {prog} [-h] {{evaluate,simulate,sensitivity,report}}")


def test_text_report_in_chinese(capsys):
    _, out, _ = run_cli(capsys, "evaluate", PRESET, "--format", "text", "--lang", "zh")
    assert "总体风险" in out and "对策" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"finance": {"cash": -1, "monthly_costs": 1, "monthly_revenue": 0}}', "finance.cash"),
        (
            '{"factors": {"market.size": 3}, "finance": {"cash": 1, "monthly_costs": 1, "monthly_revenue": 0}}',
            "unknown factor id",
        ),
        ("{not json", "not valid JSON"),
    ],
)
@pytest.mark.parametrize("verb", ["evaluate", "simulate", "sensitivity"])
def test_bad_scenario_exits_2_with_one_line(capsys, tmp_path, content, expected, verb):
    path = tmp_path / "s.json"
    path.write_text(content)
    code, out, err = run_cli(capsys, verb, str(path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run_cli(capsys, "evaluate", str(tmp_path / "missing.json"))
    assert code == 2
    assert "no such file" in err


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["evaluate", PRESET, "--format", "xml"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_real_module_invocation_and_closed_pipe():
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "evaluate", "nope.json"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr == "error: nope.json: no such file\n"
    # a reader that leaves early (`| head`) gets no traceback: close the pipe before it writes
    proc = subprocess.Popen(
        [sys.executable, "-m", "scoring", "evaluate", PRESET], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode == 1
    assert stderr == ""


def test_simulate_prints_the_documented_fields(capsys, tmp_path):
    path = tmp_path / "s.json"
    uncertainty = {"cost_sd": 0.1, "risk_events": True}
    plan = {"cash": 600_000, "monthly_costs": 50_000, "monthly_revenue": 0, "horizon_months": 18}
    path.write_text(json.dumps({"finance": {**plan, "uncertainty": uncertainty}}))
    code, out, err = run_cli(capsys, "simulate", str(path), "--paths", "500", "--seed", "4")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert {"runway_months", "prob_cash_out_by_month", "prob_default_alive", "fan"} <= set(result)
    assert set(result["runway_months"]) == {"p10", "p50", "p90"}
    assert len(result["prob_cash_out_by_month"]) == 18
    assert all(len(result["fan"][p]) == 18 for p in ("p10", "p50", "p90"))
    assert (result["paths"], result["seed"], result["risk_events"]) == (500, 4, True)
    assert run_cli(capsys, "simulate", str(path), "--paths", "500", "--seed", "4")[1] == out  # seeded
    _, quiet, _ = run_cli(capsys, "simulate", str(path), "--paths", "500", "--seed", "4", "--risk-events", "off")
    assert json.loads(quiet)["risk_events"] is False


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--paths", "0"], "--paths: must be between 1 and 200000, got 0"),
        (["--paths", "many"], "invalid int value"),
        (["--seed", "-3"], "--seed: must be 0 or more"),
        (["--risk-events", "maybe"], "invalid choice"),
    ],
)
def test_simulate_bad_arguments_exit_2_with_one_line(capsys, argv, expected):
    with pytest.raises(SystemExit) as info:
        main(["simulate", PRESET, *argv])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert err.count("\n") == 1 and expected in err


def test_sensitivity_prints_rows_sorted_by_swing(capsys):
    code, out, err = run_cli(capsys, "sensitivity", PRESET)
    assert (code, err) == (0, "")
    rows = json.loads(out)["rows"]
    assert {"input", "swing", "risk_low", "risk_high", "runway_low", "runway_high", "low", "high"} <= set(rows[0])
    swings = [row["swing"] for row in rows]
    assert swings == sorted(swings, reverse=True)
    assert {"cash", "monthly_costs", "funding", "market.demand"} <= {row["input"] for row in rows}


# --- files that are not scenarios, and any stdout encoding (issue 13) -------------------------------


def _module_cli(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m scoring ARGV` as a user runs it; the timeout is only a safety net against a hang."""
    command = [sys.executable, "-m", "scoring", *argv]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("fifo", "is not a regular file (a device, a pipe or a socket), not a scenario file"),
        ("dev_zero", "is not a regular file (a device, a pipe or a socket), not a scenario file"),
        ("folder", "is a folder, not a scenario file"),
        ("too_large", "the file is larger than 1000 kB"),
        ("funding_450k", "finance.funding: has 450,000 entries; at most 120"),
        ("open_brackets", "the file nests deeper than 20 levels"),
        ("long_integer", "a number has 5,000 digits; at most 50"),
    ],
)
def test_a_file_that_is_no_scenario_exits_2_at_once_with_one_line(tmp_path, kind, expected):
    """A pipe with no writer, /dev/zero and a folder are refused before a byte is read (once: a
    hang, a MemoryError, a traceback); hostile contents before they are parsed."""
    import os

    path = tmp_path / "s.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev_zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "too_large":
        path.write_bytes(b" " * 1_000_002)
    elif kind == "funding_450k":
        data = json.loads(Path(PRESET).read_text(encoding="utf-8"))
        data["finance"]["funding"] = [1] * 450_000
        path.write_text(json.dumps(data, separators=(",", ":")))
    else:
        path.write_text("[" * 100_000 if kind == "open_brackets" else "[" + "9" * 5_000 + "]")
    done = _module_cli("evaluate", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: {path}: {expected}\n"


def test_any_language_on_an_ascii_stdout(capsys):
    """`PYTHONIOENCODING=ascii … --lang zh` once stopped with UnicodeEncodeError; now each character
    ASCII lacks is its escape (\\u603b), every number and the layout as in UTF-8."""
    import os

    _, utf8, _ = run_cli(capsys, "evaluate", PRESET, "--format", "text", "--lang", "zh")
    done = _module_cli(
        "evaluate", PRESET, "--format", "text", "--lang", "zh", env={**os.environ, "PYTHONIOENCODING": "ascii"}
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.isascii() and "\\u603b\\u4f53\\u98ce\\u9669: " in done.stdout  # 总体风险
    assert done.stdout == utf8.encode("ascii", "backslashreplace").decode("ascii")


def test_json_stays_valid_json_on_an_ascii_stdout(monkeypatch):
    """JSON's own escapes, not Python's (\\xe9 is no JSON escape), where stdout lacks a character."""
    import io

    from pydantic import BaseModel

    class Result(BaseModel):
        name: str

    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="ascii", errors="backslashreplace"))
    cli._dump(Result(name="医疗 é 😀"))
    sys.stdout.flush()
    assert json.loads(buffer.getvalue().decode("ascii")) == {"name": "医疗 é 😀"}


def test_an_unexpected_error_is_one_line_without_a_traceback(monkeypatch, capsys):
    def broken(prog):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "main", broken)
    assert cli.run() == 1
    assert capsys.readouterr().err == "error: internal error (RuntimeError: a bug); please report it\n"
