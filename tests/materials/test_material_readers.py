"""The material readers on files from real producers (tests/materials/make_fixtures.py: LibreOffice, Chromium,
tesseract's input rendered in the Noto CJK fonts): what they read, what they leave out, where each block is."""

from __future__ import annotations

import io
import socket

import pytest
from helpers import REPO, require_ocr

from auditor.load.materials import LimitExceeded, MaterialError, MaterialLimits, read_material, sniff

FIXTURES = REPO / "tests" / "materials" / "fixtures"


def read(name: str, **kwargs):
    return read_material((FIXTURES / name).read_bytes(), name, **kwargs)


def where(reading) -> list[tuple[str, dict]]:
    return [(b.text, dict(b.where)) for b in reading.blocks]


# --- choosing the reader by content ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [("terms.pdf", "pdf"), ("terms.docx", "docx"), ("deck.pptx", "pptx"),
                                        ("poster-zh.png", "png"), ("poster-tw.jpg", "jpeg"),
                                        ("landing.html", "html")])
def test_the_format_is_told_by_content_not_by_the_name(name, kind):
    assert sniff((FIXTURES / name).read_bytes(), "renamed.txt") == kind


def test_a_pdf_saved_with_a_txt_name_is_read_as_pdf():
    reading = read_material((FIXTURES / "terms.pdf").read_bytes(), "terms.txt")
    assert reading.format == "pdf" and "本活动期限12个月" in reading.text


def test_html_without_an_html_name_is_read_as_html():
    reading = read_material(b"<!DOCTYPE html><html><body><p>Only &pound;12 a month</p></body></html>", "page.txt")
    assert reading.format == "html" and reading.text == "Only £12 a month"


@pytest.mark.parametrize("data, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as .docx or .pptx"),
    (b"GIF89a" + b"\0" * 20, "save the image as PNG or JPEG"),
    (b"\xff\xfeh\0i\0", "UTF-16"),
    (b"\x80\x81\x82 not text", "not UTF-8 text"),
])
def test_formats_that_are_not_read_are_refused_with_what_to_do(data, words):
    with pytest.raises(MaterialError, match=words):
        read_material(data, "material.bin")


def test_a_workbook_is_refused_as_a_material():
    workbook = (REPO / "examples" / "cn-compliant-data-bundle.xlsx").read_bytes()
    with pytest.raises(MaterialError, match="Excel workbook"):
        read_material(workbook, "prices.xlsx")


def test_plain_text_and_markdown_are_read_as_written_with_their_lines():
    text = "# Offer\n\nFree for 1 month,\r\nthen ¥15 a month.\n"
    reading = read_material(text.encode("utf-8"), "ad.md")
    assert reading.format == "markdown" and reading.text == text
    block, offset = reading.block_at(text.index("¥15"))
    assert dict(block.where) == {"source_line": 4} and block.text[offset:].startswith("¥15")


# --- HTML -----------------------------------------------------------------------------------------------------

def test_html_keeps_visible_text_only_with_entities_decoded():
    reading = read("landing.html")
    assert reading.text.splitlines()[:2] == [
        "30GB SIM-only for £8/month for your first 6 months, then £12/month.", "Leaving early costs £24."]
    assert "最低价" not in reading.text and "best network" not in reading.text  # script, hidden, display:none
    assert "Spring SIM offer" not in reading.text  # the <title> is in the head, not on the page


def test_html_headings_and_list_items_are_blocks_and_alt_and_title_texts_are_labelled():
    blocks = where(read("landing.html"))
    assert ("No set-up fee", {"paragraph": 3, "element": "li", "source_line": 10}) in blocks
    assert ("Cancel online & in the app", {"paragraph": 4, "element": "li", "source_line": 10}) in blocks
    assert ("Free calls for 3 months", {"paragraph": 5, "element": "img", "source_line": 11,
                                        "part": "image alt text"}) in blocks
    assert ("Spring offer", {"paragraph": 6, "element": "img", "source_line": 11, "part": "image title"}) in blocks
    heading = read_material(b"<h1>Free</h1><h2>for a month</h2><ul><li>then</li></ul>", "a.html")
    assert heading.text == "Free\nfor a month\nthen"


