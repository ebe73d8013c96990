"""JSON campaigns: parsed by the standard library, positions found on demand.

A clean file costs one `json.loads`. Line numbers are found only for the
pointers that findings name, by walking down the text with the `json`
module's own C scanner, which steps over every sibling value at C speed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from auditor.findings import Location
from auditor.load import Loaded, Problem
from auditor.load.text import decode_utf8
from auditor.sourcemap import SourceMap, escape_token

# A string (group 1), with the colon that makes it a key (group 2), or a structural character (group 3).
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|([{}\[\],])')


class _DuplicateKeys(Exception):
    pass


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number; write a real number or null")


def _pairs(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        # Reported with its position after the parse; the last value is
        # never silently used, because the document is rejected.
        raise _DuplicateKeys()
    return obj


# One decoder for every file (json.loads with options would build a new one per call).
_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_reject_constant)


def load_json(data: bytes) -> Loaded:
    text, problems = decode_utf8(data)
    loaded = Loaded(kind="json", sha256="", problems=problems)
    if text is None:
        return loaded
    if not text.strip():
        loaded.problems.append(Problem("the file is empty", Location(pointer="", line=1, column=1)))
        return loaded
    try:
        document = _DECODER.decode(text)
    except _DuplicateKeys:
        for pointer, (line, column) in _duplicate_positions(text):
            loaded.problems.append(Problem(
                f"the key `{pointer.rsplit('/', 1)[-1]}` appears twice in the same object; keep one",
                Location(pointer=pointer, line=line, column=column)))
        return loaded
    except json.JSONDecodeError as exc:
        hint = " (the file may be cut short)" if exc.pos >= len(text.rstrip()) else ""
        loaded.problems.append(Problem(
            f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{hint}",
            Location(pointer="", line=exc.lineno, column=exc.colno)))
        return loaded
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        reason = str(exc)
        if "digits" in reason:
            reason = "a number has thousands of digits; amounts and counts are short numbers"
        loaded.problems.append(Problem(f"the file is not valid JSON: {reason}", Location(pointer="", line=1, column=1)))
        return loaded
    except RecursionError:
        loaded.problems.append(Problem("the file nests objects or lists too deeply to be a campaign",
                                       Location(pointer="", line=1, column=1)))
        return loaded
    escape = _LONE_SURROGATE_ESCAPE.search(text)
    if escape is not None:
        # "\ud800" alone is valid JSON syntax but no character: nothing can show or store the text (UTF-8 has no
        # encoding for it), so the file is refused where the escape stands, as a file that is not UTF-8 is
        lone = _lone_surrogate(document)
        if lone is not None:
            line, column = _line_and_column(text, escape.start())
            loaded.problems.append(Problem(
                f"the text at {lone or '/'} holds a lone surrogate escape ({escape.group()}), which is no character; "
                f"write the character itself or a complete pair",
                Location(pointer=lone, line=line, column=column)))
            return loaded
    loaded.document = document
    loaded.text_length = len(text)
    # The locator answers `get` (all a SourceMap asks of its positions) on demand, like the dict it stands for.
    loaded.sourcemap = SourceMap(builder=lambda: cast("dict[str, tuple]", json_positions(text)))
    return loaded


# A high surrogate escape not followed by a low one, or a low one not after a high one.
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                                    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any, pointer: str = "") -> str | None:
    """The pointer of the first string (or key) holding an unpaired surrogate, or None."""
    if isinstance(value, str):
        return pointer if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{pointer}/{escape_token(key)}"
            if _SURROGATE.search(key):
                return here
            found = _lone_surrogate(item, here)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _lone_surrogate(item, f"{pointer}/{i}")
            if found is not None:
                return found
    return None


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_WHITESPACE = re.compile(r"[ \t\n\r]*")
# (value, end) of the JSON value starting at an offset: the decoder's C scanner, `scan_once` (an instance
# attribute typeshed does not declare). At a string's opening quote: (the string unescaped, the offset after it).
_scan_value: Callable[[str, int], tuple[Any, int]] = vars(json.JSONDecoder())["scan_once"]


def _skip(text: str, position: int) -> int:
    """The offset of the first character at or after `position` that is not JSON whitespace."""
    match = _WHITESPACE.match(text, position)
    return match.end() if match is not None else position


class _Locator:
    """pointer -> (line, column) of its key (object members) or its value (list items), on demand.

    Each container on the way to a requested pointer is indexed once: its members' key and value
    offsets, found by skipping every value with the C scanner. The text is known to be valid JSON
    (it has been parsed), so the walk needs no error handling.
    """

    def __init__(self, text: str):
        self._text = text
        self._root = _skip(text, 0)
        self._members: dict[str, dict[str, tuple[int, int]]] = {}

    def _index(self, start: int) -> dict[str, tuple[int, int]]:
        """token -> (offset to report, offset of the value) for the container starting at `start`."""
        text, skip = self._text, _skip
        members: dict[str, tuple[int, int]] = {}
        opening = text[start]
        if opening not in "{[":
            return members
        position = skip(text, start + 1)
        if text[position] in "}]":
            return members
        index = 0
        while True:
            if opening == "{":
                key, after_key = _scan_value(text, position)
                value = skip(text, skip(text, after_key) + 1)  # past the colon
                members.setdefault(_escape(key), (position, value))
            else:
                value = position
                members[str(index)] = (value, value)
                index += 1
            position = skip(text, _scan_value(text, value)[1])
            if text[position] != ",":
                return members
            position = skip(text, position + 1)

    def offset(self, pointer: str) -> int | None:
        if not pointer:
            return self._root
        report, start, container = None, self._root, ""
        for token in pointer.split("/")[1:]:
            members = self._members.get(container)
            if members is None:
                members = self._members[container] = self._index(start)
            found = members.get(token)
            if found is None:
                return None
            report, start = found
            container = f"{container}/{token}"
        return report

    def position(self, offset: int) -> tuple[int, int]:
        line_start = self._text.rfind("\n", 0, offset) + 1
        return self._text.count("\n", 0, offset) + 1, offset - line_start + 1

    # the mapping interface SourceMap uses
    def get(self, pointer, default=None):
        offset = self.offset(pointer)
        return default if offset is None else self.position(offset)

    def __contains__(self, pointer) -> bool:
        return self.offset(pointer) is not None

    def __getitem__(self, pointer):
        offset = self.offset(pointer)
        if offset is None:
            raise KeyError(pointer)
        return self.position(offset)


def _escape(token: str) -> str:
    return escape_token(token) if ("~" in token or "/" in token) else token


@dataclass
class _Frame:
    """An open object or list met by `_scan`."""

    is_object: bool
    pointer: str
    index: int = 0  # lists: the item being read
    last_key: str | None = None  # objects: pointer of the last key read
    keys: set[str] = field(default_factory=set)  # objects: keys read so far


def _scan(text: str, on_duplicate: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """pointer -> character offset of its key (members) or value (list items), for the duplicate-key report.

    One regular expression finds strings (a string followed by `:` is a key)
    and structural characters; numbers and literals are skipped, so a scalar
    list item is located by its list. It tolerates what `json.loads` rejected
    (duplicate keys), which the `_Locator` walk cannot.
    """
    positions: dict[str, int] = {}
    stack: list[_Frame] = []
    for match in _TOKEN.finditer(text):
        punct = match.group(3)
        top = stack[-1] if stack else None
        if punct is None:
            pointer = _string_pointer(match, top, on_duplicate)
            if pointer is not None:
                positions.setdefault(pointer, match.start())
        elif punct == ",":
            if top is not None and not top.is_object:
                top.index += 1
        elif punct in "}]":
            if stack:
                stack.pop()
        else:
            pointer = _opened_pointer(top)
            positions.setdefault(pointer, match.start())
            stack.append(_Frame(punct == "{", pointer))
    return positions


def _string_pointer(match: re.Match[str], top: _Frame | None,
                    on_duplicate: Callable[[str, int], None] | None) -> str | None:
    """The pointer a string token stands at: a key of an object, or an item of a list (None elsewhere)."""
    if top is None:
        return None
    if match.group(2) is not None and top.is_object:
        key = _key(match.group(1))
        pointer = top.pointer + "/" + _escape(key)
        top.last_key = pointer
        if on_duplicate is not None:
            if key in top.keys:
                on_duplicate(pointer, match.start())
            top.keys.add(key)
        return pointer
    if not top.is_object:
        return f"{top.pointer}/{top.index}"
    return None


def _key(raw: str) -> str:
    """A key as written between its quotes, with its escapes undone when they are valid."""
    if "\\" not in raw:
        return raw
    try:
        return str(json.loads('"' + raw + '"'))
    except ValueError:
        return raw


def _opened_pointer(top: _Frame | None) -> str:
    """The pointer of an object or list opening inside `top` (the root when there is none)."""
    if top is None:
        return ""
    if top.is_object:
        return top.last_key or top.pointer
    return f"{top.pointer}/{top.index}"


def json_positions(text: str) -> _Locator:
    """Map pointers of a (valid) JSON text to the (line, column) of their key or value, on demand."""
    return _Locator(text)


def _duplicate_positions(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Duplicate keys (which `json.loads` cannot report with a place) by a token scan of the whole text."""
    found: list[tuple[str, int]] = []
    _scan(text, on_duplicate=lambda pointer, offset: found.append((pointer, offset)))
    locator = _Locator(text)
    return [(pointer, locator.position(offset)) for pointer, offset in found] or [("", (1, 1))]
