"""PDF posters and terms: the text of each page with its position, through pdfplumber (pdfminer.six).

Lines are grouped into paragraphs (lines close together, of one size, one under the other), so a sentence broken
over two lines of a poster stays one sentence for the rules; each paragraph keeps the box of each of its lines
(PDF points from the page's top-left corner) for locations, crops and highlight annotations.

Safety: before the PDF is parsed, every stream in it is inflated with a running cap (`max_unpacked_bytes`), so a
PDF bomb is refused without being expanded; the page count is capped (`max_pages`); an encrypted PDF is refused
with a clear message; a damaged one is a MaterialError, not a traceback. A page without a text layer (a scan)
goes to OCR (auditor.load.materials.image), rendered at `ocr_dpi` within the pixel limit.
"""

from __future__ import annotations

import io
import re
import zlib

from auditor.load.materials import EXTRA_HINT, Block, LimitExceeded, Line, MaterialError, MaterialLimits, Reading

STREAM = re.compile(rb"(?<!end)stream\r?\n")
ENDSTREAM = b"endstream"
ENCRYPTED = ("the PDF is encrypted (password-protected or restricted); export it again without a password or "
             "restrictions so its words can be read")


def unpacked_size_within(data: bytes, limit: int) -> None:
    """Inflate every Flate stream with a running cap; raise LimitExceeded past `limit` bytes in all."""
    total = 0
    position = 0
    while True:
        match = STREAM.search(data, position)
        if not match:
            break
        start = match.end()
        end = data.find(ENDSTREAM, start)
        if end < 0:
            end = len(data)
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[start:end], limit - total + 1)
            total += len(chunk)
            while total <= limit and inflater.unconsumed_tail:
                chunk = inflater.decompress(inflater.unconsumed_tail, limit - total + 1)
                if not chunk:
                    break
                total += len(chunk)
        except zlib.error:
            total += end - start  # not Flate (or damaged): counted as stored
        if total > limit:
            raise LimitExceeded(f"the PDF unpacks to more than {limit:,} bytes (a PDF bomb, or far larger than a "
                                "poster or terms document); it was not read")
        position = end + len(ENDSTREAM)


# Some producers (Chromium's print to PDF with the Noto CJK fonts) map a glyph shared by an ideograph and a radical to
# the radical in the PDF's ToUnicode table, so 首月 is extracted as ⾸⽉. Kangxi radicals (U+2F00-2FD5) normalise to
# their ideographs by NFKC; the radicals supplement has no such mapping, so the ones that are whole characters are
# listed here. One character for one: positions are kept.
RADICALS = dict(zip("⺟⺠⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻲⻳",
                    "母民西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙亀龟"))


LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
             "\ufb06": "st"}


def ideographs(text: str) -> str:
    """Radicals standing for ideographs back to the ideographs; Latin ligatures (ﬁ) spelled out."""
    if any("\ufb00" <= c <= "\ufb06" for c in text):
        text = "".join(LIGATURES.get(c, c) for c in text)
    if not any("\u2e80" <= c <= "\u2fdf" for c in text):
        return text
    import unicodedata

    return "".join(RADICALS.get(c) or (unicodedata.normalize("NFKC", c) if "\u2f00" <= c <= "\u2fdf" else c)
                   for c in text)


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef" \
        or "\u3000" <= char <= "\u303f"


def _joiner(left: str, right: str) -> str:
    if not left or not right:
        return ""
    return "" if _is_cjk(left[-1]) and _is_cjk(right[0]) else " "


def _same_paragraph(previous: dict, line: dict) -> bool:
    height = previous["bottom"] - previous["top"]
    next_height = line["bottom"] - line["top"]
    if height <= 0 or next_height <= 0:
        return False
    gap = line["top"] - previous["bottom"]
    if not (-0.2 * height <= gap <= 0.8 * height and 0.75 <= next_height / height <= 1.33
            and line["x0"] < previous["x1"] and line["x1"] > previous["x0"]):
        return False
    # a line that stops well short of the next one was broken on purpose (a list item, an address, a poster's
    # lines), not wrapped: the next line starts a block of its own
    return previous["x1"] >= line["x1"] - 0.25 * (line["x1"] - line["x0"])


