"""The order of a workbook's findings: by sheet (as the workbook orders them), then row, then column.

A marketer works down the sheet; findings listed in that order can be fixed one after the other. Findings
of JSON and YAML sources keep the core order (severity, rule, pointer), and so does every source when the
findings are grouped by rule (`auditor check --order rule`).
"""

from __future__ import annotations

import re

ORDERS = ("sheet", "rule")
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def cell_position(cell: str | None) -> tuple[int, int]:
    """(row, column) of `B12` (12, 2); a finding about a whole sheet comes first (0, 0)."""
    match = _CELL.match(cell or "")
    if not match:
        return 0, 0
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def sort_workbook(findings: list, sheets: tuple[str, ...] = ()) -> list:
    """`findings` in workbook order. `sheets` are the workbook's sheet names in its own order; findings about
    the whole workbook come first, findings on sheets not listed after the listed ones (by name)."""
    index = {name: i for i, name in enumerate(sheets)}

    def key(finding):
        sheet = finding.location.sheet
        if sheet is None:
            place = (0, 0, "")
        else:
            place = (1, index.get(sheet, len(index)), "" if sheet in index else sheet)
        return (*place, *cell_position(finding.location.cell), *finding.sort_key())

    return sorted(findings, key=key)
