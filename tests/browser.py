"""Browser support for the browser tests and the latency benchmark: a Streamlit server on a free
port, Debian's Chromium, and waits for a rerun to finish.

``benchmarks/bench_latency.py`` imports this module too (benchmarks may import tests' helpers;
nothing else imports either)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from reports.pdf import QUIET_FLAGS, find_chromium
from tests.helpers import ROOT

__all__ = [
    "CHROMIUM_ARGS",
    "ROOT",
    "app_browser",
    "chromium_path",
    "open_app",
    "require_chromium",
    "streamlit_server",
    "wait_idle_after",
]

CHROMIUM_ARGS = list(QUIET_FLAGS)
chromium_path = find_chromium  # the report's PDF printer looks for the same browser


def require_chromium() -> str:
    """Chromium's path, for a browser-test module to call at import: without one the module skips
    with a loud reason, except in CI (CI=true), where a missing browser fails (`make test` installs it)."""
    import pytest  # only the tests call this; the latency benchmark imports this module without pytest's help

    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium: apt-get install -y chromium, or set CHROMIUM_PATH", pytrace=False)
        pytest.skip(
            "NO BROWSER: Chromium not found, the browser test did not run (apt-get install -y chromium)",
            allow_module_level=True,
        )
    return path


@contextlib.contextmanager
def app_browser(browser_path: str) -> Iterator[tuple[str, object]]:
    """The dashboard on a free port and a headless Chromium at ``browser_path``, both stopped after;
    yields (url, browser). The server inherits this process's environment (e.g. ``DATA_DIR``)."""
    from playwright.sync_api import sync_playwright  # the browser tests skip when it is missing

    with streamlit_server(ROOT / "dashboard" / "app.py") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        try:
            yield url, browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: str | Path, timeout: float = 60.0) -> Iterator[str]:
    """Run ``streamlit run script`` on a free loopback port; yield its URL; stop it after."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                error = process.stderr.read().decode(errors="replace") if process.poll() is not None else "timed out"
                raise RuntimeError(f"streamlit did not start: {error[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def open_app(page, url: str, charts: int = 3) -> None:
    """Load the app and wait until its first run has finished and drawn ``charts`` charts
    (Plotly figures and Vega-Lite charts alike)."""
    page.goto(url)
    page.wait_for_function(
        """(charts) => document.querySelectorAll(
                '.js-plotly-plot, [data-testid="stVegaLiteChart"] svg.marks').length >= charts
            && document.querySelector('[data-testid="stApp"]')
                   ?.getAttribute('data-test-script-state') === 'notRunning'""",
        arg=charts,
        timeout=60_000,
    )
    page.wait_for_timeout(500)


def wait_idle_after(page, action, quiet_ms: int = 600, timeout_ms: int = 30_000) -> float:
    """Run ``action`` (a key press) and return ms from the key press to the page's last change.

    Every DOM mutation after the key press is timestamped; once nothing has changed for
    ``quiet_ms``, the rerun has finished and been drawn, and the last mutation marks when.
    (Streamlit's ``data-test-script-state`` attribute is not enough: React batches a fast
    rerun's running / not-running flips into one render, so some reruns never show it.)
    """
    page.evaluate(
        """([quietMs, timeoutMs]) => {
            window.__start = null;
            window.__last = null;
            document.addEventListener('keydown', () => { window.__start = performance.now(); },
                                      {capture: true, once: true});
            const observer = new MutationObserver(() => {
                if (window.__start !== null) window.__last = performance.now();
            });
            observer.observe(document.body,
                             {subtree: true, childList: true, attributes: true, characterData: true});
            window.__idle = new Promise((resolve, reject) => {
                const began = performance.now();
                const timer = setInterval(() => {
                    const now = performance.now();
                    if (window.__last !== null && now - window.__last >= quietMs) {
                        clearInterval(timer);
                        observer.disconnect();
                        resolve(window.__last - window.__start);
                    } else if (now - began > timeoutMs) {
                        clearInterval(timer);
                        observer.disconnect();
                        reject(new Error('the page did not change after the key press'));
                    }
                }, 20);
            });
        }""",
        [quiet_ms, timeout_ms],
    )
    action()
    return page.evaluate("() => window.__idle")
