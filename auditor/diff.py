"""What changed between two audits of a campaign: findings added and resolved.

Findings are matched by their identity (`fingerprint` in the JSON report, see
auditor.fingerprint), not by wording, line or list position, so reformatting a
file or reordering its fees does not show up as a change, and two findings of
one rule at one place are two findings. Reports without fingerprints (from older
versions) fall back to rule and pointer.
"""

from __future__ import annotations


def _key(finding: dict) -> tuple[str, ...]:
    if finding.get("fingerprint"):
        return (finding["fingerprint"],)
    return finding["rule"], finding.get("location", {}).get("pointer", "")


def diff_findings(old: dict | None, new: dict) -> tuple[list[dict], list[dict]]:
    """(added, resolved) unwaived findings between two campaign entries of JSON reports."""
    def active(campaign):
        return [f for f in (campaign or {}).get("findings", []) if f.get("status", "fail") == "fail"]

    before = {_key(f): f for f in active(old)}
    after = {_key(f): f for f in active(new)}
    def ordered(findings: dict, keys: set) -> list[dict]:
        return sorted((findings[k] for k in keys), key=lambda f: (f["rule"], f.get("location", {}).get("pointer", "")))

    added = ordered(after, set(after) - set(before))
    resolved = ordered(before, set(before) - set(after))
    return added, resolved
