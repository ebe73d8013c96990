"""Side inputs (waivers, baseline, approval record, configuration): regular files of bounded size.

They are read like campaign files (`auditor.load.read_bytes`): a FIFO, a
device such as `/dev/zero`, a folder or a file over the cap is refused with a
clear error before anything is parsed, and never blocks or fills memory.
"""

from __future__ import annotations

from pathlib import Path

# Caps, far above any real file: a waiver file of 1,000 reasoned entries is about 300 KB; a baseline
# holds one short line per finding of the whole repository.
MAX_WAIVERS_BYTES = 2 * 1024 * 1024
MAX_WAIVERS = 5000
MAX_BASELINE_BYTES = 64 * 1024 * 1024
MAX_APPROVAL_BYTES = 16 * 1024 * 1024
MAX_CONFIG_BYTES = 1024 * 1024


class SideInputError(Exception):
    pass


def read_side_input(path: Path, limit: int, what: str) -> bytes:
    from auditor.load import read_bytes

    data, problem = read_bytes(Path(path), limit)
    if data is None:
        problem = (problem or "").replace("a campaign file is far smaller", f"far more than any {what} needs")
        raise SideInputError(f"{path}: cannot use it as the {what}: {problem}")
    return data


def read_side_text(path: Path, limit: int, what: str) -> str:
    data = read_side_input(path, limit, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SideInputError(f"{path}: {what} is not UTF-8 text (byte {exc.start})") from exc
