"""The bundled examples: workbooks match their YAML sources, and each example
campaign is flagged (or not) the way its case says."""

from __future__ import annotations

import pytest
import yaml
from helpers import REPO

from auditor.engine import audit_file
from auditor.load import load_path

SOURCES = sorted((REPO / "tests" / "data" / "workbook-sources").glob("*.yaml"))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_example_workbook_matches_its_source(source):
    workbook = REPO / "examples" / f"{source.stem}.xlsx"
    assert workbook.exists(), f"run: auditor convert {source.relative_to(REPO)} examples/{workbook.name}"
    assert load_path(workbook).document == yaml.safe_load(source.read_text(encoding="utf-8"))


EXPECTED = {
    # example: (risk level, categories that must be flagged)
    "cn-c1-gprs-bundle-lapse.yaml": ("critical", {"fee_disclosure", "expiry_notification"}),
    "tw-c3-mpro-renewal.json": ("high", {"expiry_notification", "cancellation", "consent"}),
    "cn-c7-sp-weather-sms.json": ("critical", {"fee_disclosure", "consent", "claims"}),
    "cn-c9-telemarketing-upgrade.xlsx": ("high", {"consent"}),
    "cn-c11-competitor-ad.yaml": ("high", {"competitor_comparison", "claims"}),
    "us-ca-streaming-trial.json": ("critical", {"expiry_notification", "cancellation", "consent"}),
    "uk-sim-only-compliant.yaml": ("none", set()),
    "cn-compliant-data-bundle.xlsx": ("none", set()),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name):
    result = audit_file(REPO / "examples" / name, name)
    level, categories = EXPECTED[name]
    assert result.risk_level == level, [(f.rule, f.message) for f in result.findings]
    assert categories <= {f.category for f in result.findings}
    if level == "none":
        assert result.findings == []


def test_every_example_is_covered():
    names = {p.name for p in (REPO / "examples").iterdir() if p.suffix in (".json", ".yaml", ".xlsx")}
    assert names == set(EXPECTED)
    assert sum(1 for n in names if n.endswith(".xlsx")) >= 2
