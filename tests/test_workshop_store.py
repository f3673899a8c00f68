"""The workshop store on SQLite in a temporary folder: rooms, answers, rounds, security, reliability."""

import csv
import datetime as dt
import io
import sqlite3
import threading
import time

import pytest
from sqlalchemy import insert

from scoring import load_preset
from tests.helpers import (
    FACTORS,
    deleting_a_room_removes_everything,
    failed_join_rows,
    first_submits_at_once,
    submit_all_at_once,
)
from workshop.queries import FAILED_JOINS_WINDOW
from workshop.schema import failed_joins
from workshop.store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    SCHEMA_VERSION,
    Forbidden,
    RoomNotFound,
    StoreUnavailable,
    TooManyAttempts,
    WorkshopError,
    WorkshopStore,
    database_url,
)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "workshop.sqlite3"


@pytest.fixture
def store(path):
    return WorkshopStore(f"sqlite:///{path}")


@pytest.fixture
def room(store):
    return store.create_room(load_preset("neutral_template"), FACTORS)


def ratings(demand=5.0, competition=5.0, team=5.0):
    return {"market.demand": demand, "market.competition": competition, "talent.team_strength": team}


def test_a_room_code_is_long_and_unambiguous(store, room):
    code, token = room
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** CODE_LENGTH == 2**40
    assert len(token) >= 40
    assert store.room(code.lower()).factor_ids == tuple(FACTORS)  # codes are typed in any case


def test_sqlite_runs_in_wal_mode_with_a_versioned_schema(store, path):
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    for engine in (store.engine, store._reader):  # the store's own connections, reading and writing
        with engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert (pragma("journal_mode"), pragma("busy_timeout"), pragma("foreign_keys")) == ("wal", 5000, 1)


def test_a_participant_revises_only_their_own_answer(store, room):
    code, _ = room
    ann, bob = store.join(code, "Ann"), store.join(code, "Bob")
    store.submit(code, ann, ratings(demand=2))
    store.submit(code, bob, ratings(demand=9))
    store.submit(code, ann, ratings(demand=4))  # a revision replaces, it does not add
    by_name = {answer.participant: answer.factors["market.demand"] for answer in store.answers(code)}
    assert by_name == {"Ann": 4.0, "Bob": 9.0}
    with pytest.raises(Forbidden):
        store.submit(code, "not-a-token", ratings())
    with pytest.raises(Forbidden):
        store.participant(code, "")


def test_every_answer_goes_through_the_scenario_model(store, room):
    code, _ = room
    token = store.join(code, "Ann")
    with pytest.raises(WorkshopError, match=r"factors\.market\.demand: input should be less than or equal to 10"):
        store.submit(code, token, ratings(demand=11))
    with pytest.raises(WorkshopError, match="finite number"):
        store.submit(code, token, ratings(demand=float("nan")))
    with pytest.raises(WorkshopError, match="exactly this room's factors"):
        store.submit(code, token, {"market.demand": 5})
    assert store.answers(code) == []


def test_rounds_close_and_reopen_with_the_facilitator_token_only(store, room):
    code, facilitator = room
    token = store.join(code, "Ann")
    store.submit(code, token, ratings(demand=3))
    with pytest.raises(Forbidden):
        store.close_round(code, token)  # a participant's token is not the facilitator's
    store.close_round(code, facilitator)
    with pytest.raises(WorkshopError, match="round is closed"):
        store.submit(code, token, ratings(demand=4))
    store.next_round(code, facilitator)
    assert (store.room(code).round, store.room(code).round_open) == (2, True)
    store.submit(code, token, ratings(demand=6))
    assert [(a.round, a.factors["market.demand"]) for a in store.answers(code)] == [(1, 3.0), (2, 6.0)]
    for action in (store.close_round, store.reveal, store.next_round, store.export_csv, store.delete_room):
        with pytest.raises(Forbidden):
            action(code, "wrong")
    store.reveal(code, facilitator)
    assert (store.room(code).round_open, store.room(code).revealed) == (False, True)
    store.next_round(code, facilitator)
    assert (store.room(code).round, store.room(code).revealed) == (3, False)


def test_csv_has_one_row_per_participant_per_round(store, room):
    code, facilitator = room
    for name in ("Ann", '=HYPERLINK("http://x")', "张伟"):
        store.submit(code, store.join(code, name), ratings(demand=7))
    store.next_round(code, facilitator)
    store.submit(code, store.join(code, "Late"), ratings(team=8))
    rows = list(csv.reader(io.StringIO(store.export_csv(code, facilitator))))
    assert rows[0] == ["room", "round", "participant", "submitted_at", *FACTORS]
    assert [(r[1], r[2]) for r in rows[1:]] == [
        ("1", "Ann"),
        ("1", '\'=HYPERLINK("http://x")'),  # a spreadsheet must not run it as a formula
        ("1", "张伟"),
        ("2", "Late"),
    ]
    assert rows[-1][4:] == ["5", "5", "8"]


def test_deleting_a_room_removes_everything(store):
    deleting_a_room_removes_everything(store)


def test_a_read_does_not_wait_for_a_writer(store, room, path):
    code, facilitator = room
    token = store.join(code, "Ann")
    store.submit(code, token, ratings(demand=3))
    writer = sqlite3.connect(path, isolation_level=None)  # another process, in the middle of a write
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE rooms SET round = 7")
    writer.execute("DELETE FROM answers")
    try:
        started = time.perf_counter()
        seen = (
            store.room(code).round,
            store.check_facilitator(code, facilitator).round,
            store.participant(code, token)[1],
            store.participant_count(code),
            [a.factors["market.demand"] for a in store.answers(code)],
            store.export_csv(code, facilitator).count("\n"),
        )
        waited = time.perf_counter() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert waited < 1.0  # the busy timeout is 5 s: these reads took no lock to wait for
    assert seen == (1, 1, "Ann", 1, [3.0], 2)  # the last committed state, not the writer's


