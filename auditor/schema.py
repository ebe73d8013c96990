"""Schema validation: every violation becomes a located `schema` finding.

Messages are written for the marketer who fills in the campaign; the raw
jsonschema text is kept as evidence for the engineer.
"""

from __future__ import annotations

import json
from functools import cache

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


def friendly_message(error) -> tuple[str, T]:
    """(pointer, message) for one jsonschema ValidationError; the message is translatable (`str()` is English)."""
    path = list(error.absolute_path)
    pointer = pointer_of(path)
    custom = (error.schema.get("x-messages") or {}).get(error.validator) if isinstance(error.schema, dict) else None
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        pointer = pointer_of(path + [missing])
        if custom:
            return pointer, T(custom)
        if path:
            return pointer, T("missing required field `{field}` in {where}", field=missing, where=pointer_of(path))
        return pointer, T("missing required field `{field}`", field=missing)
    if custom:
        return pointer, T(custom)
    name = _field_name(path)
    if v == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties") or {}))
        extras = [e for e in extras if not e.startswith("x-")]
        allowed = ", ".join(sorted(error.schema.get("properties") or {}))
        if extras:
            pointer = pointer_of(path + [extras[0]])
        return pointer, T("unknown field {fields}: check the spelling (allowed here: {allowed}; free-form extensions "
                          "start with `x-`)", fields=", ".join(f"`{e}`" for e in extras), allowed=allowed)
    if v == "enum":
        options = Join([T(str(o)) for o in error.validator_value], ", ")  # each choice by its translated name
        return pointer, T("`{field}` is {value}, which is not one of: {options}", field=name,
                          value=json.dumps(error.instance, ensure_ascii=False), options=options)
    if v == "const":
        return pointer, T("`{field}` must be {value}", field=name, value=json.dumps(error.validator_value))
    if v == "type":
        wanted = error.validator_value
        wanted = Join([T(_TYPE_WORDS[w]) if w in _TYPE_WORDS else w
                       for w in (wanted if isinstance(wanted, list) else [wanted])], " or ")
        return pointer, T("`{field}` should be {kind}, not {value}", field=name, kind=wanted,
                          value=json.dumps(error.instance, ensure_ascii=False)[:60])
    if v == "format" and error.validator_value == "date":
        return pointer, T("`{field}` should be a real date written YYYY-MM-DD (e.g. 2026-03-01), not {value}",
                          field=name, value=repr(error.instance))
    if v == "pattern":
        if name == "id":
            return pointer, T("`id` may hold only letters, digits, `.`, `_` and `-`, at most 64 characters")
        if name == "currency":
            return pointer, T("`currency` should be a three-letter ISO 4217 code such as CNY, TWD, GBP or USD")
        if name == "language":
            return pointer, T("`language` should be a language tag such as zh-CN, zh-TW or en")
        return pointer, T("`{field}` does not have the expected form ({pattern})", field=name,
                          pattern=error.validator_value)
    if v == "minimum":
        return pointer, T("`{field}` cannot be below {minimum}", field=name, minimum=error.validator_value)
    if v == "minItems":
        return pointer, T("`{field}` needs at least {count} item(s)", field=name, count=error.validator_value)
    if v == "minLength":
        return pointer, T("`{field}` cannot be empty", field=name)
    if v == "uniqueItems":
        return pointer, T("`{field}` lists the same value twice", field=name)
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
    out = {}
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
