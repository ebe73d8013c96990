"""Checklists and code agree; metadata is complete; lexicon entries can match."""

from __future__ import annotations

import re

import pytest

from auditor.checklists import JURISDICTIONS, default_ruleset
from auditor.registry import cross_check
from auditor.text.lexicon import load_lexicon
from auditor.text.normalize import normalize
from auditor.vocabulary import CATEGORIES

RULESET = default_ruleset()


def test_registry_matches_checklists():
    assert cross_check(RULESET) == []


def test_rule_ids_are_unique_and_well_formed():
    ids = [r.id for r in RULESET.rules]
    assert len(ids) == len(set(ids))
    for rule in RULESET.rules:
        assert re.fullmatch(r"[A-Z]{3}-[A-Z]?\d{3}", rule.id), rule.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_rule_metadata_is_complete(rule):
    assert rule.title and rule.rationale and rule.fix
    assert rule.category in CATEGORIES
    assert rule.references
    if not rule.engine:
        # every domain rule traces to a complaint case or a legal source of the register
        kinds = {RULESET.register[r].kind for r in rule.references}
        assert kinds - {"specification", "house_policy"}, rule.id
    for key in rule.params:
        assert key == "default" or key in JURISDICTIONS


def test_four_named_checklists_have_at_least_two_rules():
    by_category = {}
    for rule in RULESET.rules:
        by_category.setdefault(rule.category, []).append(rule.id)
    for category in ("fee_disclosure", "expiry_notification", "cancellation", "competitor_comparison"):
        assert len(by_category.get(category, [])) >= 2, category


def test_every_lexicon_parameter_names_a_lexicon():
    for rule in RULESET.rules:
        for jurisdiction_params in rule.params.values():
            for value in jurisdiction_params.values():
                if isinstance(value, str) and value.startswith("lexicon:"):
                    assert value.split(":", 1)[1] in RULESET.lexicons, (rule.id, value)


LEXICON_ENTRIES = [(name, entry) for name, groups in sorted(RULESET.lexicons.items())
                   for entry in load_lexicon(groups).entries]


@pytest.mark.parametrize("name,entry", LEXICON_ENTRIES, ids=[f"{n}:{e.term}" for n, e in LEXICON_ENTRIES])
def test_every_lexicon_entry_can_match(name, entry):
    """An entry that can never match (wrong script, case, or rejected by its own context) fails the build."""
    lexicon = load_lexicon(RULESET.lexicons[name])
    matched = False
    for text in (f"。{entry.term}。", f" {entry.term} "):
        matched = matched or any(m.entry == entry for m in lexicon.find(normalize(text)))
    assert matched, f"{name}: entry {entry.term!r} never matches (another entry shadows it, or its context rejects it)"
