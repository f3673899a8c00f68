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
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import Connection, delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, ProgrammingError, SQLAlchemyError

from scoring import Scenario, ScenarioError, load_catalogue, parse_scenario, parse_scenario_json
from workshop.engine import database_kind, database_url, make_engine, read_only, retry, setting
from workshop.export import answers_csv
from workshop.migrations import prepare_schema
from workshop.records import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    Client,
    Forbidden,
    Participant,
    Room,
    RoomNotFound,
    Throttled,
    TooManyAttempts,
    WorkshopError,
    clean_name,
    normalise_code,
)
from workshop.schema import answers, failed_joins, participants, rooms, throttle_events

__all__ = [
    "CREATE_WINDOW",
    "FAILED_JOINS_WINDOW",
    "JOINS_PER_BROWSER",
    "JOINS_PER_ROOM",
    "JOIN_WINDOW",
    "MAX_PARTICIPANTS",
    "ROOMS_PER_ADDRESS",
    "ROOMS_PER_BROWSER",
    "WRONG_PER_ADDRESS",
    "WRONG_PER_BROWSER",
    "WorkshopStore",
    "open_store",
]

# --- Limits: every one of them, in one place ------------------------------------------------------
MAX_PARTICIPANTS = 500
# Wrong room codes and console keys, per client, over FAILED_JOINS_WINDOW. A right code (or key, or
# a joined participant's token) is never refused, so these limits lock no one out: they bound the
# rows a guesser writes (past a limit nothing more is written). A venue's phones often share one
# address, hence the address's larger allowance. Guessing itself is bounded by the code space:
# 32^8 = 2^40 codes.
FAILED_JOINS_WINDOW = dt.timedelta(minutes=10)
WRONG_PER_BROWSER = 10
WRONG_PER_ADDRESS = 100
# Joins into one room, over JOIN_WINDOW: 200 people arriving over 2 minutes are 100 a minute, so
# 120 lets a real room in while 500 fake participants take more than four minutes, time for the
# facilitator to see them and remove them. Per browser a few (a second tab, a phone that lost its
# cookie); not per address, which a whole venue may share.
JOIN_WINDOW = dt.timedelta(minutes=1)
JOINS_PER_ROOM = 120
JOINS_PER_BROWSER = 5
# New rooms per client over CREATE_WINDOW: a facilitator makes one or two; a class behind one
# address may make one per group.
CREATE_WINDOW = dt.timedelta(hours=1)
ROOMS_PER_BROWSER = 10
ROOMS_PER_ADDRESS = 30

# Retention: a room expires after WORKSHOP_ROOM_DAYS (default ROOM_DAYS; 0 keeps rooms for good)
# without activity: its creation, a round change (rooms.last_active), a join or an answer. Expired
# rooms go with their participants and answers (ON DELETE CASCADE), wrong codes past their window
# with them, by WorkshopStore.expire: run by a store's first write and then at most once an hour.
ROOM_DAYS = 30
EXPIRE_EVERY_SECONDS = 3600.0

log = logging.getLogger("workshop.store")
T = TypeVar("T")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _no_room() -> RoomNotFound:
    return RoomNotFound("There is no room with this code. Check the code on the projector.")


def _not_joined() -> Forbidden:
    return Forbidden("This device has not joined the room; join again with your name.")


def _wrong_code_limits(client: Client | Sequence[tuple[str, int]] | None) -> list[tuple[str, int]]:
    """(key, wrong codes allowed) for each name of the client."""
    if isinstance(client, Client):
        return [(client.browser_key, WRONG_PER_BROWSER), (client.address_key, WRONG_PER_ADDRESS)]
    return [(key[:128], allowed) for key, allowed in client or ()]


def _recent(connection: Connection, scope: str, since: dt.datetime, client: str | None = None) -> int:
    """How many ``scope`` events (of ``client``, if given) happened since ``since``."""
    query = (
        select(func.count())
        .select_from(throttle_events)
        .where(throttle_events.c.scope == scope, throttle_events.c.at >= since)
    )
    if client is not None:
        query = query.where(throttle_events.c.client == client)
    return connection.execute(query).scalar()


def _throttle(connection: Connection, scope: str, limits: Sequence[tuple[str | None, int, str]], window) -> None:
    """Refuse (:class:`Throttled`) if a limit is reached — each (client or None for everyone, events
    allowed, limit's name) — else record the event for each client. Events older than the longest
    window are deleted as new ones come in (the table holds at most an hour of them)."""
    now = _now()
    connection.execute(delete(throttle_events).where(throttle_events.c.at < now - CREATE_WINDOW))
    for client, allowed, name in limits:
        if _recent(connection, scope, now - window, client) >= allowed:
            raise Throttled(f"Too many {'new rooms' if scope == 'create' else 'joins'} just now; try again soon.", name)
    clients = sorted({client for client, _, _ in limits if client is not None}) or ["-"]  # one row at least
    for client in clients:
        connection.execute(insert(throttle_events).values(scope=scope, client=client, at=now))


