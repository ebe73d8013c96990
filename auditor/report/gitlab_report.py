"""GitLab Code Quality JSON (`artifacts:reports:codequality`) for the merge-request widget.

GitLab's "Code Quality report format" (doc/ci/testing/code_quality.md): a single JSON array; each object
has `description`, `check_name`, `fingerprint`, `severity` (`info` `minor` `major` `critical` `blocker`),
`location.path` (relative to the repository) and `location.lines.begin`; no byte order mark. It is a
subset of the Code Climate issue format, whose `type: "issue"` and `categories` are added too.

Only unwaived, unbaselined findings are issues. The fingerprint is the baseline fingerprint (rule,
campaign, stable pointer), so the widget tells new findings from resolved ones across reformatting.
"""

from __future__ import annotations

import hashlib
import json

from auditor.findings import Status
from auditor.fingerprint import fingerprint
from auditor.report import AuditRun

SEVERITIES = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}


def _line(text: str) -> str:
    """Descriptions are one line of plain text (Code Climate spec)."""
    return " ".join(str(text).split())


def issues(run: AuditRun) -> list[dict]:
    out = []
    seen: set[str] = set()
    for result in run.campaigns:
        for finding in result.findings:
            if finding.status is not Status.FAIL:
                continue
            print_ = fingerprint(result, finding)
            if print_ in seen:  # two findings of one rule at one place: keep both, distinctly
                print_ = hashlib.sha256(f"{print_}|{finding.message}|{len(seen)}".encode()).hexdigest()[:24]
            seen.add(print_)
            where = finding.location.describe()
            issue = {
                "type": "issue",
                "check_name": finding.rule,
                "description": _line(f"{finding.rule} ({finding.severity.value}): {finding.message} [{where}]"),
                "categories": ["Bug Risk"],
                "severity": SEVERITIES[finding.severity.value],
                "fingerprint": print_,
                "location": {"path": result.source, "lines": {"begin": finding.location.line or 1}},
            }
            if finding.fix:
                issue["content"] = {"body": finding.fix}
            out.append(issue)
    return out


def render(run: AuditRun) -> bytes:
    return (json.dumps(issues(run), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
