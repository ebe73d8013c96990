"""One configured session for every command, and one finding identity (issue #14).

Each test here failed before the session and the identity existed:
- `verify` ignored auditor.toml (a [severity] override made byte-identical files "NOT VERIFIED");
- `rules` and `explain` did not see rules from configured checklist folders;
- `diff` reported a reordered fee list as findings added and resolved;
- two findings of one rule at one pointer shared a fingerprint, so a baseline hid the second.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from helpers import REPO

from auditor.cli import main
from auditor.examples import build
from auditor.report import REPORTERS


@pytest.fixture
def runner():
    return CliRunner()


def _write(path, doc) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


PASS = "correct horse battery"


def _reviewer(runner, tmp_path, monkeypatch) -> str:
    """Li's signing key, trusted: the `trusted-keys` line for auditor.toml (approvals are signed)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    line = runner.invoke(main, ["keys", "create", "Li"], input=f"{PASS}\n{PASS}\n").stdout.strip().splitlines()[-1]
    (tmp_path / "reviewers.pub").write_text(line + "\n", encoding="utf-8")
    return f'trusted-keys = "{(tmp_path / "reviewers.pub").as_posix()}"\n'


def _approve(runner, report="r.json"):
    return runner.invoke(main, ["approve", report, "--by", "Li", "--role", "counsel", "-o", "a.json"], input=PASS + "\n")


