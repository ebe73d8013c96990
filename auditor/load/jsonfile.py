"""JSON campaigns: parsed by the standard library, positions found on demand.

Line numbers are computed by a token scan only when a finding needs one, so a
clean file costs one `json.loads`.
"""

from __future__ import annotations

import bisect
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
    obj = {}
    for key, value in pairs:
        if key in obj:
            # Reported with its position after the parse; the last value is
            # never silently used, because the document is rejected.
            raise _DuplicateKeys(key)
        obj[key] = value
    return obj


def load_json(data: bytes) -> Loaded:
    text, problems = decode_utf8(data)
    loaded = Loaded(kind="json", sha256="", problems=problems)
    if text is None:
        return loaded
    if not text.strip():
        loaded.problems.append(Problem("the file is empty", Location(pointer="", line=1, column=1)))
        return loaded
    try:
        document = json.loads(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
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
    loaded.sourcemap = SourceMap(builder=lambda: json_positions(text))
    return loaded


class _Positions(dict):
    """pointer -> (line, column), computed from the character offset only when asked for."""

    def __init__(self, text: str, offsets: dict[str, int]):
        super().__init__()
        self._text = text
        self._offsets = offsets
        self._newlines: list[int] | None = None

    def _position(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def get(self, pointer, default=None):
        offset = self._offsets.get(pointer)
        return default if offset is None else self._position(offset)

    def __contains__(self, pointer) -> bool:
        return pointer in self._offsets

    def __getitem__(self, pointer):
        return self._position(self._offsets[pointer])


def _escape(token: str) -> str:
    return escape_token(token) if ("~" in token or "/" in token) else token


def _scan(text: str, on_duplicate=None) -> dict[str, int]:
    """pointer -> character offset of its key (members) or value (list items).

    One regular expression finds strings (a string followed by `:` is a key)
    and structural characters; numbers and literals are skipped, so a scalar
    list item is located by its list. Runs in a few hundred microseconds for
    a typical campaign, and only for files that have findings.
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


def json_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map every pointer in a JSON text to the (line, column) of its key or value (computed lazily)."""
    return _Positions(text, _scan(text))


def _duplicate_positions(text: str) -> list[tuple[str, tuple[int, int]]]:
    found: list[tuple[str, int]] = []
    _scan(text, on_duplicate=lambda pointer, offset: found.append((pointer, offset)))
    positions = _Positions(text, dict(found))
    return [(pointer, positions._position(offset)) for pointer, offset in found] or [("", (1, 1))]
