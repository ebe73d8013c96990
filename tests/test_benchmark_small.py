"""The small-N benchmark (benchmarks/run.py --small) in the default test run: loose thresholds on ratios
of CPU time, which hold on a busy 2-core machine, so that only a large performance regression fails
CI; never a wall-clock figure a loaded machine can miss. The parallel speed-up is judged only from 4
CPUs; the parallel output is compared byte for byte everywhere. The full targets are measured by
`python benchmarks/run.py`."""

from __future__ import annotations

import subprocess
import sys

from helpers import REPO, corpus_sample

sys.path.insert(0, str(REPO / "benchmarks"))


def test_small_benchmark_meets_loose_targets():
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--small"], capture_output=True,
                          text=True, timeout=1200)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "byte-identical to --jobs 1" in done.stdout and "(CPU)" in done.stdout


def test_a_slow_parallel_run_on_a_busy_two_core_machine_is_not_a_failure_in_small_mode():
    """Issue 14: --jobs 2 measured 0.67x of --jobs 1 on a busy 2-core machine and failed the test run."""
    from run import parallel_figures

    same, speed = parallel_figures(2000, j1=2.0, j2=3.0, identical=True, cpus=2, small=True, limit=1.6)
    assert same.result == "met" and speed.result == "skipped"
    same, speed = parallel_figures(2000, j1=2.0, j2=3.0, identical=False, cpus=2, small=True, limit=1.6)
    assert same.result == "NOT MET"  # a different output fails whatever the machine
    _, speed = parallel_figures(2000, j1=2.0, j2=3.0, identical=True, cpus=4, small=True, limit=1.6)
    assert speed.result == "NOT MET"  # with CPUs to spare, a slower parallel run is a regression
    _, speed = parallel_figures(10_000, j1=2.0, j2=3.0, identical=True, cpus=2, small=False, limit=1.6)
    assert speed.result == "NOT MET"  # the full benchmark judges it on 2 cores


def test_streamed_and_collected_json_are_identical(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from auditor.cli import main

    monkeypatch.chdir(REPO)
    runner = CliRunner()
    streamed = runner.invoke(main, ["check", "examples/", *corpus_sample(), "--format", "json"]).output
    runner.invoke(main, ["check", "examples/", *corpus_sample(), "--json", str(tmp_path / "r.json"),
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