def test_verify_uses_the_configured_severities(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    trusted = _reviewer(runner, tmp_path, monkeypatch)
    (tmp_path / "auditor.toml").write_text(trusted + '[severity]\nCON-002 = "low"\n', encoding="utf-8")
    doc = build({"base": "cn", "patch": {"/consent/pre_checked": True}})
    _write(tmp_path / "c.json", doc)
    checked = runner.invoke(main, ["check", "c.json", "--format", "json", "-o", "r.json"])
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    severities = {f["rule"]: f["severity"] for f in report["campaigns"][0]["findings"]}
    assert severities.get("CON-002") == "low", checked.output
    assert _approve(runner).exit_code == 0
    verified = runner.invoke(main, ["verify", "a.json", "c.json"])
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("verified: 1 campaign(s)")


def test_verify_in_the_sample_repository_honours_its_baseline_and_waivers(runner, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "ci-repo", repo)
    monkeypatch.chdir(repo)
    trusted = _reviewer(runner, tmp_path, monkeypatch)
    with open(repo / "auditor.toml", "r+", encoding="utf-8") as fh:
        text = fh.read()
        fh.seek(0)
        fh.write(trusted + text)
    checked = runner.invoke(main, ["check", "--today", "2026-07-01", "--format", "json", "-o", "r.json"])
    assert checked.exit_code == 0, checked.output
    approved = runner.invoke(main, ["approve", "r.json", "--by", "Li", "--role", "counsel", "-o", "a.json",
                                    "--today", "2026-07-01"], input=PASS + "\n")
    assert approved.exit_code == 0, approved.output
    verified = runner.invoke(main, ["verify", "a.json", "campaigns", "--today", "2026-07-01"])
    assert verified.exit_code == 0, verified.output
    assert "new finding" not in verified.output


def test_a_severity_change_of_an_approved_finding_is_named(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    trusted = _reviewer(runner, tmp_path, monkeypatch)
    (tmp_path / "auditor.toml").write_text(trusted, encoding="utf-8")
    doc = build({"base": "cn", "patch": {"/consent/pre_checked": True}})
    _write(tmp_path / "c.json", doc)
    runner.invoke(main, ["check", "c.json", "--format", "json", "-o", "r.json"])
    assert _approve(runner).exit_code == 0
    (tmp_path / "auditor.toml").write_text(trusted + '[severity]\nCON-002 = "low"\n', encoding="utf-8")
    verified = runner.invoke(main, ["verify", "a.json", "c.json"])
    assert verified.exit_code == 1
    assert "CON-002" in verified.output and "is now low" in verified.output


POLICY_RULE = '''
from auditor.api import check, hit_in_text


@check("HOUSE-001")
def no_exclamation_marks(campaign, params):
    for material in campaign.materials:
        at = material.norm.text.find("!")
        if at >= 0:
            yield hit_in_text(material.pointer, "the material shouts", material.norm, [(at, at + 1)], material.id)
'''

POLICY_CHECKLIST = '''checklist: house
title: House rules
rules:
  - id: HOUSE-001
    name: no-exclamation-marks
    category: claims
    severity: medium
    title: Materials do not shout
    rationale: House style.
    references: [house-style-1-1]
    fix: Use a full stop.
    examples:
      fail:
        - base: uk
          patch: {"/materials/-": {id: ad, kind: advert, channel: web, text: "Great deal!"}}
          expect: [/materials/2/text]
      pass:
        - base: uk
          patch: {"/materials/-": {id: ad, kind: advert, channel: web, text: "A good deal."}}
'''


@pytest.fixture
def policy_repo(tmp_path, monkeypatch):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "house.py").write_text(POLICY_RULE, encoding="utf-8")
    (tmp_path / "policy" / "house.yaml").write_text(POLICY_CHECKLIST, encoding="utf-8")
    # rules cite the register of sources; a configured folder adds its own entries (checklists/references.yaml)
    (tmp_path / "policy" / "references.yaml").write_text(
        'references:\n  - {id: house-style-1-1, jurisdiction: ALL, instrument: "House style guide", article: "1.1", '
        'kind: house_policy, status: in_force, in_force: "2026-01-01", source: "intranet/style#1.1", '
        'last_checked: "2026-11-30", verification: confirmed}\n', encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('checklists = ["policy"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rules_explain_and_docs_see_configured_checklists(runner, policy_repo):
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0 and "HOUSE-001" in listing.output
    explained = runner.invoke(main, ["explain", "house-001"])
    assert explained.exit_code == 0, explained.output
    assert "Materials do not shout" in explained.output
    assert "House style guide, 1.1 (house policy, in force)" in explained.output  # the folder's own register
    assert runner.invoke(main, ["docs", "-o", "rules.md"]).exit_code == 0
    assert "HOUSE-001" in (policy_repo / "rules.md").read_text(encoding="utf-8")
    doc = build({"base": "uk", "patch": {"/materials/-": {"id": "ad", "kind": "advert", "channel": "web",
                                                          "text": "Great deal!"}}})
    _write(policy_repo / "c.json", doc)
    report = json.loads(runner.invoke(main, ["check", "c.json", "--format", "json"]).output)
    assert "HOUSE-001" in {f["rule"] for f in report["campaigns"][0]["findings"]}


def test_diff_of_a_reordered_fee_list_is_empty(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = build({"base": "cn", "patch": [
        {"/fees/-": {"id": "sms", "name": "短信费", "amount": 0.1, "recurrence": "per_use"}}]})
    _write(tmp_path / "old.json", doc)
    doc["fees"].reverse()
    _write(tmp_path / "new.json", doc)
    result = runner.invoke(main, ["diff", "old.json", "new.json", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"added": [], "resolved": []}


def _exp002(report) -> list[dict]:
    return [f for f in report["campaigns"][0]["findings"] if f["rule"] == "EXP-002"]


def _cn_with_reminders(days: list[int]) -> dict:
    doc = build({"base": "cn"})
    note = doc["end_of_term"]["notifications"][0]
    doc["end_of_term"]["notifications"] = [dict(note, days_before=d) for d in days]
    return doc


def test_two_findings_of_one_rule_at_one_place_have_distinct_identities(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "c.json", _cn_with_reminders([15]))  # neither the month nor the week window
    report = json.loads(runner.invoke(main, ["check", "c.json", "--format", "json"]).output)
    findings = _exp002(report)
    assert len(findings) == 2
    assert len({f["location"]["pointer"] for f in findings}) == 1
    assert len({f["fingerprint"] for f in findings}) == 2


def test_a_baseline_with_one_window_does_not_hide_the_other(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "c.json", _cn_with_reminders([7]))  # the month window is missed
    assert runner.invoke(main, ["baseline", "create", "base.json", "c.json"]).exit_code == 0
    assert runner.invoke(main, ["check", "c.json", "--baseline", "base.json"]).exit_code == 0
    _write(tmp_path / "c.json", _cn_with_reminders([15]))  # now the week window is missed as well
    result = runner.invoke(main, ["check", "c.json", "--baseline", "base.json", "--format", "json",
                                  "--fail-on", "medium"])
    statuses = sorted(f.get("status", "fail") for f in _exp002(json.loads(result.output)))
    assert statuses == ["baselined", "fail"]


def test_diff_counts_each_resolved_window(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "old.json", _cn_with_reminders([15]))
    _write(tmp_path / "new.json", _cn_with_reminders([30, 7]))
    result = runner.invoke(main, ["diff", "old.json", "new.json", "--format", "json"])
    resolved = [f for f in json.loads(result.output)["resolved"] if f["rule"] == "EXP-002"]
    assert len(resolved) == 2


def test_the_cli_formats_are_the_reporter_registry():
    from auditor.cli import FORMATS

    assert FORMATS == list(REPORTERS)


def test_policy_is_applied_by_the_session_not_the_command(tmp_path, monkeypatch):
    """The session yields finished results: waived, baselined and scored, whoever calls it."""
    from auditor.session import Session

    repo = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "ci-repo", repo)
    monkeypatch.chdir(repo)
    session = Session()
    session.use_waivers(day="2026-07-01")
    session.use_baseline()
    results = list(session.audit(session.discover([])))
    statuses = {f.status.value for r in results for f in r.findings}
    assert {"waived", "baselined"} <= statuses
    # the risk is that of the unwaived findings, baselined ones included (issue #17: a baseline moves the gate,
    # never the risk); waived ones do not count
    assert all(r.risk_level in ("none", "low", "medium") or
               any(f.status.value in ("fail", "baselined") and f.severity.value == r.risk_level for f in r.findings)
               for r in results)
    legacy = next(r for r in results if r.id == "NW-LEGACY-BB")
    assert legacy.risk_level == "high" and {f.status.value for f in legacy.findings} == {"baselined"}


def test_from_config_applies_the_whole_policy_in_one_call(tmp_path, monkeypatch):
    """What `auditor check` applies (configured waivers and baseline) in one call, for every command and the portal."""
    from auditor.session import Session

    repo = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "ci-repo", repo)
    monkeypatch.chdir(repo)
    session = Session.from_config(day="2026-07-01")
    assert session.policy.waivers and session.policy.baseline
    assert session.waiver_file.name == "waivers.yaml" and session.baseline_file.name == "baseline.json"
    results = list(session.audit(session.discover([])))
    assert {"waived", "baselined"} <= {f.status.value for r in results for f in r.findings}
    bare = Session.from_config(no_waivers=True, use_baseline=False)
    assert not bare.policy.waivers and bare.policy.baseline is None


def test_audit_alone_reports_one_file_as_check_does_with_its_own_waiver_states(tmp_path, monkeypatch):
    from auditor.report.json_report import to_dict
    from auditor.session import Session

    repo = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "ci-repo", repo)
    monkeypatch.chdir(repo)
    session = Session.from_config(day="2026-07-01")
    summer = session.audit_alone(repo / "campaigns" / "summer-comparison.yaml", "campaigns/summer-comparison.yaml")
    legacy = session.audit_alone(repo / "campaigns" / "legacy-broadband.yaml", "campaigns/legacy-broadband.yaml")
    assert [w["state"] for w in summer.waivers] == ["active"]
    assert [w["state"] for w in legacy.waivers] == ["unused"]  # the other file's use of the waiver is not counted
    assert session.policy.used == {}  # the session itself is unchanged (a server shares it between threads)
    result = CliRunner().invoke(main, ["check", "campaigns/summer-comparison.yaml", "--format", "json",
                                       "--today", "2026-07-01"])
    cli = json.loads(result.stdout)
    alone = to_dict(summer)
    assert alone == cli  # findings, statuses, severities, risk, waiver states and the gate's decision and reasons
