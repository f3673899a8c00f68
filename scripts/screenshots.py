"""Retake the README's pictures (docs/*.png) from the running app, so they show today's numbers.

    .venv/bin/python scripts/screenshots.py            # all of them
    .venv/bin/python scripts/screenshots.py explore    # only some: explore runway compare report workshop

Starts the dashboard on a free loopback port with an empty workshop store, drives Debian's
Chromium (/usr/bin/chromium or $CHROMIUM_PATH) through Playwright and writes the PNGs into
docs/. Needs the dev requirements (`make test` installs them).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SHOTS = ("explore", "runway", "compare", "report", "workshop")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settle(page: Page, seconds: float = 1.5) -> None:
    """Wait until Streamlit has finished the run the last action started, then a little more."""
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(seconds * 1000)


def _drawn(page: Page) -> None:
    """Explore's seven KPIs and three charts on screen: a cold first run takes several seconds, and
    the elements show as grey placeholders until their code has loaded in the browser."""
    page.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stMetric"]').length >= 7
            && document.querySelectorAll('.js-plotly-plot').length >= 2
            && document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks').length >= 1""",
        timeout=120_000,
    )


def _explore(page: Page, url: str) -> None:
    page.goto(url + "/?preset=medical_diagnosis")
    _drawn(page)
    _settle(page, 3)
    page.screenshot(path=DOCS / "screenshot.png")


def _runway(page: Page, url: str) -> None:
    page.goto(url + "/?preset=medical_diagnosis")
    _drawn(page)
    _settle(page, 3)
    page.get_by_text("Cash balance by month").scroll_into_view_if_needed()
    page.mouse.wheel(0, 250)
    _settle(page, 1)
    page.screenshot(path=DOCS / "runway.png")


def _compare(page: Page, url: str) -> None:
    page.goto(url + "/compare?preset=medical_diagnosis")
    _settle(page, 2)
    for name in ("Add Bull case", "Add Bear case", "Add: after the response"):
        page.get_by_role("button", name=name).click()
        _settle(page)
    table = page.locator('[data-testid="stTable"]').first
    table.scroll_into_view_if_needed()
    _settle(page, 1)
    box = table.bounding_box()
    page.screenshot(path=DOCS / "compare.png", clip={**box, "y": box["y"] - 60, "height": box["height"] + 70})


def _report(page: Page, _url: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        command = [sys.executable, "-m", "scoring", "report", "data/presets/medical_diagnosis.json", "--out", str(out)]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        page.set_viewport_size({"width": 840, "height": 1130})
        page.goto(out.as_uri())
        page.wait_for_timeout(3000)
        page.screenshot(path=DOCS / "report.png")


def _workshop(page: Page, url: str) -> None:
    """A room of twelve on the medical-diagnosis case, rating six factors with some disagreement."""
    from scoring import load_preset
    from workshop.store import WorkshopStore

    store = WorkshopStore()  # the server's store: DATA_DIR is set for both
    factors = [
        "market.demand",
        "technical.data_access",
        "technical.explainability",
        "legal.sector_regulation",
        "funding.investor_access",
        "talent.team_strength",
    ]
    scenario = load_preset("medical_diagnosis")
    code, token = store.create_room(scenario, factors)
    luck = random.Random(7)
    for person in range(12):
        me = store.join(code, f"Participant {person + 1}")
        ratings = {f: min(10.0, max(0.0, round((scenario.factors[f] + luck.gauss(0, 1.6)) * 2) / 2)) for f in factors}
        store.submit(code, me, ratings)
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{url}/workshop?room={code}&key={token}")
    _settle(page, 4)
    page.locator('[data-testid="stMetricLabel"]', has_text="Agreement").first.scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    _settle(page, 2)
    page.screenshot(path=DOCS / "workshop.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shots", nargs="*", choices=(*SHOTS, []), help="which pictures (default: all)")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
                for shot in args.shots or SHOTS:
                    page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
                    globals()[f"_{shot}"](page, url)
                    page.close()
                    print(f"docs/{shot if shot != 'explore' else 'screenshot'}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
