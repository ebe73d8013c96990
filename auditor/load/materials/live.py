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
    comparer = _LiveComparer(session.options, _exports(folder), folder)
    for path, shown in files:
        approved = session.audit_one(path, shown, keep_documents=True)
        if isinstance(approved.document, dict):
            comparer.compare(approved, approved.document, shown)
    comparer.report_unused()
    return comparer.check


def _materials(document: dict) -> list:
    materials = document.get("materials")
    return materials if isinstance(materials, list) else []


class _LiveComparer:
    """Compares the live exports in one folder with the approved materials of each campaign."""

    def __init__(self, options, exports: dict[str, Path], folder: Path) -> None:
        self.check = LiveCheck()
        self.options = options
        self.exports = exports
        self.folder = folder
        self.used: set[Path] = set()

    def compare(self, approved, document: dict, shown: str) -> None:
        """Each material with a live export: its words compared; changed words re-audited."""
        live_texts: dict[int, str] = {}
        for index, material in enumerate(_materials(document)):
            if not isinstance(material, dict):
                continue
            live_text = self.changed_words(approved, document, index, material, shown)
            if live_text is not None:
                live_texts[index] = live_text
        if live_texts:
            self.report_new_findings(approved, document, live_texts, shown)

    def changed_words(self, approved, document: dict, index: int, material: dict, shown: str) -> str | None:
        """The live words of a material when they are not the approved ones (white space aside)."""
        from auditor.load.materials import MaterialError

        check = self.check
        ident = material.get("id", f"#{index + 1}")
        live = match(material, self.exports)
        if live is None:
            check.notes.append(f"{shown}: material `{ident}` has no live export in {self.folder}; not checked")
            return None
        self.used.add(live)
        check.matched += 1
        language = material.get("language") or document.get("language")
        try:
            reading = self.read(live, language if isinstance(language, str) else None)
        except MaterialError as exc:
            check.problems.append(f"{shown}: live material `{ident}` ({live.name}) cannot be read: {exc}")
            return None
        words = approved.material_texts.get(index, material.get("text"))
        if not isinstance(words, str):
            check.notes.append(f"{shown}: material `{ident}`: the approved words could not be read; "
                               f"{live.name} not compared")
            return None
        if _squeezed(words) == _squeezed(reading.text):
            return None
        check.changed += 1
        check.problems.append(f"{shown}: material `{ident}` changed after approval: {live.name} differs "
                              f"from the approved words ({first_difference(words, reading.text)})")
        return reading.text

    def read(self, live: Path, language: str | None):
        from auditor.load import read_bytes
        from auditor.load.materials import MaterialError, read_material

        data, error = read_bytes(live, self.options.max_file_bytes)
        if data is None:
            raise MaterialError(error or "cannot read the file")
        return read_material(data, live.name, self.options.material_limits, language)

    def report_new_findings(self, approved, document: dict, live_texts: dict[int, str], shown: str) -> None:
        """Findings the live words raise that the approved campaign does not have."""
        from auditor.campaign import Campaign
        from auditor.engine import run_rules
        from auditor.sourcemap import SourceMap

        texts = {**approved.material_texts, **live_texts}
        campaign = Campaign(document, file_texts=texts, extra_own_names=self.options.extra_own_names)
        findings, _ = run_rules(campaign, SourceMap(), self.options, False)
        before = {_key(f) for f in approved.findings}
        for finding in sorted(findings, key=lambda f: f.sort_key()):
            if _key(finding) not in before:
                evidence = f" «{finding.evidence}»" if finding.evidence else ""
                self.check.problems.append(f"{shown}: the live words raise {finding.rule} "
                                           f"({finding.severity.value}) at {finding.location.pointer}: "
                                           f"{finding.message}{evidence}")

    def report_unused(self) -> None:
        for name, path in self.exports.items():
            if path not in self.used:
                self.check.notes.append(f"{self.folder / name}: matches no material of the campaigns "
                                        "(by file name or id)")
