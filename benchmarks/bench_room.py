"""Benchmark: a workshop at scale — two replicas' stores under 300 participants, and one server under N phones.

(a) **Store**: 300 participants in 10 rooms (every factor of the catalogue, as the create form's
default) submit through two *replicas* — two processes, each with its own ``WorkshopStore`` (its
own engine and pool) and 30 threads (a Streamlit server runs each session's script in a thread of
its own) — on one database: round 1 once each, then round 2 twice each (an answer and a revision).
Every answer is counted back from the database and compared with what was sent; the submit
latency is reported as p50/p95. PostgreSQL in a scratch schema (dropped after), then one SQLite
file for comparison.

(b) **Server**: one Streamlit server with the facilitator's console open plus N phones on /join
(each joined to the room; one headless Chromium, a context per phone, no screenshots). For each N
the server process's CPU (``/proc/<pid>/stat`` deltas over a window) and the facilitator's
refresh delay — from a submit until the console shows the new count (the console polls every 3 s,
so about 1.5 s of it is waiting for the next tick) — are reported.

Where the server's time goes: profiling a phone's 5-second poll (``watch_round`` in
``dashboard/views/join.py``: one store read) showed the read at a few ms and Streamlit's
``gc.collect(2)`` after *every* script run — fragment runs included (the hidden option
``runner.postScriptGC``, on by default) — at tens to hundreds of ms: a full collection of a heap
holding pandas, Plotly and the catalogue. So part (b) runs each N with that option on (Streamlit's
default) and off (``--runner.postScriptGC false``; Python's own generational collector still runs).

    .venv/bin/python benchmarks/bench_room.py [--part store|server|both] [--phones 10,30,60]
        [--window 20] [--samples 5] [--post-script-gc on|off|both]
        [--database postgresql://postgres@127.0.0.1:5432/test]

The database: ``--database``, else ``WORKSHOP_TEST_DATABASE_URL``, else the local test server above;
without PostgreSQL, part (a) runs on SQLite only and part (b) on SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project and tests.browser importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from scoring import load_catalogue, load_preset  # noqa: E402
from workshop.engine import database_url  # noqa: E402
from workshop.schema import answers, participants  # noqa: E402
from workshop.store import WorkshopStore  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
ROOMS, PER_ROOM, THREADS = 10, 30, 30
PHONE_FACTORS = 8  # part (b): light phone pages (the server's per-poll cost does not depend on it)


# --- the database -------------------------------------------------------------------------------


def postgres_base(given: str | None) -> str | None:
    """A SQLAlchemy URL of a PostgreSQL server that answers, or None."""
    os.environ.pop("DATABASE_URL", None)
    for url in (given, os.environ.get("WORKSHOP_TEST_DATABASE_URL"), DEFAULT_PG):
        if not url or not url.startswith(("postgres://", "postgresql")):
            continue
        os.environ["DATABASE_URL"] = url
        base = database_url()  # postgres:// and postgresql:// become postgresql+psycopg://
        del os.environ["DATABASE_URL"]
        engine = create_engine(base, poolclass=NullPool, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return base
        except Exception as exc:  # no server there: try the next
            print(f"  (no PostgreSQL at {url.split('@')[-1]}: {str(exc).splitlines()[0][:100]})")
        finally:
            engine.dispose()
    return None


@contextlib.contextmanager
def databases(base: str | None) -> Iterator[list[tuple[str, str]]]:
    """(name, URL) of each database to measure: PostgreSQL (if any), then a SQLite file."""
    from tests.helpers import scratch_schema

    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        found = []
        if base:
            found.append(("PostgreSQL", stack.enter_context(scratch_schema(base, "ws_bench"))))
        found.append(("SQLite", f"sqlite:///{folder}/workshop.sqlite3"))
        yield found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- (a) two replicas' stores -----------------------------------------------------------------------


def value_of(participant: int, round_: int, factor: int, revision: int = 0) -> float:
    """What participant ``participant`` sends for one factor: distinct per round and revision."""
    return float((participant * 7 + factor * 3 + round_ * 5 + revision * 11) % 21) / 2


def replica(url: str, work: list[tuple[int, str, str]], factor_ids: list[str], start, rounds, results) -> None:
    """One app replica: its own store (engine and pool), ``THREADS`` sessions submitting at once."""
    store = WorkshopStore(url)

    def submit(item: tuple[int, str, str], round_: int, revision: int) -> float:
        index, code, token = item
        factors = {f: value_of(index, round_, i, revision) for i, f in enumerate(factor_ids)}
        began = time.perf_counter()
        store.submit(code, token, factors)
        return (time.perf_counter() - began) * 1000

    for round_, revisions in rounds:
        start.wait()  # both replicas begin each round together
        latencies = []
        with ThreadPoolExecutor(THREADS) as pool:
            for revision in range(revisions):
                latencies += list(pool.map(lambda item, n=round_, r=revision: submit(item, n, r), work))
        results.put(latencies)
    store.engine.dispose()


def bench_store(name: str, url: str) -> dict:
    catalogue = load_catalogue()
    factor_ids = list(catalogue.factors)
    store = WorkshopStore(url)
    rooms = [store.create_room(load_preset("medical_diagnosis"), factor_ids) for _ in range(ROOMS)]
    people = []  # (participant index, room code, token)
    for r, (code, _) in enumerate(rooms):
        for p in range(PER_ROOM):
            people.append((r * PER_ROOM + p, code, store.join(code, f"room {r} person {p}")))
    halves = [people[0::2], people[1::2]]  # each room's phones are spread over both replicas
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(3), context.Queue()
    rounds = [(1, 1), (2, 2)]  # round 1: one answer each; round 2: an answer and a revision each
    workers = [context.Process(target=replica, args=(url, half, factor_ids, start, rounds, results)) for half in halves]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    walls = []
    for round_, _ in rounds:
        if round_ > 1:
            for code, key in rooms:
                store.next_round(code, key)
        began = time.perf_counter()
        start.wait()
        latencies += results.get(timeout=600) + results.get(timeout=600)
        walls.append(time.perf_counter() - began)
    for worker in workers:
        worker.join(timeout=60)
    # Count back: every participant has exactly the answer last sent in each round.
    lost = wrong = 0
    with store.engine.connect() as connection:
        stored = {
            (row.name, row.round): row
            for row in connection.execute(
                select(participants.c.name, answers.c.round, answers.c.factors_json).join(
                    participants, participants.c.id == answers.c.participant_id
                )
            )
        }
    for index, _code, _token in people:
        r, p = divmod(index, PER_ROOM)
        for round_, revisions in rounds:
            row = stored.get((f"room {r} person {p}", round_))
            if row is None:
                lost += 1
                continue
            expected = {f: value_of(index, round_, i, revisions - 1) for i, f in enumerate(factor_ids)}
            wrong += json.loads(row.factors_json) != expected
    expected_rows = len(people) * len(rounds)
    store.engine.dispose()
    return {
        "name": name,
        "calls": len(latencies),
        "rows": len(stored),
        "expected": expected_rows,
        "lost": lost,
        "wrong": wrong,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "per_s": len(latencies) / sum(walls),
    }


def part_store(base: str | None) -> None:
    print(
        f"(a) {ROOMS * PER_ROOM} participants in {ROOMS} rooms ({len(load_catalogue().factors)} factors each), "
        f"two replica processes x {THREADS} threads, one database"
    )
    with databases(base) as found:
        for name, url in found:
            result = bench_store(name, url)
            print(
                f"  {name:10s} {result['calls']} submits ({result['per_s']:.0f}/s): "
                f"p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, max {result['max']:.0f} ms; "
                f"answers counted back {result['rows']}/{result['expected']}, "
                f"lost {result['lost']}, wrong {result['wrong']}"
            )


# --- (b) one server, a console and N phones -----------------------------------------------------------


@contextlib.contextmanager
def app_server(url: str, post_script_gc: bool = True) -> Iterator[tuple[str, int]]:
    """``streamlit run dashboard/app.py`` on ``url``'s database; (its address, its process id).
    ``post_script_gc`` off passes ``--runner.postScriptGC false`` (see the module's docstring)."""
    from tests.browser import free_port

    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--runner.postScriptGC", str(post_script_gc).lower(),
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield address, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


METRIC = """([label, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
    m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label
    && m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() === value)"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux: ``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def cpu_share(pid: int, seconds: float) -> float:
    """The process's CPU over ``seconds`` of wall time, in % of one core."""
    before, began = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - before) / (time.monotonic() - began)


