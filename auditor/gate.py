"""The gate decision and why: carried by every report, so a reviewer sees the reason where they look.

`GateTally` is fed campaign by campaign (it works for streamed runs too) and
gives a `GateDecision`: passed or failed, the threshold, the reasons it failed
(blocking findings by severity, files that could not be read, findings that a
now-expired waiver used to cover) and notes that do not fail it (unused or
expiring waivers, skipped files, a diff-aware run).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.findings import SEVERITIES, Severity, Status


@dataclass
class GateDecision:
    """The verdict of `--fail-on`: failed or not, and the reasons and notes reports show."""

    failed: bool
    fail_on: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "failed" if self.failed else "passed"

    def headline(self) -> str:
        return f"gate {self.verdict} (fail on {self.fail_on})"

    def to_dict(self) -> dict:
        return {"decision": self.verdict, "fail_on": self.fail_on, "reasons": list(self.reasons),
                "notes": list(self.notes)}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class GateTally:
    def __init__(self, fail_on: str, waivers=(), waiver_file: str | None = None):
        self.fail_on = fail_on
        self.threshold = None if fail_on == "none" else Severity(fail_on).rank
        self.waivers = list(waivers)
        self.expired: list = []
        self.waiver_file = waiver_file or "the waiver file"
        self.counts = {s: 0 for s in SEVERITIES}
        self.campaigns = 0
        self.blocking_campaigns = 0
        self.unreadable: list[str] = []
        self.uncovered: dict[int, int] = {}  # expired waiver index -> blocking findings it matches
        self.today = None

    def expire(self, today) -> None:
        """Findings of waivers that expired before `today` are reported as the reason they block."""
        self.today = today
        self.expired = [w for w in self.waivers if today is not None and w.expires < today]

    def blocks(self, finding) -> bool:
        return self.threshold is not None and finding.status is Status.FAIL and finding.severity.rank >= self.threshold

    def add(self, result) -> None:
        self.campaigns += 1
        blocking = [f for f in result.findings if self.blocks(f)]
        if blocking:
            self.blocking_campaigns += 1
        for finding in blocking:
            self.counts[finding.severity.value] += 1
            for waiver in self.expired:
                if waiver.matches(result, finding):
                    self.uncovered[waiver.index] = self.uncovered.get(waiver.index, 0) + 1
                    break
        # (a streamed JSON run sends back only severity and status: FindingBrief, which has no rule)
        if any(getattr(f, "rule", None) == "AUD-E001" for f in blocking):
            self.unreadable.append(result.source)

    def decide(self, waiver_states=(), skipped=(), changed_since: str | None = None) -> GateDecision:
        total = sum(self.counts.values())
        decision = GateDecision(failed=total > 0, fail_on=self.fail_on)
        if total:
            by = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
            decision.reasons.append(
                f"{_plural(total, 'unwaived finding')} at or above {self.fail_on} ({by}) in "
                f"{self.blocking_campaigns} of {_plural(self.campaigns, 'campaign')}")
        if self.unreadable:
            shown = ", ".join(self.unreadable[:5]) + (f" and {len(self.unreadable) - 5} more"
                                                       if len(self.unreadable) > 5 else "")
            decision.reasons.append(f"{_plural(len(self.unreadable), 'file')} could not be read as a campaign "
                                    f"(critical input finding): {shown}")
        by_index = {w.index: w for w in self.waivers}
        decision.reasons += self._expired_reasons(by_index)
        decision.notes += self._waiver_notes(waiver_states, by_index)
        if skipped:
            from auditor.discovery import summary_line

            decision.notes.append(summary_line(list(skipped)))
        if changed_since:
            decision.notes.append(f"only campaigns changed since {changed_since} were audited")
        if self.fail_on == "none":
            decision.notes.append("the gate is off (fail on none)")
        return decision

    def _expired_reasons(self, by_index: dict) -> list[str]:
        """Each expired waiver whose findings now count against the gate."""
        reasons = []
        for index, count in sorted(self.uncovered.items()):
            waiver = by_index[index]
            reasons.append(
                f"the waiver of {waiver.describe()} ({self.waiver_file} line {waiver.line}) expired on "
                f"{waiver.expires.isoformat()}: {_plural(count, 'finding')} it covered now "
                f"{'counts' if count == 1 else 'count'}; renew it with a new expiry date or fix the campaign")
        return reasons

    def _waiver_notes(self, waiver_states, by_index: dict) -> list[str]:
        """Waivers that expired (covering nothing that now counts), match nothing, or expire soon."""
        notes = []
        for state in waiver_states:
            where = f"{self.waiver_file} line {state['line']}"
            what = f"{state['rule']} on {state['campaign']}"
            if state["state"] == "expired" and not any(
                    by_index[i].line == state["line"] for i in self.uncovered if i in by_index):
                notes.append(f"the waiver of {what} ({where}) expired on {state['expires']}")
            elif state["state"] == "unused":
                notes.append(f"the waiver of {what} ({where}) matches no finding; remove it")
            elif state["state"] == "expiring":
                notes.append(f"the waiver of {what} ({where}) expires on {state['expires']}")
        return notes


def decide(results, fail_on: str, waivers=(), today=None, waiver_states=(), skipped=(), changed_since=None,
           waiver_file: str | None = None) -> GateDecision:
    """The decision for a finished run (all results at hand)."""
    tally = GateTally(fail_on, waivers, waiver_file)
    tally.expire(today)
    for result in results:
        tally.add(result)
    return tally.decide(waiver_states, skipped, changed_since)
