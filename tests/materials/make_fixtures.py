"""Make the material fixtures with real producers, ONCE; their output is committed, so CI needs none of them.

    python tests/materials/make_fixtures.py            # everything
    python tests/materials/make_fixtures.py corpus     # only tests/corpus/files
    python tests/materials/make_fixtures.py labels     # only tests/corpus/files/expected.labels, from the corpus's

Producers: LibreOffice (`soffice --headless --convert-to`) for PDF, DOCX and PPTX from flat ODF sources written
here; Chromium (headless) for HTML printed to PDF and for screenshots of text set in the Noto CJK fonts (the images
OCR reads); Pillow for the JPEG re-encoding and the image-only ("scanned") PDF. Needs: libreoffice-writer-nogui,
libreoffice-impress-nogui, chromium, fonts-noto-cjk, and the `materials` extra.

It writes:
- tests/materials/fixtures/: the reader fixtures (terms.docx/.pdf, deck.pptx, landing.html/.pdf, poster-zh.png/.pdf,
  poster-tw.jpg, scan.pdf);
- tests/corpus/files/: campaigns of the evaluation corpus whose materials are files, each beside its text twin
  (`NAME.text.yaml` is the corpus campaign as it is; `NAME.FORMAT.yaml` the same campaign with every material's
  text in a file of that format under `NAME_FORMAT/`), and their expected.labels;
- examples/files-campaign/: the example campaign whose materials are a PDF poster, a landing page and Word terms.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "materials" / "fixtures"
CORPUS = REPO / "tests" / "corpus"
FILES = CORPUS / "files"
EXAMPLE = REPO / "examples" / "files-campaign"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" office:version="1.3"')


def font_for(language: str | None) -> str:
    tag = (language or "zh-CN").lower()
    if tag.startswith("zh") and any(x in tag for x in ("tw", "hk", "hant")):
        return "Noto Sans CJK TC"
    return "Noto Sans CJK SC"


# --- producers ------------------------------------------------------------------------------------------------

def libreoffice(sources: list[Path], target: str, outdir: Path) -> None:
    if not sources:
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", str(outdir), *map(str, sources)], check=True, capture_output=True, timeout=600)


def chromium_pdf(page: Path, out: Path) -> None:
    subprocess.run(["chromium", *CHROMIUM_FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={out}",
                    page.resolve().as_uri()], check=True, capture_output=True, timeout=120)


def chromium_png(page: Path, out: Path, width: int = 1400, height: int = 1400) -> None:
    from PIL import Image, ImageOps

    subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--window-size={width},{height}", f"--screenshot={out}",
                    page.resolve().as_uri()], check=True, capture_output=True, timeout=120)
    image = Image.open(out).convert("RGB")
    box = ImageOps.invert(image).getbbox()  # crop the blank page below the text, keep a margin
    if box:
        image = image.crop((0, 0, width, min(height, box[3] + 40)))
    image.save(out, format="PNG", optimize=True)


def jpeg_of(png: Path, out: Path) -> None:
    from PIL import Image

    Image.open(png).convert("RGB").save(out, format="JPEG", quality=90)


def scanned_pdf_of(png: Path, out: Path) -> None:
    from PIL import Image

    Image.open(png).convert("RGB").save(out, format="PDF", resolution=150.0)


# --- sources --------------------------------------------------------------------------------------------------

def html_page(title: str, paragraphs: list[str], language: str | None, decoy: bool = True, size: int = 18) -> str:
    """A landing page: one <p> per line of the material, prices as named entities, a script and hidden text the
    reader must leave out (a claim that would be flagged if it were read)."""
    def entities(text: str) -> str:
        return (html.escape(text, quote=False).replace("£", "&pound;").replace("¥", "&yen;")
                .replace("€", "&euro;").replace("\u00a0", "&nbsp;"))

    body = "\n".join(f"<p>{entities(p)}</p>" for p in paragraphs)
    hidden = ('<script>var banner = "全网最低价，保证最便宜";</script>\n'
              '<div hidden>全网最低价，保证最便宜</div>\n'
              '<p style="display:none">The best network in the country, guaranteed.</p>\n') if decoy else ""
    return (f'<!DOCTYPE html>\n<html lang="{language or "zh-CN"}"><head><meta charset="utf-8"><title>{entities(title)}'
            f'</title>\n<style>body {{ font-family: "{font_for(language)}", sans-serif; font-size: {size}px; '
            f'margin: 40px; color: #000; background: #fff; }} p {{ margin: 0 0 1.2em 0; }}</style></head>\n'
            f'<body>\n{hidden}{body}\n</body></html>\n')


def fodt(paragraphs: list[str], language: str | None, heading: str | None = None, table: list[list[str]] = (),
         text_box: str | None = None, hidden: str | None = None) -> str:
    font = font_for(language)
    parts = [f"<text:h text:outline-level=\"1\">{escape(heading)}</text:h>"] if heading else []
    parts += [f'<text:p text:style-name="Standard">{escape(p)}</text:p>' for p in paragraphs]
    if hidden:
        parts.append(f'<text:p text:style-name="Standard">{escape(hidden[0])}<text:span text:style-name="Hidden">'
                     f'{escape(hidden[1])}</text:span></text:p>')
    if table:
        rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p>"
                                                     "</table:table-cell>" for c in row) + "</table:table-row>"
                       for row in table)
        parts.append(f'<table:table table:name="Fees"><table:table-column table:number-columns-repeated='
                     f'"{len(table[0])}"/>{rows}</table:table>')
    if text_box:
        parts.append('<text:p text:style-name="Standard"><draw:frame draw:name="Note" text:anchor-type="paragraph" '
                     'svg:width="12cm" svg:height="2cm"><draw:text-box><text:p>'
                     f'{escape(text_box)}</text:p></draw:text-box></draw:frame></text:p>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} '
            'office:mimetype="application/vnd.oasis.opendocument.text">\n<office:styles>'
            '<style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties '
            f'fo:margin-bottom="0.5cm"/><style:text-properties style:font-name="{font}" fo:font-family="{font}" '
            f'style:font-family-asian="{font}" fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>'
            '</office:styles>\n<office:automatic-styles><style:style style:name="Hidden" style:family="text">'
            '<style:text-properties text:display="none"/></style:style></office:automatic-styles>\n'
            '<office:body><office:text>\n' + "\n".join(parts) + '\n</office:text></office:body></office:document>\n')


def fodp(slides: list[dict], language: str | None) -> str:
    """Slides: {"frames": [(name, [paragraphs], y_cm)], "table": [[...]], "notes": "..."}."""
    font = font_for(language)
    pages = []
    for number, slide in enumerate(slides, start=1):
        frames = []
        for name, paragraphs, y in slide.get("frames", ()):
            text = "".join(f'<text:p><text:span text:style-name="T">{escape(p)}</text:span></text:p>'
                           for p in paragraphs)
            frames.append(f'<draw:frame draw:name="{escape(name)}" svg:x="1cm" svg:y="{y}cm" svg:width="26cm" '
                          f'svg:height="3cm"><draw:text-box>{text}</draw:text-box></draw:frame>')
        if slide.get("table"):
            rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p>"
                                                         "</table:table-cell>" for c in row) + "</table:table-row>"
                           for row in slide["table"])
            frames.append(f'<draw:frame draw:name="Prices" svg:x="1cm" svg:y="11cm" svg:width="20cm" '
                          f'svg:height="3cm"><table:table><table:table-column table:number-columns-repeated='
                          f'"{len(slide["table"][0])}"/>{rows}</table:table></draw:frame>')
        notes = ""
        if slide.get("notes"):
            notes = ('<presentation:notes><draw:frame presentation:class="notes" svg:x="2cm" svg:y="14cm" '
                     'svg:width="17cm" svg:height="10cm"><draw:text-box><text:p>'
                     f'{escape(slide["notes"])}</text:p></draw:text-box></draw:frame></presentation:notes>')
        pages.append(f'<draw:page draw:name="Slide{number}" draw:master-page-name="Default">{"".join(frames)}'
                     f'{notes}</draw:page>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} '
            'office:mimetype="application/vnd.oasis.opendocument.presentation">\n<office:automatic-styles>'
            '<style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" '
            'fo:page-height="15.75cm" style:print-orientation="landscape"/></style:page-layout>'
            f'<style:style style:name="T" style:family="text"><style:text-properties fo:font-size="20pt" '
            f'style:font-name="{font}" fo:font-family="{font}" style:font-family-asian="{font}" '
            'style:font-size-asian="20pt"/></style:style>'
            '</office:automatic-styles>\n<office:master-styles><style:master-page style:name="Default" '
            'style:page-layout-name="PM1"/></office:master-styles>\n<office:body><office:presentation>\n'
            + "\n".join(pages) + '\n</office:presentation></office:body></office:document>\n')


# --- reader fixtures ------------------------------------------------------------------------------------------

def make_reader_fixtures(work: Path) -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    terms = fodt(["本活动期限12个月，活动到期后按每月30元收费，可随时在APP取消。",
                  "Early termination fee: £24. This sentence is long enough to wrap over two lines of an A4 page "
                  "so that the reader has to join the lines of one paragraph again."],
                 "zh-CN", heading="服务条款 Terms of service", table=[["费用 Fee", "金额 Amount"], ["月租 Monthly", "30元"]],
                 text_box="提示：首月免费。", hidden=("可见文字。", "隐藏的全网最低价"))
    (work / "terms.fodt").write_text(terms, encoding="utf-8")
    libreoffice([work / "terms.fodt"], "docx", work)
    libreoffice([work / "terms.fodt"], "pdf", work)
    deck = fodp([{"frames": [("Headline", ["4G上網吃到飽", "月租只要599元"], 1), ("Small print", ["合約12個月"], 5)],
                  "table": [["方案 Plan", "NT$599"]], "notes": "Tell the customer the contract runs 12 months."},
                 {"frames": [("Closing", ["立即申辦 Sign up today"], 1)]}], "zh-TW")
    (work / "deck.fodp").write_text(deck, encoding="utf-8")
    libreoffice([work / "deck.fodp"], "pptx", work)
    for name in ("terms.docx", "terms.pdf", "deck.pptx"):
        shutil.copy(work / name, FIXTURES / name)
    landing = html_page("Spring SIM offer", ["30GB SIM-only for £8/month for your first 6 months, then £12/month.",
                                             "Leaving early costs £24."], "en-GB")
    landing = landing.replace("</body>", '<ul><li>No set-up fee</li><li>Cancel online &amp; in the app</li></ul>\n'
                              '<img src="https://cdn.example.com/banner.png" alt="Free calls for 3 months" '
                              'title="Spring offer">\n</body>')
    (FIXTURES / "landing.html").write_text(landing, encoding="utf-8")
    chromium_pdf(FIXTURES / "landing.html", FIXTURES / "landing.pdf")
    poster_zh = work / "poster-zh.html"
    poster_zh.write_text(html_page("海报", ["云盘会员首月免费！", "次月起15元/月自动续费，可随时取消。"], "zh-CN", decoy=False,
                                   size=40), encoding="utf-8")
    chromium_png(poster_zh, FIXTURES / "poster-zh.png")
    chromium_pdf(poster_zh, FIXTURES / "poster-zh.pdf")
    scanned_pdf_of(FIXTURES / "poster-zh.png", FIXTURES / "scan.pdf")
    poster_tw = work / "poster-tw.html"
    poster_tw.write_text(html_page("海報", ["4G上網吃到飽，月租只要599元！", "合約12個月。"], "zh-TW", decoy=False, size=40),
                         encoding="utf-8")
    chromium_png(poster_tw, work / "poster-tw.png")
    jpeg_of(work / "poster-tw.png", FIXTURES / "poster-tw.jpg")


# --- corpus ---------------------------------------------------------------------------------------------------

# (corpus campaign, format of its material files): the campaigns whose evidence is in their materials' words,
# across the formats and the three scripts (simplified, traditional, English), a few compliant ones among them.
CORPUS_FILES = [
    ("c01-cn-data-addon-lapse.yaml", "html"),
    ("c02-cn-video-ringtone-trial.yaml", "png"),
    ("c11-cn-competitor-poster.yaml", "pdf"),
    ("c11-cn-competitor-poster-ok.yaml", "pdf"),
    ("c12-cn-inconsistent-channels.yaml", "html"),
    ("e13-uk-handset-ecn.yaml", "chromium-pdf"),
    ("e15-eu-free-phone.yaml", "docx"),
    ("e16-eu-free-phone-ok.yaml", "html"),
    ("e19-us-prepaid-hidden-fee.yaml", "chromium-pdf"),
    ("e20-us-prepaid-ok.yaml", "docx"),
    ("e21-au-unlimited-zero-phone.yaml", "pptx"),
    ("e27-tw-unlimited-compare.yaml", "jpg"),
    ("e29-cn-dates-terms.yaml", "docx"),
    ("e31-cn-contract-contradiction.yaml", "pdf"),
    ("e37-hk-competitor.yaml", "pptx"),
    ("e40-cn-free-banner.yaml", "scan-pdf"),
]
SUFFIX = {"html": "html", "png": "png", "jpg": "jpg", "pdf": "pdf", "chromium-pdf": "pdf", "scan-pdf": "pdf",
          "docx": "docx", "pptx": "pptx"}


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def make_corpus(work: Path) -> None:
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir(parents=True)
    office: dict[str, list[tuple[Path, Path]]] = {"docx": [], "pdf": [], "pptx": []}
    for source_name, fmt in CORPUS_FILES:
        source = CORPUS / source_name
        stem = source_name.rsplit(".", 1)[0]
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
        language = document.get("language")
        text_twin = f"{stem}.text.yaml"
        (FILES / text_twin).write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000),
                                       encoding="utf-8")
        folder = FILES / f"{stem}_{fmt}"
        folder.mkdir()
        for index, material in enumerate(document["materials"]):
            text = material.pop("text")
            lang = material.get("language") or language
            name = f"{material['id']}.{SUFFIX[fmt]}"
            material["file"] = f"{folder.name}/{name}"
            paragraphs = _lines(text)
            target = folder / name
            if fmt == "html":
                target.write_text(html_page(material["id"], paragraphs, lang), encoding="utf-8")
            elif fmt == "chromium-pdf":
                page = work / f"{stem}-{index}.html"
                page.write_text(html_page(material["id"], paragraphs, lang), encoding="utf-8")
                chromium_pdf(page, target)
            elif fmt in ("png", "jpg", "scan-pdf"):
                page = work / f"{stem}-{index}.html"
                page.write_text(html_page(material["id"], paragraphs, lang, decoy=False, size=44), encoding="utf-8")
                png = work / f"{stem}-{index}.png"
                chromium_png(page, png)
                if fmt == "png":
                    shutil.copy(png, target)
                elif fmt == "jpg":
                    jpeg_of(png, target)
                else:
                    scanned_pdf_of(png, target)
            elif fmt == "pptx":
                src = work / f"{stem}-{material['id']}.fodp"
                src.write_text(fodp([{"frames": [(f"Text {k}", [p], 1 + 3 * k) for k, p in enumerate(paragraphs)]}],
                                    lang), encoding="utf-8")
                office["pptx"].append((src, target))
            else:  # docx, pdf through LibreOffice
                src = work / f"{stem}-{material['id']}.fodt"
                src.write_text(fodt(paragraphs, lang), encoding="utf-8")
                office[fmt].append((src, target))
        file_twin = f"{stem}.{fmt}.yaml"
        (FILES / file_twin).write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000),
                                       encoding="utf-8")
    for target_format, pairs in office.items():
        libreoffice([src for src, _ in pairs], target_format, work)
        for src, target in pairs:
            shutil.move(work / f"{src.stem}.{target_format}", target)
    make_labels()


def make_labels() -> None:
    """tests/corpus/files/expected.labels from tests/corpus/expected.labels (also alone, `labels`, when the corpus
    labels change: the files need not be made again)."""
    labels = yaml.safe_load((CORPUS / "expected.labels").read_text(encoding="utf-8"))
    out_labels: dict = {}
    for source_name, fmt in CORPUS_FILES:
        stem = source_name.rsplit(".", 1)[0]
        label = labels[source_name]
        out_labels[f"{stem}.text.yaml"] = label
        out_labels[f"{stem}.{fmt}.yaml"] = yaml.safe_load(re.sub(r"(/materials/\d+)/text", r"\1/file",
                                                                 yaml.safe_dump(label)))
    header = ("# Labels for the corpus of campaigns whose materials are files (PDF, Word, PowerPoint, HTML, images),\n"
              "# each beside its text twin (NAME.text.yaml). Made by tests/materials/make_fixtures.py from\n"
              "# tests/corpus/expected.labels: a file twin expects what its text twin expects, at materials[].file.\n")
    (FILES / "expected.labels").write_text(header + yaml.safe_dump(out_labels, allow_unicode=True, sort_keys=True),
                                           encoding="utf-8")


# --- the example campaign -------------------------------------------------------------------------------------

EXAMPLE_CAMPAIGN = """\
# A 5G trial whose materials are the files marketing ships (made by tests/materials/make_fixtures.py):
# a PDF poster (LibreOffice), a landing page (HTML) and the terms (Word), in Chinese and English.
format: campaign/v1
id: CMP-2026-5G-TRIAL
name: 5G畅享套餐首月免费
operator: 中国移动
operator_aliases: [移动, China Mobile, CMCC]
jurisdiction: CN
language: zh-CN
currency: CNY
channels: [web, store]
period: {start: "2026-04-01", end: "2026-04-30"}
offer:
  type: free_trial
  summary: 5G畅享套餐首月免费，次月起59元/月自动续订。
  term: {months: 1}
