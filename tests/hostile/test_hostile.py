"""Hostile input never hurts: each case gives a located `input` or `schema` finding, exit 1,
no traceback, in bounded time and memory, and the rest of the batch is still audited."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import zipfile

import pytest

from auditor.examples import build

MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space for the audited process
TIME_LIMIT = 60


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def audit(*paths, cwd=None):
    """Run the real command line under memory and time limits; return (exit code, report, stderr)."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "auditor", "check", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limit_memory, cwd=cwd,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert time.monotonic() - start < TIME_LIMIT
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-3000:]
    report = json.loads(done.stdout) if done.stdout.startswith("{") else None
    return done.returncode, report, done.stderr


def only_campaign(report, name):
    return next(c for c in report["campaigns"] if c["source"].endswith(name))


def assert_located(campaign, categories=("input", "schema"), severity=None):
    findings = [f for f in campaign["findings"] if f["category"] in categories]
    assert findings, campaign["findings"]
    finding = findings[0]
    location = finding["location"]
    assert "pointer" in location and (location.get("line") or location.get("sheet") or location["pointer"] != ""
                                      or finding["category"] == "input")
    if severity:
        assert finding["severity"] == severity
    return finding


@pytest.fixture
def good(tmp_path):
    """A valid campaign beside every hostile file: the batch must still audit it."""
    path = tmp_path / "good.json"
    doc = build({"base": "cn"})
    doc["id"] = "GOOD-1"  # its own id: a hostile copy of the base campaign must not make it a duplicate
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def check_batch(tmp_path, name, data: bytes, fragment: str, severity="critical", line=True):
    path = tmp_path / name
    path.write_bytes(data)
    code, report, _ = audit(tmp_path)
    assert code == 1
    assert only_campaign(report, "good.json")["findings"] == []
    finding = assert_located(only_campaign(report, name), severity=severity)
    assert fragment in finding["message"], finding
    if line:
        assert finding["location"].get("line", 0) >= 1
    return finding


def test_truncated_json(tmp_path, good):
    check_batch(tmp_path, "cut.json", b'{"format": "campaign/v1", "fees": [{"id": "a"', "cut short")


def test_empty_json(tmp_path, good):
    check_batch(tmp_path, "empty.json", b"", "empty")


def test_bom(tmp_path, good):
    data = b"\xef\xbb\xbf" + json.dumps(build({"base": "cn"}), ensure_ascii=False).encode()
    check_batch(tmp_path, "bom.json", data, "byte-order mark", severity="high")


def test_utf16(tmp_path, good):
    check_batch(tmp_path, "u16.json", json.dumps({"a": 1}).encode("utf-16"), "UTF-16")


def test_invalid_utf8(tmp_path, good):
    check_batch(tmp_path, "bad.json", b'{\n"name": "\xc3\x28"}', "not valid UTF-8")


def test_duplicate_keys_are_reported_never_last_wins(tmp_path, good):
    finding = check_batch(tmp_path, "dup.json", b'{"id": "A",\n "id": "B"}', "appears twice")
    assert finding["location"]["line"] == 2 and finding["location"]["pointer"] == "/id"


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity(tmp_path, good, literal):
    check_batch(tmp_path, "nan.json", b'{"amount": ' + literal + b"}", "not a JSON number")


def test_number_with_5000_digits(tmp_path, good):
    check_batch(tmp_path, "digits.json", b'{"amount": ' + b"7" * 5000 + b"}", "thousands of digits")


def test_50_megabyte_string(tmp_path, good):
    check_batch(tmp_path, "huge.json", b'{"name": "' + b"x" * (50 * 1024 * 1024) + b'"}', "limit", line=False)


def test_long_string_under_the_file_limit(tmp_path, good):
    doc = build({"base": "cn"})
    doc["materials"][0]["text"] = "长" * 300_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, report, _ = audit(tmp_path)
    finding = assert_located(only_campaign(report, "long.json"))
    assert finding["rule"] == "AUD-E008" and finding["location"]["pointer"] == "/materials/0/text"
    assert code == 1


def test_nesting_100000_deep(tmp_path, good):
    check_batch(tmp_path, "deep.json", b"[" * 100_000 + b"]" * 100_000, "too deeply")


def test_nesting_over_the_depth_limit(tmp_path, good):
    finding = check_batch(tmp_path, "deep40.json", b'{"a":' * 40 + b"1" + b"}" * 40, "nest more than", line=False)
    assert finding["rule"] == "AUD-E008"


def test_yaml_billion_laughs(tmp_path, good):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    check_batch(tmp_path, "bomb.yaml", "\n".join(lines).encode(), "too many values")


def test_yaml_python_object_tag(tmp_path, good):
    marker = tmp_path / "pwned"
    data = f'name: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    check_batch(tmp_path, "tag.yaml", data, "not allowed")
    assert not marker.exists()


