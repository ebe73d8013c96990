"""The JSON report of campaign-format.md section 3 (plus additive keys)."""

from __future__ import annotations

import json

from auditor.findings import Status
from auditor.report import AuditRun


def campaign_dict(result) -> dict:
    out = {
        "source": result.source,
        "id": result.id,
        "sha256": result.sha256,
        "risk": {"level": result.risk_level, "score": result.risk_score},
        "findings": [f.to_dict() for f in result.findings],
    }
    if result.name is not None:
        out["name"] = result.name
    if result.jurisdiction is not None:
        out["jurisdiction"] = result.jurisdiction
    out["passed"] = sorted(o.rule for o in result.outcomes if o.status is Status.PASS)
    return out


def to_dict(run: AuditRun) -> dict:
    report = {"tool": run.tool}
    if run.generated is not None:
        report["generated"] = run.generated.isoformat().replace("+00:00", "Z")
    report["campaigns"] = [campaign_dict(c) for c in run.campaigns]
    if run.waivers:
        report["waivers"] = run.waivers
    report["summary"] = {
        "campaigns": len(run.campaigns),
        "findings": run.severity_counts,
        "risk": run.overall_risk,
        "fail_on": run.fail_on,
        "waived": sum(1 for c in run.campaigns for f in c.findings if f.status.value == "waived"),
        "baselined": sum(1 for c in run.campaigns for f in c.findings if f.status.value == "baselined"),
    }
    return report


def render(run: AuditRun) -> bytes:
    return (json.dumps(to_dict(run), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
