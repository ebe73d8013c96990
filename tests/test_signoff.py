"""Signed approvals: keys, approve, verify, and what the HTML report shows of a record."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from helpers import REPO

from auditor.cli import main
from auditor.examples import build

PASS = "correct horse battery"


@pytest.fixture
def repo(runner, tmp_path, monkeypatch):
    """A campaign repository with auditor.toml naming the trusted reviewers, and Wang Fang's key."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    root = tmp_path / "repo"
    (root / "campaigns").mkdir(parents=True)
    (root / "campaigns" / "c.json").write_text(json.dumps(build({"base": "cn"}), ensure_ascii=False), encoding="utf-8")
    (root / "auditor.toml").write_text('paths = ["campaigns"]\ntrusted-keys = "reviewers.pub"\n', encoding="utf-8")
    created = runner.invoke(main, ["keys", "create", "Wang Fang"], input=f"{PASS}\n{PASS}\n")
    assert created.exit_code == 0, created.output
    line = created.stdout.strip().splitlines()[-1]
    (root / "reviewers.pub").write_text(f"# trusted reviewers\n{line}\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def approve(runner, *extra, report="report.json", out="approval.json", passphrase=PASS):
    checked = runner.invoke(main, ["check", "campaigns", "--format", "json", "-o", report, "--fail-on", "none"])
    assert checked.exit_code == 0, checked.output
    return runner.invoke(main, ["approve", report, "--role", "Legal counsel", "-o", out, *extra],
                         input=passphrase + "\n")


def html_with(runner, approval="approval.json"):
    result = runner.invoke(main, ["check", "campaigns", "--html", "r.html", "--approval", approval,
                                  "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    with open("r.html", encoding="utf-8") as fh:
        return fh.read()


def test_key_file_is_private_encrypted_and_exportable(runner, repo, tmp_path):
    key = tmp_path / "home" / "campaign-auditor" / "reviewer.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    data = json.loads(key.read_text(encoding="utf-8"))
    assert data["name"] == "Wang Fang" and "ENCRYPTED PRIVATE KEY" in data["private_key"]
    exported = runner.invoke(main, ["keys", "export"])
    assert exported.exit_code == 0 and exported.output.strip() == (repo / "reviewers.pub").read_text().splitlines()[1]
    again = runner.invoke(main, ["keys", "create", "Wang Fang"], input=f"{PASS}\n{PASS}\n")
    assert again.exit_code == 2 and "never overwritten" in again.output


def test_signed_approval_verifies_and_shows_approved(runner, repo):
    result = approve(runner, "--note", "ok for March")
    assert result.exit_code == 0, result.output
    record = json.loads((repo / "approval.json").read_text(encoding="utf-8"))
    assert record["signature"]["algorithm"] == "ed25519"
    assert record["campaigns"][0]["path"] == "campaigns/c.json"
    assert all(len(f["fingerprint"]) == 24 for f in record["campaigns"][0]["findings"])
    verified = runner.invoke(main, ["verify", "approval.json", "campaigns"])
    assert verified.exit_code == 0, verified.output
    assert "signed by Wang Fang" in verified.output
    html = html_with(runner)
    assert 'class="state approved">Approved<' in html and "ok for March" in html


def test_wrong_passphrase_signs_nothing(runner, repo):
    result = approve(runner, passphrase="not the passphrase")
    assert result.exit_code == 1 and "wrong passphrase" in result.output
    assert not (repo / "approval.json").exists()


def test_path_typed_differently_still_verifies(runner, repo, monkeypatch):
    assert approve(runner).exit_code == 0
    monkeypatch.chdir(repo.parent)
    absolute = str(repo / "campaigns" / "c.json")
    result = runner.invoke(main, ["verify", str(repo / "approval.json"), absolute, "--config",
                                  str(repo / "auditor.toml")])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(repo / "campaigns")
    result = runner.invoke(main, ["verify", "../approval.json", "c.json"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("edit,expected", [
    (lambda r: r["approval"].update(by="Li Lei"), "the signature does not match the record"),
    (lambda r: r["approval"].update(accepted_risk=True), "the signature does not match the record"),
    (lambda r: r["campaigns"][0].update(sha256="0" * 64), "the signature does not match the record"),
    (lambda r: r.pop("signature"), "the record is not signed"),
    (lambda r: r["signature"].update(value="AAAA"), "the signature does not match the record"),
])
def test_edited_or_unsigned_record_fails_and_is_never_shown_approved(runner, repo, edit, expected):
    assert approve(runner).exit_code == 0
    record = json.loads((repo / "approval.json").read_text(encoding="utf-8"))
    edit(record)
    (repo / "forged.json").write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(main, ["verify", "forged.json", "campaigns"])
    assert result.exit_code == 1 and expected in result.output, result.output
    assert "NOT VERIFIED" in result.output
    html = html_with(runner, "forged.json")
    assert 'class="state approved"' not in html and "Approved<" not in html
    assert "Not approved: the approval record is not valid." in html


def test_old_unsigned_format_is_not_an_approval(runner, repo):
    old = {"format": "campaign-auditor/approval-v1", "approval": {"by": "Wang Fang", "role": "legal", "note": "",
                                                                "at": "2026-01-01T00:00:00Z", "accepted_risk": False},
           "tool": {}, "campaigns": []}
    (repo / "old.json").write_text(json.dumps(old), encoding="utf-8")
    result = runner.invoke(main, ["verify", "old.json", "campaigns"])
    assert result.exit_code == 1 and "the record is not signed" in result.output


def test_untrusted_signer_and_borrowed_name_fail(runner, repo, tmp_path):
    other = tmp_path / "mallory.key"
    made = runner.invoke(main, ["keys", "create", "Mallory", "--key", str(other)], input=f"{PASS}\n{PASS}\n")
    assert made.exit_code == 0
    checked = runner.invoke(main, ["check", "campaigns", "--format", "json", "-o", "report.json"])
    assert checked.exit_code in (0, 1)
    signed = runner.invoke(main, ["approve", "report.json", "--key", str(other), "--role", "legal", "-o", "m.json"],
                           input=PASS + "\n")
    assert signed.exit_code == 0, signed.output
    result = runner.invoke(main, ["verify", "m.json", "campaigns"])
    assert result.exit_code == 1 and "is not among the trusted reviewers" in result.output
    # a trusted key whose file claims another reviewer's name: the trusted file's name is what counts
    impostor = tmp_path / "impostor.key"
    runner.invoke(main, ["keys", "create", "Wang Fang", "--key", str(impostor)], input=f"{PASS}\n{PASS}\n")
    line = runner.invoke(main, ["keys", "export", "--key", str(impostor)]).output.strip()
    with open(repo / "reviewers.pub", "a", encoding="utf-8") as fh:
        fh.write(line.replace("Wang Fang", "Zhao Min") + "\n")
    runner.invoke(main, ["approve", "report.json", "--key", str(impostor), "--role", "legal", "-o", "i.json"],
                  input=PASS + "\n")
    result = runner.invoke(main, ["verify", "i.json", "campaigns"])
    assert result.exit_code == 1 and "signed with the key of Zhao Min" in result.output


def test_without_trusted_keys_nothing_verifies(runner, repo):
    assert approve(runner).exit_code == 0
    (repo / "auditor.toml").write_text('paths = ["campaigns"]\n', encoding="utf-8")
    result = runner.invoke(main, ["verify", "approval.json", "campaigns"])
    assert result.exit_code == 1 and "no trusted reviewers' keys are configured" in result.output


def test_changed_waiver_file_and_checklists_are_named(runner, repo):
    import datetime as dt

    expires = (dt.date.today() + dt.timedelta(days=90)).isoformat()  # within main's waiver-max-days (365)
    (repo / "waivers.yaml").write_text(
        "waivers:\n  - rule: FEE-001\n    campaign: NO-SUCH-CAMPAIGN\n    source: campaigns/none.json\n    reason: r\n    approved-by: x\n"
        f"    expires: {expires}\n", encoding="utf-8")
    (repo / "auditor.toml").write_text('paths = ["campaigns"]\ntrusted-keys = "reviewers.pub"\nwaivers = "waivers.yaml"\n',
                                       encoding="utf-8")
    result = approve(runner)
    assert result.exit_code == 0, result.output
    record = json.loads((repo / "approval.json").read_text(encoding="utf-8"))
    assert record["relied_on"]["waivers"]["path"] == "waivers.yaml"
    with open(repo / "waivers.yaml", "a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    result = runner.invoke(main, ["verify", "approval.json", "campaigns"])
    assert result.exit_code == 1 and "the waiver file changed since approval" in result.output

    from auditor.approval import compare

    problems = compare(record, record["campaigns"], {"checklists": "something-else"}, record["relied_on"])
    assert [str(p) for p in problems][0].startswith("the checklists changed since approval")


def test_changed_file_and_new_finding_are_named(runner, repo):
    assert approve(runner).exit_code == 0
    doc = json.loads((repo / "campaigns" / "c.json").read_text(encoding="utf-8"))
    doc["consent"]["pre_checked"] = True
    (repo / "campaigns" / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["verify", "approval.json", "campaigns"])
    assert result.exit_code == 1
    assert "campaigns/c.json: the file changed since approval" in result.output
    assert "campaigns/c.json: new finding CON-002" in result.output
    html = html_with(runner)
    assert "The approval does not match these files" in html and 'class="state approved"' not in html


def test_critical_findings_need_accepted_risk_and_are_never_green(runner, repo):
    shutil.copy(REPO / "examples" / "cn-c1-gprs-bundle-lapse.yaml", repo / "campaigns" / "c1.yaml")
    refused = approve(runner)
    assert refused.exit_code == 1 and "unwaived critical findings" in refused.output
    accepted = approve(runner, "--accept-risk")
    assert accepted.exit_code == 0, accepted.output
    record = json.loads((repo / "approval.json").read_text(encoding="utf-8"))
    assert record["approval"]["accepted_risk"] is True
    assert {a["path"] for a in record["approval"]["accepted"]} == {"campaigns/c1.yaml"}
    verified = runner.invoke(main, ["verify", "approval.json", "campaigns"])
    assert verified.exit_code == 0 and "accepted risk: campaigns/c1.yaml" in verified.output
    html = html_with(runner)
    assert "Approved with accepted risks" in html and 'class="approval approved_with_risk"' in html
    assert 'class="approval approved"' not in html
    c1 = html[html.index("CN-XZ-2009-PHONE-PREPAY —"):]
    assert 'class="state approved_with_risk"' in c1[:c1.index("</dl>", c1.index('class="verdict"'))]


def test_report_json_that_no_longer_matches_the_files_is_refused(runner, repo):
    checked = runner.invoke(main, ["check", "campaigns", "--format", "json", "-o", "report.json"])
    assert checked.exit_code in (0, 1)
    report = json.loads((repo / "report.json").read_text(encoding="utf-8"))
    report["campaigns"][0]["findings"].append({"rule": "CON-002", "category": "consent", "severity": "high",
                                               "message": "m", "location": {"pointer": "/consent"}})
    (repo / "report.json").write_text(json.dumps(report), encoding="utf-8")
    result = runner.invoke(main, ["approve", "report.json", "--role", "legal"], input=PASS + "\n")
    assert result.exit_code == 1 and "the report's findings differ" in result.output


def test_private_key_mode_even_with_a_permissive_umask(tmp_path):
    from auditor.keys import new_key_file, write_private

    old = os.umask(0)
    try:
        data, _ = new_key_file("A", PASS)
        write_private(tmp_path / "k" / "reviewer.key", data)
    finally:
        os.umask(old)
    assert oct((tmp_path / "k" / "reviewer.key").stat().st_mode & 0o777) == "0o600"


def test_malformed_record_is_reported_not_crashed(runner, repo):
    (repo / "odd.json").write_text(json.dumps({"format": "campaign-auditor/approval-v2", "approval": {},
                                               "campaigns": "x", "signature": {"algorithm": "ed25519"}}),
                                   encoding="utf-8")
    result = runner.invoke(main, ["verify", "odd.json", "campaigns"])
    assert result.exit_code == 1 and "the signature does not match the record" in result.output
    html = html_with(runner, "odd.json")
    assert "Not approved: the approval record is not valid." in html


def test_a_broken_trusted_file_fails_verification_clearly_but_not_plain_reports(runner, repo):
    assert approve(runner).exit_code == 0
    (repo / "reviewers.pub").write_text("ed25519:not-base64 Wang Fang\n", encoding="utf-8")
    result = runner.invoke(main, ["verify", "approval.json", "campaigns"])
    assert result.exit_code == 2 and "reviewers.pub:1:" in result.output and "Traceback" not in result.output
    plain = runner.invoke(main, ["check", "campaigns", "--html", "r.html", "--fail-on", "none"])
    assert plain.exit_code == 0, plain.output
