"""Schema validation: every violation becomes a located `schema` finding.

Messages are written for the marketer who fills in the campaign; the raw
jsonschema text is kept as evidence for the engineer.
"""

from __future__ import annotations

import json
from functools import cache

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


# What to call a JSON type in a message.
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


def friendly_message(error) -> tuple[str, str]:
    """(pointer, message) for one jsonschema ValidationError."""
    path = list(error.absolute_path)
    pointer = pointer_of(path)
    custom = (error.schema.get("x-messages") or {}).get(error.validator) if isinstance(error.schema, dict) else None
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        pointer = pointer_of(path + [missing])
        return pointer, custom or f"missing required field `{missing}`" + (
            f" in {pointer_of(path)}" if path else "")
    if custom:
        return pointer, custom
    name = _field_name(path)
    if v == "additionalProperties":
        extras = sorted(set(error.instance) - set((error.schema.get("properties") or {})))
        extras = [e for e in extras if not e.startswith("x-")]
        allowed = ", ".join(sorted(error.schema.get("properties") or {}))
        if extras:
            pointer = pointer_of(path + [extras[0]])
        return pointer, (f"unknown field {', '.join('`%s`' % e for e in extras)}: check the spelling "
                         f"(allowed here: {allowed}; free-form extensions start with `x-`)")
    if v == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return pointer, f"`{name}` is {json.dumps(error.instance, ensure_ascii=False)}, which is not one of: {options}"
    if v == "const":
        return pointer, f"`{name}` must be {json.dumps(error.validator_value)}"
    if v == "type":
        wanted = error.validator_value
        wanted = " or ".join(_TYPE_WORDS.get(w, w) for w in (wanted if isinstance(wanted, list) else [wanted]))
        return pointer, f"`{name}` should be {wanted}, not {json.dumps(error.instance, ensure_ascii=False)[:60]}"
    if v == "format" and error.validator_value == "date":
        return pointer, f"`{name}` should be a real date written YYYY-MM-DD (e.g. 2026-03-01), not {error.instance!r}"
    if v == "pattern":
        if name == "id":
            return pointer, "`id` may hold only letters, digits, `.`, `_` and `-`, at most 64 characters"
        if name == "currency":
            return pointer, "`currency` should be a three-letter ISO 4217 code such as CNY, TWD, GBP or USD"
        if name == "language":
            return pointer, "`language` should be a language tag such as zh-CN, zh-TW or en"
        return pointer, f"`{name}` does not have the expected form ({error.validator_value})"
    if v == "minimum":
        return pointer, f"`{name}` cannot be below {error.validator_value}"
    if v == "minItems":
        return pointer, f"`{name}` needs at least {error.validator_value} item(s)"
    if v == "minLength":
        return pointer, f"`{name}` cannot be empty"
    if v == "uniqueItems":
        return pointer, f"`{name}` lists the same value twice"
    return pointer, f"`{name}`: {error.message}"


def iter_violations(document) -> list[tuple[str, str, str]]:
    """Every schema violation as (pointer, marketer message, raw jsonschema message), sorted."""
    try:
        if fast_validator().is_valid(document):
            return []
    except (ValueError, TypeError, OverflowError):
        pass  # a value jsonschema-rs cannot represent (e.g. a huge integer): let jsonschema decide
    out = []
    for error in validator().iter_errors(document):
        pointer, message = friendly_message(error)
        out.append((pointer, message, error.message[:300]))
    return sorted(set(out))
