"""User-interface strings in English and Simplified Chinese, from ``data/i18n.yaml``.

Domain names (factors, risks, mitigations, axes) come from the catalogue's own bilingual
data; this module holds everything else a page, a chart, a report or the command line shows.
Pure Python (no Streamlit). An unknown key raises ``KeyError`` so a typo fails the tests.
"""

from __future__ import annotations

import functools

import yaml

from scoring.catalogue import DATA_DIR, LANGUAGES
from scoring.errors import DataError

__all__ = ["LANGUAGE_NAMES", "language_name", "strings", "text"]

LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
I18N_FILE = DATA_DIR / "i18n.yaml"


def language_name(code: str) -> str:
    """A language's own name. A plain function, so a widget's identity is stable across reruns
    (a bound method such as ``dict.get`` is a new object every run and resets the widget)."""
    return LANGUAGE_NAMES[code]


@functools.cache
def strings() -> dict[str, dict[str, str]]:
    """Every UI string by key, checked to exist in every language."""
    try:
        raw = yaml.safe_load(I18N_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError("i18n.yaml", "", str(exc)) from None
    table = raw.get("strings") if isinstance(raw, dict) else None
    if not isinstance(table, dict):
        raise DataError("i18n.yaml", "strings", "must be a mapping of key -> {en, zh}")
    for key, entry in table.items():
        if not isinstance(entry, dict) or any(
            not isinstance(entry.get(lang), str) or not entry[lang] for lang in LANGUAGES
        ):
            raise DataError("i18n.yaml", f"strings.{key}", f"needs non-empty text for {', '.join(LANGUAGES)}")
    return table


def text(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    template = strings()[key][lang]
    return template.format(**values) if values else template
