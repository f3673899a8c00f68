"""Schema migrations: a database written by schema version 1 (built here from its frozen DDL, as
that version created it) is upgraded at start-up, keeps its data and works; a failed step changes
nothing; a fresh database and an upgraded one end up alike. On SQLite always, and on PostgreSQL
when WORKSHOP_TEST_DATABASE_URL names a server (in a schema of its own; skipped otherwise)."""

import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import create_engine, inspect, text

import workshop.migrations
from scoring import load_preset
from tests.helpers import TWO_FACTORS, isolated_schema, needs_postgres
from workshop.migrations import MIGRATIONS
from workshop.store import SCHEMA_VERSION, Forbidden, StoreUnavailable, WorkshopStore

# Version 1 exactly as it was created (SQLAlchemy's DDL for the v1 tables); never edit.
V1_DDL = {
    "sqlite": """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        CREATE TABLE rooms (
            id INTEGER NOT NULL, code VARCHAR(16) NOT NULL, facilitator_hash VARCHAR(64) NOT NULL,
            scenario_json TEXT NOT NULL, factor_ids TEXT NOT NULL, round INTEGER NOT NULL,
            round_open BOOLEAN NOT NULL, revealed BOOLEAN NOT NULL, created_at DATETIME NOT NULL,
            PRIMARY KEY (id), UNIQUE (code)
        );
        CREATE TABLE failed_joins (
            id INTEGER NOT NULL, client VARCHAR(128) NOT NULL, at DATETIME NOT NULL, PRIMARY KEY (id)
        );
        CREATE INDEX ix_failed_joins_client ON failed_joins (client);
        CREATE TABLE participants (
            id INTEGER NOT NULL, room_id INTEGER NOT NULL, name VARCHAR(160) NOT NULL,
            token_hash VARCHAR(64) NOT NULL, joined_at DATETIME NOT NULL, PRIMARY KEY (id),
            FOREIGN KEY(room_id) REFERENCES rooms (id) ON DELETE CASCADE, UNIQUE (token_hash)
        );
        CREATE INDEX ix_participants_room_id ON participants (room_id);
        CREATE TABLE answers (
            id INTEGER NOT NULL, room_id INTEGER NOT NULL, participant_id INTEGER NOT NULL,
            round INTEGER NOT NULL, factors_json TEXT NOT NULL, submitted_at DATETIME NOT NULL,
            PRIMARY KEY (id), CONSTRAINT one_answer_per_round UNIQUE (participant_id, round),
            FOREIGN KEY(room_id) REFERENCES rooms (id) ON DELETE CASCADE,
            FOREIGN KEY(participant_id) REFERENCES participants (id) ON DELETE CASCADE
        );
        CREATE INDEX ix_answers_room_id ON answers (room_id);
    """,
    "postgresql": """
        CREATE TABLE failed_joins (
            id SERIAL NOT NULL, client VARCHAR(128) NOT NULL, at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id)
        );
        CREATE INDEX ix_failed_joins_client ON failed_joins (client);
        CREATE TABLE rooms (
            id SERIAL NOT NULL, code VARCHAR(16) NOT NULL, facilitator_hash VARCHAR(64) NOT NULL,
            scenario_json TEXT NOT NULL, factor_ids TEXT NOT NULL, round INTEGER NOT NULL,
            round_open BOOLEAN NOT NULL, revealed BOOLEAN NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id), UNIQUE (code)
        );
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        CREATE TABLE participants (
            id SERIAL NOT NULL, room_id INTEGER NOT NULL, name VARCHAR(160) NOT NULL,
            token_hash VARCHAR(64) NOT NULL, joined_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (id),
            FOREIGN KEY(room_id) REFERENCES rooms (id) ON DELETE CASCADE, UNIQUE (token_hash)
        );
        CREATE INDEX ix_participants_room_id ON participants (room_id);
        CREATE TABLE answers (
            id SERIAL NOT NULL, room_id INTEGER NOT NULL, participant_id INTEGER NOT NULL,
            round INTEGER NOT NULL, factors_json TEXT NOT NULL, submitted_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id), CONSTRAINT one_answer_per_round UNIQUE (participant_id, round),
            FOREIGN KEY(room_id) REFERENCES rooms (id) ON DELETE CASCADE,
            FOREIGN KEY(participant_id) REFERENCES participants (id) ON DELETE CASCADE
        );
        CREATE INDEX ix_answers_room_id ON answers (room_id);
    """,
}
CODE, FACILITATOR, ANN, BOB = "V1ROOM23", "facilitator-token", "ann-token", "bob-token"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def stores():
    """Every store a test opens, disposed at the end (a PostgreSQL schema is dropped after)."""
    opened = []
    yield lambda url: opened.append(WorkshopStore(url)) or opened[-1]
    for store in opened:
        store.engine.dispose()


def sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_version_1(url: str) -> None:
    """A version-1 database with a room in round 1: Ann answered, Bob joined, one wrong code."""
    engine = create_engine(url)
    when = "2025-03-01 09:00:00.000000" if url.startswith("sqlite") else dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    with engine.begin() as connection:
        for statement in V1_DDL[engine.dialect.name].split(";"):
            if statement.strip():
                connection.execute(text(statement))
        connection.execute(text("INSERT INTO schema_version (version) VALUES (1)"))
        connection.execute(
            text(
                "INSERT INTO rooms (code, facilitator_hash, scenario_json, factor_ids, round, round_open, revealed,"
                " created_at) VALUES (:code, :hash, :scenario, :factors, 1, :yes, :no, :at)"
            ),
            {
                "code": CODE,
                "hash": sha(FACILITATOR),
                "scenario": json.dumps(load_preset("neutral_template").to_dict(), ensure_ascii=False),
                "factors": json.dumps(TWO_FACTORS),
                "yes": True,
                "no": False,
                "at": when,
            },
        )
        room = connection.execute(text("SELECT id FROM rooms WHERE code = :code"), {"code": CODE}).scalar_one()
        for name, token in (("Ann", ANN), ("Bob", BOB)):
            connection.execute(
                text(
                    "INSERT INTO participants (room_id, name, token_hash, joined_at) VALUES (:room, :name, :hash, :at)"
                ),
                {"room": room, "name": name, "hash": sha(token), "at": when},
            )
        ann = connection.execute(text("SELECT id FROM participants WHERE name = 'Ann'")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO answers (room_id, participant_id, round, factors_json, submitted_at)"
                " VALUES (:room, :ann, 1, :factors, :at)"
            ),
            {
                "room": room,
                "ann": ann,
                "factors": json.dumps({"market.demand": 3.0, "market.competition": 5.0}),
                "at": when,
            },
        )
        connection.execute(text("INSERT INTO failed_joins (client, at) VALUES ('session:old', :at)"), {"at": when})
    engine.dispose()


def schema_of(url: str) -> dict:
    """Tables, columns, indexes, keys and the version, as the database reports them."""
    engine = create_engine(url)
    found = inspect(engine)
    tables = sorted(found.get_table_names())
    shape = {
        table: {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
            "foreign keys": sorted(
                (tuple(k["constrained_columns"]), k["referred_table"], k["options"].get("ondelete"))
                for k in found.get_foreign_keys(table)
            ),
        }
        for table in tables
    }
    with engine.connect() as connection:
        shape["version"] = connection.execute(text("SELECT version FROM schema_version")).scalars().all()
    engine.dispose()
    return shape


