"""The engine's own rules live in auditor/checks/ and yield EngineHits; the engine's rule plan is a named type."""

from auditor.checks.engine_rules import BROKEN_REFERENCE, EngineHit
from auditor.checks.limits import limit_problem
from auditor.checks.references import INTEGRITY_CHECKS, broken_references, material_channels, period_order
from auditor.findings import Severity


def test_limits_name_the_deepest_value_and_the_longest_string():
    deep: dict = {}
    node = deep
    for _ in range(5):
        node["a"] = {}
        node = node["a"]
    pointer, message = limit_problem(deep, max_depth=3, max_string_length=100)
    assert pointer == "/a/a/a/a" and "nest more than 3 levels" in message
    pointer, message = limit_problem({"x": ["ok", "y" * 11]}, max_depth=10, max_string_length=10)
    assert pointer == "/x/1" and "11 characters long" in message
    assert limit_problem({"x": "short"}, max_depth=10, max_string_length=10, text_length=5) is None


def test_integrity_checks_yield_engine_hits_with_their_pointers():
    doc = {"materials": [{"id": "ad", "channel": "tv"}], "channels": ["web"],
           "fees": [{"disclosed_in": ["ad", "terms"]}], "period": {"start": "2025-02-01", "end": "2025-01-01"}}
    assert list(broken_references(doc)) == [EngineHit(
        BROKEN_REFERENCE, "/fees/0/disclosed_in/1", "`disclosed_in` names `terms`, but no material has that id "
        "(materials: ad)")]
    assert [h.pointer for h in period_order(doc)] == ["/period/end"]
    (channel,) = material_channels(doc)
    assert channel.pointer == "/materials/0/channel" and channel.severity is Severity.MEDIUM
    assert all(h.rule == BROKEN_REFERENCE for check in INTEGRITY_CHECKS for h in check(doc))


def test_the_rule_plan_is_built_once_per_jurisdiction_as_named_entries():
    from auditor.engine import AuditOptions, PlannedRule, rule_plan

    options = AuditOptions(disabled=frozenset({"FEE-001"}))
    plan = rule_plan(options, "UK")
    assert plan and all(isinstance(entry, PlannedRule) for entry in plan)
    assert "FEE-001" not in {entry.rule.id for entry in plan}
    assert rule_plan(options, "UK") is plan
