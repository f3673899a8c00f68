"""The workshop tables as a new database gets them, at :data:`SCHEMA_VERSION`.

A database written by an older version is brought here by the steps in :mod:`workshop.migrations`;
change these tables only together with a new version and its step there.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from workshop.records import MAX_NAME_CHARS

__all__ = [
    "SCHEMA_VERSION",
    "answers",
    "failed_joins",
    "metadata",
    "participants",
    "rooms",
    "schema_table",
    "throttle_events",
]

SCHEMA_VERSION = 4

metadata = MetaData()
schema_table = Table("schema_version", metadata, Column("version", Integer, nullable=False))
rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("facilitator_hash", String(64), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("factor_ids", Text, nullable=False),  # JSON list: the factors this room rates
    Column("round", Integer, nullable=False, default=1),
    Column("round_open", Boolean, nullable=False, default=True),
    Column("revealed", Boolean, nullable=False, default=False),  # participants see this round's medians
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Version 4: when the facilitator last changed the round (NULL: never). A room expires after
    # WORKSHOP_ROOM_DAYS without activity: its creation, this, a join or an answer (workshop.queries).
    Column("last_active", DateTime(timezone=True), nullable=True),
)
# Deleting a room deletes its participants and their answers: ON DELETE CASCADE (SQLite enforces
# it only with PRAGMA foreign_keys=ON, which workshop.engine sets on every connection).
participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(MAX_NAME_CHARS * 4), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("joined_at", DateTime(timezone=True), nullable=False),
)
answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("factors_json", Text, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("participant_id", "round", name="one_answer_per_round"),
    # Version 2: a room's answers in the order they are read (every 3 s by the facilitator's page,
    # by round on the phones), so neither the filter nor the ORDER BY needs a scan or a sort.
    Index("ix_answers_room_round", "room_id", "round", "submitted_at", "id"),
)
failed_joins = Table(  # wrong room codes, counted per client (not per room: the code matched none)
    "failed_joins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client", String(128), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
# Version 3: joins and new rooms as they happen, for the throttles of workshop.queries (joins per
# room and per browser per minute, new rooms per client per hour). Kept one hour, then deleted; no
# key: rows are only ever counted. ``scope`` is "create" or "join:<room code>".
throttle_events = Table(
    "throttle_events",
    metadata,
    Column("scope", String(32), nullable=False),
    Column("client", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_throttle_events_scope", "scope", "client", "at"),
    Index("ix_throttle_events_at", "at"),
)