def paragraphs(lines: list[dict], page_number: int) -> list[Block]:
    """Group pdfplumber text lines (dicts with text, x0, top, x1, bottom, chars) into paragraph blocks."""
    groups: list[list[dict]] = []
    for line in lines:
        if not line["text"].strip():
            continue
        if groups and _same_paragraph(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    blocks = []
    for number, group in enumerate(groups, start=1):
        text, parts = "", []
        for line in group:
            body = ideographs(line["text"].strip())
            text += _joiner(text, body)
            xs = tuple((c["x0"], c["x1"]) for c in line.get("chars", ()) if c["text"].strip())
            parts.append(Line(len(text), len(text) + len(body), (line["x0"], line["top"], line["x1"], line["bottom"]),
                              xs))
            text += body
        box = (min(line["x0"] for line in group), min(line["top"] for line in group),
               max(line["x1"] for line in group), max(line["bottom"] for line in group))
        blocks.append(Block(text, (("page", page_number), ("paragraph", number),
                                   ("box", tuple(round(v, 1) for v in box))), lines=tuple(parts)))
    return blocks


def read_pdf(data: bytes, limits: MaterialLimits, language: str | None = None) -> Reading:
    pdf = _open(data, limits)
    with pdf:
        blocks, used_ocr = _read_pages(pdf, limits, language)
    notes: list[str] = []
    warnings: list[str] = []
    if used_ocr:
        notes.append("pages without a text layer (scans) were read by OCR")
        warnings += _low_confidence(blocks, limits)
    return Reading.of_blocks("pdf", blocks, limits, notes, ocr=used_ocr, warnings=warnings)


def _open(data: bytes, limits: MaterialLimits):
    """The opened pdfplumber document; refused when it unpacks too big, is damaged or needs a password."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:
        raise MaterialError(f"reading PDF needs pdfplumber; {EXTRA_HINT}") from None
    unpacked_size_within(data, limits.max_unpacked_bytes)
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about odd fonts are not the reader's
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 (pdfminer raises many kinds for a damaged file; all mean "damaged")
        if _caused_by(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise MaterialError(ENCRYPTED) from None
        raise MaterialError(f"the PDF is damaged and cannot be read ({type(exc).__name__}); export it again") from None


def _read_pages(pdf, limits: MaterialLimits, language: str | None) -> tuple[list[Block], bool]:
    """(the paragraphs of every page, whether a page was read by OCR): a page with no text layer but
    images is a scan."""
    if getattr(pdf.doc, "encryption", None):
        raise MaterialError(ENCRYPTED)
    try:
        count = len(pdf.pages)
    except Exception as exc:  # noqa: BLE001
        raise MaterialError(f"the PDF's pages cannot be read ({type(exc).__name__}); export it again") from None
    if count > limits.max_pages:
        raise LimitExceeded(f"the PDF has {count:,} pages, over the {limits.max_pages:,}-page limit")
    blocks: list[Block] = []
    used_ocr = False
    for number, page in enumerate(pdf.pages, start=1):
        try:
            lines = page.extract_text_lines(strip=True, return_chars=True)
        except Exception as exc:  # noqa: BLE001
            raise MaterialError(f"page {number} of the PDF is damaged ({type(exc).__name__}); "
                                "export it again") from None
        if any(line["text"].strip() for line in lines):
            blocks += paragraphs(lines, number)
        elif page.images:
            blocks += _ocr_page(page, number, limits, language)
            used_ocr = True
    return blocks, used_ocr


def _low_confidence(blocks: list[Block], limits: MaterialLimits) -> list[str]:
    low = [b for b in blocks if b.get("low_confidence")]
    if not low:
        return []
    return [f"{len(low)} paragraph(s) were read with low OCR confidence (under "
            f"{limits.low_confidence:g}); check them by eye: "
            + "; ".join(f"page {b.get('page')} «{b.text[:40]}» ({b.confidence:g})" for b in low[:5])]


def _caused_by(exc: BaseException, kinds: tuple) -> bool:
    """pdfplumber wraps pdfminer's errors (PdfminerException): look through the wrapping."""
    chain: BaseException | None = exc
    seen = 0
    while chain is not None and seen < 10:
        if isinstance(chain, kinds) or any(isinstance(a, kinds) for a in getattr(chain, "args", ())):
            return True
        chain, seen = chain.__cause__ or chain.__context__, seen + 1
    return False


def _ocr_page(page, number: int, limits: MaterialLimits, language: str | None) -> list[Block]:
    from auditor.load.materials.image import ocr_blocks

    width, height = float(page.width), float(page.height)
    dpi = limits.ocr_dpi
    while dpi > 36 and (width * dpi / 72) * (height * dpi / 72) > limits.max_pixels:
        dpi //= 2
    if (width * dpi / 72) * (height * dpi / 72) > limits.max_pixels:
        raise LimitExceeded(f"page {number} of the PDF is too large to render for OCR within the "
                            f"{limits.max_pixels:,}-pixel limit")
    try:
        image = page.to_image(resolution=dpi).original
    except Exception as exc:  # noqa: BLE001 (pdfium's errors for a damaged page)
        raise MaterialError(f"page {number} of the PDF cannot be rendered for OCR ({type(exc).__name__})") from None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ocr_blocks(buffer.getvalue(), limits, language, scale=72 / dpi, page=number)
