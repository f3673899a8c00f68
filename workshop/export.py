"""A room's answers as CSV: one row per participant per round, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from workshop.records import Answer, Room

__all__ = ["answers_csv"]

FORMULA_STARTS = "=+-@\t\r"  # a cell starting with one of these a spreadsheet would run as a formula


def answers_csv(room: Room, answers: Iterable[Answer]) -> str:
    """Columns room, round, participant, submitted_at, then each of the room's factors."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["room", "round", "participant", "submitted_at", *room.factor_ids])
    for answer in answers:
        values = [f"{answer.factors[f]:g}" for f in room.factor_ids]
        name = answer.participant
        if name[:1] in FORMULA_STARTS:
            name = "'" + name
        writer.writerow([room.code, answer.round, name, answer.submitted_at.isoformat(), *values])
    return out.getvalue()
