"""AUD-E008: a document nested deeper or holding longer text than the configured limits is not audited.

The walk is iterative, so a hostile nesting depth cannot exhaust the stack.
"""

from __future__ import annotations

from auditor.sourcemap import pointer_of


def limit_problem(document, max_depth: int, max_string_length: int,
                  text_length: int | None = None) -> tuple[str, str] | None:
    """The first limit the document exceeds: (pointer, message), or None.

    `text_length` is the length of the JSON or YAML text the document was parsed from: no string in it
    can be longer, so below the string limit only the depth is walked (the common case, and cheap).
    """
    if text_length is not None and text_length <= max_string_length and _depth_within(document, max_depth):
        return None
    return _first_limit_problem(document, max_depth, max_string_length)


def _depth_within(document, max_depth: int) -> bool:
    stack = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return False
        for value in node.values() if type(node) is dict else node if type(node) is list else ():
            if type(value) is dict or type(value) is list:
                stack.append((value, depth + 1))
    return True


def _first_limit_problem(document, max_depth: int, max_length: int) -> tuple[str, str] | None:
    """Pointers are built only for the offending value (a linked (parent, key) path until then)."""
    stack: list[tuple[object, int, tuple | None]] = [(document, 0, None)]
    while stack:
        node, depth, path = stack.pop()
        if depth > max_depth:
            return _pointer(path), (f"the values nest more than {max_depth} levels deep; a campaign nests about "
                                    "five (limit `max-depth`)")
        if isinstance(node, str):
            if len(node) > max_length:
                return _pointer(path), (f"a value is {len(node):,} characters long, over the {max_length:,}-character "
                                        "limit (`max-string-length`)")
            continue
        if isinstance(node, dict) and any(len(key) > max_length for key in node):
            return _pointer(path), f"a field name is over {max_length:,} characters long"
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if _worth_a_look(value, max_length):
                stack.append((value, depth + 1, (path, key)))
    return None


def _worth_a_look(value, max_length: int) -> bool:
    """A value that may exceed a limit: a mapping or list (its depth, what it holds), or a long string."""
    return isinstance(value, (dict, list)) or (isinstance(value, str) and len(value) > max_length)


def _pointer(path) -> str:
    """Pointer from the linked (parent, key) path."""
    parts = []
    while path is not None:
        path, key = path
        parts.append(key)
    return pointer_of(reversed(parts))
