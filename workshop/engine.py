"""Which database, and how the store talks to it: the URL from the environment, the engine, SQLite's
and PostgreSQL's settings, the two kinds of transaction, retrying a busy database, and turning every
database error into a message for the user.

SQLite (the default: one file in WAL mode) — every connection sets ``journal_mode=WAL``,
``busy_timeout`` and ``foreign_keys=ON`` (without it SQLite ignores ``ON DELETE CASCADE``).

* A **read** runs on :func:`read_only` (the same pool) and begins with a plain, deferred ``BEGIN``:
  it sees the last committed state as one snapshot, and in WAL mode it neither waits for a writer
  nor makes one wait.
* A **write** (``engine.begin()``) begins with ``BEGIN IMMEDIATE``, taking the write lock up
  front: two transactions can then never both read and then both try to upgrade to writing, a
  deadlock SQLite can only end by failing one of them. A writer that finds the lock taken waits
  up to ``busy_timeout`` (5 s); a lock that is still held then is a "busy" message (a wait that long
  is not retried: see below), while a quick "database is locked" is retried.

A SQLite URL may open the file read-only (``sqlite:///file:/path/workshop.sqlite3?mode=ro&uri=true``):
rooms can be read, and every write says the database is read-only.

PostgreSQL (``DATABASE_URL``; ``postgres://`` is read as PostgreSQL through psycopg): the
driver's ordinary transactions, from a pool whose connections are checked before use. So that a
stall ends as a message within seconds instead of a hung page, every connection sets
``lock_timeout`` (``WORKSHOP_LOCK_TIMEOUT_MS``, 5000) and ``statement_timeout``
(``WORKSHOP_STATEMENT_TIMEOUT_MS``, 10000), a connection attempt gives up after 5 s, and a call
waits at most ``WORKSHOP_POOL_TIMEOUT`` (10 s) for a free connection from the pool
(``WORKSHOP_POOL_SIZE``, 5, and twice as many more under load).

Errors: :func:`retry` retries what passes (a busy database, a lock or pool timeout, a deadlock or
serialization failure, a dropped connection) with back-off while under :data:`RETRY_SECONDS`, and
turns every SQLAlchemy error into :class:`StoreUnavailable` whose ``kind`` says why (``busy``,
``unreachable``, ``full``, ``read_only``, ``broken``, ``config``). Its message names the database
only by kind (SQLite, PostgreSQL): never a file path, host, user or password, since the projector
and the console show it to the room. The details go to the server log (logger ``workshop.store``).
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from workshop.records import StoreUnavailable

__all__ = [
    "BUSY_RETRIES",
    "RETRY_SECONDS",
    "data_dir",
    "database_kind",
    "database_url",
    "describe",
    "make_engine",
    "read_only",
    "retry",
    "setting",
    "store_error",
]

BUSY_TIMEOUT_MS = 5000
BUSY_RETRIES = 6
RETRY_SECONDS = 2.0  # a failure that passes is retried only while the call has taken less than this
CONNECT_TIMEOUT_S = 5
READ_ONLY = "workshop_read_only"  # an execution option: transactions that only read
EXAMPLE_URL = "postgresql://user:password@host:5432/name"

# What a user reads, by kind; {db} is the database's kind (SQLite, PostgreSQL), never where it is.
# The phones say the same in their language by the error's kind (data/i18n.yaml: store.full, ...).
MESSAGES = {
    "busy": "The workshop database ({db}) is busy; try again in a moment.",
    "unreachable": "The workshop database ({db}) cannot be reached; try again in a moment.",
    "full": "The workshop database ({db}) is full: nothing new can be saved until the server's administrator "
    "frees space.",
    "read_only": "The workshop database ({db}) is read-only: nothing new can be saved until the server's "
    "administrator makes it writable.",
    "broken": "The workshop database ({db}) cannot be used: {reason}.",
}
PASSING = {"busy", "reset"}  # kinds worth another try
# PostgreSQL SQLSTATEs: serialization failure, deadlock, lock timeout, statement timeout, too many connections.
PG_BUSY = {"40001", "40P01", "55P03", "57014", "53300"}

log = logging.getLogger("workshop.store")
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


def setting(name: str, default: int) -> int:
    """The whole number in environment variable ``name`` (``default`` when unset); a
    :class:`StoreUnavailable` naming the variable when it is not a whole number ≥ 0."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise StoreUnavailable(f"{name} must be a whole number ≥ 0 (it is {raw[:20]!r}).", kind="config")
    return int(raw)


def _parse(url: str) -> URL:
    """``url`` parsed, or a one-line :class:`StoreUnavailable` naming DATABASE_URL (never its password)."""
    try:
        parsed = make_url(url)
        port = parsed.port  # a port that is not a number raises here
    except (ArgumentError, ValueError) as exc:
        why = "the port is not a number" if "int()" in str(exc) else "it cannot be read as a database address"
        raise _bad_url(why) from None
    if port is not None and not 0 < port < 65536:
        raise _bad_url("the port is not between 1 and 65535")
    return parsed


def _bad_url(why: str) -> StoreUnavailable:
    return StoreUnavailable(
        f"DATABASE_URL is not a database address this app can use: {why}. Expected e.g. {EXAMPLE_URL}.",
        kind="config",
    )


def database_kind(url: str) -> str:
    """The kind of database in words a participant may see (``SQLite``, ``PostgreSQL``): no place, no name."""
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        return "DATABASE_URL"
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(backend, backend)


def describe(url: str) -> str:
    """The database in words for the server log: where it is, without a password."""
    if url.startswith("sqlite"):
        return f"the SQLite file {_sqlite_path(url)}"
    try:
        return f"the database at {make_url(url).render_as_string(hide_password=True).split('@')[-1]}"
    except (ArgumentError, ValueError):
        return "a DATABASE_URL that cannot be parsed"


