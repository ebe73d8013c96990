"""YAML campaigns: composed with PyYAML's safe loader, built into plain data here.

Building the document from the node graph ourselves (instead of
`yaml.safe_load`) gives every value its line, rejects duplicate keys and
non-standard tags with their position, and bounds alias expansion so a
"billion laughs" file cannot exhaust memory.
"""

from __future__ import annotations

import datetime as dt
import math

import yaml

from auditor.findings import Location
from auditor.load import Loaded, Problem
from auditor.load.text import decode_utf8
from auditor.sourcemap import SourceMap, escape_token

try:  # libyaml is much faster when present; both give the same nodes and marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# Values built from the node graph, aliases counted each time they are used.
MAX_NODES = 200_000


class _BuildError(Exception):
    def __init__(self, message: str, node: yaml.Node | None):
        super().__init__(message)
        self.node = node


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self) -> None:
        self.positions: dict[str, tuple[int, int]] = {}
        self.count = 0
        self._scalar = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: yaml.Node, pointer: str):
        self.count += 1
        if self.count > MAX_NODES:
            raise _BuildError("the file expands to too many values (are aliases used to multiply content?)", node)
        self.positions.setdefault(pointer, _position(node))
        if node.tag not in _STANDARD_TAGS:
            raise _BuildError(f"the tag `{node.tag}` is not allowed in a campaign file; remove it", node)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _BuildError("a key must be a plain word, not a list or mapping", key_node)
                key = str(key_node.value)
                child = pointer + "/" + escape_token(key)
                if key in out:
                    raise _BuildError(f"the key `{key}` appears twice in the same mapping; keep one", key_node)
                self.positions.setdefault(child, _position(key_node))
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        value = self._scalar.construct_object(node, deep=True)
        if isinstance(value, float) and not math.isfinite(value):
            raise _BuildError("`.nan` and `.inf` are not numbers a campaign can use", node)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


def _single_document(text: str) -> yaml.Node | Problem:
    """The one YAML document of a campaign file, composed (not yet built), or why there is none."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "syntax error"
        return Problem(f"the file is not valid YAML: {reason} at line {line}, column {column}",
                       Location(pointer="", line=line, column=column))
    except yaml.YAMLError as exc:
        return Problem(f"the file is not valid YAML: {exc}", Location(pointer="", line=1, column=1))
    except RecursionError:
        return Problem("the file nests mappings or lists too deeply to be a campaign",
                       Location(pointer="", line=1, column=1))
    documents = [d for d in documents if d is not None]
    if not documents:
        return Problem("the file is empty", Location(pointer="", line=1, column=1))
    if len(documents) > 1:
        line, column = _position(documents[1])
        return Problem("the file holds several YAML documents (`---`); one file is one campaign",
                       Location(pointer="", line=line, column=column))
    return documents[0]


def load_yaml(data: bytes) -> Loaded:
    text, problems = decode_utf8(data)
    loaded = Loaded(kind="yaml", sha256="", problems=problems)
    if text is None:
        return loaded
    composed = _single_document(text)
    if isinstance(composed, Problem):
        loaded.problems.append(composed)
        return loaded
    builder = _Builder()
    try:
        loaded.document = builder.build(composed, "")
        loaded.text_length = len(text)
    except _BuildError as exc:
        line, column = _position(exc.node) if exc.node is not None else (1, 1)
        loaded.problems.append(Problem(str(exc), Location(pointer="", line=line, column=column)))
        return loaded
    except RecursionError:
        loaded.problems.append(Problem("the file nests mappings or lists too deeply to be a campaign",
                                       Location(pointer="", line=1, column=1)))
        return loaded
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        loaded.problems.append(Problem(f"the file has a value that cannot be read: {exc}", Location(pointer="", line=1, column=1)))
        return loaded
    loaded.sourcemap = SourceMap(positions=builder.positions)
    return loaded
