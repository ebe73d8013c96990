"""Every rule's must-trigger and must-not-trigger examples (checklists/*.yaml).

The examples are patches over the compliant bases in checklists/bases/; the
same examples appear in `auditor explain` and docs/rules.md.
"""

from __future__ import annotations

import pytest
from helpers import audit_document

from auditor.checklists import default_ruleset
from auditor.examples import build

RULES = [r for r in default_ruleset().rules if not r.engine]
CASES = [(rule.id, kind, i, example)
         for rule in RULES for kind in ("fail", "pass") for i, example in enumerate(rule.examples.get(kind, []))]


@pytest.mark.parametrize("base", ["cn", "uk"])
def test_bases_are_clean(base, tmp_path):
    result = audit_document(build({"base": base}), tmp_path)
    assert [(f.rule, f.location.pointer, f.message) for f in result.findings] == []


@pytest.mark.parametrize("rule_id,kind,index,example", CASES, ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES])
def test_rule_example(rule_id, kind, index, example, tmp_path):
    result = audit_document(build(example), tmp_path)
    schema = [f for f in result.findings if f.category == "schema" and f.severity.rank >= 2]
    assert not schema, f"example is not a valid campaign: {[f.message for f in schema]}"
    hits = sorted(f.location.pointer for f in result.findings if f.rule == rule_id)
    if kind == "fail":
        assert hits == sorted(example["expect"]), [f.message for f in result.findings if f.rule == rule_id]
        for finding in result.findings:
            if finding.rule == rule_id:
                assert finding.message and finding.fix and finding.references
    else:
        assert hits == [], [f.message for f in result.findings if f.rule == rule_id]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_both_kinds_of_example(rule):
    assert rule.examples.get("fail"), f"{rule.id} has no must-trigger example"
    assert rule.examples.get("pass"), f"{rule.id} has no must-not-trigger example"
    for example in rule.examples["fail"]:
        assert example.get("expect"), f"{rule.id}: a must-trigger example must list the pointers it expects"
