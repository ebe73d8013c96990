"""`auditor fix`: a corrected copy of a campaign with every verified fix applied.

Fixes are applied one at a time, each proven on the campaign as it stands after the previous ones (so
two sentences added to one material both land, and each is re-audited with the other in place).
Structural fixes are business decisions: listed, and applied only when asked (`--business-decisions`).
The original file is never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.findings import Finding, Severity

if TYPE_CHECKING:
    from auditor.fixes import Fixer
    from auditor.fixes.generate import Fix

MAX_ROUNDS = 200  # each round applies one fix; a campaign has far fewer findings
MAX_AUDITS = 3000  # re-audits in all: a hostile campaign with thousands of findings cannot keep `fix` busy


class FixError(Exception):
    """The campaign cannot be fixed (unreadable, not a campaign, a template)."""


@dataclass
class FixOutcome:
    document: dict
    applied: list = field(default_factory=list)        # Fix
    decisions: list = field(default_factory=list)      # verified structural fixes left for the business
    unfixed: list = field(default_factory=list)        # (Finding, Fix) without a verified fix
    before: list = field(default_factory=list)         # findings of the original
    after: list = field(default_factory=list)          # findings of the fixed copy
    stopped: bool = False                              # MAX_AUDITS reached before every finding was tried

    def remaining(self, at_least: Severity = Severity.MEDIUM) -> list[Finding]:
        return [f for f in self.after if f.severity.rank >= at_least.rank]


def fix_document(doc: dict, base: Path, options, only: frozenset[str] | None = None,
                 business_decisions: bool = False) -> FixOutcome:
    from auditor.engine import audit_document
    from auditor.fixes import Fixer

    outcome = FixOutcome(doc)
    # finding identity -> (the finding, its fix), once that fix will not be applied
    settled: dict[tuple, tuple[Finding, Fix]] = {}
    audits = 0
    for _ in range(MAX_ROUNDS):
        fixer = Fixer(outcome.document, base, options)
        if not outcome.before:
            outcome.before = fixer.findings
        progress, settled = _apply_next_fix(outcome, fixer, settled, audits, only, business_decisions)
        audits += fixer.audits + 1
        if not progress or outcome.stopped:
            break
    outcome.after = audit_document(outcome.document, base, options)
    _sort_unapplied(outcome, settled)
    return outcome


def _apply_next_fix(outcome: FixOutcome, fixer: Fixer, settled: dict[tuple, tuple[Finding, Fix]], audits: int,
                    only: frozenset[str] | None, business_decisions: bool
                    ) -> tuple[bool, dict[tuple, tuple[Finding, Fix]]]:
    """Apply the first wanted, verified fix of this round's findings: (whether one was applied, the findings
    settled so far). A finding whose fix is not verified, or is a business decision not asked for, is settled
    on the way. Stops (outcome.stopped) when the re-audits run out."""
    from auditor.fixes import identity
    from auditor.fixes.patch import apply as apply_patch

    for finding in fixer.findings:
        if audits + fixer.audits >= MAX_AUDITS:
            outcome.stopped = True
            return False, settled
        if only is not None and finding.rule not in only:
            continue
        key = identity(outcome.document, finding)
        if key in settled:
            continue
        fix = fixer.fix_for(finding)
        if not fix.verified or (fix.business_decision and not business_decisions):
            settled[key] = (finding, fix)
            continue
        outcome.document = apply_patch(outcome.document, fix.patch)
        outcome.applied.append(fix)
        # the campaign changed: a finding without a fix may have one now (CAN-006 once CAN-001 added a
        # cancellation method), so it is tried again; declined business decisions stay declined
        return True, {k: v for k, v in settled.items() if v[1].verified}
    return False, settled


def _sort_unapplied(outcome: FixOutcome, settled: dict[tuple, tuple[Finding, Fix]]) -> None:
    """Settled findings still raised by the fixed copy: a business decision (verified fix) or unfixed."""
    from auditor.fixes import identity

    still = {identity(outcome.document, f) for f in outcome.after}
    for key, (finding, fix) in settled.items():
        if key not in still:
            continue  # cleared by another fix
        if fix.verified:
            outcome.decisions.append((finding, fix))
        else:
            outcome.unfixed.append((finding, fix))


def fix_file(path: Path, output: Path, options, only: frozenset[str] | None = None,
             business_decisions: bool = False) -> FixOutcome:
    """Fix the campaign at `path` and write the corrected copy to `output` (format by its suffix)."""
    from auditor.atomic import check_not_input, write_atomic
    from auditor.convert import json_bytes, xlsx_bytes, yaml_bytes
    from auditor.load import kind_of, load_path

    kind = kind_of(output)
    if kind is None:
        raise FixError(f"cannot tell the output format of {output}: use .json, .yaml, .yml or .xlsx")
    check_not_input(output, [path])
    from auditor.fixes import fixable_document

    loaded = load_path(path, options.max_file_bytes, options.workbook_limits)
    if loaded.template:
        raise FixError(f"{path} is an unfilled template: replace its example values first")
    document = fixable_document(loaded, options)
    if document is None:
        reasons = "; ".join(f"{p.location.describe()}: {p.message}" for p in loaded.problems) or \
            "not a campaign within the configured limits"
        raise FixError(f"{path} cannot be fixed: {reasons}")
    outcome = fix_document(document, path.parent, options, only, business_decisions)
    data = _in_place(path, loaded.kind, kind, outcome)
    if data is None:
        data = {"json": json_bytes, "yaml": yaml_bytes, "xlsx": xlsx_bytes}[kind](outcome.document)
    write_atomic(output, data)
    return outcome


def _in_place(path: Path, source_kind: str, kind: str, outcome: FixOutcome) -> bytes | None:
    """The source's own text with each applied edit made where it stands (layout, comments and key order kept:
    the diff shows only the added sentences), when every applied fix is a text edit; else None (rewritten)."""
    if source_kind != kind or kind not in ("json", "yaml"):
        return None
    from auditor.fixes.sarif import apply_to_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for fix in outcome.applied:
        edited = apply_to_text(text, kind, fix.patch)
        if edited is None:
            return None
        text = edited
    # the text must read back, through the campaign loader, as exactly the fixed document
    from auditor.load.jsonfile import load_json
    from auditor.load.yamlfile import load_yaml

    data = text.encode("utf-8")
    reread = (load_json if kind == "json" else load_yaml)(data)
    return data if reread.document == outcome.document else None


def describe(outcome: FixOutcome) -> list[str]:
    """The lines `auditor fix` prints."""
    lines = []
    for fix in outcome.applied:
        where = f" to `{fix.material}`" if fix.material else (f" at {fix.target}" if fix.target else "")
        lines.append(f"applied {fix.rule} ({fix.kind}{where}, fix verified): {fix.text}")
    for finding, fix in outcome.decisions:
        lines.append(f"not applied {finding.rule} (business decision, fix verified; --business-decisions applies "
                     f"it): {fix.text}")
    for finding, fix in outcome.unfixed:
        lines.append(f"no fix {finding.rule} ({finding.severity.value}) at {finding.location.pointer or '/'}: "
                     f"{fix.text}")
    remaining = outcome.remaining()
    if outcome.stopped:
        lines.append(f"stopped after {MAX_AUDITS} re-audits; run `auditor fix` again on the output to go on")
    lines.append(f"{len(outcome.before)} finding(s) before, {len(outcome.after)} after; "
                 f"{len(remaining)} at medium or above remain")
    return lines