def part_server(base: str | None, phones: list[int], window: float, samples: int, settings: list[bool]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    browser_path = chromium_path()
    if browser_path is None:
        print("(b) skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)")
        return
    with databases(base) as found:
        name, url = found[0]
        print(
            f"(b) one Streamlit server on {name}: the facilitator's console and N phones on /join "
            f"(a room rating {PHONE_FACTORS} factors; {samples} submits timed per step)"
        )
        for post_script_gc in settings:
            print(f"  Streamlit's runner.postScriptGC = {str(post_script_gc).lower()}:")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
                try:
                    serve_phones(url, browser, phones, window, samples, post_script_gc)
                finally:
                    browser.close()


def serve_phones(url: str, browser, phones: list[int], window: float, samples: int, post_script_gc: bool) -> None:
    from presentation.i18n import text

    store = WorkshopStore(url)
    factor_ids = list(load_catalogue().factors)[:PHONE_FACTORS]
    code, key = store.create_room(load_preset("medical_diagnosis"), factor_ids)
    label = text("workshop.answers", "en", n=1)
    sent = 0

    def submit_and_wait(console) -> float:
        """Seconds from a submit (through the store) until the console shows the new count."""
        nonlocal sent
        token = store.join(code, f"sender {sent}")
        store.submit(code, token, dict.fromkeys(factor_ids, float(sent % 21) / 2))
        began = time.monotonic()
        sent += 1
        console.wait_for_function(METRIC, arg=[label, str(sent)], timeout=180_000, polling=50)
        return time.monotonic() - began

    with app_server(url, post_script_gc) as (address, server):
        console = browser.new_page(viewport={"width": 1400, "height": 900})
        console.goto(f"{address}/workshop?room={code}&key={quote(key)}", wait_until="commit", timeout=120_000)
        console.wait_for_function(METRIC, arg=[label, "0"], timeout=180_000)
        submit_and_wait(console)  # warm-up: the first answer draws the charts for the first time
        opened = 0
        for target in [0, *phones]:
            while opened < target:
                token = store.join(code, f"phone {opened}")
                page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                page.goto(f"{address}/join?room={code}&me={token}", wait_until="commit", timeout=120_000)
                page.get_by_text(f"phone {opened}", exact=False).first.wait_for(timeout=180_000)
                opened += 1
            time.sleep(5)  # let the last pages settle into their polling
            cpu = cpu_share(server, window)
            delays = [submit_and_wait(console) for _ in range(samples)]
            print(
                f"    {target:3d} phones: server CPU {cpu:5.1f} % of a core; refresh delay median "
                f"{statistics.median(delays):.2f} s, max {max(delays):.2f} s; load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    store.engine.dispose()


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still stop the server, drop the schema
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["store", "server", "both"], default="both")
    parser.add_argument("--phones", default="10,30,60", help="phone counts for part (b), rising")
    parser.add_argument("--window", type=float, default=20.0, help="seconds of CPU measurement per step")
    parser.add_argument("--samples", type=int, default=5, help="submits timed per step")
    parser.add_argument(
        "--post-script-gc", choices=["on", "off", "both"], default="both", help="Streamlit's runner.postScriptGC"
    )
    parser.add_argument("--database", help="a PostgreSQL URL (default: WORKSHOP_TEST_DATABASE_URL or local)")
    args = parser.parse_args()
    base = postgres_base(args.database)
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{now}, nproc {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    if args.part in ("store", "both"):
        part_store(base)
    if args.part in ("server", "both"):
        settings = {"on": [True], "off": [False], "both": [True, False]}[args.post_script_gc]
        part_server(base, [int(n) for n in args.phones.split(",")], args.window, args.samples, settings)


if __name__ == "__main__":
    main()
