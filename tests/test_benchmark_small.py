"""The small-N benchmark (benchmarks/run.py --small): loose thresholds, so that a large
performance regression fails CI. The full targets are measured by `python benchmarks/run.py`."""

from __future__ import annotations

import subprocess
import sys

from helpers import REPO


def test_small_benchmark_meets_loose_targets():
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--small"], capture_output=True,
                          text=True, timeout=900)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr


def test_streamed_and_collected_json_are_identical(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from auditor.cli import main

    monkeypatch.chdir(REPO)
    runner = CliRunner()
    streamed = runner.invoke(main, ["check", "examples/", "tests/corpus", "--format", "json"]).output
    runner.invoke(main, ["check", "examples/", "tests/corpus", "--json", str(tmp_path / "r.json"),
                         "--format", "text"])
    assert streamed == (tmp_path / "r.json").read_text(encoding="utf-8")


def test_findings_are_identical_with_and_without_the_fast_validator(monkeypatch):
    """jsonschema-rs only answers "valid?"; for every document it accepts, jsonschema must find nothing."""
    import copy
    import random

    from auditor import schema
    from auditor.examples import build
    from auditor.load import load_path

    documents = [load_path(p).document for p in sorted((REPO / "tests" / "corpus").glob("*.*"))
                 if p.suffix in (".json", ".yaml", ".xlsx")]
    rng = random.Random(5)
    mutations = [
        lambda d: d.update(id="bad id!"), lambda d: d["period"].update(start="2026-02-30"),
        lambda d: d["fees"][0].update(amount="5"), lambda d: d.pop("materials"),
        lambda d: d["fees"][0].update(recurrence="per_unit"), lambda d: d.update(jurisdiction="FR"),
        lambda d: d["materials"][0].update(file="x.txt"), lambda d: d.update(extra=1),
        lambda d: d["offer"].update(term={"months": 1, "days": 3}), lambda d: d.update(channels=[]),
        lambda d: d["fees"][0].update(amount=-1), lambda d: d.update(currency="rmb"),
    ]
    for _ in range(200):
        document = copy.deepcopy(build({"base": rng.choice(["cn", "uk"])}))
        rng.choice(mutations)(document)
        documents.append(document)
    for document in documents:
        fast = schema.fast_validator().is_valid(document)
        slow = not list(schema.validator().iter_errors(document))
        assert fast == slow, document
