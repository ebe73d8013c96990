"""XLSX campaigns in the layout of campaign-format.md section 2.

Reading is defensive: the zip is checked (size, uncompressed size, parts)
before openpyxl sees it; openpyxl's parsers read the workbook XML through
defusedxml (no entity expansion, no external entities) and never run macros.
Campaign-sized workbooks are read by openpyxl's part parsers directly
(auditor.load.xlsx_parts); big workbooks are streamed in read-only mode. Formulas are read as their cached
values, and a formula without one is a located finding. Hidden sheets, rows
and columns are read but flagged, because their content reaches customers
while reviewers may not see it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from auditor.findings import Location, Severity
from auditor.load import Loaded, Problem
from auditor.load.choices import to_key
from auditor.load.layout import CAMPAIGN_SHEET, LIST_SEPARATORS, LIST_SHEETS, PLACEHOLDER_PREFIXES, split_label
from auditor.messages import T
from auditor.schema import field_kind
from auditor.sourcemap import SourceMap, pointer_of

PLACEHOLDER_RULE = "AUD-E007"
# A list cell holding this is an empty list (`"disclosed_in": []`), so conversion keeps it; an empty cell is no list.
EMPTY_LIST = "[]"
# Free text keeps its exact spacing and line breaks; other cells are trimmed.
FREE_TEXT = {"text", "summary", "name", "instructions", "condition"}
_SPLIT = re.compile("[" + re.escape(LIST_SEPARATORS) + "]")
_TRUE = {"true", "yes", "y", "1", "是", "是的", "对", "對", "真"}
_FALSE = {"false", "no", "n", "0", "否", "不", "假"}


@dataclass(frozen=True)
class WorkbookLimits:
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_cells: int = 1_000_000
    # Above this size the workbook is streamed (read-only mode); merged cells and hidden
    # rows can only be inspected below it.
    stream_above_bytes: int = 5 * 1024 * 1024


def _number(text: str):
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() and "." not in text else float(value)


_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xstring_unescape(text: str) -> str:
    """Undo OOXML ST_Xstring escapes (_x000D_ is a carriage return, _x005F_ an underscore)."""
    return _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def coerce(value, kind: str, free_text: bool = False):
    """Read a cell value as the schema's type; leave it alone when it does not fit,
    so the schema check reports it at this cell."""
    if value is None:
        return None
    if isinstance(value, str):
        value = xstring_unescape(value)
        if not free_text or kind != "string":
            value = value.strip()
        if value.strip() == "":
            return None
    if kind == "list":
        return _as_list(value)
    if kind in ("number", "integer"):
        return _as_number(value, integer=kind == "integer")
    if kind == "boolean":
        return _as_boolean(value)
    if kind == "date":
        return _as_date(value)
    return _as_text(value)


def _as_list(value) -> list[str]:
    """A list cell: items split on the list separators; `[]` is an empty list; any other value is one item."""
    if isinstance(value, str):
        if value == EMPTY_LIST:
            return []
        return [part.strip() for part in _SPLIT.split(value) if part.strip()]
    return [_as_text(value)]


def _as_number(value, integer: bool):
    """Numbers typed as text are read (`1,299.00`); a whole float is an int where the schema wants an integer."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        parsed = _number(value)
        value = parsed if parsed is not None else value
    if isinstance(value, float) and value.is_integer() and integer:
        return int(value)
    return value


def _as_boolean(value):
    """Yes/no in the words marketers type (English and Chinese); anything else is left for the schema."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return value


def _as_date(value):
    """An ISO date from a date cell, an Excel serial number or text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial_date(value)
    return str(value).strip()


def _excel_serial_date(value: int | float):
    from openpyxl.utils.datetime import from_excel

    if value < 1:
        return value  # a time of day (or no date Excel can show): left for the schema to report
    try:
        converted = from_excel(value)
    except (ValueError, OverflowError, TypeError):
        return value
    return converted.date().isoformat() if isinstance(converted, dt.datetime) else value


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


def _chosen(parts: tuple[str, ...], value):
    """Enumerated values as their keys, whether the cell holds the key or its translated name."""
    if isinstance(value, list):
        return [to_key(parts, v) for v in value]
    return to_key(parts, value)


