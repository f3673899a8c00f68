"""Workshop rooms in a real database through SQLAlchemy 2 (Core).

SQLite by default — one file ``workshop.sqlite3`` in WAL mode under ``DATA_DIR`` (or the user's
data folder) — and PostgreSQL when ``DATABASE_URL`` says so (several app replicas share it).
The schema is created on start and versioned in ``schema_version``; a database written by a
newer schema is refused rather than misread.

Security: room codes are 8 symbols from a 32-letter alphabet (40 bits) and wrong codes are
counted per client and refused past a limit; the facilitator's and each participant's tokens
are 32 random bytes, stored only as SHA-256 hashes and compared in constant time; every answer
is validated through the :class:`~scoring.Scenario` model before it is written.

Reliability: every write is one short transaction; SQLite waits up to ``busy_timeout`` for a
lock and a busy database is retried with back-off; an unreachable database raises
:class:`StoreUnavailable` with a message for the user.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import secrets
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError

from scoring import Scenario, ScenarioError, load_catalogue, parse_scenario, parse_scenario_json

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_NAME_CHARS",
    "SCHEMA_VERSION",
    "Answer",
    "Forbidden",
    "Room",
    "RoomNotFound",
    "StoreUnavailable",
    "TooManyAttempts",
    "WorkshopError",
    "WorkshopStore",
    "database_url",
    "open_store",
]

SCHEMA_VERSION = 1
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud from a projector
CODE_LENGTH = 8  # 32^8 = 2^40 codes
MAX_NAME_CHARS = 40
MAX_PARTICIPANTS = 500
FAILED_JOINS_WINDOW = dt.timedelta(minutes=10)  # wrong room codes are counted over this window
BUSY_RETRIES = 6

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
)
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
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("factors_json", Text, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("participant_id", "round", name="one_answer_per_round"),
)
failed_joins = Table(
    "failed_joins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client", String(128), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)


class WorkshopError(Exception):
    """A problem the user can act on; the message is written for them."""


class StoreUnavailable(WorkshopError):
    pass


class RoomNotFound(WorkshopError):
    pass


class Forbidden(WorkshopError):
    pass


class TooManyAttempts(WorkshopError):
    pass


@dataclass(frozen=True)
class Room:
    code: str
    scenario: Scenario
    factor_ids: tuple[str, ...]
    round: int
    round_open: bool
    revealed: bool  # the current round's medians are shown to participants
    created_at: dt.datetime


@dataclass(frozen=True)
class Answer:
    participant: str  # display name, as typed (shown as text, never as markup)
    participant_id: int
    round: int
    factors: dict[str, float]
    submitted_at: dt.datetime


T = TypeVar("T")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """What a participant types, as the stored code: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[: CODE_LENGTH * 2]


def clean_name(name: str) -> str:
    """A display name: trimmed, control characters removed, at most ``MAX_NAME_CHARS``."""
    kept = "".join(ch for ch in str(name) if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:MAX_NAME_CHARS]


