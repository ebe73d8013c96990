"""The HTML report in a real headless Chromium: no console errors, no script
execution from campaign text, print to PDF with one section per campaign,
screenshots for the README."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from click.testing import CliRunner
from helpers import REPO

from auditor.cli import main
from auditor.examples import build

MARKER = "xss-fired"
PAYLOADS = [
    f"<script>document.body.insertAdjacentHTML('beforeend','<b id={MARKER}></b>')</script>",
    f"<img src=x onerror=\"document.body.insertAdjacentHTML('beforeend','<b id={MARKER}></b>')\">",
    f"<svg onload=\"document.body.insertAdjacentHTML('beforeend','<b id={MARKER}></b>')\"></svg>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "\"><script>alert(1)</script>",
    "</textarea></pre></svg><script>alert(1)</script>",
]


def render(tmp_path, paths, name="report.html", lang="en"):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["check", *map(str, paths), "--html", str(out), "--lang", lang,
                                       "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    return out


def hostile_campaign(tmp_path):
    payload = " ".join(PAYLOADS)
    doc = build({"base": "cn"})
    doc["name"] = payload
    doc["operator"] = payload
    doc["offer"]["summary"] = payload
    doc["fees"][0]["name"] = payload
    doc["fees"].append({"id": payload, "name": payload, "amount": 1, "recurrence": "per_use",
                        "charged_by": "third_party", "provider": payload})
    doc["offer"]["eligibility"] = [{"condition": payload}]
    for material in doc["materials"]:
        material["text"] = payload + " 全网最低 比联通便宜 " + material["text"]
    for notification in doc["end_of_term"]["notifications"]:
        notification["text"] = payload
    for method in doc["cancellation"]["methods"]:
        method["instructions"] = payload
    doc["x-note"] = payload
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Refused to" in line or "Uncaught" in line]


def test_report_renders_without_console_errors(chromium, tmp_path):
    report = render(tmp_path, [REPO / "examples"])
    done = chromium("--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Campaign risk report" in done.stdout
    assert console_errors(done.stderr) == []


@pytest.mark.parametrize("strip_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_script_payloads_in_every_field_execute_nothing(chromium, tmp_path, strip_csp):
    report = render(tmp_path, [hostile_campaign(tmp_path)])
    html = report.read_text(encoding="utf-8")
    assert "<script>" not in html and "onerror=\"" not in html and 'href="javascript:' not in html
    if strip_csp:
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        report.write_text(html, encoding="utf-8")
    done = chromium("--enable-logging=stderr", "--v=0", "--dump-dom", report.as_uri())
    assert done.returncode == 0
    assert f'<b id="{MARKER}">' not in done.stdout
    assert "&lt;script&gt;" in done.stdout  # the payload is shown as text
    assert not [line for line in console_errors(done.stderr) if "alert" in line or MARKER in line]


def test_print_to_pdf_gives_one_section_per_campaign(chromium, tmp_path):
    report = render(tmp_path, [REPO / "examples"], lang="zh-CN")
    pdf = tmp_path / "report.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    assert pdf.exists() and pdf.stat().st_size > 10_000, done.stderr[-2000:]
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                            text=True).stdout).group(1))
    ids = json.loads(CliRunner().invoke(main, ["check", str(REPO / "examples"), "--format", "json"]).output)
    ids = [c["id"] for c in ids["campaigns"]]
    assert pages > len(ids)
    starts = set()
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True).stdout
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        starts |= {i for i in ids if first.startswith(i)}
    assert starts == set(ids), f"campaigns not starting a page: {set(ids) - starts}"
    # Chinese text survives into the PDF (fonts-noto-cjk installed)
    full = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "营销活动风险报告" in full and "心语心愿" in full


@pytest.mark.parametrize("example,name", [
    ("cn-c1-gprs-bundle-lapse.yaml", "report-risky-c1.png"),
    ("uk-sim-only-compliant.yaml", "report-compliant-uk.png"),
])
def test_screenshots(chromium, tmp_path, artifacts, example, name):
    report = render(tmp_path, [REPO / "examples" / example])
    target = artifacts / "screenshots" / name
    done = chromium("--hide-scrollbars", "--window-size=1200,2400", f"--screenshot={target}", report.as_uri())
    assert target.exists() and target.stat().st_size > 20_000, done.stderr[-2000:]


def _every_string(node, payload):
    if isinstance(node, dict):
        return {(payload + key if key.startswith("x-") else key): _every_string(v, payload) for key, v in node.items()}
    if isinstance(node, list):
        return [_every_string(v, payload) for v in node]
    return payload + node if isinstance(node, str) else node


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_payload_in_every_string_field_executes_nothing(chromium, tmp_path, lang):
    """Every string of the campaign (ids, enums and dates included) starts with a script payload."""
    doc = _every_string(build({"base": "cn"}), " ".join(PAYLOADS) + " ")
    doc["x-" + PAYLOADS[0]] = PAYLOADS[1]
    path = tmp_path / "every.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = render(tmp_path, [path], lang=lang)
    done = chromium("--dump-dom", report.as_uri())
    assert done.returncode == 0
    assert f'<b id="{MARKER}">' not in done.stdout and "&lt;script&gt;" in done.stdout
