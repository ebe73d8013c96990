"""The command line under attack by a careless operator or a hostile CI configuration (issue 19):
outputs naming devices, descriptors, FIFOs or inputs; side inputs that are FIFOs, devices or huge;
SIGTERM while blocked; absurd `jobs`; waivers wider than what they were written for."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.examples import build

MEMORY_LIMIT = 1536 * 1024 * 1024
ROOT = os.geteuid() == 0


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), SOURCE_DATE_EPOCH="1780000000")


def cli(*args, timeout=60, **kwargs):
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env(), preexec_fn=_limit_memory, **kwargs)


@pytest.fixture
def campaign(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(build({"base": "cn", "patch": {"/consent/pre_checked": True}}), ensure_ascii=False),
                    encoding="utf-8")
    return path


def _device(path, minor):
    """A private character device with the numbers of /dev/null (minor 3) or /dev/full (minor 7): the test
    never risks the machine's own."""
    if not ROOT:
        pytest.skip("creating a device node needs root")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except OSError as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    return path


# --- output writing ---------------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["-o", "--html", "--markdown", "--sarif"])
def test_output_to_a_character_device_is_written_through_never_replaced(tmp_path, campaign, flag):
    null = _device(tmp_path / "null", 3)
    done = cli("check", campaign, flag, null, "--format", "json", "--fail-on", "none")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced by a regular file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "null"]  # no temporary file left


def test_write_error_on_a_full_device_is_cannot_write_exit_2(tmp_path, campaign):
    full = _device(tmp_path / "full", 7)
    done = cli("check", campaign, "--json", full)
    assert done.returncode == 2
    assert "auditor: error: cannot write" in done.stderr and "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_standard_output_on_a_full_device_is_cannot_write_exit_2(campaign):
    for fmt in ("json", "html"):  # streamed and whole reports
        with open("/dev/full", "wb") as full:
            done = subprocess.run([sys.executable, "-m", "auditor", "check", str(campaign), "--format", fmt],
                                  stdout=full, stderr=subprocess.PIPE, text=True, env=env(), timeout=60)
        assert done.returncode == 2, done.stderr
        assert "auditor: error: cannot write standard output" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("target", ["/dev/fd/1", "/proc/self/fd/1"])
def test_descriptor_paths_are_written_through(campaign, target):
    done = cli("check", campaign, "--markdown", target, "--format", "json", "--fail-on", "none")
    assert done.returncode == 0, done.stderr
    markdown, report = done.stdout.split("\n{", 1)  # the Markdown through the descriptor, then the report
    assert markdown.startswith("## Campaign audit") and "CON-002" in json.dumps(json.loads("{" + report))


def test_a_fifo_output_gets_the_report_and_stays_a_fifo(tmp_path, campaign):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    done = cli("check", campaign, "-o", fifo, "--format", "json")
    reader.join(30)
    assert done.returncode == 1, done.stderr
    assert json.loads(received[0])["campaigns"][0]["id"] == "BASE-CN"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_to_a_report_stays_a_link(tmp_path, campaign):
    real = tmp_path / "shared" / "report.html"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(real)
    assert CliRunner().invoke(main, ["check", str(campaign), "--html", str(link)]).exit_code == 1
    assert link.is_symlink() and "<html" in real.read_text(encoding="utf-8")


@pytest.mark.parametrize("side", ["--approval", "--waivers", "--baseline", "--config"])
def test_an_output_naming_a_side_input_is_refused(tmp_path, campaign, side):
    from auditor.approval import create

    report = json.loads(CliRunner().invoke(main, ["check", str(campaign), "--format", "json"]).output)
    contents = {
        "--approval": json.dumps(create([], report.get("tool", {}), "Lee", "legal", "", True,
                                        __import__("datetime").datetime(2026, 7, 1))),
        "--waivers": "waivers: []\n",
        "--baseline": json.dumps({"format": "campaign-auditor/baseline-v1", "findings": []}),
        "--config": "fail-on = \"none\"\n",
    }
    side_file = tmp_path / "side.json"
    side_file.write_text(contents[side], encoding="utf-8")
    before = side_file.read_bytes()
    for flag in ("--html", "--json", "-o", "--markdown"):
        result = CliRunner().invoke(main, ["check", str(campaign), side, str(side_file), flag, str(side_file)])
        assert result.exit_code == 2, (side, flag, result.output)
        assert "refusing to write" in result.output and side_file.read_bytes() == before


