"""Regular expressions compiled when first used rather than at import.

The text and rule modules hold about ninety module-level patterns. Compiling them all at import cost 35–40 ms
of every start (docs/performance.md), although a one-file run uses about half of them. A `LazyPattern` is
declared where `re.compile` was and behaves as the compiled pattern for the methods the auditor uses; it
compiles on the first call and keeps the result, so a long run pays once per process, as before.

Compiling is still 30-50 ms of a one-file run (issue #20: the money, number, date and lexicon patterns take
2-6 ms each, almost all of it in `re`'s pure-Python parser). So the compiled programs are kept in the per-user
cache (auditor.cache, next to the parsed checklists): for each pattern, what `re._compiler.compile` hands to
`_sre.compile` (flags, the code list, the groups). A later run rebuilds the pattern from that in microseconds.
`_sre.compile` is CPython's internal constructor, so the table is keyed by the exact Python build and `_sre`'s
MAGIC, `_sre` validates every code list it is given, any failure falls back to `re.compile`, and
tests/test_lazy_patterns.py checks that every rebuilt pattern equals (same code) the one `re.compile` makes.
`AUDITOR_NO_CACHE=1` turns it off with the rest of the cache.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# (source, flags) -> the arguments of `_sre.compile` after the source; None until first needed
_PROGRAMS: dict[tuple[str, int], tuple] | None = None
_MISSES: list[tuple[str, int]] = []  # compiled in this process and not found in the table
_USED: set[tuple[str, int]] = set()
CACHE_NAME = "patterns"
MAX_PROGRAMS = 3000  # past this, a save keeps only what this process used (old sources of edited patterns)


class LazyPattern:
    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int = 0):
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = compile_cached(self._source, self._flags)
        return compiled

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r})"


def lazy(source: str, flags: int = 0) -> LazyPattern:
    """A pattern compiled on its first use (see the module's docstring)."""
    return LazyPattern(source, flags)


def compile_cached(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, rebuilt from the per-user cache when its program is there."""
    key = (source, flags)
    programs = _programs()
    _USED.add(key)
    program = programs.get(key)
    if program is not None:
        try:
            import _sre

            return _sre.compile(source, *program)
        except Exception:  # a table from another build slipped through: compile as usual
            programs.pop(key, None)
    try:
        pattern, program = _compile_recording(source, flags)
    except Exception:  # `re`'s internals moved (another Python): no cache, same pattern
        return re.compile(source, flags)
    if _digest() is not None:
        if not _MISSES:
            import atexit

            atexit.register(save)
        programs[key] = program
        _MISSES.append(key)
    return pattern


def _compile_recording(source: str, flags: int) -> tuple[re.Pattern[str], tuple]:
    """What `re._compiler.compile` does, keeping the arguments it hands to `_sre.compile`."""
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(source, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses pickle cannot rebuild
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    program = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    return _sre.compile(source, *program), program


def _digest() -> str | None:
    """The cache key of this Python build's table, or None when the cache is off (asked on every miss: a test
    may turn the cache off between two compilations)."""
    from auditor import cache

    return None if cache.directory() is None else _table_key()


@functools.cache
def _table_key() -> str:
    """The key itself, hashed once per process: it depends only on the auditor and the Python build."""
    import _sre

    from auditor import cache

    return cache.key(CACHE_NAME, _sre.MAGIC, _sre.CODESIZE, sys.implementation.cache_tag)


def _programs() -> dict[tuple[str, int], tuple]:
    global _PROGRAMS
    if _PROGRAMS is None:
        _PROGRAMS = {}
        digest = _digest()
        if digest is not None:
            from auditor import cache

            loaded = cache.get(CACHE_NAME, digest)
            if isinstance(loaded, dict):
                _PROGRAMS = loaded
    return _PROGRAMS


def save() -> None:
    """Write the table back when this process compiled patterns it did not hold (at exit)."""
    digest = _digest()
    if not _MISSES or _PROGRAMS is None or digest is None:
        return
    from auditor import cache

    table = _PROGRAMS
    if len(table) > MAX_PROGRAMS:
        table = {key: program for key, program in table.items() if key in _USED}
    cache.put(CACHE_NAME, digest, table)
    _MISSES.clear()
