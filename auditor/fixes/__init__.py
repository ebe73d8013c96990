"""Proven fixes (issue #23): the concrete edit that clears a finding, shown to clear it.

For each finding a generator (auditor.fixes.generate) proposes edits built from the campaign's own
structure and the reviewed texts of checklists/fixes/templates.yaml. Each candidate is applied to a copy
of the campaign and the copy is audited again with the same rules and options: the fix is offered
("fix verified") only when its finding is gone and no new finding at medium or above appeared. The proof
is the re-audit itself, so it follows the rules as they change. A candidate that would raise a new finding
is tried once more together with that finding's own fix (a sentence stating the promotional price then
brings the offer's condition with it), so fixes that only work together are offered, and applied, as one.

Computing fixes costs one re-audit per candidate, so `auditor check` computes them only with `--fixes`
(every report then shows them); `auditor fix` computes and applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from auditor.findings import Finding, Severity, Status
from auditor.fingerprint import stable_pointer
from auditor.fixes.generate import (
    GENERATORS,
    NONE,
    REMINDER,
    SENTENCE,
    STRUCTURAL,
    STRUCTURAL_RULES,
    Context,
    Fix,
    no_fix_reason,
)
from auditor.fixes.patch import PatchError, merged
from auditor.fixes.patch import apply as apply_patch
from auditor.fixes.patch import get as get_value

VERIFIED = "fix verified"
MAX_CANDIDATES = 3
# findings an edit may raise that are then cleared by their own fixes, made with it (a price stated in a material
# needs the offer's conditions there too); each costs one more re-audit
MAX_FOLLOW_UPS = 2


def identity(doc, finding: Finding) -> tuple:
    return (finding.rule, stable_pointer(doc, finding.location.pointer), finding.key)


class Fixer:
    """Fixes for one campaign document: generates, proves, remembers the audit of the original."""

    def __init__(self, doc: dict, base: Path, options, sourcemap=None):
        from auditor.engine import audit_document
        from auditor.fixes.templates import load

        self.doc, self.base, self.options, self.sourcemap = doc, base, options, sourcemap
        self.findings = audit_document(doc, base, options)
        self.before = {identity(doc, f) for f in self.findings}
        self.context = self._context(doc, self.findings, load(), options.rules())
        self.audits = 0

    def _context(self, doc: dict, findings: list[Finding], templates, ruleset) -> Context:
        from auditor.campaign import Campaign

        jurisdiction = doc.get("jurisdiction") if isinstance(doc.get("jurisdiction"), str) else None
        return Context(doc, Campaign(doc, extra_own_names=self.options.extra_own_names), templates, ruleset,
                       jurisdiction or self.options.default_jurisdiction, findings)

    def check(self, fix: Fix, target: tuple) -> tuple[bool, str]:
        """(cleared, note): apply the fix to a copy and audit it again."""
        proof = self._prove(fix, target)
        return proof.cleared, proof.note

    def _prove(self, fix: Fix, target: tuple) -> _Proof:
        """Apply the fix to a copy, audit the copy again and say whether the fix is proven, and if not, why."""
        from auditor.engine import audit_document

        try:
            patched = apply_patch(self.doc, fix.patch)
        except PatchError as exc:
            return _Proof(False, f"the edit does not apply: {exc}")
        self.audits += 1
        after = audit_document(patched, self.base, self.options)
        if any(identity(patched, f) == target for f in after):
            return _Proof(False, "the finding remains after the edit")
        new = [f for f in after if f.severity.rank >= Severity.MEDIUM.rank and identity(patched, f) not in self.before]
        if new:
            first = new[0]
            return _Proof(False, f"the edit would raise {first.rule} ({first.severity.value}): {first.message}",
                          patched, after, new)
        return _Proof(True, VERIFIED)

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
                proof = self._prove(candidate, target)
                proven = candidate if proof.cleared else self._completed(candidate, target, proof)
                if proven is not None:
                    proven.verified = True
                    proven.note = (proven.note + "; " if proven.note else "") + VERIFIED
                    proven.cells = cell_edits(self.doc, proven.patch, self.sourcemap)
                    return proven
                reason = f"a candidate edit was not offered: {proof.note}"
        return Fix(finding.rule, NONE, text=reason)

    def _completed(self, fix: Fix, target: tuple, proof: _Proof) -> Fix | None:
        """The candidate together with the fixes of the findings it would raise, when those fixes clear them and
        the whole is proven on this document; else None.

        An edit can make another rule ask for more than it did: a fee sentence that states the promotional
        price puts its material among those that must state the offer's conditions (TER-002). Proven alone, such
        an edit passes while that other finding is open (its identity is already in the audit), and is refused
        once the other finding's own fix, computed before the edit, has been applied (`auditor fix` applies them
        one at a time, in the audit's order); so the edit the rule now asks for is made with it, in one fix."""
        for _ in range(MAX_FOLLOW_UPS):
            if not proof.new or proof.patched is None:
                return None
            raised = proof.new[0]
            follow = self._follow_up(proof.patched, proof.after, raised)
            if follow is None:
                return None
            fix = _joined(self.doc, fix, follow)
            proof = self._prove(fix, target)
            if proof.cleared:
                return fix
        return None

    def _follow_up(self, patched: dict, after: list[Finding], raised: Finding) -> Fix | None:
        """The first candidate fix of `raised` on the patched copy that is an edit applied without asking (not a
        business decision); None when its rule has no generator or the generator builds none."""
        generate = GENERATORS.get(raised.rule)
        if generate is None or raised.rule in STRUCTURAL_RULES:
            return None
        context = self._context(patched, after, self.context.templates, self.context.ruleset)
        try:
            candidates = list(generate(context, raised))[:MAX_CANDIDATES]
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            return None
        return next((c for c in candidates if c.kind in (SENTENCE, REMINDER) and not c.business_decision), None)

    def fixes(self, findings=None) -> dict[tuple, Fix]:
        """Fix per finding (rule, pointer, key) of `findings` (default: the document's own audit)."""
        out = {}
        for finding in findings if findings is not None else self.findings:
            if finding.status is not Status.FAIL:
                continue
            out[(finding.rule, finding.location.pointer, finding.key)] = self.fix_for(finding)
        return out


@dataclass
class _Proof:
    """What re-auditing a candidate showed: whether it is proven, the note saying so or why not, and, when it
    would raise new findings, the patched copy, its audit and those findings."""
    cleared: bool
    note: str
    patched: dict | None = None
    after: list = field(default_factory=list)
    new: list = field(default_factory=list)


def _joined(doc: dict, first: Fix, then: Fix) -> Fix:
    """One fix making `first`'s edit and then `then`'s (computed on the copy `first` made), as one patch."""
    patch = merged(first.patch + then.patch)
    new_text = None
    if first.target:
        try:
            new_text = get_value(apply_patch(doc, patch), first.target)
        except PatchError:
            new_text = first.new_text
    materials = [m for fix in (first, then) for m in (fix.material or "").split(", ") if m]
    joiner = "" if first.text[-1:] in "。！？；" else " "
    return replace(first, patch=patch, text=(first.text + joiner + then.text).strip(),
                   material=", ".join(dict.fromkeys(materials)) or None,
                   new_text=new_text if isinstance(new_text, str) else first.new_text,
                   note=(first.note + "; " if first.note else "") + f"with the {then.rule} fix the edit needs")


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
