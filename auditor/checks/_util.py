"""Small text queries shared by the rule families."""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from functools import lru_cache

from auditor.findings import Hit
from auditor.text.lazy import lazy
from auditor.text.lexicon import Lexicon, LexMatch
from auditor.text.money import Money, find_money, first_stating, fmt_amount  # noqa: F401 (rules format amounts from here)
from auditor.text.normalize import Normalized

# A full stop ends a sentence unless it ends an abbreviation ("e.g. CSL or 3HK", "19,99 € mtl. während", "24 Mon.
# Laufzeit", "zzgl. 39,99 €"): the text is in the normal form, lower case.
_ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "incl", "excl", "approx", "inkl", "zzgl", "mtl", "bzw", "z.b", "ca",
                  "mon", "mdr", "mnd", "min", "max", "tel", "nr")
# (the lookbehinds stand after the full stop, so that they are tried only where there is one)
_SENTENCE_END = lazy(r"[。！？!?；;\n]|\." + "".join(rf"(?<!(?<![a-z]){re.escape(a)}\.)" for a in _ABBREVIATIONS)
                           + r"(?:\s|$)")


def money_in(normalized: Normalized) -> list[Money]:
    return find_money(normalized)


def states_amount(normalized: Normalized, amount: Decimal | None, currency: str | None) -> Money | None:
    """The first money mention of exactly this amount (in a compatible currency)."""
    if amount is None:
        return None
    return first_stating(normalized, amount, currency)


def advertises_amount(normalized: Normalized, amount: Decimal | None, currency: str | None) -> Money | None:
    """As `states_amount`, but not counting an amount spoken in words without its currency: such a reading
    credits a material with stating a price; it never makes the material advertise one a rule then holds
    against it (the conditions, fees and durations that must stand beside an advertised price)."""
    if amount is None:
        return None
    return first_stating(normalized, amount, currency, written=True)


def written_money(normalized: Normalized) -> list[Money]:
    """The money mentions other than amounts spoken without a currency (see `advertises_amount`)."""
    return [money for money in find_money(normalized) if not money.spoken]


@lru_cache(maxsize=512)
def _sentence_ends(text: str) -> tuple[int, ...]:
    return tuple(m.end() for m in _SENTENCE_END.finditer(text))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (in the normal form) holding [start, end)."""
    # The sentence starts after the last sentence end within text[:start] (found once per text and
    # bisected, rather than scanning from the start of the text at every call); a point just before
    # `start` ends a sentence there, as `\.$` does when the scan stops at `start`.
    if start > 0 and text[start - 1] == ".":
        left = start
    else:
        ends = _sentence_ends(text)
        index = bisect_right(ends, start)
        left = ends[index - 1] if index else 0
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    return left, right


def sentences(normalized: Normalized) -> list[tuple[int, int]]:
    text = normalized.text
    out = []
    left = 0
    for end in _sentence_ends(text):
        if text[left:end].strip():
            out.append((left, end))
        left = end
    if text[left:].strip():
        out.append((left, len(text)))
    return out


def excerpt(normalized: Normalized, spans: list[tuple[int, int]], radius: int = 60) -> tuple[str, tuple]:
    """Quote of the original text around normal-form spans, with the spans re-based on the quote."""
    original = normalized.original
    if not spans:
        snippet = original[: radius * 2]
        return (snippet + ("…" if len(original) > len(snippet) else "")), ()
    mapped = [normalized.span(s, e) for s, e in spans]
    first = min(s for s, _ in mapped)
    last = max(e for _, e in mapped)
    s_left, s_right = sentence_bounds(normalized.text, spans[0][0], spans[-1][1])
    left = normalized.span(s_left, s_left + 1)[0] if s_left < len(normalized.origin) else first
    right = normalized.span(s_right - 1, s_right)[1] if s_right > 0 else last
    left = max(min(left, first), first - radius)
    right = min(max(right, last), last + radius)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(original) else ""
    snippet = prefix + original[left:right].strip("\n") + suffix
    offset = len(prefix) - left
    return snippet, tuple((s + offset, e + offset) for s, e in mapped)


def hit_in_text(pointer: str, message, normalized: Normalized, spans: list[tuple[int, int]],
                material: str | None = None) -> Hit:
    evidence, rebased = excerpt(normalized, spans)
    return Hit(pointer, message, evidence=evidence, spans=rebased, material=material)


def quote(normalized: Normalized, limit: int = 120) -> str:
    text = normalized.original.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def find(lexicon: Lexicon, normalized: Normalized, strong_only: bool = False) -> list[LexMatch]:
    matches = lexicon.find(normalized)
    return [m for m in matches if not (strong_only and m.entry.weak)]

