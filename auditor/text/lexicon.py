"""Multi-pattern lexicon matching with an Aho-Corasick automaton.

Entries and text are matched in the normal form (simplified script, NFKC,
lower case), so one entry covers 联通/聯通 and ＥＥ/EE. Chinese has no word
boundaries; Latin-script entries get them (so `EE` never matches inside
`free`). Context rules keep ordinary words out: an entry may reject
matches followed or preceded by given strings (`电信` + `条例` is a law,
`联通` + `性` is "connectivity"), and matches inside 《...》 titles are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from auditor.text.normalize import TEXTS_CACHED, Normalized, norm


@dataclass(frozen=True)
class Entry:
    term: str
    key: str  # what the entry stands for, e.g. the canonical operator name
    weak: bool = False  # an ordinary word too: counts only with supporting context
    reject_after: tuple[str, ...] = ()
    reject_before: tuple[str, ...] = ()
    data: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class LexMatch:
    entry: Entry
    start: int  # in the normal form
    end: int

    @property
    def key(self) -> str:
        return self.entry.key


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "&_")


# The characters _is_word_char accepts, for the scanning loop.
_WORD = frozenset(chr(c) for c in range(128) if _is_word_char(chr(c)))


def _in_title(text: str, start: int) -> bool:
    """True when position `start` lies inside 《...》 (the title of a law or standard)."""
    opened = text.rfind("《", 0, start)
    return opened != -1 and text.rfind("》", opened, start) == -1


def _glued_before(text: str, start: int) -> bool:
    """Inside a word, or part of a product code such as 2000-EE."""
    before = text[start - 1]
    return before in _WORD or (before == "-" and start > 1 and text[start - 2] in _WORD)


def _glued_after(text: str, end: int) -> bool:
    """Inside a word, or part of a product code such as EE-2000."""
    after = text[end]
    return after in _WORD or (after == "-" and (end + 1 == len(text) or text[end + 1] in _WORD))


def _case_ending(text: str, end: int) -> bool:
    """A grammatical case ending glued to a name: Finnish `Elisan`, `Telialla`, `DNA:n`, Hungarian
    `Telekomnál`, `Vodafone-nál`, Polish `Playu`, `Orange'a`: one to three letters, then the word ends, so
    that `Elisabeth` is not `Elisa`."""
    at = end + 1 if text[end] in ":'’-" else end
    stop = at
    while stop < len(text) and stop - at <= 3 and text[stop].isalpha():
        stop += 1
    return 1 <= stop - at <= 3 and (stop == len(text) or not text[stop].isalnum())


def _hits(automaton, text: str, skip_titles: bool = True, inflected: bool = False):
    """(start, end, payload) of every automaton hit that is not part of a longer word, a product code
    or (unless asked) a title. Automaton values are (length, first is a word character, last is one, payload).
    `inflected`: the text's language declines names, so a case ending glued to a hit does not hide it."""
    size = len(text)
    titled = skip_titles and "《" in text
    for end_index, (length, word_first, word_last, payload) in automaton.iter(text):
        start, end = end_index - length + 1, end_index + 1
        if word_first and start > 0 and _glued_before(text, start):
            continue
        if word_last and end < size and _glued_after(text, end) and not (inflected and _case_ending(text, end)):
            continue
        if titled and _in_title(text, start):
            continue
        yield start, end, payload


