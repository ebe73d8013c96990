"""The JSON report of campaign-format.md section 3 (plus additive keys)."""

from __future__ import annotations

import json

from auditor.findings import Status
from auditor.fingerprint import fingerprint
from auditor.report import AuditRun
from auditor.vocabulary import RISK_LEVELS


def _finding_dict(result, finding) -> dict:
    out = finding.to_dict()
    out["fingerprint"] = fingerprint(result, finding)  # the finding's identity (auditor.fingerprint)
    fix = result.fixes.get((finding.rule, finding.location.pointer, finding.key)) if result.fixes else None
    if fix is not None:  # only with `check --fixes` (auditor.fixes); `fix` keeps its advice string
        out["suggested_fix"] = fix.to_dict()
    return out


def encode_line(result) -> bytes:
    """One campaign's report line, as the streamed report writes it (encoded where the campaign is audited).

    UTF-8 bytes, not a string: a worker process sends them back as they are, and the parent writes them as
    they came. A string would be decoded from the pickle and encoded again in the parent, which audits
    nothing and whose time is the part of a parallel run that does not shrink with more workers."""
    return json.dumps(campaign_dict(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def campaign_dict(result) -> dict:
    out = {
        "source": result.source,
        "id": result.id,
        "sha256": result.sha256,
        "risk": {"level": result.risk_level, "score": result.risk_score},
        "findings": [_finding_dict(result, f) for f in result.findings],
    }
    if result.name is not None:
        out["name"] = result.name
    if result.jurisdiction is not None:
        out["jurisdiction"] = result.jurisdiction
    out["passed"] = sorted(o.rule for o in result.outcomes if o.status is Status.PASS)
    return out


def _summary(run: AuditRun, counts: dict, campaigns: int, risk: str, waived: int, baselined: int,
             skipped: int = 0) -> dict:
    return {"campaigns": campaigns, "findings": counts, "risk": risk, "fail_on": run.fail_on,
            "waived": waived, "baselined": baselined, "skipped": skipped}


class JsonStream:
    """Writes the JSON report campaign by campaign, so a batch of any size runs in constant memory.

    One campaign per line: readable in a diff, and written by the C encoder.
    """

    ORDER = list(RISK_LEVELS)
    RANK = {level: rank for rank, level in enumerate(ORDER)}

    def __init__(self, run: AuditRun, write):
        self.run = run
        self.write = write
        self.count = 0
        self.counts = {s: 0 for s in ("critical", "high", "medium", "low", "info")}
        self.risk = "none"
        self.waived = self.baselined = 0
        head = ["{", f'  "tool": {json.dumps(run.tool, ensure_ascii=False, separators=(",", ":"))},']
        if run.generated is not None:
            head.append(f'  "generated": "{run.generated.isoformat().replace("+00:00", "Z")}",')
        head.append('  "campaigns": [')
        self.write(("\n".join(head)).encode("utf-8"))

    def add(self, result) -> None:
        line = result.encoded or encode_line(result)
        self.write((b",\n    " if self.count else b"\n    ") + line)
        self.count += 1
        for f in result.findings:
            if f.status is Status.FAIL:
                self.counts[f.severity.value] += 1
            elif f.status is Status.WAIVED:
                self.waived += 1
            elif f.status is Status.BASELINED:
                self.baselined += 1
        if self.RANK[result.risk_level] > self.RANK[self.risk]:
            self.risk = result.risk_level

    def close(self, waivers: list | None = None, gate=None, skipped=()) -> None:
        """`gate`: the gate.GateDecision (additive key `gate`); `skipped`: files that are not campaigns."""
        tail = ["\n  ]," if self.count else "],"]
        if waivers:
            tail.append(f'\n  "waivers": {json.dumps(waivers, ensure_ascii=False, separators=(",", ":"))},')
        if skipped:
            listed = [s.to_dict() for s in skipped]
            tail.append(f'\n  "skipped": {json.dumps(listed, ensure_ascii=False, separators=(",", ":"))},')
        if gate is not None:
            tail.append(f'\n  "gate": {json.dumps(gate.to_dict(), ensure_ascii=False, separators=(",", ":"))},')
        summary = _summary(self.run, self.counts, self.count, self.risk, self.waived, self.baselined,
                           len(skipped))
        tail.append(f'\n  "summary": {json.dumps(summary, ensure_ascii=False, separators=(",", ":"))}\n}}\n')
        self.write("".join(tail).encode("utf-8"))


def to_dict(run: AuditRun) -> dict:
    """The report as a dictionary (for approvals and tests); same content as `render`."""
    return json.loads(render(run))


def render(run: AuditRun) -> bytes:
    chunks: list[bytes] = []
    stream = JsonStream(run, chunks.append)
    for result in run.campaigns:
        stream.add(result)
    stream.close(run.waivers, run.decision(), run.skipped)
    return b"".join(chunks)