def _set_path(document: dict, parts: tuple[str, ...], value) -> None:
    node = document
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _precheck_zip(data: bytes, limits: WorkbookLimits) -> tuple[str | None, zipfile.ZipFile | None]:
    """(why the file is refused, None), or (None, the opened archive) when it may be parsed."""
    if not data.startswith(b"PK"):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return ("this is an old-style .xls workbook or a password-protected file; "
                    "save it as an Excel Workbook (.xlsx) without a password"), None
        if data.lstrip()[:1] == b"<":
            return "this is an HTML or XML file renamed to .xlsx, not an Excel workbook", None
        return "this is not an Excel workbook (.xlsx); it may be a renamed file of another kind", None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "the workbook is damaged (not a readable zip archive)", None
    total = sum(info.file_size for info in infos)
    names = {info.filename for info in infos}
    refusal = None
    if total > limits.max_uncompressed_bytes:
        refusal = (f"the workbook unpacks to {total:,} bytes, over the {limits.max_uncompressed_bytes:,}-byte "
                   "limit; it was not opened")
    elif "xl/workbook.xml" not in names:
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            refusal = "the workbook is password-protected; remove the password and save it as .xlsx"
        else:
            refusal = "this zip archive is not an Excel workbook (no xl/workbook.xml)"
    if refusal:
        archive.close()
        return refusal, None
    return None, archive


def load_xlsx(data: bytes, limits: WorkbookLimits | None = None, macro_enabled: bool = False) -> Loaded:
    limits = limits or WorkbookLimits()
    loaded = Loaded(kind="xlsx", sha256="")
    loaded.sourcemap = SourceMap(kind="cells")
    refusal, archive = _precheck_zip(data, limits)
    if refusal:
        loaded.problems.append(Problem(refusal, Location(pointer="")))
        return loaded
    if macro_enabled:
        loaded.problems.append(Problem(
            "this is a macro-enabled workbook (.xlsm); its macros were not run. Save campaigns as .xlsx",
            Location(pointer=""), Severity.MEDIUM, rule="AUD-E006"))
    streaming = len(data) > limits.stream_above_bytes
    try:
        workbook = _open(data, streaming, data_only=False, archive=archive)
    except Exception as exc:  # openpyxl raises many types for damaged or hostile parts
        loaded.problems.append(Problem(_reason("the workbook cannot be opened", exc), Location(pointer="")))
        return loaded
    reader = _Reader(workbook, data, loaded, limits, streaming)
    try:
        reader.read()
    except _TooBig as exc:
        loaded.document = None
        loaded.problems.append(Problem(str(exc), Location(pointer="")))
    except Exception as exc:  # a damaged sheet part surfaces only while streaming
        loaded.document = None
        loaded.problems.append(Problem(_reason("the workbook cannot be read", exc), Location(pointer="")))
    finally:
        workbook.close()
        reader.close()
    return loaded


def _open(data: bytes, streaming: bool, data_only: bool, archive: zipfile.ZipFile | None = None):
    """openpyxl's read-only (streaming) workbook for big files; for campaign-sized ones, a workbook built
    from openpyxl's part parsers (auditor.load.xlsx_parts), which reads the same values for a third of
    the time of `openpyxl.load_workbook`."""
    if streaming:
        import openpyxl

        if archive is not None:
            archive.close()
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_vba=False,
                                      keep_links=False)
    from auditor.load.xlsx_parts import Workbook

    return Workbook(data, data_only=data_only, archive=archive)


def _reason(prefix: str, exc: Exception) -> str:
    chain: BaseException | None = exc
    seen = 0
    while chain is not None and seen < 10:  # openpyxl wraps the parser's exception
        name = type(chain).__name__
        if "Entities" in name or "DTD" in name or "ExternalReference" in name:
            return (f"{prefix}: its XML contains entity declarations or external references, which are refused "
                    "(they can expand into gigabytes or read other files)")
        chain, seen = chain.__cause__ or chain.__context__, seen + 1
    text = str(exc).split("\n")[0]
    return f"{prefix}: {type(exc).__name__}: {text}"[:300]


