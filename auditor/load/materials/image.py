"""Images (.png, .jpg) and scanned PDF pages: OCR through Debian's tesseract, offline, for simplified Chinese,
traditional Chinese and English (`tesseract-ocr` with `tesseract-ocr-chi-sim`, `-chi-tra` and `-eng`).

OCR is optional: without tesseract (or its language data) an image material is a clear input finding saying
what to install, never a silent skip. Each OCR paragraph carries its mean word confidence (0-100) and its box in
pixels; paragraphs under `low_confidence` are marked so the finding says to check them by eye.

Safety: the image's size is read from its header (Pillow opens lazily) and refused over `max_pixels` before
anything decodes it; tesseract runs with a timeout, one thread, and the image on its standard input (no file is
written).
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from typing import Any

from auditor.load.materials import EXTRA_HINT, Block, LimitExceeded, Line, MaterialError, MaterialLimits, Reading
from auditor.load.materials.pdf import _is_cjk, _joiner


def _word_joiner(left: str, right: str) -> str:
    """OCR words: no space next to a Chinese character (tesseract splits 15元/月 into 15 元 /月)."""
    if not left or not right or _is_cjk(left[-1]) or _is_cjk(right[0]):
        return ""
    return " "

WANTED = ("chi_sim", "chi_tra", "eng")
BORDER = 40  # pixels of white added around an image before OCR
INSTALL = ("install Debian's tesseract-ocr, tesseract-ocr-chi-sim, tesseract-ocr-chi-tra and tesseract-ocr-eng "
           "(apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng)")


@functools.lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...] | None:
    """The OCR languages tesseract has, or None when tesseract is not installed."""
    program = shutil.which("tesseract")
    if not program:
        return None
    try:
        done = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(line.strip() for line in (done.stdout + done.stderr).splitlines()[1:] if line.strip())


def ocr_problem() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    languages = available_languages()
    if languages is None:
        return f"reading text from images needs the OCR engine tesseract, which is not installed; {INSTALL}"
    missing = [lang for lang in WANTED if lang not in languages]
    if missing:
        return f"the OCR engine lacks the language data {', '.join(missing)}; {INSTALL}"
    return None


def languages_for(language: str | None) -> str:
    tag = (language or "zh-CN").lower()
    if tag.startswith("en"):
        return "eng"
    if tag.startswith("zh") and any(x in tag for x in ("tw", "hk", "mo", "hant")):
        return "chi_tra+eng"
    if tag.startswith("zh"):
        return "chi_sim+eng"
    return "chi_sim+chi_tra+eng"


def image_size(data: bytes, limits: MaterialLimits) -> tuple[int, int]:
    try:
        from PIL import Image
    except ImportError:
        raise MaterialError(f"reading images needs Pillow; {EXTRA_HINT}") from None
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError:
        raise LimitExceeded("the image has too many pixels to be read safely") from None
    except Exception as exc:  # noqa: BLE001 (Pillow's errors for a damaged header)
        raise MaterialError(f"the image is damaged and cannot be read ({type(exc).__name__}); save it again") from None
    if width * height > limits.max_pixels:
        raise LimitExceeded(f"the image is {width:,} x {height:,} pixels, over the {limits.max_pixels:,}-pixel "
                            "limit; export it at a lower resolution")
    return width, height


def _prepared(data: bytes) -> bytes:
    """Grey levels with a white border: tesseract's page layout analysis drops lines that touch the image's edge
    (a poster's headline, say) far less often with a margin around them."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            grey = ImageOps.exif_transpose(image).convert("L")
    except Exception as exc:  # noqa: BLE001 (Pillow's errors for damaged image data)
        raise MaterialError(f"the image is damaged and cannot be read ({type(exc).__name__}); save it again") from None
    framed = ImageOps.expand(grey, BORDER, fill=255)
    buffer = io.BytesIO()
    framed.save(buffer, format="PNG")
    return buffer.getvalue()


def _tsv(data: bytes, languages: str, limits: MaterialLimits) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run([shutil.which("tesseract") or "tesseract", "stdin", "stdout", "-l", languages,
                               "--psm", "6", "tsv"], input=data, capture_output=True, env=env,
                              timeout=limits.ocr_timeout_seconds)
    except subprocess.TimeoutExpired:
        raise LimitExceeded(f"OCR took longer than {limits.ocr_timeout_seconds} seconds; it was stopped") from None
    except OSError as exc:
        raise MaterialError(f"the OCR engine could not be started ({exc.strerror or exc})") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no reason given"]
        raise MaterialError(f"the OCR engine could not read the image ({reason[0][:200]})")
    return done.stdout.decode("utf-8", "replace")


# A line of OCR words: [tesseract's line number, word, word, ...]; a word is
# (text, confidence, (left, top, right, bottom) in pixels of the image without its added border).
_Paragraphs = dict[tuple[int, int], list[list[Any]]]


def _split_at_gaps(paragraphs: _Paragraphs) -> _Paragraphs:
    """Tesseract reads the page as one block (`--psm 6`: its page layout analysis drops lines of posters); a
    vertical gap over 0.6 of the height of the line above starts a new paragraph."""
    out: _Paragraphs = {}
    number = 0
    for key in sorted(paragraphs):
        previous = None
        for line in paragraphs[key]:
            words = line[1:]
            top, bottom = min(w[2][1] for w in words), max(w[2][3] for w in words)
            if previous is None or top - previous[1] > 0.6 * (previous[1] - previous[0]):
                number += 1
            out.setdefault((number, 0), []).append(line)
            previous = (top, bottom)
    return out


def ocr_blocks(data: bytes, limits: MaterialLimits, language: str | None = None, scale: float = 1.0,
               page: int | None = None) -> list[Block]:
    """OCR paragraphs of a PNG or JPEG image, boxes multiplied by `scale` (pixels -> PDF points for a page)."""
    image_size(data, limits)  # refused over the pixel limit whether or not OCR is installed
    problem = ocr_problem()
    if problem:
        raise MaterialError(problem)
    paragraphs = _split_at_gaps(_tsv_paragraphs(_tsv(_prepared(data), languages_for(language), limits)))
    return [_ocr_block(paragraphs[key], number, scale, page, limits)
            for number, key in enumerate(sorted(paragraphs), start=1)]


def _tsv_paragraphs(tsv: str) -> _Paragraphs:
    """The words of tesseract's TSV output (its level-5 rows), by (block, paragraph), in lines."""
    paragraphs: _Paragraphs = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        block, par, line = int(cells[2]), int(cells[3]), int(cells[4])
        left, top, width, height = (int(c) for c in cells[6:10])
        left, top = left - BORDER, top - BORDER
        word = (cells[11].strip(), float(cells[10]), (left, top, left + width, top + height))
        lines = paragraphs.setdefault((block, par), [])
        if not lines or lines[-1][0] != line:
            lines.append([line])
        lines[-1].append(word)
    return paragraphs


def _ocr_block(lines: list[list[Any]], number: int, scale: float, page: int | None,
               limits: MaterialLimits) -> Block:
    """One OCR paragraph as a block: its text, lines with their boxes, and the mean confidence of its words."""
    text = ""
    parts: list[Line] = []
    confidences: list[float] = []
    for line_words in lines:
        words = line_words[1:]
        body, xs = _line_text(words, scale)
        confidences.extend(confidence for _, confidence, _ in words)
        text += _joiner(text, body)
        box = (min(w[2][0] for w in words) * scale, min(w[2][1] for w in words) * scale,
               max(w[2][2] for w in words) * scale, max(w[2][3] for w in words) * scale)
        parts.append(Line(len(text), len(text) + len(body), box, tuple(xs)))
        text += body
    confidence = round(sum(confidences) / len(confidences), 1)
    outline = tuple(round(v, 1) for v in (min(p.box[0] for p in parts), min(p.box[1] for p in parts),
                                           max(p.box[2] for p in parts), max(p.box[3] for p in parts)))
    where: list[tuple[str, object]] = [("page", page)] if page else []
    where += [("paragraph", number), ("box", outline), ("ocr_confidence", confidence)]
    if confidence < limits.low_confidence:
        where.append(("low_confidence", True))
    return Block(text, tuple(where), confidence=confidence, lines=tuple(parts))


def _line_text(words: list[Any], scale: float) -> tuple[str, list[tuple[float, float]]]:
    """A line's words joined (no space next to a Chinese character), and the horizontal extent of
    each visible character, shared evenly over its word's box."""
    body = ""
    xs: list[tuple[float, float]] = []
    for word, _, (x0, _, x1, _) in words:
        body += _word_joiner(body, word) + word
        visible = [c for c in word if not c.isspace()]
        step = (x1 - x0) / max(1, len(visible))
        xs += [((x0 + i * step) * scale, (x0 + (i + 1) * step) * scale) for i in range(len(visible))]
    return body, xs


def read_image(data: bytes, limits: MaterialLimits, language: str | None = None) -> Reading:
    blocks = ocr_blocks(data, limits, language)
    notes, warnings = [], []
    low = [b for b in blocks if b.get("low_confidence")]
    if low:
        warnings.append(f"{len(low)} paragraph(s) were read with low OCR confidence (under {limits.low_confidence:g}); "
                     "check them by eye: " + "; ".join(f"«{b.text[:40]}» ({b.confidence:g})" for b in low[:5]))
    if not blocks:
        notes.append("OCR found no text in the image")
    return Reading.of_blocks("image", blocks, limits, notes, ocr=True, warnings=warnings)
