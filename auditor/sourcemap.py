"""Map JSON pointers to positions in the source file (line, or sheet and cell)."""

from __future__ import annotations

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
