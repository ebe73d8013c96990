"""The HTML risk report as a sign-off document: content, languages, approval."""

from __future__ import annotations

import re

import pytest
from helpers import REPO

from auditor.cli import main


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


# Approving and verifying (signed records) are tested in test_signoff.py.