class WorkshopStore:
    """Rooms, participants and answers; thread-safe (one engine, a connection per call)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self._where = database_kind(self.url)  # a refusal names the kind of database, never where it is
        self.engine = make_engine(self.url)
        self._reader = read_only(self.engine)
        self.room_days = setting("WORKSHOP_ROOM_DAYS", ROOM_DAYS)
        self._next_expiry = 0.0  # time.monotonic() of the next expire(); the first write starts it
        self.sweeper: threading.Thread | None = None  # the last expire() started in the background
        self._retry(self._prepare_schema)

    # --- plumbing ---------------------------------------------------------------------------------
    def _retry(self, action: Callable[[], T]) -> T:
        return retry(action, self.url)

    def _read(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one read-only transaction (retried while the database is busy)."""

        def run() -> T:
            with self._reader.connect() as connection:
                return work(connection)

        return self._retry(run)

    def _write(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one write transaction, committed unless it raises (retried while busy)."""
        self._expire_now_and_then()

        def run() -> T:
            with self.engine.begin() as connection:
                return work(connection)

        return self._retry(run)

    def _expire_now_and_then(self) -> None:
        """Start :meth:`expire` in the background at most once every EXPIRE_EVERY_SECONDS: the call
        that starts it does not wait for it (not even on a stalled database), and a failure is only
        logged; the next sweep an hour later tries again."""
        if time.monotonic() < self._next_expiry:
            return
        self._next_expiry = time.monotonic() + EXPIRE_EVERY_SECONDS
        self.sweeper = threading.Thread(target=self._expire_quietly, name="workshop-expiry", daemon=True)
        self.sweeper.start()

    def _expire_quietly(self) -> None:
        try:
            self.expire(retried=False)
        except (WorkshopError, SQLAlchemyError) as error:
            log.warning("Expiring old workshop rooms failed: %s", error)

    def expire(self, now: dt.datetime | None = None, retried: bool = True) -> int:
        """Delete the rooms without activity for ``room_days`` days before ``now`` (with their
        participants and answers) and the wrong codes older than their window; the rooms deleted.
        One attempt only unless ``retried``."""
        now = now or _now()
        cutoff = now - dt.timedelta(days=self.room_days)

        def run() -> int:
            with self.engine.begin() as connection:
                connection.execute(delete(failed_joins).where(failed_joins.c.at < now - FAILED_JOINS_WINDOW))
                if not self.room_days:
                    return 0
                answered = select(answers.c.id).where(answers.c.room_id == rooms.c.id, answers.c.submitted_at >= cutoff)
                joined = select(participants.c.id).where(
                    participants.c.room_id == rooms.c.id, participants.c.joined_at >= cutoff
                )
                idle = func.coalesce(rooms.c.last_active, rooms.c.created_at) < cutoff
                return connection.execute(delete(rooms).where(idle, ~answered.exists(), ~joined.exists())).rowcount

        gone = self._retry(run) if retried else run()
        if gone:
            log.info("Expired %d workshop room(s) without activity for %d days", gone, self.room_days)
        return gone

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
    def create_room(
        self, scenario: Scenario, factor_ids: Sequence[str], client: Client | None = None
    ) -> tuple[str, str]:
        """A new room rating ``factor_ids`` of ``scenario``: (room code, facilitator token). At most
        ROOMS_PER_BROWSER and ROOMS_PER_ADDRESS an hour from ``client`` (else :class:`Throttled`)."""
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
                        if client is not None:
                            limits = [
                                (client.browser_key, ROOMS_PER_BROWSER, "create"),
                                (client.address_key, ROOMS_PER_ADDRESS, "create"),
                            ]
                            _throttle(connection, "create", limits, CREATE_WINDOW)
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

    def check_facilitator(self, code: str, token: str, client: Client | None = None) -> Room:
        """The room if ``token`` is its facilitator's key. With ``client`` (a console link or a kept
        cookie being opened), a wrong code or key is counted as in :meth:`enter` and both are
        refused in the same words (:class:`RoomNotFound`); a right pair is never refused."""
        try:
            return self._read(lambda connection: self._room(self._facilitator_row(connection, code, token)))
        except (RoomNotFound, Forbidden):
            if client is None:
                raise
        raise self._wrong(_wrong_code_limits(client))

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
            connection.execute(update(rooms).where(rooms.c.id == row.id).values(**change(row), last_active=_now()))

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
    @staticmethod
    def _count_wrong(connection: Connection, limits: Sequence[tuple[str, int]]) -> bool:
        """Count a wrong code or key against each of the client's names; True if one of them is past
        its limit within the window, and then nothing is written (a guesser's rows stop growing)."""
        since = _now() - FAILED_JOINS_WINDOW
        # Retention: a wrong code counts for FAILED_JOINS_WINDOW only, so older ones are deleted as
        # new ones come in (the table holds at most one window of guesses).
        connection.execute(delete(failed_joins).where(failed_joins.c.at < since))
        over = any(
            connection.execute(
                select(func.count())
                .select_from(failed_joins)
                .where(failed_joins.c.client == key, failed_joins.c.at >= since)
            ).scalar()
            >= allowed
            for key, allowed in limits
        )
        if not over:
            for key, _ in limits:
                connection.execute(insert(failed_joins).values(client=key, at=_now()))
        return over

    def _wrong(self, limits: Sequence[tuple[str, int]]) -> RoomNotFound:
        """A wrong code or key, counted (its own write transaction): the error to raise, in the same
        words whether or not the client is past its limit."""
        over = self._write(lambda connection: self._count_wrong(connection, limits)) if limits else False
        return TooManyAttempts(str(_no_room())) if over else _no_room()

    def enter(self, code: str, clients: Client | Sequence[tuple[str, int]] | None = None) -> Room:
        """The room behind a code typed or followed by a participant. A right code is never refused;
        a wrong one is counted against the client (:class:`Client`, or (key, allowed) pairs)."""
        row = self._read(
            lambda connection: connection.execute(select(rooms).where(rooms.c.code == normalise_code(code))).first()
        )
        if row is None:
            raise self._wrong(_wrong_code_limits(clients))
        return self._room(row)

    def join(self, code: str, name: str, client: Client | None = None) -> str:
        """Join a room under a display name; the returned token is the only key to one's answers.
        Throttled (:class:`Throttled`) past JOINS_PER_ROOM a minute, and past JOINS_PER_BROWSER a
        minute from ``client``'s browser; a wrong code is counted as in :meth:`enter`."""
        display = clean_name(name)
        if not display:
            raise WorkshopError("Enter a display name.")
        token = secrets.token_urlsafe(32)

        def write(connection: Connection) -> bool:
            row = connection.execute(select(rooms).where(rooms.c.code == normalise_code(code))).first()
            if row is None:
                return False
            count = connection.execute(
                select(func.count()).select_from(participants).where(participants.c.room_id == row.id)
            ).scalar()
            if count >= MAX_PARTICIPANTS:
                raise WorkshopError("This room is full.")
            limits = [(None, JOINS_PER_ROOM, "room")]
            if client is not None:
                limits.append((client.browser_key, JOINS_PER_BROWSER, "browser"))
            _throttle(connection, f"join:{row.code}", limits, JOIN_WINDOW)
            connection.execute(
                insert(participants).values(room_id=row.id, name=display, token_hash=_hash(token), joined_at=_now())
            )
            return True

        if not self._write(write):
            raise self._wrong(_wrong_code_limits(client))
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

    def participants(self, code: str, token: str) -> list[Participant]:
        """Everyone in the room, in the order they joined, and whether they answered this round
        (the facilitator's key only)."""

        def read(connection: Connection) -> list[Participant]:
            room = self._facilitator_row(connection, code, token)
            answered = exists().where(answers.c.participant_id == participants.c.id, answers.c.round == room.round)
            query = (
                select(participants.c.id, participants.c.name, participants.c.joined_at, answered.label("answered"))
                .where(participants.c.room_id == room.id)
                .order_by(participants.c.joined_at, participants.c.id)
            )
            return [
                Participant(row.id, row.name, row.joined_at, bool(row.answered)) for row in connection.execute(query)
            ]

        return self._read(read)

    def remove_participant(self, code: str, token: str, participant_id: int) -> bool:
        """Remove a participant and (ON DELETE CASCADE) every answer they gave; their token opens
        nothing any more. False if they were not in the room (already removed)."""

        def write(connection: Connection) -> bool:
            room = self._facilitator_row(connection, code, token)
            removed = connection.execute(
                delete(participants).where(participants.c.room_id == room.id, participants.c.id == participant_id)
            )
            return removed.rowcount > 0

        return self._write(write)

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
