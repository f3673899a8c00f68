"""Helpers shared by the test modules: plain functions and constants, imported as
``from tests.helpers import …``. Fixtures live in ``tests/conftest.py``, the browser support in
``tests/browser.py``, the Hypothesis strategies in ``tests/strategies.py``."""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool
from streamlit.testing.v1 import AppTest

from cli import main
from dashboard.fields import CASH_OPEN, factor_key
from scoring import Scenario, load_catalogue, load_preset, parse_scenario
from workshop.schema import answers, failed_joins, participants, rooms
from workshop.store import RoomNotFound

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")

CATALOGUE = load_catalogue()
SIGNED = [factor_id for factor_id, factor in CATALOGUE.factors.items() if factor.direction != "none"]
FACTORS = ["market.demand", "market.competition", "talent.team_strength"]  # a workshop room's factors
TWO_FACTORS = FACTORS[:2]


def cash_plan(**finance) -> Scenario:
    """A scenario of only a cash plan (no revenue unless given; every factor at its default)."""
    return parse_scenario({"finance": {"monthly_revenue": 0, **finance}})


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """The command line run in-process: exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the Streamlit app through AppTest ------------------------------------------------------------


def new_session(lang: str | None = None, cash_plan: bool = False) -> AppTest:
    """A fresh browser session of the app, not yet run (in ``lang`` if given); ``cash_plan``: with
    the sidebar's cash plan open, as a founder opens it to edit it (it is closed at first)."""
    app = AppTest.from_file(APP, default_timeout=60)
    if lang is not None:
        app.session_state["lang"] = lang
    if cash_plan:
        app.session_state[CASH_OPEN] = True
    return app


def with_link(params: dict[str, str], lang: str | None = None) -> AppTest:
    """A fresh session (a copied link in a new browser) opened on ``params``: its first run."""
    app = new_session(lang)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception
    return app


def open_on(page: str, lang: str | None = None) -> AppTest:
    """A session that starts on Explore and then moves to ``page``."""
    app = new_session(lang).run()
    app.switch_page(page).run()
    assert not app.exception
    return app


def compare_page() -> AppTest:
    return open_on("views/compare.py")


def move_factor(at: AppTest, factor_id: str, value: float) -> AppTest:
    """Set a factor's slider as a founder would: pick its group in the sidebar's pills first (the
    sidebar shows one group's sliders at a time), then move the slider; runs the app."""
    group = factor_id.split(".")[0]
    if at.session_state["factor_group"] != group:
        at.pills(key="factor_group").set_value(group).run()
    return at.slider(key=factor_key(factor_id)).set_value(value).run()


def metric(at: AppTest, label: str):
    """The metric with this label (its ``value`` and ``delta`` are what the page shows)."""
    return next(m for m in at.metric if m.label == label)


def kpi_frame(at: AppTest, spaces: bool = True):
    """The Compare page's key figures (a static table); no-break spaces read as spaces unless ``spaces`` is off."""
    frame = next(table.value for table in at.table if "Runway" in table.value.index)
    return frame.map(lambda cell: cell.replace("\u00a0", " ")) if spaces else frame


# --- the workshop store, on SQLite and on PostgreSQL ------------------------------------------------


def room_id(store, code: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(rooms.c.id).where(rooms.c.code == code)).scalar_one()


def rows_of_room(store, room_id: int) -> dict[str, int]:
    """How many rows of each table belong to the room, counted in the database itself."""
    with store.engine.connect() as connection:
        count = lambda table, column: connection.execute(  # noqa: E731
            select(func.count()).select_from(table).where(column == room_id)
        ).scalar_one()
        return {
            "rooms": count(rooms, rooms.c.id),
            "participants": count(participants, participants.c.room_id),
            "answers": count(answers, answers.c.room_id),
            "answers of its participants": connection.execute(
                select(func.count())
                .select_from(answers.join(participants, participants.c.id == answers.c.participant_id))
                .where(participants.c.room_id == room_id)
            ).scalar_one(),
        }


def failed_join_rows(store) -> list[tuple[str, object]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(failed_joins.c.client, failed_joins.c.at))]


