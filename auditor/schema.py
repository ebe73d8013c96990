"""Schema validation: every violation becomes a located `schema` finding.

Messages are written for the marketer who fills in the campaign; the raw
jsonschema text is kept as evidence for the engineer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditor.messages import Join, T
from auditor.resources import data_dir
from auditor.sourcemap import pointer_of


@cache
def campaign_schema() -> dict:
    with open(data_dir("schemas") / "campaign.schema.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def fast_validator():
    """jsonschema-rs (Rust): a validity verdict in microseconds. Full, located error details come
    from `jsonschema` only for the documents it rejects; tests hold both to the same verdict."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(campaign_schema(), validate_formats=True)


@cache
def validator():
    import jsonschema

    schema = campaign_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _subschema_at(parts: tuple[str, ...]) -> dict | None:
    """The schema of the value at a path of property names (lists stepped through)."""
    root = campaign_schema()
    node: dict | None = root
    for part in parts:
        node = _resolve(node)
        if node is None:
            return None
        if node.get("type") == "array":
            node = _resolve(node.get("items"))
            if node is None:
                return None
        node = (node.get("properties") or {}).get(part)
    return _resolve(node)


def _resolve(node):
    root = campaign_schema()
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/$defs/"):
        merged = dict(root["$defs"][node["$ref"].split("/")[-1]])
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        node = merged
    return node


@cache
def field_kind(parts: tuple[str, ...]) -> str:
    """How a spreadsheet cell for this field is read: integer, number, boolean, date, list or string."""
    node = _subschema_at(parts)
    if not node:
        return "string"
    kind = node.get("type")
    if kind == "array":
        return "list"
    if kind in ("integer", "number", "boolean"):
        return kind
    if node.get("format") == "date":
        return "date"
    return "string"


# What to call a JSON type in a message (translated through the report catalogues).
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields",
}


def _field_name(path) -> str:
    named = [str(p) for p in path if not isinstance(p, int)]
    return named[-1] if named else "campaign"


def _missing_field(error) -> str:
    return error.message.split("'")[1] if "'" in error.message else "?"


def _required(error, path, custom):
    missing = _missing_field(error)
    pointer = pointer_of(path + [missing])
    if custom:
        return pointer, T(custom)
    if path:
        return pointer, T("missing required field `{field}` in {where}", field=missing, where=pointer_of(path))
    return pointer, T("missing required field `{field}`", field=missing)


def _unknown_fields(error, path, name):
    extras = sorted(set(error.instance) - set(error.schema.get("properties") or {}))
    extras = [e for e in extras if not e.startswith("x-")]
    allowed = ", ".join(sorted(error.schema.get("properties") or {}))
    pointer = pointer_of(path + [extras[0]]) if extras else pointer_of(path)
    return pointer, T("unknown field {fields}: check the spelling (allowed here: {allowed}; free-form extensions "
                      "start with `x-`)", fields=", ".join(f"`{e}`" for e in extras), allowed=allowed)


def _enum(error, name):
    options = Join([T(str(o)) for o in error.validator_value], ", ")  # each choice by its translated name
    return T("`{field}` is {value}, which is not one of: {options}", field=name,
             value=json.dumps(error.instance, ensure_ascii=False), options=options)


def _wrong_type(error, name):
    wanted = error.validator_value
    wanted = Join([T(_TYPE_WORDS[w]) if w in _TYPE_WORDS else w
                   for w in (wanted if isinstance(wanted, list) else [wanted])], " or ")
    return T("`{field}` should be {kind}, not {value}", field=name, kind=wanted,
             value=json.dumps(error.instance, ensure_ascii=False)[:60])


def _pattern(error, name):
    if name == "id":
        return T("`id` may hold only letters, digits, `.`, `_` and `-`, at most 64 characters")
    if name == "currency":
        return T("`currency` should be a three-letter ISO 4217 code such as CNY, TWD, GBP or USD")
    if name == "language":
        return T("`language` should be a language tag such as zh-CN, zh-TW or en")
    return T("`{field}` does not have the expected form ({pattern})", field=name, pattern=error.validator_value)


def _format(error, name):
    if error.validator_value != "date":
        return T("`{field}`: {detail}", field=name, detail=error.message)
    return T("`{field}` should be a real date written YYYY-MM-DD (e.g. 2026-03-01), not {value}",
             field=name, value=repr(error.instance))