def test_multi_document_yaml(tmp_path, good):
    check_batch(tmp_path, "multi.yaml", b"id: A\n---\nid: B\n", "several YAML documents")


def test_binary_garbage_named_json(tmp_path, good):
    check_batch(tmp_path, "garbage.json", bytes(range(256)) * 40, "not valid UTF-8")


def test_workbook_zip_bomb(tmp_path, good):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(210):
                member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024
    code, report, _ = audit(tmp_path)
    finding = assert_located(only_campaign(report, "bomb.xlsx"), severity="critical")
    assert "unpacks to" in finding["message"] and code == 1


def _workbook_with_sheet(tmp_path, name, payload: bytes) -> None:
    from auditor.convert import xlsx_bytes

    data = xlsx_bytes(build({"base": "cn"}))
    source = tmp_path / "src.zip"
    source.write_bytes(data)
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    source.unlink()
    parts["xl/worksheets/sheet1.xml"] = payload
    with zipfile.ZipFile(tmp_path / name, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)


SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="1"><c r="A1" t="inlineStr"><is><t>field</t></is></c></row><row r="2">'
         b'<c r="A2" t="inlineStr"><is><t>name</t></is></c><c r="B2" t="inlineStr"><is><t>&e;</t></is></c></row>'
         b"</sheetData></worksheet>")


def test_xml_entity_expansion_in_a_workbook(tmp_path, good):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY e "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + SHEET)
    _workbook_with_sheet(tmp_path, "entities.xlsx", bomb)
    code, report, _ = audit(tmp_path)
    finding = assert_located(only_campaign(report, "entities.xlsx"), severity="critical")
    assert "entity" in finding["message"] and code == 1


def test_xml_external_entity_in_a_workbook(tmp_path, good):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    payload = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "' + secret.as_uri().encode() + b'">]>' + SHEET)
    _workbook_with_sheet(tmp_path, "xxe.xlsx", payload)
    code, report, _ = audit(tmp_path)
    assert "TOP-SECRET" not in json.dumps(report)
    assert "entity" in assert_located(only_campaign(report, "xxe.xlsx"))["message"] and code == 1


def test_renamed_zip_and_html(tmp_path, good):
    with zipfile.ZipFile(tmp_path / "archive.xlsx", "w") as archive:
        archive.writestr("notes.txt", "hello")
    (tmp_path / "page.xlsx").write_bytes(b"<!DOCTYPE html><html><body><script>x()</script></body></html>")
    code, report, _ = audit(tmp_path)
    assert code == 1
    assert "not an Excel workbook" in assert_located(only_campaign(report, "archive.xlsx"))["message"]
    assert "HTML" in assert_located(only_campaign(report, "page.xlsx"))["message"]


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink"])
def test_material_file_outside_the_campaign_folder(tmp_path, kind):
    folder = tmp_path / "campaign"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET 全网最低", encoding="utf-8")
    name = {"dotdot": "../secret.txt", "absolute": str(secret), "symlink": "link.txt"}[kind]
    if kind == "symlink":
        (folder / "link.txt").symlink_to(secret)
    doc = build({"base": "cn"})
    doc["materials"].append({"id": "x", "kind": "advert", "channel": "web", "file": name})
    (folder / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, report, _ = audit(folder)
    finding = assert_located(report["campaigns"][0], categories=("input",))
    assert finding["location"]["pointer"] == "/materials/2/file" and finding["location"]["line"] >= 1
    assert "outside" in finding["message"] and "TOP-SECRET" not in json.dumps(report)
    assert code == 1


def test_fifo_in_a_folder_and_named_explicitly(tmp_path, good):
    os.mkfifo(tmp_path / "pipe.json")
    code, report, _ = audit(tmp_path)  # must not hang waiting for a writer
    assert "not a regular file" in assert_located(only_campaign(report, "pipe.json"))["message"] and code == 1
    code, report, _ = audit(tmp_path / "pipe.json", good)
    assert code == 1 and only_campaign(report, "good.json")["findings"] == []


def test_directory_named_like_a_campaign(tmp_path, good):
    (tmp_path / "x.json").mkdir()
    code, report, _ = audit(tmp_path / "x.json", good)
    assert "folder" in assert_located(only_campaign(report, "x.json"))["message"] and code == 1


def test_file_without_read_permission(tmp_path, good, monkeypatch):
    """Root ignores permission bits, so the refusal is simulated at the system call."""
    from click.testing import CliRunner

    from auditor.cli import main

    locked = tmp_path / "locked.json"
    locked.write_text("{}", encoding="utf-8")
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        if str(path).endswith("locked.json"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    report = json.loads(result.output)
    finding = assert_located(only_campaign(report, "locked.json"), severity="critical")
    assert "Permission denied" in finding["message"] and result.exit_code == 1
    assert only_campaign(report, "good.json")["findings"] == []