class _TooBig(Exception):
    pass


class _Reader:
    def __init__(self, workbook, data: bytes, loaded: Loaded, limits: WorkbookLimits, streaming: bool):
        self.workbook = workbook
        self.data = data
        self.loaded = loaded
        self.limits = limits
        self.streaming = streaming
        self.cells = 0
        self.examples: dict[str, list] = {}  # sheet -> [(cell, example, pointer)] still holding template examples
        self.filled: set[str] = set()  # sheets with at least one value of the campaign's own
        self._cached: Any = None  # the same workbook with cached formula values, opened on first formula

    def close(self) -> None:
        if self._cached is not None:
            self._cached.close()

    def problem(self, message: str | T, sheet: str, cell: str | None, severity=Severity.HIGH, rule=None,
                pointer: str = "") -> None:
        self.loaded.problems.append(Problem.of(message, Location(pointer=pointer, sheet=sheet, cell=cell), severity,
                                            rule=rule))

    def cached_value(self, sheet: str, coordinate: str):
        if self._cached is None:
            self._cached = _open(self.data, self.streaming, data_only=True)
        worksheet = self._cached[sheet]
        if self.streaming:
            from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

            letters, row = coordinate_from_string(coordinate)
            column = column_index_from_string(letters)
            for cells in worksheet.iter_rows(min_row=row, max_row=row, min_col=column, max_col=column):
                return cells[0].value
            return None
        return worksheet[coordinate].value

    def value(self, sheet_name: str, cell, merged: dict):
        """The value of a cell as a marketer means it: cached formula results, merged ranges filled in."""
        coordinate = cell.coordinate
        value = cell.value
        if value is None and coordinate in merged:
            value = merged[coordinate]
        if getattr(cell, "data_type", None) == "f":
            cached = self.cached_value(sheet_name, coordinate)
            if cached is None:
                self.problem(T("the formula in {cell} has no saved result; open the workbook in Excel, let it "
                               "calculate and save it (or type the value)", cell=f"{sheet_name}!{coordinate}"),
                             sheet_name, coordinate)
            return cached
        return value

    def rows(self, sheet):
        for row in sheet.iter_rows():
            cells = [c for c in row if getattr(c, "column", None) is not None]
            self.cells += len(cells)
            if self.cells > self.limits.max_cells:
                raise _TooBig(f"the workbook has more than {self.limits.max_cells:,} cells; a campaign workbook is "
                              "far smaller, so it was not read further")
            yield cells

    def sheet_checks(self, sheet, name: str) -> tuple[dict, set]:
        """Merged ranges (filled from their first cell) and hidden rows, when the sheet is inspectable."""
        merged: dict[str, object] = {}
        hidden_rows: set[int] = set()
        if self.streaming:
            return merged, hidden_rows
        if sheet.sheet_state != "visible":
            self.problem(T("sheet `{sheet}` is hidden: its content is part of the campaign and reaches customers, "
                           "but reviewers may not see it; unhide it", sheet=name), name, None)
        for merged_range in sheet.merged_cells.ranges:
            first = sheet.cell(merged_range.min_row, merged_range.min_col).value
            for row in range(merged_range.min_row, merged_range.max_row + 1):
                for column in range(merged_range.min_col, merged_range.max_col + 1):
                    from openpyxl.utils import get_column_letter

                    merged[f"{get_column_letter(column)}{row}"] = first
        for index, dimension in sheet.row_dimensions.items():
            if dimension.hidden:
                hidden_rows.add(index)
        for letter, dimension in sheet.column_dimensions.items():
            if dimension.hidden:
                self.problem(T("column {column} of sheet `{sheet}` is hidden: its content is read and reaches "
                               "customers, but reviewers may not see it; unhide it", column=letter, sheet=name),
                             name, f"{letter}1")
        return merged, hidden_rows

    def placeholder(self, value, sheet: str, coordinate: str, pointer: str) -> bool:
        if isinstance(value, str) and value.strip().startswith(PLACEHOLDER_PREFIXES):
            self.loaded.template = True
            self.examples.setdefault(sheet, []).append((coordinate, value.strip(), pointer))
            return True
        return False

    def report_examples(self, sheet_pointers: dict[str, str]) -> None:
        """One finding per sheet still holding nothing but the template's examples; elsewhere one per cell,
        saying what the cell holds. Their fields are then not reported as missing (Loaded.placeholders)."""
        pointers: set[str] = set()
        for sheet, examples in self.examples.items():
            pointers.update(pointer for _, _, pointer in examples)
            if sheet not in self.filled:
                first = examples[0][0]
                self.problem(T("sheet `{sheet}` still holds only the template's examples ({count} cells); replace "
                               "them with this campaign's values (delete the example rows the campaign does not "
                               "need)", sheet=sheet, count=len(examples)), sheet, first, rule=PLACEHOLDER_RULE,
                             pointer=sheet_pointers.get(sheet, ""))
                continue
            for coordinate, example, pointer in examples:
                shown = example if len(example) <= 60 else example[:59] + "…"
                self.problem(T("{cell} still holds the example `{example}`; replace it", cell=coordinate,
                               example=shown), sheet, coordinate, rule=PLACEHOLDER_RULE, pointer=pointer)
        self.loaded.placeholders = frozenset(pointers)

    def read(self) -> None:
        workbook, loaded = self.workbook, self.loaded
        loaded.sheets = tuple(workbook.sheetnames)
        by_name = self.sheets_by_name()
        if CAMPAIGN_SHEET.lower() not in by_name:
            self.loaded.problems.append(Problem.of(
                T("the workbook has no `{sheet}` sheet, so it is not a campaign workbook", sheet=CAMPAIGN_SHEET),
                Location(pointer="", sheet=workbook.sheetnames[0] if workbook.sheetnames else None)))
            return
        document: dict = {}
        name = by_name[CAMPAIGN_SHEET.lower()]
        self.read_campaign(workbook[name], name, document)
        sheet_pointers = {name: ""}
        for list_sheet, (path, columns) in LIST_SHEETS.items():
            real = by_name.get(list_sheet.lower())
            if real is None:
                continue
            sheet_pointers[real] = pointer_of(path)
            self.read_list(workbook[real], real, path, columns, document)
        self.report_examples(sheet_pointers)
        loaded.document = document

    def sheets_by_name(self) -> dict[str, str]:
        """Lower-case sheet name -> the sheet's real name; sheets the layout does not know are reported."""
        by_name: dict[str, str] = {}
        for real in self.workbook.sheetnames:  # `Fees`, or `费用（Fees）` in a labelled template
            by_name.setdefault(split_label(real).lower(), real)
        known = {CAMPAIGN_SHEET.lower(), *(s.lower() for s in LIST_SHEETS)}
        for lower, real in sorted(by_name.items()):
            if lower not in known:
                self.problem(T("unknown sheet `{sheet}`: its content is not read (expected sheets: {expected})",
                               sheet=real, expected=", ".join((CAMPAIGN_SHEET, *LIST_SHEETS))), real, None,
                             Severity.MEDIUM)
        return by_name

    def read_campaign(self, sheet, name: str, document: dict) -> None:
        """The Campaign sheet: one `field path | value` row per field, after a header row."""
        merged, hidden_rows = self.sheet_checks(sheet, name)
        self.loaded.sourcemap.positions[""] = (name, "A1")
        for row in self.rows(sheet):
            if not row or row[0].row == 1:
                continue
            self.read_field_row(row, name, merged, hidden_rows, document)

    def read_field_row(self, row: list, name: str, merged: dict, hidden_rows: set, document: dict) -> None:
        cells = {c.column: c for c in row}
        field_cell, value_cell = cells.get(1), cells.get(2)
        if field_cell is None:
            return
        field = self.value(name, field_cell, merged)
        if field is None or str(field).strip() == "":
            return
        path = tuple(p.strip() for p in split_label(str(field)).split("."))
        row_index = field_cell.row
        if not all(path):
            self.problem(T("`{field}` is not a field path", field=field), name, field_cell.coordinate)
            return
        coordinate = value_cell.coordinate if value_cell is not None else f"B{row_index}"
        pointer = pointer_of(path)
        # Even an empty row locates its field, so "missing field" findings point at it.
        self.locate_field(path, name, coordinate, row_index)
        raw = self.value(name, value_cell, merged) if value_cell is not None else None
        if self.placeholder(raw, name, coordinate, pointer):
            return
        value = _chosen(path, coerce(raw, field_kind(path), free_text=path[-1] in FREE_TEXT))
        if value is None:
            return
        if path != ("format",):
            self.filled.add(name)
        if row_index in hidden_rows:
            self.problem(T("row {row} of sheet `{sheet}` ({field}) is hidden; unhide it so reviewers see "
                           "what the campaign says", row=row_index, sheet=name, field=field), name,
                         f"A{row_index}", pointer=pointer)
        _set_path(document, path, value)

    def locate_field(self, path: tuple[str, ...], name: str, coordinate: str, row_index: int) -> None:
        """A field at its value cell; the objects above it at the row's field cell (the first row naming them)."""
        positions = self.loaded.sourcemap.positions
        positions.setdefault(pointer_of(path), (name, coordinate))
        for depth in range(1, len(path)):
            positions.setdefault(pointer_of(path[:depth]), (name, f"A{row_index}"))

    def read_list(self, sheet, name: str, path: tuple[str, ...], columns, document: dict) -> None:
        positions = self.loaded.sourcemap.positions
        merged, hidden_rows = self.sheet_checks(sheet, name)
        items: list[dict] = []
        list_pointer = pointer_of(path)
        positions.setdefault(list_pointer, (name, "A1"))
        header: dict[int, str] = {}
        for row in self.rows(sheet):
            if not row:
                continue
            if not header:
                header = self.list_header(row, name, columns, merged, list_pointer)
                if not header:
                    return
                continue
            item_pointer = f"{list_pointer}/{len(items)}"
            item, item_cells = self.list_item(row, header, name, path, merged, item_pointer)
            if not item:
                continue  # blank (or example-only) rows are skipped
            row_index = row[0].row
            if row_index in hidden_rows:
                self.problem(T("row {row} of sheet `{sheet}` is hidden, but its content is part of the campaign "
                               "and reaches customers; unhide it", row=row_index, sheet=name), name, f"A{row_index}",
                             pointer=item_pointer)
            items.append(item)
            positions[item_pointer] = (name, f"A{row_index}")
            for column, coordinate in item_cells.items():
                positions[f"{item_pointer}/{column}"] = (name, coordinate)
        _set_path(document, path, items)

    def list_header(self, row: list, name: str, columns, merged: dict, list_pointer: str) -> dict[int, str]:
        """Column number -> field, from a list sheet's first row; `x-` columns are kept, unknown ones reported."""
        header: dict[int, str] = {}
        for cell in row:
            title = split_label(str(self.value(name, cell, merged))) if cell.value is not None else ""
            if not title:
                continue
            match = next((c for c in columns if c.lower() == title.lower()), None)
            if match is None and title.startswith("x-"):
                match = title
            if match is None:
                self.problem(T("unknown column `{column}` in sheet {sheet}: its cells are not read "
                               "(expected: {expected})", column=title, sheet=name,
                               expected=", ".join(columns)), name, cell.coordinate, Severity.MEDIUM,
                             pointer=list_pointer)
            else:
                header[cell.column] = match
        return header

    def list_item(self, row: list, header: dict[int, str], name: str, path: tuple[str, ...], merged: dict,
                  item_pointer: str) -> tuple[dict, dict[str, str]]:
        """(the item's fields, field -> cell) of one row of a list sheet; empty when the row holds nothing."""
        item: dict = {}
        item_cells: dict[str, str] = {}
        for cell in row:
            column = header.get(cell.column)
            if column is None:
                continue
            raw = self.value(name, cell, merged)
            if self.placeholder(raw, name, cell.coordinate, f"{item_pointer}/{column}"):
                continue
            value = _chosen(path + (column,), coerce(raw, field_kind(path + (column,)),
                                                     free_text=column in FREE_TEXT))
            if value is None:
                continue
            self.filled.add(name)
            item[column] = value
            item_cells[column] = cell.coordinate
        return item, item_cells
