"""Atomic output: write to a temporary file beside the target, then rename.

An interrupted run (Ctrl-C, SIGTERM, a full disk) leaves either the previous
file or the complete new one, never half a report.
"""

from __future__ import annotations

import os
from pathlib import Path


class OutputError(Exception):
    pass


def check_not_input(target: Path, inputs: list[Path]) -> None:
    """Refuse to write a report over one of the files being audited."""
    try:
        resolved = target.resolve()
    except OSError:
        return
    for source in inputs:
        try:
            if source.resolve() == resolved:
                raise OutputError(f"refusing to write {target}: it is one of the campaign files being audited")
        except OSError:
            continue


def write_atomic(target: Path, data: bytes) -> None:
    """Write a whole report at once, atomically."""
    output = AtomicFile(target)
    try:
        output.write(data)
    except BaseException:
        output.abort()
        raise
    output.commit()


class AtomicFile:
    """A file written progressively (streamed reports) that appears under its name only when complete."""

    def __init__(self, target: Path):
        self.target = Path(target)
        directory = self.target.parent if str(self.target.parent) else Path(".")
        if not directory.is_dir():
            raise OutputError(f"cannot write {target}: the folder {directory} does not exist")
        import tempfile  # imported when a file is written, not for a report on standard output

        fd, self.temporary = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=directory)
        # mkstemp creates 0600; give the report the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        self.handle = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        try:
            self.handle.write(data)
        except OSError as exc:
            self.abort()
            raise OutputError(f"cannot write {self.target}: {exc.strerror or exc}") from exc

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.temporary, self.target)
        except OSError as exc:
            self.abort()
            raise OutputError(f"cannot write {self.target}: {exc.strerror or exc}") from exc

    def abort(self) -> None:
        try:
            self.handle.close()
        except OSError:
            pass
        try:
            os.unlink(self.temporary)
        except OSError:
            pass
