"""Cropped renderings for the HTML report: the region of a PDF page or an image around a finding's words, with
the words highlighted, as a PNG data URI (the report's Content-Security-Policy allows `img-src data:` only).

A crop is made only from the very bytes that were audited (their sha256 is checked), within the pixel limit;
anything that cannot be rendered simply has no crop (the location and the quote still say where).
"""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.load.materials import Reading

MARGIN_X = 24.0        # points (or pixels) of context left and right of the paragraph
MARGIN_Y = 6.0         # and above and below it (more would show half of the neighbouring lines)
MAX_WIDTH = 900        # pixels of the embedded image
SCALE = 2.0            # PDF pages rendered at 144 dpi


def _material_files(result) -> dict[str, tuple[Path, Reading]]:
    base = Path(result.source).parent
    return {name: (Path(reading.path) if reading.path else base / name, reading)
            for name, reading in getattr(result, "material_readings", {}).values()}


def _page_image(data: bytes, reading, page: int | None, limits):
    """(PIL image, scale from box units to pixels) of a PDF page or of an image material."""
    from PIL import Image, ImageOps

    if reading.format == "pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            pdf_page = document[(page or 1) - 1]
            width, height = pdf_page.get_size()
            scale = SCALE
            while scale > 0.5 and width * height * scale * scale > limits.max_pixels:
                scale /= 2
            image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
        return image, scale
    with Image.open(io.BytesIO(data)) as opened:
        if opened.size[0] * opened.size[1] > limits.max_pixels:
            return None, 1.0
        return ImageOps.exif_transpose(opened).convert("RGB"), 1.0


def crop(data: bytes, reading, page: int | None, boxes: list, limits=None, context: tuple | None = None) -> str | None:
    """The data URI of the region around `boxes` (reader units: PDF points or image pixels), words highlighted;
    `context` (the paragraph's box) widens the region so the words are seen in their sentence."""
    from PIL import Image, ImageDraw

    from auditor.load.materials import MaterialLimits

    image, scale = _page_image(data, reading, page, limits or MaterialLimits())
    if image is None or not boxes:
        return None
    around = [*boxes, context] if context else boxes
    x0 = max(0, min(b[0] for b in around) - MARGIN_X) * scale
    y0 = max(0, min(b[1] for b in around) - MARGIN_Y) * scale
    x1 = min(image.width, (max(b[2] for b in around) + MARGIN_X) * scale)
    y1 = min(image.height, (max(b[3] for b in around) + MARGIN_Y) * scale)
    if x1 <= x0 or y1 <= y0:
        return None
    region = image.crop((int(x0), int(y0), int(x1), int(y1))).convert("RGBA")
    overlay = Image.new("RGBA", region.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for bx0, by0, bx1, by1 in boxes:
        rectangle = (bx0 * scale - x0 - 2, by0 * scale - y0 - 2, bx1 * scale - x0 + 2, by1 * scale - y0 + 2)
        draw.rectangle(rectangle, fill=(255, 213, 79, 110), outline=(211, 47, 47, 255), width=2)
    region = Image.alpha_composite(region, overlay).convert("RGB")
    if region.width > MAX_WIDTH:
        region = region.resize((MAX_WIDTH, max(1, round(region.height * MAX_WIDTH / region.width))))
    buffer = io.BytesIO()
    region.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _block(reading, finding):
    from auditor.load.materials.locate import evidence_offset

    found = evidence_offset(reading.text, finding.evidence, finding.spans)
    at = reading.block_at(found[0]) if found else None
    return at[0] if at else None


def crops_for(result) -> dict[int, str]:
    """Data URIs by the index of the finding in `result.findings`, for findings located by a box in a PDF or an
    image material."""
    from auditor.load import read_bytes
    from auditor.load.materials.annotate import _boxes

    files = _material_files(result)
    out: dict[int, str] = {}
    loaded: dict[str, bytes | None] = {}
    for index, finding in enumerate(result.findings):
        detail = dict(getattr(finding.location, "detail", ()) or ())
        name = detail.get("file")
        if "box" not in detail or name not in files:
            continue
        path, reading = files[name]
        if reading.format not in ("pdf", "image"):
            continue
        if name not in loaded:
            data, _ = read_bytes(path)
            loaded[name] = data if data is not None and hashlib.sha256(data).hexdigest() == reading.sha256 else None
        data = loaded[name]
        if data is None:
            continue
        page, boxes = _boxes(reading, finding)
        context = detail.get("box") if len(boxes) == 1 else None
        block = _block(reading, finding)
        if block is not None and block.get("box"):
            context = block.get("box")
        try:
            uri = crop(data, reading, page, boxes, context=context)
        except Exception:  # noqa: BLE001 (a rendering library's error means no crop, never a failed report)
            uri = None
        if uri:
            out[index] = uri
    return out