def data_dir() -> Path:
    """``DATA_DIR``, else ``$XDG_DATA_HOME/ai-startup-navigator``, else ``~/.local/share/...``."""
    if os.environ.get("DATA_DIR"):
        return Path(os.environ["DATA_DIR"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "ai-startup-navigator"


def database_url() -> str:
    """``DATABASE_URL`` (``postgres://`` is read as PostgreSQL through psycopg), else SQLite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{data_dir() / 'workshop.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _describe(url: str) -> str:
    """The database in words, without a password."""
    if url.startswith("sqlite"):
        return f"the SQLite file {url.split(':///', 1)[-1]}"
    return f"the database at {url.split('@')[-1]}"


class WorkshopStore:
    """Rooms, participants and answers; thread-safe (one engine, a connection per call)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self._where = _describe(self.url)
        try:
            if self.url.startswith("sqlite:///"):
                path = Path(self.url.removeprefix("sqlite:///"))
                path.parent.mkdir(parents=True, exist_ok=True)
                self.engine = create_engine(self.url, connect_args={"timeout": 5, "check_same_thread": False})
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        except (OSError, SQLAlchemyError, ImportError) as exc:
            raise StoreUnavailable(f"The workshop database ({self._where}) cannot be opened: {exc}") from None
        self._retry(self._create_schema)

    # --- plumbing ---------------------------------------------------------------------------------
    def _retry(self, action: Callable[[], T]) -> T:
        """Run one transaction; retry while the database is busy, say so when it is unreachable."""
        delay = 0.05
        for attempt in range(BUSY_RETRIES):
            try:
                return action()
            except OperationalError as exc:
                busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
                if busy and attempt < BUSY_RETRIES - 1:
                    time.sleep(delay)
                    delay *= 2
                    continue
                what = "is busy; try again in a moment" if busy else "cannot be reached"
                raise StoreUnavailable(f"The workshop database ({self._where}) {what}.") from None
            except DatabaseError as exc:  # e.g. a file that is not a database
                reason = str(exc.orig or exc).splitlines()[0][:200]
                raise StoreUnavailable(f"The workshop database ({self._where}) cannot be used: {reason}.") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _create_schema(self) -> None:
        try:
            metadata.create_all(self.engine)
        except (IntegrityError, ProgrammingError):  # another replica created the tables just now
            metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            found = connection.execute(select(schema_table.c.version)).scalar()
            if found is None:
                connection.execute(insert(schema_table).values(version=SCHEMA_VERSION))
            elif found > SCHEMA_VERSION:
                raise StoreUnavailable(
                    f"The workshop database ({self._where}) has schema version {found}; "
                    f"this program reads version {SCHEMA_VERSION}. Update the app."
                )

    def _room_row(self, connection, code: str):
        row = connection.execute(select(rooms).where(rooms.c.code == normalise_code(code))).first()
        if row is None:
            raise RoomNotFound("There is no room with this code. Check the code on the projector.")
        return row

    def _facilitator_row(self, connection, code: str, token: str):
        row = self._room_row(connection, code)
        if not token or not hmac.compare_digest(row.facilitator_hash, _hash(token)):
            raise Forbidden("Only the facilitator's private link can do this.")
        return row

    @staticmethod
    def _room(row) -> Room:
        return Room(
            code=row.code,
            scenario=parse_scenario_json(row.scenario_json),
            factor_ids=tuple(json.loads(row.factor_ids)),
            round=row.round,
            round_open=row.round_open,
            revealed=row.revealed,
            created_at=row.created_at,
        )

    # --- the facilitator --------------------------------------------------------------------------
    def create_room(self, scenario: Scenario, factor_ids: Sequence[str]) -> tuple[str, str]:
        """A new room rating ``factor_ids`` of ``scenario``: (room code, facilitator token)."""
        known = load_catalogue().factors
        chosen = [factor_id for factor_id in known if factor_id in set(factor_ids)]
        unknown = sorted(set(factor_ids) - set(known))
        if unknown or not chosen:
            raise WorkshopError(f"Choose at least one known factor (unknown: {', '.join(unknown) or 'none'}).")
        token = secrets.token_urlsafe(32)

        def create() -> str:
            for _ in range(20):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                try:
                    with self.engine.begin() as connection:
                        connection.execute(
                            insert(rooms).values(
                                code=code,
                                facilitator_hash=_hash(token),
                                scenario_json=json.dumps(scenario.to_dict(), ensure_ascii=False),
                                factor_ids=json.dumps(chosen),
                                round=1,
                                round_open=True,
                                revealed=False,
                                created_at=_now(),
                            )
                        )
                    return code
                except IntegrityError:  # the code exists already: draw another
                    continue
            raise WorkshopError("Could not find a free room code; try again.")

        return self._retry(create), token

    def room(self, code: str) -> Room:
        def read() -> Room:
            with self.engine.connect() as connection:
                return self._room(self._room_row(connection, code))

        return self._retry(read)

    def check_facilitator(self, code: str, token: str) -> Room:
        def read() -> Room:
            with self.engine.connect() as connection:
                return self._room(self._facilitator_row(connection, code, token))

        return self._retry(read)

    def close_round(self, code: str, token: str) -> None:
        self._set_round(code, token, lambda row: {"round_open": False})

    def reveal(self, code: str, token: str) -> None:
        """Close the round and show its group medians on every participant's phone."""
        self._set_round(code, token, lambda row: {"round_open": False, "revealed": True})

    def next_round(self, code: str, token: str) -> None:
        """Close the current round (if open) and open the next, where everyone sees the median."""
        self._set_round(code, token, lambda row: {"round": row.round + 1, "round_open": True, "revealed": False})

    def _set_round(self, code: str, token: str, change: Callable) -> None:
        def write() -> None:
            with self.engine.begin() as connection:
                row = self._facilitator_row(connection, code, token)
                connection.execute(update(rooms).where(rooms.c.id == row.id).values(**change(row)))

        self._retry(write)

    def delete_room(self, code: str, token: str) -> None:
        def write() -> None:
            with self.engine.begin() as connection:
                row = self._facilitator_row(connection, code, token)
                connection.execute(sql_delete(answers).where(answers.c.room_id == row.id))
                connection.execute(sql_delete(participants).where(participants.c.room_id == row.id))
                connection.execute(sql_delete(rooms).where(rooms.c.id == row.id))

        self._retry(write)

    def export_csv(self, code: str, token: str) -> str:
        """One row per participant per round: room, round, participant, submitted_at, each factor."""
        room = self.check_facilitator(code, token)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["room", "round", "participant", "submitted_at", *room.factor_ids])
        for answer in self.answers(code):
            values = [f"{answer.factors[f]:g}" for f in room.factor_ids]
            name = answer.participant
            if name[:1] in "=+-@\t\r":  # a spreadsheet would run it as a formula
                name = "'" + name
            writer.writerow([room.code, answer.round, name, answer.submitted_at.isoformat(), *values])
        return out.getvalue()

    # --- participants -----------------------------------------------------------------------------
    def _gate(self, connection, code: str, clients: Sequence[tuple[str, int]]):
        """The room row for ``code``; a wrong code is counted against each client (a browser
        session, its address), and a client past its limit within the window is refused."""
        since = _now() - FAILED_JOINS_WINDOW
        for client, allowed in clients:
            tries = connection.execute(
                select(func.count())
                .select_from(failed_joins)
                .where(failed_joins.c.client == client[:128], failed_joins.c.at >= since)
            ).scalar()
            if tries >= allowed:
                raise TooManyAttempts("Too many wrong room codes; wait ten minutes and try again.")
        row = connection.execute(select(rooms).where(rooms.c.code == normalise_code(code))).first()
        if row is None:
            for client, _ in clients:
                connection.execute(insert(failed_joins).values(client=client[:128], at=_now()))
        return row

    def enter(self, code: str, clients: Sequence[tuple[str, int]] = ()) -> Room:
        """The room behind a code typed or followed by a participant, rate-limited per client."""

        def read():
            with self.engine.begin() as connection:
                row = self._gate(connection, code, clients)
                return None if row is None else self._room(row)

        room = self._retry(read)  # the failed attempt is committed before we say so
        if room is None:
            raise RoomNotFound("There is no room with this code. Check the code on the projector.")
        return room

    def join(self, code: str, name: str, clients: Sequence[tuple[str, int]] = ()) -> str:
        """Join a room under a display name; the returned token is the only key to one's answers."""
        display = clean_name(name)
        if not display:
            raise WorkshopError("Enter a display name.")
        token = secrets.token_urlsafe(32)

        def write() -> bool:
            with self.engine.begin() as connection:
                row = self._gate(connection, code, clients)
                if row is None:
                    return False
                count = connection.execute(
                    select(func.count()).select_from(participants).where(participants.c.room_id == row.id)
                ).scalar()
                if count >= MAX_PARTICIPANTS:
                    raise WorkshopError("This room is full.")
                connection.execute(
                    insert(participants).values(room_id=row.id, name=display, token_hash=_hash(token), joined_at=_now())
                )
                return True

        if not self._retry(write):
            raise RoomNotFound("There is no room with this code. Check the code on the projector.")
        return token

    def participant(self, code: str, token: str) -> tuple[int, str]:
        """(participant id, display name) of the holder of ``token`` in this room."""

        def read() -> tuple[int, str]:
            with self.engine.connect() as connection:
                room = self._room_row(connection, code)
                row = connection.execute(
                    select(participants.c.id, participants.c.name).where(
                        participants.c.room_id == room.id, participants.c.token_hash == _hash(token or "")
                    )
                ).first()
                if row is None:
                    raise Forbidden("This device has not joined the room; join again with your name.")
                return row.id, row.name

        return self._retry(read)

    def submit(self, code: str, token: str, factors: dict[str, float]) -> None:
        """Write (or revise) the token holder's answer for the open round, validated by the model."""
        room = self.room(code)
        if set(factors) != set(room.factor_ids):
            missing = sorted(set(room.factor_ids) - set(factors))
            extra = sorted(set(factors) - set(room.factor_ids))
            raise WorkshopError(f"An answer rates exactly this room's factors (missing {missing}, extra {extra}).")
        data = room.scenario.to_dict()
        data["factors"] = {**data["factors"], **factors}
        try:
            checked = parse_scenario(data)  # the same validation as files and links
        except ScenarioError as error:
            raise WorkshopError(f"{error.field}: {error.message}") from None
        values = json.dumps({factor_id: checked.factors[factor_id] for factor_id in room.factor_ids})

        def write() -> None:
            with self.engine.begin() as connection:
                row = self._room_row(connection, code)
                if not row.round_open:
                    raise WorkshopError("This round is closed; wait for the facilitator to open the next.")
                who = connection.execute(
                    select(participants.c.id).where(
                        participants.c.room_id == row.id, participants.c.token_hash == _hash(token or "")
                    )
                ).scalar()
                if who is None:
                    raise Forbidden("This device has not joined the room; join again with your name.")
                changed = connection.execute(
                    update(answers)
                    .where(answers.c.participant_id == who, answers.c.round == row.round)
                    .values(factors_json=values, submitted_at=_now())
                ).rowcount
                if not changed:
                    connection.execute(
                        insert(answers).values(
                            room_id=row.id,
                            participant_id=who,
                            round=row.round,
                            factors_json=values,
                            submitted_at=_now(),
                        )
                    )

        self._retry(write)

    def answers(self, code: str, round_: int | None = None) -> list[Answer]:
        """Every answer in the room (or in one round), oldest first."""

        def read() -> list[Answer]:
            with self.engine.connect() as connection:
                room = self._room_row(connection, code)
                query = (
                    select(answers, participants.c.name)
                    .join(participants, participants.c.id == answers.c.participant_id)
                    .where(answers.c.room_id == room.id)
                    .order_by(answers.c.round, answers.c.submitted_at, answers.c.id)
                )
                if round_ is not None:
                    query = query.where(answers.c.round == round_)
                return [
                    Answer(
                        participant=row.name,
                        participant_id=row.participant_id,
                        round=row.round,
                        factors=json.loads(row.factors_json),
                        submitted_at=row.submitted_at,
                    )
                    for row in connection.execute(query)
                ]

        return self._retry(read)

    def participant_count(self, code: str) -> int:
        def read() -> int:
            with self.engine.connect() as connection:
                room = self._room_row(connection, code)
                return connection.execute(
                    select(func.count()).select_from(participants).where(participants.c.room_id == room.id)
                ).scalar()

        return self._retry(read)


def _sqlite_pragmas(connection, _record) -> None:
    connection.isolation_level = None  # SQLAlchemy, not the driver, begins transactions (below)
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=5000")  # then _retry backs off and tries again
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Take the write lock when a transaction begins, so a busy database waits (busy_timeout)
    instead of failing when a reader tries to become a writer."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


_stores: dict[str, WorkshopStore] = {}


def open_store(url: str | None = None) -> WorkshopStore:
    """One store per database URL per process (engines pool their connections)."""
    url = url or database_url()
    if url not in _stores:
        _stores[url] = WorkshopStore(url)
    return _stores[url]
