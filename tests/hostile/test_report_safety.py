"""Reports are deterministic and never half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import REPO

from auditor.cli import main
from auditor.examples import build


def run_cli(args, env_extra=None, cwd=REPO):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), SOURCE_DATE_EPOCH="1780000000")
    env.update(env_extra or {})
    done = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, cwd=cwd, env=env)
    return done


@pytest.mark.parametrize("fmt", ["json", "sarif", "html"])
def test_byte_identical_across_runs_jobs_hash_seeds_and_path_order(tmp_path, fmt):
    # three examples and three corpus folders of every kind (the blind batch of the first round, workbooks and
    # long documents, mixed languages), about 160 campaigns: the whole corpus (5,400 files after eleven rounds)
    # made this test twelve full audits and a quarter of CI's time, and more with each round
    paths = ["examples/cn-c1-gprs-bundle-lapse.yaml", "examples/uk-sim-only-compliant.yaml",
             "examples/cn-c9-telemarketing-upgrade.xlsx", "tests/corpus/fresh", "tests/corpus/fresh-cz",
             "tests/corpus/holdout-cv"]
    outputs = set()
    for i, (seed, jobs, order) in enumerate([("0", "1", paths), ("1", "2", paths[::-1]), ("42", "2", paths),
                                             ("random", "1", paths[::-1])]):
        target = tmp_path / f"out{i}.{fmt}"
        done = run_cli(["check", *order, f"--{fmt}", str(target), "--jobs", jobs, "--format", "text"],
                       {"PYTHONHASHSEED": seed})
        assert done.returncode in (0, 1), done.stderr
        outputs.add(target.read_bytes())
    assert len(outputs) == 1


def _interrupt_after(monkeypatch, exc, after_bytes=100):
    """Make the report writer fail part-way through, as a full disk or a signal would."""
    import auditor.atomic as atomic

    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def write(self, data):
            if self.written + len(data) > after_bytes:
                self.handle.write(data[: max(0, after_bytes - self.written)])
                raise exc
            self.written += len(data)
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return self.handle.__exit__(*args)

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode="r", *a, **k: Failing(real_fdopen(fd, mode, *a, **k)))


@pytest.mark.parametrize("fmt", ["--html", "--json", "--sarif", "-o"])
@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "interrupted"])
def test_interrupted_write_leaves_the_previous_report_and_no_partial_file(tmp_path, monkeypatch, fmt, exc):
    campaign = tmp_path / "c.json"
    campaign.write_text(json.dumps(build({"base": "cn"}), ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "report.out"
    target.write_text("previous report", encoding="utf-8")
    _interrupt_after(monkeypatch, exc)
    args = ["check", str(campaign), fmt, str(target)] + (["--format", "json"] if fmt == "-o" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == sorted(["c.json", "report.out"]) or \
        sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "report.out"]
    if isinstance(exc, OSError):
        assert "No space left" in result.output


def test_annotated_workbook_is_atomic_too(tmp_path, monkeypatch):
    from auditor.convert import xlsx_bytes

    workbook = tmp_path / "c.xlsx"
    workbook.write_bytes(xlsx_bytes(build({"base": "cn", "patch": {"/consent/pre_checked": True}})))
    _interrupt_after(monkeypatch, OSError(28, "No space left on device"), after_bytes=100)
    result = CliRunner().invoke(main, ["check", str(workbook), "--annotate", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "out.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_discards_the_report_being_written(tmp_path, jobs):
    """A real SIGTERM while a big batch is audited: no partial report, no temporary file left, and (in
    parallel) no worker process left behind."""
    import signal
    import time

    from auditor.convert import json_bytes

    folder = tmp_path / "batch"
    folder.mkdir()
    data = json_bytes(build({"base": "cn"}))
    for i in range(6000):
        (folder / f"c{i:04d}.json").write_bytes(data)
    target = tmp_path / "report.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen([sys.executable, "-m", "auditor", "check", str(folder), "--format", "json",
                                "-o", str(target), "--jobs", jobs], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".report.json.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)  # wait until the report is being written
    assert process.poll() is None, "the run ended before it could be interrupted"
    workers = _children(process.pid)
    while jobs != "1" and sys.platform == "linux" and not workers and time.monotonic() < deadline:
        time.sleep(0.01)
        workers = _children(process.pid)
    assert jobs == "1" or sys.platform != "linux" or workers
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    time.sleep(0.2)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")], "worker processes outlived the run"
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["batch"]
    assert b"Traceback" not in stderr


def _children(pid: int) -> list[int]:
    """Child process ids (Linux /proc; empty elsewhere)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def test_refuses_to_write_over_an_input(tmp_path):
    campaign = tmp_path / "c.json"
    campaign.write_text(json.dumps(build({"base": "cn"})), encoding="utf-8")
    before = campaign.read_bytes()
    for flag in ("--html", "--json", "--sarif", "--junit", "--markdown", "-o", "--annotate"):
        result = CliRunner().invoke(main, ["check", str(campaign), flag, str(campaign)])
        assert result.exit_code == 2, flag
        assert campaign.read_bytes() == before


