"""A room's answers as CSV: one row per participant per round, safe to open in a spreadsheet.

Two forms, one writer:

* the machine form (``lang=None``, what :meth:`WorkshopStore.export_csv` returns): one header row of
  ids — ``room, round, participant, submitted_at``, then each rated factor's id;
* the spreadsheet form (``lang="en"`` or ``"zh"``, what the facilitator downloads): a UTF-8 byte
  order mark (so Excel reads 李明 as 李明, not as mojibake), a first header row of names in that
  language (the four fixed columns as ``labels`` gives them, each factor by its catalogue name), a
  second header row of the same ids as the machine form (so a script can find a column whatever the
  language), then the answers.

Either way no cell can run as a formula in a spreadsheet (:func:`defuse`): a cell whose text, after
NFKC normalisation (so a full-width ``＝`` counts as ``=``), starts with ``= + - @`` (or a tab or
carriage return), or holds one of them after a separator — ``,`` ``;`` tab ``|``, with spaces
between or not — gets a leading ``'``; a plain number such as ``-1.5`` is left as it is. Every cell
is quoted too, so a spreadsheet whose locale splits on ``;`` (or tab, or ``|``) still reads
``x;=cmd|…`` as one cell that starts with ``x``, not as a cell ``=cmd|…``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping

from scoring import load_catalogue
from workshop.records import Answer, Room

__all__ = ["BOM", "FIXED_COLUMNS", "answers_csv", "defuse"]

FORMULA_STARTS = "=+-@\t\r"  # a cell starting with one of these a spreadsheet would run as a formula
FIXED_COLUMNS = ("room", "round", "participant", "submitted_at")
BOM = "\ufeff"
INNER_FORMULA = re.compile(r"[,;\t|] *[=+\-@]")  # a separator, then (after spaces) a formula's first sign
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def defuse(cell: str) -> str:
    """``cell`` as a spreadsheet shows it but never runs it: a leading ``'`` when its NFKC form starts
    like a formula or holds a separator followed by a formula's first sign; numbers as they are."""
    folded = unicodedata.normalize("NFKC", cell)
    if NUMBER.fullmatch(folded):
        return cell
    if folded[:1] in FORMULA_STARTS or INNER_FORMULA.search(folded):
        return "'" + cell
    return cell


def answers_csv(
    room: Room, answers: Iterable[Answer], lang: str | None = None, labels: Mapping[str, str] | None = None
) -> str:
    """The answers as CSV text: the machine form when ``lang`` is None, else the spreadsheet form
    (BOM, a names row in ``lang`` with the fixed columns named by ``labels``, then the ids row)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    ids = [*FIXED_COLUMNS, *room.factor_ids]
    if lang is not None:
        out.write(BOM)
        factors = load_catalogue().factors
        names = [(labels or {}).get(column, column) for column in FIXED_COLUMNS]
        writer.writerow([defuse(name) for name in (*names, *(factors[f].name.get(lang) for f in room.factor_ids))])
    writer.writerow(ids)
    for answer in answers:
        values = [f"{answer.factors[f]:g}" for f in room.factor_ids]
        row = [room.code, str(answer.round), answer.participant, answer.submitted_at.isoformat(), *values]
        writer.writerow([defuse(cell) for cell in row])
    return out.getvalue()
