"""SIGTERM ends any command promptly, also one blocked in a read, a write or an open.

The first SIGTERM raises `SystemExit(128 + signal)` where the program is, so
`finally` blocks unwind: a report being written is discarded (its temporary
file removed), worker processes are killed and reaped. Inside `deferred()`
(a short step that must not be cut in two, such as renaming a finished
report into place) the exit waits until the step is done. A second SIGTERM
while the first unwinds is only recorded, so clean-up is not interrupted.
"""

from __future__ import annotations

from contextlib import contextmanager

_received: list[int] = []
_deferred = 0


def on_signal(signum: int) -> None:
    """Called by the command line's signal handler."""
    _received.append(signum)
    if _deferred == 0 and len(_received) == 1:
        raise SystemExit(128 + signum)


def received() -> int | None:
    return _received[0] if _received else None


@contextmanager
def deferred():
    global _deferred
    _deferred += 1
    try:
        yield
    finally:
        _deferred -= 1
    if _deferred == 0 and _received:
        raise SystemExit(128 + _received[0])