# Marketer messages by jsonschema validator: (error, field name) -> message.
_VALUE_MESSAGES = {
    "enum": _enum,
    "const": lambda e, name: T("`{field}` must be {value}", field=name, value=json.dumps(e.validator_value)),
    "type": _wrong_type,
    "format": _format,
    "pattern": _pattern,
    "minimum": lambda e, name: T("`{field}` cannot be below {minimum}", field=name, minimum=e.validator_value),
    "minItems": lambda e, name: T("`{field}` needs at least {count} item(s)", field=name, count=e.validator_value),
    "minLength": lambda e, name: T("`{field}` cannot be empty", field=name),
    "uniqueItems": lambda e, name: T("`{field}` lists the same value twice", field=name),
}


def friendly_message(error) -> tuple[str, T]:
    """(pointer, message) for one jsonschema ValidationError; the message is translatable (`str()` is English)."""
    path = list(error.absolute_path)
    custom = (error.schema.get("x-messages") or {}).get(error.validator) if isinstance(error.schema, dict) else None
    if error.validator == "required":
        return _required(error, path, custom)
    pointer = pointer_of(path)
    if custom:
        return pointer, T(custom)
    name = _field_name(path)
    if error.validator == "additionalProperties":
        return _unknown_fields(error, path, name)
    describe = _VALUE_MESSAGES.get(error.validator)
    if describe is not None:
        return pointer, describe(error, name)
    return pointer, T("`{field}`: {detail}", field=name, detail=error.message)


# Validators whose error means "the value there is wrong" (not "a value is missing" or "a field is unknown"):
# the value cannot be read as the marketer meant it, so rules that read it are not judged on it. What the value
# must become, for the note on the schema finding:
_NEEDS = {
    "type": None,  # from the wanted type
    "enum": T("holds one of the listed values"),
    "const": T("holds the required value"),
    "format": T("is a real date"),
    "pattern": T("has the expected form"),
    "minimum": T("is in range"),
    "exclusiveMinimum": T("is in range"),
    "maximum": T("is in range"),
    "minLength": T("is filled in"),
    "minItems": T("is filled in"),
    "uniqueItems": T("lists each value once"),
}
_TYPE_NEEDS = {"number": T("is a number"), "integer": T("is a whole number"), "boolean": T("is TRUE or FALSE"),
               "string": T("is text"), "array": T("is a list"), "object": T("is a group of fields")}


def _need(error) -> T | None:
    """What a rejected value must become (None: the error is not about a value present in the document)."""
    if error.validator not in _NEEDS or (error.validator == "format" and error.validator_value != "date"):
        return None
    need = _NEEDS[error.validator]
    if need is None:
        wanted = error.validator_value
        wanted = wanted[0] if isinstance(wanted, list) and wanted else wanted
        need = _TYPE_NEEDS.get(wanted, T("has the right type"))
    return need


def rejected_values(document) -> dict[str, T]:
    """pointer -> what the value must become, for every value present in the document that the schema rejects
    (a wrong type, an unknown choice, a date that is not a date, a number out of range, ...). Findings computed
    from such a value are withheld until it is fixed (auditor.dependencies)."""
    return check(document)[1]


def _covers(pointer: str, examples) -> bool:
    return any(e == pointer or (pointer and e.startswith(pointer + "/")) for e in examples)


def check(document, examples=frozenset()) -> tuple[list[tuple[str, T, str]], dict[str, T]]:
    """One validation pass: (every violation as (pointer, marketer message, raw jsonschema message), sorted;
    the rejected values, as `rejected_values`).

    `examples`: pointers of workbook cells still holding a template example. A field missing because its cell
    still holds one (or a list empty because its rows are all examples) is not reported: the cell's own
    finding says what it holds."""
    try:
        if fast_validator().is_valid(document):
            return [], {}
    except (ValueError, TypeError, OverflowError):
        pass  # a value jsonschema-rs cannot represent (e.g. a huge integer): let jsonschema decide
    out: dict[tuple[str, str, str], T] = {}
    rejected: dict[str, T] = {}
    for error in validator().iter_errors(document):
        need = _need(error)
        if need is not None:
            rejected.setdefault(pointer_of(list(error.absolute_path)), need)
        pointer, message = friendly_message(error)
        if examples and error.validator in ("required", "minItems", "oneOf") and _covers(pointer, examples):
            continue
        out.setdefault((pointer, str(message), error.message[:300]), message)
    return [(pointer, out[(pointer, text, raw)], raw) for pointer, text, raw in sorted(out)], rejected


def iter_violations(document, examples=frozenset()) -> list[tuple[str, T, str]]:
    """Every schema violation as (pointer, marketer message, raw jsonschema message), sorted (see `check`)."""
    return check(document, examples)[0]


