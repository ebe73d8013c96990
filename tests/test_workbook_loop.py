"""The marketer's loop (issue 18): one mistake gives one finding, listed in the order of the sheet, in the
marketer's language."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from auditor.cli import main
from auditor.convert import xlsx_bytes
from auditor.dependencies import touches, tracked
from auditor.engine import AuditOptions, audit_file
from auditor.examples import build
from auditor.findings import Status
from auditor.i18n import gettext_for
from auditor.load.choices import choices
from auditor.load.layout import CAMPAIGN_FIELDS, LIST_SHEETS, split_label
from auditor.load.xlsx import load_xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")


def _audit(tmp_path, document, name="c.json", **options):
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_bytes(xlsx_bytes(document))
    return audit_file(path, name, AuditOptions(**options))


def _template(runner, tmp_path, lang="zh-CN", name="spring.xlsx"):
    path = tmp_path / name
    assert runner.invoke(main, ["template", "--lang", lang, str(path)]).exit_code == 0
    return path


def _fill(path, changes=None):
    """What a marketer does: every example replaced by a value (the example without its prefix), then `changes`
    ({(sheet key, field or cell): value}) typed in."""
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("e.g. ", "例：")):
                    cell.value = cell.value[5:] if cell.value.startswith("e.g. ") else cell.value[2:]
    sheets = {split_label(n): workbook[n] for n in workbook.sheetnames}
    for (sheet, where), value in (changes or {}).items():
        if "." in where or not re.match(r"^[A-Z]+[0-9]+$", where):  # a Campaign field by its key
            row = next(c.row for c in sheets[sheet]["A"] if c.value and split_label(c.value) == where)
            where = f"B{row}"
        sheets[sheet][where] = value
    workbook.save(path)


def _check(runner, path, *extra):
    result = runner.invoke(main, ["check", "--format", "json", str(path), *extra])
    assert "Traceback" not in result.output
    return json.loads(result.output)["campaigns"][0]["findings"]


# --- one mistake, one finding ------------------------------------------------------------------------------

# For each field kind, a typo the schema rejects that rules used to turn into further findings (shown in the
# comment: what fired besides the schema finding before findings were withheld).
TYPOS = {
    "amount": ({"/fees/0/amount": "30元"}, "/fees/0/amount", "is a number"),  # FEE-003 critical, CNS-001 x2
    "date": ({"/period/start": "2026.03.01"}, "/period/start", None),  # AUD-E004 "ends before it starts"
    "enum": ({"/fees/0/applies": "after term"}, "/fees/0/applies", "holds one of the listed values"),  # FEE-003
    "days": ({"/end_of_term/notifications/1/days_before": "7天"}, "/end_of_term/notifications/1/days_before",
             "is a whole number"),  # EXP-002
    "months": ({"/offer/term/months": "12个月"}, "/offer/term/months", "is a whole number"),  # CNS-003 x2
}


@pytest.mark.parametrize("kind", sorted(TYPOS))
def test_a_rejected_value_costs_one_finding_at_its_own_severity(tmp_path, kind):
    patch, pointer, need = TYPOS[kind]
    result = _audit(tmp_path, build({"base": "cn", "patch": patch}))
    assert [(f.rule, f.location.pointer) for f in result.findings] == [("AUD-E002", pointer)]
    assert result.risk_level == "high"
    if need:  # the schema finding says what was withheld and when it is checked again
        message = result.findings[0].message
        assert f"is checked again once {pointer} {need}" in message, message
        withheld = re.search(r"\(([A-Z0-9-, ]+)\) is checked again", message).group(1).split(", ")
        assert {o.rule: o.status for o in result.outcomes if o.rule in withheld} == {r: Status.UNKNOWN
                                                                                    for r in withheld}


# The engine's own integrity checks (AUD-E004) are withheld the same way (what fired before, in the comment).
INTEGRITY_TYPOS = {
    "sign-up channel": ({"/channels": ["wbe", "store"]}, "/channels/0"),  # 2 x "material on a channel not listed"
    "material channel": ({"/materials/0/channel": "shop"}, "/materials/0/channel"),  # "channel not listed"
    "material id": ({"/materials/0/id": 5}, "/materials/0/id"),  # "disclosed_in names `ad`, no such material"
}


@pytest.mark.parametrize("case", sorted(INTEGRITY_TYPOS))
def test_integrity_findings_computed_from_a_rejected_value_are_withheld(tmp_path, case):
    patch, pointer = INTEGRITY_TYPOS[case]
    result = _audit(tmp_path, build({"base": "cn", "patch": patch}))
    assert [(f.rule, f.location.pointer) for f in result.findings] == [("AUD-E002", pointer)]
    assert "AUD-E004" in result.findings[0].message


def test_findings_not_computed_from_the_rejected_value_stay(tmp_path):
    # a typo in the fee, and a real problem elsewhere (a pre-ticked consent box) that does not read the fee
    result = _audit(tmp_path, build({"base": "cn", "patch": {"/fees/0/amount": "30元", "/consent/pre_checked": True}}))
    assert sorted(f.rule for f in result.findings) == ["AUD-E002", "CON-002"]


def test_the_note_names_the_cell_in_a_workbook_and_is_translated(tmp_path):
    result = _audit(tmp_path, build({"base": "cn", "patch": {"/fees/0/amount": "30元"}}), name="c.xlsx")
    (finding,) = result.findings
    assert finding.location.describe() == "Fees!C2"
    assert finding.message.endswith("is checked again once Fees!C2 is a number")
    chinese = finding.text(gettext_for("zh-CN"))
    assert "Fees!C2 填写为数字后重新进行" in chinese and "should be" not in chinese


def test_dependency_tracking_records_what_is_read():
    reads: set[str] = set()
    document = tracked({"fees": [{"amount": "x", "id": "a"}], "period": {"start": "2026"}}, reads)
    fee = document.get("fees")[0]
    assert fee.get("amount") == "x" and document["period"]["start"] == "2026"
    assert {"/fees/0/amount", "/period/start", "/fees/", "/fees/0/", "/period/"} == reads
    assert touches("/fees/0/amount", "/fees/0/amount") and touches("/fees/0", "/fees/0/amount")
    assert not touches("/fees/", "/fees/0/amount")  # the list looked at, not the amount read
    assert touches("/channels/", "/channels") and not touches("", "/fees/0/amount")


# --- exactly one finding for one deliberate mistake ----------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh-CN", "zh-TW"])
def test_a_filled_in_template_with_one_mistake_gives_exactly_one_finding(runner, tmp_path, lang):
    work = _template(runner, tmp_path, lang)
    _fill(work)
    assert _check(runner, work) == []  # the template's own example is a compliant campaign
    _fill(work, {("Fees", "C2"): "30元" if lang != "en" else "£12"})
    (finding,) = _check(runner, work)
    assert finding["rule"] == "AUD-E002" and finding["severity"] == "high"
    assert finding["location"]["cell"] == "C2" and split_label(finding["location"]["sheet"]) == "Fees"


# --- workbook order ------------------------------------------------------------------------------------------

def _several_problems():
    return build({"base": "cn", "patch": {"/consent/pre_checked": True, "/fees/0/amount": "30元",
                                          "/end_of_term/notifications/1/days_before": "7天",
                                          "/channels": ["web", "shop"]}})


def _position(finding):
    from auditor.workbook_order import cell_position

    return finding["location"]["sheet"], cell_position(finding["location"]["cell"])


def test_workbook_findings_are_listed_by_sheet_row_and_column(runner, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(xlsx_bytes(_several_problems()))
    findings = _check(runner, path)
    sheets = ["Campaign", *LIST_SHEETS]
    keys = [(sheets.index(f["location"]["sheet"]), *_position(f)[1]) for f in findings]
    assert keys == sorted(keys) and len(set(f["location"]["sheet"] for f in findings)) >= 3
    # grouped by rule on request: the core order (severity, then rule)
    grouped = _check(runner, path, "--order", "rule")
    assert sorted(map(json.dumps, grouped)) == sorted(map(json.dumps, findings))
    assert grouped != findings
    ranks = ["critical", "high", "medium", "low", "info"]
    assert [ranks.index(f["severity"]) for f in grouped] == sorted(ranks.index(f["severity"]) for f in grouped)


def test_text_html_and_annotated_findings_follow_the_sheet(runner, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(xlsx_bytes(_several_problems()))
    expected = [f"{f['location']['sheet']}!{f['location']['cell']}" for f in _check(runner, path)]
    text = runner.invoke(main, ["check", str(path)]).output
    assert re.findall(r"\b([A-Za-z]+![A-Z]+[0-9]+)\b /", text) == expected
    html = tmp_path / "r.html"
    annotated = tmp_path / "a.xlsx"
    runner.invoke(main, ["check", str(path), "--html", str(html), "--annotate", str(annotated)])
    page = html.read_text(encoding="utf-8")
    positions = [page.index(where) for where in expected]
    assert positions == sorted(positions)
    listing = openpyxl.load_workbook(annotated)["Findings"]
    assert [row[4] for row in listing.iter_rows(min_row=2, values_only=True)] == expected


def test_json_and_yaml_sources_keep_the_core_order(tmp_path):
    result = _audit(tmp_path, _several_problems())
    assert result.findings == sorted(result.findings, key=lambda f: f.sort_key())


# --- template messages ---------------------------------------------------------------------------------------

def test_an_example_left_in_a_cell_is_reported_as_what_the_cell_holds(runner, tmp_path):
    work = _template(runner, tmp_path)
    _fill(work, {("Campaign", "id"): "例：CN-2027-001"})
    (finding,) = _check(runner, work)
    assert finding["rule"] == "AUD-E007" and finding["location"]["pointer"] == "/id"
    assert finding["message"] == "B3 still holds the example `例：CN-2027-001`; replace it"
    assert "missing required field" not in json.dumps(_check(runner, work))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_untouched_template_gives_one_finding_per_sheet(runner, tmp_path, lang):
    work = _template(runner, tmp_path, lang)
    findings = _check(runner, work)
    assert [split_label(f["location"]["sheet"]) for f in findings] == ["Campaign", *LIST_SHEETS]
    assert {f["rule"] for f in findings} == {"AUD-E007"}
    assert all("still holds only the template's examples" in f["message"] for f in findings)
    # a sheet that is partly filled in reports each example cell instead
    _fill(work)
    workbook = openpyxl.load_workbook(work)
    fees = next(workbook[n] for n in workbook.sheetnames if split_label(n) == "Fees")
    fees["B2"] = "例：月费"
    workbook.save(work)
    (finding,) = _check(runner, work)
    assert finding["location"]["cell"] == "B2" and "still holds the example `例：月费`" in finding["message"]


# --- the workbook in the marketer's language ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh-CN", "zh-TW"])
def test_choices_are_offered_by_translated_name_and_read_back_as_keys(runner, tmp_path, lang):
    work = _template(runner, tmp_path, lang)
    workbook = openpyxl.load_workbook(work)
    campaign = workbook.worksheets[0]
    row = next(c.row for c in campaign["A"] if c.value and split_label(c.value) == "end_of_term.behavior")
    (rule,) = [dv for dv in campaign.data_validations.dataValidation if f"B{row}" in str(dv.sqref)]
    names = rule.formula1.strip('"').split(",")
    gettext = gettext_for(lang)
    assert names == [gettext(v) for v in choices(("end_of_term", "behavior"))]
    assert all(CJK.search(name) for name in names)
    _fill(work, {("Campaign", "end_of_term.behavior"): names[0]})  # auto_cancel, chosen by its name
    document = load_xlsx(work.read_bytes()).document
    assert document["end_of_term"]["behavior"] == "auto_cancel"
    assert document["channels"] == ["web", "store"] and document["fees"][0]["recurrence"] == "monthly"


def test_reading_accepts_the_key_the_name_and_both():
    document = build({"base": "cn"})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(document)))
    campaign = workbook["Campaign"]
    rows = {c.value: c.row for c in campaign["A"]}
    campaign[f"B{rows['end_of_term.behavior']}"] = "恢復標準資費"  # the zh-TW name
    campaign[f"B{rows['consent.method']}"] = "二次确认（double_confirmation）"
    campaign[f"B{rows['channels']}"] = "网页、store"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert load_xlsx(buffer.getvalue()).document == document


def test_each_fields_translated_names_are_distinct():
    paths = [tuple(f.split(".")) for f in CAMPAIGN_FIELDS]
    paths += [path + (column,) for path, columns in LIST_SHEETS.values() for column in columns]
    for lang in ("zh-CN", "zh-TW"):
        gettext = gettext_for(lang)
        for path in paths:
            options = choices(path) or ()
            names = [gettext(v) for v in options]
            assert len(set(names)) == len(names), (lang, path, names)
            assert all(CJK.search(n) for n in names if not n.isupper() and n not in ("zh-CN",)), (lang, path, names)


def test_every_sheet_prints_on_one_page_width(runner, tmp_path):
    workbook = openpyxl.load_workbook(_template(runner, tmp_path))
    for sheet in workbook.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"


# --- multi-value cells ---------------------------------------------------------------------------------------

def test_multi_value_cells_have_an_input_message_not_a_blocking_list(runner, tmp_path):
    workbook = openpyxl.load_workbook(_template(runner, tmp_path, "en"))
    campaign = workbook["Campaign"]
    rows = {c.value: c.row for c in campaign["A"]}
    for field in ("channels", "minimum_spend.disclosed_in"):
        (rule,) = [dv for dv in campaign.data_validations.dataValidation if f"B{rows[field]}" in str(dv.sqref)]
        assert rule.type is None and not rule.showErrorMessage and rule.showInputMessage
    channels = next(dv for dv in campaign.data_validations.dataValidation if f"B{rows['channels']}" in str(dv.sqref))
    assert all(v in channels.prompt for v in choices(("channels",)))
    fees = workbook["Fees"]
    (disclosed,) = [dv for dv in fees.data_validations.dataValidation if "K2" in str(dv.sqref)]
    assert disclosed.type is None and "Materials" in disclosed.prompt


def test_each_value_of_a_multi_value_cell_is_checked_and_a_wrong_one_named(runner, tmp_path):
    work = _template(runner, tmp_path)
    _fill(work, {("Campaign", "channels"): "网页, 营业厅, 商场"})
    (finding,) = _check(runner, work)
    assert finding["location"]["pointer"] == "/channels/2" and '"商场"' in finding["message"]
    chinese = runner.invoke(main, ["check", str(work), "--lang", "zh-CN"]).output
    assert '`channels` 填写的是 "商场"，不在可选值之中：短信、网页、手机APP、营业厅' in chinese
    _fill(work, {("Campaign", "channels"): "网页, 营业厅", ("Fees", "K2"): "ad, flyer"})
    (finding,) = _check(runner, work)
    assert finding["rule"] == "AUD-E004" and "`flyer`" in finding["message"]


# --- no English left in a Chinese workbook ------------------------------------------------------------------

ENGLISH = re.compile(r"\b(?!TRUE\b|FALSE\b)[A-Za-z]{4,}\b")


def _english_words(text: str) -> set[str]:
    """English words outside `code`, quoted values and the keys in labels (`（amount）`)."""
    text = re.sub(r"\S+\.md\b|`[^`]*`|\"[^\"]*\"|'[^']*'|[（(][A-Za-z0-9_.\-]+[)）]|[A-Za-z]+![A-Z]+[0-9]+", "", text)
    return set(ENGLISH.findall(text)) - {"campaign", "auditor"}


def test_a_chinese_workbook_path_has_no_english_left(runner, tmp_path):
    work = _template(runner, tmp_path)
    workbook = openpyxl.load_workbook(work)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(max_row=1):
            for cell in row:
                assert not _english_words(str(cell.value or "")), cell.value
                assert not _english_words(cell.comment.text if cell.comment else ""), cell.comment.text
        for cell in sheet["A"][1:] if split_label(sheet.title) == "Campaign" else ():
            assert not _english_words(cell.value or ""), cell.value
        for rule in sheet.data_validations.dataValidation:
            assert not _english_words(f"{rule.prompt or ''} {rule.error or ''} {rule.formula1 or ''}"), rule.prompt
    # the messages: a schema error, a withheld finding's note, a template example, the annotated copy
    _fill(work, {("Fees", "C2"): "30元", ("Campaign", "id"): "例：CN-2027-001"})
    annotated = tmp_path / "a.xlsx"
    result = runner.invoke(main, ["check", str(work), "--lang", "zh-CN", "--annotate", str(annotated)])
    assert "Traceback" not in result.output
    copy = openpyxl.load_workbook(annotated)
    listing = copy.worksheets[0]
    assert split_label(listing.title) == "Findings" and CJK.search(listing.title)
    for row in listing.iter_rows(values_only=True):
        for value in row[:4] + row[5:]:
            assert not _english_words(str(value or "")), value
    for sheet in copy.worksheets[1:]:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment and "[" in cell.comment.text:
                    assert "[HIGH]" not in cell.comment.text and "[高]" in cell.comment.text


WORKBOOK_MODULES = ("schema.py", "dependencies.py", "load/xlsx.py", "load/choices.py", "annotate.py", "template.py")


def test_every_message_of_the_workbook_path_is_in_both_catalogues():
    import ast

    import auditor
    from auditor.i18n import _layout_notes, missing

    ids = set(_layout_notes())
    for name in WORKBOOK_MODULES:
        tree = ast.parse((Path(auditor.__file__).parent / name).read_text(encoding="utf-8"))
        ids |= {node.args[0].value for node in ast.walk(tree)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("T", "N_", "gettext") and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)}
    assert len(ids) > 150
    for language in ("zh-CN", "zh-TW"):
        assert sorted(ids & set(missing(language))) == [], language


# --- lossless conversion keeps empty lists --------------------------------------------------------------------

def test_empty_lists_survive_json_to_workbook_to_json(tmp_path, runner):
    document = build({"base": "cn"})
    document["fees"][0]["disclosed_in"] = []
    document["offer"]["eligibility"] = [{"condition": "须为新用户", "disclosed_in": []}]
    document["validity_limits"] = [{"subject": "allowance", "days": 30, "disclosed_in": []}]
    document["minimum_spend"] = {"amount": 10, "period": "monthly", "disclosed_in": []}
    source = tmp_path / "c.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["convert", str(source), str(tmp_path / "c.xlsx")]).exit_code == 0
    assert runner.invoke(main, ["convert", str(tmp_path / "c.xlsx"), str(tmp_path / "back.json")]).exit_code == 0
    assert json.loads((tmp_path / "back.json").read_text(encoding="utf-8")) == document
