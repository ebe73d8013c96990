"""Resolve rule parameters: `lexicon:NAME` values become compiled lexicons."""

from __future__ import annotations

from auditor.text.lexicon import Lexicon, load_lexicon

_LEXICONS: dict[tuple, Lexicon] = {}


def lexicon(ruleset, name: str, extra_terms: tuple[str, ...] = ()) -> Lexicon:
    """The compiled lexicon `name` of a rule set (plus configured extra terms), compiled once per process."""
    if not extra_terms and name in ruleset.compiled_lexicons:
        return ruleset.compiled_lexicons[name]
    key = (ruleset.digest, name, extra_terms)
    compiled = _LEXICONS.get(key)
    if compiled is None:
        if name not in ruleset.lexicons:
            raise KeyError(f"no lexicon named {name!r} in checklists/lexicons/")
        groups = list(ruleset.lexicons[name]) + [{"key": term, "terms": [term]} for term in extra_terms]
        compiled = _LEXICONS[key] = load_lexicon(groups)
    return compiled


def resolve_params(params: dict, ruleset, options) -> dict:
    resolved = {}
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("lexicon:"):
            name = value.split(":", 1)[1]
            extra = tuple(options.extra_lexicon_terms.get(name, ()))
            resolved[key] = lexicon(ruleset, name, extra)
        else:
            resolved[key] = value
    return resolved
