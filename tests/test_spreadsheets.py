"""Spreadsheet workflow: template, lossless conversion, annotated workbook, defensive reading."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import openpyxl
import pytest
from helpers import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main
from auditor.convert import json_bytes, xlsx_bytes, yaml_bytes
from auditor.examples import build
from auditor.load import load_path
from auditor.load.layout import CAMPAIGN_FIELDS, LIST_SHEETS, split_label
from auditor.load.xlsx import load_xlsx


def run_json(runner, *args):
    result = runner.invoke(main, ["check", "--format", "json", *map(str, args)])
    assert "Traceback" not in result.output
    return result, json.loads(result.output)


# --- template -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh-CN", "zh-TW"])
def test_template_has_every_sheet_column_note_and_dropdown(runner, tmp_path, lang):
    out = tmp_path / "t.xlsx"
    assert runner.invoke(main, ["template", "--lang", lang, str(out)]).exit_code == 0
    workbook = openpyxl.load_workbook(out)
    # zh-CN / zh-TW: every sheet, header and field is labelled in the marketer's language beside its key
    key = (lambda text: text) if lang == "en" else split_label
    if lang != "en":
        assert all(name != split_label(name) for name in workbook.sheetnames)
    assert [key(n) for n in workbook.sheetnames] == ["Campaign", *LIST_SHEETS]
    workbook = {key(n): workbook[n] for n in workbook.sheetnames}
    campaign = workbook["Campaign"]
    assert [key(c.value) for c in campaign["A"][1:]] == list(CAMPAIGN_FIELDS)
    assert [key(c.value) for c in campaign[1]] == ["field", "value"]
    assert all(c.comment for c in campaign["A"][1:])
    assert campaign.freeze_panes == "A2"
    validated = {str(ref) for dv in campaign.data_validations.dataValidation for ref in dv.sqref.ranges}
    row_of = {key(c.value): c.row for c in campaign["A"]}
    for field in ("jurisdiction", "offer.type", "end_of_term.behavior", "consent.method", "cancellation.effective",
                  "consent.pre_checked", "offer.requires_opt_in"):
        assert f"B{row_of[field]}" in validated, field
    assert campaign[f"B{row_of['period.start']}"].number_format == "yyyy-mm-dd"
    for name, (_, columns) in LIST_SHEETS.items():
        sheet = workbook[name]
        assert [key(c.value) for c in sheet[1]] == list(columns)
        assert all(c.comment for c in sheet[1] if c.value), name
        assert sheet.freeze_panes == "A2"
        assert any(c.value for c in sheet[2]), f"{name} has no worked example row"
    fees = workbook["Fees"]
    fee_dropdowns = {str(ref) for dv in fees.data_validations.dataValidation for ref in dv.sqref.ranges}
    assert {"E2:E1000", "H2:H1000", "I2:I1000"} <= fee_dropdowns  # recurrence, applies, charged_by


@pytest.mark.parametrize("lang", ["en", "zh-CN", "zh-TW"])
def test_untouched_template_gives_only_fill_in_findings(runner, tmp_path, lang):
    out = tmp_path / "t.xlsx"
    runner.invoke(main, ["template", "--lang", lang, str(out)])
    result, report = run_json(runner, out)
    assert result.exit_code == 1
    rules = {f["rule"] for f in report["campaigns"][0]["findings"]}
    assert rules <= {"AUD-E007", "AUD-E002"}, rules
    assert "AUD-E007" in rules
    for finding in report["campaigns"][0]["findings"]:
        assert finding["location"].get("sheet") and finding["location"].get("cell")


def _fill(path, changes=None):
    """What a marketer does: replace every example with a real value (here: the example without its prefix)."""
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("e.g. ", "例：")):
                    value = cell.value.split(" ", 1)[1] if cell.value.startswith("e.g. ") else cell.value[2:]
                    cell.value = value
    for (sheet, coordinate), value in (changes or {}).items():
        workbook[sheet][coordinate] = value
    workbook.save(path)


def test_marketer_walkthrough_template_fill_check_annotate_fix(runner, tmp_path):
    work = tmp_path / "spring.xlsx"
    runner.invoke(main, ["template", str(work)])
    row = {c.value: c.row for c in openpyxl.load_workbook(work)["Campaign"]["A"]}
    _fill(work, {("Campaign", f"B{row['consent.pre_checked']}"): "TRUE"})
    result, report = run_json(runner, work)
    assert result.exit_code == 1
    (finding,) = [f for f in report["campaigns"][0]["findings"] if f["rule"] == "CON-002"]
    assert finding["location"] == {"pointer": "/consent/pre_checked", "sheet": "Campaign",
                                   "cell": f"B{row['consent.pre_checked']}"}
    before = hashlib.sha256(work.read_bytes()).hexdigest()
    annotated = tmp_path / "spring-annotated.xlsx"
    runner.invoke(main, ["check", str(work), "--annotate", str(annotated)])
    assert hashlib.sha256(work.read_bytes()).hexdigest() == before  # the original is never modified
    copy = openpyxl.load_workbook(annotated)
    cell = copy["Campaign"][f"B{row['consent.pre_checked']}"]
    assert "CON-002" in cell.comment.text and cell.fill.fgColor.rgb.endswith("FFCDD2")
    listing = copy["Findings"]
    assert listing["B2"].value == "CON-002"
    assert listing["E2"].hyperlink.location == f"'Campaign'!B{row['consent.pre_checked']}"
    _fill(work, {("Campaign", f"B{row['consent.pre_checked']}"): "FALSE"})
    result, report = run_json(runner, work)
    assert result.exit_code == 0 and report["campaigns"][0]["findings"] == []


def test_annotate_several_workbooks_into_a_folder(runner, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.xlsx").write_bytes(xlsx_bytes(build({"base": "cn", "patch": {"/consent/pre_checked":
                                                                                             True}})))
    out = tmp_path / "annotated"
    result = runner.invoke(main, ["check", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "--annotate", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.annotated.xlsx", "b.annotated.xlsx"]


# --- conversion ----------------------------------------------------------------------------------------

def _repository_campaigns():
    paths = [p for p in sorted((REPO / "examples").glob("*.*")) if p.suffix in (".json", ".yaml", ".xlsx")]
    paths += [p for p in sorted((REPO / "tests" / "corpus").glob("*.*")) if p.suffix in (".json", ".yaml", ".xlsx")]
    paths += sorted((REPO / "examples" / "ci-repo" / "campaigns").glob("*.yaml"))
    return paths


@pytest.mark.parametrize("path", _repository_campaigns(), ids=lambda p: p.name)
def test_round_trip_on_every_repository_campaign(path):
    document = load_path(path).document
    assert load_xlsx(xlsx_bytes(document)).document == document
    from auditor.load.jsonfile import load_json
    from auditor.load.yamlfile import load_yaml

    assert load_json(json_bytes(document)).document == document
    assert load_yaml(yaml_bytes(document)).document == document


_PIECES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                  max_size=8) | st.sampled_from(["\n", "\r\n", "\t", "中", "國", "£", "=", "_x000D_", "0012", "  "])
_TEXT = st.lists(_PIECES, min_size=1, max_size=6).map("".join)
_SAFE = _TEXT.filter(lambda s: s.strip() and not s.strip().startswith(("e.g", "例")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(["cn", "uk"]), name=_SAFE, text=_SAFE, summary=_SAFE,
       ident=st.from_regex(r"0[0-9]{1,8}", fullmatch=True), big=st.integers(0, 10**22),
       price=st.floats(0, 1e6, allow_nan=False, allow_infinity=False), days=st.integers(0, 400),
       empty=st.sets(st.sampled_from(["fee", "eligibility", "validity", "minimum_spend", "aliases"])))
def test_round_trip_property(base, name, text, summary, ident, big, price, days, empty):
    document = build({"base": base})
    # empty lists are kept (`"disclosed_in": []` is not a missing key)
    if "fee" in empty:
        document["fees"][0]["disclosed_in"] = []
    if "eligibility" in empty:
        document["offer"]["eligibility"] = [{"condition": name, "disclosed_in": []}]
    if "validity" in empty:
        document["validity_limits"] = [{"subject": "allowance", "days": days, "disclosed_in": []}]
    if "minimum_spend" in empty:
        document["minimum_spend"] = {"amount": price, "disclosed_in": []}
    if "aliases" in empty:
        document["operator_aliases"] = []
    document["name"] = name
    document["id"] = ident
    document["offer"]["summary"] = summary
    document["materials"][0]["text"] = text
    document["fees"][0]["amount"] = price
    document["fees"].append({"id": "big", "name": name, "amount": big, "recurrence": "one_time"})
    document["end_of_term"]["notifications"][0]["days_before"] = days
    assert load_xlsx(xlsx_bytes(document)).document == document


# --- defensive reading ---------------------------------------------------------------------------------

def _workbook(tmp_path, name="w.xlsx", edit=None):
    document = build({"base": "cn"})
    data = xlsx_bytes(document)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    if edit:
        edit(workbook)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_formula_with_cached_value_is_read_and_without_one_is_flagged(runner, tmp_path):
    def edit(workbook):
        workbook["Fees"]["C2"] = "=5+5"  # no cached value: openpyxl never calculates

    result, report = run_json(runner, _workbook(tmp_path, edit=edit))
    messages = [f for f in report["campaigns"][0]["findings"] if "formula" in f["message"]]
    assert messages and messages[0]["location"]["cell"] == "C2" and messages[0]["location"]["sheet"] == "Fees"


def test_formula_cached_value_is_used(tmp_path):
    path = _workbook(tmp_path, edit=lambda wb: wb["Fees"].__setitem__("C2", "=5+5"))
    # give the formula a cached value, as Excel would on save
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet") and b"<f>5+5</f>" in parts[n])
    parts[sheet] = parts[sheet].replace(b"<f>5+5</f><v></v>", b"<f>5+5</f><v>10</v>").replace(
        b"<f>5+5</f><v />", b"<f>5+5</f><v>10</v>")
    if b"<v>10</v>" not in parts[sheet]:
        parts[sheet] = parts[sheet].replace(b"<f>5+5</f>", b"<f>5+5</f><v>10</v>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    loaded = load_path(path)
    assert loaded.document["fees"][0]["amount"] == 10
    assert not [p for p in loaded.problems if "formula" in p.message]


def test_excel_dates_serials_and_text_numbers(tmp_path):
    import datetime as dt

    def edit(workbook):
        sheet = workbook["Campaign"]
        rows = {c.value: c.row for c in sheet["A"]}
        sheet[f"B{rows['period.start']}"] = dt.datetime(2026, 3, 1)
        sheet[f"B{rows['period.end']}"] = 46112  # Excel serial for 2026-03-31
        sheet[f"B{rows['cancellation.fee']}"] = " 0 "

    document = load_path(_workbook(tmp_path, edit=edit)).document
    assert document["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert document["cancellation"]["fee"] == 0


@pytest.mark.parametrize("serial", [0, 0.5, -3])
def test_a_date_cell_holding_a_time_or_a_negative_serial_is_a_located_schema_finding(tmp_path, serial):
    """Found by fuzzing: a serial below 1 is a time of day, which once crashed the reading of the whole
    workbook ("cannot be read"); it is now left as the number, and the schema says what is wrong where."""
    def edit(workbook):
        sheet = workbook["Campaign"]
        rows = {c.value: c.row for c in sheet["A"]}
        sheet[f"B{rows['period.start']}"] = serial

    path = _workbook(tmp_path, edit=edit)
    loaded = load_path(path)
    assert loaded.document is not None and not loaded.problems
    assert loaded.document["period"]["start"] == serial
    from auditor.engine import audit_file

    findings = [f for f in audit_file(path, path.name).findings if f.location.pointer == "/period/start"]
    assert findings and findings[0].rule == "AUD-E002" and findings[0].location.sheet == "Campaign"


def test_merged_cells_apply_to_every_row(tmp_path):
    def edit(workbook):
        fees = workbook["Fees"]
        header = [c.value for c in fees[1]]
        row = [None] * len(header)
        row[header.index("id")], row[header.index("name")] = "extra", "附加费"
        row[header.index("amount")], row[header.index("recurrence")] = 1, "one_time"
        fees.append(row)
        letter = fees.cell(1, header.index("disclosed_in") + 1).column_letter
        fees.merge_cells(f"{letter}2:{letter}3")

    document = load_path(_workbook(tmp_path, edit=edit)).document
    assert document["fees"][1]["disclosed_in"] == document["fees"][0]["disclosed_in"]


@pytest.mark.parametrize("what", ["sheet", "row", "column"])
def test_hidden_content_is_read_and_flagged(runner, tmp_path, what):
    def edit(workbook):
        materials = workbook["Materials"]
        if what == "sheet":
            materials.sheet_state = "hidden"
        elif what == "row":
            materials.row_dimensions[3].hidden = True
        else:
            materials.column_dimensions["D"].hidden = True

    result, report = run_json(runner, _workbook(tmp_path, edit=edit))
    hidden = [f for f in report["campaigns"][0]["findings"] if "hidden" in f["message"]]
    assert hidden and hidden[0]["severity"] == "high" and hidden[0]["location"]["sheet"] == "Materials"
    assert result.exit_code == 1


def test_trailing_blank_rows_and_stray_whitespace(tmp_path):
    def edit(workbook):
        fees = workbook["Fees"]
        fees["E2"] = "  monthly  "
        for _ in range(5):
            fees.append([None] * 5)

    document = load_path(_workbook(tmp_path, edit=edit)).document
    assert document["fees"][0]["recurrence"] == "monthly" and len(document["fees"]) == 1


def test_xlsm_is_read_without_macros_and_reported(runner, tmp_path):
    path = _workbook(tmp_path, "w.xlsm")
    result, report = run_json(runner, path)
    (finding,) = [f for f in report["campaigns"][0]["findings"] if "macro" in f["message"]]
    assert finding["severity"] == "medium"


@pytest.mark.parametrize("name,data,fragment", [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old-style .xls"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "password-protected"),
    ("list.csv", b"field,value\nid,X\n", "CSV file cannot hold a campaign"),
    ("notes.xlsx", b"just some text", "not an Excel workbook"),
    ("page.xlsx", b"<html><body>campaign</body></html>", "HTML or XML file renamed"),
])
def test_non_workbooks_get_a_clear_message(runner, tmp_path, name, data, fragment):
    path = tmp_path / name
    path.write_bytes(data)
    result, report = run_json(runner, path)
    assert result.exit_code == 1
    (finding,) = report["campaigns"][0]["findings"]
    assert fragment in finding["message"] and finding["category"] == "input" and finding["severity"] == "critical"


def test_renamed_zip_is_not_a_workbook(runner, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (tmp_path / "x.xlsx").write_bytes(buffer.getvalue())
    _, report = run_json(runner, tmp_path / "x.xlsx")
    assert "not an Excel workbook" in report["campaigns"][0]["findings"][0]["message"]


def test_oversized_workbooks_are_refused_by_configured_limits(runner, tmp_path, monkeypatch):
    path = _workbook(tmp_path)
    (tmp_path / "auditor.toml").write_text("max-workbook-bytes = 1000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, report = run_json(runner, path.name)
    assert "over the 1,000-byte limit" in report["campaigns"][0]["findings"][0]["message"]
    (tmp_path / "auditor.toml").write_text("max-cells = 50\n", encoding="utf-8")
    _, report = run_json(runner, path.name)
    assert "more than 50 cells" in report["campaigns"][0]["findings"][0]["message"]


def test_xml_entity_expansion_inside_a_workbook_is_refused(runner, tmp_path):
    path = _workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>field</t></is></c></row>'
             b'<row r="2"><c r="A2" t="inlineStr"><is><t>name</t></is></c>'
             b'<c r="B2" t="inlineStr"><is><t>&ENTITY;</t></is></c></row></sheetData></worksheet>')
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>' + sheet.replace(b"ENTITY", b"lol3"))
    external = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
                + sheet.replace(b"ENTITY", b"ext"))
    for payload in (bomb, external):
        parts["xl/worksheets/sheet1.xml"] = payload
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        result, report = run_json(runner, path)
        finding = report["campaigns"][0]["findings"][0]
        assert finding["severity"] == "critical" and "entity" in finding["message"]
        assert "root:" not in json.dumps(report)
