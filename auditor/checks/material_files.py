"""AUD-E005 and AUD-E006: the texts of materials given as files (`materials[].file`).

A material file must stay inside the campaign's folder (no absolute path, no `..`, no link leading out); its
text is read by `auditor.load.materials`, whose warnings and notes are input irregularities (AUD-E006). This is
the one engine rule that reads files: it runs before the checklist rules, which see the texts it read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from auditor.checks.engine_rules import INPUT_IRREGULARITY, MATERIAL_FILE, EngineHit
from auditor.load import read_bytes


def read_material_files(doc: dict, base: Path, options, texts: dict[int, str],
                        readings: dict) -> Iterator[EngineHit]:
    """Read each `materials[].file` into `texts` (index -> text) and `readings` (index -> (name, Reading)), and
    yield what stood in the way. `options`: the audit options (file size and material limits)."""
    listed = doc.get("materials")
    materials = listed if isinstance(listed, list) else []
    root = None
    for i, material in enumerate(materials):
        if not isinstance(material, dict) or not isinstance(material.get("file"), str) or "text" in material:
            continue
        root = root or base.resolve()  # only when a material is in a file: resolving costs system calls
        pointer = f"/materials/{i}/file"
        found: list[EngineHit] = []
        problem = _read_one(doc, material, i, base, root, options, texts, readings, found, pointer)
        yield from found
        if problem:
            yield EngineHit(MATERIAL_FILE, pointer, problem)


def _read_one(doc: dict, material: dict, index: int, base: Path, root: Path, options, texts: dict, readings: dict,
              found: list, pointer: str) -> str | None:
    """Read one material's file; what makes it unreadable, or None (its irregularities appended to `found`)."""
    name = material["file"]
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return f"`{name}` points outside the campaign's folder; give a path inside it"
    resolved = (base / name).resolve()
    if not resolved.is_relative_to(root):
        return f"`{name}` leads outside the campaign's folder (through a link); copy the text inside it"
    data, error = read_bytes(resolved, options.max_file_bytes)
    if data is None:
        return f"material file `{name}`: {error}"
    from auditor.load.materials.engine import read_into

    return read_into(texts, readings, index, name, data, doc, material, options, found,
                     lambda message, severity: EngineHit(INPUT_IRREGULARITY, pointer, message, severity), resolved)
