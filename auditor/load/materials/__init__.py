"""Material readers: a file as shipped (text, Markdown, HTML, PDF, Word, PowerPoint, image) -> text blocks,
each with its location in the file.

    reading = read_material(data, "poster.pdf", limits, language="zh-CN")
    reading.text          # what the rules audit: the blocks joined by line breaks
    reading.block_at(i)   # the block holding character i, with its page/slide/paragraph and box

The format is chosen by the file's content (magic bytes, the parts inside a ZIP package), the name only breaking
ties for text (`.html` is read as HTML). Every reader lives in its own module and imports its library when it runs,
so a run whose materials are all text imports none of them. A file that cannot be read raises `MaterialError`
with a message for the marketer, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The separator between blocks: a sentence boundary for the rules (auditor.checks._util._SENTENCE_END).
BLOCK_SEPARATOR = "\n"
EXTRA_HINT = "install the auditor with its `materials` extra: pip install 'campaign-auditor[materials]'"


class MaterialError(Exception):
    """A material file that cannot be read; the message says why and what to do."""


class LimitExceeded(MaterialError):
    """A material file over a safety limit (pages, pixels, unpacked size, characters)."""


@dataclass(frozen=True)
class MaterialLimits:
    max_pages: int = 200               # PDF pages or slides; a poster has one, terms a dozen
    max_pixels: int = 40_000_000       # an image (or a page rendered for OCR): 8000 x 5000
    max_unpacked_bytes: int = 100 * 1024 * 1024  # PDF streams or Office package parts, once decompressed
    max_parts: int = 10_000            # entries of an Office package
    max_characters: int = 2_000_000    # text extracted from one material
    ocr_timeout_seconds: int = 180
    ocr_dpi: int = 200                 # scanned PDF pages are rendered at this resolution for OCR
    low_confidence: float = 70.0       # OCR confidence (0-100) under which text is marked for a check by eye


@dataclass(frozen=True)
class Line:
    """A line of a PDF or OCR block: its characters [start, end) in the block's text and its box; `xs` gives the
    horizontal extent of each non-space character, for highlighting a few words of a long line."""

    start: int
    end: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom (PDF points from the top-left, or pixels)
    xs: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Block:
    """A unit of text with its place: a paragraph, a heading, a table cell, a slide's text box, a PDF paragraph,
    an OCR paragraph. `where` is the location as (key, value) pairs in the JSON report's vocabulary."""

    text: str
    where: tuple[tuple[str, object], ...] = ()
    confidence: float | None = None  # OCR: mean word confidence, 0-100
    lines: tuple[Line, ...] = ()

    def get(self, key: str, default=None):
        return next((v for k, v in self.where if k == key), default)

    def boxes(self, start: int, end: int) -> list[tuple[float, float, float, float]]:
        """The boxes covering characters [start, end) of this block's text (one per line touched)."""
        out = []
        for line in self.lines:
            if line.end <= start or line.start >= end:
                continue
            x0, top, x1, bottom = line.box
            if line.xs:
                text = self.text[line.start:line.end]
                before = sum(1 for c in text[:max(0, start - line.start)] if not c.isspace())
                inside = sum(1 for c in text[max(0, start - line.start):end - line.start] if not c.isspace())
                if inside:
                    first, last = line.xs[min(before, len(line.xs) - 1)], line.xs[min(before + inside, len(line.xs)) - 1]
                    x0, x1 = first[0], last[1]
            out.append((round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)))
        return out


@dataclass
class Reading:
    """What a reader made of a file: the text the rules audit and the blocks it is made of."""

    format: str  # text | markdown | html | pdf | docx | pptx | image
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # offset of each block in `text`
    # What the reviewer should know about the reading (remote resources not fetched, scripts not run, ...)
    notes: list[str] = field(default_factory=list)
    # What the reviewer should check (text read with low OCR confidence, ...)
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False
    sha256: str = ""  # of the file's bytes, so a copy made later (the annotated PDF) is of the file audited
    path: str = ""  # where the file was read from (set by the engine)

    @classmethod
    def of_blocks(cls, format: str, blocks: list[Block], limits: MaterialLimits | None = None,
                  notes: list[str] | None = None, ocr: bool = False,
                  warnings: list[str] | None = None) -> Reading:
        kept = [b for b in blocks if b.text.strip()]
        starts, parts, offset = [], [], 0
        for block in kept:
            starts.append(offset)
            parts.append(block.text)
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        text = BLOCK_SEPARATOR.join(parts)
        limit = (limits or MaterialLimits()).max_characters
        if len(text) > limit:
            raise LimitExceeded(f"the file holds {len(text):,} characters of text, over the {limit:,}-character "
                                "limit; a customer-facing material is far shorter")
        return cls(format=format, text=text, blocks=kept, starts=starts, notes=list(notes or []), ocr=ocr,
                   warnings=list(warnings or []))

    def block_at(self, offset: int) -> tuple[Block, int] | None:
        """The block holding character `offset` of `text`, and the offset within that block."""
        import bisect

        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0 or not self.blocks:
            return None
        return self.blocks[index], offset - self.starts[index]


