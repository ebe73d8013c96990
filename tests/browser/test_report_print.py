"""The HTML report printed by Chromium is an archivable document: every page says which campaign and which
report it belongs to and its page number out of the total; table headers repeat on every page."""

from __future__ import annotations

import re
import subprocess

from click.testing import CliRunner
from helpers import REPO

from auditor.cli import main


def pdf_pages(chromium, tmp_path, lang="en"):
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["check", str(REPO / "examples"), "--html", str(report), "--lang", lang,
                                       "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "report.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                            text=True).stdout).group(1))
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True,
                            text=True).stdout for n in range(1, count + 1)]
    html = report.read_text(encoding="utf-8")
    return pages, html


def test_every_page_has_page_n_of_m_and_a_running_header(chromium, tmp_path):
    pages, html = pdf_pages(chromium, tmp_path)
    report_id = re.search(r'Report <span class="mono">([0-9a-f]{12})</span>', html).group(1)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert f"Page {number} of {total}" in text, f"page {number} has no page number"
        assert report_id in lines[0], f"page {number} header: {lines[0]!r}"
    # campaign pages carry the campaign's id in the running header, with the report id after " · "
    c1 = [t for t in pages if "CN-XZ-2009-PHONE-PREPAY · " + report_id in t]
    assert c1, "no page headed by the C1 campaign"
    assert "generated " in pages[0]


def test_table_headers_repeat_on_every_page_of_a_long_table(chromium, tmp_path):
    pages, _html = pdf_pages(chromium, tmp_path)
    findings_table_pages = [t for t in pages if "Source file · sha256" in t or "Source file ·" in t]
    contents_rows = [t for t in pages if re.search(r"^\s*8\s+UK-NW-SIMO", t, re.M)]
    assert contents_rows
    # the contents table breaks across pages on A4; its header is on every page it runs over
    for text in contents_rows:
        assert "Sign-off" in text and "Campaign" in text
    assert findings_table_pages
