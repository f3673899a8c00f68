"""Reports to take away: one scenario on one page, or two to four side by side, as HTML or PDF.

The HTML is one self-contained file: Plotly is inlined once, the heatmap's backdrop is a data
URI, and nothing is fetched from the network, so it opens on a plane. It prints every input,
the conventions in force, the date and the version. The PDF is that HTML printed by headless
Chromium (:mod:`reports.pdf`). The CLI's ``report`` verb and the app's download buttons both
call :func:`build_report`. :func:`build_deck` (:mod:`reports.deck`) makes the same scenarios a
16:9 slide deck, one slide per page, printed the same way.
"""

from __future__ import annotations

from reports.deck import build_deck
from reports.html import MAX_SCENARIOS, build_report
from reports.pdf import PdfError, find_chromium, html_to_pdf

__all__ = ["MAX_SCENARIOS", "PdfError", "build_deck", "build_report", "find_chromium", "html_to_pdf"]
