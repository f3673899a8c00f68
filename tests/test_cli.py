"""`python -m scoring evaluate`: JSON and text output, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.presets import PRESETS_DIR

ROOT = Path(__file__).resolve().parent.parent
PRESET = str(PRESETS_DIR / "customer_service_cash_strapped.json")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_has_the_documented_fields(capsys):
    code, out, err = run(capsys, "evaluate", PRESET)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert set(report) == {"risk", "opportunity", "runway"}
    assert {"overall", "by_category", "items"} <= set(report["risk"])
    assert {"id", "category", "likelihood", "impact", "score", "band", "drivers", "amplified_by", "mitigations"} <= set(
        report["risk"]["items"][0]
    )
    assert {"overall", "axes"} <= set(report["opportunity"])
    assert {"months", "cash_out_month", "break_even_month", "default_alive", "naive_months", "balance"} <= set(
        report["runway"]
    )
    assert len(report["runway"]["balance"]) == 24  # this preset's horizon


def test_json_keeps_full_precision(capsys):
    _, out, _ = run(capsys, "evaluate", PRESET)
    months = json.loads(out)["runway"]["months"]
    assert months != round(months, 6)  # not rounded for display


def test_text_report_is_readable(capsys):
    code, out, _ = run(capsys, "evaluate", PRESET, "--format", "text")
    assert code == 0
    assert out.startswith("Customer-service AI short of cash\n")
    assert "Overall risk:" in out and "Top risks:" in out and "default dead" in out


def test_text_report_in_chinese(capsys):
    _, out, _ = run(capsys, "evaluate", PRESET, "--format", "text", "--lang", "zh")
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
def test_bad_scenario_exits_2_with_one_line(capsys, tmp_path, content, expected):
    path = tmp_path / "s.json"
    path.write_text(content)
    code, out, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "evaluate", str(tmp_path / "missing.json"))
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
