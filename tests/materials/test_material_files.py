"""Campaigns whose materials are files: the two bugs of issue #21, findings that lead to the spot in the file,
and what the reports show of it."""

from __future__ import annotations

import json
import shutil

from helpers import REPO, require_ocr

from auditor.engine import audit_file
from auditor.examples import base

FIXTURES = REPO / "tests" / "materials" / "fixtures"


def write(tmp_path, document: dict, name: str = "campaign.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def uk_with_landing_page(tmp_path, page: str):
    document = base("uk")
    document["materials"][0] = {"id": "web", "kind": "landing_page", "channel": "web", "file": "landing.html"}
    (tmp_path / "landing.html").write_text(page, encoding="utf-8")
    return audit_file(write(tmp_path, document), "campaign.json")


def test_html_entities_are_prices_no_false_fee_findings(tmp_path):
    """Regression (#21): `&pound;12` read raw was no price, so FEE-002 (and FEE-003) fired on a compliant page."""
    result = uk_with_landing_page(tmp_path, (
        "<!doctype html><html><head><title>Offer</title></head><body><h1>30GB SIM-only</h1>"
        "<p>30GB SIM-only for &pound;8/month for your first 6 months, then &pound;12/month.</p>"
        "<p>12-month contract; leaving early costs &pound;24. Offer open 1 March to 31 March 2026. "
        "Cancel any time online or in the app.</p></body></html>"))
    assert not [f for f in result.findings if f.rule.startswith("FEE")], [(f.rule, f.message) for f in result.findings]
    assert result.material_texts[0].startswith("30GB SIM-only\n30GB SIM-only for £8/month")


def test_a_pdf_or_png_material_is_not_rejected_as_non_utf8(tmp_path):
    """Regression (#21): a poster as PDF or PNG was a critical AUD-E005 'not UTF-8 text; save it as UTF-8'."""
    require_ocr()
    document = base("cn")
    document["materials"].append({"id": "poster-pdf", "kind": "poster", "channel": "web", "file": "poster.pdf"})
    document["materials"].append({"id": "poster-png", "kind": "poster", "channel": "web", "file": "poster.png"})
    shutil.copy(FIXTURES / "poster-zh.pdf", tmp_path / "poster.pdf")
    shutil.copy(FIXTURES / "poster-zh.png", tmp_path / "poster.png")
    result = audit_file(write(tmp_path, document), "campaign.json")
    assert not [f for f in result.findings if f.rule == "AUD-E005"], [f.message for f in result.findings]
    index = len(document["materials"]) - 2
    assert "次月起15元/月自动续费" in result.material_texts[index]
    assert "次月起15元/月自动续费" in result.material_texts[index + 1]


def test_an_unreadable_material_file_says_why_in_its_finding(tmp_path):
    document = base("cn")
    document["materials"].append({"id": "old", "kind": "terms", "channel": "web", "file": "terms.doc"})
    (tmp_path / "terms.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = audit_file(write(tmp_path, document), "campaign.json")
    [finding] = [f for f in result.findings if f.rule == "AUD-E005"]
    assert "old-style Office file" in finding.message and "UTF-8" not in finding.message


def free_trial_with(tmp_path, name: str):
    """A CN campaign whose advert (a file) says 首月免费 but never the later price: FEE-007 quotes the file."""
    document = base("cn")
    document["materials"][0] = {"id": "poster", "kind": "poster", "channel": "web", "file": name}
    shutil.copy(FIXTURES / name, tmp_path / name)
    return audit_file(write(tmp_path, document), "campaign.json")


def located(result, pointer: str):
    return [f for f in result.findings if f.location.pointer == pointer and f.location.detail]


def test_findings_on_a_word_file_name_the_paragraph(tmp_path):
    result = free_trial_with(tmp_path, "terms.docx")
    findings = located(result, "/materials/0/file")
    assert findings, [(f.rule, f.location) for f in result.findings]
    location = findings[0].location.to_dict()
    assert location["file"] == "terms.docx" and ("paragraph" in location or "table" in location)
    assert location["pointer"] == "/materials/0/file" and location["line"] >= 1  # the campaign's own line stays


def test_findings_on_a_pdf_name_page_and_box(tmp_path):
    result = free_trial_with(tmp_path, "terms.pdf")
    findings = located(result, "/materials/0/file")
    assert findings, [(f.rule, f.location) for f in result.findings]
    location = findings[0].location.to_dict()
    assert location["file"] == "terms.pdf" and location["page"] == 1
    x0, top, x1, bottom = location["box"]
    assert x0 < x1 and top < bottom
    assert "terms.pdf, page 1" in findings[0].location.describe()


def test_findings_on_an_image_carry_the_ocr_box_and_confidence(tmp_path):
    require_ocr()
    result = free_trial_with(tmp_path, "poster-zh.png")
    findings = located(result, "/materials/0/file")
    assert findings, [(f.rule, f.location) for f in result.findings]
    location = findings[0].location.to_dict()
    assert location["file"] == "poster-zh.png" and location["ocr_confidence"] > 80 and len(location["box"]) == 4
    assert "OCR confidence" in findings[0].location.describe()


def test_the_json_report_keeps_the_contract_with_the_added_location_keys(tmp_path, runner):
    import jsonschema

    from auditor.cli import main

    free_trial_with(tmp_path, "terms.pdf")
    done = runner.invoke(main, ["check", str(tmp_path / "campaign.json"), "--format", "json", "--fail-on", "none"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    schema = json.loads((REPO / "tests" / "contract" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    locations = [f["location"] for c in report["campaigns"] for f in c["findings"] if "file" in f["location"]]
    assert locations and all(loc["file"] == "terms.pdf" and loc["page"] == 1 for loc in locations)


def test_the_text_and_html_reports_show_the_spot(tmp_path, runner):
    from auditor.cli import main

    free_trial_with(tmp_path, "terms.docx")
    done = runner.invoke(main, ["check", str(tmp_path / "campaign.json"), "--fail-on", "none",
                                "--html", str(tmp_path / "report.html")])
    assert done.exit_code == 0, done.output
    assert "terms.docx, paragraph" in done.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "terms.docx, paragraph 5, text box, paragraph 1" in page and "首月<mark>免费</mark>" in page


def test_notes_of_a_reading_are_low_findings(tmp_path):
    result = uk_with_landing_page(tmp_path, '<p>Only &pound;12</p><img src="https://cdn.example.com/x.png">'
                                            '<script>x()</script>')
    notes = [f for f in result.findings if f.rule == "AUD-E006"]
    assert notes and all(f.severity.value in ("info", "low") for f in notes)
    assert any("not fetched" in f.message for f in notes) and any("were not run" in f.message for f in notes)


def test_material_limits_come_from_the_configuration(tmp_path, runner):
    from auditor.cli import main

    free_trial_with(tmp_path, "terms.pdf")
    (tmp_path / "auditor.toml").write_text("max-pages = 1\nmax-pixels = 1000\nmax-unpacked-bytes = 100\n",
                                           encoding="utf-8")
    done = runner.invoke(main, ["check", str(tmp_path / "campaign.json"), "--format", "json", "--fail-on", "none",
                                "--config", str(tmp_path / "auditor.toml")])
    assert done.exit_code == 0, done.output
    [finding] = [f for c in json.loads(done.output)["campaigns"] for f in c["findings"] if f["rule"] == "AUD-E005"]
    assert "unpacks to more than 100 bytes" in finding["message"]


def test_the_html_report_shows_a_cropped_rendering_of_the_words_in_a_pdf(tmp_path, runner):
    import base64
    import io
    import re

    from PIL import Image

    from auditor.cli import main

    free_trial_with(tmp_path, "terms.pdf")
    done = runner.invoke(main, ["check", str(tmp_path / "campaign.json"), "--fail-on", "none",
                                "--html", str(tmp_path / "report.html")])
    assert done.exit_code == 0, done.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'<img class="crop" src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"', page)
    assert images and "terms.pdf, page 1" in images[0][1]
    picture = Image.open(io.BytesIO(base64.b64decode(images[0][0]))).convert("RGB")
    assert 50 < picture.width <= 900 and picture.height > 20
    # the highlight is drawn: some pixels carry the red outline
    assert any(r > 180 and g < 90 and b < 90 for r, g, b in (picture.getpixel((x, y)) for x in range(picture.width) for y in range(picture.height)))


def test_no_crop_from_a_file_changed_after_the_audit(tmp_path):
    from auditor.load.materials.crop import crops_for

    result = free_trial_with(tmp_path, "terms.pdf")
    assert crops_for(result)
    (tmp_path / "terms.pdf").write_bytes((FIXTURES / "landing.pdf").read_bytes())
    assert crops_for(result) == {}


def test_a_crop_of_an_ocr_image(tmp_path):
    require_ocr()
    from auditor.load.materials.crop import crops_for

    result = free_trial_with(tmp_path, "poster-zh.png")
    crops = crops_for(result)
    assert crops and all(uri.startswith("data:image/png;base64,") for uri in crops.values())
