"""The light workbook (auditor.load.xlsx_parts) reads every workbook exactly as openpyxl.load_workbook does."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from helpers import REPO, assert_same_workbook_reading

from auditor.convert import xlsx_bytes
from auditor.examples import build
from auditor.load import load_path
from auditor.load.xlsx import load_xlsx


def _same(data: bytes) -> None:
    assert_same_workbook_reading(data)


def _edited(edit) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(build({"base": "cn"}))))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _corpus_documents():
    import json

    import yaml

    for path in sorted((REPO / "tests" / "corpus").glob("*")):
        if path.suffix == ".json":
            yield path.name, json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in (".yaml", ".yml"):
            yield path.name, yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name,document", list(_corpus_documents()))
def test_every_corpus_campaign_as_a_workbook(name, document):
    _same(xlsx_bytes(document))


@pytest.mark.parametrize("path", sorted(REPO.glob("examples/*.xlsx")) + sorted(REPO.glob("tests/corpus/*.xlsx")),
                         ids=lambda p: p.name)
def test_shipped_workbooks(path):
    _same(path.read_bytes())


def test_the_template_in_every_language():
    from auditor.template import build_template

    for lang in ("en", "zh-CN", "zh-TW"):
        _same(build_template(lang))


def _merge(workbook):
    sheet = workbook["Fees"]
    sheet.insert_rows(3)
    for column in range(1, 8):
        sheet.cell(3, column).value = sheet.cell(2, column).value
    sheet.cell(3, 1).value = "second"
    sheet.merge_cells("F2:F3")


@pytest.mark.parametrize("edit", [
    _merge,
    lambda wb: setattr(wb["Fees"], "sheet_state", "hidden"),
    lambda wb: setattr(wb["Campaign"].row_dimensions[3], "hidden", True),
    lambda wb: setattr(wb["Materials"].column_dimensions["C"], "hidden", True),
    lambda wb: wb["Fees"].__setitem__("C2", "=5+5"),
    lambda wb: wb["Campaign"].__setitem__("B2", "=A1"),
    lambda wb: wb["Campaign"].append(["period.start", dt.datetime(2026, 3, 1)]),
    lambda wb: wb["Campaign"].append(["period.end", 46100]),
    lambda wb: wb["Fees"].__setitem__("C2", "12,50"),
    lambda wb: wb["Fees"].__setitem__("H9", "stray"),
    lambda wb: wb["Campaign"].__setitem__("A40", "name"),
    lambda wb: wb.create_sheet("Notes").append(["anything"]),
    lambda wb: wb["Materials"].__setitem__("D2", "line one\nline two_x000D_ end"),
    lambda wb: wb["Campaign"].__setitem__("B3", True),
    lambda wb: wb["Campaign"].__setitem__("B3", 12345678901234567890),
], ids=["merged", "hidden-sheet", "hidden-row", "hidden-column", "formula", "formula-campaign", "datetime",
        "serial", "text-number", "stray-cell", "far-row", "unknown-sheet", "line-breaks", "boolean", "big-number"])
def test_defensive_cases(edit):
    _same(_edited(edit))


def test_empty_and_header_only_sheets():
    def edit(workbook):
        for name in ("Fees", "Materials"):
            sheet = workbook[name]
            sheet.delete_rows(2, sheet.max_row)
        workbook["Notifications"].delete_rows(1, workbook["Notifications"].max_row)

    _same(_edited(edit))


def test_generated_benchmark_workbooks(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    for path in generate(tmp_path, 24, seed=5, fmt="xlsx"):
        _same(path.read_bytes())
        assert load_path(path).document is not None


def _handmade_workbook() -> bytes:
    """A workbook as other producers write it: shared strings under their own part name (styles stay at
    xl/styles.xml, where openpyxl, and so Excel-compatible producers, expect them), the 1904 date system,
    a custom date format, rich-text runs and a shared-string cell in every row."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/campaign.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr date1904="1"/>'
            '<sheets><sheet name="Campaign" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/campaign.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="strings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="/xl/styles.xml"/></Relationships>'),
        "xl/strings.xml": (
            f'<sst xmlns="{main}"><si><t>field</t></si><si><t>value</t></si><si><t>id</t></si>'
            '<si><r><t>X-</t></r><r><t>1</t></r></si><si><t>period.start</t></si><si><t>name</t></si>'
            '<si><t xml:space="preserve"> 第一行\n第二行 </t></si></sst>'),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/mm/dd"/>'
            '</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
            '</cellXfs></styleSheet>'),
        "xl/worksheets/campaign.xml": (
            f'<worksheet xmlns="{main}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" s="1"><v>45000</v></c></row>'
            '<row r="4"><c r="A4" t="s"><v>5</v></c><c r="B4" t="s"><v>6</v></c></row>'
            '</sheetData></worksheet>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")  # openpyxl, on the minimal stylesheet
def test_parts_are_found_through_the_workbook_relationships():
    data = _handmade_workbook()
    _same(data)
    document = load_xlsx(data).document
    assert document["id"] == "X-1"
    assert document["name"] == " 第一行\n第二行 "
    assert document["period"]["start"] == "2027-03-16"  # 45000 days after 1 January 1904