def _sqlite_path(url: str) -> str:
    """The file of a SQLite URL, also in its ``file:…?mode=ro&uri=true`` form."""
    path = url.split(":///", 1)[-1]
    if path.startswith("file:"):
        path = path.removeprefix("file:").split("?", 1)[0]
    return path.split("?", 1)[0]


def make_engine(url: str) -> Engine:
    """An engine for ``url``, set up as described above; :class:`StoreUnavailable` if it cannot be."""
    parsed = _parse(url)
    kind = database_kind(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            path = _sqlite_path(url)
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                parsed,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                hide_parameters=True,
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        size = setting("WORKSHOP_POOL_SIZE", 5) or 1
        options = dict(
            pool_pre_ping=True,
            pool_size=size,
            max_overflow=2 * size,
            pool_timeout=setting("WORKSHOP_POOL_TIMEOUT", 10),
            hide_parameters=True,  # the server log gets the statement, never a name or token hash
        )
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
            options["connect_args"] = _postgres_args(parsed)
        return create_engine(parsed, **options)
    except OSError as exc:
        log.error("Workshop database %s cannot be opened: %s", describe(url), exc)
        raise StoreUnavailable(*_os_message(exc, kind)) from None
    except ImportError as exc:  # a driver that is not installed
        log.info("Workshop database %s cannot be opened: %s", describe(url), exc)
        raise _bad_url(f"no driver for {parsed.drivername!r} is installed") from None
    except (ArgumentError, ValueError) as exc:  # NoSuchModuleError is an ArgumentError: an unknown scheme
        log.info("Workshop database %s cannot be opened: %s", describe(url), exc)
        raise _bad_url(f"{parsed.drivername!r} is not a kind of database it knows") from None


def _postgres_args(url: URL) -> dict:
    """libpq's settings for every connection: the URL's own ``options`` (e.g. a search_path) kept,
    the lock and statement timeouts added, and a connection attempt bounded."""
    own = url.query.get("options", "")
    own = " ".join(own) if isinstance(own, tuple) else own
    lock = setting("WORKSHOP_LOCK_TIMEOUT_MS", 5000)
    statement = setting("WORKSHOP_STATEMENT_TIMEOUT_MS", 10000)
    options = f"{own} -c lock_timeout={lock} -c statement_timeout={statement}".strip()
    return {"options": options, "connect_timeout": CONNECT_TIMEOUT_S}


def _os_message(exc: OSError, kind: str) -> tuple[str, str]:
    if exc.errno == errno.ENOSPC:
        return MESSAGES["full"].format(db=kind), "full"
    if exc.errno == errno.EROFS:
        return MESSAGES["read_only"].format(db=kind), "read_only"
    return MESSAGES["unreachable"].format(db=kind), "unreachable"


def read_only(engine: Engine) -> Engine:
    """The same engine and pool, for transactions that only read (on SQLite: a deferred ``BEGIN``)."""
    return engine.execution_options(**{READ_ONLY: True})


def _kind(exc: SQLAlchemyError) -> str:
    """Why a database call failed: busy, reset, full, read_only, unreachable or broken."""
    if isinstance(exc, PoolTimeout):  # every pooled connection in use for pool_timeout seconds
        return "busy"
    orig = getattr(exc, "orig", None)
    state = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    words = str(orig or exc).lower()
    if state == "53100" or name == "SQLITE_FULL" or "disk is full" in words or "could not extend file" in words:
        return "full"
    if "no space left on device" in words:
        return "full"
    if state == "25006" or name.startswith("SQLITE_READONLY") or "readonly database" in words:
        return "read_only"
    if state in PG_BUSY or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in words:
        return "busy"
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:  # a connection reset: a new one may work
        return "reset"
    if state.startswith("08") or isinstance(exc, (OperationalError, InterfaceError)):  # 08: connection exception
        return "unreachable"
    return "broken"


def store_error(exc: SQLAlchemyError, url: str) -> StoreUnavailable:
    """The :class:`StoreUnavailable` a user reads for ``exc``; the full detail goes to the server log."""
    kind = _kind(exc)
    log.error("Workshop database %s failed (%s): %s", describe(url), kind, exc)
    shown = "unreachable" if kind == "reset" else kind
    reason = ""
    if shown == "broken":
        reason = _redact(str(getattr(exc, "orig", None) or exc).splitlines()[0][:200], url)
    return StoreUnavailable(MESSAGES[shown].format(db=database_kind(url), reason=reason), kind=shown)


def _redact(words: str, url: str) -> str:
    """``words`` without the database's path, host, user or password."""
    if url.startswith("sqlite"):
        secrets = [_sqlite_path(url)]
    else:
        parsed = make_url(url)
        secrets = [parsed.host, parsed.username, parsed.password, parsed.database]
    for secret in filter(None, secrets):
        words = words.replace(str(secret), "…")
    return words.rstrip(".")


def retry(action: Callable[[], T], url: str) -> T:
    """Run one transaction; retry what passes (busy, timed out, deadlocked, reset) with back-off for
    at most :data:`BUSY_RETRIES` tries and while the call has taken under :data:`RETRY_SECONDS`;
    turn any database error into :class:`StoreUnavailable`."""
    delay = 0.05
    started = time.monotonic()
    for attempt in range(BUSY_RETRIES):
        try:
            return action()
        except SQLAlchemyError as exc:
            spent = time.monotonic() - started
            if _kind(exc) in PASSING and attempt < BUSY_RETRIES - 1 and spent + delay < RETRY_SECONDS:
                log.info("Workshop database %s busy, trying again: %s", describe(url), exc)
                time.sleep(delay)
                delay *= 2
                continue
            raise store_error(exc, url) from None
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
