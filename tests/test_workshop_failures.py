"""The workshop store when the database fails: every SQLAlchemy error ends as a StoreUnavailable with
a message for the user (busy, cannot be reached, full, read-only, a wrong setting) that names the
database only by kind — never a file path, host, user or password, which go to the server log —
and what passes is retried within a bounded time. Also: rooms expire after WORKSHOP_ROOM_DAYS
without activity, and the CSV export defuses formulas for any spreadsheet locale.

SQLite always; the lock, pool and read-only cases also on PostgreSQL when WORKSHOP_TEST_DATABASE_URL
names a server (in a schema of its own; skipped otherwise, failed under CI=true)."""

import datetime as dt
import logging
import threading
import time

import pytest
from sqlalchemy import create_engine, event, func, insert, select, text, update
from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from scoring import load_preset
from tests.helpers import FACTORS, TWO_FACTORS, needs_postgres, new_session
from workshop.engine import RETRY_SECONDS, retry, store_error
from workshop.export import answers_csv, defuse
from workshop.queries import FAILED_JOINS_WINDOW
from workshop.recover import main as recover
from workshop.schema import answers, failed_joins, participants, rooms
from workshop.store import Answer, Room, RoomNotFound, StoreUnavailable, WorkshopStore, open_store

PRESET = load_preset("neutral_template")
DAY = dt.timedelta(days=1)
SLACK = 2.0  # seconds a loaded test machine may add to a measured wait


@pytest.fixture
def path(tmp_path):
    return tmp_path / "workshop.sqlite3"


@pytest.fixture
def store(path):
    store = WorkshopStore(f"sqlite:///{path}")
    yield store
    store.engine.dispose()


def shows_nothing_of(message: str, *secrets: object) -> bool:
    return not [secret for secret in secrets if str(secret) in message]


# --- every error is a message ----------------------------------------------------------------------


class DriverError(Exception):
    """What a DBAPI driver raises: a message and, for PostgreSQL, a SQLSTATE; for SQLite an error name."""

    def __init__(self, message: str, sqlstate: str | None = None, sqlite_errorname: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate, self.sqlite_errorname = sqlstate, sqlite_errorname


PG = "postgresql+psycopg://ws:hunter2@db.internal:5432/rooms"
LITE = "sqlite:////srv/app/data/workshop.sqlite3"
ERRORS = [  # (url, error, kind, the words the user reads)
    (
        LITE,
        OperationalError("INSERT", {}, DriverError("database or disk is full", None, "SQLITE_FULL")),
        "full",
        "The workshop database (SQLite) is full",
    ),
    (
        PG,
        OperationalError("INSERT", {}, DriverError("could not extend file: No space left on device", "53100")),
        "full",
        "The workshop database (PostgreSQL) is full",
    ),
    (
        LITE,
        OperationalError("INSERT", {}, DriverError("attempt to write a readonly database", None, "SQLITE_READONLY")),
        "read_only",
        "The workshop database (SQLite) is read-only",
    ),
    (
        PG,
        OperationalError("INSERT", {}, DriverError("cannot execute INSERT in a read-only transaction", "25006")),
        "read_only",
        "is read-only",
    ),
    (
        PG,
        OperationalError("SELECT", {}, DriverError("canceling statement due to lock timeout", "55P03")),
        "busy",
        "The workshop database (PostgreSQL) is busy; try again in a moment.",
    ),
    (PG, OperationalError("UPDATE", {}, DriverError("deadlock detected", "40P01")), "busy", "is busy"),
    (PG, PoolTimeout("QueuePool limit of size 5 overflow 10 reached, connection timed out"), "busy", "is busy"),
    (
        PG,
        OperationalError(None, {}, DriverError('connection to server at "db.internal" failed: Connection refused')),
        "unreachable",
        "The workshop database (PostgreSQL) cannot be reached; try again in a moment.",
    ),
    (PG, InterfaceError(None, {}, DriverError("the connection is closed")), "unreachable", "cannot be reached"),
    (
        LITE,
        DatabaseError("SELECT", {}, DriverError("file is not a database", None, "SQLITE_NOTADB")),
        "broken",
        "The workshop database (SQLite) cannot be used: file is not a database.",
    ),
    (
        LITE,
        DatabaseError("SELECT", {}, DriverError("disk I/O error reading /srv/app/data/workshop.sqlite3 page 7")),
        "broken",
        "The workshop database (SQLite) cannot be used: disk I/O error reading … page 7.",
    ),
]


@pytest.mark.parametrize(("url", "error", "kind", "words"), ERRORS, ids=[f"{e[2]}-{i}" for i, e in enumerate(ERRORS)])
def test_every_database_error_is_named_for_the_user_without_where_it_is(url, error, kind, words, caplog):
    caplog.set_level(logging.ERROR, logger="workshop.store")
    shown = store_error(error, url)
    assert (shown.kind, isinstance(shown, StoreUnavailable)) == (kind, True)
    assert words in str(shown) and "\n" not in str(shown)
    assert shows_nothing_of(str(shown), "hunter2", "db.internal", "ws:", "/srv/app", "workshop.sqlite3", "rooms")
    assert "db.internal" in caplog.text or "/srv/app" in caplog.text  # the server log has where
    assert "hunter2" not in caplog.text  # but never the password


def test_what_passes_is_retried_and_what_lasts_ends_within_the_budget():
    calls = []

    def deadlocked_twice():
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise OperationalError("UPDATE", {}, DriverError("deadlock detected", "40P01"))
        return "done"

    assert retry(deadlocked_twice, PG) == "done" and len(calls) == 3
    assert 0.05 + 0.1 <= calls[-1] - calls[0] < 1.0  # backed off 50 ms, then 100 ms

    calls.clear()

    def pool_exhausted():
        calls.append(time.monotonic())
        raise PoolTimeout("QueuePool limit of size 1 overflow 2 reached")

    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=r"^The workshop database \(PostgreSQL\) is busy") as raised:
        retry(pool_exhausted, PG)
    assert raised.value.kind == "busy"
    assert 1 < len(calls) <= 6 and time.monotonic() - started < RETRY_SECONDS + 0.5

    calls.clear()

    def full():
        calls.append(1)
        raise OperationalError("INSERT", {}, DriverError("database or disk is full", None, "SQLITE_FULL"))

    with pytest.raises(StoreUnavailable, match="is full"):
        retry(full, LITE)
    assert calls == [1]  # a full disk does not pass: no second try


