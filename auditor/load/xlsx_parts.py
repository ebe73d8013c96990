"""A lightweight workbook for reading campaign workbooks, built from openpyxl's own part parsers.

`openpyxl.load_workbook` builds a whole editable workbook: a stylesheet
object, and for every sheet a worksheet with page setup, header and footer,
views and a cell object per cell. The auditor only reads values, so for the
small workbooks campaigns are this module runs openpyxl's sheet parser
(`WorkSheetParser`, the one its read-only mode streams with) and its shared
string reader over the parts directly. Values, types, dates and formulas come
out exactly as openpyxl reads them, at about a third of the cost. XML goes
through defusedxml, as it does inside openpyxl.

It offers the small part of openpyxl's interface that `auditor.load.xlsx`
uses: `sheetnames`, `wb[name]`, and per sheet `sheet_state`, `iter_rows()`,
`cell(row, column)`, `merged_cells.ranges`, `row_dimensions` and
`column_dimensions` (with `.hidden`).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

_MAIN = "{" + SHEET_MAIN_NS + "}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    value: object
    data_type: str

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class _Hidden:
    hidden: bool


@dataclass(frozen=True)
class _Range:
    min_col: int
    min_row: int
    max_col: int
    max_row: int


@dataclass
class _Merged:
    ranges: list = field(default_factory=list)


class Sheet:
    def __init__(self, title: str, state: str, cells: list[Cell], parser: WorkSheetParser):
        self.title = title
        self.sheet_state = state
        self._by_position = {(c.row, c.column): c for c in cells}
        merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
        self.merged_cells = _Merged([_Range(*range_boundaries(m.ref)) for m in merged if m.ref])
        # keyed and valued as openpyxl's RowDimension / ColumnDimension (a column range by its first letter)
        self.row_dimensions = {int(index): _Hidden(_true(attrs.get("hidden")))
                               for index, attrs in parser.row_dimensions.items()}
        self.column_dimensions = {letter: _Hidden(_true(attrs.get("hidden")))
                                  for letter, attrs in parser.column_dimensions.items()}

    def iter_rows(self):
        """Rows of the rectangle spanned by every cell and merged range, empty cells included: what
        openpyxl's `Worksheet.iter_rows()` yields for a loaded sheet."""
        positions = set(self._by_position)
        for area in self.merged_cells.ranges:
            positions.add((area.min_row, area.min_col))
            positions.add((area.max_row, area.max_col))
        if not positions:
            return
        rows = [r for r, _ in positions]
        columns = [c for _, c in positions]
        for row in range(min(rows), max(rows) + 1):
            yield tuple(self.cell(row, column) for column in range(min(columns), max(columns) + 1))

    def cell(self, row: int, column: int) -> Cell:
        return self._by_position.get((row, column)) or Cell(row, column, None, "n")

    def __getitem__(self, coordinate: str) -> Cell:
        return self.cell(*coordinate_to_tuple(coordinate))


def _true(value) -> bool:
    return str(value).strip().lower() in ("1", "true")


class Workbook:
    """The sheets of a workbook (values as openpyxl reads them)."""

    def __init__(self, data: bytes, data_only: bool = False, archive: zipfile.ZipFile | None = None):
        self._archive = archive or zipfile.ZipFile(io.BytesIO(data))
        self._data_only = data_only
        names = set(self._archive.namelist())
        root = fromstring(self._archive.read("xl/workbook.xml"))
        properties = root.find(f"{_MAIN}workbookPr")
        self._epoch = CALENDAR_MAC_1904 if properties is not None and _true(properties.get("date1904")) \
            else WINDOWS_EPOCH
        targets = {}  # relationship id -> part
        by_type: dict[str, str] = {}  # relationship type (its last segment: sharedStrings, styles, ...) -> part
        if "xl/_rels/workbook.xml.rels" in names:
            for rel in fromstring(self._archive.read("xl/_rels/workbook.xml.rels")):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                targets[rel.get("Id")] = path
                by_type.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], path)
        self._sheets: dict[str, tuple[str, str]] = {}  # name -> (part, state)
        self.sheetnames: list[str] = []
        sheets = root.find(f"{_MAIN}sheets")
        for element in sheets if sheets is not None else []:
            name = element.get("name")
            part = targets.get(element.get(f"{_REL}id"))
            if name is None or part not in names:
                continue
            self.sheetnames.append(name)
            self._sheets[name] = (part, element.get("state") or "visible")
        # the parts are found through the workbook's relationships: producers name them differently
        strings = by_type.get("sharedStrings", "xl/sharedStrings.xml")
        self._strings = read_string_table(self._archive.open(strings)) if strings in names else []
        self._date_formats, self._timedelta_formats = self._number_formats(names, by_type.get("styles",
                                                                                           "xl/styles.xml"))
        # every sheet now, as load_workbook does: a damaged or hostile part fails the opening
        self._parsed = {name: self._parse(name, *where) for name, where in self._sheets.items()}

    def _number_formats(self, names: set[str], part: str) -> tuple[set[int], set[int]]:
        """Style indices whose number format shows a date or a duration (so their numbers are dates)."""
        dates: set[int] = set()
        durations: set[int] = set()
        if part not in names:
            return dates, durations
        root = fromstring(self._archive.read(part))
        custom = {}
        formats = root.find(f"{_MAIN}numFmts")
        for element in formats if formats is not None else []:
            try:
                custom[int(element.get("numFmtId"))] = element.get("formatCode") or ""
            except (TypeError, ValueError):
                continue
        xfs = root.find(f"{_MAIN}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else []):
            try:
                number = int(xf.get("numFmtId", 0))
            except ValueError:
                continue
            code = custom.get(number, BUILTIN_FORMATS.get(number, "General"))
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations

    def _parse(self, name: str, part: str, state: str) -> Sheet:
        with self._archive.open(part) as source:
            parser = WorkSheetParser(source, self._strings, data_only=self._data_only, epoch=self._epoch,
                                     date_formats=self._date_formats, timedelta_formats=self._timedelta_formats)
            cells = [Cell(c["row"], c["column"], c["value"], c["data_type"])
                     for _, row in parser.parse() for c in row]
        return Sheet(name, state, cells, parser)

    def __getitem__(self, name: str) -> Sheet:
        return self._parsed[name]

    def close(self) -> None:
        self._archive.close()