def test_there_is_a_step_from_every_older_version():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_a_version_1_database_is_upgraded_and_keeps_its_data(url, stores):
    create_version_1(url)
    assert schema_of(url)["version"] == [1]
    store = stores(url)
    shape = schema_of(url)
    assert shape["version"] == [SCHEMA_VERSION] == [4]
    assert ("ix_answers_room_round", ("room_id", "round", "submitted_at", "id"), False) in shape["answers"]["indexes"]
    assert "ix_answers_room_id" not in {name for name, *_ in shape["answers"]["indexes"]}

    # The data is all there, and the tokens written by version 1 still open it.
    room = store.check_facilitator(CODE, FACILITATOR)
    assert (room.round, room.round_open, room.revealed, room.factor_ids) == (1, True, False, tuple(TWO_FACTORS))
    assert store.participant(CODE, BOB)[1] == "Bob" and store.participant_count(CODE) == 2
    assert [(a.participant, a.factors) for a in store.answers(CODE)] == [
        ("Ann", {"market.demand": 3.0, "market.competition": 5.0})
    ]
    with pytest.raises(Forbidden):
        store.close_round(CODE, ANN)

    # ... and it is used as usual: a new participant, a revision, a new answer, the next round.
    cem = store.join(CODE, "Cem")
    store.submit(CODE, cem, {"market.demand": 8, "market.competition": 5})
    store.submit(CODE, ANN, {"market.demand": 4, "market.competition": 5})
    store.submit(CODE, BOB, {"market.demand": 6, "market.competition": 5})
    store.next_round(CODE, FACILITATOR)
    store.submit(CODE, ANN, {"market.demand": 5, "market.competition": 5})
    seen = [(a.round, a.participant, a.factors["market.demand"]) for a in store.answers(CODE)]
    assert sorted(seen) == [(1, "Ann", 4.0), (1, "Bob", 6.0), (1, "Cem", 8.0), (2, "Ann", 5.0)]
    assert [a.participant for a in store.answers(CODE, 2)] == ["Ann"]
    assert store.export_csv(CODE, FACILITATOR).count("\n") == 5

    # Opening it again changes nothing; deleting the room still cascades.
    stores(url)
    assert schema_of(url) == shape
    store.delete_room(CODE, FACILITATOR)
    engine = create_engine(url)
    with engine.connect() as connection:
        left = [connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("participants", "answers")]
    engine.dispose()
    assert left == [0, 0]


def test_an_upgraded_database_is_shaped_like_a_new_one(url, tmp_path, stores):
    create_version_1(url)
    stores(url)
    if url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        stores(fresh)
        assert schema_of(url) == schema_of(fresh)
    else:
        with isolated_schema() as fresh:
            stores(fresh).engine.dispose()
            assert schema_of(url) == schema_of(fresh)


def test_a_failed_step_leaves_the_database_at_its_version(url, stores, monkeypatch):
    create_version_1(url)
    before, step = schema_of(url), MIGRATIONS[1]

    def half_done(connection):
        step(connection)  # the real step runs, then something fails before the commit
        raise RuntimeError("the power went out")

    monkeypatch.setitem(workshop.migrations.MIGRATIONS, 1, half_done)
    with pytest.raises(RuntimeError, match="power"):
        WorkshopStore(url).engine.dispose()
    assert schema_of(url) == before  # still version 1, the old index, nothing half-made
    monkeypatch.undo()
    assert stores(url).participant_count(CODE) == 2
    assert schema_of(url)["version"] == [SCHEMA_VERSION]


def test_a_newer_database_is_refused(url, stores):
    stores(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE schema_version SET version = :v"), {"v": SCHEMA_VERSION + 1})
    engine.dispose()
    with pytest.raises(StoreUnavailable, match=rf"schema version {SCHEMA_VERSION + 1}; .* Update the app\."):
        WorkshopStore(url)


def test_the_facilitators_poll_reads_answers_through_the_index(tmp_path, stores):
    """SQLite's plan for the store's answer queries: the version-2 index, and no sort."""
    path = tmp_path / "workshop.sqlite3"
    stores(f"sqlite:///{path}")
    query = (
        "SELECT answers.*, participants.name FROM answers JOIN participants ON participants.id ="
        " answers.participant_id WHERE answers.room_id = 1 {} ORDER BY answers.round, answers.submitted_at, answers.id"
    )
    with sqlite3.connect(path) as connection:
        for extra in ("", "AND answers.round = 2"):
            plan = " | ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + query.format(extra)))
            assert "USING INDEX ix_answers_room_round" in plan and "TEMP B-TREE" not in plan, plan
