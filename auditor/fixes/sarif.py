"""SARIF artifact changes for fixes that edit a text held in a JSON or YAML source.

A text edit is located by finding the old value, written as the source writes it, exactly once in the
file; the change is kept only when the edited file parses and holds the new value at the pointer (a
plain YAML scalar that the added sentence would break is left to the JSON Patch instead).
"""

from __future__ import annotations

import json
from pathlib import Path


def _edits(patch: list) -> list[tuple[str, str, str]]:
    """(pointer, old, new) for each `test` + `replace` pair on a string."""
    out = []
    for test, replace in zip(patch, patch[1:]):
        if (test.get("op") == "test" and replace.get("op") == "replace" and test.get("path") == replace.get("path")
                and isinstance(test.get("value"), str) and isinstance(replace.get("value"), str)):
            out.append((replace["path"], test["value"], replace["value"]))
    return out


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _encodings(source_kind: str, old: str, new: str) -> list[tuple[str, str]]:
    if source_kind == "json":
        return [(json.dumps(old, ensure_ascii=False)[1:-1], json.dumps(new, ensure_ascii=False)[1:-1])]
    return [(old, new), (old.replace("'", "''"), new.replace("'", "''")),
            (json.dumps(old, ensure_ascii=False)[1:-1], json.dumps(new, ensure_ascii=False)[1:-1])]


def artifact_changes(result, fix) -> list[dict]:
    kind = getattr(result, "kind", "")
    if kind not in ("json", "yaml"):
        return []
    path = Path(result.source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    found = text_replacements(text, kind, fix.patch)
    if not found:
        return []
    return [{"artifactLocation": {"uri": result.source},
             "replacements": [{"deletedRegion": region, "insertedContent": {"text": written_new}}
                              for region, written_new, _, _ in found]}]


def apply_to_text(text: str, kind: str, patch: list) -> str | None:
    """The source text with the patch applied in place (its layout and comments kept), when every operation
    of the patch is a text edit found in it; None otherwise."""
    if any(op.get("op") not in ("test", "replace") for op in patch) or len(_edits(patch)) * 2 != len(patch):
        return None
    found = text_replacements(text, kind, patch)
    if not found:
        return None
    for _, written_new, start, end in sorted(found, key=lambda r: r[2], reverse=True):
        text = text[:start] + written_new + text[end:]
    return text


def text_replacements(text: str, kind: str, patch: list) -> list:
    """(region, new text, start, end) per text edit of the patch, each old value found exactly once; [] when
    one is not found or the edited text would not parse to the new values."""
    replacements = []
    changed = text
    for _pointer, old, new in _edits(patch):
        if not old:
            return []
        for written_old, written_new in _encodings(kind, old, new):
            if text.count(written_old) != 1:
                continue
            start = text.index(written_old)
            end = start + len(written_old)
            start_line, start_column = _position(text, start)
            end_line, end_column = _position(text, end)
            replacements.append(({"startLine": start_line, "startColumn": start_column, "endLine": end_line,
                                  "endColumn": end_column}, written_new, start, end))
            break
        else:
            return []
    if not replacements:
        return []
    for _, written_new, start, end in sorted(replacements, key=lambda r: r[2], reverse=True):
        changed = changed[:start] + written_new + changed[end:]
    if not _holds(changed, kind, _edits(patch)):
        return []
    return replacements


def _holds(changed: str, kind: str, edits) -> bool:
    from auditor.fixes.patch import PatchError, get

    try:
        if kind == "json":
            doc = json.loads(changed)
        else:
            import yaml

            doc = yaml.safe_load(changed)
        return all(get(doc, pointer) == new for pointer, _, new in edits)
    except (ValueError, PatchError, Exception):  # noqa: BLE001 (any parse failure: no artifact change)
        return False


def suggestion(result, fix) -> tuple[int, int, str] | None:
    """(first line, last line, the lines as they read after the fix) for a GitHub suggestion block."""
    changes = artifact_changes(result, fix)
    if not changes:
        return None
    try:
        lines = Path(result.source).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    replacements = changes[0]["replacements"]
    first = min(r["deletedRegion"]["startLine"] for r in replacements)
    last = max(r["deletedRegion"]["endLine"] for r in replacements)
    block = "\n".join(lines[first - 1:last])
    offsets = []
    for r in replacements:
        region = r["deletedRegion"]

        def offset(line, column):
            return sum(len(x) + 1 for x in lines[first - 1:line - 1]) + column - 1

        offsets.append((offset(region["startLine"], region["startColumn"]),
                        offset(region["endLine"], region["endColumn"]), r["insertedContent"]["text"]))
    for start, end, inserted in sorted(offsets, reverse=True):
        block = block[:start] + inserted + block[end:]
    return first, last, block