def schema_message_ids() -> set[str]:
    """The schema's own `x-messages` (catalogue entries, so they are translated like the rest)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "x-messages" and isinstance(value, dict):
                    found.update(v for v in value.values() if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(campaign_schema())
    return found


# --- the project's own files: configuration, waivers, checklists and the register ---------------------------
#
# Validated against their schemas (schemas/config, waivers, checklist, references .schema.json) with the same
# machinery as campaigns; the messages are plain English naming the key (the files are written by engineers
# and policy owners, and the errors are command-line errors, not findings). A schema node may carry
# `x-messages` {validator: template}; templates name `{key}` (dotted, relative to the list entry), `{name}`,
# `{value}`, `{limit}`, `{options}`, `{known}`, `{count}`, `{jurisdictions}` and what the loader adds.

PROJECT_SCHEMAS = {"config": "config.schema.json", "waivers": "waivers.schema.json",
                   "checklist": "checklist.schema.json", "references": "references.schema.json"}

_PLAIN = {
    "required": "`{key}` is required",
    "additionalProperties": "unknown key `{key}` (known: {known})",
    "enum": "`{key}` must be one of {options}, not {value}",
    "const": "`{key}` must be {limit}",
    "type": "`{key}` must be {kind}, not {value}",
    "minimum": "`{key}` must be at least {limit}",
    "maximum": "`{key}` must be at most {limit}",
    "minLength": "`{key}` cannot be empty",
    "minItems": "`{key}` needs at least {limit} item(s)",
    "maxItems": "`{key}` has {count} items; at most {limit} are accepted",
    "pattern": "`{key}` does not have the expected form ({limit})",
    "format": "`{key}` must be a real {limit}, e.g. 2026-12-31",
    "uniqueItems": "`{key}` lists the same value twice",
}
_PLAIN_TYPES = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
                "array": "a list", "object": "a mapping (a table in TOML)", "null": "empty"}


@dataclass(frozen=True)
class FileProblem:
    """One violation in a project file: the pointer to the offending key, the list entry it belongs to (its
    index, or None) and the message, naming the key relative to that entry."""

    pointer: str
    message: str
    entry: int | None = None
    rank: int = 3  # among problems on one line: the wrong type first, then unknown keys, missing keys, the rest


# Which problem of a line is told first (the loaders stop at the first, as the hand-written checks did).
_RANK = {"type": 0, "additionalProperties": 1, "required": 2}


def first_problem(problems: list[FileProblem], line: Callable[[str], int]) -> FileProblem:
    """The problem to tell first: the earliest in the file (`line`: pointer -> line), then by `rank`, then in the
    schema's order (missing keys as `required` lists them)."""
    order = {id(p): i for i, p in enumerate(problems)}
    return min(problems, key=lambda p: (line(p.pointer), p.rank, order[id(p)]))


@cache
def project_schema(kind: str) -> dict:
    """The bundled schema of a project file: `config`, `waivers`, `checklist` or `references`."""
    with open(project_schema_path(kind), encoding="utf-8") as fh:
        return json.load(fh)


def project_schema_path(kind: str) -> Path:
    return data_dir("schemas") / PROJECT_SCHEMAS[kind]


@cache
def _project_fast(kind: str):
    import jsonschema_rs

    return jsonschema_rs.validator_for(project_schema(kind), validate_formats=True)


@cache
def _project_full(kind: str):
    import jsonschema

    cls = jsonschema.Draft202012Validator
    return cls(project_schema(kind), format_checker=cls.FORMAT_CHECKER)


def project_problems(kind: str, document, entries: str | None = None, **context) -> list[FileProblem]:
    """Every violation of the project file schema `kind` by `document`, one message each.

    `entries` names the list whose items are entries (`rules`, `waivers`, `references`; "" when the document
    itself is the list): a key inside an entry is named relative to it and the problem carries the entry's
    index. `context` adds template parameters (e.g. `file`)."""
    try:
        if _project_fast(kind).is_valid(document):
            return []
    except (ValueError, TypeError, OverflowError):
        pass  # a value jsonschema-rs cannot represent (a TOML date, a huge integer): jsonschema decides
    found: dict[tuple[str, str], FileProblem] = {}
    for error in _project_full(kind).iter_errors(document):
        problem = _project_problem(_specific(error), entries, context)
        found.setdefault((problem.pointer, problem.message), problem)
    return list(found.values())


def _specific(error):
    """For an `anyOf`/`oneOf` without a message of its own, the most relevant error of its branches."""
    from jsonschema.exceptions import best_match

    while error.validator in ("anyOf", "oneOf") and error.context and not _template(error, None):
        error = best_match(error.context)
    return error


