"""A lost facilitator console, recovered on the server: ``python -m workshop.recover CODE [--url URL]``.

The console's key lives only in the browsers that opened the console (a cookie) and, as a SHA-256
hash, in the database, so a key no browser keeps cannot be read back. Whoever runs the server (and
so reaches its database: ``DATA_DIR`` or ``DATABASE_URL`` as for the app) issues a new one: this
prints the room's new console link, and the old key stops working. The room, its participants and
its answers stay. No page can do this.

Exit status: 0 with the link on stdout; 1 with the reason on stderr (no such room, the database
busy or unreachable); 2 when a setting is wrong (``DATABASE_URL`` or a ``WORKSHOP_*`` variable:
fix it and run again), in one line that never echoes a password.
"""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import quote

from workshop.queries import open_store, reissue_facilitator_key
from workshop.records import StoreUnavailable, WorkshopError, normalise_code

__all__ = ["main"]

PROG = "python -m workshop.recover"
DEFAULT_URL = "http://localhost:8501"


def main(argv: list[str] | None = None) -> int:
    """Issue a new key for the room and print its console link; 0, else 1 or 2 (a wrong setting)
    with the reason on stderr."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Issue a new facilitator key for a workshop room and print its console link."
    )
    parser.add_argument("code", help="the room's code, as on the projector (spaces and case do not matter)")
    parser.add_argument(
        "--url",
        default=os.environ.get("WORKSHOP_PUBLIC_URL") or DEFAULT_URL,
        help=f"the app's address (default: $WORKSHOP_PUBLIC_URL, else {DEFAULT_URL})",
    )
    args = parser.parse_args(argv)
    code = normalise_code(args.code)
    try:
        key = reissue_facilitator_key(open_store(), code)
    except WorkshopError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2 if isinstance(error, StoreUnavailable) and error.kind == "config" else 1
    print(f"{args.url.rstrip('/')}/workshop?room={code}&key={quote(key)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
