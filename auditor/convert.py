"""Write a campaign document in the spreadsheet layout (and JSON/YAML).

The reverse direction is the workbook loader; together they make
`auditor convert` lossless for campaign/v1 documents.
"""

from __future__ import annotations

import io
import json

from auditor.load.layout import CAMPAIGN_SHEET, LIST_SHEETS

_LIST_PATHS = {path: sheet for sheet, (path, _) in LIST_SHEETS.items()}


class ConvertError(Exception):
    pass


def _scalar_rows(node, prefix: tuple[str, ...], rows: list) -> None:
    for key, value in node.items():
        path = prefix + (key,)
        if path in _LIST_PATHS:
            continue
        if isinstance(value, dict):
            _scalar_rows(value, path, rows)
        elif isinstance(value, list):
            if any(isinstance(v, (dict, list)) for v in value):
                raise ConvertError(f"`{'.'.join(path)}` is a list of objects, which has no sheet in the layout")
            rows.append((".".join(path), _list_text(value)))
        else:
            rows.append((".".join(path), value))


def _list_text(values: list) -> str:
    """A list of strings as one cell: comma-separated, and `[]` for an empty list (an empty cell is no list)."""
    from auditor.load.xlsx import EMPTY_LIST

    return ", ".join(_text(v) for v in values) if values else EMPTY_LIST


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _get(document: dict, path: tuple[str, ...]):
    node: object = document
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def xstring_escape(text: str) -> str:
    """OOXML ST_Xstring escaping: a carriage return would be lost in the XML, so it is written as _x000D_
    (and a literal "_x" as "_x005F_x"), exactly as Excel does; the loader reverses it."""
    if "_x" not in text and "\r" not in text:
        return text
    return text.replace("_x", "_x005F_x").replace("\r", "_x000D_")


def _put(cell, value) -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    if isinstance(value, list):
        value = _list_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        value = str(value)  # Excel keeps 15 significant digits; a longer number survives as text
    elif isinstance(value, float) and float(f"{value:.15g}") != value:
        value = repr(value)  # likewise for a float with more digits than Excel keeps
    if isinstance(value, str):
        value = xstring_escape(value)
    try:
        cell.value = value
    except IllegalCharacterError as exc:
        raise ConvertError(f"{cell.parent.title}!{cell.coordinate}: the text holds control characters that a "
                           "workbook cannot store") from exc
    if isinstance(value, str):
        # Never let campaign text become a formula (=, +, -, @ would otherwise be evaluated by Excel).
        cell.data_type = "s"


def to_workbook(document: dict):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = CAMPAIGN_SHEET
    sheet.append(["field", "value"])
    rows: list = []
    _scalar_rows(document, (), rows)
    for field, value in rows:
        row = sheet.max_row + 1
        _put(sheet.cell(row=row, column=1), field)
        _put(sheet.cell(row=row, column=2), value)
    for name, (path, columns) in LIST_SHEETS.items():
        items = _get(document, path)
        if items is not None:
            _list_sheet(workbook, name, path, columns, items)
    return workbook


def _columns_used(path, columns, items) -> list[str]:
    """The layout's columns that the items use (all of them when none is used); ConvertError for a field the
    layout has no column for."""
    if not isinstance(items, list):
        raise ConvertError(f"`{'.'.join(path)}` should be a list")
    used = [c for c in columns if any(isinstance(i, dict) and c in i for i in items)] or list(columns)
    extra = sorted({k for i in items if isinstance(i, dict) for k in i} - set(columns))
    if extra:
        raise ConvertError(f"`{'.'.join(path)}` items have fields the layout has no column for: {', '.join(extra)}")
    return used


def _list_sheet(workbook, name: str, path, columns, items) -> None:
    """One sheet for a list of the campaign: a column per field its items use, a row per item."""
    used = _columns_used(path, columns, items)
    list_sheet = workbook.create_sheet(name)
    for index, column in enumerate(used, start=1):
        _put(list_sheet.cell(row=1, column=index), column)
    for r, item in enumerate(items, start=2):
        for c, column in enumerate(used, start=1):
            if isinstance(item, dict) and column in item:
                _put(list_sheet.cell(row=r, column=c), item[column])


def xlsx_bytes(document: dict) -> bytes:
    buffer = io.BytesIO()
    to_workbook(document).save(buffer)
    return buffer.getvalue()


def json_bytes(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def yaml_bytes(document: dict) -> bytes:
    import yaml

    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")
