"""`scoring` stays pure: importing and using it loads neither streamlit nor plotly."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_scoring_does_not_import_ui_libraries():
    code = (
        "import sys, scoring\n"
        "scoring.evaluate(scoring.load_preset('neutral_template'))\n"
        "import scoring.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'streamlit', 'plotly'})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
