"""`auditor check WORKBOOK.xlsx --annotate OUT.xlsx`: the marketer's own workbook,
with every finding where the marketer works.

Each finding becomes a comment on the cell it names, the cell is filled by
severity, and a `Findings` sheet lists them with links to the cells. The
original file is never modified: the copy is written atomically elsewhere.
"""

from __future__ import annotations

import io

from auditor.findings import Status
from auditor.vocabulary import SEVERITY_RANK

FILLS = {"critical": "E1BEE7", "high": "FFCDD2", "medium": "FFE0B2", "low": "BBDEFB", "info": "ECEFF1"}
RANK = SEVERITY_RANK
FINDINGS_SHEET = "Findings"


def N_(message: str) -> str:  # noqa: N802 - marks a catalogue entry looked up at run time
    return message


# Words the annotated copy looks up in the report's catalogue at run time (statuses, headers).
CATALOGUE_WORDS = (N_("fail"), N_("pass"), N_("unknown"), N_("waived"), N_("baselined"), N_("Rule"), N_("Status"),
                   N_("Findings"))


def annotate(data: bytes, result, gettext=None) -> bytes:
    import openpyxl

    from auditor.load.layout import split_label
    from auditor.template import fit_rows

    gettext = gettext or (lambda s: s)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for stale in [n for n in workbook.sheetnames if split_label(n) == FINDINGS_SHEET]:
        del workbook[stale]
    rows = _comment_cells(workbook, result, gettext)
    listing = workbook.create_sheet(FINDINGS_SHEET, 0)
    if gettext("Findings") != FINDINGS_SHEET:
        listing.title = f"{gettext('Findings')}（{FINDINGS_SHEET}）"[:31]
    _list_findings(listing, rows, getattr(result, "fixes", None) or {}, gettext)
    _page_layout(listing)
    fit_rows(listing, min_row=2)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _comment_cells(workbook, result, gettext) -> list[tuple]:
    """Comment every finding on its cell and fill the cell by its worst failing severity; (finding, sheet,
    cell) of each finding, in order."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from auditor.load.layout import split_label

    names = {n.lower(): n for n in workbook.sheetnames}
    first_sheet = next((n for n in workbook.sheetnames if split_label(n).lower() == "campaign"),
                       workbook.sheetnames[0])
    worst: dict[tuple[str, str], str] = {}
    notes: dict[tuple[str, str], list[str]] = {}
    rows = []
    for finding in result.findings:
        sheet = names.get((finding.location.sheet or "").lower(), first_sheet)
        cell = finding.location.cell or "A1"
        severity = finding.severity.value
        status = "" if finding.status is Status.FAIL else f" ({gettext(finding.status.value)})"
        text = (f"[{gettext(severity).upper()}] {finding.rule} {gettext(finding.title)}{status}\n"
                f"{finding.text(gettext)}\n{gettext('How to fix')}: {gettext(finding.fix)}")
        notes.setdefault((sheet, cell), []).append(text)
        if finding.status is Status.FAIL and RANK[severity] > RANK.get(worst.get((sheet, cell), "info"), -1):
            worst[(sheet, cell)] = severity
        rows.append((finding, sheet, cell))
    for (sheet, cell), texts in notes.items():
        target = workbook[sheet][cell]
        previous = target.comment.text + "\n\n" if target.comment else ""
        comment = Comment(previous + "\n\n".join(texts), "campaign-auditor")
        comment.width, comment.height = 420, min(60 + 90 * len(texts), 600)
        target.comment = comment
    for (sheet, cell), severity in worst.items():
        workbook[sheet][cell].fill = PatternFill("solid", fgColor=FILLS[severity])
    return rows


def _list_findings(listing, rows: list[tuple], fixes: dict, gettext) -> None:
    """The Findings sheet: one row per finding, linked to its cell; with `check --fixes` a "Suggested fix"
    column."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    listing.append([gettext("Severity"), gettext("Rule"), gettext("Title"), gettext("Message"), gettext("Cell"),
                    gettext("How to fix"), gettext("Status")] + ([gettext("Suggested fix")] if fixes else []))
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for finding, sheet, cell in rows:
        listing.append([gettext(finding.severity.value), finding.rule, gettext(finding.title),
                        finding.text(gettext), f"{sheet}!{cell}", gettext(finding.fix), gettext(finding.status.value)]
                       + ([_suggested(fixes.get((finding.rule, finding.location.pointer, finding.key)), gettext)]
                          if fixes else []))
        row = listing.max_row
        for column in (3, 4, 6, 8) if fixes else (3, 4, 6):
            listing.cell(row, column).data_type = "s"
        link = listing.cell(row, 5)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!{cell}", display=link.value)
        link.font = Font(color="0563C1", underline="single")
        listing.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS[finding.severity.value])


def _page_layout(listing) -> None:
    """Column widths, a frozen header, wrapped cells; printable on one page width, landscape, for the marketer
    who prints the list."""
    from openpyxl.styles import Alignment

    for letter, width in zip("ABCDEFGH", (10, 10, 40, 70, 14, 60, 10, 70)):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A2"
    listing.page_setup.orientation = "landscape"
    listing.sheet_properties.pageSetUpPr.fitToPage = True
    listing.page_setup.fitToWidth = 1
    listing.page_setup.fitToHeight = 0
    for row in listing.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _suggested(fix, gettext) -> str:
    """The verified fix as the marketer applies it: the sentence, then each cell to change and its new value."""
    if fix is None:
        return ""
    if not fix.verified:
        return fix.text
    head = gettext("fix verified") + (" · " + gettext("business decision") if fix.business_decision else "")
    lines = [f"[{head}] {fix.text}"]
    for edit in fix.cells:
        if "cell" in edit:
            lines.append(f"{edit['sheet']}!{edit['cell']} = {edit['value']}")
        elif "values" in edit:
            lines.append(f"{edit['sheet']}: + " + "; ".join(f"{k}={v}" for k, v in edit["values"].items()))
        else:
            lines.append(f"{edit['sheet']}: {edit['field']} = {edit['value']}")
    return "\n".join(lines)[:32000]  # a cell holds at most 32,767 characters
