"""One normal form for matching: NFKC, simplified script, lower case.

Marketing text mixes scripts (簡/繁), full-width digits (１２个月) and cases;
rules match against the normal form and report spans in the original text,
so `Normalized.span()` maps positions back.

The normal form is defined character by character: each character is folded
on its own (`NFKC(c).lower()`), then the folded text is converted to
simplified script in one piece; if that conversion changed the length, each
character is converted on its own instead (keeping the ones whose conversion
would change the length), so that positions still line up. The code below
computes exactly that, whole strings at a time (profiled on an archive where
no two campaigns share a text, a per-character loop through
`unicodedata.normalize` was most of a run):

- text that is ASCII is just lower-cased; text already in NFKC without a
  capital sigma (the one letter `str.lower` folds by its context) is lower-
  cased whole; anything else goes through one translation table that holds
  each character's fold, filled as characters are first met;
- the script conversion runs once per text, and only on text holding a
  character that can be converted (OpenCC maps nothing below U+2E80);
- the position map is the identity (not stored) unless folding changed the
  length, and then it is built from the few characters that changed it.

tests/reference_text.py keeps the per-character definition; tests/test_text_fast_paths.py holds this
module to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


class _FoldTable(dict):
    """Ordinal -> folded string, for str.translate: each character's fold, computed when first met."""

    def __missing__(self, ordinal: int) -> str:
        char = chr(ordinal)
        folded = unicodedata.normalize("NFKC", char).lower()
        self[ordinal] = folded
        if len(folded) != 1:
            _RESIZING.add(char)
        return folded


class _ScriptTable(dict):
    """Ordinal -> the character's own simplified form, or itself when that form is not one character."""

    def __missing__(self, ordinal: int) -> str:
        char = chr(ordinal)
        converted = to_simplified(char)
        value = self[ordinal] = converted if len(converted) == 1 else char
        return value


_FOLD = _FoldTable()
_SCRIPT = _ScriptTable()
_RESIZING: set[str] = set()  # characters met so far whose fold is not one character
# OpenCC converts nothing below U+2E80 (CJK radicals); tests/test_text_fast_paths.py checks every such
# character. A text whose largest character is below it skips the conversion. (A character class of the
# convertible blocks cost 1.5-4 ms to compile, a tenth of a cache-off start, for the few texts that have
# Hangul or Yi and no Han: those now go through the conversion, which leaves them as they are.)
_FIRST_CONVERTIBLE = "\u2e80"


