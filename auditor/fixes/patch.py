"""RFC 6902 JSON Patch (add, remove, replace, test) on a copy of a campaign document.

Only what fixes need; a patch that does not apply raises PatchError and the fix is not offered.
"""

from __future__ import annotations

import copy


class PatchError(Exception):
    pass


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _walk(doc, tokens: list[str], pointer: str):
    """The node the tokens lead to from `doc`; PatchError (naming `pointer`) when one leads nowhere."""
    node = doc
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise PatchError(f"{pointer}: no such location")
    return node


def _parent(doc, pointer: str):
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("cannot patch the whole document")
    return _walk(doc, tokens[:-1], pointer), tokens[-1]


def get(doc, pointer: str):
    return _walk(doc, _tokens(pointer), pointer)


def apply(doc: dict, patch: list[dict]) -> dict:
    """A patched deep copy of `doc` (the original is never changed)."""
    out = copy.deepcopy(doc)
    for op in patch:
        kind, path = op.get("op"), op.get("path", "")
        if kind == "test":
            if get(out, path) != op.get("value"):
                raise PatchError(f"{path}: the value has changed since the fix was computed")
            continue
        parent, key = _parent(out, path)
        if kind == "add":
            _add(parent, key, op, path)
        elif kind in ("replace", "remove"):
            _replace_or_remove(parent, key, op, path)
        else:
            raise PatchError(f"unsupported patch operation {kind!r}")
    return out


def _add(parent, key: str, op: dict, path: str) -> None:
    """RFC 6902 add: into a list at an index (or at its end for `-`), or a member of an object."""
    if isinstance(parent, list):
        if key == "-":
            parent.append(copy.deepcopy(op["value"]))
        elif key.isdigit() and int(key) <= len(parent):
            parent.insert(int(key), copy.deepcopy(op["value"]))
        else:
            raise PatchError(f"{path}: index out of range")
    elif isinstance(parent, dict):
        parent[key] = copy.deepcopy(op["value"])
    else:
        raise PatchError(f"{path}: the parent is not a container")


def _replace_or_remove(parent, key: str, op: dict, path: str) -> None:
    """RFC 6902 replace and remove: the location must exist."""
    index: int | str
    if isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
        index = int(key)
    elif isinstance(parent, dict) and key in parent:
        index = key
    else:
        raise PatchError(f"{path}: no such location")
    if op.get("op") == "replace":
        parent[index] = copy.deepcopy(op["value"])
    else:
        del parent[index]


def merged(patch: list[dict]) -> list[dict]:
    """`patch` with the edits of one text made as one: a patch of `test` + `replace` pairs that edits a path
    twice (a sentence added, then another to the same text) becomes one `test` of the value first read and one
    `replace` with the value last written, so it still reads as one change of the source text (SARIF, `auditor
    fix` keeping the layout). Any other patch is returned as it is."""
    pairs = list(zip(patch[::2], patch[1::2]))
    if len(patch) % 2 or not all(t.get("op") == "test" and r.get("op") == "replace" and t.get("path") == r.get("path")
                                 for t, r in pairs):
        return patch
    first: dict[str, object] = {}
    last: dict[str, object] = {}
    for test, replace in pairs:
        path = test["path"]
        if path in last and last[path] != test.get("value"):
            return patch  # the later edit was not made on the earlier one's result: keep both tests
        first.setdefault(path, test.get("value"))
        last[path] = replace.get("value")
    return [op for path in first for op in ({"op": "test", "path": path, "value": first[path]},
                                            {"op": "replace", "path": path, "value": last[path]})]
