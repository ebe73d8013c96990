"""The labelled evaluation corpus: every expected finding is raised and no compliant
campaign gets a high or critical finding (python -m auditor.evaluate prints the table)."""

from __future__ import annotations

import yaml
from helpers import REPO

from auditor.evaluate import evaluate, render
from auditor.load import load_path

DEFAULT_CORPUS = REPO / "tests" / "corpus"


def test_corpus_recall_and_false_alarms():
    result = evaluate(DEFAULT_CORPUS)
    assert result.campaigns >= 40
    assert result.compliant * 3 >= result.campaigns
    assert result.recall == 1.0, render(result)
    assert result.false_alarms == [], render(result)


def test_every_case_has_a_flagged_campaign_and_a_compliant_twin():
    labels = yaml.safe_load((DEFAULT_CORPUS / "expected.labels").read_text(encoding="utf-8"))
    for case in (f"C{i}" for i in range(1, 13)):
        flagged = [n for n, label in labels.items() if label.get("case") == case and label.get("expect")]
        twins = [n for n, label in labels.items() if label.get("case") == case and label.get("compliant")]
        assert flagged and twins, case


def test_corpus_workbooks_match_their_sources():
    for source in sorted((DEFAULT_CORPUS / "workbook-sources").glob("*.yaml")):
        workbook = DEFAULT_CORPUS / f"{source.stem}.xlsx"
        assert load_path(workbook).document == yaml.safe_load(source.read_text(encoding="utf-8")), source.name


def test_blind_campaigns_hold_their_ground():
    """Regression floor on the blind campaigns written for issue #16 (the tuning part; the held-out part is
    reported by `python -m auditor.evaluate`, never tuned against, and so not asserted here)."""
    result = evaluate(DEFAULT_CORPUS / "fresh")
    assert result.campaigns >= 60 and result.compliant >= 20
    assert result.recall >= 0.9, render(result)
    assert result.false_alarms == [], render(result)


def test_blind_labels_match_by_the_element_at_fault():
    from auditor.evaluate import _related

    assert _related("/materials/0/text", "/materials/0")
    assert _related("/end_of_term", "/end_of_term/notifications/0")
    assert not _related("/materials/1/text", "/materials/0")
    assert not _related("/fees/10", "/fees/1")