def test_two_outputs_naming_one_file_and_approve_over_its_report_are_refused(tmp_path, campaign):
    target = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["check", str(campaign), "--json", str(target), "-o", str(target)])
    assert result.exit_code == 2 and "twice" in result.output and not target.exists()
    report = tmp_path / "report.json"
    CliRunner().invoke(main, ["check", str(campaign), "--json", str(report)])
    before = report.read_bytes()
    result = CliRunner().invoke(main, ["approve", str(report), "--by", "Lee", "--role", "legal", "--accept-risk",
                                       "-o", str(report)])
    assert result.exit_code == 2 and "refusing to write" in result.output and report.read_bytes() == before


# --- side inputs and SIGTERM ------------------------------------------------------------------------

@pytest.mark.parametrize("side", ["--approval", "--waivers", "--baseline", "--config"])
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_side_inputs_must_be_regular_files(tmp_path, campaign, side, kind):
    if kind == "fifo":
        path = tmp_path / "side"
        os.mkfifo(path)  # nobody writes: reading it would block forever
    else:
        path = "/dev/zero"  # endless: reading it would fill memory
    start = time.monotonic()
    done = cli("check", campaign, side, path, timeout=30)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - start < 20


@pytest.mark.parametrize("side,size", [("--waivers", 3 * 1024 * 1024), ("--approval", 17 * 1024 * 1024)])
def test_side_inputs_have_size_caps(tmp_path, campaign, side, size):
    path = tmp_path / "big"
    with open(path, "wb") as fh:
        fh.truncate(size)
    start = time.monotonic()
    done = cli("check", campaign, side, path)
    assert done.returncode == 2 and "limit" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert time.monotonic() - start < 20


def test_a_waiver_file_with_too_many_entries_is_refused_quickly(tmp_path, campaign):
    entry = ("  - rule: CON-002\n    campaign: BASE-CN\n    source: c.json\n    reason: r\n    approved-by: a\n"
             "    expires: 2026-08-01\n")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n" + entry * 6000, encoding="utf-8")
    start = time.monotonic()
    done = cli("check", campaign, "--waivers", waivers)
    assert done.returncode == 2 and "at most 5,000" in done.stderr, done.stderr
    assert time.monotonic() - start < 20


