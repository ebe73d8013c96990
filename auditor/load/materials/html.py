"""HTML landing pages: the visible text, through lxml's HTML parser (libxml2), nothing fetched, nothing run.

- Scripts, styles, templates, `noscript`, frames, embedded objects and the `head` are left out; so is any element
  with the `hidden` attribute or an inline `display: none` / `visibility: hidden` style (what a browser does not
  show). Text hidden by a style sheet cannot be told without fetching and applying it; the note says so.
- Entities are decoded (`&pound;12` is `£12`), white space collapsed as a browser does (kept in `pre`).
- Block elements (paragraphs, headings, list items, table cells, ...) end a block (`br` is a space), so a heading or a list
  item is never run into the next sentence; `alt` and `title` texts are blocks of their own, labelled by `part`.
- Remote resources (images, scripts, style sheets, frames) are counted and reported, never fetched: the parser
  runs with `no_network`, and nothing else here opens a URL.
"""

from __future__ import annotations

import re

from auditor.load.materials import EXTRA_HINT, Block, LimitExceeded, MaterialError, MaterialLimits, Reading

SKIPPED = {"script", "style", "noscript", "template", "head", "meta", "link", "iframe", "frame", "frameset",
           "object", "embed", "canvas", "audio", "video", "select", "datalist", "base", "param", "source", "track"}
BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
          "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
          "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
          "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "button", "label", "option", "textarea", "center"}
HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
                          re.IGNORECASE)
SPACES = re.compile(r"[ \t\r\n\f]+")
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
RESOURCE_ATTRIBUTES = (("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"), ("frame", "src"),
                       ("video", "src"), ("video", "poster"), ("audio", "src"), ("source", "src"),
                       ("embed", "src"), ("object", "data"), ("input", "src"))
CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.opened: tuple[str, int | None] | None = None  # (tag, source line) of the block being filled
        self.pre = 0
        self.hidden_elements = 0

    def flush(self) -> None:
        text = "".join(self.buffer)
        if not self.pre:
            text = SPACES.sub(" ", text)
        text = text.strip()
        if text and self.opened:
            tag, line = self.opened
            self._add(text, tag, line)
        self.buffer = []
        self.opened = None

    def _add(self, text: str, tag: str, line: int | None, part: str | None = None) -> None:
        where: list[tuple[str, object]] = [("paragraph", len(self.blocks) + 1), ("element", tag)]
        if line:
            where.append(("source_line", line))
        if part:
            where.append(("part", part))
        self.blocks.append(Block(text, tuple(where)))

    def text(self, value: str | None, element) -> None:
        if value:
            if self.opened is None:
                tag = _tag(element)
                self.opened = (tag if tag is not None and tag in BLOCKS else _block_tag(element), element.sourceline)
            self.buffer.append(value)

    def walk(self, element) -> None:
        tag = _tag(element)
        if tag is None or tag in SKIPPED:
            return
        if _hidden(element):
            self.hidden_elements += 1
            return
        if tag == "br":  # a line break inside a paragraph, not the end of a sentence
            self.buffer.append("\n" if self.pre else " ")
            return
        block = tag in BLOCKS
        if block:
            self.flush()
        if tag == "pre":
            self.pre += 1
        if tag in BLOCKS:
            self.opened = (tag, element.sourceline)
        self.text(element.text, element)
        for child in element:
            self.walk(child)
            self.text(child.tail, element)
        if block:
            self.flush()
        if tag == "pre":
            self.pre -= 1
        self._labels(element, tag)

    def _labels(self, element, tag: str) -> None:
        labels = _labels_of(element, tag)
        if not labels:
            return
        self.flush()
        for text, part in labels:
            self._add(SPACES.sub(" ", text), tag, element.sourceline, part)


def _labels_of(element, tag: str) -> list[tuple[str, str]]:
    """(text, part) of the words a browser shows for an element beside its content: an image's (or image
    button's) alt text, a title's tooltip, a button's value."""
    alt = (element.get("alt") or "").strip() if tag in ("img", "area", "input") else ""
    title = (element.get("title") or "").strip()
    value = (element.get("value") or "").strip() if _is_button(element, tag) else ""
    labels = []
    if alt:
        labels.append((alt, "image alt text" if tag != "input" else "button alt text"))
    if title:
        labels.append((title, "image title" if tag == "img" else "title (tooltip) text"))
    if value:
        labels.append((value, "button text"))
    return labels


def _is_button(element, tag: str) -> bool:
    return tag == "input" and (element.get("type") or "").lower() in ("submit", "button", "reset")


def _tag(element) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):  # comments, processing instructions, entities
        return None
    return tag.rsplit("}", 1)[-1].lower()


def _block_tag(element) -> str:
    node = element
    while node is not None:
        tag = _tag(node)
        if tag in BLOCKS:
            return tag
        node = node.getparent()
    return "body"


def _hidden(element) -> bool:
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style and HIDDEN_STYLE.search(style))


def _parse(data: bytes):
    try:
        import lxml.html
        from lxml import etree
    except ImportError:
        raise MaterialError(f"reading HTML needs lxml; {EXTRA_HINT}") from None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                                  collect_ids=False, default_doctype=False)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None  # not UTF-8: lxml follows the page's own `<meta charset>`
    try:
        if text is not None:
            root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1), parser=parser)
        else:
            root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        if "empty" in str(exc).lower():
            return None
        raise MaterialError(f"the HTML cannot be parsed ({exc}); save the page again from the browser") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops reading past 256 levels of nesting: the words after that point would be lost silently
        raise LimitExceeded("the page nests its elements more than 256 levels deep (a hostile or broken page); "
                            "it was not read")
    return root


def read_html(data: bytes, limits: MaterialLimits) -> Reading:
    root = _parse(data)
    if root is None:
        return Reading.of_blocks("html", [], limits)
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return Reading.of_blocks("html", walker.blocks, limits, _notes(root, walker.hidden_elements))


def _remote_resources(root) -> int:
    """Resources the page would fetch: remote `src`/`href`/`data`/`poster` attributes and CSS `url(//...)`."""
    remote = sum(1 for tag, attribute in RESOURCE_ATTRIBUTES for e in root.iter(tag)
                 if REMOTE.match(e.get(attribute) or ""))
    remote += sum(len(CSS_URL.findall(e.text or "")) for e in root.iter("style"))
    remote += sum(len(CSS_URL.findall(e.get("style") or "")) for e in root.iter() if isinstance(e.tag, str))
    return remote


def _notes(root, hidden_elements: int) -> list[str]:
    """What the reading could not see: remote resources, words inside images, scripts' text, hidden elements."""
    notes = []
    remote = _remote_resources(root)
    if remote:
        notes.append(f"the page refers to {remote} remote resource(s) (images, scripts, style sheets, frames) that "
                     "were not fetched: words they would show are not audited")
    images = [e for e in root.iter("img") if not (e.get("alt") or "").strip()]
    if images:
        notes.append(f"{len(images)} image(s) on the page have no alt text: words inside images are not read from "
                     "a web page; give each image alt text, or audit the image as a material of its own")
    if root.find(".//script") is not None:
        notes.append("the page has scripts; they were not run, so text they would add or change is not audited")
    if hidden_elements:
        notes.append(f"{hidden_elements} hidden element(s) (the `hidden` attribute or an inline "
                     "display:none / visibility:hidden style) were left out as customers do not see them")
    return notes
