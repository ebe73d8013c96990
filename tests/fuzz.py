"""Property-based fuzzing of the whole pipeline with Hypothesis.

Valid campaigns are mutated (wrong types, missing and extra keys, unicode
edge cases, extreme numbers) and written as JSON, YAML or XLSX; the audit must
never raise, its JSON report must meet the report contract, and the same input
must give the same bytes.

    python -m tests.fuzz --minutes 10     # long run before a release; prints how many inputs were tried

pytest runs the same property with a bounded number of examples
(tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = json.loads((ROOT / "tests" / "contract" / "report.schema.json").read_text(encoding="utf-8"))

_EDGE_TEXT = st.sampled_from(["", " ", "\u200b", "\u202e", "\ufeff", "𠮷", "é", "e\u0301", "\n\r\t", "<script>",
                              "全网最低", "免费", "0元", "{到期日}", "e.g. 5", "=1+1", "\\", '"', "~/", "%s", "\x7f"])
_TEXT = st.one_of(st.text(max_size=30), _EDGE_TEXT)
_NUMBER = st.one_of(st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0, -0.0, 1e308, 5e-324]))
_SCALAR = st.one_of(st.none(), st.booleans(), _NUMBER, _TEXT)
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


@st.composite
def mutated_campaign(draw):
    from auditor.examples import build

    document = build({"base": draw(st.sampled_from(["cn", "uk"]))})
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(document) if p]
        path = draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "extra"]))
        if action == "replace":
            parent[path[-1]] = draw(_VALUE)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(_TEXT)] = draw(_VALUE)
    return document


def _write(document, directory: Path, form: str) -> Path:
    from auditor.convert import ConvertError, xlsx_bytes, yaml_bytes

    path = directory / f"campaign.{form}"
    if form == "json":
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    elif form == "yaml":
        path.write_bytes(yaml_bytes(document))
    else:
        try:
            path.write_bytes(xlsx_bytes(document))
        except (ConvertError, ValueError, TypeError):
            path = directory / "campaign.json"
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def audit_bytes(path: Path) -> bytes:
    from auditor.checklists import default_ruleset
    from auditor.engine import AuditOptions, audit_file
    from auditor.report import AuditRun
    from auditor.report.json_report import render

    ruleset = default_ruleset()
    result = audit_file(path, path.name, AuditOptions(ruleset=ruleset, keep_documents=True))
    return render(AuditRun(campaigns=[result], checklist_digest=ruleset.digest, rules=ruleset.rules))


def check_one(document, form: str) -> None:
    import jsonschema

    if any(isinstance(v, float) and not math.isfinite(v) for v in _leaves(document)):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = _write(document, Path(folder), form)
        if path.suffix == ".xlsx":
            from helpers import assert_same_workbook_reading

            assert_same_workbook_reading(path.read_bytes())
        first = audit_bytes(path)
        report = json.loads(first)
        jsonschema.validate(report, CONTRACT)
        assert audit_bytes(path) == first, "the same input gave different bytes"
        html_render(path)


def html_render(path: Path) -> None:
    from auditor.checklists import default_ruleset
    from auditor.engine import AuditOptions, audit_file
    from auditor.report import AuditRun
    from auditor.report.html_report import render

    ruleset = default_ruleset()
    result = audit_file(path, path.name, AuditOptions(ruleset=ruleset, keep_documents=True))
    html = render(AuditRun(campaigns=[result], checklist_digest=ruleset.digest, rules=ruleset.rules))
    assert b"<script>" not in html


def _leaves(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    else:
        yield node


def property_test(max_examples: int):
    @settings(max_examples=max_examples, deadline=None, derandomize=False, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(document=mutated_campaign(), form=st.sampled_from(["json", "yaml", "xlsx"]))
    def run(document, form):
        run.count += 1
        check_one(document, form)

    run.count = 0
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description="fuzz the auditor with Hypothesis")
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    tried = 0
    while time.monotonic() < deadline:
        run = property_test(500)
        run()
        tried += run.count
        print(f"{tried} inputs tried, no failure", flush=True)
    print(f"done: {tried} inputs tried in {args.minutes:g} minutes, no failure")
    return 0


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    sys.exit(main())
