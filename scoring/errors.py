"""Exceptions the scoring package raises instead of returning sentinel values."""

from __future__ import annotations

__all__ = ["DataError", "ScenarioError"]


class ScenarioError(ValueError):
    """A scenario (file, dict, URL or form input) is not valid.

    ``field`` is the dotted path of the offending field (``finance.cash``,
    ``factors.market.demand``), or ``""`` when the whole input is at fault (a missing file,
    malformed JSON). ``str(error)`` is one line a user can act on. ``kind`` and ``context``
    (the validator's error type and its limits, e.g. ``"greater_than_equal"``, ``{"ge": 0}``)
    let a user interface word the message in its own language; a file refused by its limits
    (:mod:`scoring.limits`) has a kind of its own (``"too_deep"``, ``"too_many_items"``, …).
    """

    def __init__(self, field: str, message: str, source: str = "", kind: str = "", context: dict | None = None) -> None:
        self.field = field
        self.message = message
        self.source = source
        self.kind = kind
        self.context = context or {}
        prefix = f"{source}: " if source else ""
        located = f"{field}: {message}" if field else message
        super().__init__(prefix + located)


class DataError(RuntimeError):
    """A file under ``data/`` is broken; raised at load time, naming the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        located = f"{field}: {message}" if field else message
        super().__init__(f"{file}: {located}")
