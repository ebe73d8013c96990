"""Hostile material files: each is refused (or read safely) with a located finding, never a traceback, a hang,
a fetch or an unbounded allocation."""

from __future__ import annotations

import io
import json
import socket
import struct
import time
import zipfile
import zlib

import pytest
from helpers import REPO

from auditor.engine import audit_file
from auditor.examples import base
from auditor.load.materials import LimitExceeded, MaterialError, MaterialLimits, read_material

FIXTURES = REPO / "tests" / "materials" / "fixtures"


def audit_with_material(tmp_path, name: str, data: bytes):
    document = base("cn")
    document["materials"].append({"id": "hostile", "kind": "poster", "channel": "web", "file": name})
    (tmp_path / name).write_bytes(data)
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = audit_file(path, "campaign.json")
    pointer = f"/materials/{len(document['materials']) - 1}/file"
    return [f for f in result.findings if f.location.pointer == pointer and f.rule == "AUD-E005"]


def pdf_with_stream(payload: bytes) -> bytes:
    """A small, well-formed one-page PDF whose content stream is `payload` (Flate-compressed)."""
    compressed = zlib.compress(payload, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_malformed_pdf_is_a_finding(tmp_path):
    truncated = (FIXTURES / "terms.pdf").read_bytes()[:1500]
    [finding] = audit_with_material(tmp_path, "poster.pdf", truncated)
    assert "the PDF is damaged and cannot be read" in finding.message
    garbage = b"%PDF-1.4\n" + bytes(range(256)) * 40
    [finding] = audit_with_material(tmp_path, "garbage.pdf", garbage)
    assert "damaged" in finding.message


def test_a_pdf_bomb_is_refused_before_it_is_expanded(tmp_path):
    bomb = pdf_with_stream(b"0 0 m " * 40_000_000)  # 240 MB of drawing operators in a ~250 KB file
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    [finding] = audit_with_material(tmp_path, "bomb.pdf", bomb)
    assert "unpacks to more than" in finding.message
    assert time.monotonic() - started < 20
    small = pdf_with_stream(b"BT /F1 12 Tf 72 712 Td (hello) Tj ET")
    read_material(small, "small.pdf")  # a normal stream passes the check


def test_a_docx_zip_bomb_is_refused_from_its_directory(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b" " * (150 * 1024 * 1024))
    [finding] = audit_with_material(tmp_path, "terms.docx", buffer.getvalue())
    assert "unpacks to" in finding.message and "ZIP bomb" in finding.message


def test_an_html_page_with_remote_resources_is_read_without_fetching(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = ('<!DOCTYPE html [<!ENTITY lol "lollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<html><head><link rel="stylesheet" href="https://evil.example/x.css">'
            '<meta http-equiv="refresh" content="0; url=https://evil.example/">'
            '<base href="https://evil.example/"><script src="https://evil.example/x.js"></script></head>'
            '<body onload="fetch(\'https://evil.example/\')"><iframe src="https://evil.example/frame"></iframe>'
            '<object data="https://evil.example/o.swf"></object><img src="https://evil.example/i.png" alt="免费">'
            '<p>&lol2; 首月免费</p></body></html>')
    assert audit_with_material(tmp_path, "landing.html", page.encode("utf-8")) == []
    reading = read_material(page.encode("utf-8"), "landing.html")
    assert "lollollollol" not in reading.text  # no entity of the page's own DTD is expanded
    assert "首月免费" in reading.text


def test_deeply_nested_html_is_refused_not_read_in_part():
    page = b"<div>" * 100_000 + b"deep words" + b"</div>" * 100_000
    with pytest.raises(LimitExceeded, match="256 levels"):
        read_material(page, "deep.html")
    assert read_material(b"<div>" * 200 + b"deep words" + b"</div>" * 200, "ok.html").text == "deep words"


def png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_a_huge_image_is_refused_from_its_header(tmp_path):
    huge = png_header(60_000, 60_000)  # 3.6 billion pixels declared in 100 bytes
    [finding] = audit_with_material(tmp_path, "poster.png", huge)
    assert "pixel" in finding.message
    with pytest.raises(LimitExceeded):
        read_material(png_header(5000, 5000), "p.png", MaterialLimits(max_pixels=1_000_000))


def test_a_damaged_image_is_a_finding(tmp_path):
    [finding] = audit_with_material(tmp_path, "poster.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 50)
    assert finding.message.startswith("material file `poster.jpg`:")


def test_text_over_the_character_limit_is_refused():
    with pytest.raises(LimitExceeded, match="characters"):
        read_material(b"<p>" + b"x" * 5000 + b"</p>", "a.html", MaterialLimits(max_characters=1000))


def test_a_damaged_word_file_is_a_finding(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<not-word")
    [finding] = audit_with_material(tmp_path, "terms.docx", buffer.getvalue())
    assert "Word file is damaged" in finding.message
    with pytest.raises(MaterialError):
        read_material(buffer.getvalue(), "terms.docx")
