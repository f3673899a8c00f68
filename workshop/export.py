"""A room's answers as CSV: one row per participant per round, safe to open in a spreadsheet.

Two forms, one writer:

* the machine form (``lang=None``, what :meth:`WorkshopStore.export_csv` returns): one header row of
  ids — ``room, round, participant, submitted_at``, then each rated factor's id;
* the spreadsheet form (``lang="en"`` or ``"zh"``, what the facilitator downloads): a UTF-8 byte
  order mark (so Excel reads 李明 as 李明, not as mojibake), a first header row of names in that
  language (the four fixed columns as ``labels`` gives them, each factor by its catalogue name), a
  second header row of the same ids as the machine form (so a script can find a column whatever the
  language), then the answers.

Either way a display name that a spreadsheet would run as a formula is written with a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from scoring import load_catalogue
from workshop.records import Answer, Room

__all__ = ["BOM", "FIXED_COLUMNS", "answers_csv"]

FORMULA_STARTS = "=+-@\t\r"  # a cell starting with one of these a spreadsheet would run as a formula
FIXED_COLUMNS = ("room", "round", "participant", "submitted_at")
BOM = "\ufeff"


def answers_csv(
    room: Room, answers: Iterable[Answer], lang: str | None = None, labels: Mapping[str, str] | None = None
) -> str:
    """The answers as CSV text: the machine form when ``lang`` is None, else the spreadsheet form
    (BOM, a names row in ``lang`` with the fixed columns named by ``labels``, then the ids row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    ids = [*FIXED_COLUMNS, *room.factor_ids]
    if lang is not None:
        out.write(BOM)
        factors = load_catalogue().factors
        names = [(labels or {}).get(column, column) for column in FIXED_COLUMNS]
        writer.writerow([*names, *(factors[f].name.get(lang) for f in room.factor_ids)])
    writer.writerow(ids)
    for answer in answers:
        values = [f"{answer.factors[f]:g}" for f in room.factor_ids]
        name = answer.participant
        if name[:1] in FORMULA_STARTS:
            name = "'" + name
        writer.writerow([room.code, answer.round, name, answer.submitted_at.isoformat(), *values])
    return out.getvalue()
