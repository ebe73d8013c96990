"""The HTML risk report as a sign-off document: content, languages, approval."""

from __future__ import annotations

import json
import re

import pytest

from auditor.cli import main
from auditor.examples import build
from helpers import REPO


@pytest.fixture
def examples_html(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")

    def render(*extra, lang="en"):
        out = tmp_path / f"report-{lang}.html"
        result = runner.invoke(main, ["check", "examples/", "--html", str(out), "--lang", lang, "--fail-on", "none",
                                      *extra])
        assert result.exit_code == 0, result.output
        return out.read_text(encoding="utf-8")

    return render


def test_cover_lists_every_source_with_its_sha256_and_versions(examples_html):
    import hashlib

    html = examples_html()
    for path in sorted((REPO / "examples").glob("*.*")):
        if path.suffix in (".json", ".yaml", ".xlsx"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() in html, path.name
    assert "checklists" in html and "generated 2026-05-28" in html
    assert "Not approved." in html


def test_each_campaign_has_journey_bill_findings_and_coverage(examples_html):
    html = examples_html()
    c1 = html[html.index("CN-XZ-2009-PHONE-PREPAY —"):]
    c1 = c1[:c1.index('<section class="campaign"')] if '<section class="campaign"' in c1 else c1
    assert "<svg" in c1 and "term ends 2010-01-01" in c1
    assert "No reminder reaches the customer before the term ends." in c1
    # C1: the bill jumps when the bundle lapses to pay-per-use
    jump_rows = re.findall(r'<tr class="jump after">\s*<td>(\d+)', c1)
    assert jump_rows == ["13"]
    assert "0.01 CNY/KB" in c1
    assert "What was checked and passed" in c1
    assert "case:C1" in c1 and "How to fix" in c1


def test_evidence_is_highlighted(examples_html):
    html = examples_html()
    assert "<mark>全网最低</mark>" in html


@pytest.mark.parametrize("lang,heading,title", [
    ("zh-CN", "营销活动风险报告", "办理前未披露到期后的价格"),
    ("zh-TW", "營銷活動風險報告", "辦理前未披露到期後的價格"),
])
def test_languages_translate_report_text_but_never_campaign_text(examples_html, lang, heading, title):
    html = examples_html(lang=lang)
    assert heading in html and title in html
    assert f'<html lang="{lang}">' in html
    # campaign text is quoted as written (simplified stays simplified in zh-TW)
    assert "心语心愿，让幸福满格" in html
    assert "Campaign risk report" not in html


def test_catalogues_are_complete_and_keep_placeholders():
    from babel.messages.pofile import read_po

    from auditor.i18n import catalogue_path, message_ids, missing

    for lang in ("zh-CN", "zh-TW"):
        assert missing(lang) == []
        with open(catalogue_path(lang), "rb") as fh:
            for message in read_po(fh):
                if message.id:
                    assert set(re.findall(r"\{(\w+)\}", message.id)) == set(re.findall(r"\{(\w+)\}", message.string)), \
                        (lang, message.id)
    assert len(message_ids()) > 200


def test_approve_then_verify(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    campaign = tmp_path / "c.json"
    campaign.write_text(json.dumps(build({"base": "cn"}), ensure_ascii=False), encoding="utf-8")
    runner.invoke(main, ["check", "c.json", "--format", "json", "-o", "report.json"])
    result = runner.invoke(main, ["approve", "report.json", "--by", "Wang Fang", "--role", "Legal counsel",
                                  "--note", "ok for March", "-o", "approval.json"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "approval.json").read_text(encoding="utf-8"))
    assert record["approval"]["by"] == "Wang Fang"
    assert record["campaigns"][0]["sha256"] and record["tool"]["checklists"]
    assert runner.invoke(main, ["verify", "approval.json", "c.json"]).exit_code == 0

    html_out = tmp_path / "r.html"
    runner.invoke(main, ["check", "c.json", "--html", str(html_out), "--approval", "approval.json"])
    html = html_out.read_text(encoding="utf-8")
    assert "Approved" in html and "Wang Fang" in html and "ok for March" in html

    data = campaign.read_bytes()
    campaign.write_bytes(data.replace(b"BASE-CN", b"BASE-CX"))  # one byte changed
    result = runner.invoke(main, ["verify", "approval.json", "c.json"])
    assert result.exit_code == 1
    assert "c.json: the file changed since approval" in result.output
    runner.invoke(main, ["check", "c.json", "--html", str(html_out), "--approval", "approval.json"])
    assert "The approval does not match these files" in html_out.read_text(encoding="utf-8")


def test_new_finding_fails_verification(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = build({"base": "cn"})
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    runner.invoke(main, ["check", "c.json", "--format", "json", "-o", "report.json"])
    runner.invoke(main, ["approve", "report.json", "--by", "A", "--role", "legal", "-o", "approval.json"])
    record = json.loads((tmp_path / "approval.json").read_text(encoding="utf-8"))
    record["campaigns"][0]["findings"] = [["FEE-001", "/fees/0/promo_amount", "high"]]
    doc["consent"]["pre_checked"] = True
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    record["campaigns"][0]["sha256"] = __import__("hashlib").sha256((tmp_path / "c.json").read_bytes()).hexdigest()
    (tmp_path / "approval.json").write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(main, ["verify", "approval.json", "c.json"])
    assert result.exit_code == 1 and "new finding CON-002" in result.output


def test_approving_critical_findings_needs_accept_risk(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.json").write_text(json.dumps(build({"base": "cn", "patch": {"/consent/method": "none"}})),
                                     encoding="utf-8")
    runner.invoke(main, ["check", "c.json", "--format", "json", "-o", "report.json"])
    refused = runner.invoke(main, ["approve", "report.json", "--by", "A", "--role", "legal"])
    assert refused.exit_code == 1 and "--accept-risk" in refused.output
    accepted = runner.invoke(main, ["approve", "report.json", "--by", "A", "--role", "legal", "--accept-risk"])
    assert accepted.exit_code == 0
    assert json.loads(accepted.output)["approval"]["accepted_risk"] is True
