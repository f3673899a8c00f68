"""Which database, and how the store talks to it: the URL from the environment, the engine, SQLite's
settings, the two kinds of transaction, and retrying a busy database.

SQLite (the default: one file in WAL mode) — every connection sets ``journal_mode=WAL``,
``busy_timeout`` and ``foreign_keys=ON`` (without it SQLite ignores ``ON DELETE CASCADE``).

* A **read** runs on :func:`read_only` (the same pool) and begins with a plain, deferred ``BEGIN``:
  it sees the last committed state as one snapshot, and in WAL mode it neither waits for a writer
  nor makes one wait.
* A **write** (``engine.begin()``) begins with ``BEGIN IMMEDIATE``, taking the write lock up
  front: two transactions can then never both read and then both try to upgrade to writing, a
  deadlock SQLite can only end by failing one of them. A writer that finds the lock taken waits
  up to ``busy_timeout`` (5 s), and :func:`retry` then backs off and tries again.

PostgreSQL (``DATABASE_URL``; ``postgres://`` is read as PostgreSQL through psycopg): the
driver's ordinary transactions, from a pool whose connections are checked before use.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

from workshop.records import StoreUnavailable

__all__ = ["BUSY_RETRIES", "data_dir", "database_url", "describe", "make_engine", "read_only", "retry"]

BUSY_TIMEOUT_MS = 5000
BUSY_RETRIES = 6
READ_ONLY = "workshop_read_only"  # an execution option: transactions that only read

T = TypeVar("T")


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


def describe(url: str) -> str:
    """The database in words, without a password."""
    if url.startswith("sqlite"):
        return f"the SQLite file {url.split(':///', 1)[-1]}"
    return f"the database at {url.split('@')[-1]}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``, set up as described above; :class:`StoreUnavailable` if it cannot be."""
    try:
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except (OSError, SQLAlchemyError, ImportError) as exc:
        raise StoreUnavailable(f"The workshop database ({describe(url)}) cannot be opened: {exc}") from None


def read_only(engine: Engine) -> Engine:
    """The same engine and pool, for transactions that only read (on SQLite: a deferred ``BEGIN``)."""
    return engine.execution_options(**{READ_ONLY: True})


def retry(action: Callable[[], T], where: str) -> T:
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
            raise StoreUnavailable(f"The workshop database ({where}) {what}.") from None
        except DatabaseError as exc:  # e.g. a file that is not a database
            reason = str(exc.orig or exc).splitlines()[0][:200]
            raise StoreUnavailable(f"The workshop database ({where}) cannot be used: {reason}.") from None
    raise AssertionError("unreachable")  # pragma: no cover


def _sqlite_pragmas(connection, _record) -> None:
    connection.isolation_level = None  # SQLAlchemy, not the driver, begins transactions (below)
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers and the writer do not block each other
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # a writer waits; then retry() backs off
    cursor.execute("PRAGMA foreign_keys=ON")  # per connection: ON DELETE CASCADE is enforced
    cursor.close()


def _sqlite_begin(connection) -> None:
    """A read begins deferred (a snapshot, no lock to wait for); a write takes the write lock as it
    begins, so a busy database makes it wait (busy_timeout) instead of failing when a transaction
    that has read tries to become a writer."""
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
