"""Write every report of the bundled corpus and examples into a folder, to compare two versions byte for byte.

A refactor must not change what legal and CI read. Run this before and after and compare the folders:

    python scripts/report_snapshot.py /tmp/before        # on the old commit
    python scripts/report_snapshot.py /tmp/after         # on the new one
    diff -r /tmp/before /tmp/after

Each input (tests/corpus as one batch, every example file or folder on its own) is audited once per
format in a subprocess with a fixed SOURCE_DATE_EPOCH, the way a user runs the tool.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORMATS = {"json": "json", "sarif": "sarif", "html": "html", "junit": "xml", "markdown": "md", "text": "txt"}


def inputs() -> list[tuple[Path, str]]:
    """(working folder, path to audit): an example folder is its own repository (its configuration)."""
    runs = [(REPO, "tests/corpus")]
    for example in sorted(p for p in (REPO / "examples").iterdir() if not p.name.startswith(".")):
        runs.append((example, ".") if example.is_dir() else (REPO, str(example.relative_to(REPO))))
    return runs


def snapshot(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1780000000", NO_COLOR="1")
    failures = 0
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    for folder, source in inputs():
        name = Path(folder / source).resolve().name
        for fmt, suffix in FORMATS.items():
            out = target.resolve() / f"{name}.{suffix}"
            done = subprocess.run([sys.executable, "-m", "auditor", "check", source, "--format", fmt,
                                   "-o", str(out), "--fail-on", "none", "--jobs", "1"],
                                  cwd=folder, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                failures += 1
                print(f"{name} ({fmt}): exit {done.returncode}: {done.stderr.strip()[:300]}", file=sys.stderr)
    print(f"wrote {len(list(target.iterdir()))} reports to {target}")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/report_snapshot.py FOLDER")
    sys.exit(snapshot(Path(sys.argv[1])))
