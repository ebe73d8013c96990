"""`auditor template`: a workbook to start a campaign in, in the spreadsheet layout.

Every sheet and column of campaign-format.md section 2, a note on each
header, drop-downs for every enumerated field, date formats, frozen headers
and one worked example row per sheet. Example values start with "e.g." (例：)
so that auditing the untouched template reports only what is left to fill in.
"""

from __future__ import annotations

import io

from auditor.load.layout import CAMPAIGN_FIELDS, CAMPAIGN_SHEET, FIELD_NOTES, LIST_SHEETS
from auditor.schema import _subschema_at, field_kind

HEADER_FILL = "DDEBF7"


def _enum(parts: tuple[str, ...]) -> list[str] | None:
    node = _subschema_at(parts) or {}
    if node.get("type") == "array":
        from auditor.schema import _resolve

        node = _resolve(node.get("items")) or {}
    if "enum" in node:
        return [str(v) for v in node["enum"]]
    if node.get("type") == "boolean":
        return ["TRUE", "FALSE"]
    return None


def _example(lang: str) -> dict:
    from auditor.examples import base

    # One row per sheet, so the example has a single material that says everything; a template
    # filled in with its own examples is a compliant campaign.
    if lang == "en":
        document = base("uk")
        condition = "New customers only (no Northwind contract in the last 12 months)"
        # the intro price lasts the whole contract, so the one reminder row is due before both ends
        document["offer"]["term"] = {"months": 12}
        document["materials"] = [{"id": "web", "kind": "terms", "channel": "web", "text": (
            "30GB SIM-only for £8/month for your first 12 months, then £12/month. 12-month contract; leaving early "
            f"costs £24. {condition}. The monthly data allowance is valid for 1 month and does not roll over. "
            "Offer open 1 March to 31 March 2026. Cancel any time online or in the app.")}]
        document["offer"]["eligibility"] = [{"condition": condition, "disclosed_in": ["web"]}]
        document["validity_limits"] = [{"subject": "allowance", "months": 1, "disclosed_in": ["web"]}]
        document["fees"][0]["disclosed_in"] = ["web"]
        return document
    document = base("cn")
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
        document.update({"jurisdiction": "TW", "language": "zh-TW", "currency": "TWD", "operator": "示範電信",
                         "operator_aliases": ["示範"]})
    return document


def _get(document: dict, dotted: str):
    node = document
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _placeholder(value, prefix: str):
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    return f"{prefix}{value}"


def build_template(lang: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from auditor.i18n import gettext_for

    gettext = gettext_for(lang)
    prefix = "e.g. " if lang == "en" else "例："
    example = _example(lang)
    workbook = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    example_font = Font(italic=True, color="808080")

    def header(sheet, names):
        sheet.append(list(names))
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = fill
        sheet.freeze_panes = "A2"

    def validate(sheet, options, cells):
        if not options:
            return
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle=gettext("Not a valid choice"),
                              error=gettext("Choose a value from the list."))
        sheet.add_data_validation(rule)
        rule.add(cells)

    sheet = workbook.active
    sheet.title = CAMPAIGN_SHEET
    header(sheet, ["field", "value"])
    sheet["A1"].comment = Comment(gettext("One row per field: the field's dotted name and its value."), "auditor")
    for field in CAMPAIGN_FIELDS:
        value = _get(example, field)
        shown = "campaign/v1" if field == "format" else _placeholder(value, prefix)
        sheet.append([field, shown])
        row = sheet.max_row
        sheet.cell(row, 1).comment = Comment(gettext(FIELD_NOTES[field]), "auditor")
        value_cell = sheet.cell(row, 2)
        if field != "format" and shown is not None:
            value_cell.font = example_font
        value_cell.data_type = "s" if isinstance(shown, str) else value_cell.data_type
        parts = tuple(field.split("."))
        if field_kind(parts) == "date":
            value_cell.number_format = "yyyy-mm-dd"
        if field != "format":
            validate(sheet, _enum(parts), value_cell.coordinate)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 70

    for name, (path, columns) in LIST_SHEETS.items():
        sheet = workbook.create_sheet(name)
        header(sheet, columns)
        items = _get(example, ".".join(path)) or []
        item = items[0] if items else {}
        note_key = name.lower() if name != "Cancellation" else "cancellation"
        note_prefix = {"fees": "fees", "notifications": "notifications", "cancellation": "cancellation",
                       "materials": "materials", "eligibility": "eligibility",
                       "validitylimits": "validitylimits"}[note_key]
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(1, index)
            note = FIELD_NOTES.get(f"{note_prefix}.{column}")
            if note:
                cell.comment = Comment(gettext(note), "auditor")
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = 60 if column in ("text", "instructions", "condition") else 18
            options = _enum(path + (column,))
            validate(sheet, options, f"{letter}2:{letter}1000")
            shown = _placeholder(item.get(column), prefix) if item else None
            if shown is not None:
                target = sheet.cell(2, index, shown)
                target.data_type = "s"
                target.font = example_font
                target.alignment = Alignment(wrap_text=column in ("text", "instructions", "condition"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
