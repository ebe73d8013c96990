"""Map JSON pointers to positions in the source file (line, or sheet and cell)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from auditor.findings import Location


def escape_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(parts) -> str:
    """RFC 6901 pointer from path parts: ('fees', 0, 'amount') -> '/fees/0/amount'."""
    return "".join("/" + escape_token(p) for p in parts)


def parent_pointer(pointer: str) -> str | None:
    if not pointer:
        return None
    return pointer.rsplit("/", 1)[0]


@dataclass
class SourceMap:
    """Positions by pointer; a pointer with no entry falls back to its nearest ancestor.

    `lines` may be filled lazily (JSON computes line numbers only when a
    finding needs them), hence the optional `builder`.
    """

    positions: dict[str, tuple] = field(default_factory=dict)
    builder: Callable[[], dict[str, tuple]] | None = None
    kind: str = "lines"  # "lines": (line, column); "cells": (sheet, cell)

    def _ensure(self) -> None:
        if self.builder is not None:
            built = self.builder()
            self.builder = None
            if self.positions:
                self.positions.update(built)
            else:
                self.positions = built  # may compute positions lazily (JSON)

    def locate(self, pointer: str) -> Location:
        self._ensure()
        probe: str | None = pointer
        while probe is not None:
            pos = self.positions.get(probe)
            if pos is not None:
                if self.kind == "cells":
                    sheet, cell = pos
                    return Location(pointer=pointer, sheet=sheet, cell=cell)
                line, column = pos
                return Location(pointer=pointer, line=line, column=column)
            probe = parent_pointer(probe)
        return Location(pointer=pointer)


# TOML (auditor.toml, pyproject.toml): tomllib keeps no positions, so the lines of tables and keys are read from
# the text. Enough for messages: `[a.b]` and `[[a]]` headers, `key = ...` and `dotted.key = ...` lines; a key
# inside an inline table or a list is located at its parent's line (SourceMap falls back to the ancestor).
_TOML_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
# compiled on first use (re's own cache), as below: only a run with a TOML configuration file reads one
_TOML_PATH = rf"\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*"


def _toml_keys(text: str) -> list[str]:
    return [p[1:-1] if p[:1] in "\"'" else p for p in re.findall(_TOML_KEY, text)]


def toml_positions(text: str) -> dict[str, tuple[int, int]]:
    """pointer -> (line, column) of every table header and key line of a TOML document."""
    positions: dict[str, tuple[int, int]] = {}
    table: list = []
    arrays: dict[str, int] = {}
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if in_string or stripped.startswith("#") or not stripped:
            in_string ^= line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1
            continue
        header = re.match(r"\[\[?(.*?)\]\]?\s*(#.*)?$", stripped)
        if header and not stripped.startswith("[["):
            table = _toml_keys(header.group(1))
        elif header:
            table = _toml_keys(header.group(1))
            name = pointer_of(table)
            arrays[name] = arrays.get(name, -1) + 1
            table = table + [arrays[name]]
        else:
            key = re.match(_TOML_PATH, line.split("=", 1)[0]) if "=" in line else None
            if key is None or key.end() != len(line.split("=", 1)[0]):
                continue
            positions.setdefault(pointer_of(table + _toml_keys(key.group(1))), (number, key.start(1) + 1))
            in_string = line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1
            continue
        positions.setdefault(pointer_of(table), (number, 1))
    return positions
