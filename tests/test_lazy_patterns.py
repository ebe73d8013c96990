"""auditor.text.lazy: the module-level patterns of the text and rule modules compile on first use (start-up,
issue #20) and then behave as the compiled pattern."""

from __future__ import annotations

import re

from auditor.text.lazy import lazy


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_the_compiled_one():
    source = r"(?P<n>\d+)\s?(元|eur)"
    pattern, compiled = lazy(source), re.compile(source)
    assert pattern._compiled is None and pattern.pattern == source
    text = "月费58元，另收 9 eur"
    assert pattern.search(text).span() == compiled.search(text).span()
    assert pattern._compiled is not None
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.findall(text) == compiled.findall(text)
    assert pattern.match(text, 2).group("n") == "58"
    assert pattern.fullmatch("58元") and not pattern.fullmatch("58元!")
    assert pattern.sub("#", text) == compiled.sub("#", text)
    assert pattern.search(text, 0, 3) is None


def test_the_rule_modules_declare_their_patterns_lazily():
    from auditor.checks import claims
    from auditor.text import context

    assert type(context._UNLIMITED).__name__ == "LazyPattern"
    assert type(claims._PART_BEFORE).__name__ == "LazyPattern"


# --- compiled programs kept in the per-user cache (start-up, issue #20) ---

import subprocess  # noqa: E402
import sys  # noqa: E402

from auditor.text import lazy as lazy_module  # noqa: E402
from auditor.text.lazy import LazyPattern, compile_cached  # noqa: E402


def _declared_patterns() -> list[LazyPattern]:
    """Every LazyPattern a module of the auditor declares at module level (rule modules included)."""
    import importlib
    import pkgutil

    import auditor
    from auditor.registry import functions

    functions()
    found = {}
    for info in pkgutil.walk_packages(auditor.__path__, "auditor."):
        if ".portal" in info.name:
            continue  # the web portal's optional dependencies need not be installed
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, LazyPattern):
                found[(value.pattern, value._flags)] = value
    return list(found.values())


def test_every_declared_pattern_rebuilt_from_its_program_is_the_pattern_re_compiles():
    patterns = _declared_patterns()
    assert len(patterns) > 100
    for declared in patterns:
        source, flags = declared.pattern, declared._flags
        _, program = lazy_module._compile_recording(source, flags)
        import _sre
        import pickle

        rebuilt = _sre.compile(source, *pickle.loads(pickle.dumps(program)))
        expected = re.compile(source, flags)
        # Pattern equality compares the flags, the source and the compiled code word by word
        assert rebuilt == expected, source[:80]
        assert rebuilt.groupindex == expected.groupindex and rebuilt.groups == expected.groups


_RUN = """
import sys
from auditor.text import lazy
sources = [r"(?P<n>\\d+)\\s?(元|eur)", r"(?i)unlimited|无限", "[\\u2e80-\\u9fff]"]
patterns = [lazy.compile_cached(s) for s in sources]
print(len(lazy._MISSES), [p.search("月费58元 UNLIMITED") and p.search("月费58元 UNLIMITED").span() for p in patterns])
"""


def _run(env_extra, monkeypatch):
    import os

    env = {name: value for name, value in os.environ.items() if name != "AUDITOR_NO_CACHE"}
    env.update(env_extra)
    done = subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def test_a_second_process_rebuilds_the_patterns_from_the_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    first = _run({"AUDITOR_CACHE_DIR": str(folder)}, monkeypatch)
    assert first.startswith("3 ")  # compiled, and written at exit
    assert len(list(folder.glob("patterns-*.pickle"))) == 1
    second = _run({"AUDITOR_CACHE_DIR": str(folder)}, monkeypatch)
    assert second.startswith("0 ")  # every program found
    assert second[2:] == first[2:]  # and they match alike


def test_with_the_cache_off_nothing_is_kept(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    out = _run({"AUDITOR_CACHE_DIR": str(folder), "AUDITOR_NO_CACHE": "1"}, monkeypatch)
    assert out.startswith("0 ")
    assert not folder.exists() or not list(folder.glob("patterns-*.pickle"))


def test_a_bad_program_in_the_table_falls_back_to_compiling(monkeypatch):
    source = r"(?P<n>\d+)\s?GB"
    table = {(source, 0): (32, [1, 2, 3, 99999], 0, {}, (None,))}  # code _sre rejects
    monkeypatch.setattr(lazy_module, "_PROGRAMS", table)
    monkeypatch.setattr(lazy_module, "_MISSES", [])
    pattern = compile_cached(source)
    assert pattern == re.compile(source)
    assert pattern.search("30 GB").group("n") == "30"