# Ranges of characters that are their own NFKC (Σ left out), so that their fold is their lower case, in
# the Unicode version below (generated from unicodedata; runs of 3 or more; tests/test_text_fast_paths.py checks
# every character against the running Python's unicodedata). Other characters are folded one by one.
_STABLE_VERSION = "14.0.0"
_STABLE_RANGES = (
    (0x0000, 0x009F), (0x00A1, 0x00A7), (0x00AB, 0x00AE), (0x00BF, 0x0131), (0x0134, 0x013E), (0x0141, 0x0148),
    (0x014A, 0x017E), (0x0180, 0x01C3), (0x01CD, 0x01F0), (0x01F4, 0x02AF), (0x02B9, 0x02D7), (0x02E5, 0x033F),
    (0x0345, 0x0373), (0x0375, 0x0379), (0x037B, 0x037D), (0x037F, 0x0383), (0x0388, 0x03A2), (0x03A4, 0x03CF),
    (0x03D7, 0x03EF), (0x03F6, 0x03F8), (0x03FA, 0x0586), (0x0588, 0x0674), (0x0679, 0x0957), (0x0960, 0x09DB),
    (0x09E0, 0x0A32), (0x0A37, 0x0A58), (0x0A5F, 0x0B5B), (0x0B5E, 0x0E32), (0x0E34, 0x0EB2), (0x0EB4, 0x0EDB),
    (0x0EDE, 0x0F0B), (0x0F0D, 0x0F42), (0x0F44, 0x0F4C), (0x0F4E, 0x0F51), (0x0F53, 0x0F56), (0x0F58, 0x0F5B),
    (0x0F5D, 0x0F68), (0x0F6A, 0x0F72), (0x0F7A, 0x0F80), (0x0F82, 0x0F92), (0x0F94, 0x0F9C), (0x0F9E, 0x0FA1),
    (0x0FA3, 0x0FA6), (0x0FA8, 0x0FAB), (0x0FAD, 0x0FB8), (0x0FBA, 0x10FB), (0x10FD, 0x1D2B), (0x1D6B, 0x1D77),
    (0x1D79, 0x1D9A), (0x1DC0, 0x1E99), (0x1E9C, 0x1F70), (0x1F7E, 0x1FBA), (0x1FC2, 0x1FC8), (0x1FD0, 0x1FD2),
    (0x1FD4, 0x1FDA), (0x1FE0, 0x1FE2), (0x1FE4, 0x1FEA), (0x1FF0, 0x1FF8), (0x200B, 0x2010), (0x2012, 0x2016),
    (0x2018, 0x2023), (0x2027, 0x202E), (0x2030, 0x2032), (0x2038, 0x203B), (0x203F, 0x2046), (0x204A, 0x2056),
    (0x2058, 0x205E), (0x2060, 0x206F), (0x209D, 0x20A7), (0x20A9, 0x20FF), (0x2141, 0x2144), (0x214A, 0x214F),
    (0x2180, 0x2188), (0x218A, 0x222B), (0x2231, 0x2328), (0x232B, 0x245F), (0x24EB, 0x2A0B), (0x2A0D, 0x2A73),
    (0x2A77, 0x2ADB), (0x2ADD, 0x2C7B), (0x2C7E, 0x2D6E), (0x2D70, 0x2E9E), (0x2EA0, 0x2EF2), (0x2EF4, 0x2EFF),
    (0x2FD6, 0x2FFF), (0x3001, 0x3035), (0x303B, 0x309A), (0x30A0, 0x30FE), (0x3100, 0x3130), (0x318F, 0x3191),
    (0x31A0, 0x31FF), (0x3248, 0x324F), (0x3400, 0xA69B), (0xA69E, 0xA76F), (0xA771, 0xA7F1), (0xA7F5, 0xA7F7),
    (0xA7FA, 0xAB5B), (0xAB60, 0xAB68), (0xAB6A, 0xD7FF), (0xE000, 0xF8FF), (0xFA27, 0xFA29), (0xFADA, 0xFAFF),
    (0xFB07, 0xFB12), (0xFB18, 0xFB1C), (0xFBB2, 0xFBD2), (0xFD3E, 0xFD4F), (0xFDC8, 0xFDEF), (0xFDFD, 0xFE0F),
    (0xFE1A, 0xFE2F), (0xFE6C, 0xFE6F), (0xFEFD, 0xFF00), (0xFFBF, 0xFFC1), (0xFFDD, 0xFFDF), (0xFFEF, 0x10780),
    (0x107BB, 0x1D15D), (0x1D165, 0x1D1BA), (0x1D1C1, 0x1D3FF), (0x1D547, 0x1D549), (0x1D800, 0x1EDFF),
    (0x1EE3C, 0x1EE41), (0x1EE43, 0x1EE46), (0x1EE9C, 0x1EEA0), (0x1EEBC, 0x1F0FF), (0x1F10B, 0x1F10F),
    (0x1F150, 0x1F169), (0x1F16D, 0x1F18F), (0x1F191, 0x1F1FF), (0x1F203, 0x1F20F), (0x1F23C, 0x1F23F),
    (0x1F249, 0x1F24F), (0x1F252, 0x1FBEF), (0x1FBFA, 0x2F7FF), (0x2FA1E, 0x10FFFF),
)


