"""The entry points of one group, read from the installed distributions' metadata without importlib.metadata.

`importlib.metadata.entry_points(group=...)` imports `email`, `zipfile`, `csv` and more, and builds a
Distribution object per installed package: 45-55 ms of a one-file run whose plugin list is not cached
(the first run after an install, or `AUDITOR_NO_CACHE=1`). This module reads the same files by the same
rules as Python 3.11's importlib.metadata:

- the distributions are the `*.dist-info` and `*.egg-info` entries directly under each `sys.path` folder
  (the working directory for an empty entry), in path order and then in the folder's listing order;
- of several with one normalised name (PEP 503, dashes as underscores), the first one found counts;
- `entry_points.txt` is read as UTF-8 (a distribution without one, or a file where a folder was expected,
  has none); a stripped line that is empty or starts with `#` is skipped, `[name]` opens a section, and each
  other line of a section is split at its first `=` into a name and a value, both stripped.

Whatever it does not mirror exactly raises `Unsupported`, and `entry_points` asks importlib.metadata
instead: a zip archive or an `.egg` on the path, a distribution finder other than the standard path
finder on `sys.meta_path`, a metadata folder whose name importlib.metadata would read from its METADATA
file, an entry-point file that is not UTF-8 or has a line without `=` (on which importlib.metadata
raises). `tests/test_entrypoints.py` compares both on the test environment and on made-up path folders.
"""

from __future__ import annotations

import os
import re
import sys

_SUFFIXES = (".dist-info", ".egg-info")


class Unsupported(Exception):
    """A case this scan does not mirror exactly: importlib.metadata decides."""


def entry_points(group: str) -> list[tuple[str, str]]:
    """(name, value) of every entry point of `group` of the installed distributions, unsorted."""
    try:
        return scan(group)
    except Unsupported:
        from importlib.metadata import entry_points as installed

        return [(entry.name, entry.value) for entry in installed(group=group)]


def scan(group: str, path: list | None = None) -> list[tuple[str, str]]:
    """The scan itself, over `path` (default `sys.path`); raises Unsupported (see the module)."""
    _only_the_path_finder()
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for root in sys.path if path is None else path:
        for name, folder in _metadata_folders(root):
            if name not in seen:
                seen.add(name)
                found += _group_entries(_entry_point_text(folder), group)
    return found


def _only_the_path_finder() -> None:
    """importlib.metadata asks every finder on `sys.meta_path` that can find distributions; only the standard
    path finder's search is mirrored here."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            raise Unsupported(f"distribution finder {finder!r}")


def _metadata_folders(root) -> list[tuple[str, str]]:
    """(normalised name, path) of each metadata entry directly under a `sys.path` entry, in listing order."""
    if not isinstance(root, str):
        raise Unsupported(f"path entry {root!r}")
    try:
        children = os.listdir(root or ".")
    except Exception:
        if os.path.isfile(root):  # a zip archive: importlib.metadata looks inside it
            raise Unsupported(f"archive on the path: {root}") from None
        return []  # missing or unreadable: no distributions there
    if os.path.basename(root).lower().endswith(".egg"):
        raise Unsupported(f"egg on the path: {root}")
    return [(_normalized_name(child), os.path.join(root, child)) for child in children
            if child.lower().endswith(_SUFFIXES)]


def _normalized_name(child: str) -> str:
    """The name importlib.metadata tells distributions apart by, from the entry's name (`Foo.Bar-1.0.dist-info`
    -> `foo_bar`)."""
    stem, suffix = os.path.splitext(child)
    name = stem.partition("-")[0]
    if suffix not in _SUFFIXES or not name:
        raise Unsupported(f"metadata named by its contents: {child}")
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _entry_point_text(folder: str) -> str:
    try:
        with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
            return fh.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return ""  # importlib.metadata's "no entry points" for these
    except (OSError, ValueError) as exc:  # e.g. not UTF-8 (a ValueError): importlib.metadata raises its own error
        raise Unsupported(f"{folder}: {exc}") from None


def _group_entries(text: str, group: str) -> list[tuple[str, str]]:
    """(name, value) of the entries of section `group`, every section's lines checked as importlib.metadata
    parses them all."""
    entries = []
    section = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue  # before the first section: importlib.metadata ignores it
        if "=" not in line:
            raise Unsupported(f"entry point line without `=`: {line!r}")
        name, value = line.split("=", 1)
        if section == group:
            entries.append((name.strip(), value.strip()))
    return entries
