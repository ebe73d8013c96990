"""Plain text and Markdown: read as written (UTF-8), one block per line so a finding names its line."""

from __future__ import annotations

from auditor.load.materials import Block, MaterialError, MaterialLimits, Reading


def read_plain(data: bytes, kind: str, limits: MaterialLimits) -> Reading:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        raise MaterialError(f"it is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {bad_line}) nor a PDF, Word, "
                            "PowerPoint, HTML or image file; save it as UTF-8") from None
    if len(text) > limits.max_characters:
        from auditor.load.materials import LimitExceeded

        raise LimitExceeded(f"the file holds {len(text):,} characters, over the {limits.max_characters:,}-character "
                            "limit; a customer-facing material is far shorter")
    # The text stays exactly as written (the rules read it as they read `materials[].text`); the blocks are its
    # lines, at their own offsets, for locations.
    blocks: list[Block] = []
    starts: list[int] = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        if body.strip():
            blocks.append(Block(body, (("source_line", number),)))
            starts.append(offset)
        offset += len(line)
    return Reading(format=kind, text=text, blocks=blocks, starts=starts)
