"""Risk level and score of a campaign, from its unwaived findings (pure).

Baselined findings are unwaived: a baseline is a CI device ("fail only on new
findings"), not a legal acceptance, so they count in the risk and the score
(they only leave the gate). Waived findings (reviewed, reasoned, expiring) do not.
"""

from __future__ import annotations

from auditor.findings import Finding, Severity, Status

# Score weights: one critical outweighs any plausible number of low findings.
UNWAIVED = (Status.FAIL, Status.BASELINED)
WEIGHTS = {Severity.CRITICAL: 40, Severity.HIGH: 15, Severity.MEDIUM: 5, Severity.LOW: 1, Severity.INFO: 0}


def score(findings: list[Finding]) -> tuple[str, int]:
    """(risk level, score): the level is the highest unwaived severity, baselined findings included
    (`info`-only maps to `none`)."""
    active = [f for f in findings if f.status in UNWAIVED]
    total = sum(WEIGHTS[f.severity] for f in active)
    worst = max((f.severity for f in active), key=lambda s: s.rank, default=None)
    if worst is None or worst is Severity.INFO:
        return "none", total
    return worst.value, total


def gate_fails(findings: list[Finding], fail_on: str) -> bool:
    """True when an unwaived finding is at or above `fail_on` (`none`: never)."""
    if fail_on == "none":
        return False
    threshold = Severity(fail_on).rank
    return any(f.status is Status.FAIL and f.severity.rank >= threshold for f in findings)
