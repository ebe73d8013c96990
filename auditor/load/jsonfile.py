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

# Strings, structural characters, or runs of anything else (numbers, literals).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


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


class _Frame:
    __slots__ = ("is_object", "pointer", "index", "key", "expect_key", "seen")

    def __init__(self, is_object: bool, pointer: str):
        self.is_object = is_object
        self.pointer = pointer
        self.index = 0
        self.key: str | None = None
        self.expect_key = is_object
        self.seen: set[str] = set()


def _scan(text: str, on_duplicate=None) -> dict[str, tuple[int, int]]:
    newlines = [m.start() for m in re.finditer("\n", text)]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(newlines, offset)
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    positions: dict[str, tuple[int, int]] = {}
    stack: list[_Frame] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == ":":
            continue
        if token == ",":
            if stack:
                top = stack[-1]
                if top.is_object:
                    top.expect_key = True
                else:
                    top.index += 1
            continue
        if token in "}]":
            if stack:
                stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None and top.is_object and top.expect_key:
            try:
                key = json.loads(token)
            except ValueError:
                key = token.strip('"')
            top.key = str(key)
            top.expect_key = False
            pointer = top.pointer + "/" + escape_token(top.key)
            if top.key in top.seen and on_duplicate is not None:
                on_duplicate(pointer, position(match.start()))
            top.seen.add(top.key)
            positions.setdefault(pointer, position(match.start()))
            continue
        if top is None:
            pointer = ""
        elif top.is_object:
            pointer = top.pointer + "/" + escape_token(top.key or "")
        else:
            pointer = f"{top.pointer}/{top.index}"
        positions.setdefault(pointer, position(match.start()))
        if token == "{":
            stack.append(_Frame(True, pointer))
        elif token == "[":
            stack.append(_Frame(False, pointer))
    return positions


def json_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map every pointer in a JSON text to the (line, column) of its key or value."""
    return _scan(text)


def _duplicate_positions(text: str) -> list[tuple[str, tuple[int, int]]]:
    found: list[tuple[str, tuple[int, int]]] = []
    _scan(text, on_duplicate=lambda pointer, pos: found.append((pointer, pos)))
    return found or [("", (1, 1))]
