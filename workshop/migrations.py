"""Schema versions, and the step that brings a database from each version to the next.

At start-up the store calls :func:`prepare_schema` inside one write transaction:

* a database without a ``schema_version`` table is new: every table of :mod:`workshop.schema` is
  created and :data:`~workshop.schema.SCHEMA_VERSION` written;
* an older database is upgraded by the steps of :data:`MIGRATIONS` (``{from_version: step}``, each
  taking the schema from ``from_version`` to ``from_version + 1``) applied in order, and
  ``schema_version`` is set to the current version. SQLite and PostgreSQL both roll DDL back, so a
  step that fails leaves the database exactly as it was, still at its old version;
* a database written by a newer version is refused with a message: this program would misread it.

Replicas starting at once do this one after another: on SQLite the transaction begins with
``BEGIN IMMEDIATE``, on PostgreSQL it takes a transaction-scoped advisory lock first.

Changing the schema: edit :mod:`workshop.schema` (what a new database gets), raise
``SCHEMA_VERSION`` and add the step from the previous version here. A step is plain SQL that both
SQLite and PostgreSQL accept, written against the tables as they were at its version (never the
moving definitions of :mod:`workshop.schema`), and tolerant of a half-made old schema
(``IF EXISTS`` / ``IF NOT EXISTS``). ``tests/test_workshop_migrations.py`` builds a version-1
database from its frozen DDL, upgrades it and checks that it matches a new database.

Versions:

1. rooms, participants (indexed by room), answers (indexed by room), failed_joins (by client).
2. answers indexed by ``(room_id, round, submitted_at, id)`` instead of ``room_id`` alone: the
   facilitator's page reads a room's answers in that order every 3 s and the phones read one
   round's, so the index serves both the filter and the order (no scan, no sort).
3. ``throttle_events`` (scope, client, at): joins and new rooms of the last hour, counted by the
   join and room-creation throttles.
4. ``rooms.last_active``: when the facilitator last changed the round, for the expiry of rooms
   without activity. The upgrade sets it to the time of the upgrade, so rooms older than the
   retention period get a full period before they expire instead of vanishing with the upgrade.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, DateTime, bindparam, func, insert, inspect, select, text, update

from workshop.records import StoreUnavailable
from workshop.schema import SCHEMA_VERSION, metadata, schema_table

__all__ = ["MIGRATIONS", "prepare_schema"]

ADVISORY_LOCK = 0x776F726B73686F70  # "workshop": one start-up at a time per PostgreSQL database


def _index_answers_by_room_and_round(connection: Connection) -> None:
    """1 → 2: answers in the order the poll reads them; the room_id index becomes its prefix."""
    connection.execute(
        text("CREATE INDEX IF NOT EXISTS ix_answers_room_round ON answers (room_id, round, submitted_at, id)")
    )
    connection.execute(text("DROP INDEX IF EXISTS ix_answers_room_id"))


def _throttle_events(connection: Connection) -> None:
    """2 → 3: a table of recent joins and new rooms (no key: its rows are only counted)."""
    when = "TIMESTAMP WITH TIME ZONE" if connection.dialect.name == "postgresql" else "DATETIME"
    connection.execute(
        text(
            "CREATE TABLE IF NOT EXISTS throttle_events ("
            f"scope VARCHAR(32) NOT NULL, client VARCHAR(128) NOT NULL, at {when} NOT NULL)"
        )
    )
    connection.execute(
        text("CREATE INDEX IF NOT EXISTS ix_throttle_events_scope ON throttle_events (scope, client, at)")
    )
    connection.execute(text("CREATE INDEX IF NOT EXISTS ix_throttle_events_at ON throttle_events (at)"))


def _rooms_last_active(connection: Connection) -> None:
    """3 → 4: ``rooms.last_active`` (nullable), set to now for the rooms there are."""
    if "last_active" not in {column["name"] for column in inspect(connection).get_columns("rooms")}:
        when = "TIMESTAMP WITH TIME ZONE" if connection.dialect.name == "postgresql" else "DATETIME"
        connection.execute(text(f"ALTER TABLE rooms ADD COLUMN last_active {when}"))
    now = bindparam("now", dt.datetime.now(dt.UTC), type_=DateTime(timezone=True))
    connection.execute(text("UPDATE rooms SET last_active = :now WHERE last_active IS NULL").bindparams(now))


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _index_answers_by_room_and_round,
    2: _throttle_events,
    3: _rooms_last_active,
}
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION)), "one step from every older version"


def prepare_schema(connection: Connection, where: str) -> int:
    """Create, upgrade or refuse the schema within the caller's write transaction; the version found
    (0 for a new database). ``where`` names the database in the refusal message."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK)))
    if not inspect(connection).has_table(schema_table.name):
        metadata.create_all(connection)
        connection.execute(insert(schema_table).values(version=SCHEMA_VERSION))
        return 0
    found = connection.execute(select(func.max(schema_table.c.version))).scalar()
    if found is None:  # version 1 created its tables and wrote its version in two transactions
        found = 1
        connection.execute(insert(schema_table).values(version=found))
    if found > SCHEMA_VERSION:
        raise StoreUnavailable(
            f"The workshop database ({where}) has schema version {found}; "
            f"this program reads version {SCHEMA_VERSION}. Update the app.",
            kind="schema",
        )
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](connection)
    if found < SCHEMA_VERSION:
        connection.execute(update(schema_table).values(version=SCHEMA_VERSION))
    return found
