"""A per-user cache of what every run would otherwise rebuild from installed files.

Two things are cached, both derived only from files on disk, never from the
campaigns audited: the list of installed rule plugins (an entry-point scan of
the folders on `sys.path`, auditor.entrypoints: 2-3 ms) and the parsed
checklists with their compiled lexicon automatons (YAML parsing, schema
validation and automaton building, 50-70 ms).

An entry is keyed by a digest of everything it is built from (file contents,
or folder modification times for the plugin scan, plus the auditor and Python
versions), so a changed checklist or a newly installed plugin is a miss, never
a stale hit. Results of audits are never cached: every run audits every file.

Where: `$AUDITOR_CACHE_DIR`, else `$XDG_CACHE_HOME/campaign-auditor`, else
`~/.cache/campaign-auditor`. `AUDITOR_NO_CACHE=1` turns the cache off. The
folder is created private (0700); an entry that is not owned by the current
user, or is writable by others, is ignored, because entries are pickles. Any
problem reading or writing the cache is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

ENV_DIR = "AUDITOR_CACHE_DIR"
ENV_OFF = "AUDITOR_NO_CACHE"
# Entries kept per name, the least recently used dropped first. Every environment that shares the folder (a
# project venv, the test run's, each git worktree of a checkout, another Python) has its own key: with 8, a
# machine with a few worktrees evicted the entry of the one being timed between two of its runs, and
# "cache on" start-up measured a cold start.
KEEP = 32


def directory() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(ENV_OFF, "").strip() not in ("", "0"):
        return None
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "campaign-auditor"


def key(*parts: object) -> str:
    """A digest of the parts, with the auditor and Python versions (pickles are version-bound)."""
    import pickle

    from auditor import __version__

    hasher = hashlib.sha256()
    for part in (__version__, sys.version, pickle.HIGHEST_PROTOCOL, *parts):
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little") + data)
    return hasher.hexdigest()[:32]


def _trusted(st: os.stat_result) -> bool:
    uid = os.getuid() if hasattr(os, "getuid") else None
    return stat.S_ISREG(st.st_mode) and (uid is None or st.st_uid == uid) and not st.st_mode & 0o022


def get(name: str, digest: str) -> object | None:
    folder = directory()
    if folder is None:
        return None
    import pickle  # here: a run with the cache off never imports it

    path = folder / f"{name}-{digest}.pickle"
    try:
        with open(path, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno())):
                return None
            value = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated or from another version: rebuild
        return None
    try:
        os.utime(path)  # used: the newest for `put`'s eviction
    except OSError:
        pass
    return value


def put(name: str, digest: str, value: object) -> None:
    """Store an entry (atomically) and drop all but the newest `KEEP` entries of the same name."""
    folder = directory()
    if folder is None:
        return
    import pickle
    import tempfile  # only when an entry is written: a warm run never imports it

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, folder / f"{name}-{digest}.pickle")
        except BaseException:
            os.unlink(temporary)
            raise
        # Keep a few entries per name: environments that share the folder (a project venv, the test
        # run's, another Python) each have their own key and should not evict each other on every run.
        entries = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # a read-only home or a full disk only costs the next run its start-up time
        return


def clear() -> int:
    """Remove every entry; returns how many were removed."""
    folder = directory()
    removed = 0
    if folder is not None and folder.is_dir():
        for path in folder.glob("*.pickle"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
