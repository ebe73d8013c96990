"""`--annotate` on a campaign with a PDF material: a copy of the PDF with each finding highlighted over its words."""

from __future__ import annotations

import hashlib
import io
import json
import shutil

from helpers import REPO

from auditor.cli import main
from auditor.examples import base

FIXTURES = REPO / "tests" / "materials" / "fixtures"


def campaign_with_pdf(tmp_path):
    document = base("cn")
    document["materials"][0] = {"id": "poster", "kind": "poster", "channel": "web", "file": "terms.pdf"}
    shutil.copy(FIXTURES / "terms.pdf", tmp_path / "terms.pdf")
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def annotations(pdf_bytes: bytes) -> list[dict]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    out = []
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            out.append({"page": number, "subtype": annotation["/Subtype"], "contents": str(annotation.get("/Contents")),
                        "rect": [float(v) for v in annotation["/Rect"]],
                        "height": float(page.mediabox.top)})
    return out


def test_each_finding_on_a_pdf_material_is_a_highlight_with_the_finding_as_comment(tmp_path, runner):
    campaign = campaign_with_pdf(tmp_path)
    before = hashlib.sha256((tmp_path / "terms.pdf").read_bytes()).hexdigest()
    done = runner.invoke(main, ["check", str(campaign), "--annotate", str(tmp_path / "review"), "--fail-on", "none",
                                "--format", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    copy = tmp_path / "review" / "campaign.terms.annotated.pdf"
    found = annotations(copy.read_bytes())
    highlights = [a for a in found if a["subtype"] == "/Highlight"]
    assert highlights and any("FEE-007" in a["contents"] and "How to fix" in a["contents"] for a in highlights)
    # the highlight lies over the words the JSON report locates (boxes from the top-left; PDF from bottom-left)
    [location] = [f["location"] for c in report["campaigns"] for f in c["findings"] if f["rule"] == "FEE-007"]
    x0, top, x1, bottom = location["box"]
    [fee007] = [a for a in highlights if "FEE-007" in a["contents"]]
    left, low, right, high = fee007["rect"]
    assert abs(left - x0) < 1 and abs(right - x1) < 1 and abs(high - (fee007["height"] - top)) < 1
    assert hashlib.sha256((tmp_path / "terms.pdf").read_bytes()).hexdigest() == before  # never written over
    from auditor.load.materials import read_material

    assert read_material(copy.read_bytes(), "copy.pdf").text == read_material(
        (tmp_path / "terms.pdf").read_bytes(), "terms.pdf").text


def test_findings_that_quote_no_words_of_the_pdf_go_in_a_note_on_page_one(tmp_path):
    from auditor.engine import audit_file
    from auditor.load.materials.annotate import annotate_pdf

    result = audit_file(campaign_with_pdf(tmp_path), "campaign.json")
    name, reading = result.material_readings[0]
    unplaced = [f for f in result.findings if f.rule == "AUD-E006"] or result.findings[:1]
    from dataclasses import replace

    unplaced = [replace(f, evidence=None, spans=()) for f in unplaced]
    found = annotations(annotate_pdf((tmp_path / "terms.pdf").read_bytes(), name, reading, unplaced))
    assert [a["subtype"] for a in found] == ["/Text"] and unplaced[0].rule in found[0]["contents"]


def test_annotate_a_single_pdf_to_a_named_file_and_never_over_the_input(tmp_path, runner):
    campaign = campaign_with_pdf(tmp_path)
    done = runner.invoke(main, ["check", str(campaign), "--annotate", str(tmp_path / "marked.pdf"), "--fail-on",
                                "none"])
    assert done.exit_code == 0, done.output
    assert annotations((tmp_path / "marked.pdf").read_bytes())
    done = runner.invoke(main, ["check", str(campaign), "--annotate", str(tmp_path / "terms.pdf"), "--fail-on",
                                "none"])
    assert done.exit_code == 2 and "terms.pdf" in done.output


def test_annotate_with_nothing_to_annotate_warns(tmp_path, runner):
    document = base("cn")
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = runner.invoke(main, ["check", str(path), "--annotate", str(tmp_path / "out"), "--fail-on", "none"])
    assert done.exit_code == 0 and "nothing to annotate" in done.output
