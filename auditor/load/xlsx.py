"""XLSX campaigns in the layout of campaign-format.md section 2.

openpyxl reads the workbook in read-only streaming mode with cached formula
values; with defusedxml installed, openpyxl parses the workbook XML through it,
so entity-expansion and external-entity tricks are refused.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

from auditor.findings import Location, Severity
from auditor.load import Loaded, Problem
from auditor.load.layout import CAMPAIGN_SHEET, LIST_SEPARATORS, LIST_SHEETS
from auditor.schema import field_kind
from auditor.sourcemap import SourceMap, pointer_of

# Uncompressed size above which a workbook is refused before openpyxl sees it.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_CELLS = 1_000_000

_SPLIT = re.compile("[" + re.escape(LIST_SEPARATORS) + "]")
_TRUE = {"true", "yes", "y", "1", "是", "是的", "对", "對", "真"}
_FALSE = {"false", "no", "n", "0", "否", "不", "假"}


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _number(text: str):
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() and "." not in text else float(value)


def coerce(value, kind: str):
    """Read a cell value as the schema's type; leave it alone when it does not fit,
    so the schema check reports it at this cell."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if kind == "list":
        if isinstance(value, str):
            return [part.strip() for part in _SPLIT.split(value) if part.strip()]
        return [_as_text(value)]
    if kind in ("number", "integer"):
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            parsed = _number(value)
            value = parsed if parsed is not None else value
        if isinstance(value, float) and value.is_integer() and kind == "integer":
            return int(value)
        return value
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(value).date().isoformat()
            except (ValueError, OverflowError, TypeError):
                return value
        return str(value).strip()
    return _as_text(value)


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _set_path(document: dict, parts: tuple[str, ...], value) -> None:
    node = document
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _precheck_zip(data: bytes) -> str | None:
    if not data.startswith(b"PK"):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return ("this is an old-style .xls workbook or a password-protected file; "
                    "save it as an Excel Workbook (.xlsx) without a password")
        return "this is not an Excel workbook (.xlsx); it may be a renamed file of another kind"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "the workbook is damaged (not a readable zip archive)"
    if total > MAX_UNCOMPRESSED_BYTES:
        return (f"the workbook unpacks to {total:,} bytes, over the {MAX_UNCOMPRESSED_BYTES:,}-byte limit; "
                "it was not opened")
    if "xl/workbook.xml" not in names:
        return "this zip archive is not an Excel workbook (no xl/workbook.xml)"
    return None


def load_xlsx(data: bytes) -> Loaded:
    loaded = Loaded(kind="xlsx", sha256="")
    loaded.sourcemap = SourceMap(kind="cells")
    refusal = _precheck_zip(data)
    if refusal:
        loaded.problems.append(Problem(refusal, Location(pointer="")))
        return loaded
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        loaded.problems.append(Problem(f"the workbook cannot be opened: {type(exc).__name__}: {exc}"[:300],
                                       Location(pointer="")))
        return loaded
    try:
        _read_workbook(workbook, loaded)
    except Exception as exc:  # a damaged sheet part surfaces only while streaming
        loaded.document = None
        loaded.problems.append(Problem(f"the workbook cannot be read: {type(exc).__name__}: {exc}"[:300],
                                       Location(pointer="")))
    finally:
        workbook.close()
    return loaded


def _rows(sheet):
    for row in sheet.iter_rows():
        cells = [c for c in row if getattr(c, "column", None) is not None]
        yield cells


def _read_workbook(workbook, loaded: Loaded) -> None:
    positions = loaded.sourcemap.positions
    by_name = {name.strip().lower(): name for name in workbook.sheetnames}
    known = {CAMPAIGN_SHEET.lower(), *(s.lower() for s in LIST_SHEETS)}
    for lower, real in sorted(by_name.items()):
        if lower not in known:
            loaded.problems.append(Problem(
                f"unknown sheet `{real}`: its content is not read (expected sheets: {CAMPAIGN_SHEET}, "
                f"{', '.join(LIST_SHEETS)})", Location(pointer="", sheet=real), Severity.MEDIUM))
    if CAMPAIGN_SHEET.lower() not in by_name:
        loaded.problems.append(Problem(
            f"the workbook has no `{CAMPAIGN_SHEET}` sheet, so it is not a campaign workbook",
            Location(pointer="", sheet=workbook.sheetnames[0] if workbook.sheetnames else None)))
        return
    document: dict = {}
    cells = 0

    sheet_name = by_name[CAMPAIGN_SHEET.lower()]
    positions[""] = (sheet_name, "A1")
    for row in _rows(workbook[sheet_name]):
        cells += len(row)
        if not row or row[0].row == 1:
            continue
        values = {c.column: c for c in row}
        field_cell = values.get(1)
        value_cell = values.get(2)
        field = field_cell.value if field_cell is not None else None
        if field is None or str(field).strip() == "":
            continue
        path = tuple(p.strip() for p in str(field).strip().split("."))
        if not all(path):
            loaded.problems.append(Problem(f"`{field}` is not a field path", Location(
                pointer="", sheet=sheet_name, cell=field_cell.coordinate), Severity.HIGH))
            continue
        value = coerce(value_cell.value if value_cell is not None else None, field_kind(path))
        coordinate = (value_cell.coordinate if value_cell is not None else f"B{field_cell.row}")
        pointer = pointer_of(path)
        if value is None:
            continue
        _set_path(document, path, value)
        positions.setdefault(pointer, (sheet_name, coordinate))
        for depth in range(1, len(path)):
            positions.setdefault(pointer_of(path[:depth]), (sheet_name, f"A{field_cell.row}"))

    for list_sheet, (path, columns) in LIST_SHEETS.items():
        real = by_name.get(list_sheet.lower())
        if real is None:
            continue
        items: list[dict] = []
        list_pointer = pointer_of(path)
        positions.setdefault(list_pointer, (real, "A1"))
        header: dict[int, str] = {}
        for row in _rows(workbook[real]):
            cells += len(row)
            if cells > MAX_CELLS:
                raise ValueError(f"more than {MAX_CELLS:,} cells; a campaign workbook is far smaller")
            if not row:
                continue
            if not header:
                for cell in row:
                    name = str(cell.value).strip() if cell.value is not None else ""
                    if not name:
                        continue
                    match = next((c for c in columns if c.lower() == name.lower()), None)
                    if match is None:
                        loaded.problems.append(Problem(
                            f"unknown column `{name}` in sheet {real}: its cells are not read "
                            f"(expected: {', '.join(columns)})",
                            Location(pointer=list_pointer, sheet=real, cell=cell.coordinate), Severity.MEDIUM))
                    else:
                        header[cell.column] = match
                if not header:
                    break
                continue
            item: dict = {}
            item_cells: dict[str, str] = {}
            for cell in row:
                column = header.get(cell.column)
                if column is None:
                    continue
                value = coerce(cell.value, field_kind(path + (column,)))
                if value is None:
                    continue
                item[column] = value
                item_cells[column] = cell.coordinate
            if not item:
                continue  # blank rows are skipped
            index = len(items)
            items.append(item)
            item_pointer = f"{list_pointer}/{index}"
            positions[item_pointer] = (real, f"A{row[0].row}")
            for column, coordinate in item_cells.items():
                positions[f"{item_pointer}/{column}"] = (real, coordinate)
        _set_path(document, path, items)

    loaded.document = document
