"""Findings that depend on a value the schema rejected are withheld until the value is fixed.

A typo in one cell (`30元` in Fees!C2) is one mistake: the schema finding says so at its cell. Rules read the
rejected value as missing, so without this they would add findings computed from a value the auditor could not
read (a critical "no price after the term", a price that "matches no fee"), and one typo would raise the
campaign's risk. Which rules depend on which values is found generally, not rule by rule: a rule that hit is run
again on a view of the campaign whose document records every value read; a hit is withheld when its pointer or
any value its rule read touches a rejected pointer. The rule's outcome becomes `unknown`, and the schema finding
says which rules are checked again once its value is fixed.
"""

from __future__ import annotations

from auditor.sourcemap import pointer_of


def _escape(key) -> str:
    return pointer_of([key])


class _Sink:
    """Where a tracked document records reads; one copy of the document serves every run (a new set each)."""

    __slots__ = ("reads",)

    def __init__(self, reads: set):
        self.reads = reads


class _Dict(dict):
    """A document mapping that records the pointer of every value read through it."""

    __slots__ = ("_pointer", "_sink")
    _pointer: str
    _sink: _Sink

    def _note(self, key, value):
        pointer = self._pointer + _escape(key)
        # a mapping or list read is recorded with a trailing `/`: reading it does not read what is inside
        self._sink.reads.add(pointer + "/" if isinstance(value, (_Dict, _List)) else pointer)
        return value

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return self._note(key, dict.__getitem__(self, key))
        return default

    def __getitem__(self, key):
        return self._note(key, dict.__getitem__(self, key))

    def items(self):
        return [(k, self._note(k, v)) for k, v in dict.items(self)]

    def values(self):
        return [self._note(k, v) for k, v in dict.items(self)]


class _List(list):
    __slots__ = ("_pointer", "_sink")
    _pointer: str
    _sink: _Sink

    def _note(self, index, value):
        pointer = f"{self._pointer}/{index}"
        self._sink.reads.add(pointer + "/" if isinstance(value, (_Dict, _List)) else pointer)
        return value

    def __iter__(self):
        for index, value in enumerate(list.__iter__(self)):
            yield self._note(index, value)

    def __getitem__(self, index):
        value = list.__getitem__(self, index)
        if isinstance(index, slice):
            for position in range(*index.indices(len(self))):
                self._sink.reads.add(f"{self._pointer}/{position}")
            return value
        return self._note(index if index >= 0 else len(self) + index, value)


def tracked(value, reads: set | _Sink, pointer: str = ""):
    """A copy of a JSON-like document whose mappings and lists add each pointer read to `reads`."""
    sink = reads if isinstance(reads, _Sink) else _Sink(reads)
    out: _Dict | _List
    if type(value) is dict:
        out = _Dict((k, tracked(v, sink, pointer + _escape(k))) for k, v in value.items())
    elif type(value) is list:
        out = _List(tracked(v, sink, f"{pointer}/{i}") for i, v in enumerate(value))
    else:
        return value
    out._pointer, out._sink = pointer, sink
    return out


def touches(pointer: str, rejected: str) -> bool:
    """A value read (or reported) at `pointer` depends on the rejected one: the same value, one inside it or one
    holding it. A pointer ending in `/` is a mapping or list that was only looked at, not read through: it
    depends on a rejected value only when it is that value or inside it."""
    if not pointer or not rejected:
        return False
    if pointer.endswith("/"):
        return pointer == rejected + "/" or pointer.startswith(rejected + "/")
    return pointer == rejected or pointer.startswith(rejected + "/") or rejected.startswith(pointer + "/")


class _Tracker:
    """One tracked copy of the document (made on first use), run again for each check that needs it."""

    def __init__(self, document: dict):
        self.document = document
        self.sink = _Sink(set())
        self.copy = None

    def reads_of(self, run) -> set[str]:
        """Every pointer `run(tracked document)` reads (nothing when it fails on the tracked view)."""
        if self.copy is None:
            self.copy = tracked(self.document, self.sink)
        reads = self.sink.reads = set()
        try:
            result = run(self.copy)
            if result is not None and not isinstance(result, list):
                for _ in result:  # a rule is a generator: read as far as it goes
                    pass
        except Exception:  # noqa: BLE001 - it already ran once; a failure here only means "withhold nothing"
            return set()
        return reads


def _touched(reads: set[str], rejected: set[str]) -> set[str]:
    """The rejected pointers that any read touches: the read itself, or a rejected value holding it. (Nothing
    lies inside a value read as a leaf; a mapping or list read as such, `…/`, is not read through.)"""
    out: set[str] = set()
    for read in reads:
        probe = read[:-1] if read.endswith("/") else read
        while probe:
            if probe in rejected:
                out.add(probe)
            probe = probe.rsplit("/", 1)[0]
    return out


def rule_runner(function, params, file_texts: dict, extra_own_names):
    """How a rule is run again on a tracked document (a fresh campaign view, so every read is seen)."""
    from auditor.campaign import Campaign

    return lambda document: function(Campaign(document, file_texts=file_texts, extra_own_names=extra_own_names),
                                      params)


def withhold(document: dict, groups: list, rejected: dict) -> tuple[list, dict[str, set[str]]]:
    """(findings kept, rejected pointer -> ids of the checks withheld because of it).

    `groups`: (findings, run) per rule or integrity check that produced findings, where `run(document)` computes
    them again (it is called on a tracked copy only when a finding's own pointer does not already decide)."""
    if not rejected:
        return [f for findings, _ in groups for f in findings], {}
    tracker = _Tracker(document)
    rejected_set = set(rejected)
    inside: dict[str, set[str]] = {}  # pointer -> the rejected pointers below it
    for pointer in rejected_set:
        probe = pointer.rsplit("/", 1)[0]
        while probe:
            inside.setdefault(probe, set()).add(pointer)
            probe = probe.rsplit("/", 1)[0]
    kept: list = []
    waiting: dict[str, set[str]] = {}
    for findings, run in groups:
        read_touched = None
        for finding in findings:
            where = finding.location.pointer  # a finding about a rejected value, or about what holds one
            touched = _touched({where}, rejected_set) | inside.get(where, set()) if where else set()
            if not touched:
                if read_touched is None:
                    read_touched = _touched(tracker.reads_of(run), rejected_set)
                touched = read_touched
            if not touched:
                kept.append(finding)
                continue
            for pointer in touched:
                waiting.setdefault(pointer, set()).add(finding.rule)
    return kept, waiting


def note_waiting(schema_findings: list, waiting: dict[str, set[str]], rejected: dict) -> list:
    """The schema findings, each rejected value's first one saying which checks wait for it to be fixed."""
    from dataclasses import replace

    from auditor.messages import Join, T

    noted, out = set(), []
    for finding in schema_findings:
        pointer = finding.location.pointer
        if pointer in waiting and pointer not in noted:
            noted.add(pointer)
            where = finding.location.describe() if finding.location.cell else (pointer or "/")
            message = T("{message}; what depends on it ({rules}) is checked again once {where} {need}",
                        message=finding.message_t if finding.message_t is not None else finding.message,
                        rules=Join(sorted(waiting[pointer]), ", "), where=where, need=rejected[pointer])
            finding = replace(finding, message=str(message), message_t=message)
        out.append(finding)
    return out
