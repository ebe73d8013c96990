"""`auditor template`: a workbook to start a campaign in, in the spreadsheet layout.

Every sheet and column of campaign-format.md section 2, a note on each header, drop-downs for every
single-choice field, an input message listing the allowed values of every multi-value (comma-separated) cell,
date formats, frozen headers, an A4 print setup fitting each sheet's columns to the page width, and worked
example rows. Example values start with "e.g." (例：) so that auditing the untouched template reports only what
is left to fill in. In zh-CN and zh-TW every sheet, header and field carries its label in that language beside
its key (`费用（Fees）`), and choices are offered by their translated names (auditor.load.choices reads them back).
"""

from __future__ import annotations

import io

from auditor.load.choices import choices
from auditor.load.layout import (
    CAMPAIGN_FIELDS,
    CAMPAIGN_SHEET,
    FIELD_LABELS,
    FIELD_NOTES,
    HEADER_LABELS,
    LIST_SHEETS,
    NOTE_PREFIX,
    SHEET_LABELS,
    labelled,
)
from auditor.schema import field_kind

HEADER_FILL = "DDEBF7"


def _example(lang: str) -> dict:
    from auditor.examples import base

    # One row per sheet, so the example has a single material that says everything; a template
    # filled in with its own examples is a compliant campaign.
    if lang == "en":
        document = base("uk")
        document["id"] = "UK-2027-001"
        condition = "New customers only (no Northwind contract in the last 12 months)"
        # the intro price lasts the whole contract, so the one reminder row is due before both ends
        document["offer"]["term"] = {"months": 12}
        document["materials"] = [{"id": "web", "kind": "terms", "channel": "web", "text": (
            "Contract summary: 30GB SIM-only for £8/month for your first 12 months, then £12/month. 12-month contract; "
            "leaving early "
            f"costs £24. {condition}. The monthly data allowance is valid for 1 month and does not roll over. "
            "Offer open 1 March to 31 March 2026. Cancel any time online or in the app.")}]
        document["offer"]["eligibility"] = [{"condition": condition, "disclosed_in": ["web"]}]
        document["validity_limits"] = [{"subject": "allowance", "months": 1, "disclosed_in": ["web"]}]
        document["fees"][0]["disclosed_in"] = ["web"]
        return document
    document = base("cn")
    document["id"] = "CN-2027-001"
    condition = "须为本地新入网用户"
    document["materials"] = [{"id": "ad", "kind": "terms", "channel": "web", "text": (
        f"10GB流量包，前12个月仅需5元/月，第13个月起恢复标准资费10元/月。{condition}。每月流量当月有效30天，不结转。"
        "活动时间2026年3月1日至3月31日。到期前30天和7天短信提醒。可随时登录APP或发送QXLL到10086取消。")}]
    document["offer"]["eligibility"] = [{"condition": condition, "disclosed_in": ["ad"]}]
    document["validity_limits"] = [{"subject": "allowance", "days": 30, "disclosed_in": ["ad"]}]
    document["fees"][0]["disclosed_in"] = ["ad"]
    if lang == "zh-TW":
        import opencc

        converter = opencc.OpenCC("s2twp")

        def convert(value):
            if isinstance(value, str):
                return converter.convert(value)
            if isinstance(value, list):
                return [convert(v) for v in value]
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            return value

        document = convert(document)
        document.update({"id": "TW-2027-001", "jurisdiction": "TW", "language": "zh-TW", "currency": "TWD", "operator": "示範電信",
                         "operator_aliases": ["示範"]})
    return document


def _get(document: dict, dotted: str):
    node: object = document
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _shown(value, parts: tuple[str, ...], gettext, lang: str):
    """A value as the template shows it: lists comma-separated, choices and booleans by their names."""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if lang == "en" else ("是" if value else "否")
    if isinstance(value, list):
        return ", ".join(str(_shown(v, parts, gettext, lang)) for v in value)
    if choices(parts) and isinstance(value, str):
        return gettext(value)
    return value


def _placeholder(value, parts: tuple[str, ...], prefix: str, gettext, lang: str):
    if value is None:
        return None
    return f"{prefix}{_shown(value, parts, gettext, lang)}"


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a CJK character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit_rows(sheet, min_row: int = 1) -> None:
    """Row heights that show every line of wrapped cells (LibreOffice prints a row at its stored height)."""
    import math

    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    for row in sheet.iter_rows(min_row=min_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment is not None and cell.alignment.wrap_text):
                continue
            width = max(int(widths.get(cell.column_letter) or 13) - 1, 1)
            lines = max(lines, sum(max(1, math.ceil(display_width(part) / width))
                                   for part in str(cell.value).split("\n")))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = 15 * lines + 2


# Print setup: A4 landscape, every column of a sheet on one page width (rows run on to further pages).
PAPER_A4 = 9


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"