def deleting_a_room_removes_everything(store) -> None:
    """Two rooms with participants, answers in two rounds, and wrong codes on record; delete one."""
    made = dict(store.create_room(load_preset("neutral_template"), TWO_FACTORS) for _ in range(2))
    (gone, facilitator), (kept, _) = made.items()
    for code, key in made.items():
        tokens = [store.join(code, name) for name in ("Ann", "Bob", "Cem")]
        for token in tokens:
            store.submit(code, token, dict.fromkeys(TWO_FACTORS, 5.0))
        store.next_round(code, key)
        store.submit(code, tokens[0], dict.fromkeys(TWO_FACTORS, 6.0))
    with pytest.raises(RoomNotFound):
        store.enter("ZZZZZZZZ", [("session:guesser", 10)])
    gone_id, kept_id, guesses = room_id(store, gone), room_id(store, kept), failed_join_rows(store)
    full = {"rooms": 1, "participants": 3, "answers": 4, "answers of its participants": 4}
    assert rows_of_room(store, gone_id) == full == rows_of_room(store, kept_id)

    store.delete_room(gone, facilitator)

    with pytest.raises(RoomNotFound):
        store.room(gone)
    assert rows_of_room(store, gone_id) == dict.fromkeys(full, 0)  # by ON DELETE CASCADE
    assert rows_of_room(store, kept_id) == full and len(store.answers(kept)) == 4
    # Failed joins are wrong codes counted per client: they match no room, so none is the deleted
    # room's, and a deletion must not reset a guesser's count.
    assert failed_join_rows(store) == guesses and len(guesses) == 1


def submit_all_at_once(store, code: str, answers: list[dict]) -> list[str]:
    """One participant per answer joins, then all submit at the same moment; the errors seen."""
    tokens = [store.join(code, f"p{i}") for i in range(len(answers))]
    start, errors = threading.Barrier(len(answers)), []

    def submit(i):
        start.wait()
        try:
            store.submit(code, tokens[i], answers[i])
        except Exception as exc:  # any failure is the test's finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(answers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def first_submits_at_once(store, code: str, participants: int = 25, taps: int = 4) -> tuple[list[str], dict]:
    """Each participant sends their first answer ``taps`` times at the same moment (a double tap,
    two tabs): the errors seen, and each participant's stored answers by name."""
    factors = list(store.room(code).factor_ids)
    tokens = {f"p{i}": store.join(code, f"p{i}") for i in range(participants)}
    errors: list[str] = []
    for token in tokens.values():
        start = threading.Barrier(taps)

        def submit(tap: int, token=token, start=start) -> None:
            start.wait()
            try:
                store.submit(code, token, dict.fromkeys(factors, float(tap)))
            except Exception as exc:  # any failure is the test's finding
                errors.append(repr(exc))

        threads = [threading.Thread(target=submit, args=(tap,)) for tap in range(taps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    stored: dict[str, list[dict]] = {}
    for answer in store.answers(code):
        stored.setdefault(answer.participant, []).append(answer.factors)
    return errors, stored


# A PostgreSQL server for the tests, e.g. postgresql://postgres@127.0.0.1:5432/test (`make test` sets it
# through scripts/ensure_postgres.sh). Without one, or when it does not answer, those tests skip and
# say why; under CI=true they fail instead: CI must exercise the PostgreSQL path.
PG_URL = os.environ.get("WORKSHOP_TEST_DATABASE_URL", "")
PG_REQUIRED = os.environ.get("CI") == "true"


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1).replace("postgres://", "postgresql+psycopg://", 1)


def _postgres_problem() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when the server answers."""
    if not PG_URL:
        return "no PostgreSQL: WORKSHOP_TEST_DATABASE_URL is not set (`make test` sets it when a server answers)"
    engine = create_engine(_sqlalchemy_url(PG_URL), connect_args={"connect_timeout": 3}, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect is the reason given
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return f"PostgreSQL at {PG_URL.split('@')[-1]} does not answer: {first}"
    finally:
        engine.dispose()
    return None


PG_PROBLEM = _postgres_problem()
PG_SKIP_REASON = f"{PG_PROBLEM} (under CI=true this fails)"
# Outside CI: skip (the `pg_url` fixture skips too). Under CI: never skip; `pg_url` fails the test.
needs_postgres = pytest.mark.skipif(bool(PG_PROBLEM) and not PG_REQUIRED, reason=PG_SKIP_REASON)


def require_postgres() -> None:
    """Fail (CI) or skip (elsewhere) a test that needs the PostgreSQL server when there is none."""
    if PG_PROBLEM:
        if PG_REQUIRED:
            pytest.fail(f"CI=true needs PostgreSQL for this test: {PG_PROBLEM}", pytrace=False)
        pytest.skip(PG_SKIP_REASON)


@contextlib.contextmanager
def isolated_schema() -> Iterator[str]:
    """A SQLAlchemy URL whose connections work in a new, empty schema; the schema is dropped after."""
    require_postgres()
    with scratch_schema(_sqlalchemy_url(PG_URL)) as url:
        yield url


@contextlib.contextmanager
def scratch_schema(base: str, prefix: str = "ws_test") -> Iterator[str]:
    """``base`` (a PostgreSQL URL) with its connections in a new, empty schema ``<prefix>_<random>``,
    dropped afterwards (tests, and benchmarks/bench_room.py)."""
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
