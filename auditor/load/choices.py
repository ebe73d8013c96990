"""Enumerated fields chosen by name in the marketer's language.

A zh-CN / zh-TW template offers `恢复标准资费` in the drop-down of `end_of_term.behavior`, not
`revert_to_standard`. Reading accepts the key, the translated name (either catalogue), and both written
together (`恢复标准资费（revert_to_standard）`), so conversion stays lossless and workbooks written with keys
still read. A value that is none of these is left alone for the schema to report at its cell.
"""

from __future__ import annotations

from functools import cache

from auditor.load.layout import split_label
from auditor.vocabulary import TRANSLATED_LANGUAGES

TRANSLATED = TRANSLATED_LANGUAGES


@cache
def choices(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """The allowed values of an enumerated field (of each item, for a list of values), or None."""
    from auditor.schema import _resolve, _subschema_at

    node = _subschema_at(parts) or {}
    if node.get("type") == "array":
        node = _resolve(node.get("items")) or {}
    if "enum" in node:
        return tuple(str(v) for v in node["enum"])
    return None


@cache
def _names(parts: tuple[str, ...]) -> dict[str, str]:
    from auditor.i18n import gettext_for

    options = choices(parts) or ()
    names: dict[str, str] = {}
    for language in TRANSLATED:
        gettext = gettext_for(language)
        for value in options:
            name = gettext(value).strip()
            if name and name != value:
                names.setdefault(name.casefold(), value)
    return names


def to_key(parts: tuple[str, ...], value):
    """The enumeration key a cell value stands for (the value itself when it is not a known name)."""
    options = choices(parts)
    if not options or not isinstance(value, str) or value in options:
        return value
    key = split_label(value)
    if key in options:
        return key
    return _names(parts).get(value.strip().casefold(), value)
