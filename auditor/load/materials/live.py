"""`auditor verify APPROVAL CAMPAIGN --materials DIR`: are the materials live now the ones legal approved?

DIR holds what customers see today, exported: the landing page saved from the browser, the poster PDF from the
print shop, the SMS text from the sending platform. A live file is matched to a material by the name of the
material's own file (`landing.html`), else by the material's id (`web.html`, `web.pdf`, `sms.txt`). Each is read
with the same readers as the campaign's materials and compared with the approved words (white space aside);
a material whose words changed is re-audited with its live words, and any finding the approved campaign does
not have is reported. Materials with no live export are listed, not failed (not every material is online).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MATERIAL_POINTER = re.compile(r"^(/materials/\d+)/(?:file|text)")


@dataclass
class LiveCheck:
    problems: list[str] = field(default_factory=list)  # each one fails `verify`
    notes: list[str] = field(default_factory=list)
    matched: int = 0
    changed: int = 0


def _squeezed(text: str) -> str:
    return "".join(text.split())


def first_difference(approved: str, live: str, radius: int = 24) -> str:
    a, b = _squeezed(approved), _squeezed(live)
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, at - radius)
    return f"approved «{a[start:at + radius]}», live «{b[start:at + radius]}»"


def _exports(folder: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def match(material: dict, exports: dict[str, Path]) -> Path | None:
    name = material.get("file")
    if isinstance(name, str) and Path(name).name in exports:
        return exports[Path(name).name]
    ident = material.get("id")
    if isinstance(ident, str):
        candidates = [p for n, p in exports.items() if n.rsplit(".", 1)[0] == ident]
        if len(candidates) == 1:
            return candidates[0]
    return None


def _key(finding) -> tuple:
    return finding.rule, MATERIAL_POINTER.sub(r"\1", finding.location.pointer), finding.severity.value


def check_live(session, files: list[tuple[Path, str]], folder: Path) -> LiveCheck:
    from auditor.campaign import Campaign
    from auditor.engine import run_rules
    from auditor.load import read_bytes
    from auditor.load.materials import MaterialError, read_material
    from auditor.sourcemap import SourceMap

    check = LiveCheck()
    exports = _exports(folder)
    used: set[Path] = set()
    options = session.options
    for path, shown in files:
        approved = session.audit_one(path, shown, keep_documents=True)
        document = approved.document if isinstance(approved.document, dict) else None
        materials = document.get("materials") if document and isinstance(document.get("materials"), list) else []
        live_texts: dict[int, str] = {}
        for index, material in enumerate(materials):
            if not isinstance(material, dict):
                continue
            ident = material.get("id", f"#{index + 1}")
            live = match(material, exports)
            if live is None:
                check.notes.append(f"{shown}: material `{ident}` has no live export in {folder}; not checked")
                continue
            used.add(live)
            check.matched += 1
            data, error = read_bytes(live, options.max_file_bytes)
            language = material.get("language") or document.get("language")
            try:
                if data is None:
                    raise MaterialError(error or "cannot read the file")
                reading = read_material(data, live.name, options.material_limits,
                                        language if isinstance(language, str) else None)
            except MaterialError as exc:
                check.problems.append(f"{shown}: live material `{ident}` ({live.name}) cannot be read: {exc}")
                continue
            words = approved.material_texts.get(index, material.get("text"))
            if not isinstance(words, str):
                check.notes.append(f"{shown}: material `{ident}`: the approved words could not be read; "
                                   f"{live.name} not compared")
                continue
            if _squeezed(words) != _squeezed(reading.text):
                check.changed += 1
                live_texts[index] = reading.text
                check.problems.append(f"{shown}: material `{ident}` changed after approval: {live.name} differs "
                                      f"from the approved words ({first_difference(words, reading.text)})")
        if live_texts and document is not None:
            texts = {**approved.material_texts, **live_texts}
            campaign = Campaign(document, file_texts=texts, extra_own_names=options.extra_own_names)
            findings, _ = run_rules(campaign, SourceMap(), options, False)
            before = {_key(f) for f in approved.findings}
            for finding in sorted(findings, key=lambda f: f.sort_key()):
                if _key(finding) not in before:
                    evidence = f" «{finding.evidence}»" if finding.evidence else ""
                    check.problems.append(f"{shown}: the live words raise {finding.rule} ({finding.severity.value}) "
                                          f"at {finding.location.pointer}: {finding.message}{evidence}")
    for name, path in exports.items():
        if path not in used:
            check.notes.append(f"{folder / name}: matches no material of the campaigns (by file name or id)")
    return check
