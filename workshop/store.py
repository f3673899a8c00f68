"""Workshop rooms in a real database through SQLAlchemy 2 (Core): the public face of the store.

SQLite by default — one file ``workshop.sqlite3`` in WAL mode under ``DATA_DIR`` (or the user's
data folder) — and PostgreSQL when ``DATABASE_URL`` says so (several app replicas share it).
The schema is created on start and versioned in ``schema_version``; an older database is
upgraded in one transaction by the steps of :mod:`workshop.migrations`, and a database written by
a newer schema is refused rather than misread.

Security: room codes are 8 symbols from a 32-letter alphabet (40 bits) and wrong codes are
counted per client and refused past a limit; the facilitator's and each participant's tokens
are 32 random bytes, stored only as SHA-256 hashes and compared in constant time; every answer
is validated through the :class:`~scoring.Scenario` model before it is written.

Reliability: every call is one short transaction. On SQLite a read begins deferred and, in WAL
mode, never waits for a writer; a write takes the write lock as it begins, waits up to
``busy_timeout`` for it, and a busy database is retried with back-off. Deleting a room leaves its
participants and answers to ``ON DELETE CASCADE`` (SQLite: ``foreign_keys=ON`` on every
connection). An unreachable database raises :class:`StoreUnavailable` with a message for the user.

The parts, each importable on its own; callers import from here:

* :mod:`workshop.records` — errors, :class:`Room`, :class:`Answer`, room-code and name rules;
* :mod:`workshop.schema` — the tables and :data:`SCHEMA_VERSION`;
* :mod:`workshop.migrations` — creating, upgrading or refusing the schema at start-up;
* :mod:`workshop.engine` — the URL from the environment, SQLite settings, read and write
  transactions, retries;
* :mod:`workshop.queries` — :class:`WorkshopStore` and :func:`open_store`;
* :mod:`workshop.export` — the answers as CSV.
"""

from __future__ import annotations

from workshop.engine import data_dir, database_url
from workshop.queries import MAX_PARTICIPANTS, WorkshopStore, open_store
from workshop.records import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_NAME_CHARS,
    Answer,
    Forbidden,
    Room,
    RoomNotFound,
    StoreUnavailable,
    TooManyAttempts,
    WorkshopError,
    clean_name,
    normalise_code,
)
from workshop.schema import SCHEMA_VERSION, metadata

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_NAME_CHARS",
    "MAX_PARTICIPANTS",
    "SCHEMA_VERSION",
    "Answer",
    "Forbidden",
    "Room",
    "RoomNotFound",
    "StoreUnavailable",
    "TooManyAttempts",
    "WorkshopError",
    "WorkshopStore",
    "clean_name",
    "data_dir",
    "database_url",
    "metadata",
    "normalise_code",
    "open_store",
]
