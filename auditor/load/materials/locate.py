"""Lead a finding on a material file to its spot: the file, then page / slide / paragraph / table cell, the box
of the words (PDF points or image pixels) and, for OCR, the confidence of the reading.

A rule quotes the material (`evidence`, with the highlighted `spans` re-based on the quote); the quote is found in
the text the reader produced, and the block holding its first highlighted character gives the place.
"""

from __future__ import annotations

from dataclasses import replace

ELLIPSIS = "…"
# The order keys are reported in, and how each reads in a short description.
ORDER = ("file", "page", "slide", "shape", "table", "row", "column", "paragraph", "part", "element", "source_line",
         "box", "ocr_confidence", "low_confidence")
LABELS = {"page": "page {}", "slide": "slide {}", "shape": "«{}»", "table": "table {}", "row": "row {}",
          "column": "column {}", "paragraph": "paragraph {}", "part": "{}", "element": "<{}>",
          "source_line": "line {}", "ocr_confidence": "OCR confidence {}"}


def evidence_offset(text: str, evidence: str | None, spans: tuple = ()) -> tuple[int, int] | None:
    """[start, end) in `text` of the quote's first highlighted span (or of the whole quote), or None."""
    if not evidence:
        return None
    prefix = len(evidence) - len(evidence.lstrip(ELLIPSIS))
    core = evidence[prefix:].rstrip(ELLIPSIS)
    position = text.find(core) if core else -1
    if position >= 0:
        if spans:
            start, end = spans[0]
            return position + max(0, start - prefix), position + max(0, end - prefix)
        return position, position + len(core)
    if spans:  # the quote was trimmed differently: look for the highlighted words themselves
        start, end = spans[0]
        words = evidence[start:end]
        position = text.find(words) if words else -1
        if position >= 0:
            return position, position + len(words)
    return None


def detail_for(name: str, reading, evidence: str | None, spans: tuple = ()) -> tuple:
    """The location detail of a quote from this material (the file alone when the quote cannot be placed)."""
    # A quote with no highlighted words is the material's opening, quoted for a finding about what it lacks
    # (a price it never states): the file is the place, not its first paragraph.
    found = evidence_offset(reading.text, evidence, spans) if spans else None
    pairs: dict[str, object] = {"file": name}
    if found is not None:
        start, end = found
        at = reading.block_at(start)
        if at is not None:
            block, offset = at
            pairs.update(dict(block.where))
            boxes = block.boxes(offset, offset + max(1, end - start))
            if boxes:
                pairs["box"] = boxes[0]
    return tuple((k, pairs[k]) for k in ORDER if k in pairs)


def describe_detail(detail: tuple) -> str:
    pairs = dict(detail)
    words = [str(pairs["file"])] if "file" in pairs else []
    for key in ORDER[1:]:
        if key in pairs and key in LABELS:
            words.append(LABELS[key].format(pairs[key]))
    if pairs.get("low_confidence"):
        words.append("low confidence: check by eye")
    return ", ".join(words)


def place_findings(findings: list, readings: dict) -> list:
    """Findings with the spot in a material file added to their location; `readings` maps a material's index to
    (file name as written, Reading)."""
    if not readings:
        return findings
    out = []
    for finding in findings:
        pointer = finding.location.pointer
        index = _material_index(pointer)
        if index is not None and index in readings and pointer.startswith(f"/materials/{index}/file"):
            name, reading = readings[index]
            detail = detail_for(name, reading, finding.evidence, finding.spans)
            finding = replace(finding, location=replace(finding.location, detail=detail))
        elif finding.evidence and not finding.location.detail:
            # a finding elsewhere (a fee, the term) quoting a material read from a file: the quote's spot
            for name, reading in (readings[i] for i in sorted(readings)):
                if evidence_offset(reading.text, finding.evidence, finding.spans) is not None:
                    detail = detail_for(name, reading, finding.evidence, finding.spans)
                    finding = replace(finding, location=replace(finding.location, detail=detail))
                    break
        out.append(finding)
    return out


def _material_index(pointer: str) -> int | None:
    if not pointer.startswith("/materials/"):
        return None
    token = pointer.split("/")[2]
    return int(token) if token.isdigit() else None