def sniff(data: bytes, name: str = "") -> str:
    """The material's format from its bytes: pdf, png, jpeg, docx, pptx, html, text, or a refused kind
    (xlsx, zip, ole, gif, webp, tiff, bmp, utf16)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    return _binary_kind(data) or _text_kind(head, name)


# The leading bytes of each binary format; no two formats share a prefix, so the order does not matter.
_SIGNATURES: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"\x89PNG\r\n\x1a\n",), "png"),
    ((b"\xff\xd8\xff",), "jpeg"),
    ((b"PK\x03\x04", b"PK\x05\x06"), "zip"),  # an Office file is a zip: told apart by _zip_kind
    ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), "ole"),
    ((b"GIF87a", b"GIF89a"), "gif"),
    ((b"II*\x00", b"MM\x00*"), "tiff"),
    ((b"BM",), "bmp"),
    ((b"\xff\xfe", b"\xfe\xff"), "utf16"),
)


def _binary_kind(data: bytes) -> str | None:
    """The format a binary signature names, or None for text."""
    for prefixes, kind in _SIGNATURES:
        if data.startswith(prefixes):
            return _zip_kind(data) if kind == "zip" else kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _text_kind(head: bytes, name: str) -> str:
    """html, markdown or text, from the file name's suffix and (for HTML) its opening tag."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("html", "htm", "xhtml") or _looks_like_html(head):
        return "html"
    if suffix in ("md", "markdown"):
        return "markdown"
    return "text"


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<?xml") and b"<html" in start)


def _zip_kind(data: bytes) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


REFUSED = {
    "xlsx": "this is an Excel workbook; a material is what customers see: export it as PDF or paste its text",
    "zip": "this is a ZIP archive (or a damaged Office file); give the material itself (PDF, Word, HTML, image "
           "or text)",
    "ole": "this is an old-style Office file (.doc, .ppt or .xls); save it as .docx or .pptx, or export it as PDF",
    "gif": "GIF images are not read; save the image as PNG or JPEG",
    "webp": "WebP images are not read; save the image as PNG or JPEG",
    "tiff": "TIFF images are not read; save the image as PNG or JPEG (or the scan as PDF)",
    "bmp": "BMP images are not read; save the image as PNG or JPEG",
    "utf16": "the file is saved as UTF-16 text; save it as UTF-8",
}


def read_material(data: bytes, name: str = "", limits: MaterialLimits | None = None,
                  language: str | None = None) -> Reading:
    """Read a material file's bytes into text blocks; raises MaterialError (with the reason) when it cannot."""
    import hashlib

    reading = _read(data, name, limits or MaterialLimits(), language)
    reading.sha256 = hashlib.sha256(data).hexdigest()
    if not reading.text.strip() and reading.format != "image":  # OCR says so itself
        reading.warnings.append("the file holds no text to audit; check that it is the material customers see")
    return reading


def _read(data: bytes, name: str, limits: MaterialLimits, language: str | None) -> Reading:
    kind = sniff(data, name)
    if kind in REFUSED:
        raise MaterialError(REFUSED[kind])
    if kind in ("text", "markdown"):
        from auditor.load.materials.plain import read_plain

        return read_plain(data, kind, limits)
    if kind == "html":
        from auditor.load.materials.html import read_html

        return read_html(data, limits)
    if kind == "pdf":
        from auditor.load.materials.pdf import read_pdf

        return read_pdf(data, limits, language)
    if kind in ("docx", "pptx"):
        from auditor.load.materials import office

        return office.read_docx(data, limits) if kind == "docx" else office.read_pptx(data, limits)
    from auditor.load.materials.image import read_image

    return read_image(data, limits, language)