def test_display_names_are_cleaned_not_interpreted(store, room):
    code, _ = room
    token = store.join(code, "  <b>Ann</b>\x00\n\tLee  " + "x" * 80)
    _, name = store.participant(code, token)
    assert name.startswith("<b>Ann</b>Lee ")  # kept as typed text, control characters gone
    assert len(name) == 40
    with pytest.raises(WorkshopError, match="display name"):
        store.join(code, " \n ")


def test_wrong_codes_are_rate_limited_per_client(store, room):
    code, _ = room
    client = [("session:abc", 3)]
    for _ in range(3):
        with pytest.raises(RoomNotFound):
            store.enter("ZZZZZZZZ", client)
    with pytest.raises(TooManyAttempts, match="There is no room with this code"):  # the same words
        store.enter("ZZZZZZZZ", client)
    assert store.enter(code, client).code == code  # the right code is never refused


def test_wrong_codes_are_kept_only_for_the_window_they_count_in(store, room):
    """Retention: a wrong code older than FAILED_JOINS_WINDOW no longer counts, so the next wrong
    code deletes it; the table never grows past one window of guesses."""
    old = dt.datetime.now(dt.UTC) - FAILED_JOINS_WINDOW - dt.timedelta(seconds=5)
    recent = dt.datetime.now(dt.UTC) - FAILED_JOINS_WINDOW + dt.timedelta(minutes=1)
    with store.engine.begin() as connection:
        connection.execute(
            insert(failed_joins), [{"client": "session:old", "at": old}, {"client": "session:x", "at": recent}]
        )
    with pytest.raises(RoomNotFound):
        store.enter("ZZZZZZZZ", [("session:new", 10)])
    assert sorted(client for client, _ in failed_join_rows(store)) == ["session:new", "session:x"]


def test_sixty_participants_submitting_at_once_lose_nothing(store, room):
    code, _ = room
    assert submit_all_at_once(store, code, [ratings(demand=i % 11) for i in range(60)]) == []
    assert len(store.answers(code)) == 60
    assert sorted(a.factors["market.demand"] for a in store.answers(code)) == sorted(float(i % 11) for i in range(60))


def test_simultaneous_first_submits_by_one_participant_all_succeed(store, room):
    """A double tap: four first submissions by one participant at once each succeed, one answer is kept."""
    code, _ = room
    errors, stored = first_submits_at_once(store, code, participants=10, taps=4)
    assert errors == [] and sorted(stored) == sorted(f"p{i}" for i in range(10))
    assert all(len(answers) == 1 and answers[0]["market.demand"] in {0.0, 1.0, 2.0, 3.0} for answers in stored.values())


def test_sixty_joins_at_once_each_get_their_own_token(store, room):
    code, _ = room
    tokens, start = [], threading.Barrier(60)

    def join(i):
        start.wait()
        tokens.append(store.join(code, f"p{i}"))

    threads = [threading.Thread(target=join, args=(i,)) for i in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(tokens)) == 60 and store.participant_count(code) == 60


def test_a_restart_loses_no_submitted_answer(path, room, store):
    code, facilitator = room
    token = store.join(code, "Ann")
    store.submit(code, token, ratings(demand=9))
    store.engine.dispose()  # the app stops ...
    again = WorkshopStore(f"sqlite:///{path}")  # ... and starts on the same file
    assert [a.factors["market.demand"] for a in again.answers(code)] == [9.0]
    again.submit(code, token, ratings(demand=2))  # the participant's token still works
    assert again.check_facilitator(code, facilitator).round == 1


def test_a_busy_database_is_waited_for(store, room, path):
    code, _ = room
    token = store.join(code, "Ann")
    blocker = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the database for a moment
    release = threading.Timer(1.0, lambda: blocker.execute("COMMIT"))
    release.start()
    started = time.perf_counter()
    store.submit(code, token, ratings(demand=1))
    assert time.perf_counter() - started >= 0.9  # it waited instead of failing
    release.join()
    blocker.close()
    assert len(store.answers(code)) == 1


def test_an_unreachable_database_says_so(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match=r"cannot be (opened|reached)"):
        WorkshopStore(f"sqlite:///{blocked}/workshop.sqlite3")
    with pytest.raises(StoreUnavailable, match=r"^The workshop database \(PostgreSQL\) cannot be reached") as raised:
        WorkshopStore("postgresql+psycopg://user:secret@127.0.0.1:9/rooms")
    assert not [part for part in ("secret", "127.0.0.1", "rooms") if part in str(raised.value)]  # nor host, name


def test_a_file_that_is_not_a_database_says_so(tmp_path):
    junk = tmp_path / "workshop.sqlite3"
    junk.write_bytes(b"this is not a database, just some text " * 100)
    with pytest.raises(StoreUnavailable, match="cannot be used: file is not a database"):
        WorkshopStore(f"sqlite:///{junk}")


def test_a_newer_schema_is_refused(path, store):
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreUnavailable, match=f"has schema version {SCHEMA_VERSION + 1}; this program reads version"):
        WorkshopStore(f"sqlite:///{path}")


def test_the_database_is_chosen_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/rooms")
    assert database_url() == "postgresql+psycopg://u:p@db.example:5432/rooms"
