"""A baseline moves the CI gate, never the risk: baselined findings count, are marked, and are said to be
held back by the baseline in every report."""

from __future__ import annotations

import json
import re

from auditor.cli import main
from helpers import REPO


def test_ci_repo_legacy_campaign_never_shows_risk_none(runner, monkeypatch, tmp_path):
    monkeypatch.chdir(REPO / "examples" / "ci-repo")
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    result = runner.invoke(main, ["check", "--html", str(html), "--markdown", str(md), "--format", "json",
                                  "--today", "2026-07-01"])
    report = json.loads(result.stdout)
    legacy = next(c for c in report["campaigns"] if c["id"] == "NW-LEGACY-BB")
    assert {f["status"] for f in legacy["findings"]} == {"baselined"}
    assert legacy["risk"]["level"] == "high" and legacy["risk"]["score"] == 45
    assert report["summary"]["baselined"] == 3

    page = html.read_text(encoding="utf-8")
    section = page[page.index("NW-LEGACY-BB —"):]
    section = section[:section.index('<section class="campaign"')] if '<section class="campaign"' in section else section
    assert "risk: none" not in section and "risk: high (45)" in section
    assert section.count("baselined (accepted for CI on ") == 3
    assert "Findings (3)" in section
    summary = page[page.index('<section id="summary">'):page.index('<section id="contents">')]
    # 0 critical, 3 high (the baselined ones), ..., of which baselined 3, waived 1 (the summer comparison)
    assert re.search(r"<td>0</td><td>3</td><td>0</td><td>0</td><td>0</td><td>3</td><td>1</td>", summary)

    markdown = md.read_text(encoding="utf-8")
    row = next(line for line in markdown.splitlines() if line.startswith("| NW-LEGACY-BB"))
    assert "none" not in row and "high | 0 | 3 | 0 | 0 | 0 | 3 | 0 |" in row
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
