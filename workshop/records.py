"""What the workshop store accepts and hands out: its errors, rooms and answers, and the rules for
room codes and display names. No database here."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from scoring import Scenario

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_NAME_CHARS",
    "Answer",
    "Forbidden",
    "Room",
    "RoomNotFound",
    "StoreUnavailable",
    "TooManyAttempts",
    "WorkshopError",
    "clean_name",
    "normalise_code",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud from a projector
CODE_LENGTH = 8  # 32^8 = 2^40 codes
MAX_NAME_CHARS = 40


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


def normalise_code(code: str) -> str:
    """What a participant types, as the stored code: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[: CODE_LENGTH * 2]


def clean_name(name: str) -> str:
    """A display name: trimmed, control characters removed, at most ``MAX_NAME_CHARS``."""
    kept = "".join(ch for ch in str(name) if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:MAX_NAME_CHARS]
