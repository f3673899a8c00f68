"""The HTML report printed to PDF by headless Chromium (Debian's ``chromium``, or ``CHROMIUM_PATH``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["QUIET_FLAGS", "PdfError", "find_chromium", "html_to_pdf"]

# Chromium without a sandbox (root in a container), a GPU, or any call home.
QUIET_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
_ARGS = (
    "--headless",
    *QUIET_FLAGS,
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=20000",  # lets the inlined Plotly draw every chart before printing
)


class PdfError(Exception):
    """Why no PDF could be made, in one line for the user."""


def find_chromium() -> str | None:
    """``CHROMIUM_PATH``, else Debian's ``/usr/bin/chromium``, else a Chromium or Chrome on the PATH."""
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", *map(shutil.which, names)):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def html_to_pdf(html: str, timeout: float = 120.0) -> bytes:
    """Print ``html`` to PDF bytes with headless Chromium; :class:`PdfError` if that cannot be done."""
    browser = find_chromium()
    if browser is None:
        raise PdfError("a PDF needs Chromium: install Debian's 'chromium' package or set CHROMIUM_PATH")
    with tempfile.TemporaryDirectory(prefix="report-") as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, *_ARGS, f"--user-data-dir={folder}/profile", f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish printing within {timeout:.0f} s") from None
        except OSError as exc:
            raise PdfError(f"cannot start Chromium ({exc.strerror or exc})") from None
        data = pdf.read_bytes() if pdf.exists() else b""
    if not data.startswith(b"%PDF"):
        raise PdfError("Chromium did not produce a PDF")
    return data
