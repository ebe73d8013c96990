"""Legal sign-off records: bind an approver to the exact bytes and findings approved.

`auditor approve REPORT.json` writes a record with each campaign's sha256, the
checklist version and a digest of its unwaived findings; `auditor verify`
re-audits the files and passes only if nothing changed since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

RECORD_FORMAT = "campaign-auditor/approval-v1"


class ApprovalError(Exception):
    pass


def _finding_keys(findings: list[dict]) -> list[list[str]]:
    """What was approved of each unwaived finding: rule, place, severity and identity (the fingerprint of
    auditor.fingerprint, which survives reordering and tells apart two findings of one rule at one place)."""
    keys = {(f["rule"], f.get("location", {}).get("pointer", ""), f["severity"], f.get("fingerprint", ""))
            for f in findings if f.get("status", "fail") == "fail"}
    return [list(k) for k in sorted(keys)]


def _by_identity(keys) -> dict[tuple, list]:
    """Approved or current findings by identity: the fingerprint, or rule and place in records without one."""
    out = {}
    for key in keys:
        key = list(key)
        out[(key[3],) if len(key) > 3 and key[3] else (key[0], key[1])] = key
    return out


def findings_digest(findings: list[dict]) -> str:
    canonical = json.dumps(_finding_keys(findings), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def create(report: dict, by: str, role: str, note: str | None, accept_risk: bool,
           when: dt.datetime) -> dict:
    if not isinstance(report, dict) or "campaigns" not in report or "tool" not in report:
        raise ApprovalError("this is not a campaign-auditor JSON report (no `tool` and `campaigns`)")
    campaigns = []
    critical = []
    for c in report["campaigns"]:
        findings = c.get("findings", [])
        open_critical = [f for f in findings if f.get("severity") == "critical" and f.get("status", "fail") == "fail"]
        if open_critical:
            critical.append(c.get("source"))
        campaigns.append({
            "source": c.get("source"),
            "id": c.get("id"),
            "sha256": c.get("sha256"),
            "risk": c.get("risk", {}).get("level"),
            "findings": _finding_keys(findings),
            "findings_digest": findings_digest(findings),
            "open_critical": len(open_critical),
        })
    if critical and not accept_risk:
        raise ApprovalError("unwaived critical findings in " + ", ".join(map(str, critical))
                            + "; fix them, waive them, or approve with --accept-risk (which is recorded)")
    return {
        "format": RECORD_FORMAT,
        "approval": {"by": by, "role": role, "note": note or "", "at": when.isoformat().replace("+00:00", "Z"),
                     "accepted_risk": bool(critical) and accept_risk},
        "tool": report["tool"],
        "campaigns": campaigns,
    }


def load(text: str) -> dict:
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise ApprovalError(f"not a JSON approval record: {exc}") from exc
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        raise ApprovalError(f"not an approval record (expected format {RECORD_FORMAT})")
    return record


def compare(record: dict, report: dict) -> list[str]:
    """Differences between what was approved and the current audit (empty: unchanged)."""
    problems = []
    approved = {c["source"]: c for c in record.get("campaigns", [])}
    current = {c["source"]: c for c in report.get("campaigns", [])}
    if record.get("tool", {}).get("checklists") != report.get("tool", {}).get("checklists"):
        problems.append(f"the checklists changed since approval ({record.get('tool', {}).get('checklists')} -> "
                        f"{report.get('tool', {}).get('checklists')})")
    for source, was in sorted(approved.items()):
        now = current.get(source)
        if now is None:
            problems.append(f"{source}: approved, but not among the files verified")
            continue
        if now.get("sha256") != was.get("sha256"):
            problems.append(f"{source}: the file changed since approval (sha256 {str(was.get('sha256'))[:12]}… -> "
                            f"{str(now.get('sha256'))[:12]}…)")
        before = _by_identity(was.get("findings", []))
        legacy = any(len(k) < 4 or not k[3] for k in was.get("findings", []))
        for ident, key in _by_identity(_finding_keys(now.get("findings", []))).items():
            old = before.get((key[0], key[1]) if legacy else ident)
            if old is None:
                problems.append(f"{source}: new finding {key[0]} ({key[2]}) at {key[1] or '/'}")
            elif old[2] != key[2]:
                problems.append(f"{source}: finding {key[0]} at {key[1] or '/'} was approved as {old[2]}, "
                                f"is now {key[2]}")
    for source in sorted(set(current) - set(approved)):
        problems.append(f"{source}: not covered by the approval")
    return problems


def status_for(record: dict | None, report: dict) -> dict:
    """What the HTML report shows about sign-off."""
    if record is None:
        return {"state": "not_approved"}
    problems = compare(record, report)
    return {"state": "approved" if not problems else "stale", "approval": record["approval"], "problems": problems}
