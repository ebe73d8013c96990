"""Loaders: turn a file into a campaign document plus a source map.

Every loader returns a `Loaded` value and never raises for bad input: a file
that cannot be read or parsed is a value (`document is None`) carrying
`input` problems, so one bad file never stops a batch (check-jsonschema's
"ParseError as a value" pattern).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from auditor.findings import Location, Severity
from auditor.messages import T
from auditor.sourcemap import SourceMap

CAMPAIGN_SUFFIXES = (".json", ".yaml", ".yml", ".xlsx", ".xlsm")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")

# Refuse to read anything larger; a campaign definition is a few kilobytes.
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """A load-time problem, turned into an `input` finding by the engine."""

    message: str
    location: Location
    severity: Severity = Severity.CRITICAL
    rule: str | None = None  # reserved engine rule; by default AUD-E001 (critical) or AUD-E006
    # The translatable form (a messages.T) when the message was given as one; `message` is then its English.
    message_t: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if not isinstance(self.message, str):  # given a T by an untyped caller
            object.__setattr__(self, "message_t", self.message)
            object.__setattr__(self, "message", str(self.message))

    @classmethod
    def of(cls, message: str | T, location: Location, severity: Severity = Severity.CRITICAL,
           rule: str | None = None) -> Problem:
        """A problem whose message may be translatable (a messages.T); its English is `message`."""
        if isinstance(message, str):
            return cls(message, location, severity, rule)
        return cls(str(message), location, severity, rule, message_t=message)


@dataclass
class Loaded:
    """A campaign file as loaded: its document, source map and load problems."""

    kind: str
    sha256: str
    document: object | None = None
    sourcemap: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    # An unfilled template: example values are still in place, so only "fill in" findings are reported.
    template: bool = False
    # Characters of the JSON or YAML text parsed (bounds every string in the document); None for workbooks.
    text_length: int | None = None
    # Workbooks: the sheet names in the workbook's order (findings are listed in it).
    sheets: tuple[str, ...] = ()
    # Workbooks: pointers of cells still holding a template example (their field is not "missing").
    placeholders: frozenset = frozenset()


def kind_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in WORKBOOK_SUFFIXES:
        return "xlsx"
    return None


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[bytes | None, str | None]:
    """Read a regular file, refusing FIFOs, devices, folders and oversized files."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return None, "this is a folder, not a campaign file"
    if not stat.S_ISREG(st.st_mode):
        return None, "this is not a regular file (a pipe, device or socket); it was not read"
    if st.st_size > max_bytes:
        return None, f"the file is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit; a campaign file is far smaller"
    try:
        # O_NONBLOCK: a path swapped for a FIFO after the check above cannot hang the run.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "this is not a regular file (a pipe, device or socket); it was not read"
        # Ask for the size just seen (plus one byte, to notice growth), not for the limit: a read of the
        # limit would allocate 20 MB for every few-kilobyte file.
        chunks, total, want = [], 0, min(st.st_size, max_bytes) + 1
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                return None, f"the file grew past the {max_bytes:,}-byte limit while being read"
            want = min(1 << 20, max_bytes + 1 - total)
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}"
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks), None


def load_path(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES, limits=None) -> Loaded:
    kind = kind_of(path)
    data, error = read_bytes(path, max_bytes)
    if data is None:
        return Loaded(kind=kind or "json", sha256=hashlib.sha256(b"").hexdigest(),
                      problems=[Problem(error or "cannot read the file", Location(pointer=""))])
    digest = hashlib.sha256(data).hexdigest()
    if kind is None:
        suffix = path.suffix.lower() or "(none)"
        hint = " (a CSV file cannot hold a campaign; start from `auditor template`)" if suffix == ".csv" else ""
        loaded = Loaded(kind="json", sha256=digest, problems=[Problem(
            f"`{suffix}` is not a campaign file type; use .json, .yaml, .yml or .xlsx{hint}", Location(pointer=""))])
        return loaded
    if kind == "xlsx":
        from auditor.load.xlsx import load_xlsx

        loaded = load_xlsx(data, limits, macro_enabled=path.suffix.lower() == ".xlsm")
    elif kind == "yaml":
        from auditor.load.yamlfile import load_yaml

        loaded = load_yaml(data)
    else:
        from auditor.load.jsonfile import load_json

        loaded = load_json(data)
    loaded.sha256 = digest
    return loaded
