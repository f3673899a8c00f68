"""The workshop store: rooms, participants and answers (:class:`WorkshopStore`), and one store per
database per process (:func:`open_store`).

Each public method is one short transaction through :func:`workshop.engine.retry`: methods that
only read use the read-only engine (on SQLite a deferred ``BEGIN``, which never waits for a
writer), methods that write use ``engine.begin()`` (on SQLite ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, ProgrammingError

from scoring import Scenario, ScenarioError, load_catalogue, parse_scenario, parse_scenario_json
from workshop.engine import database_url, describe, make_engine, read_only, retry
from workshop.export import answers_csv
from workshop.migrations import prepare_schema
from workshop.records import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    Forbidden,
    Room,
    RoomNotFound,
    TooManyAttempts,
    WorkshopError,
    clean_name,
    normalise_code,
)
from workshop.schema import answers, failed_joins, participants, rooms

__all__ = ["FAILED_JOINS_WINDOW", "MAX_PARTICIPANTS", "WorkshopStore", "open_store"]

MAX_PARTICIPANTS = 500
FAILED_JOINS_WINDOW = dt.timedelta(minutes=10)  # wrong room codes are counted over this window

T = TypeVar("T")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _no_room() -> RoomNotFound:
    return RoomNotFound("There is no room with this code. Check the code on the projector.")


def _not_joined() -> Forbidden:
    return Forbidden("This device has not joined the room; join again with your name.")


class WorkshopStore:
    """Rooms, participants and answers; thread-safe (one engine, a connection per call)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self._where = describe(self.url)
        self.engine = make_engine(self.url)
        self._reader = read_only(self.engine)
        self._retry(self._prepare_schema)

    # --- plumbing ---------------------------------------------------------------------------------
    def _retry(self, action: Callable[[], T]) -> T:
        return retry(action, self._where)

    def _read(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one read-only transaction (retried while the database is busy)."""

        def run() -> T:
            with self._reader.connect() as connection:
                return work(connection)

        return self._retry(run)

    def _write(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one write transaction, committed unless it raises (retried while busy)."""

        def run() -> T:
            with self.engine.begin() as connection:
                return work(connection)

        return self._retry(run)

    def _prepare_schema(self) -> None:
        """Create, upgrade (:mod:`workshop.migrations`) or refuse the schema, in one transaction."""
        try:
            with self.engine.begin() as connection:
                prepare_schema(connection, self._where)
        except (IntegrityError, ProgrammingError):  # another replica created the tables just now
            with self.engine.begin() as connection:
                prepare_schema(connection, self._where)

    @staticmethod
    def _room_row(connection: Connection, code: str):
        row = connection.execute(select(rooms).where(rooms.c.code == normalise_code(code))).first()
        if row is None:
            raise _no_room()
        return row

    def _facilitator_row(self, connection: Connection, code: str, token: str):
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

    @staticmethod
    def _answers(connection: Connection, room_id: int, round_: int | None = None) -> list[Answer]:
        query = (
            select(answers, participants.c.name)
            .join(participants, participants.c.id == answers.c.participant_id)
            .where(answers.c.room_id == room_id)
            .order_by(answers.c.round, answers.c.submitted_at, answers.c.id)  # ix_answers_room_round
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
        return self._read(lambda connection: self._room(self._room_row(connection, code)))

    def check_facilitator(self, code: str, token: str) -> Room:
        return self._read(lambda connection: self._room(self._facilitator_row(connection, code, token)))

    def close_round(self, code: str, token: str) -> None:
        self._set_round(code, token, lambda row: {"round_open": False})

    def reveal(self, code: str, token: str) -> None:
        """Close the round and show its group medians on every participant's phone."""
        self._set_round(code, token, lambda row: {"round_open": False, "revealed": True})

    def next_round(self, code: str, token: str) -> None:
        """Close the current round (if open) and open the next, where everyone sees the median."""
        self._set_round(code, token, lambda row: {"round": row.round + 1, "round_open": True, "revealed": False})

    def _set_round(self, code: str, token: str, change: Callable) -> None:
        def write(connection: Connection) -> None:
            row = self._facilitator_row(connection, code, token)
            connection.execute(update(rooms).where(rooms.c.id == row.id).values(**change(row)))

        self._write(write)

    def delete_room(self, code: str, token: str) -> None:
        """Delete the room; the database deletes its participants and answers (ON DELETE CASCADE)."""

        def write(connection: Connection) -> None:
            row = self._facilitator_row(connection, code, token)
            connection.execute(delete(rooms).where(rooms.c.id == row.id))

        self._write(write)

    def export_csv(self, code: str, token: str) -> str:
        """One row per participant per round: room, round, participant, submitted_at, each factor."""

        def read(connection: Connection) -> str:
            row = self._facilitator_row(connection, code, token)
            return answers_csv(self._room(row), self._answers(connection, row.id))

        return self._read(read)

    # --- participants -----------------------------------------------------------------------------
    def _gate(self, connection: Connection, code: str, clients: Sequence[tuple[str, int]]):
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
            # Retention: a wrong code counts for FAILED_JOINS_WINDOW only, so older ones are
            # deleted as new ones come in (the table holds at most one window of guesses).
            connection.execute(delete(failed_joins).where(failed_joins.c.at < since))
            for client, _ in clients:
                connection.execute(insert(failed_joins).values(client=client[:128], at=_now()))
        return row

    def enter(self, code: str, clients: Sequence[tuple[str, int]] = ()) -> Room:
        """The room behind a code typed or followed by a participant, rate-limited per client."""

        def gate(connection: Connection) -> Room | None:  # a write: a wrong code is recorded
            row = self._gate(connection, code, clients)
            return None if row is None else self._room(row)

        room = self._write(gate)  # the failed attempt is committed before we say so
        if room is None:
            raise _no_room()
        return room

    def join(self, code: str, name: str, clients: Sequence[tuple[str, int]] = ()) -> str:
        """Join a room under a display name; the returned token is the only key to one's answers."""
        display = clean_name(name)
        if not display:
            raise WorkshopError("Enter a display name.")
        token = secrets.token_urlsafe(32)

        def write(connection: Connection) -> bool:
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

        if not self._write(write):
            raise _no_room()
        return token

    def participant(self, code: str, token: str) -> tuple[int, str]:
        """(participant id, display name) of the holder of ``token`` in this room."""

        def read(connection: Connection) -> tuple[int, str]:
            room = self._room_row(connection, code)
            row = connection.execute(
                select(participants.c.id, participants.c.name).where(
                    participants.c.room_id == room.id, participants.c.token_hash == _hash(token or "")
                )
            ).first()
            if row is None:
                raise _not_joined()
            return row.id, row.name

        return self._read(read)

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

        def write(connection: Connection) -> None:
            row = self._room_row(connection, code)
            if not row.round_open:
                raise WorkshopError("This round is closed; wait for the facilitator to open the next.")
            who = connection.execute(
                select(participants.c.id).where(
                    participants.c.room_id == row.id, participants.c.token_hash == _hash(token or "")
                )
            ).scalar()
            if who is None:
                raise _not_joined()
            _upsert_answer(connection, row.id, who, row.round, values)

        self._write(write)

    def answers(self, code: str, round_: int | None = None) -> list[Answer]:
        """Every answer in the room (or in one round), oldest first."""
        return self._read(lambda connection: self._answers(connection, self._room_row(connection, code).id, round_))

    def participant_count(self, code: str) -> int:
        def read(connection: Connection) -> int:
            room = self._room_row(connection, code)
            return connection.execute(
                select(func.count()).select_from(participants).where(participants.c.room_id == room.id)
            ).scalar()

        return self._read(read)


def _upsert_answer(connection: Connection, room_id: int, who: int, round_: int, values: str) -> None:
    """Write or revise one answer as a single statement (``INSERT … ON CONFLICT DO UPDATE`` on the
    ``one_answer_per_round`` key). An update-then-insert pair races on PostgreSQL: two first
    submissions from one participant (a double tap, two tabs) both find nothing to update and the
    second insert fails with "duplicate key"; the upsert lets the database settle it."""
    row = {"room_id": room_id, "participant_id": who, "round": round_, "factors_json": values, "submitted_at": _now()}
    upsert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}.get(connection.dialect.name)
    if upsert is not None:
        statement = upsert(answers).values(**row)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[answers.c.participant_id, answers.c.round],
                set_={"factors_json": statement.excluded.factors_json, "submitted_at": statement.excluded.submitted_at},
            )
        )
        return
    changed = connection.execute(  # another database: update, else insert
        update(answers)
        .where(answers.c.participant_id == who, answers.c.round == round_)
        .values(factors_json=values, submitted_at=row["submitted_at"])
    ).rowcount
    if not changed:
        connection.execute(insert(answers).values(**row))


_stores: dict[str, WorkshopStore] = {}


def open_store(url: str | None = None) -> WorkshopStore:
    """One store per database URL per process (engines pool their connections)."""
    url = url or database_url()
    if url not in _stores:
        _stores[url] = WorkshopStore(url)
    return _stores[url]


# --- Recovering a lost facilitator console (issue 15) ---------------------------------------------
# Used by the command line only (`python -m workshop.recover CODE`), i.e. by whoever runs the
# server; no page can reach it. Added in a block of its own beside the store.


def reissue_facilitator_key(store: WorkshopStore, code: str) -> str:
    """A new facilitator key for room ``code``; the old key stops working (its hash is replaced).
    The room, its participants and answers stay. Raises :class:`RoomNotFound` for an unknown code."""
    token = secrets.token_urlsafe(32)

    def write(connection: Connection) -> None:
        row = store._room_row(connection, code)
        connection.execute(update(rooms).where(rooms.c.id == row.id).values(facilitator_hash=_hash(token)))

    store._write(write)
    return token
