"""Loaders: same document from JSON, YAML and XLSX; located, non-crashing errors."""

from __future__ import annotations

import json

import pytest

from auditor.convert import xlsx_bytes, yaml_bytes
from auditor.examples import build
from auditor.load import load_path
from auditor.load.jsonfile import json_positions, load_json
from auditor.load.xlsx import load_xlsx
from auditor.load.yamlfile import load_yaml


def test_json_positions_point_at_keys_and_items():
    text = '{\n  "fees": [\n    {"id": "a",\n     "amount": 5}\n  ],\n  "x": {"a~b/c": 1}\n}'
    positions = json_positions(text)
    assert positions["/fees/0/amount"] == (4, 6)
    assert positions["/fees/0"] == (3, 5)
    assert positions["/x/a~0b~1c"][0] == 6


def test_json_positions_locate_scalar_items_and_fall_back_for_missing_pointers():
    text = '{"channels": ["web",\n  "sms", 3],\n "empty": {}, "list": []}'
    positions = json_positions(text)
    assert positions["/channels/1"] == (2, 3)
    assert positions["/channels/2"] == (2, 10)
    assert "/channels/3" not in positions and "/empty/x" not in positions and "/list/0" not in positions
    from auditor.sourcemap import SourceMap

    assert SourceMap(builder=lambda: json_positions(text)).locate("/empty/x/y").line == 3


def test_json_positions_agree_with_a_full_token_scan(tmp_path):
    """The on-demand walk finds every key and container where the full scan (kept for duplicate keys) does."""
    import sys

    from helpers import REPO

    from auditor.load.jsonfile import _scan

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    generate(tmp_path, 60)
    files = [*sorted((REPO / "tests" / "corpus").rglob("*.json")), *sorted((REPO / "examples").rglob("*.json")),
             *sorted(tmp_path.glob("*.json"))]
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        json.loads(text)
        positions = json_positions(text)
        for pointer, offset in _scan(text).items():
            assert positions.offset(pointer) == offset, (path, pointer)
            checked += 1
    assert checked > 3000


@pytest.mark.parametrize("data,fragment,line", [
    (b'{"a": [1,', "cut short", 1),
    (b"", "empty", 1),
    (b'{"a": 1,\n "a": 2}', "appears twice", 2),
    (b'{"a": NaN}', "NaN", 1),
    (b'\xff\xfe{\x00}\x00', "UTF-16", 1),
    (b'{"a": "\xff"}', "not valid UTF-8", 1),
    (b'{"a": ' + b"9" * 5000 + b"}", "thousands of digits", 1),
    (b"[" * 100_000, "too deeply", 1),
])
def test_bad_json_is_a_located_problem(data, fragment, line):
    loaded = load_json(data)
    assert loaded.document is None
    assert any(fragment in p.message for p in loaded.problems), loaded.problems
    assert loaded.problems[0].location.line == line


def test_bom_is_reported_but_the_file_is_read():
    loaded = load_json(b'\xef\xbb\xbf{"a": 1}')
    assert loaded.document == {"a": 1}
    assert loaded.problems[0].severity.value == "high"


@pytest.mark.parametrize("data,fragment", [
    (b"a: 1\na: 2\n", "appears twice"),
    (b"a: !!python/object/apply:os.system [ls]\n", "not allowed"),
    (b"a: 1\n---\nb: 2\n", "several YAML documents"),
    (b"a: [1, 2\n", "not valid YAML"),
    (b"a: .nan\n", "nan"),
])
def test_bad_yaml_is_a_located_problem(data, fragment):
    loaded = load_yaml(data)
    assert loaded.document is None
    assert any(fragment in p.message for p in loaded.problems), loaded.problems
    assert loaded.problems[0].location.line is not None


def test_yaml_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    loaded = load_yaml("\n".join(lines).encode())
    assert loaded.document is None
    assert "too many values" in loaded.problems[0].message