fees:
  - id: plan
    name: 5G畅享套餐月费
    amount: 59
    recurrence: monthly
    applies: after_term
    disclosed_in: [poster, landing, terms]
end_of_term:
  behavior: auto_renew
  notifications:
    - days_before: 7
      channel: sms
      text: 【中国移动】您的5G畅享套餐免费体验将于{到期日}到期，到期后自动续订，59元/月。如需取消，请发送QX5G到10086或登录中国移动APP办理。
cancellation:
  methods:
    - {channel: app, instructions: 登录中国移动APP，在“已订业务”中取消, available: anytime}
    - {channel: sms, instructions: 发送QX5G到10086, available: anytime}
    - {channel: store, instructions: 携带身份证到任一营业厅办理, available: anytime}
  fee: 0
  effective: immediate
consent: {method: double_confirmation, pre_checked: false}
materials:
  - {id: poster, kind: poster, channel: store, file: cn-5g-files/poster.pdf}
  - {id: landing, kind: landing_page, channel: web, file: cn-5g-files/landing.html}
  - {id: terms, kind: terms, channel: web, file: cn-5g-files/terms.docx}
"""


def make_example(work: Path) -> None:
    folder = EXAMPLE / "cn-5g-files"
    folder.mkdir(parents=True, exist_ok=True)
    # The poster says "free" and "fastest" and never the price after the free month: what the report flags.
    poster = fodt(["首月免费！5G全网最快，立即办理。", "First month free — the fastest 5G network."], "zh-CN",
                  heading="5G畅享套餐 5G Unlimited")
    (work / "poster.fodt").write_text(poster, encoding="utf-8")
    terms = fodt(["1. 本优惠期限为1个月，自开通之日起计算。",
                  "2. 优惠期满后自动续订，按59元/月收费；您可随时在APP、短信或营业厅取消，取消不收取任何费用。",
                  "3. 我们将在优惠到期前7天以短信提醒您到期日期和续订价格。",
                  "4. The free month ends after one month; the plan then renews at ¥59 a month unless cancelled."],
                 "zh-CN", heading="服务条款 Terms and conditions", table=[["费用 Fee", "金额 Amount"],
                                                                      ["月费（首月后） Monthly after month 1", "59元/月"]])
    (work / "terms.fodt").write_text(terms, encoding="utf-8")
    libreoffice([work / "poster.fodt"], "pdf", work)
    libreoffice([work / "terms.fodt"], "docx", work)
    shutil.copy(work / "poster.pdf", folder / "poster.pdf")
    shutil.copy(work / "terms.docx", folder / "terms.docx")
    (folder / "landing.html").write_text(html_page("5G畅享套餐", [
        "5G畅享套餐：首月免费，次月起59元/月自动续订，可随时在APP取消。",
        "5G Unlimited: first month free, then ¥59 a month; it renews automatically. Cancel any time in the app."],
        "zh-CN", decoy=False), encoding="utf-8")
    (EXAMPLE / "cn-5g-files.yaml").write_text(EXAMPLE_CAMPAIGN, encoding="utf-8")


def main(argv: list[str]) -> int:
    parts = set(argv) or {"fixtures", "corpus", "example"}
    if parts == {"labels"}:
        make_labels()
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "fixtures" in parts:
            make_reader_fixtures(work)
        if "corpus" in parts:
            make_corpus(work)
        if "example" in parts:
            make_example(work)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
