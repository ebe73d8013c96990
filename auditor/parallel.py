"""Auditing a batch in worker processes, with results in the batch's order.

On Linux the workers are forked directly: they inherit the rule
plans, compiled lexicons and the file list, take chunk numbers from a shared
pipe (a 4-byte read from a pipe is atomic, so each chunk goes to exactly one
worker, whichever is free), and each sends its results back on its own pipe.
The parent only reads and reorders, with no helper threads: with
`multiprocessing.Pool`, the pool's result and task threads competed with the
report writer for the parent's interpreter lock, and workers stalled on a
full pipe for up to a thread-switch interval at every chunk.

Elsewhere a `multiprocessing.Pool` of `spawn`ed workers does the same job.

A worker that dies (killed, out of memory) closes its pipe; the parent then
stops with `WorkerError` instead of waiting for a chunk that never comes, as
it does when no worker has said anything for `WORKER_SILENCE_SECONDS`.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

WORKER_SILENCE_SECONDS = 300
# Automatic parallelism (`auto_jobs`): a worker pays for itself only with enough campaigns to audit. Forking,
# the result pipe and the parent's reordering cost a few tens of milliseconds per run; a campaign costs
# 0.3-2 ms. From this many campaigns per worker, every measured batch ran faster in workers than in one
# process (benchmarks/run.py checks it at and below the threshold).
FILES_PER_WORKER = 100
MAX_AUTO_JOBS = 4
CGROUP_CPU_MAX = "/sys/fs/cgroup/cpu.max"  # cgroup v2: "QUOTA PERIOD", or "max PERIOD"
# Campaigns per chunk of work. A chunk costs its worker one pickled message and the parent one read, tens of
# microseconds; a campaign costs 0.3-5 ms. Chunks of 256 (until 30 Nov 2026) left one worker alone for up to
# a second at the end of a run (the other had no chunk left), and the parent received and wrote results in
# bursts of a megabyte or more; chunks of 16 are 10-80 ms of work.
CHUNK_SIZE = 16
_TOKEN = 4  # bytes per chunk number in the work pipe
_HEADER = 8  # bytes of the length before each result record
# A result pipe holds 64 KiB, and one chunk's results are 100-200 KiB: a worker could not finish sending a chunk
# until the parent, which competes with the workers for the CPUs, had emptied the pipe several times (2,300
# reads for 10,000 campaigns). Widened to the kernel's default limit for a pipe (Linux), a whole record goes in
# one write and mostly comes out in one read (960 reads).
RESULT_PIPE_BYTES = 1 << 20


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask, capped by a cgroup CPU quota (a container
    limited to 2 CPUs on a 64-core host has 2)."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        with open(CGROUP_CPU_MAX, encoding="ascii") as fh:
            quota, period = fh.read().split()[:2]
        if quota != "max" and int(period) > 0:
            count = min(count, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)


def idle_cpus(usable: int) -> float:
    """Usable CPUs minus the machine's load (runnable processes, averaged over the last minute)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return float(usable)
    return usable - load