@cache
def _unstable():
    """A pattern finding characters outside the stable ranges, and every character beyond the BMP (so that
    the class is one bitmap lookup per character, not a walk through the ranges); compiled once, ~5 ms."""
    bmp = "".join(f"\\u{a:04x}-\\u{min(b, 0xFFFF):04x}" for a, b in _STABLE_RANGES if a <= 0xFFFF)
    return re.compile("[^" + bmp + "]")


_translated = 0  # texts folded through the table; past a few, the pattern pays for its compilation


class _Identity:
    """The position map of a text whose normal form has its length: position i came from i."""

    __slots__ = ("length",)

    def __init__(self, length: int):
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(range(self.length)[index])
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("position out of range")
        return index

    def __iter__(self):
        return iter(range(self.length))

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, _Identity)) else NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"identity({self.length})"


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    # origin[i] = index in `original` of the character that produced text[i]
    origin: tuple[int, ...] | _Identity

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normal form back to the original text."""
        origin = self.origin
        size = len(origin)
        if not size:
            return (0, 0)
        start = min(max(start, 0), size - 1)
        last = min(max(end - 1, start), size - 1)
        if origin.__class__ is _Identity:
            return start, last + 1
        return origin[start], origin[last] + 1


def _fold(text: str) -> str:
    global _translated
    if text.isascii():
        return text.lower()
    if "\u03a3" not in text and unicodedata.is_normalized("NFKC", text):
        # every character of an NFKC text is its own NFKC; str.lower is per character but for Σ
        return text.lower()
    if _translated < 16 or unicodedata.unidata_version != _STABLE_VERSION:
        _translated += 1
        return text.translate(_FOLD)
    # Replace each distinct unstable character by its fold, then lower-case the whole: a fold is lower
    # case and holds only stable characters, so no replacement can touch another's output, and lower
    # case is idempotent (both checked for every character by tests/test_text_fast_paths.py).
    for char in set(_unstable().findall(text)):
        text = text.replace(char, _FOLD[ord(char)])
    return text.lower()


def _origin(text: str, folded: str) -> tuple[int, ...] | _Identity:
    if len(folded) == len(text):
        return _Identity(len(text))  # every character folds to one character (none folds to nothing)
    positions = sorted(i for char in _RESIZING.intersection(text) for i in _find_all(text, char))
    origin: list[int] = []
    previous = 0
    for index in positions:
        origin.extend(range(previous, index))
        origin.extend([index] * len(_FOLD[ord(text[index])]))
        previous = index + 1
    origin.extend(range(previous, len(text)))
    return tuple(origin)


def _find_all(text: str, char: str):
    index = text.find(char)
    while index != -1:
        yield index
        index = text.find(char, index + 1)


def _simplify(folded: str) -> str:
    if folded.isascii() or max(folded) < _FIRST_CONVERTIBLE:
        return folded
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):
        # A phrase conversion changed the length; convert character by character
        # so that positions still line up.
        simplified = folded.translate(_SCRIPT)
    return simplified


# Texts whose scans (money, dates, durations, each lexicon) are kept: enough for every text of the
# campaigns being audited (the rules ask about each many times), few enough that a batch of any size runs in
# constant memory when no two campaigns share a text (a real archive).
TEXTS_CACHED = 128


@lru_cache(maxsize=256)
def normalize(text: str) -> Normalized:
    """Normal form of `text`; cached (a few campaigns may share boilerplate; each campaign's views hold
    their own)."""
    folded = _fold(text)
    if text.isascii():
        return Normalized(text, folded, _Identity(len(text)))
    if len(folded) != len(text):
        # _fold may have taken a whole-string path: make sure the table knows every resizing character
        for char in set(text):
            _FOLD[ord(char)]
    return Normalized(text, _simplify(folded), _origin(text, folded))


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Just the normal-form string (for lexicon entries and comparisons)."""
    return normalize(text).text