@pytest.mark.parametrize("base", ["cn", "uk"])
def test_the_three_forms_load_the_same_document(base):
    document = build({"base": base})
    from_json = load_json(json.dumps(document, ensure_ascii=False).encode())
    from_yaml = load_yaml(yaml_bytes(document))
    from_xlsx = load_xlsx(xlsx_bytes(document))
    assert from_json.document == document
    assert from_yaml.document == document
    assert from_xlsx.problems == []
    assert from_xlsx.document == document


def test_xlsx_positions_name_sheet_and_cell():
    loaded = load_xlsx(xlsx_bytes(build({"base": "cn"})))
    assert loaded.sourcemap.locate("/fees/0/amount").describe() == "Fees!C2"
    assert loaded.sourcemap.locate("/materials/1/text").describe() == "Materials!D3"
    assert loaded.sourcemap.locate("/offer/term/months").sheet == "Campaign"


def test_xlsx_reads_numbers_stored_as_text_and_lists(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Campaign"
    sheet.append(["field", "value"])
    sheet.append(["channels", "web，store"])
    sheet.append(["offer.term.months", "12"])
    sheet.append(["consent.pre_checked", "否"])
    fees = workbook.create_sheet("fees")  # sheet names match case-insensitively
    fees.append(["ID", "name", "amount", "recurrence", "Colour"])
    fees.append(["a", "月费", " 5 ", "monthly", "red"])
    fees.append([None, None, None, None, None])
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    loaded = load_path(path)
    assert loaded.document["channels"] == ["web", "store"]
    assert loaded.document["offer"]["term"]["months"] == 12
    assert loaded.document["consent"]["pre_checked"] is False
    assert loaded.document["fees"] == [{"id": "a", "name": "月费", "amount": 5, "recurrence": "monthly"}]
    unknown = [p for p in loaded.problems if "unknown column" in p.message]
    assert unknown and unknown[0].location.describe() == "fees!E1"


@pytest.mark.parametrize("data,fragment", [
    (b"not a workbook at all", "not an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04garbage", "damaged"),
])
def test_non_workbooks_get_a_clear_message(data, fragment):
    loaded = load_xlsx(data)
    assert loaded.document is None
    assert fragment in loaded.problems[0].message


def test_workbook_without_campaign_sheet():
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    loaded = load_xlsx(buffer.getvalue())
    assert loaded.document is None
    assert any("no `Campaign` sheet" in p.message for p in loaded.problems)


def test_folders_and_fifos_are_refused(tmp_path):
    import os

    folder = tmp_path / "x.json"
    folder.mkdir()
    assert "folder" in load_path(folder).problems[0].message
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert "not a regular file" in load_path(fifo).problems[0].message


def test_a_lone_surrogate_escape_is_a_located_problem_not_a_crash():
    """`"\\ud800"` is valid JSON syntax but no character: the report writers could not encode it (a traceback
    in the JSON and HTML reports before). A complete pair is an ordinary character."""
    doc = build({"base": "uk"})
    text = json.dumps(doc, ensure_ascii=True).replace('"name": "', '"name": "\\ud800', 1)
    loaded = load_json(text.encode())
    assert loaded.document is None
    [problem] = loaded.problems
    assert problem.location.pointer == "/name" and "lone surrogate" in problem.message
    assert problem.location.line == 1 and problem.location.column > 1
    paired = load_json(text.replace("\\ud800", "\\ud83d\\ude00").encode())
    assert paired.problems == [] and paired.document["name"].startswith("\U0001f600")


def test_a_lone_surrogate_in_a_json_campaign_fails_cleanly_in_every_report(tmp_path):
    import subprocess
    import sys

    campaign = tmp_path / "c.json"
    doc = build({"base": "uk"})
    campaign.write_text(json.dumps(doc, ensure_ascii=True).replace('"name": "', '"name": "\\ud800', 1))
    done = subprocess.run([sys.executable, "-m", "auditor", "check", str(campaign), "--format", "json",
                           "--html", str(tmp_path / "r.html"), "--sarif", str(tmp_path / "r.sarif")],
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout)["campaigns"][0]["findings"][0]["rule"] == "AUD-E001"
    assert (tmp_path / "r.html").is_file() and (tmp_path / "r.sarif").is_file()
