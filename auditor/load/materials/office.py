"""Word (.docx) and PowerPoint (.pptx): paragraphs, tables, text boxes, headers, footers, footnotes and speaker
notes, through python-docx and python-pptx, each block located by paragraph, table cell or slide.

What customers do not see is left out: Word text formatted as hidden (`w:vanish`), deleted tracked changes and
field codes; hidden slides (noted). Text boxes are read once (the drawing, not its VML fallback copy).

Safety: the package's directory is checked before anything is unpacked: entry count (`max_parts`) and declared
unpacked size (`max_unpacked_bytes`; Python's zipfile never inflates an entry past its declared size). Both
libraries parse XML with entity resolution off; macros in .docm/.pptm are never run (they are not even read).
"""

from __future__ import annotations

import io
import zipfile

from auditor.load.materials import EXTRA_HINT, Block, LimitExceeded, MaterialError, MaterialLimits, Reading

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
TEXT_BOX = W + "txbxContent"
SKIPPED_SUBTREES = {TEXT_BOX, MC + "Fallback", W + "del", W + "moveFrom", W + "instrText", W + "delText",
                    W + "rPr", W + "pPr"}


def check_package(data: bytes, limits: MaterialLimits, what: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise MaterialError(f"the {what} file is damaged (not a readable package); save it again") from None
    if len(entries) > limits.max_parts:
        raise LimitExceeded(f"the {what} package has {len(entries):,} parts, over the {limits.max_parts:,} limit")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise LimitExceeded(f"the {what} file unpacks to {unpacked:,} bytes, over the {limits.max_unpacked_bytes:,}"
                            "-byte limit (a ZIP bomb, or far larger than a material); it was not read")


# --- Word ---------------------------------------------------------------------------------------------------

def _hidden_run(run) -> bool:
    properties = run.find(W + "rPr")
    if properties is None:
        return False
    vanish = properties.find(W + "vanish")
    return vanish is not None and vanish.get(W + "val", "true").lower() not in ("0", "false", "off")


def _paragraph_text(element) -> str:
    out: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED_SUBTREES:
                continue
            if tag == W + "r" and _hidden_run(child):
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag in (W + "tab", W + "br", W + "cr"):
                out.append(" ")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(element)
    return " ".join("".join(out).split())


def _text_boxes(paragraph) -> list:
    """The paragraphs of the text boxes anchored in a Word paragraph (not those of their VML fallback copies)."""
    out = []
    for box in paragraph.iter(TEXT_BOX):
        node, fallback = box.getparent(), False
        while node is not None and node is not paragraph:
            if node.tag == MC + "Fallback":
                fallback = True
                break
            node = node.getparent()
        if not fallback:
            out += [p for p in box.iter(W + "p")]
    return out


class _Word:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def body(self, container) -> None:
        for child in container:
            if child.tag == W + "p":
                self.paragraphs += 1
                self.blocks.append(Block(_paragraph_text(child), (("paragraph", self.paragraphs),)))
                for number, inner in enumerate(_text_boxes(child), start=1):
                    self.blocks.append(Block(_paragraph_text(inner), (("paragraph", self.paragraphs),
                                                                      ("part", f"text box, paragraph {number}"))))
            elif child.tag == W + "tbl":
                self.tables += 1
                self.table(child, self.tables)
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                self.body(child)

    def table(self, table, number: int) -> None:
        for r, row in enumerate(table.iter(W + "tr"), start=1):
            if row.getparent() is not table and row.getparent().getparent() is not table:
                continue  # a nested table's rows are read with the cell holding them
            for c, cell in enumerate(row.findall(W + "tc"), start=1):
                text = " ".join(t for t in (_paragraph_text(p) for p in cell.iter(W + "p")) if t)
                self.blocks.append(Block(text, (("table", number), ("row", r), ("column", c))))


def read_docx(data: bytes, limits: MaterialLimits) -> Reading:
    try:
        import docx
    except ImportError:
        raise MaterialError(f"reading Word files needs python-docx; {EXTRA_HINT}") from None
    check_package(data, limits, "Word")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 (python-docx raises many kinds for a damaged package)
        raise MaterialError(f"the Word file is damaged and cannot be read ({type(exc).__name__}); save it again") \
            from None
    word = _Word()
    word.body(document.element.body)
    word.blocks += _headers_and_footers(document)
    word.blocks += _footnotes_and_endnotes(document)
    return Reading.of_blocks("docx", word.blocks, limits)


def _headers_and_footers(document) -> list[Block]:
    """The paragraphs of each section's own header and footer (one linked to the previous section's is read
    there, and a part shared by sections is read once)."""
    blocks: list[Block] = []
    seen = set()
    for index, section in enumerate(document.sections, start=1):
        for part_name, part in (("header", section.header), ("footer", section.footer)):
            if part.is_linked_to_previous or id(part.part) in seen:
                continue
            seen.add(id(part.part))
            for number, paragraph in enumerate(part._element.iter(W + "p"), start=1):
                blocks.append(Block(_paragraph_text(paragraph),
                                    (("part", f"{part_name} of section {index}"), ("paragraph", number))))
    return blocks


def _footnotes_and_endnotes(document) -> list[Block]:
    """One block per footnote and endnote the author wrote (ids above 0; lower ids are Word's separators)."""
    blocks: list[Block] = []
    for part in document.part.package.iter_parts():
        if str(part.partname) in ("/word/footnotes.xml", "/word/endnotes.xml"):
            kind = "footnote" if "foot" in str(part.partname) else "endnote"
            from lxml import etree

            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            for note in root.findall(W + kind):
                number = note.get(W + "id")
                if number and number.lstrip("-").isdigit() and int(number) > 0:
                    text = " ".join(t for t in (_paragraph_text(p) for p in note.iter(W + "p")) if t)
                    blocks.append(Block(text, (("part", f"{kind} {number}"),)))
    return blocks


# --- PowerPoint ---------------------------------------------------------------------------------------------

# Placeholders of a notes page that are not notes: slide image, slide number, header, footer, date.
NOTES_FURNITURE = {101, 13, 14, 15, 16}


def _shapes(shapes):
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _text(paragraph) -> str:
    return " ".join(paragraph.text.replace("\v", " ").split())


def read_pptx(data: bytes, limits: MaterialLimits) -> Reading:
    try:
        import pptx
    except ImportError:
        raise MaterialError(f"reading PowerPoint files needs python-pptx; {EXTRA_HINT}") from None
    check_package(data, limits, "PowerPoint")
    try:
        presentation = pptx.Presentation(io.BytesIO(data))
        slides = list(presentation.slides)
    except Exception as exc:  # noqa: BLE001
        raise MaterialError(f"the PowerPoint file is damaged and cannot be read ({type(exc).__name__}); save it "
                            "again") from None
    if len(slides) > limits.max_pages:
        raise LimitExceeded(f"the presentation has {len(slides):,} slides, over the {limits.max_pages:,} limit")
    blocks: list[Block] = []
    hidden = []
    for number, slide in enumerate(slides, start=1):
        if slide._element.get("show") in ("0", "false"):
            hidden.append(number)
            continue
        # reading order: top to bottom, then left to right
        shapes = sorted(_shapes(slide.shapes), key=lambda s: (s.top or 0, s.left or 0))
        for shape in shapes:
            blocks += _shape_blocks(shape, number)
        if slide.has_notes_slide:
            blocks += _speaker_notes(slide.notes_slide, number)
    notes = [f"hidden slide(s) {', '.join(map(str, hidden))} were left out as customers do not see them"] if hidden \
        else []
    return Reading.of_blocks("pptx", blocks, limits, notes)


def _has(shape, what: str) -> bool:
    """`shape.has_text_frame` / `has_table`, which not every kind of shape defines."""
    return bool(getattr(shape, what, False))


def _shape_blocks(shape, slide: int) -> list[Block]:
    """A shape's paragraphs, then the cells of its table."""
    blocks: list[Block] = []
    name = shape.name or f"shape {shape.shape_id}"
    if _has(shape, "has_text_frame"):
        for k, paragraph in enumerate(shape.text_frame.paragraphs, start=1):
            blocks.append(Block(_text(paragraph), (("slide", slide), ("shape", name), ("paragraph", k))))
    if _has(shape, "has_table"):
        for r, row in enumerate(shape.table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                text = " ".join(_text(p) for p in cell.text_frame.paragraphs if _text(p))
                blocks.append(Block(text, (("slide", slide), ("shape", name),
                                           ("part", f"table row {r} column {c}"))))
    return blocks


def _speaker_notes(notes_slide, slide: int) -> list[Block]:
    """The paragraphs of a slide's notes page, without its furniture (slide image, number, header, ...)."""
    blocks: list[Block] = []
    k = 0
    for shape in notes_slide.shapes:  # the notes placeholder, or a text box some producers use
        if shape.is_placeholder and int(shape.placeholder_format.type) in NOTES_FURNITURE:
            continue
        if _has(shape, "has_text_frame"):
            for paragraph in shape.text_frame.paragraphs:
                k += 1
                blocks.append(Block(_text(paragraph), (("slide", slide), ("part", "speaker notes"),
                                                       ("paragraph", k))))
    return blocks