def build_template(lang: str = "en") -> bytes:
    from openpyxl import Workbook

    writer = _TemplateWriter(lang)
    workbook = Workbook()
    writer.campaign_sheet(workbook.active)
    for name, (path, columns) in LIST_SHEETS.items():
        writer.list_sheet(workbook.create_sheet(writer.name_of(name, SHEET_LABELS[name])), name, path, columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _TemplateWriter:
    """Writes the template's sheets in one language: labels, notes, example values, drop-downs."""

    def __init__(self, lang: str):
        from openpyxl.styles import Font, PatternFill

        from auditor.i18n import gettext_for

        self.lang = lang
        self.gettext = gettext_for(lang)
        self.english = lang == "en"
        self.prefix = "e.g. " if self.english else "例："
        self.example = _example(lang)
        self.bold = Font(bold=True)
        self.fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.example_font = Font(italic=True, color="808080")

    def name_of(self, key: str, english_label: str) -> str:
        """`金额（amount）` in a zh-CN / zh-TW template; the key alone in English."""
        return key if self.english else labelled(self.gettext(english_label), key)

    def header(self, sheet, names) -> None:
        from openpyxl.styles import Alignment

        sheet.append(list(names))
        for cell in sheet[1]:
            cell.font = self.bold
            cell.fill = self.fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"

    def _shown_choices(self, parts: tuple[str, ...]) -> list[str] | None:
        options = choices(parts)
        if field_kind(parts) == "boolean":
            return ["TRUE", "FALSE"] if self.english else ["是", "否"]
        return [self.gettext(o) for o in options] if options else None

    def validate(self, sheet, parts: tuple[str, ...], cells: str) -> None:
        """A drop-down for a single choice; for a cell holding several values (comma-separated) no blocking list,
        only a message listing what it may hold (the auditor checks each value and names a wrong one)."""
        from openpyxl.worksheet.datavalidation import DataValidation

        gettext = self.gettext
        shown = self._shown_choices(parts)
        if field_kind(parts) == "list":
            listed = ", ".join(shown) if shown else gettext("material ids from the Materials sheet") \
                if parts[-1] == "disclosed_in" else None
            if not listed:
                return
            rule = DataValidation(allow_blank=True, showInputMessage=True, showErrorMessage=False,
                                  promptTitle=gettext("Several values")[:32],
                                  prompt=(gettext("Comma-separated, any of: {values}").format(values=listed))[:255])
        elif shown:
            rule = DataValidation(type="list", formula1='"' + ",".join(shown) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle=gettext("Not a valid choice"),
                                  error=gettext("Choose a value from the list."))
        else:
            return
        sheet.add_data_validation(rule)
        rule.add(cells)

    def campaign_sheet(self, sheet) -> None:
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment

        gettext = self.gettext
        sheet.title = self.name_of(CAMPAIGN_SHEET, SHEET_LABELS[CAMPAIGN_SHEET])
        self.header(sheet, [self.name_of(key, label) for key, label in HEADER_LABELS.items()])
        sheet["A1"].comment = Comment(gettext("One row per field: the field's dotted name and its value."), "auditor")
        for field in CAMPAIGN_FIELDS:
            parts = tuple(field.split("."))
            value = _get(self.example, field)
            shown = "campaign/v1" if field == "format" else _placeholder(value, parts, self.prefix, gettext,
                                                                          self.lang)
            sheet.append([self.name_of(field, FIELD_LABELS[field]), shown])
            row = sheet.max_row
            sheet.cell(row, 1).comment = Comment(gettext(FIELD_NOTES[field]), "auditor")
            sheet.cell(row, 1).alignment = Alignment(vertical="top")
            value_cell = sheet.cell(row, 2)
            value_cell.alignment = Alignment(wrap_text=True, vertical="top")
            if field != "format" and shown is not None:
                value_cell.font = self.example_font
            value_cell.data_type = "s" if isinstance(shown, str) else value_cell.data_type
            if field_kind(parts) == "date":
                value_cell.number_format = "yyyy-mm-dd"
            if field != "format":
                self.validate(sheet, parts, value_cell.coordinate)
        sheet.column_dimensions["A"].width = 38 if self.english else 52
        sheet.column_dimensions["B"].width = 70
        fit_rows(sheet)
        _print_setup(sheet)

    def list_sheet(self, sheet, name: str, path: tuple[str, ...], columns) -> None:
        from openpyxl.comments import Comment

        note_prefix = NOTE_PREFIX[name]
        self.header(sheet, [self.name_of(column, FIELD_LABELS[f"{note_prefix}.{column}"]) for column in columns])
        items = _get(self.example, ".".join(path)) or []
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(1, index)
            note = FIELD_NOTES.get(f"{note_prefix}.{column}")
            if note:
                cell.comment = Comment(self.gettext(note), "auditor")
            letter = cell.column_letter
            wide = column in ("text", "instructions", "condition")
            sheet.column_dimensions[letter].width = 60 if wide else min(max(18, display_width(cell.value) // 2 + 2), 30)
            self.validate(sheet, path + (column,), f"{letter}2:{letter}1000")
            self._example_column(sheet, items, index, path + (column,), wide)
        fit_rows(sheet)
        _print_setup(sheet)

    def _example_column(self, sheet, items: list, index: int, parts: tuple[str, ...], wide: bool) -> None:
        from openpyxl.styles import Alignment

        for row, item in enumerate(items, start=2):  # every example row (reminders come in pairs)
            shown = _placeholder(item.get(parts[-1]), parts, self.prefix, self.gettext, self.lang)
            if shown is not None:
                target = sheet.cell(row, index, shown)
                target.data_type = "s"
                target.font = self.example_font
                target.alignment = Alignment(wrap_text=wide, vertical="top")
