"""JUnit XML: one test case per campaign x checklist; unwaived findings fail it,
a checklist whose findings are all waived is skipped with the reasons."""

from __future__ import annotations

from collections import Counter, defaultdict
from xml.etree import ElementTree as ET

from auditor.findings import Status
from auditor.report import AuditRun


def _checklist_case(suite, result, checklist: str, findings: list) -> str:
    """One test case; what it ended as: "failure", "skipped" or "passed"."""
    case = ET.SubElement(suite, "testcase", classname=result.id or result.source,
                         name=f"{checklist}", file=result.source)
    failing = [f for f in findings if f.status is Status.FAIL]
    waived = [f for f in findings if f.status in (Status.WAIVED, Status.BASELINED)]
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank)
        failure = ET.SubElement(case, "failure", type=worst.severity.value,
                                message=f"{len(failing)} finding(s), worst {worst.severity.value}")
        failure.text = "\n".join(
            f"[{f.severity.value.upper()}][{f.rule}] {f.title} — {f.message} ({f.location.describe()} "
            f"{f.location.pointer})" for f in failing)
        return "failure"
    if waived:
        ET.SubElement(case, "skipped", message="; ".join(
            f"{f.rule}: {f.waiver_reason or f.status.value}" for f in waived))
        return "skipped"
    return "passed"


def _campaign_suite(suites, result, checklists: list[str], rule_checklist: dict[str, str]) -> Counter:
    """The campaign's suite, one case per checklist that ran; the cases' ends counted ("tests" too)."""
    by_checklist = defaultdict(list)
    for finding in result.findings:
        by_checklist[rule_checklist.get(finding.rule, "core")].append(finding)
    ran = {rule_checklist.get(o.rule, "core") for o in result.outcomes} | set(by_checklist) | {"core"}
    suite = ET.SubElement(suites, "testsuite", name=result.source)
    ends: Counter = Counter()
    for checklist in [c for c in checklists if c in ran]:
        ends["tests"] += 1
        ends[_checklist_case(suite, result, checklist, by_checklist.get(checklist, []))] += 1
    _set_counts(suite, ends)
    return ends


def _set_counts(suite, ends: Counter) -> None:
    suite.set("tests", str(ends["tests"]))
    suite.set("failures", str(ends["failure"]))
    suite.set("errors", "0")
    suite.set("skipped", str(ends["skipped"]))


def _gate_suite(suites, decision) -> None:
    """The gate decision and why, as its own suite: test-report widgets show it beside the campaigns."""
    gate = ET.SubElement(suites, "testsuite", name="campaign-auditor gate", tests="1",
                         failures="1" if decision.failed else "0", errors="0", skipped="0")
    properties = ET.SubElement(gate, "properties")
    ET.SubElement(properties, "property", name="decision", value=decision.verdict)
    ET.SubElement(properties, "property", name="fail-on", value=decision.fail_on)
    case = ET.SubElement(gate, "testcase", classname="campaign-auditor", name="gate")
    if decision.failed:
        failure = ET.SubElement(case, "failure", type="gate", message=decision.headline())
        failure.text = "\n".join(decision.reasons)
    if decision.notes:
        ET.SubElement(gate, "system-out").text = "\n".join(decision.notes)


def render(run: AuditRun) -> bytes:
    rule_checklist = {r.id: r.checklist for r in run.rules}
    checklists = sorted({r.checklist for r in run.rules})
    suites = ET.Element("testsuites", name="campaign-auditor")
    total: Counter = Counter()
    for result in run.campaigns:
        total.update(_campaign_suite(suites, result, checklists, rule_checklist))
    decision = run.decision()
    _gate_suite(suites, decision)
    total["tests"] += 1
    total["failure"] += 1 if decision.failed else 0
    _set_counts(suites, total)
    ET.indent(suites)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="utf-8") + b"\n"
