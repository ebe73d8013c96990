"""Which files are campaigns (campaign-format.md section 3).

A JSON or YAML file is a campaign when it declares `format: campaign/v1`; a
workbook when it has the campaign layout (a `Campaign` sheet or one of the
list sheets). Under a folder, a file that parses and is clearly something
else (a baseline, a waiver file, a CI definition, a plugin's checklist) is
skipped and counted; a file that cannot be read or parsed is never skipped,
so a broken campaign still fails the gate as an `input` finding. A file named
on the command line is always audited, except the configuration, waiver and
baseline files in use, which are never audited.

Classification errs toward auditing: only a file that was parsed and found
to be something else is skipped.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditor.load import CAMPAIGN_SUFFIXES, DEFAULT_MAX_FILE_BYTES, kind_of, read_bytes

MARKER = b"campaign/v1"
# Top-level fields only a campaign has (`id` and `name` are too common to tell anything).
CAMPAIGN_FIELDS = frozenset({"offer", "fees", "materials", "channels", "period", "end_of_term", "cancellation",
                             "consent", "minimum_spend", "validity_limits", "operator", "operator_aliases"})
# The workbook layout of section 2: a campaign workbook has at least one of these sheets.
CAMPAIGN_SHEETS = frozenset({"campaign", "fees", "notifications", "cancellation", "materials", "eligibility",
                             "validitylimits"})
_MAX_WORKBOOK_INDEX = 4 * 1024 * 1024  # xl/workbook.xml of a campaign is a few kilobytes


class UsageError(Exception):
    """A path that does not exist (exit code 2)."""


@dataclass(frozen=True)
class Skipped:
    """A file found under a folder that is not audited, and why."""

    source: str
    reason: str

    def to_dict(self) -> dict:
        return {"source": self.source, "reason": self.reason}


@dataclass
class Discovery:
    """The campaign files to audit and the files skipped."""

    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, display path), sorted
    skipped: list[Skipped] = field(default_factory=list)


def display_path(path: Path) -> str:
    """The path as reported: relative to the working directory when inside it, with `/`."""
    text = os.path.normpath(str(path))
    if os.path.isabs(text):
        cwd = os.getcwd()
        if text == cwd or text.startswith(cwd.rstrip(os.sep) + os.sep):
            text = os.path.relpath(text, cwd)
    return Path(text).as_posix()


def walk(paths: Iterable[str], excludes: Iterable[str] = ()) -> list[tuple[Path, str, bool]]:
    """Files with a campaign suffix under the given paths: (path, display path, named explicitly).

    Recursive, sorted, de-duplicated; hidden folders and files and Office lock files (`~$`) are left out.
    Raises UsageError for a path that does not exist.
    """
    found: dict[str, tuple[Path, bool]] = {}
    patterns = list(excludes)
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {raw}")
        if path.is_dir() and not path.name.lower().endswith(CAMPAIGN_SUFFIXES):
            for shown, file in _folder_files(path):
                found.setdefault(shown, (file, False))
        else:
            # A file named explicitly is audited whatever its suffix (and reported if it is not a campaign).
            found[display_path(path)] = (path, True)
    return [(p, shown, explicit) for shown, (p, explicit) in sorted(found.items())
            if not any(fnmatch.fnmatch(shown, pat) for pat in patterns)]


def _folder_files(path: Path) -> Iterator[tuple[str, Path]]:
    """(display path, path) of each file with a campaign suffix under the folder, not hidden nor a lock file."""
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # display_path once per folder: an archive folder holds thousands of campaigns
        folder, shown = Path(root), display_path(Path(root))
        prefix = "" if shown == "." else shown if shown.endswith("/") else shown + "/"
        for name in sorted(files):
            if name.lower().endswith(CAMPAIGN_SUFFIXES) and not name.startswith((".", "~$")):
                yield prefix + name, folder / name


def find_campaigns(paths: Iterable[str], excludes: Iterable[str] = (), protected: Iterable[Path] = (),
                   classify_explicit: bool = False, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                   limits=None) -> Discovery:
    """The campaign files among `paths`, and the files skipped with the reason.

    `protected`: the configuration, waiver and baseline files in use, never audited.
    `classify_explicit`: apply the folder rule to files named explicitly too (the pre-commit hook, which
    names every changed file). `limits`: the AuditOptions whose depth and string limits apply (a file
    over them is reported, never skipped).
    """
    never = {_identity(p) for p in protected if p is not None}
    found = Discovery()
    for path, shown, explicit in walk(paths, excludes):
        reason = _protected_reason(path, never)
        if reason is None and (classify_explicit or not explicit):
            reason = not_a_campaign(path, max_bytes, limits)
        if reason is None:
            found.files.append((path, shown))
        else:
            found.skipped.append(Skipped(shown, reason))
    return found


def _identity(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return os.path.abspath(path)
    return (st.st_dev, st.st_ino)


def _protected_reason(path: Path, never: set) -> str | None:
    if never and _identity(path) in never:
        return "it is the configuration, waiver or baseline file in use"
    return None


def not_a_campaign(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES, limits=None) -> str | None:
    """Why the file is clearly not a campaign, or None when it is (or may be) one and must be audited."""
    kind = kind_of(path)
    if kind is None:
        return None  # reported by the loader as a file type that cannot hold a campaign
    if kind == "xlsx":
        return _workbook_reason(path)
    data, error = read_bytes(path, max_bytes)
    if data is None or MARKER in data:
        return None
    if kind == "json":
        from auditor.load.jsonfile import load_json

        loaded = load_json(data)
    else:
        from auditor.load.yamlfile import load_yaml

        loaded = load_yaml(data)
    if loaded.document is None or any(p.severity.value == "critical" for p in loaded.problems):
        return None  # cannot be parsed: an input finding, never skipped
    from auditor.engine import _limit_problem

    if _limit_problem(loaded.document, limits or _default_limits(), loaded.text_length) is not None:
        return None  # nested too deep or too long to read safely: an input finding (AUD-E008), never skipped
    return document_reason(loaded.document)


def _default_limits():
    from auditor.engine import AuditOptions

    return AuditOptions()


def document_reason(document) -> str | None:
    """Why a parsed document is clearly not a campaign, or None."""
    if isinstance(document, dict):
        declared = document.get("format")
        if isinstance(declared, str) and declared.strip().lower().startswith("campaign/"):
            return None  # a campaign (perhaps of another version, which the schema reports)
        if CAMPAIGN_FIELDS & set(document):
            return None  # looks like a campaign that forgot its format marker: the schema says so
        if declared is not None:
            return f"it declares format `{str(declared)[:80]}`, not campaign/v1"
        if "waivers" in document:
            return "it is a waiver file"
        return "it has no `format: campaign/v1` and none of a campaign's fields"
    if isinstance(document, list):
        if any(isinstance(item, dict) and CAMPAIGN_FIELDS & set(item) for item in document):
            return None
        return "it is a list, not a campaign"
    if document is None:
        return None  # an empty file: reported by the schema, never skipped silently
    return "it holds a single value, not a campaign"


def _workbook_reason(path: Path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > _MAX_WORKBOOK_INDEX:
                return None
            from defusedxml.ElementTree import fromstring

            root = fromstring(archive.read(info))
    except Exception:  # not a readable workbook: the loader reports it as an input finding
        return None
    names = [element.get("name") or "" for element in root.iter() if element.tag.endswith("}sheet")]
    if not names:
        return None
    if any(name.strip().lower() in CAMPAIGN_SHEETS for name in names):
        return None
    return "it is a workbook without the campaign layout (no `Campaign` sheet)"


def summary_line(skipped: list) -> str:
    """'skipped 3 files that are not campaigns' (empty when nothing was skipped)."""
    count = len(skipped)
    if not count:
        return ""
    return "skipped 1 file that is not a campaign" if count == 1 else \
        f"skipped {count} files that are not campaigns"
