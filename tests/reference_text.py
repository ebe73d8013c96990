"""The text analysis as it was defined before it was made fast (issue 20), kept as the reference the fast
paths are held to (tests/test_text_fast_paths.py): one character at a time, every position tried.

`installed()` swaps these into the auditor for a whole audit, so that a report can be compared byte for
byte with the fast one.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

from auditor.text.normalize import Normalized, to_simplified


def normalize(text: str) -> Normalized:
    """The normal form by its definition: each character folded on its own (NFKC, then lower case), the
    folded text converted to simplified script, character by character if that changed its length."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        pieces.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(pieces)
    simplified = to_simplified(folded_text)
    if len(simplified) != len(folded_text):
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in folded_text)
    return Normalized(text, simplified, tuple(origin))


def without_lookahead(pattern: re.Pattern) -> re.Pattern:
    """The pattern as it was: without the leading `(?=[first characters])(?:` ... `)` the fast version
    wraps it in, and with greedy quantifiers where the fast version has possessive ones (`++`, `{1,3}+`)."""
    source = pattern.pattern
    head = source.index(")(?:") + len(")(?:")
    assert source.startswith("(?=[") and source.endswith(")"), source[:40]
    return re.compile(re.sub(r"(?<=[+}])\+", "", source[head:-1]), pattern.flags)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    from auditor.checks._util import _SENTENCE_END

    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    return left, right


def states_amount(normalized, amount, currency):
    from auditor.text.money import find_money

    if amount is None:
        return None
    for money in find_money(normalized):
        if money.matches(amount, currency):
            return money
    return None


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "&_")


_AUTOMATONS: dict[int, object] = {}


def lexicon_find(lexicon, text: str, inflected: bool = False) -> list:
    """Lexicon matches by the original loop, over an automaton of the lexicon's own forms (`inflected`: a case
    ending glued to a name, in languages that decline names, does not hide it)."""
    import ahocorasick

    from auditor.text.lexicon import LexMatch, _case_ending, _in_title

    automaton = _AUTOMATONS.get(id(lexicon))
    if automaton is None:
        automaton = ahocorasick.Automaton()
        forms = lexicon.forms()
        for form, entries in forms.items():
            automaton.add_word(form, (form, entries))
        if forms:
            automaton.make_automaton()
        _AUTOMATONS[id(lexicon)] = automaton = automaton if forms else False
    if automaton is False:
        return []
    candidates = []
    for end_index, (form, entries) in automaton.iter(text):
        start, end = end_index - len(form) + 1, end_index + 1
        if _is_word_char(form[0]) and start > 0 and _is_word_char(text[start - 1]):
            continue
        declined = inflected and end < len(text) and _case_ending(text, end)
        if _is_word_char(form[-1]) and end < len(text) and _is_word_char(text[end]) and not declined:
            continue
        if (_is_word_char(form[-1]) and text[end:end + 1] == "-" and _is_word_char(text[end + 1:end + 2])
                and not declined):
            continue
        if _is_word_char(form[0]) and start > 1 and text[start - 1] == "-" and _is_word_char(text[start - 2]):
            continue
        if not lexicon.in_titles and _in_title(text, start):  # a lexicon that reads titles keeps these
            continue
        for entry, reject_after, reject_before in entries:
            if reject_after and text.startswith(reject_after, end):
                continue
            if reject_before and any(text.endswith(r, 0, start) for r in reject_before):
                continue
            candidates.append(LexMatch(entry, start, end))
            break
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept = []
    for match in candidates:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


def clear_caches() -> None:
    from auditor.checks import _util
    from auditor.text import dates, money
    from auditor.text import normalize as fast

    for function in (fast.normalize, fast.norm, money._find_money, dates._find_dates, dates._find_durations,
                     dates._date_matches, _util._sentence_ends):
        function.cache_clear()


@contextlib.contextmanager
def installed(monkeypatch):
    """The reference implementations in place of the fast ones, for everything audited inside."""
    from functools import lru_cache

    from auditor.checks import _util
    from auditor.text import context, dates, lexicon, money
    from auditor.text import normalize as fast

    clear_caches()
    with monkeypatch.context() as patch:
        slow = lru_cache(maxsize=None)(normalize)
        patch.setattr(fast, "normalize", slow)
        patch.setattr(fast, "norm", lru_cache(maxsize=None)(lambda text: slow(text).text))
        for module, name in ((money, "_MONEY"), (dates, "_DATE"), (dates, "_DURATION"), (context, "_BASIS"),
                             (context, "_UNLIMITED"), (context, "_LIMIT")):
            patch.setattr(module, name, without_lookahead(getattr(module, name)))
        patch.setattr(_util, "sentence_bounds", sentence_bounds)
        patch.setattr(_util, "states_amount", states_amount)
        patch.setattr(lexicon.Lexicon, "_find", lambda self, text, inflected=False: lexicon_find(self, text, inflected))
        # modules that imported the functions by name
        import auditor.campaign as campaign
        import auditor.checks.competitors as competitors
        import auditor.checks.terms as terms

        patch.setattr(campaign, "normalize", slow)
        for module in (competitors, terms):
            if hasattr(module, "norm"):
                patch.setattr(module, "norm", fast.norm)
        for name, function in (("sentence_bounds", sentence_bounds), ("states_amount", states_amount)):
            for module in _modules_importing(name):
                patch.setattr(module, name, function)
        yield
    clear_caches()


def _modules_importing(name: str) -> list:
    import sys

    return [module for module_name, module in list(sys.modules.items())
            if module_name.startswith("auditor.") and module is not None
            and getattr(module, name, None) is not None and module_name != "auditor.checks._util"]
