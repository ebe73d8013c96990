"""Markdown-style tables inside material text ("| Modèle | Valeur de reprise | ... |"): which column a position
is in, and that column's header. Operators paste price grids and trade-in tables into adverts and terms; what an
amount in a cell means is said once, in the header above it."""

from __future__ import annotations


def _is_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 3


def _separator(line: str) -> bool:
    """The "|---|---|" line under a header."""
    return set(line.strip()) <= set("|-: ")


def _cell_index(line: str, at: int) -> int:
    """The index of the cell (after the leading bar) holding offset `at` of the line."""
    return line[:at].count("|") - 1


def column_header(text: str, at: int) -> str | None:
    """The header of the table column holding position `at`: the first row of the block of table rows around it.
    None when `at` is not in a table row, or is in the header row itself."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if not _is_row(line):
        return None
    index = _cell_index(line, at - line_start)
    header_start = line_start
    while header_start > 0:
        previous_start = text.rfind("\n", 0, header_start - 1) + 1
        previous = text[previous_start:header_start - 1]
        if not _is_row(previous):
            break
        header_start = previous_start
    if header_start == line_start:
        return None
    header_end = text.find("\n", header_start)
    header = text[header_start:header_end]
    if _separator(header):
        return None
    cells = header.split("|")[1:]
    return cells[index].strip() if 0 <= index < len(cells) else None
