"""JUnit XML: one test case per campaign x checklist; unwaived findings fail it,
a checklist whose findings are all waived is skipped with the reasons."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from auditor.findings import Status
from auditor.report import AuditRun


def _checklist_of(run: AuditRun) -> tuple[dict[str, str], dict[str, str]]:
    rules = {r.id: r.checklist for r in run.rules}
    titles = {}
    for rule in run.rules:
        titles.setdefault(rule.checklist, rule.checklist)
    return rules, titles


def render(run: AuditRun) -> bytes:
    rule_checklist, _ = _checklist_of(run)
    checklists = sorted({r.checklist for r in run.rules})
    suites = ET.Element("testsuites", name="campaign-auditor")
    total_tests = total_failures = total_skipped = 0
    for result in run.campaigns:
        by_checklist = defaultdict(list)
        for finding in result.findings:
            by_checklist[rule_checklist.get(finding.rule, "core")].append(finding)
        ran = {rule_checklist.get(o.rule, "core") for o in result.outcomes} | set(by_checklist) | {"core"}
        suite = ET.SubElement(suites, "testsuite", name=result.source)
        tests = failures = skipped = 0
        for checklist in [c for c in checklists if c in ran]:
            findings = by_checklist.get(checklist, [])
            case = ET.SubElement(suite, "testcase", classname=result.id or result.source,
                                 name=f"{checklist}", file=result.source)
            tests += 1
            failing = [f for f in findings if f.status is Status.FAIL]
            waived = [f for f in findings if f.status in (Status.WAIVED, Status.BASELINED)]
            if failing:
                failures += 1
                worst = max(failing, key=lambda f: f.severity.rank)
                failure = ET.SubElement(case, "failure", type=worst.severity.value,
                                        message=f"{len(failing)} finding(s), worst {worst.severity.value}")
                failure.text = "\n".join(
                    f"[{f.severity.value.upper()}][{f.rule}] {f.title} — {f.message} ({f.location.describe()} "
                    f"{f.location.pointer})" for f in failing)
            elif waived:
                skipped += 1
                ET.SubElement(case, "skipped", message="; ".join(
                    f"{f.rule}: {f.waiver_reason or f.status.value}" for f in waived))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
        total_skipped += skipped
    # The gate decision and why, as its own suite: test-report widgets show it beside the campaigns.
    decision = run.decision()
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
    total_tests += 1
    total_failures += 1 if decision.failed else 0
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    suites.set("skipped", str(total_skipped))
    ET.indent(suites)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="utf-8") + b"\n"
