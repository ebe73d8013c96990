"""The engine's side of material files: read one with the right reader and record what came of it."""

from __future__ import annotations

from auditor.findings import Severity
from auditor.load.materials import MaterialError, read_material


def read_into(texts: dict, readings: dict, index: int, name: str, data: bytes, doc: dict, material: dict, options,
              out: list, irregularity, path=None) -> str | None:
    """Read material `index` (its file's bytes) into `texts` and `readings`; append a finding per note to `out`
    (`irregularity(message, severity)` makes one). Returns the problem when the file cannot be read."""
    language = material.get("language") if isinstance(material.get("language"), str) else doc.get("language")
    try:
        reading = read_material(data, name, options.material_limits, language if isinstance(language, str) else None)
    except MaterialError as exc:
        return f"material file `{name}`: {exc}"
    reading.path = str(path) if path is not None else ""
    texts[index] = reading.text
    readings[index] = (name, reading)
    for warning in reading.warnings:
        out.append(irregularity(f"material file `{name}`: {warning}", Severity.LOW))
    for note in reading.notes:
        out.append(irregularity(f"material file `{name}`: {note}", Severity.INFO))
    return None
