"""Keeping the portal available: rendered outputs cached per version, and limits on concurrent work.

Every report, SARIF file and annotated workbook of a version is rendered once
and kept under a content-addressed name (the hash of what it is made from:
the upload's sha256, the output kind, the language, the checklist and tool
versions, the approval record); parallel requests for the same output wait
for the one rendering it instead of each auditing the file again.

Expensive work (uploads, renderings) takes a slot: at most PER_USER at once
per account and `total` for the whole server (fewer than its threads, so a
login page is always answered); a request over the limit gets 429 at once
instead of queueing behind the others.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from pathlib import Path

PER_USER = 2


class Busy(Exception):
    pass


class Limiter:
    def __init__(self, total: int, per_user: int = PER_USER):
        self.total, self.per_user = max(1, total), max(1, per_user)
        self._lock = threading.Lock()
        self._active: dict[str, int] = {}
        self._running = 0

    @contextmanager
    def slot(self, user: str):
        with self._lock:
            if self._active.get(user, 0) >= self.per_user or self._running >= self.total:
                raise Busy()
            self._active[user] = self._active.get(user, 0) + 1
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._active[user] -= 1
                if not self._active[user]:
                    del self._active[user]


class RenderCache:
    def __init__(self, folder: Path):
        from auditor.portal.store import private_dir

        self.folder = Path(folder)
        private_dir(self.folder)
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}

    @staticmethod
    def key(parts) -> str:
        return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()

    def get(self, parts, build, slot=None) -> bytes:
        """The cached bytes for `parts`, built (once, whoever asks at the same time) by `build()`;
        `slot` (a context manager factory) is taken only when something must be built."""
        key = self.key(parts)
        path = self.folder / key
        cached = self._read(path)
        if cached is not None:
            return cached
        with self._lock:
            lock = self._building.setdefault(key, threading.Lock())
        with lock:
            cached = self._read(path)
            if cached is not None:
                return cached
            if slot is not None:
                with slot():
                    data = build()
            else:
                data = build()
            self._write(path, data)
        with self._lock:
            self._building.pop(key, None)
        return data

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def _write(self, path: Path, data: bytes) -> None:
        from auditor.atomic import write_private

        write_private(path, data)