def test_a_full_disk_says_full_without_the_path(store, path):
    code, _ = store.create_room(PRESET, FACTORS)
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    event.listen(store.engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages}"))
    store.engine.dispose()  # every new connection now has no room to grow: "database or disk is full"
    with pytest.raises(StoreUnavailable) as raised:
        for i in range(500):
            store.join(code, f"participant {i} " + "x" * 20)
    message = str(raised.value)
    assert raised.value.kind == "full"
    assert message.startswith("The workshop database (SQLite) is full: nothing new can be saved")
    assert shows_nothing_of(message, path, path.parent.name, "sqlite3")
    assert store.room(code).code == code  # reading still works


def test_a_read_only_database_says_read_only_without_the_path(store, path):
    code, _ = store.create_room(PRESET, FACTORS)
    store.engine.dispose()
    frozen = WorkshopStore(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        assert frozen.room(code).code == code  # it reads ...
        with pytest.raises(StoreUnavailable) as raised:
            frozen.join(code, "Ann")  # ... but cannot write
    finally:
        frozen.engine.dispose()
    assert raised.value.kind == "read_only"
    assert str(raised.value).startswith("The workshop database (SQLite) is read-only: nothing new can be saved")
    assert shows_nothing_of(str(raised.value), path, path.parent.name, "sqlite3")


def test_a_folder_that_cannot_be_made_says_so_without_the_path(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreUnavailable) as raised:
        WorkshopStore(f"sqlite:///{blocked}/workshop.sqlite3")
    assert str(raised.value) == "The workshop database (SQLite) cannot be reached; try again in a moment."


# --- a wrong DATABASE_URL ---------------------------------------------------------------------------


BAD_URLS = [  # (DATABASE_URL, why, in the one line the user reads)
    ("postgresql://ws:hunter2@db.internal:notaport/rooms", "the port is not a number"),
    ("postgres://ws:hunter2@db.internal:99999/rooms", "the port is not between 1 and 65535"),
    ("mysqlx://ws:hunter2@db.internal/rooms", "'mysqlx' is not a kind of database it knows"),
    ("ws:hunter2 at db.internal", "it cannot be read as a database address"),
]


@pytest.mark.parametrize(("url", "why"), BAD_URLS)
def test_a_wrong_database_url_is_one_line_naming_it(monkeypatch, capsys, url, why):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(StoreUnavailable) as raised:
        open_store()
    message = str(raised.value)
    assert raised.value.kind == "config"
    assert message == (
        f"DATABASE_URL is not a database address this app can use: {why}. "
        "Expected e.g. postgresql://user:password@host:5432/name."
    )
    assert shows_nothing_of(message, "hunter2", "db.internal")
    assert recover(["ABCD2345"]) == 2  # the server's command line: the same line, exit status 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"python -m workshop.recover: {message}\n")


def test_a_wrong_setting_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_ROOM_DAYS", "thirty")
    with pytest.raises(StoreUnavailable, match=r"^WORKSHOP_ROOM_DAYS must be a whole number ≥ 0 \(it is 'thirty'\)\.$"):
        WorkshopStore(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    monkeypatch.delenv("WORKSHOP_ROOM_DAYS")
    monkeypatch.setenv("WORKSHOP_POOL_TIMEOUT", "-1")
    with pytest.raises(StoreUnavailable, match=r"^WORKSHOP_POOL_TIMEOUT must be a whole number"):
        WorkshopStore(PG)  # checked before any connection is tried


def test_the_console_shows_a_wrong_database_url_as_a_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://ws:hunter2@db.internal:notaport/rooms")
    at = new_session()
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    shown = " ".join(element.value for element in at.error)
    assert "DATABASE_URL is not a database address this app can use: the port is not a number" in shown
    assert shows_nothing_of(shown, "hunter2", "db.internal")


# --- retention -------------------------------------------------------------------------------------


def backdate(store: WorkshopStore, code: str, created: dt.datetime, last_active: dt.datetime | None = None) -> str:
    with store.engine.begin() as connection:
        connection.execute(
            update(rooms).where(rooms.c.code == code).values(created_at=created, last_active=last_active)
        )
    return code


def add_room(store: WorkshopStore, created: dt.datetime, last_active: dt.datetime | None = None) -> str:
    return backdate(store, store.create_room(PRESET, TWO_FACTORS)[0], created, last_active)


def test_rooms_expire_after_the_days_without_activity(store):
    """Today is NOW; rooms are kept 30 days (the default). Worked by hand, with the cutoff NOW - 30 days:
    created 40 days ago, nothing since                    -> expired (with its participant and answer)
    created 40 days ago, an answer 3 days ago              -> kept (an answer is activity)
    created 40 days ago, a participant joined 29 days ago   -> kept (a join is activity)
    created 40 days ago, round changed 2 days ago           -> kept (last_active)
    created 31 days ago, round changed 30 days + 1 s ago   -> expired
    created 29 days ago                                    -> kept (its creation is activity)
    The rooms are made and answered today (the store's first write sweeps nothing), then backdated."""
    now = dt.datetime.now(dt.UTC)
    idle, answered, joined, changed, stale_round, young = (store.create_room(PRESET, TWO_FACTORS)[0] for _ in range(6))
    store.submit(idle, store.join(idle, "Ann"), {"market.demand": 3, "market.competition": 5})
    store.submit(answered, store.join(answered, "Bob"), {"market.demand": 4, "market.competition": 5})
    store.join(joined, "Cem")
    for code in (idle, answered, joined):
        backdate(store, code, now - 40 * DAY)
    backdate(store, changed, now - 40 * DAY, last_active=now - 2 * DAY)
    backdate(store, stale_round, now - 31 * DAY, last_active=now - 30 * DAY - dt.timedelta(seconds=1))
    backdate(store, young, now - 29 * DAY)
    with store.engine.begin() as connection:
        connection.execute(update(participants).values(joined_at=now - 40 * DAY))
        connection.execute(update(participants).where(participants.c.name == "Cem").values(joined_at=now - 29 * DAY))
        connection.execute(update(answers).values(submitted_at=now - 40 * DAY))
        bob = select(participants.c.id).where(participants.c.name == "Bob").scalar_subquery()
        connection.execute(update(answers).where(answers.c.participant_id == bob).values(submitted_at=now - 3 * DAY))

    assert store.room_days == 30
    assert store.expire(now) == 2
    for code in (idle, stale_round):
        with pytest.raises(RoomNotFound):
            store.room(code)
    assert {store.room(code).code for code in (answered, joined, changed, young)} == {answered, joined, changed, young}
    with store.engine.connect() as connection:
        left = connection.execute(select(participants.c.name).order_by(participants.c.name)).scalars().all()
        answered_by = connection.execute(select(func.count()).select_from(answers)).scalar()
    assert (left, answered_by) == (["Bob", "Cem"], 1)  # Ann and her answer went with her room
    assert store.expire(now) == 0  # nothing left to expire
    assert store.expire(now + 30 * DAY) == 4  # a month later every room left is idle


def test_a_round_change_is_activity(store):
    code, facilitator = store.create_room(PRESET, TWO_FACTORS)
    store.next_round(code, facilitator)
    with store.engine.connect() as connection:
        last_active = connection.execute(select(rooms.c.last_active).where(rooms.c.code == code)).scalar()
    assert last_active is not None
    with store.engine.begin() as connection:
        connection.execute(update(rooms).values(created_at=dt.datetime.now(dt.UTC) - 100 * DAY))
    assert store.expire() == 0  # created long ago, but its round changed just now


def test_no_expiry_with_zero_days_and_old_wrong_codes_go(monkeypatch, path):
    monkeypatch.setenv("WORKSHOP_ROOM_DAYS", "0")
    store = WorkshopStore(f"sqlite:///{path}")
    now = dt.datetime.now(dt.UTC)
    add_room(store, now - 400 * DAY)
    with store.engine.begin() as connection:
        connection.execute(
            insert(failed_joins),
            [
                {"client": "session:old", "at": now - FAILED_JOINS_WINDOW - dt.timedelta(seconds=1)},
                {"client": "session:new", "at": now - FAILED_JOINS_WINDOW + dt.timedelta(seconds=30)},
            ],
        )
    assert store.expire(now) == 0
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(rooms)).scalar() == 1
        assert connection.execute(select(failed_joins.c.client)).scalars().all() == ["session:new"]
    store.engine.dispose()


def test_the_store_expires_rooms_by_itself_at_most_once_an_hour(store):
    now = dt.datetime.now(dt.UTC)
    old = add_room(store, now - 60 * DAY)
    code, _ = store.create_room(PRESET, TWO_FACTORS)
    store.join(code, "Ann")  # the store's first write starts a sweep in the background
    first = store.sweeper
    first.join(10)
    with pytest.raises(RoomNotFound):
        store.room(old)
    older = add_room(store, now - 90 * DAY)
    store.join(code, "Bob")  # within the hour: no second sweep
    assert store.sweeper is first and store.room(older).code == older
    store._next_expiry = time.monotonic()  # an hour later
    store.join(code, "Cem")
    store.sweeper.join(10)
    with pytest.raises(RoomNotFound):
        store.room(older)


# --- CSV: no formula in any spreadsheet locale -----------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("x;=cmd|' /C calc'!A0;", "'x;=cmd|' /C calc'!A0;"),  # ';' then '=': a ';'-locale spreadsheet's next cell
        ("＝1+1", "'＝1+1"),  # full-width '=' is '=' after NFKC
        ("+SUM(A1)", "'+SUM(A1)"),
        ("@x", "'@x"),
        ("a,-b", "'a,-b"),  # ',' then '-'
        ("a | @b", "'a | @b"),  # '|', spaces, '@'
        ("a\t=1", "'a\t=1"),  # tab then '='
        ("Anna-Lena", "Anna-Lena"),  # '-' after a letter, not after a separator: a name, kept as typed
        ("张伟", "张伟"),
        ("-1.5", "-1.5"),  # a number, not a formula
        ("2026-11-30T09:00:00+00:00", "2026-11-30T09:00:00+00:00"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_defused(cell, written):
    assert defuse(cell) == written


def test_the_csv_quotes_every_cell_and_defuses_names():
    when = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    room = Room("ABCD2345", PRESET, ("market.demand",), 1, True, False, when)
    answer = Answer("x;=cmd|' /C calc'!A0;", 1, 1, {"market.demand": 7.5}, when)
    assert answers_csv(room, [answer]) == (
        '"room","round","participant","submitted_at","market.demand"\r\n'
        '"ABCD2345","1","\'x;=cmd|\' /C calc\'!A0;","2026-11-30T09:00:00+00:00","7.5"\r\n'
    )


# --- PostgreSQL: a held lock, an exhausted pool, a read-only session -------------------------------


@pytest.fixture
def pg_store(pg_url, monkeypatch):
    monkeypatch.setenv("WORKSHOP_LOCK_TIMEOUT_MS", "300")
    monkeypatch.setenv("WORKSHOP_STATEMENT_TIMEOUT_MS", "2000")
    monkeypatch.setenv("WORKSHOP_POOL_SIZE", "1")
    monkeypatch.setenv("WORKSHOP_POOL_TIMEOUT", "1")
    store = WorkshopStore(pg_url)
    yield store
    store.engine.dispose()  # before the schema is dropped


@needs_postgres
def test_each_connection_has_the_timeouts_and_keeps_the_urls_search_path(pg_store):
    with pg_store.engine.connect() as connection:
        seen = [connection.execute(text(f"SHOW {name}")).scalar() for name in ("lock_timeout", "statement_timeout")]
        schema = connection.execute(text("SELECT current_schema()")).scalar()
    assert seen == ["300ms", "2s"] and schema.startswith("ws_test_")
    assert (pg_store.engine.pool.size(), pg_store.engine.pool._max_overflow, pg_store.engine.pool._timeout) == (1, 2, 1)


@needs_postgres
def test_a_held_table_lock_ends_as_a_message_within_seconds(pg_store, pg_url):
    code, _ = pg_store.create_room(PRESET, TWO_FACTORS)
    locked, release = threading.Event(), threading.Event()
    other = create_engine(pg_url)

    def hold_lock():
        with other.begin() as connection:
            connection.execute(text("LOCK TABLE participants IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(30)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as raised:
            pg_store.join(code, "Ann")
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join()
        other.dispose()
    assert raised.value.kind == "busy"
    assert str(raised.value) == "The workshop database (PostgreSQL) is busy; try again in a moment."
    assert 0.3 <= waited < RETRY_SECONDS + 0.3 + SLACK  # lock timeouts retried within the budget, then a message
    assert pg_store.join(code, "Ann")  # the lock gone, the same call works


@needs_postgres
def test_an_exhausted_pool_ends_as_a_message(pg_store):
    code, _ = pg_store.create_room(PRESET, TWO_FACTORS)
    held = [pg_store.engine.connect() for _ in range(3)]  # the pool's 1 and its 2 overflow
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match=r"^The workshop database \(PostgreSQL\) is busy") as raised:
            pg_store.room(code)
        waited = time.monotonic() - started
    finally:
        for connection in held:
            connection.close()
    assert raised.value.kind == "busy" and 1 <= waited < RETRY_SECONDS + 1 + SLACK
    assert pg_store.room(code).code == code


@needs_postgres
def test_a_read_only_postgres_says_read_only(pg_store):
    code, _ = pg_store.create_room(PRESET, TWO_FACTORS)

    def read_only_session(dbapi_connection, _record):
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.autocommit = False

    event.listen(pg_store.engine, "connect", read_only_session)
    pg_store.engine.dispose()
    with pytest.raises(StoreUnavailable) as raised:
        pg_store.join(code, "Ann")
    assert raised.value.kind == "read_only"
    assert str(raised.value).startswith("The workshop database (PostgreSQL) is read-only")
    assert pg_store.room(code).code == code


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "The workshop's database is read-only: nothing can be saved until the server allows writing again."),
        ("zh", "研讨会的数据库为只读：服务器恢复写入之前无法保存任何内容。"),
    ],
)
def test_a_phone_on_a_read_only_database_is_told_so_in_its_language(monkeypatch, path, store, lang, words):
    code, _ = store.create_room(PRESET, TWO_FACTORS)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    phone = new_session(lang)
    phone.query_params["room"] = code
    phone.switch_page("views/join.py").run()
    phone.text_input(key="join_name").input("Ann")
    phone.button(key="join_join").click().run()
    assert not phone.exception
    shown = " ".join(element.value for element in phone.warning)
    assert words in shown and shows_nothing_of(shown, path.parent.name, "sqlite3")