def test_html_line_breaks_are_spaces_not_sentence_ends_and_pre_keeps_its_lines():
    reading = read_material(b"<p>Free for 1 month,<br>then &yen;15 a month.</p><pre>a\n  b</pre>", "a.html")
    assert reading.text == "Free for 1 month, then ¥15 a month.\na\n  b"


def test_html_notes_what_was_not_fetched_or_run_and_fetches_nothing(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the HTML reader opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    page = (b'<html><head><link rel="stylesheet" href="https://cdn.example.com/a.css">'
            b'<script src="//cdn.example.com/a.js"></script></head><body style="background:url(https://x.example/b.png)">'
            b'<iframe src="https://ads.example.com/"></iframe><img src="http://x.example/p.png">'
            b'<p>Only &pound;12</p></body></html>')
    reading = read_material(page, "page.html")
    assert reading.text == "Only £12"
    assert any("5 remote resource(s)" in n for n in reading.notes), reading.notes
    assert any("no alt text" in n for n in reading.notes)


def test_html_in_a_declared_legacy_encoding_is_decoded():
    page = '<html><head><meta charset="gb2312"></head><body><p>首月免费，次月起15元/月</p></body></html>'
    assert read_material(page.encode("gb2312"), "a.html").text == "首月免费，次月起15元/月"


# --- PDF ------------------------------------------------------------------------------------------------------

def test_libreoffice_pdf_text_per_page_with_positions():
    reading = read("terms.pdf")
    blocks = where(reading)
    assert blocks[1][0] == "本活动期限12个月，活动到期后按每月30元收费，可随时在APP取消。"
    assert blocks[1][1]["page"] == 1 and blocks[1][1]["paragraph"] == 2
    x0, top, x1, bottom = blocks[1][1]["box"]
    assert 0 < x0 < x1 < 596 and 0 < top < bottom < 842  # A4 in points, from the top-left corner
    assert "隐藏的全网最低价" not in reading.text  # hidden text is not printed


def test_a_paragraph_wrapped_over_lines_is_one_block():
    reading = read("terms.pdf")
    wrapped = next(b for b in reading.blocks if b.text.startswith("Early termination fee"))
    assert wrapped.text.endswith("join the lines of one paragraph again.") and len(wrapped.lines) == 2
    start = wrapped.text.index("paragraph again")
    boxes = wrapped.boxes(start, start + len("paragraph again"))
    assert len(boxes) == 1 and boxes[0][1] == pytest.approx(wrapped.lines[1].box[1], abs=0.1)
    assert boxes[0][2] - boxes[0][0] < wrapped.lines[1].box[2] - wrapped.lines[1].box[0]  # the words, not the line


def test_chromium_pdf_of_a_page_reads_list_items_apart():
    blocks = [t for t, _ in where(read("landing.pdf"))]
    assert blocks[:4] == ["30GB SIM-only for £8/month for your first 6 months, then £12/month.",
                          "Leaving early costs £24.", "No set-up fee", "Cancel online & in the app"]


def test_chromium_pdf_with_cjk_fonts_gives_ideographs_not_radicals():
    """Chromium maps 首月 to the Kangxi radicals ⾸⽉ in its PDF's ToUnicode table; the reader maps them back."""
    reading = read("poster-zh.pdf")
    assert reading.text == "云盘会员首月免费！\n次月起15元/月自动续费，可随时取消。"


def test_an_encrypted_pdf_is_refused_with_a_clear_message():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO((FIXTURES / "terms.pdf").read_bytes())))
    writer.encrypt(user_password="", owner_password="secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(MaterialError, match="encrypted"):
        read_material(buffer.getvalue(), "locked.pdf")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO((FIXTURES / "terms.pdf").read_bytes())))
    writer.encrypt(user_password="open-me")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(MaterialError, match="encrypted"):
        read_material(buffer.getvalue(), "locked.pdf")


def test_a_pdf_over_the_page_limit_is_refused():
    with pytest.raises(LimitExceeded, match="over the 0-page limit"):
        read_material((FIXTURES / "terms.pdf").read_bytes(), "terms.pdf", MaterialLimits(max_pages=0))


# --- Word and PowerPoint --------------------------------------------------------------------------------------

