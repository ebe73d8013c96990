"""What changed between two audits of a campaign: findings added and resolved.

Findings are matched by rule and place (JSON pointer), not by wording or
line, so reformatting a file does not show up as a change.
"""

from __future__ import annotations


def _key(finding: dict) -> tuple[str, str]:
    return finding["rule"], finding.get("location", {}).get("pointer", "")


def diff_findings(old: dict | None, new: dict) -> tuple[list[dict], list[dict]]:
    """(added, resolved) unwaived findings between two campaign entries of JSON reports."""
    def active(campaign):
        return [f for f in (campaign or {}).get("findings", []) if f.get("status", "fail") == "fail"]

    before = {_key(f): f for f in active(old)}
    after = {_key(f): f for f in active(new)}
    added = [after[k] for k in sorted(set(after) - set(before))]
    resolved = [before[k] for k in sorted(set(before) - set(after))]
    return added, resolved
