"""Output: atomic for files, written through for devices, never over an input.

A report written to a regular file goes to a temporary file beside the target
and is renamed when complete, so an interrupted run (Ctrl-C, SIGTERM, a full
disk) leaves either the previous file or the complete new one, never half a
report. A symbolic link to a file keeps being a link: the file it points to is
replaced.

A target that is not a regular file (a character device such as `/dev/null`
or `/dev/full`, a FIFO) or that names a descriptor through `/proc`
(`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/3`, the usual way to hand a
descriptor to a tool) is never replaced: it is opened and written through. Running as root, a
rename over `/dev/null` would otherwise turn the device into a plain file for
the whole machine.

Every failure is an `OutputError` whose message starts with `cannot write`;
the command line prints it as `auditor: error: cannot write …` with exit 2.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

# Where paths name kernel objects (descriptors): written through, never renamed over.
WRITE_THROUGH_ROOTS = ("/proc/",)


class OutputError(Exception):
    pass


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):
        pass
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    # hard links and bind mounts of one regular file (two references to one device are fine to write)
    return stat.S_ISREG(sa.st_mode) and (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _file_key(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file a path names, following links; None when it cannot be examined."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def check_not_input(target: Path, inputs: list[Path], what: str = "one of the campaign files being audited") -> None:
    """Refuse to write a report over one of the files being audited (or another input).

    `_same_file` resolves both paths (a system call per folder of each), which for a batch of 10,000
    campaigns took about a second before the first was audited. Two paths that both name an existing file
    can only be the same file if that file is one inode, so each input costs one `stat` here, and only an
    input of the target's inode, or one that cannot be examined, is compared in full."""
    target_key = _file_key(Path(target))
    for source in inputs:
        if source is None:
            continue
        source_key = _file_key(Path(source))
        if (source_key is None or source_key == target_key) and _same_file(Path(target), Path(source)):
            raise OutputError(f"refusing to write {target}: it is {what}")


def check_outputs(targets: list[Path], campaign_files: list[Path], side_inputs: dict[str, Path | None]) -> None:
    """Refuse any output that names an input (campaign files and side inputs: approval, waivers,
    baseline, configuration) or another output of the same run."""
    for target in targets:
        check_not_input(target, campaign_files)
        for label, path in side_inputs.items():
            if path is not None:
                check_not_input(target, [path], f"the {label} given as an input")
    seen: list[Path] = []
    for target in targets:
        if any(_same_file(target, other) or str(target) == str(other) for other in seen) and not _write_through(target):
            raise OutputError(f"refusing to write {target} twice: two outputs of this run name the same file")
        seen.append(target)


def _write_through(target: Path) -> bool:
    """Whether the target must be opened and written in place rather than replaced."""
    if _reaches_proc(str(target)):
        return True
    try:
        st = os.stat(target)
    except OSError:
        return False
    return not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)


def _reaches_proc(path: str) -> bool:
    """Whether the path, or a link on the way to its target, lies under /proc (`/dev/stdout`,
    `/dev/fd/3`, `/proc/self/fd/3`): a descriptor, to be written through whatever it points to."""
    for _ in range(40):
        path = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))), os.path.basename(path))
        if path.startswith(WRITE_THROUGH_ROOTS):
            return True
        if not os.path.islink(path):
            return False
        path = os.path.join(os.path.dirname(path), os.readlink(path))
    return False


def write_atomic(target: Path, data: bytes) -> None:
    """Write a whole report at once: atomically for a file, written through for a device."""
    output = AtomicFile(target)
    try:
        output.write(data)
    except BaseException:
        output.abort()
        raise
    output.commit()


