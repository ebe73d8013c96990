"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import json

from auditor import __version__
from auditor.findings import Status
from auditor.fingerprint import fingerprint, stable_pointer_of
from auditor.report import TOOL_NAME, AuditRun

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def _rule(rule) -> dict:
    help_text = f"{rule.fix}\n\nReferences: " + "; ".join(rule.references)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text,
                 "markdown": f"**How to fix:** {rule.fix}\n\n**Why:** {rule.rationale}\n\n**References:** "
                             + "; ".join(rule.references)},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"category": rule.category, "severity": rule.severity.value, "checklist": rule.checklist,
                       "tags": sorted({rule.category, rule.checklist}), "references": list(rule.references)},
    }


def _location(result, finding) -> dict:
    loc = finding.location
    physical: dict = {"artifactLocation": {"uri": result.source}}
    if loc.line is not None:
        region = {"startLine": loc.line}
        if loc.column is not None:
            region["startColumn"] = loc.column
        physical["region"] = region
    logical = {"name": f"{loc.sheet}!{loc.cell}" if loc.sheet and loc.cell else (loc.pointer or "/"),
               "fullyQualifiedName": f"{result.source}#{loc.pointer}",
               "kind": "member"}
    out = {"physicalLocation": physical, "logicalLocations": [logical]}
    return out


def _fix(result, fix) -> dict:
    """A SARIF fix: its description, and an artifact change where the edit is a text the source holds at a
    known line (JSON/YAML); otherwise the JSON Patch in the properties is the change."""
    from auditor.fixes.sarif import artifact_changes

    out = {"description": {"text": ("Business decision, fix verified: " if fix.business_decision
                                    else "Fix verified: ") + fix.text},
           "artifactChanges": artifact_changes(result, fix),
           "properties": {"kind": fix.kind, "patch": fix.patch, "verified": fix.verified}}
    return out


def _result(result, finding, index: dict[str, int]) -> dict:
    item = {
        "ruleId": finding.rule,
        "ruleIndex": index.get(finding.rule, -1),
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [_location(result, finding)],
        "partialFingerprints": {"campaignAuditor/v1": fingerprint(result, finding)},
        "properties": {"severity": finding.severity.value, "category": finding.category,
                       "pointer": finding.location.pointer,
                       "stablePointer": stable_pointer_of(result, finding.location.pointer),
                       "campaign": result.id or ""},
    }
    if item["ruleIndex"] < 0:
        del item["ruleIndex"]
    if finding.evidence:
        item["properties"]["evidence"] = finding.evidence
    _add_fix(item, result, finding)
    if finding.status is Status.WAIVED:
        item["suppressions"] = [{"kind": "external", "status": "accepted",
                                 "justification": finding.waiver_reason or "waived"}]
    elif finding.status is Status.BASELINED:
        item["baselineState"] = "unchanged"
    return item


def _add_fix(item: dict, result, finding) -> None:
    """A verified fix (with `check --fixes`): SARIF's `fixes` when it changes the file, else a property."""
    fix = result.fixes.get((finding.rule, finding.location.pointer, finding.key)) if result.fixes else None
    if fix is None or not fix.verified:
        return
    sarif_fix = _fix(result, fix)
    if sarif_fix["artifactChanges"]:  # SARIF needs a change; other edits are in the JSON report
        item["fixes"] = [sarif_fix]
    else:
        item["properties"]["fix"] = sarif_fix["properties"] | {"text": fix.text}


def to_dict(run: AuditRun) -> dict:
    rules = sorted(run.rules, key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rules)}
    results = [_result(result, finding, index) for result in run.campaigns for finding in result.findings]
    artifacts = [{"location": {"uri": c.source}, "hashes": {"sha-256": c.sha256}} for c in run.campaigns]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://example.invalid/campaign-auditor",
                                "rules": [_rule(r) for r in rules],
                                "properties": {"checklists": run.checklist_digest}}},
            "invocations": [_invocation(run)],
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def _invocation(run: AuditRun) -> dict:
    """The gate decision and its reasons, where SARIF viewers show how a run went."""
    decision = run.decision()
    notifications: list[dict] = [{"level": "error" if decision.failed else "note",
                      "message": {"text": f"campaign-auditor {decision.headline()}"},
                      "descriptor": {"id": "gate/" + decision.verdict}}]
    notifications += [{"level": "error", "message": {"text": reason}, "descriptor": {"id": "gate/reason"}}
                      for reason in decision.reasons]
    notifications += [{"level": "note", "message": {"text": note}, "descriptor": {"id": "gate/note"}}
                      for note in decision.notes]
    notifications += [{"level": "note", "message": {"text": f"skipped: {s.reason}"},
                       "locations": [{"physicalLocation": {"artifactLocation": {"uri": s.source}}}],
                       "descriptor": {"id": "discovery/skipped"}} for s in run.skipped]
    return {"executionSuccessful": True, "exitCode": 1 if decision.failed else 0,
            "toolExecutionNotifications": notifications,
            "properties": {"gate": decision.to_dict()}}


def render(run: AuditRun) -> bytes:
    return (json.dumps(to_dict(run), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