def test_sigterm_ends_a_write_blocked_on_a_fifo(tmp_path, campaign):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no reader: opening it for writing blocks
    process = subprocess.Popen([sys.executable, "-m", "auditor", "check", str(campaign), "-o", str(fifo)],
                               env=env(), stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    assert process.poll() is None, process.stderr.read()
    process.send_signal(signal.SIGTERM)
    start = time.monotonic()
    try:
        _, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("SIGTERM did not end a run blocked on a FIFO")
    assert time.monotonic() - start < 5
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_sigterm_ends_verify_of_a_big_batch_promptly(tmp_path):
    import datetime as dt

    from auditor.approval import create
    from auditor.convert import json_bytes

    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(4000):
        doc = build({"base": "cn"})
        doc["id"] = f"CN-{i}"
        (folder / f"c{i:04d}.json").write_bytes(json_bytes(doc))
    report = json.loads(CliRunner().invoke(main, ["check", str(folder / "c0000.json"), "--format", "json"]).output)
    record = tmp_path / "approval.json"
    record.write_text(json.dumps(create([], report.get("tool", {}), "Lee", "legal", "", False,
                                                dt.datetime(2026, 7, 1))), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "auditor", "verify", str(record), str(folder)], env=env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # A fixed sleep raced a fast machine (the batch was done before the signal); wait instead until verify
    # is seen reading a campaign of the batch, so the signal always lands mid-batch.
    assert _reading_from(process, folder), "verify finished before it could be interrupted"
    process.send_signal(signal.SIGTERM)
    start = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - start < 3, "SIGTERM waited for the whole batch"
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in stderr


def _reading_from(process, folder, deadline=60.0, busy=0.5):
    """True once `process` is in the batch (Linux /proc): holding a file of `folder` open, or past `busy`
    seconds of CPU, far beyond its start-up (0.15 s), while still running; False if it ended first. The files
    are read quickly and may all be read between two looks, on a loaded machine; the CPU time cannot be missed."""
    fds = f"/proc/{process.pid}/fd"
    end = time.monotonic() + deadline
    while time.monotonic() < end and process.poll() is None:
        try:
            targets = [os.readlink(os.path.join(fds, fd)) for fd in os.listdir(fds)]
        except OSError:
            targets = []
        if any(target.startswith(str(folder) + os.sep) for target in targets) or _cpu_seconds(process) > busy:
            return process.poll() is None
        time.sleep(0.001)
    return False


def _cpu_seconds(process) -> float:
    try:
        fields = open(f"/proc/{process.pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


# --- jobs ---------------------------------------------------------------------------------------------

def test_jobs_in_the_configuration_is_capped(tmp_path, campaign, monkeypatch):
    (tmp_path / "auditor.toml").write_text("jobs = 100000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _count_forks(monkeypatch)
    result = CliRunner().invoke(main, ["check", "c.json"])
    assert result.exit_code == 2 and "at most 64 worker processes" in result.output


def _count_forks(monkeypatch):
    import auditor.parallel as parallel

    started = []
    real = parallel._fork_worker

    def counting(*args, **kwargs):
        started.append(1)
        if len(started) > 64:
            raise RuntimeError("fork storm")
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "_fork_worker", counting)
    return started


def test_jobs_from_any_caller_never_exceed_the_files(tmp_path, monkeypatch):
    from auditor.engine import audit_paths, discover

    if not sys.platform.startswith("linux"):
        pytest.skip("counts forked workers")
    for i in range(3):
        doc = build({"base": "cn"})
        doc["id"] = f"CN-{i}"
        (tmp_path / f"c{i}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    started = _count_forks(monkeypatch)
    results = list(audit_paths(discover([str(tmp_path)]), jobs=100000))
    assert len(results) == 3 and 1 <= len(started) <= 3


# --- waivers ------------------------------------------------------------------------------------------

def _waivers(tmp_path, body: str):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + body, encoding="utf-8")
    return path


def _entry(rule="CON-002", campaign="BASE-CN", extra="    source: a.json\n", expires="2026-08-01"):
    return (f"  - rule: {rule}\n    campaign: \"{campaign}\"\n{extra}    reason: reviewed\n"
            f"    approved-by: Lee\n    expires: {expires}\n")


def _statuses(output):
    return {c["source"]: {f["rule"]: f.get("status", "fail") for f in c["findings"]}
            for c in json.loads(output)["campaigns"]}


def test_a_waiver_covers_only_the_file_it_was_written_for(tmp_path, monkeypatch):
    doc = build({"base": "cn", "patch": {"/consent/pre_checked": True}})
    for name in ("a.json", "b.json"):  # b.json declares a.json's id
        (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _waivers(tmp_path, _entry())
    result = CliRunner().invoke(main, ["check", "a.json", "b.json", "--waivers", "waivers.yaml", "--today",
                                       "2026-07-01", "--format", "json"])
    statuses = _statuses(result.stdout)
    assert statuses["a.json"]["CON-002"] == "waived"
    assert statuses["b.json"]["CON-002"] == "fail"
    assert result.exit_code == 1
    import hashlib

    digest = hashlib.sha256((tmp_path / "a.json").read_bytes()).hexdigest()
    _waivers(tmp_path, _entry(extra=f"    sha256: {digest}\n"))
    result = CliRunner().invoke(main, ["check", "a.json", "--waivers", "waivers.yaml", "--today", "2026-07-01",
                                       "--format", "json"])
    assert _statuses(result.stdout)["a.json"]["CON-002"] == "waived"


def test_duplicate_campaign_ids_in_a_batch_are_a_finding(tmp_path, monkeypatch):
    doc = build({"base": "cn"})
    for name in ("a.json", "b.yaml", "c.json"):
        (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--json", "r.json"], ["--jobs", "2"]):
        result = CliRunner().invoke(main, ["check", ".", "--format", "json", *extra])
        report = json.loads(result.stdout)
        found = {c["source"]: [f for f in c["findings"] if f["rule"] == "AUD-E010"] for c in report["campaigns"]}
        assert found["a.json"] == [] and len(found["b.yaml"]) == 1 and len(found["c.json"]) == 1, extra
        finding = found["c.json"][0]
        assert "also declared by a.json" in finding["message"] and finding["location"]["pointer"] == "/id"
        assert finding["severity"] == "high" and result.exit_code == 1


@pytest.mark.parametrize("body,message", [
    (_entry(campaign="*"), "must be the campaign's id exactly"),
    (_entry(extra=""), "bind the waiver to its file too"),
    (_entry(rule="AUD-E001"), "cannot be waived"),
    (_entry(rule="AUD-E002"), "cannot be waived"),
    (_entry(rule="NOPE-001"), "unknown rule NOPE-001"),
    (_entry(expires="9999-12-31"), "more than 365 days after 2026-07-01"),
    (_entry(extra="    source: \"*\"\n"), "`source` must be a path"),
    (_entry(extra="    sha256: abc\n"), "64 hexadecimal digits"),
])
def test_waivers_too_wide_are_refused_with_their_line(tmp_path, monkeypatch, body, message):
    (tmp_path / "a.json").write_text(json.dumps(build({"base": "cn"})), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _waivers(tmp_path, _entry(rule="FEE-001") + body)
    for command in (["check", "a.json", "--waivers", "waivers.yaml"], ["waivers", "a.json", "--file", "waivers.yaml"]):
        result = CliRunner().invoke(main, [*command, "--today", "2026-07-01"])
        assert result.exit_code == 2, result.output
        assert "waivers.yaml:8: waiver #2" in result.output and message in result.output, result.output


def test_the_longest_waiver_is_configurable(tmp_path, monkeypatch):
    (tmp_path / "a.json").write_text(json.dumps(build({"base": "cn"})), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _waivers(tmp_path, _entry(expires="2026-09-01"))
    args = ["check", "a.json", "--waivers", "waivers.yaml", "--today", "2026-07-01"]
    assert CliRunner().invoke(main, args).exit_code == 0
    (tmp_path / "auditor.toml").write_text("waiver-max-days = 30\n", encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "more than 30 days" in result.output


def test_input_and_schema_findings_are_never_waived(tmp_path):
    from auditor import waivers
    from auditor.engine import audit_file

    path = tmp_path / "a.json"
    doc = build({"base": "cn"})
    doc["fees"] = "not a list"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = audit_file(path, "a.json")
    schema = [f for f in result.findings if f.category == "schema"]
    assert schema
    import datetime as dt

    # even a waiver built in code (not loaded from a file, which refuses it) does not waive them
    forged = [waivers.Waiver(0, 1, f.rule, "BASE-CN", None, "r", "a", dt.date(2026, 8, 1), "a.json")
              for f in schema]
    waivers.apply([result], forged, dt.date(2026, 7, 1))
    assert all(f.status.value == "fail" for f in result.findings if f.category == "schema")
