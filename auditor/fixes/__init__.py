"""Proven fixes (issue #23): the concrete edit that clears a finding, shown to clear it.

For each finding a generator (auditor.fixes.generate) proposes edits built from the campaign's own
structure and the reviewed texts of checklists/fixes/templates.yaml. Each candidate is applied to a copy
of the campaign and the copy is audited again with the same rules and options: the fix is offered
("fix verified") only when its finding is gone and no new finding at medium or above appeared. The proof
is the re-audit itself, so it follows the rules as they change.

Computing fixes costs one re-audit per candidate, so `auditor check` computes them only with `--fixes`
(every report then shows them); `auditor fix` computes and applies them.
"""

from __future__ import annotations

from pathlib import Path

from auditor.findings import Finding, Severity, Status
from auditor.fingerprint import stable_pointer
from auditor.fixes.generate import GENERATORS, NONE, STRUCTURAL, Context, Fix, no_fix_reason
from auditor.fixes.patch import PatchError
from auditor.fixes.patch import apply as apply_patch

VERIFIED = "fix verified"
MAX_CANDIDATES = 3


def identity(doc, finding: Finding) -> tuple:
    return (finding.rule, stable_pointer(doc, finding.location.pointer), finding.key)


class Fixer:
    """Fixes for one campaign document: generates, proves, remembers the audit of the original."""

    def __init__(self, doc: dict, base: Path, options, sourcemap=None):
        from auditor.campaign import Campaign
        from auditor.engine import audit_document
        from auditor.fixes.templates import load

        self.doc, self.base, self.options, self.sourcemap = doc, base, options, sourcemap
        self.findings = audit_document(doc, base, options)
        self.before = {identity(doc, f) for f in self.findings}
        jurisdiction = doc.get("jurisdiction") if isinstance(doc.get("jurisdiction"), str) else None
        self.context = Context(doc, Campaign(doc, extra_own_names=options.extra_own_names), load(), options.rules(),
                               jurisdiction or options.default_jurisdiction, self.findings)
        self.audits = 0

    def check(self, fix: Fix, target: tuple) -> tuple[bool, str]:
        """(cleared, note): apply the fix to a copy and audit it again."""
        from auditor.engine import audit_document

        try:
            patched = apply_patch(self.doc, fix.patch)
        except PatchError as exc:
            return False, f"the edit does not apply: {exc}"
        self.audits += 1
        after = audit_document(patched, self.base, self.options)
        if any(identity(patched, f) == target for f in after):
            return False, "the finding remains after the edit"
        new = [f for f in after if f.severity.rank >= Severity.MEDIUM.rank and identity(patched, f) not in self.before]
        if new:
            first = new[0]
            return False, f"the edit would raise {first.rule} ({first.severity.value}): {first.message}"
        return True, VERIFIED

    def fix_for(self, finding: Finding) -> Fix:
        """The first candidate that is proven to clear the finding, else a `none` fix saying why not."""
        generate = GENERATORS.get(finding.rule)
        target = identity(self.doc, finding)
        reason = no_fix_reason(finding.rule)
        if generate is not None:
            reason = "no edit could be built from the campaign's facts (" + no_fix_reason(finding.rule) + ")"
            try:
                candidates = list(generate(self.context, finding))[:MAX_CANDIDATES]
            except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:  # odd data: no fix
                candidates, reason = [], f"no edit could be built ({type(exc).__name__})"
            for candidate in candidates:
                if candidate.kind == NONE:  # the generator knows why no edit is safe
                    return candidate
                ok, note = self.check(candidate, target)
                if ok:
                    candidate.verified = True
                    candidate.note = (candidate.note + "; " if candidate.note else "") + VERIFIED
                    candidate.cells = cell_edits(self.doc, candidate.patch, self.sourcemap)
                    return candidate
                reason = f"a candidate edit was not offered: {note}"
        return Fix(finding.rule, NONE, text=reason)

    def fixes(self, findings=None) -> dict[tuple, Fix]:
        """Fix per finding (rule, pointer, key) of `findings` (default: the document's own audit)."""
        out = {}
        for finding in findings if findings is not None else self.findings:
            if finding.status is not Status.FAIL:
                continue
            out[(finding.rule, finding.location.pointer, finding.key)] = self.fix_for(finding)
        return out


def cell_edits(doc, patch: list, sourcemap) -> list[dict]:
    """The workbook form of a patch: each replaced value's cell, each added list item as a new row."""
    if sourcemap is None or getattr(sourcemap, "kind", "") != "cells":
        return []
    from auditor.load.layout import LIST_SHEETS

    sourcemap._ensure()
    sheets = {"/" + "/".join(path): sheet for sheet, (path, _) in LIST_SHEETS.items()}
    out = []
    for op in patch:
        if op["op"] == "test":
            continue
        path = op["path"]
        position = sourcemap.positions.get(path)
        if op["op"] == "replace" and position:
            out.append({"sheet": position[0], "cell": position[1], "value": op["value"]})
            continue
        list_path = path[:-2] if path.endswith("/-") else path
        if list_path in sheets and isinstance(op.get("value"), (dict, list)):
            items = op["value"] if isinstance(op["value"], list) else [op["value"]]
            for item in items:
                out.append({"sheet": sheets[list_path], "row": "new", "values": item})
        else:
            field = ".".join(p for p in path.split("/")[1:])
            out.append({"sheet": "Campaign", "field": field, "value": op.get("value")})
    return out


def attach_fixes(result, path: Path, options) -> None:
    """Compute the fixes of an audited file's findings and keep them on the result (`result.fixes`)."""
    from auditor.load import load_path

    if not any(f.status is Status.FAIL for f in result.findings):
        return
    loaded = load_path(path, options.max_file_bytes, options.workbook_limits)
    document = fixable_document(loaded, options)
    if document is None:
        return
    fixer = Fixer(document, path.parent, options, loaded.sourcemap)
    result.fixes = fixer.fixes(result.findings)


def fixable(loaded, options) -> bool:
    """A loaded file whose document the engine audits (a mapping within the size limits, not a template)."""
    from auditor.engine import _limit_problem

    if not isinstance(loaded.document, dict) or loaded.template:
        return False
    if any(p.severity is Severity.CRITICAL for p in loaded.problems):
        return False
    return _limit_problem(loaded.document, options, loaded.text_length) is None


def fixable_document(loaded, options) -> dict | None:
    """The loaded document when it is `fixable` (then always a mapping), else None."""
    document = loaded.document
    return document if isinstance(document, dict) and fixable(loaded, options) else None


def fix_of(result, finding) -> Fix | None:
    fixes = getattr(result, "fixes", None) or {}
    return fixes.get((finding.rule, finding.location.pointer, finding.key))


__all__ = ["Fix", "Fixer", "attach_all", "attach_fixes", "fix_of", "VERIFIED", "STRUCTURAL", "NONE"]


def attach_all(results, files, options) -> None:
    """`attach_fixes` for each result of a run, found by its displayed source."""
    paths = {shown: path for path, shown in files}
    for result in results:
        path = paths.get(result.source)
        if path is None:
            continue
        try:
            attach_fixes(result, path, options)
        except Exception:  # noqa: BLE001 - a fix is an extra: a campaign that defeats it keeps its findings
            result.fixes = {}