def _template(error, missing: str | None) -> str | None:
    """The schema's own message for this error (`x-messages`), if any; for a missing key, the key's own first."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if missing is not None:
        own = ((schema.get("properties") or {}).get(missing) or {}).get("x-messages") or {}
        if "required" in own:
            return own["required"]
    return (schema.get("x-messages") or {}).get(error.validator)


def _offending_path(error) -> tuple[list, str | None]:
    """The path of the key the error is about (a missing or unknown key, a key not allowed by name)."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = _missing_field(error)
        return path + [missing], missing
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extras = [k for k in error.instance if k not in (error.schema.get("properties") or {})]
        return path + extras[:1], None
    if "propertyNames" in error.absolute_schema_path:
        return path + [error.instance], None
    return path, None


def _split_entry(path: list, entries: str | None) -> tuple[int | None, list]:
    if entries == "" and path and isinstance(path[0], int):
        return path[0], path[1:]
    if entries and len(path) > 1 and path[0] == entries and isinstance(path[1], int):
        return path[1], path[2:]
    return None, path


def _project_problem(error, entries: str | None, context: dict) -> FileProblem:
    from auditor.vocabulary import JURISDICTIONS

    path, missing = _offending_path(error)
    entry, relative = _split_entry(path, entries)
    named = [str(p) for p in relative if not isinstance(p, int)]
    limit = error.validator_value
    wanted = limit if isinstance(limit, list) else [limit]
    params = {
        "key": ".".join(named) or "(top)", "name": named[-1] if named else "", "value": repr(error.instance)[:80],
        "limit": f"{limit:,}" if isinstance(limit, int) and not isinstance(limit, bool) else limit,
        "options": ", ".join(str(o) for o in wanted), "count": _count(error.instance),
        "known": ", ".join((error.schema.get("properties") or {}) if isinstance(error.schema, dict) else ()),
        "kind": " or ".join(_PLAIN_TYPES.get(str(w), str(w)) for w in wanted),
        "jurisdictions": ", ".join(JURISDICTIONS), **context,
    }
    template = _template(error, missing) or _PLAIN.get(error.validator, "`{key}`: {detail}")
    return FileProblem(pointer_of(path), template.format(detail=error.message, **params), entry,
                       _RANK.get(error.validator, 3))


def _count(instance) -> str:
    return f"{len(instance):,}" if isinstance(instance, (list, dict, str)) else ""


def validate_file(path: Path, kind: str | None = None) -> list[str]:
    """`file:line: message` for every schema violation of a configuration, waiver, checklist or register file
    (the kind from the name and contents when not given); [] when it is valid."""
    from auditor.load.yamlfile import load_yaml

    path = Path(path)
    if path.suffix == ".toml":
        return _validate_toml(path)
    loaded = load_yaml(path.read_bytes())
    if loaded.document is None:
        return [f"{path}:{p.location.line or 1}: {p.message}" for p in loaded.problems] or [f"{path}:1: empty file"]
    kind = kind or _kind_of(path, loaded.document)
    entries = {"waivers": "waivers" if isinstance(loaded.document, dict) else "", "checklist": "rules",
               "references": "references"}[kind]
    problems = project_problems(kind, loaded.document, entries, file=path.name)
    return [f"{path}:{loaded.sourcemap.locate(p.pointer).line or 1}: {p.message}" for p in problems]


def _kind_of(path: Path, document) -> str:
    if path.name == "references.yaml":
        return "references"
    if isinstance(document, dict) and "checklist" in document:
        return "checklist"
    return "waivers"


def _validate_toml(path: Path) -> list[str]:
    """A TOML configuration through the configuration loader (whose messages carry the line)."""
    from auditor.config import ConfigError, load

    try:
        load(path)
    except ConfigError as exc:
        return [str(exc)]
    return []


def main(argv: list[str] | None = None) -> int:
    """`python -m auditor.schema FILE...`: validate the project's own files against their schemas;
    `python -m auditor.schema --path KIND` prints where the bundled schema of KIND is."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m auditor.schema", description=main.__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="auditor.toml, pyproject.toml, waivers.yaml, checklists")
    parser.add_argument("--kind", choices=sorted(PROJECT_SCHEMAS), help="what the files are (default: from the name)")
    parser.add_argument("--path", choices=sorted(PROJECT_SCHEMAS), help="print the bundled schema's path and exit")
    args = parser.parse_args(argv)
    if args.path:
        print(project_schema_path(args.path))
        return 0
    messages = [m for file in args.files for m in validate_file(file, args.kind)]
    for message in messages:
        print(message)
    return 1 if messages else 0


if __name__ == "__main__":
    raise SystemExit(main())
