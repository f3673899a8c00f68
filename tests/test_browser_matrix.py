"""The risk matrix as Chromium draws it: every marker inside the pixel box of its exact cell.

The app opens on the neutral template, where 20 of the 27 risks share cell 3 x 3 (the crowded
case). The cell boxes come from the rendered plot area (Plotly's ``.nsewdrag`` rectangle spans
the axis range 0.5-5.5 on both axes) checked against the tick labels; each marker's box is its
``.scatterlayer .point`` path plus half its outline; its cell comes from the exact likelihood
and impact in the markers' customdata (the hover prints them to two decimals). Run on a laptop
and on a 390-px phone, where cells are smallest.
"""

import math

import pytest

from presentation.charts.heatmap import MIN_CELL_PX
from tests.browser import CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server

pytestmark = pytest.mark.browser

BROWSER = require_chromium()

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

HEATMAP_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .some(gd => (gd.querySelector('.gtitle')?.textContent || '').startsWith('Risk heatmap')
        && gd.querySelectorAll('.scatterlayer .trace:last-child .point').length === 27)
    && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""

MEASURE = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')]
    .find(gd => (gd.querySelector('.gtitle')?.textContent || '').startsWith('Risk heatmap'));
  plot.scrollIntoView();
  const area = plot.querySelector('.nsewdrag').getBoundingClientRect();
  const ticks = [...plot.querySelectorAll('.xtick text')].map(t => {
    const r = t.getBoundingClientRect(); return [t.textContent, r.left + r.width / 2]; });
  const traces = plot.querySelectorAll('.scatterlayer .trace');
  const last = plot.data[plot.data.length - 1];
  const points = [...traces[traces.length - 1].querySelectorAll('.point')].map((p, i) => {
    const r = p.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            line: last.marker.line.width[i], likelihood: last.customdata[i][0], impact: last.customdata[i][1]};
  });
  return {area: {left: area.left, top: area.top, width: area.width, height: area.height}, ticks, points};
}"""


def cell_box(area: dict, likelihood: int, impact: int) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) in pixels of cell (likelihood, impact): 5 equal cells each way."""
    width, height = area["width"] / 5, area["height"] / 5
    left = area["left"] + (likelihood - 1) * width
    top = area["top"] + (5 - impact) * height
    return left, left + width, top, top + height


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_every_marker_sits_inside_its_cells_pixel_box(width, height):
    with streamlit_server(ROOT / "dashboard" / "app.py") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            # only the heatmap is needed (not open_app's three charts): a loaded machine gets more time
            page.wait_for_function(HEATMAP_DRAWN, timeout=150_000)
            page.wait_for_timeout(500)
            drawn = page.evaluate(MEASURE)
        finally:
            browser.close()
    area, points = drawn["area"], drawn["points"]
    # square cells, never smaller than the phone's cell the marker sizes were worked out for
    assert area["width"] == pytest.approx(area["height"], abs=1.5)
    assert area["width"] / 5 >= MIN_CELL_PX
    ticks = dict(drawn["ticks"])  # the axis agrees: tick "k" is centred on column k
    for k in range(1, 6):
        assert ticks[str(k)] == pytest.approx(area["left"] + (k - 0.5) * area["width"] / 5, abs=2)
    assert len(points) == 27
    cells = [(math.floor(p["likelihood"] + 0.5), math.floor(p["impact"] + 0.5)) for p in points]
    assert max(cells.count(cell) for cell in set(cells)) >= 10  # the crowded case
    for point, (likelihood, impact) in zip(points, cells, strict=True):
        left, right, top, bottom = cell_box(area, likelihood, impact)
        half = point["line"] / 2
        assert left <= point["left"] - half and point["right"] + half <= right, (point, left, right)
        assert top <= point["top"] - half and point["bottom"] + half <= bottom, (point, top, bottom)
