"""A baseline moves the CI gate, never the risk: baselined findings count, are marked, and are said to be
held back by the baseline in every report."""

from __future__ import annotations

import json
import re

from helpers import REPO

from auditor.cli import main


def test_ci_repo_legacy_campaign_never_shows_risk_none(runner, monkeypatch, tmp_path):
    monkeypatch.chdir(REPO / "examples" / "ci-repo")
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    result = runner.invoke(main, ["check", "--html", str(html), "--markdown", str(md), "--format", "json",
                                  "--today", "2026-07-01"])
    report = json.loads(result.stdout)
    legacy = next(c for c in report["campaigns"] if c["id"] == "NW-LEGACY-BB")
    assert {f["status"] for f in legacy["findings"]} == {"baselined"}
    # four baselined findings: EXP-009, TER-004 twice, and TER-008 (the contract summary, a rule added after the
    # repository adopted the gate, baselined with the others)
    assert legacy["risk"]["level"] == "high" and legacy["risk"]["score"] == 50
    assert report["summary"]["baselined"] == 4

    page = html.read_text(encoding="utf-8")
    section = page[page.index("NW-LEGACY-BB —"):]
    section = section[:section.index('<section class="campaign"')] if '<section class="campaign"' in section else section
    assert "risk: none" not in section and "risk: high (50)" in section
    assert section.count("baselined (accepted for CI on ") == 4
    assert "Findings (4)" in section
    summary = page[page.index('<section id="summary">'):page.index('<section id="contents">')]
    # 0 critical, 3 high and 1 medium (the baselined ones), ..., of which baselined 4, waived 1 (the summer
    # comparison)
    assert re.search(r"<td>0</td><td>3</td><td>1</td><td>0</td><td>0</td><td>4</td><td>1</td>", summary)

    markdown = md.read_text(encoding="utf-8")
    row = next(line for line in markdown.splitlines() if line.startswith("| NW-LEGACY-BB"))
    assert "none" not in row and "high | 0 | 3 | 1 | 0 | 0 | 4 | 0 |" in row
    assert "### Held back from the gate" in markdown and "baseline (accepted for CI on " in markdown


def test_baselined_high_finding_keeps_its_risk_but_not_the_gate(runner, tmp_path, monkeypatch):
    from auditor.examples import build

    monkeypatch.chdir(tmp_path)
    doc = build({"base": "cn"})
    doc["consent"]["pre_checked"] = True
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["baseline", "create", "base.json", "c.json"]).exit_code == 0
    result = runner.invoke(main, ["check", "c.json", "--baseline", "base.json", "--format", "text"])
    assert result.exit_code == 0  # the gate passes: the finding is old
    assert "risk none" not in result.output and "baselined" in result.output


def test_scoring_counts_baselined_not_waived():
    from auditor.findings import Finding, Location, Severity, Status
    from auditor.scoring import gate_fails, score

    def finding(status):
        return Finding("X-1", "consent", Severity.HIGH, "m", Location("/a"), status=status)

    assert score([finding(Status.BASELINED)]) == ("high", 15)
    assert score([finding(Status.WAIVED)]) == ("none", 0)
    assert not gate_fails([finding(Status.BASELINED)], "high")


def test_usage_assumption_comes_from_the_campaign_then_the_configuration_then_the_default(tmp_path):
    from decimal import Decimal

    import yaml

    from auditor.campaign import Campaign
    from auditor.report.journey import bill_rows, first_year_bill

    doc = yaml.safe_load((REPO / "examples" / "cn-c1-gprs-bundle-lapse.yaml").read_text(encoding="utf-8"))
    rows = bill_rows(None, first_year_bill(Campaign(doc)))
    # C1: the prepayment is not a charge; identical months collapse; the lapse is priced at 30 MB a month
    assert [r.label for r in rows] == ["1", "2–12", "13–15"]
    assert rows[0].month.total == Decimal(58) and rows[0].month.prepayments == [("预存话费", Decimal(3500))]
    assert rows[2].jump and rows[2].month.total == Decimal("307.20")
    configured = {"KB": 10240, "device_subsidy": {"KB": 17382}}
    assert first_year_bill(Campaign(doc), configured)[12].total == Decimal("173.82")  # C1's February bill
    assert first_year_bill(Campaign(doc), {"KB": 10240})[12].total == Decimal("102.40")
    doc["x-usage-per-month"] = {"KB": 1000}
    assert first_year_bill(Campaign(doc), configured)[12].total == Decimal(58)  # 10 + a 48 top-up


def test_usage_per_month_in_the_configuration_reaches_the_report(runner, tmp_path, monkeypatch):
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copy(REPO / "examples" / "cn-c1-gprs-bundle-lapse.yaml", tmp_path / "c1.yaml")
    (tmp_path / "auditor.toml").write_text("[usage-per-month.device_subsidy]\nKB = 17382\n", encoding="utf-8")
    assert runner.invoke(main, ["check", "c1.yaml", "--html", "r.html", "--fail-on", "none"]).exit_code == 0
    assert "17382 KB × 0.01 = 173.82" in (tmp_path / "r.html").read_text(encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('[usage-per-month]\nKB = "a lot"\n', encoding="utf-8")
    bad = runner.invoke(main, ["check", "c1.yaml"])
    assert bad.exit_code == 2 and "usage-per-month" in bad.output
