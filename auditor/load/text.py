"""Decoding campaign text files: UTF-8 only, with located errors."""

from __future__ import annotations

from auditor.findings import Location, Severity
from auditor.load import Problem

_UTF8_BOM = b"\xef\xbb\xbf"


def decode_utf8(data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8; a BOM is tolerated but reported, UTF-16 and bad bytes are not."""
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem("the file is saved as UTF-16; save it as UTF-8", Location(pointer="", line=1, column=1))]
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
        problems.append(Problem(
            "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM so every tool reads it the same way",
            Location(pointer="", line=1, column=1), Severity.HIGH))
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column}); save it as UTF-8",
            Location(pointer="", line=line, column=column)))
        return None, problems
