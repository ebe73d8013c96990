"""`auditor check campaign.yaml --annotate OUT`: for each PDF material, a copy with every finding on it as a
highlight annotation over the words, the finding as the annotation's comment (what `--annotate` does for
workbooks with cell comments).

Findings about the material that quote no words of it (the price it never states, say) go in one note at the top
of the first page. The material itself is never modified: the copy is written atomically elsewhere.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from auditor.findings import Status

COLOURS = {"critical": "b388ff", "high": "ff8a80", "medium": "ffd180", "low": "82b1ff", "info": "cfd8dc"}


def _comment(finding, gettext) -> str:
    status = "" if finding.status is Status.FAIL else f" ({finding.status.value})"
    return (f"[{finding.severity.value.upper()}] {finding.rule} {gettext(finding.title)}{status}\n"
            f"{finding.text(gettext)}\n{gettext('How to fix')}: {gettext(finding.fix)}")


def _boxes(reading, finding) -> tuple[int | None, list[tuple[float, float, float, float]]]:
    """The page and the boxes (one per line) of the words a finding quotes from this material."""
    from auditor.load.materials.locate import evidence_offset

    found = evidence_offset(reading.text, finding.evidence, finding.spans)
    if found is None:
        return None, []
    start, end = found
    at = reading.block_at(start)
    if at is None:
        return None, []
    block, offset = at
    return block.get("page"), block.boxes(offset, offset + max(1, end - start))


def annotate_pdf(data: bytes, name: str, reading, findings, gettext=None) -> bytes:
    """A copy of the PDF `data` with the findings on material file `name` as highlight annotations."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Highlight, Text
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    gettext = gettext or (lambda s: s)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    unplaced = []
    for finding in findings:
        page, boxes = _boxes(reading, finding)
        if page is None or not boxes or page > len(writer.pages):
            unplaced.append(finding)
            continue
        mediabox = writer.pages[page - 1].mediabox
        left, top = float(mediabox.left), float(mediabox.top)
        quads, xs, ys = [], [], []
        for x0, y_top, x1, y_bottom in boxes:  # reader boxes are from the top-left corner; PDF's from bottom-left
            a, b, c, d = left + x0, top - y_top, left + x1, top - y_bottom
            quads += [a, b, c, b, a, d, c, d]
            xs += [a, c]
            ys += [b, d]
        highlight = Highlight(rect=(min(xs), min(ys), max(xs), max(ys)),
                              quad_points=ArrayObject(FloatObject(round(v, 2)) for v in quads),
                              highlight_color=COLOURS[finding.severity.value])
        highlight[NameObject("/Contents")] = TextStringObject(_comment(finding, gettext))
        highlight[NameObject("/T")] = TextStringObject("campaign-auditor")
        writer.add_annotation(page_number=page - 1, annotation=highlight)
    if unplaced and len(writer.pages):
        mediabox = writer.pages[0].mediabox
        note = Text(rect=(float(mediabox.left) + 10, float(mediabox.top) - 40, float(mediabox.left) + 40,
                          float(mediabox.top) - 10), text="\n\n".join(_comment(f, gettext) for f in unplaced),
                    open=False)
        note[NameObject("/T")] = TextStringObject("campaign-auditor")
        writer.add_annotation(page_number=0, annotation=note)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_material_targets(annotate_path: str, results, inputs) -> list[tuple[Path, Path, Any, int]]:
    """`inputs`: the audited (path, shown) pairs. (material PDF, annotated copy, campaign result, material index) for
    every PDF material of the results (a result is the engine's CampaignResult, a layer above this one).
    The copies go in the `--annotate` folder (or beside the workbook copy it names; or to the .pdf it names
    when there is one PDF material), named CAMPAIGN.MATERIAL.annotated.pdf."""
    found = []
    sources = dict((shown, path) for path, shown in inputs)
    for result in results:
        source = sources.get(result.source)
        if source is None:
            continue
        for index, (name, reading) in sorted(getattr(result, "material_readings", {}).items()):
            if reading.format == "pdf":
                found.append((Path(reading.path) if reading.path else source.parent / name, source, result, index))
    target = Path(annotate_path)
    out = []
    for material, source, result, index in found:
        if target.suffix.lower() == ".pdf" and len(found) == 1:
            destination = target
        else:
            folder = target if target.is_dir() or not target.suffix else target.parent
            destination = folder / f"{source.stem}.{material.stem}.annotated.pdf"
        out.append((material, destination, result, index))
    return out


def write_pdf_annotations(annotate_path: str, results, inputs, lang: str = "en") -> list[Path]:
    """Write the annotated copy of every PDF material; returns the copies written."""
    from auditor.atomic import OutputError, check_not_input, write_atomic

    gettext = None
    if lang != "en":
        from auditor.i18n import gettext_for

        gettext = gettext_for(lang)
    written = []
    for material, destination, result, index in pdf_material_targets(annotate_path, results, inputs):
        check_not_input(destination, [material, *(path for path, _ in inputs)])
        name, reading = result.material_readings[index]
        data = material.read_bytes()
        if hashlib.sha256(data).hexdigest() != reading.sha256:
            raise OutputError(f"{material} changed while it was audited; annotation skipped")
        pointer = f"/materials/{index}/"
        findings = [f for f in result.findings if hasattr(f, "location")
                    and (f.location.pointer.startswith(pointer) or dict(f.location.detail).get("file") == name)]
        destination.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(destination, annotate_pdf(data, name, reading, findings, gettext))
        written.append(destination)
    return written
