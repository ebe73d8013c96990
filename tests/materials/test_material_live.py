"""`auditor verify APPROVAL CAMPAIGN --materials DIR`: live exports compared with the approved materials, and
re-audited when they changed."""

from __future__ import annotations

import json
import shutil

from helpers import REPO

from auditor.cli import main
from auditor.examples import base

PASS = "correct horse battery"
FIXTURES = REPO / "tests" / "materials" / "fixtures"


def approved_campaign(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # approvals are signed: Wang Fang's key, and auditor.toml naming the trusted reviewers
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    created = runner.invoke(main, ["keys", "create", "Wang Fang"], input=f"{PASS}\n{PASS}\n")
    assert created.exit_code == 0, created.output
    (tmp_path / "reviewers.pub").write_text(created.stdout.strip().splitlines()[-1] + "\n", encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('trusted-keys = "reviewers.pub"\n', encoding="utf-8")
    document = base("uk")
    document["materials"][0] = {"id": "web", "kind": "landing_page", "channel": "web", "file": "landing.html"}
    (tmp_path / "landing.html").write_text(
        "<!doctype html><html><body><p>30GB SIM-only for &pound;8/month for your first 6 months, then "
        "&pound;12/month. 12-month contract; leaving early costs &pound;24.</p><p>Offer open 1 March to 31 March "
        "2026. Cancel any time online or in the app.</p></body></html>", encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["check", "c.json", "--format", "json", "-o", "report.json"]).exit_code == 0
    done = runner.invoke(main, ["approve", "report.json", "--by", "Wang Fang", "--role", "legal", "-o", "approval.json"],
                         input=PASS + "\n")
    assert done.exit_code == 0, done.output
    (tmp_path / "live").mkdir()
    return document


def test_live_materials_with_the_approved_words_verify(tmp_path, runner, monkeypatch):
    document = approved_campaign(tmp_path, runner, monkeypatch)
    shutil.copy(tmp_path / "landing.html", tmp_path / "live" / "landing.html")
    # the terms went live as plain text from the CMS: matched by the material's id
    (tmp_path / "live" / "summary.txt").write_text(document["materials"][1]["text"] + "\n", encoding="utf-8")
    done = runner.invoke(main, ["verify", "approval.json", "c.json", "--materials", "live"])
    assert done.exit_code == 0, done.output
    assert "live materials: 2 compared, 0 changed since approval" in done.output


def test_a_live_page_changed_after_approval_fails_and_is_re_audited(tmp_path, runner, monkeypatch):
    approved_campaign(tmp_path, runner, monkeypatch)
    (tmp_path / "live" / "landing.html").write_text(
        "<!doctype html><html><body><p>30GB SIM-only, FREE for your first 6 months!</p>"
        "<p>Cancel any time online or in the app.</p></body></html>", encoding="utf-8")
    done = runner.invoke(main, ["verify", "approval.json", "c.json", "--materials", "live"])
    assert done.exit_code == 1, done.output
    assert "material `web` changed after approval: landing.html differs from the approved words" in done.output
    assert "the live words raise FEE-" in done.output  # the page no longer states the price: re-audited
    assert "NOT VERIFIED" in done.output
    assert "material `summary` has no live export" in done.output  # listed, not failed


def test_a_live_pdf_export_is_read_with_the_readers(tmp_path, runner, monkeypatch):
    approved_campaign(tmp_path, runner, monkeypatch)
    shutil.copy(FIXTURES / "landing.pdf", tmp_path / "live" / "web.pdf")  # Chromium's print of another page
    done = runner.invoke(main, ["verify", "approval.json", "c.json", "--materials", "live"])
    assert done.exit_code == 1 and "web.pdf differs from the approved words" in done.output


def test_an_unreadable_live_export_fails_with_the_reason(tmp_path, runner, monkeypatch):
    approved_campaign(tmp_path, runner, monkeypatch)
    (tmp_path / "live" / "landing.html").write_bytes(b"\xff\xfeU\x00T\x00F\x00")
    done = runner.invoke(main, ["verify", "approval.json", "c.json", "--materials", "live"])
    assert done.exit_code == 1 and "cannot be read: the file is saved as UTF-16" in done.output
