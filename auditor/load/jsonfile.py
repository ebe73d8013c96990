"""JSON campaigns: parsed by the standard library, positions found on demand.

A clean file costs one `json.loads`. Line numbers are found only for the
pointers that findings name, by walking down the text with the `json`
module's own C scanner, which steps over every sibling value at C speed.
"""

from __future__ import annotations

import json
import re

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
    loaded.document = document
    loaded.text_length = len(text)
    loaded.sourcemap = SourceMap(builder=lambda: json_positions(text))
    return loaded


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_scan_value = json.JSONDecoder().scan_once  # (value, end) of the JSON value starting at an offset


class _Locator:
    """pointer -> (line, column) of its key (object members) or its value (list items), on demand.

    Each container on the way to a requested pointer is indexed once: its members' key and value
    offsets, found by skipping every value with the C scanner. The text is known to be valid JSON
    (it has been parsed), so the walk needs no error handling.
    """

    def __init__(self, text: str):
        self._text = text
        self._root = _WHITESPACE.match(text).end()
        self._members: dict[str, dict[str, tuple[int, int]]] = {}

    def _index(self, start: int) -> dict[str, tuple[int, int]]:
        """token -> (offset to report, offset of the value) for the container starting at `start`."""
        text, skip = self._text, _WHITESPACE.match
        members: dict[str, tuple[int, int]] = {}
        opening = text[start]
        if opening not in "{[":
            return members
        position = skip(text, start + 1).end()
        if text[position] in "}]":
            return members
        index = 0
        while True:
            if opening == "{":
                key, after_key = json.decoder.scanstring(text, position + 1)
                value = skip(text, skip(text, after_key).end() + 1).end()  # past the colon
                members.setdefault(_escape(key), (position, value))
            else:
                value = position
                members[str(index)] = (value, value)
                index += 1
            position = skip(text, _scan_value(text, value)[1]).end()
            if text[position] != ",":
                return members
            position = skip(text, position + 1).end()

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


def _scan(text: str, on_duplicate=None) -> dict[str, int]:
    """pointer -> character offset of its key (members) or value (list items), for the duplicate-key report.

    One regular expression finds strings (a string followed by `:` is a key)
    and structural characters; numbers and literals are skipped, so a scalar
    list item is located by its list. It tolerates what `json.loads` rejected
    (duplicate keys), which the `_Locator` walk cannot.
    """
    positions: dict[str, int] = {}
    # frames: [is_object, pointer, index (lists), pointer of the last key (objects), keys seen]
    stack: list[list] = []
    for match in _TOKEN.finditer(text):
        punct = match.group(3)
        if punct is None:
            top = stack[-1] if stack else None
            if match.group(2) is not None and top is not None and top[0]:
                raw = match.group(1)
                if "\\" in raw:
                    try:
                        key = str(json.loads('"' + raw + '"'))
                    except ValueError:
                        key = raw
                else:
                    key = raw
                pointer = top[1] + "/" + _escape(key)
                top[3] = pointer
                if on_duplicate is not None:
                    if key in top[4]:
                        on_duplicate(pointer, match.start())
                    top[4].add(key)
                if pointer not in positions:
                    positions[pointer] = match.start()
            elif top is not None and not top[0]:
                pointer = f"{top[1]}/{top[2]}"
                if pointer not in positions:
                    positions[pointer] = match.start()
            continue
        if punct == ",":
            if stack and not stack[-1][0]:
                stack[-1][2] += 1
            continue
        if punct in "}]":
            if stack:
                stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is None:
            pointer = ""
        elif top[0]:
            pointer = top[3] or top[1]
        else:
            pointer = f"{top[1]}/{top[2]}"
        if pointer not in positions:
            positions[pointer] = match.start()
        stack.append([punct == "{", pointer, 0, None, set()])
    return positions


def json_positions(text: str) -> _Locator:
    """Map pointers of a (valid) JSON text to the (line, column) of their key or value, on demand."""
    return _Locator(text)


def _duplicate_positions(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Duplicate keys (which `json.loads` cannot report with a place) by a token scan of the whole text."""
    found: list[tuple[str, int]] = []
    _scan(text, on_duplicate=lambda pointer, offset: found.append((pointer, offset)))
    locator = _Locator(text)
    return [(pointer, locator.position(offset)) for pointer, offset in found] or [("", (1, 1))]
