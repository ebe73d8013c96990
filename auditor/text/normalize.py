"""One normal form for matching: NFKC, simplified script, lower case.

Marketing text mixes scripts (簡/繁), full-width digits (１２个月) and cases;
rules match against the normal form and report spans in the original text,
so `Normalized.span()` maps positions back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    # origin[i] = index in `original` of the character that produced text[i]
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normal form back to the original text."""
        if not self.origin:
            return (0, 0)
        start = min(max(start, 0), len(self.origin) - 1)
        last = min(max(end - 1, start), len(self.origin) - 1)
        return self.origin[start], self.origin[last] + 1


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded.lower()


@lru_cache(maxsize=8192)
def normalize(text: str) -> Normalized:
    """Normal form of `text`; cached because every rule reads the same materials."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold(char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(pieces)
    simplified = to_simplified(folded_text)
    if len(simplified) != len(folded_text):
        # A phrase conversion changed the length; convert character by character
        # so that positions still line up.
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in folded_text)
    return Normalized(text, simplified, tuple(origin))


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Just the normal-form string (for lexicon entries and comparisons)."""
    return normalize(text).text