def test_word_paragraphs_tables_and_text_boxes_with_their_locations():
    reading = read("terms.docx")
    blocks = where(reading)
    assert ("本活动期限12个月，活动到期后按每月30元收费，可随时在APP取消。", {"paragraph": 2}) in blocks
    assert ("30元", {"table": 1, "row": 2, "column": 2}) in blocks
    assert ("提示：首月免费。", {"paragraph": 5, "part": "text box, paragraph 1"}) in blocks
    assert reading.text.count("提示：首月免费。") == 1  # the text box is read once, not again from its fallback
    assert "隐藏的全网最低价" not in reading.text and "可见文字。" in reading.text  # hidden (vanish) text left out


def test_powerpoint_slides_shapes_tables_and_speaker_notes():
    blocks = where(read("deck.pptx"))
    assert blocks[0] == ("4G上網吃到飽", {"slide": 1, "shape": "Headline", "paragraph": 1})
    assert ("NT$599", {"slide": 1, "shape": "Prices", "part": "table row 1 column 2"}) in blocks
    assert ("Tell the customer the contract runs 12 months.",
            {"slide": 1, "part": "speaker notes", "paragraph": 1}) in blocks
    assert blocks[-1] == ("立即申辦 Sign up today", {"slide": 2, "shape": "Closing", "paragraph": 1})


def test_a_hidden_slide_is_left_out_and_noted():
    import pptx

    presentation = pptx.Presentation(io.BytesIO((FIXTURES / "deck.pptx").read_bytes()))
    presentation.slides[1]._element.set("show", "0")
    buffer = io.BytesIO()
    presentation.save(buffer)
    reading = read_material(buffer.getvalue(), "deck.pptx")
    assert "Sign up today" not in reading.text and any("hidden slide(s) 2" in n for n in reading.notes)


# --- images and scans (OCR) -----------------------------------------------------------------------------------

def test_ocr_of_a_simplified_chinese_poster_with_confidence_and_box():
    require_ocr()
    reading = read("poster-zh.png", language="zh-CN")
    assert reading.format == "image" and reading.ocr
    assert "首月免费" in reading.text and "15元/月" in reading.text
    first = reading.blocks[0]
    assert first.confidence > 80 and first.get("ocr_confidence") == first.confidence
    assert not first.get("low_confidence")
    assert len(reading.blocks) == 2  # the poster's two paragraphs


def test_ocr_of_a_traditional_chinese_jpeg():
    require_ocr()
    reading = read("poster-tw.jpg", language="zh-TW")
    assert "4G上網吃到飽" in reading.text and "599元" in reading.text and "合約12個月" in reading.text


def test_a_scanned_pdf_without_a_text_layer_goes_to_ocr():
    require_ocr()
    reading = read("scan.pdf", language="zh-CN")
    assert reading.ocr and "首月免费" in reading.text
    assert reading.blocks[0].get("page") == 1 and reading.blocks[0].get("ocr_confidence") > 80
    assert any("OCR" in n for n in reading.notes)


def test_low_confidence_ocr_text_is_marked():
    require_ocr()
    reading = read("poster-zh.png", limits=MaterialLimits(low_confidence=99.5))
    assert all(b.get("low_confidence") for b in reading.blocks)
    assert reading.warnings and "check them by eye" in reading.warnings[0]


def test_without_tesseract_an_image_is_a_clear_error(monkeypatch):
    from auditor.load.materials import image

    monkeypatch.setattr(image, "available_languages", lambda: None)
    with pytest.raises(MaterialError, match="apt-get install tesseract-ocr tesseract-ocr-chi-sim"):
        read("poster-zh.png")
    monkeypatch.setattr(image, "available_languages", lambda: ("eng", "osd"))
    with pytest.raises(MaterialError, match="lacks the language data chi_sim, chi_tra"):
        read("poster-zh.png")


@pytest.mark.parametrize("language, expected", [("zh-CN", "chi_sim+eng"), ("zh-TW", "chi_tra+eng"),
                                                ("zh-HK", "chi_tra+eng"), ("en-GB", "eng"), (None, "chi_sim+eng"),
                                                ("fr", "chi_sim+chi_tra+eng")])
def test_ocr_languages_follow_the_material_language(language, expected):
    from auditor.load.materials.image import languages_for

    assert languages_for(language) == expected


def test_a_file_without_text_is_a_warning():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    reading = read_material(buffer.getvalue(), "blank.pdf")
    assert reading.text == "" and "holds no text to audit" in reading.warnings[0]
    assert read_material(b"<html><body><script>x()</script></body></html>", "a.html").warnings
