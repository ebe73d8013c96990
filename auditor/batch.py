"""Checks across the files of one batch (the command line's `check`).

Two files declaring the same campaign id are a finding (`AUD-E010`): waivers,
baselines, approvals and the review portal name campaigns by id, so a second
file with the id of an approved or waived campaign could ride on its
decisions. The finding goes on every file after the first (in the batch's
sorted order, so the report is the same on every run), naming the first.
"""

from __future__ import annotations

import json

DUPLICATE_ID = "AUD-E010"


class DuplicateIds:
    def __init__(self, ruleset) -> None:
        self.rule = ruleset.rule(DUPLICATE_ID)
        self.first: dict[str, str] = {}

    def check(self, result):
        """Add the finding to `result` (in place) when its id was already seen; return the result."""
        if not isinstance(result.id, str) or not result.id:
            return result
        first = self.first.setdefault(result.id, result.source)
        if first == result.source:
            return result
        from auditor.findings import Finding, Location
        from auditor.scoring import score

        rule = self.rule
        finding = Finding(rule=rule.id, category=rule.category, severity=rule.severity,
                          message=f"campaign id {result.id} is also declared by {first}; each campaign file needs "
                                  f"its own id, or decisions about one (waivers, approvals) would cover the other",
                          location=Location(pointer="/id"), name=rule.name, title=rule.title, evidence=result.id,
                          references=rule.references, fix=rule.fix)
        if result.encoded is not None:  # the report line was encoded in a worker: add the finding to it
            from auditor.findings import FindingBrief
            from auditor.report.json_report import _finding_dict

            line = json.loads(result.encoded)
            line["findings"].append(_finding_dict(result, finding))
            ranks = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
            line["findings"].sort(key=lambda f: (ranks[f["severity"]], f["rule"], f["location"]["pointer"],
                                                 f["message"]))
            result.findings = [*result.findings, FindingBrief(finding.severity)]
            result.risk_level, result.risk_score = score(result.findings)
            line["risk"] = {"level": result.risk_level, "score": result.risk_score}
            result.encoded = json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            return result
        result.findings = sorted([*result.findings, finding], key=Finding.sort_key)
        if result.stable_pointers:
            result.stable_pointers.setdefault("/id", "/id")
        result.risk_level, result.risk_score = score(result.findings)
        return result
