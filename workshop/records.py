"""What the workshop store accepts and hands out: its errors, rooms, participants and answers, the
rules for room codes and display names, and who a client is (:class:`Client`, and its address
behind a trusted proxy: :func:`client_address`). No database here."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring import Scenario

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_NAME_CHARS",
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
    "clean_name",
    "client_address",
    "normalise_code",
    "trusted_proxy",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud from a projector
CODE_LENGTH = 8  # 32^8 = 2^40 codes
MAX_NAME_CHARS = 40


class WorkshopError(Exception):
    """A problem the user can act on; the message is written for them."""


class StoreUnavailable(WorkshopError):
    """The database cannot serve the call. ``kind`` says why — ``busy``, ``unreachable``, ``full``,
    ``read_only``, ``broken``, ``config`` (a bad setting such as DATABASE_URL) or ``schema`` — so a
    page can say it in the user's language (data/i18n.yaml: ``store.full``, ``store.read_only``...)."""

    def __init__(self, message: str, kind: str = "unreachable") -> None:
        super().__init__(message)
        self.kind = kind


class RoomNotFound(WorkshopError):
    pass


class Forbidden(WorkshopError):
    pass


class TooManyAttempts(RoomNotFound):
    """A wrong code or key from a client past its limit. A kind of :class:`RoomNotFound`, said in the
    same words: the refusal tells a guesser nothing a wrong code would not."""


class Throttled(WorkshopError):
    """Too many joins or new rooms just now; ``limit`` names which: "room" (joins into this room),
    "browser" (joins into this room from this browser) or "create" (new rooms from this client)."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


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


@dataclass(frozen=True)
class Participant:
    """One participant as the facilitator sees them (the name is text, never markup)."""

    participant_id: int
    name: str
    joined_at: dt.datetime
    answered: bool  # has an answer in the room's current round


@dataclass(frozen=True)
class Client:
    """Who is asking, for the rate limits: this browser (a random id its cookie keeps) and the network
    address it comes from (:func:`client_address`; "unknown" shares one bucket)."""

    browser: str
    address: str = "unknown"

    @property
    def browser_key(self) -> str:
        return f"browser:{self.browser}"[:128]

    @property
    def address_key(self) -> str:
        return f"address:{self.address}"[:128]


TRUSTED_PROXY_HEADER = "WORKSHOP_TRUSTED_PROXY_HEADER"  # e.g. X-Forwarded-For, set by your own proxy
TRUSTED_PROXY_HOPS = "WORKSHOP_TRUSTED_PROXY_HOPS"  # how many proxies of yours append to it (default 1)


def trusted_proxy(environ: Mapping[str, str] = os.environ) -> tuple[str, int] | None:
    """(header, hops) when a trusted proxy is configured, else None: the peer address is the client."""
    header = environ.get(TRUSTED_PROXY_HEADER, "").strip()
    if not header:
        return None
    try:
        hops = int(environ.get(TRUSTED_PROXY_HOPS, "1"))
    except ValueError:
        hops = 1
    return header, max(hops, 1)


def client_address(peer: str | None, forwarded: Sequence[str] = (), hops: int = 0) -> str:
    """The client's address for the rate limits. With ``hops`` trusted proxies, the ``hops``-th entry
    from the right of the forwarded header (``forwarded``: its values, each a comma-separated list;
    the entries left of it are whatever the client sent, so never trusted); without, or when the
    header is missing, ``peer``. An IPv6 address counts as its /64 (one household or phone has a
    whole /64 to pick from); anything unreadable is "unknown", one shared bucket."""
    entries = [entry.strip() for value in forwarded for entry in value.split(",") if entry.strip()]
    found = entries[max(len(entries) - hops, 0)] if hops and entries else peer
    if not found:
        return "unknown"
    found = found.strip().strip('"')
    if found.count(":") == 1:  # IPv4 with a port
        found = found.split(":")[0]
    try:
        address = ipaddress.ip_address(found.removeprefix("[").split("]")[0])
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def normalise_code(code: str) -> str:
    """What a participant types, as the stored code: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[: CODE_LENGTH * 2]


def clean_name(name: str) -> str:
    """A display name: trimmed, control characters removed, at most ``MAX_NAME_CHARS``."""
    kept = "".join(ch for ch in str(name) if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:MAX_NAME_CHARS]
