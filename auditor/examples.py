"""Rule examples: patches over a compliant base campaign (checklists/bases/).

A patch is a mapping, or a list of mappings applied in order. A key that
starts with `/` is a JSON pointer to set (`/-` appends to a list, a null value
deletes); any other key is deep-merged (lists replaced whole).
"""

from __future__ import annotations

import copy
from functools import cache

import yaml

from auditor.resources import data_dir


@cache
def _base(name: str) -> dict:
    with open(data_dir("checklists") / "bases" / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def base(name: str) -> dict:
    return copy.deepcopy(_base(name))


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def set_pointer(document: dict, pointer: str, value) -> None:
    parts = [_unescape(p) for p in pointer.split("/")[1:]]
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        if last == "-":
            node.append(value)
        elif value is None:
            del node[int(last)]
        else:
            node[int(last)] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _merge(target: dict, patch: dict) -> None:
    for key, value in patch.items():
        if key.startswith("/"):
            set_pointer(target, key, copy.deepcopy(value))
        elif value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def build(example: dict) -> dict:
    """The campaign of one rule example: its base with its patch applied."""
    document = base(example.get("base", "cn"))
    patch = example.get("patch") or {}
    for step in patch if isinstance(patch, list) else [patch]:
        _merge(document, step)
    return document
