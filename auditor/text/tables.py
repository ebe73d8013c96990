"""Markdown-style tables inside material text ("| Modèle | Valeur de reprise | ... |"): which column a position
is in, and that column's header. Operators paste price grids and trade-in tables into adverts and terms; what an
amount in a cell means is said once, in the header above it."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache


def _is_row(line: str, bars: int = 3) -> bool:
    """A table row: it starts with a bar and has `bars` bars at least (a tile's "A | B | C" is not one)."""
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= bars


def _separator(line: str) -> bool:
    """The "|---|---|" line under a header."""
    return set(line.strip()) <= set("|-: ")


@lru_cache(maxsize=64)
def _tables(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, int, int, tuple[str, ...]], ...]]:
    """The starts of the blocks of table rows, and each block: (start of its first body row, end of its last row,
    end of its header row, the header's cells), in text order. Found once per text (a long grid has an amount in every row), cached for the
    campaign at hand."""
    blocks = []
    header: tuple[int, int, tuple[str, ...]] | None = None  # (start, end, cells) of the block's first row
    last_end = 0
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        if _is_row(line):
            if header is None:
                cells = tuple(cell.strip() for cell in line.split("|")[1:])
                header = (position, end, cells if not _separator(line) else ())
            last_end = end
        elif header is not None:
            blocks.append((header[1] + 1, last_end, header[1], header[2]))
            header = None
        position = end + 1
    if header is not None:
        blocks.append((header[1] + 1, last_end, header[1], header[2]))
    return tuple(block[0] for block in blocks), tuple(blocks)


def column_header(text: str, at: int) -> str | None:
    """The header of the table column holding position `at`: the first row of the block of table rows around it.
    None when `at` is not in a table row, or is in the header row itself."""
    starts, blocks = _tables(text)
    index = bisect_right(starts, at) - 1
    if index < 0:
        return None
    start, end, _header_end, cells = blocks[index]
    if not start <= at <= end or not cells:
        return None
    line_start = text.rfind("\n", 0, at) + 1
    column = text[line_start:at].count("|") - 1
    return cells[column] if 0 <= column < len(cells) else None


def other_cells(text: str, at: int, bars: int) -> list[str]:
    """The cells of the markdown table row holding position `at`, but the one it is in; none when its line is no
    row of `bars` bars at least."""
    line_start, line_end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if not _is_row(line, bars):
        return []
    at -= line_start
    cells, offset = [], 0
    for cell in line.split("|"):
        if not offset <= at < offset + len(cell):
            cells.append(cell)
        offset += len(cell) + 1
    return cells
