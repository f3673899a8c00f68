"""Limits on a scenario file, checked before it is parsed or validated, so that any input of an
accepted size is refused in milliseconds.

Without them one file of at most 1 MB could stall the server or print a traceback: 450,000
funding rounds ``[1, 1, …]`` cost seconds and half a gigabyte in validation (one error per
item), ``[[[[…`` ends in a RecursionError, a 5,000-digit number in a ValueError, and a pipe or
``/dev/zero`` in a read that never ends. Every reader of scenario files goes through here:
:func:`read_file` for a path (the command line, :func:`scoring.scenario.load_scenario`) and
:func:`decode_json` for the text (the app's upload, :func:`scoring.scenario.parse_scenario_json`).

Each refusal is a one-line :class:`~scoring.errors.ScenarioError` whose ``kind`` and
``context`` the app words in its language (``invalid.<kind>`` in ``data/i18n.yaml``). The
limits are far above what a valid scenario holds: it nests four levels (scenario → finance →
funding → a round), its longest number has 17 digits (the largest amount, 1e16), its longest
text 120 characters (the name), its largest object the factors (31 today), its only list the
funding rounds (at most one a month), and it holds at most 127 objects and lists.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np

from scoring.errors import ScenarioError

__all__ = [
    "MAX_CONTAINERS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_KEYS",
    "MAX_SCENARIO_BYTES",
    "MAX_TEXT",
    "decode_json",
    "read_file",
]

MAX_SCENARIO_BYTES = 1_000_000
MAX_DEPTH = 20  # levels of nested objects and lists
MAX_DIGITS = 50  # digits in a row in one number (its integer part, fraction or exponent)
MAX_TEXT = 1_000  # characters in one text or key
MAX_KEYS = 200  # entries in one object
# Objects {…} and lists […] in the file: a valid scenario holds at most 127 (7 + a round each).
# Each costs an allocation that the garbage collector then tracks: 330,000 empty lists take
# json.loads alone most of a second.
MAX_CONTAINERS = 1_000

# A JSON string, escapes included. It never fails once it has started (an unclosed string runs to
# the end), so a scan is one pass whatever the input: no retry from a quote inside a string.
_STRING = re.compile(rb'"[^"\\]*+(?:\\(?:.|\Z)[^"\\]*+)*+(?:"|\Z)', re.DOTALL)
# Digits as "0", anything else as " ": a number too long is then one fast substring search.
_DIGITS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_TOO_MANY_DIGITS = b"0" * (MAX_DIGITS + 1)
_DIGIT_RUN = re.compile(rb"0+")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # as int8: +1 opens a level, -1 closes one


def _too_large(source: str) -> ScenarioError:
    kb = MAX_SCENARIO_BYTES // 1000
    return ScenarioError("", f"the file is larger than {kb} kB", source, kind="file_too_large", context={"kb": kb})


def read_file(path: str | Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_SCENARIO_BYTES`.

    Opened without blocking (a pipe with no writer would wait forever) and checked before a byte
    is read: a folder, a device (``/dev/zero``), a pipe or a socket is refused, as is a file
    larger than the limit; at most one byte more than the limit is ever read.
    """
    source = str(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ScenarioError("", "no such file", source) from None
    except IsADirectoryError:
        raise ScenarioError("", "is a folder, not a scenario file", source) from None
    except OSError as exc:
        raise ScenarioError("", f"cannot read the file ({exc.strerror or exc})", source) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError("", "is a folder, not a scenario file", source)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError("", "is not a regular file (a device, a pipe or a socket), not a scenario file", source)
        if info.st_size > MAX_SCENARIO_BYTES:
            raise _too_large(source)
        with os.fdopen(handle, "rb", closefd=False) as file:  # one byte more: a file that grew since
            raw = file.read(MAX_SCENARIO_BYTES + 1)
    except OSError as exc:
        raise ScenarioError("", f"cannot read the file ({exc.strerror or exc})", source) from None
    finally:
        os.close(handle)
    if len(raw) > MAX_SCENARIO_BYTES:
        raise _too_large(source)
    return raw


def _long_number(raw: bytes) -> int:
    """The digits of the first number in ``raw`` longer than :data:`MAX_DIGITS` digits, or 0."""
    digits = raw.translate(_DIGITS)
    found = digits.find(_TOO_MANY_DIGITS)
    return 0 if found < 0 else _DIGIT_RUN.match(digits, found).end() - found


def _scan(raw: bytes, source: str) -> None:
    """Refuse numbers longer than :data:`MAX_DIGITS` digits, nesting deeper than :data:`MAX_DEPTH`
    and more than :data:`MAX_CONTAINERS` objects and lists, from the raw bytes (brackets, quotes and digits are
    ASCII, never part of a multi-byte UTF-8 character). A file with few brackets and no long run
    of digits costs two counts, a translation and a substring search."""
    opens = raw.count(b"{") + raw.count(b"[")
    deep, crowded = opens > MAX_DEPTH, opens > MAX_CONTAINERS
    if not deep and not _long_number(raw):
        return
    bare = _STRING.sub(b'""', raw)  # what a string holds is neither structure nor a number
    digits = _long_number(bare)
    if digits:
        raise ScenarioError(
            "",
            f"a number has {digits:,} digits; at most {MAX_DIGITS}",
            source,
            kind="number_too_long",
            context={"digits": digits, "max": MAX_DIGITS},
        )
    if deep:
        steps = np.frombuffer(bare.translate(_STEPS, _NOT_BRACKETS), dtype=np.int8)
        if steps.size and int(steps.cumsum(dtype=np.int64).max()) > MAX_DEPTH:
            raise ScenarioError(
                "",
                f"the file nests deeper than {MAX_DEPTH} levels",
                source,
                kind="too_deep",
                context={"max": MAX_DEPTH},
            )
    if crowded and (containers := bare.count(b"{") + bare.count(b"[")) > MAX_CONTAINERS:
        raise ScenarioError(
            "",
            f"the file holds {containers:,} objects {{…}} and lists […]; at most {MAX_CONTAINERS:,}",
            source,
            kind="too_many_containers",
            context={"count": containers, "max": MAX_CONTAINERS},
        )


def _check_sizes(value: Any, path: str, max_items: int, source: str) -> None:
    """Refuse a text, an object or a list larger than its limit, naming where it is."""
    subject = "" if path else "the file "
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ScenarioError(
                path,
                f"{subject}is {len(value):,} characters long; at most {MAX_TEXT:,}",
                source,
                kind="text_too_long",
                context={"length": len(value), "max": MAX_TEXT},
            )
    elif isinstance(value, dict):
        if len(value) > MAX_KEYS:
            raise ScenarioError(
                path,
                f"{subject}has {len(value):,} entries; at most {MAX_KEYS}",
                source,
                kind="too_many_keys",
                context={"count": len(value), "max": MAX_KEYS},
            )
        for key, item in value.items():
            if len(key) > MAX_TEXT:
                raise ScenarioError(
                    path,
                    f"{subject}has a key of {len(key):,} characters; at most {MAX_TEXT:,}",
                    source,
                    kind="key_too_long",
                    context={"length": len(key), "max": MAX_TEXT},
                )
            if isinstance(item, (str, dict, list)):
                _check_sizes(item, f"{path}.{key}" if path else key, max_items, source)
    elif isinstance(value, list):
        if len(value) > max_items:
            raise ScenarioError(
                path,
                f"{subject}has {len(value):,} entries; at most {max_items}",
                source,
                kind="too_many_items",
                context={"count": len(value), "max": max_items},
            )
        for position, item in enumerate(value):
            if isinstance(item, (str, dict, list)):  # a number, true, false or null has no size
                _check_sizes(item, f"{path}[{position}]", max_items, source)


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            shown = key if len(key) <= 40 else key[:39] + "…"
            raise ScenarioError(
                "", f"the key {shown!r} appears twice in one object", kind="duplicate_key", context={"key": shown}
            )
        seen[key] = value
    return seen


def decode_json(text: str | bytes, source: str = "", *, max_items: int) -> Any:
    """The JSON value of ``text`` (UTF-8 bytes or a string), once every limit holds: its size,
    nesting, numbers, texts, and ``max_items`` entries in a list (funding rounds, at most one a
    month of the longest horizon)."""
    if len(text) > MAX_SCENARIO_BYTES:
        raise _too_large(source)
    if isinstance(text, bytes):
        raw = text
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError("", "the file is not UTF-8 text", source, kind="not_utf8") from None
    else:
        raw = text.encode("utf-8", "surrogatepass")
    _scan(raw, source)
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "",
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            source,
            kind="not_json",
            context={"reason": exc.msg, "line": exc.lineno, "column": exc.colno},
        ) from None
    except ScenarioError as exc:
        raise ScenarioError(exc.field, exc.message, source, exc.kind, exc.context) from None
    _check_sizes(data, "", max_items, source)
    return data