def test_every_name_of_an_input_is_refused_among_many_inputs(tmp_path, monkeypatch):
    """The input check stats each input once and resolves paths only for the target's own file: it must still
    see the campaign through a symbolic link, a hard link, a relative path and `..`, in a batch of many."""
    from pathlib import Path

    from auditor.atomic import OutputError, check_not_input

    folder = tmp_path / "batch"
    folder.mkdir()
    inputs = []
    for i in range(50):
        (folder / f"c{i:02d}.json").write_text("{}", encoding="utf-8")
        inputs.append(folder / f"c{i:02d}.json")
    (tmp_path / "link.json").symlink_to(folder / "c17.json")
    os.link(folder / "c23.json", tmp_path / "hard.json")
    (tmp_path / "dir-link").symlink_to(folder)
    monkeypatch.chdir(tmp_path)
    for target in ("link.json", "hard.json", "batch/c05.json", "batch/../batch/c40.json", "dir-link/c49.json",
                   str(folder / "c00.json")):
        with pytest.raises(OutputError, match="refusing to write"):
            check_not_input(Path(target), inputs)
    for target in ("report.json", "batch/new.json", "dir-link/new.json"):  # not an input, existing or not
        (tmp_path / "report.json").write_text("{}", encoding="utf-8")
        check_not_input(Path(target), inputs)
    # an input that cannot be examined (gone since discovery) is compared by its resolved path, as before
    check_not_input(Path("report.json"), [tmp_path / "gone.json"])
    with pytest.raises(OutputError):
        check_not_input(Path("gone.json"), [tmp_path / "gone.json"])


def _run_with_main(body: str) -> subprocess.CompletedProcess:
    """`auditor.__main__.run` in a child whose `auditor.cli.main` is `boom`, defined by `body`."""
    code = "import auditor.cli\nfrom auditor.cli.common import TERMINATED\n" + body + (
        "auditor.cli.main = boom\nfrom auditor.__main__ import run\nrun()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))


def test_a_sigterm_turned_into_another_exception_still_exits_cleanly():
    """The signal's SystemExit raised while a lazily imported dataclass is being created comes out of Python 3.11
    as "RuntimeError: Error calling __set_name__" (a CI run printed it): the program still exits 143 quietly.
    The child raises exactly that chain after recording the signal, as the handler does."""
    done = _run_with_main(
        "def boom(*a, **k):\n"
        "    TERMINATED.append(15)\n"
        "    try:\n"
        "        raise SystemExit(143)\n"
        "    except SystemExit as exc:\n"
        "        raise RuntimeError(\"Error calling __set_name__ on 'Field' instance 'keys' in '_Frame'\") from exc\n")
    assert done.returncode == 143
    assert b"Traceback" not in done.stderr


def test_an_exception_without_a_signal_is_still_reported():
    done = _run_with_main("def boom(*a, **k):\n    raise RuntimeError('a bug')\n")
    assert done.returncode == 1 and b"a bug" in done.stderr
