"""Workshop rooms in a real database through SQLAlchemy 2 (Core): the public face of the store.

SQLite by default — one file ``workshop.sqlite3`` in WAL mode under ``DATA_DIR`` (or the user's
data folder) — and PostgreSQL when ``DATABASE_URL`` says so (several app replicas share it).
The schema is created on start and versioned in ``schema_version``; an older database is
upgraded in one transaction by the steps of :mod:`workshop.migrations`, and a database written by
a newer schema is refused rather than misread.

Security: room codes are 8 symbols from a 32-letter alphabet (40 bits); the facilitator's and
each participant's tokens are 32 random bytes, stored only as SHA-256 hashes and compared in
constant time; every answer is validated through the :class:`~scoring.Scenario` model before it
is written.

Limits (all in :mod:`workshop.queries`, counted per :class:`Client` — a browser's id and its
address, :func:`client_address`, behind a proxy named by ``WORKSHOP_TRUSTED_PROXY_HEADER``): a
right room code, console key or joined participant's token is never refused. Wrong codes and keys
are counted, per browser (10) and per address (100) over 10 minutes; past a limit nothing more is
written and the refusal is a :class:`RoomNotFound` in the same words (:class:`TooManyAttempts`).
Joins are throttled per room (120 a minute) and per browser (5 a minute), new rooms per browser
(10) and per address (30) an hour: :class:`Throttled`, whose ``limit`` names which. A room holds
at most :data:`MAX_PARTICIPANTS` participants.

Retention: a room without activity (its creation, a round change, a join or an answer) for
``WORKSHOP_ROOM_DAYS`` days (default :data:`ROOM_DAYS`; 0 keeps rooms for good) is deleted with
its participants and answers by :meth:`WorkshopStore.expire`, which a store runs in the
background on its first write and then at most once an hour; wrong codes go after their window.

Reliability: every call is one short transaction. On SQLite a read begins deferred and, in WAL
mode, never waits for a writer; a write takes the write lock as it begins, waits up to
``busy_timeout`` for it, and a busy database is retried with back-off. Deleting a room leaves its
participants and answers to ``ON DELETE CASCADE`` (SQLite: ``foreign_keys=ON`` on every
connection). An unreachable database raises :class:`StoreUnavailable` with a message for the user.

The parts, each importable on its own; callers import from here:

* :mod:`workshop.records` — errors, :class:`Room`, :class:`Answer`, :class:`Participant`, who a
  client is (:class:`Client`), room-code and name rules;
* :mod:`workshop.schema` — the tables and :data:`SCHEMA_VERSION`;
* :mod:`workshop.migrations` — creating, upgrading or refusing the schema at start-up;
* :mod:`workshop.engine` — the URL from the environment, SQLite settings, read and write
  transactions, retries;
* :mod:`workshop.queries` — :class:`WorkshopStore` and :func:`open_store`;
* :mod:`workshop.export` — the answers as CSV.
"""

from __future__ import annotations

from workshop.engine import data_dir, database_url
from workshop.queries import MAX_PARTICIPANTS, ROOM_DAYS, WorkshopStore, open_store
from workshop.records import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_NAME_CHARS,
    TRUSTED_PROXY_HEADER,
    TRUSTED_PROXY_HOPS,
    Answer,
    Client,
    Forbidden,
    Participant,
    Room,
    RoomNotFound,
    StoreUnavailable,
    Throttled,
    TooManyAttempts,
    WorkshopError,
    clean_name,
    client_address,
    normalise_code,
    trusted_proxy,
)
from workshop.schema import SCHEMA_VERSION, metadata

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_NAME_CHARS",
    "MAX_PARTICIPANTS",
    "ROOM_DAYS",
    "SCHEMA_VERSION",
    "TRUSTED_PROXY_HEADER",
    "TRUSTED_PROXY_HOPS",
    "Answer",
    "Client",
    "Forbidden",
    "Participant",
    "Room",
    "RoomNotFound",
    "StoreUnavailable",
    "Throttled",
    "TooManyAttempts",
    "WorkshopError",
    "WorkshopStore",
    "clean_name",
    "client_address",
    "data_dir",
    "database_url",
    "metadata",
    "normalise_code",
    "open_store",
    "trusted_proxy",
]