def _error(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {target}: {exc.strerror or exc}")


class AtomicFile:
    """A file written progressively (streamed reports) that appears under its name only when complete;
    a device, FIFO or descriptor path is written through instead."""

    def __init__(self, target: Path):
        self.target = Path(target)
        self.temporary = None
        self.handle: BinaryIO | None = None
        if self.target.is_dir():
            raise OutputError(f"cannot write {target}: it is a folder")
        if _write_through(self.target):
            self._open_through()
            return
        # a link to a file stays a link: replace the file it names
        final = Path(os.path.realpath(self.target)) if self.target.is_symlink() else self.target
        self.final = final
        directory = final.parent if str(final.parent) else Path(".")
        if not directory.is_dir():
            raise OutputError(f"cannot write {target}: the folder {directory} does not exist")
        import tempfile  # imported when a file is written, not for a report on standard output

        from auditor import interrupt

        try:
            # a SIGTERM here waits until the temporary file is known, so that it is removed
            with interrupt.deferred():
                fd, self.temporary = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=directory)
                self.handle = os.fdopen(fd, "wb")
                try:
                    # mkstemp creates 0600; give the report the permissions a plain open() would.
                    umask = os.umask(0)
                    os.umask(umask)
                    os.fchmod(fd, 0o666 & ~umask)
                except OSError:
                    pass
        except OSError as exc:
            self.abort()
            raise _error(self.target, exc) from exc
        except BaseException:
            self.abort()
            raise

    def _open_through(self) -> None:
        try:
            st = os.stat(self.target)
        except OSError:
            st = None
        if st is not None and stat.S_ISSOCK(st.st_mode):
            raise OutputError(f"cannot write {self.target}: it is a socket; give a file, a FIFO or a device")
        try:
            # O_APPEND: a descriptor path naming a file already being written (`>> log`) is added to,
            # not truncated; devices and FIFOs ignore it. Opening a FIFO waits for a reader: SIGTERM
            # and Ctrl-C end that wait (auditor.interrupt).
            fd = os.open(self.target, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError as exc:
            raise OutputError(f"cannot write {self.target}: there is no such device or descriptor") from exc
        except OSError as exc:
            raise _error(self.target, exc) from exc
        self.handle = os.fdopen(fd, "wb")

    def _open_handle(self) -> BinaryIO:
        if self.handle is None:  # written after commit or abort: a bug in the caller
            raise OutputError(f"cannot write {self.target}: it is already closed")
        return self.handle

    def write(self, data: bytes) -> None:
        try:
            self._open_handle().write(data)
        except OSError as exc:
            self.abort()
            raise _error(self.target, exc) from exc

    def commit(self) -> None:
        from auditor import interrupt

        try:
            handle = self._open_handle()
            if self.temporary is None:  # written through
                handle.flush()
                handle.close()
                return
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            with interrupt.deferred():  # the rename happens whole or not at all
                os.replace(self.temporary, self.final)
        except OSError as exc:
            self.abort()
            raise _error(self.target, exc) from exc
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            if self.handle is not None:
                self.handle.close()
        except OSError:
            pass
        if self.temporary is not None:
            try:
                os.unlink(self.temporary)
            except OSError:
                pass


def write_stdout(data: bytes, flush: bool = True) -> None:
    """Write to standard output; a closed pipe or a full device is an OutputError, not a traceback.
    A streamed report writes without flushing each line and calls `flush_stdout` at the end."""
    import sys

    try:
        sys.stdout.buffer.write(data)
        if flush:
            sys.stdout.flush()
    except OSError as exc:
        _drop_stdout()
        raise OutputError(f"cannot write standard output: {exc.strerror or exc}") from exc


def flush_stdout() -> None:
    import sys

    try:
        sys.stdout.flush()
    except OSError as exc:
        _drop_stdout()
        raise OutputError(f"cannot write standard output: {exc.strerror or exc}") from exc


def _drop_stdout() -> None:
    """After a failed write, point standard output at /dev/null so the interpreter's final flush of
    what is still buffered cannot print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def write_private(target: Path, data: bytes) -> None:
    """Write a file only its owner can read (0600 from creation), whole or not at all: a unique temporary
    name in the same folder (threads of one server share a process id), then a rename. For the portal's data
    folder, where no device or link is ever a target."""
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
