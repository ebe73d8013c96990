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