def auto_jobs(files: int) -> int:
    """How many processes to audit `files` campaigns in when the user did not say: one, unless the batch
    gives every worker at least FILES_PER_WORKER campaigns and there are idle CPUs to run them. On a
    busy machine (measured: a 2-core machine with a load of 6-10) two workers ran slower than one
    process, so workers are only added for CPUs that are idle."""
    if files < 2 * FILES_PER_WORKER:
        return 1
    usable = usable_cpus()
    idle = int(idle_cpus(usable) + 0.5)
    return max(1, min(usable, idle, MAX_AUTO_JOBS, files // FILES_PER_WORKER))


class WorkerError(Exception):
    """A parallel worker died or went silent; the run cannot complete."""


_WORKER_OPTIONS = None
_WORKER_FILES: list[tuple[Path, str]] = []


def _init_worker(options, files: list[tuple[Path, str]]) -> None:
    global _WORKER_OPTIONS, _WORKER_FILES
    # Workers must die at once when the parent stops them: the CLI's SIGTERM handler (which unwinds to
    # discard a half-written report) is the parent's. Ctrl-C is the parent's to handle too.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_OPTIONS = options
    _WORKER_FILES = files


def _audit_chunk(bounds: tuple[int, int]) -> list:
    from auditor.engine import audit_file

    start, end = bounds
    return [audit_file(path, shown, _WORKER_OPTIONS) for path, shown in _WORKER_FILES[start:end]]


def chunks_of(count: int, jobs: int) -> list[tuple[int, int]]:
    """Index ranges: at most CHUNK_SIZE campaigns, at least eight chunks per worker, and few enough that
    all their numbers fit in one pipe buffer."""
    size = max(1, min(CHUNK_SIZE, count // (jobs * 8)), -(-count // (60_000 // _TOKEN)))
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def audit_in_workers(files: list[tuple[Path, str]], options, jobs: int) -> Iterator:
    import multiprocessing

    from auditor.config import cap_jobs

    jobs = cap_jobs(jobs, len(files))  # however it was asked for: never a fork storm
    chunks = chunks_of(len(files), jobs)
    jobs = min(jobs, len(chunks))
    # fork only where it is the platform's own default (Linux): macOS system libraries are not fork-safe
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        yield from _forked(files, options, jobs, chunks)
    else:
        yield from _pooled(files, options, jobs, chunks)


def _worker_main(work_fd: int, out_fd: int, chunks: list[tuple[int, int]]) -> None:
    import pickle  # here, as below: a one-process run (every one-file run) never needs it

    with os.fdopen(out_fd, "wb") as out:
        while True:
            token = os.read(work_fd, _TOKEN)
            if len(token) < _TOKEN:
                return  # the work pipe is empty and closed: done
            number = int.from_bytes(token, "little")
            record = pickle.dumps((number, _audit_chunk(chunks[number])), protocol=pickle.HIGHEST_PROTOCOL)
            out.write(len(record).to_bytes(_HEADER, "little"))
            out.write(record)
            out.flush()


def _fork_worker(options, files, work_fd: int, chunks, inherited: list[int]) -> tuple[int, int]:
    """Start one worker; returns (pid, read end of its result pipe)."""
    read_fd, write_fd = os.pipe()
    _widen(write_fd)
    pid = os.fork()
    if pid == 0:  # the worker: never returns, never runs the parent's exit handlers or flushes its buffers
        code = 1
        try:
            os.close(read_fd)
            for fd in inherited:
                os.close(fd)
            _init_worker(options, files)
            _worker_main(work_fd, write_fd, chunks)
            code = 0
        except BaseException:  # noqa: BLE001 (the parent reports the missing results)
            pass
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _widen(fd: int) -> None:
    """Give a result pipe room for a whole record (RESULT_PIPE_BYTES), where the system allows it."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, RESULT_PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # the default size works too, with more reads and waits


_LIVE: dict[int, int] = {}  # pid -> result pipe of workers not yet reaped


def _reap_live_workers() -> None:
    """At exit: kill and reap workers whose run was left without closing it (SIGTERM raises wherever
    the parent is, which may be outside the generator below)."""
    _stop(list(_LIVE.items()), kill=True)


def _forked(files, options, jobs: int, chunks: list[tuple[int, int]]) -> Iterator:
    import atexit
    import pickle  # noqa: F401 (imported once here, before the fork, for every worker and the reader)
    import selectors

    atexit.unregister(_reap_live_workers)
    atexit.register(_reap_live_workers)

    work_read, work_write = os.pipe()
    payload = b"".join(n.to_bytes(_TOKEN, "little") for n in range(len(chunks)))
    written = 0
    while written < len(payload):  # fits the pipe buffer (chunks_of sees to it), so this never blocks
        written += os.write(work_write, payload[written:])
    os.close(work_write)  # workers read to the end of the queue, then stop

    workers: list[tuple[int, int]] = []
    selector = selectors.DefaultSelector()
    finished = False
    try:
        from auditor.interrupt import deferred

        for _ in range(jobs):
            with deferred():  # a SIGTERM waits until the new worker is known, so that it is reaped
                pid, fd = _fork_worker(options, files, work_read, chunks, [fd for _, fd in workers])
                _LIVE[pid] = fd
                workers.append((pid, fd))
        os.close(work_read)
        work_read = -1
        buffers: dict[int, bytearray] = {}
        for _, fd in workers:
            selector.register(fd, selectors.EVENT_READ)
            buffers[fd] = bytearray()
        pending: dict[int, list] = {}
        next_chunk = 0
        while next_chunk < len(chunks):
            if next_chunk in pending:
                yield from pending.pop(next_chunk)
                next_chunk += 1
                continue
            if not selector.get_map():
                raise WorkerError("a worker process stopped before finishing its campaigns (killed, or out of "
                                  "memory); run again with --jobs 1 to audit in one process")
            events = selector.select(timeout=WORKER_SILENCE_SECONDS)
            if not events:
                raise WorkerError(f"no result from the worker processes for {WORKER_SILENCE_SECONDS} seconds; "
                                  "run again with --jobs 1 to audit in one process")
            for key, _ in events:
                data = os.read(key.fd, RESULT_PIPE_BYTES)
                if not data:
                    selector.unregister(key.fd)
                    continue
                buffer = buffers[key.fd]
                buffer += data
                _take_records(buffer, pending)
        finished = True
    finally:
        selector.close()
        if work_read >= 0:
            os.close(work_read)
        _stop(workers, kill=not finished)


def _take_records(buffer: bytearray, pending: dict[int, list]) -> None:
    """Move every complete (chunk number, results) record out of a worker's buffer."""
    import pickle

    while len(buffer) >= _HEADER:
        size = int.from_bytes(buffer[:_HEADER], "little")
        if len(buffer) < _HEADER + size:
            return
        number, results = pickle.loads(memoryview(buffer)[_HEADER:_HEADER + size])
        pending[number] = results
        del buffer[:_HEADER + size]


def _stop(workers: list[tuple[int, int]], kill: bool) -> None:
    """Reap the workers: after a complete run they are exiting by themselves; after an interrupted or
    failed one they are killed first."""
    for pid, fd in workers:
        if _LIVE.pop(pid, None) is None:
            continue  # already reaped
        try:
            os.close(fd)
        except OSError:
            pass
        try:
            if kill:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass


def _pooled(files, options, jobs: int, chunks: list[tuple[int, int]]) -> Iterator:
    """The portable path: a `spawn` pool (each worker imports the auditor and receives the options)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_worker,
                                                   initargs=(options, files)) as pool:
        results = pool.imap(_audit_chunk, chunks)  # chunksize 1: an iterator with a timeout
        for _ in range(len(chunks)):
            try:
                yield from results.next(timeout=WORKER_SILENCE_SECONDS)
            except multiprocessing.TimeoutError as exc:
                raise WorkerError(f"no result from the worker processes for {WORKER_SILENCE_SECONDS} seconds (one "
                                  "may have been killed); run again with --jobs 1 to audit in one process") from exc

