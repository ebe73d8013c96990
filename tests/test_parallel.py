"""Worker processes: results in the batch's order whatever the workers do, and a clear stop when one dies."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from auditor import parallel
from auditor.cli import main
from auditor.convert import json_bytes
from auditor.engine import AuditOptions, WorkerError, audit_paths, discover
from auditor.examples import build
from auditor.report.json_report import encode_line

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the forked workers need fork")


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    bases = ["cn", "uk"]
    for i in range(90):
        doc = build({"base": bases[i % 2]})
        doc["id"] = f"C-{i:03d}"
        (folder / f"c{i:03d}.json").write_bytes(json_bytes(doc))
    return folder


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("count,jobs", [(1, 2), (7, 2), (1000, 3), (100_000, 2), (1_000_000, 4)])
def test_chunks_cover_every_file_once_and_fit_the_work_pipe(count, jobs):
    chunks = parallel.chunks_of(count, jobs)
    covered = [i for start, end in chunks for i in range(start, end)]
    assert covered == list(range(count))
    assert len(chunks) * 4 <= 60_000
    assert len(chunks) >= min(count, jobs)


@pytest.mark.parametrize("jobs", [2, 3])
def test_results_come_in_file_order_with_any_number_of_workers(batch, jobs, monkeypatch):
    monkeypatch.setattr(parallel, "chunks_of", lambda count, jobs: [(i, min(i + 7, count)) for i in range(0, count, 7)])
    files = discover([str(batch)])
    one = [(r.source, r.id, r.risk_score) for r in audit_paths(files, AuditOptions(), jobs=1)]
    many = [(r.source, r.id, r.risk_score) for r in audit_paths(files, AuditOptions(), jobs=jobs)]
    assert many == one and len(one) == 90
    assert _no_children_left()


def test_a_slow_chunk_does_not_reorder_results(batch, monkeypatch):
    original = parallel._audit_chunk

    def slow_first(bounds):
        if bounds[0] == 0:
            time.sleep(0.5)  # the other worker finishes later chunks first
        return original(bounds)

    monkeypatch.setattr(parallel, "_audit_chunk", slow_first)
    monkeypatch.setattr(parallel, "chunks_of", lambda count, jobs: [(i, min(i + 10, count)) for i in range(0, count, 10)])
    files = discover([str(batch)])
    sources = [r.source for r in audit_paths(files, AuditOptions(), jobs=2)]
    assert sources == [shown for _, shown in files]


def test_a_killed_worker_stops_the_run_with_a_clear_error(batch, monkeypatch, tmp_path):
    original = parallel._audit_chunk

    def die_on_second_chunk(bounds):
        if bounds[0] != 0:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return original(bounds)

    monkeypatch.setattr(parallel, "_audit_chunk", die_on_second_chunk)
    files = discover([str(batch)])
    with pytest.raises(WorkerError, match="stopped before finishing"):
        list(audit_paths(files, AuditOptions(), jobs=2))
    assert _no_children_left()

    from click.testing import CliRunner

    target = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["check", str(batch), "--format", "json", "-o", str(target), "--jobs", "2"])
    assert result.exit_code == 2
    assert "worker process stopped" in result.output and "--jobs 1" in result.output
    assert not target.exists()


def test_a_silent_worker_stops_the_run(batch, monkeypatch):
    original = parallel._audit_chunk

    def hang(bounds):
        if bounds[0] != 0:
            time.sleep(30)
        return original(bounds)

    monkeypatch.setattr(parallel, "_audit_chunk", hang)
    monkeypatch.setattr(parallel, "WORKER_SILENCE_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(WorkerError, match="no result from the worker processes for 1 seconds"):
        list(audit_paths(discover([str(batch)]), AuditOptions(), jobs=2))
    assert time.monotonic() - started < 20
    assert _no_children_left()  # the hung worker was killed, not left running


def test_stopping_early_kills_and_reaps_the_workers(batch):
    stream = audit_paths(discover([str(batch)]), AuditOptions(), jobs=2)
    first = next(stream)
    assert first.source.endswith("c000.json")
    stream.close()  # what an interrupted run does
    assert _no_children_left()


def test_parallel_json_report_is_byte_identical(batch):
    from click.testing import CliRunner

    runner = CliRunner()
    one = runner.invoke(main, ["check", str(batch), "--format", "json", "--jobs", "1"])
    two = runner.invoke(main, ["check", str(batch), "--format", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code
    assert one.output == two.output
    assert len(json.loads(two.output)["campaigns"]) == 90


def test_the_portable_spawn_pool_gives_the_same_results(batch):
    """Platforms without a fork-safe fork (macOS, Windows) use a spawn pool: same results, same order."""
    files = discover([str(batch)])
    options = AuditOptions(keep_documents=False, encoder=encode_line)
    chunks = [(i, min(i + 20, len(files))) for i in range(0, len(files), 20)]
    pooled = [r.encoded for r in parallel._pooled(files, options, 2, chunks)]
    options = AuditOptions(keep_documents=False, encoder=encode_line)
    assert pooled == [r.encoded for r in audit_paths(files, options, jobs=1)]


def test_a_campaign_with_a_lone_surrogate_fails_alike_in_workers_and_in_one_process(batch):
    """A lone surrogate (a `\\ud800` escape in JSON) is no character: the loader refuses the file with a located
    input finding, in a worker as in one process, and the rest of the batch is audited (it once crashed the
    report writer)."""
    from click.testing import CliRunner

    (batch / "c000.json").write_text((batch / "c000.json").read_text(encoding="utf-8").replace(
        '"name": "', '"name": "\\ud800', 1), encoding="utf-8")
    runner = CliRunner()
    one = runner.invoke(main, ["check", str(batch), "--format", "json", "--jobs", "1"])
    two = runner.invoke(main, ["check", str(batch), "--format", "json", "--jobs", "2"])
    assert one.exception is None or isinstance(one.exception, SystemExit)
    assert one.exit_code == two.exit_code == 1 and one.output == two.output
    first = json.loads(one.output)["campaigns"][0]
    assert first["findings"][0]["rule"] == "AUD-E001" and first["findings"][0]["location"]["pointer"] == "/name"
