"""Where the shipped data lives: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder `schemas`, `checklists` or `reports`.

    A wheel carries them as ``auditor/_data/<name>``; a source checkout (and an
    editable install) has them beside the package.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"campaign-auditor is missing its {name}/ folder; reinstall the package")