def _automaton_of(values: dict[str, object]):
    """An automaton whose hits carry (length, word-first, word-last, value) for each form."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form, value in values.items():
        automaton.add_word(form, (len(form), _is_word_char(form[0]), _is_word_char(form[-1]), value))
    automaton.make_automaton()
    return automaton


def _resolve(text: str, raw) -> list[LexMatch]:
    """Matches from (start, end, entries) hits: the first entry whose context allows it, longest first
    where matches overlap, in text order."""
    candidates: list[LexMatch] = []
    for start, end, entries in raw:
        for entry, reject_after, reject_before in entries:
            if reject_after and text.startswith(reject_after, end):
                continue
            if reject_before and any(text.endswith(r, 0, start) for r in reject_before):
                continue
            candidates.append(LexMatch(entry, start, end))
            break
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[LexMatch] = []
    for match in candidates:
        if kept and match.start < kept[-1].end:
            continue  # inside (or overlapping) a longer match already kept
        kept.append(match)
    return kept


class Lexicon:
    def __init__(self, entries: list[Entry], in_titles: bool = False):
        self.entries = list(entries)
        # Matches inside 《…》 titles are skipped (a law's name is no claim) unless the lexicon's words count
        # there too: 《携号转网服务管理规定》 is about number porting.
        self.in_titles = in_titles
        self._cache: dict[str | tuple[str, bool], list[LexMatch]] = {}

    def __getstate__(self) -> dict:
        # Pickled into the rule-set cache (auditor.cache) with its automaton, without per-text results.
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def find_ready(self) -> Lexicon:
        """Build the automaton now (before worker processes fork, or before the lexicon is cached)."""
        self._automaton  # noqa: B018 (reading the cached property builds it)
        return self

    def forms(self) -> dict[str, tuple]:
        """Normal form -> its entries, each with its normalised context words (so that an automaton holding
        them is self-contained, and survives pickling)."""
        by_form: dict[str, list[tuple]] = {}
        for entry in self.entries:
            form = norm(entry.term)
            if form:
                by_form.setdefault(form, []).append((entry, tuple(n for n in map(norm, entry.reject_after) if n),
                                                     tuple(n for n in map(norm, entry.reject_before) if n)))
        return {form: tuple(entries) for form, entries in by_form.items()}

    @cached_property
    def _automaton(self):
        forms = self.forms()
        return _automaton_of(forms) if forms else None

    def find(self, normalized: Normalized, inflected: bool = False) -> list[LexMatch]:
        """Matches in the text, longest first where they overlap, in text order (cached per text).
        `inflected`: also names with a case ending glued on (for languages that decline them)."""
        text = normalized.text
        key = (text, True) if inflected else text
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= TEXTS_CACHED:
                # the oldest: a text of a campaign audited before (2,048 per lexicon, cleared when full, held
                # thousands of long texts alive on a varied archive, each lexicon filling at its own pace)
                del self._cache[next(iter(self._cache))]
            cached = self._cache[key] = self._find(text, inflected)
        return list(cached)

    def _find(self, text: str, inflected: bool = False) -> list[LexMatch]:
        automaton = self._automaton
        if automaton is None:
            return []
        return _resolve(text, _hits(automaton, text, skip_titles=not self.in_titles, inflected=inflected))


def _strings(values, where: str) -> tuple[str, ...]:
    values = tuple(values or ())
    for value in values:
        if not isinstance(value, str):
            raise ValueError(f"{where}: {value!r} is not text; quote it in the YAML")
    return values


def load_lexicon(data: list[dict]) -> Lexicon:
    """Build a lexicon from checklist YAML: a list of groups with `key` and `terms`.

    A term is a string, or a mapping with `term` and optional `weak`,
    `reject_after`, `reject_before`; a group may give `reject_after` and
    `reject_before` for all its terms and carry extra data.
    """
    entries = []
    for group in data:
        common_after = _strings(group.get("reject_after"), f"lexicon group {group.get('key')}")
        common_before = _strings(group.get("reject_before"), f"lexicon group {group.get('key')}")
        extra = {k: v for k, v in group.items() if k not in ("terms", "reject_after", "reject_before", "in_titles")}
        for term in group["terms"]:
            if not isinstance(term, dict):
                term = {"term": str(term)}
            entries.append(Entry(
                term=str(term["term"]),
                key=group["key"],
                weak=bool(term.get("weak", group.get("weak", False))),
                reject_after=common_after + _strings(term.get("reject_after"), f"lexicon term {term['term']}"),
                reject_before=common_before + _strings(term.get("reject_before"), f"lexicon term {term['term']}"),
                data=extra,
            ))
    return Lexicon(entries, in_titles=any(group.get("in_titles") for group in data))
