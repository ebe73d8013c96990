"""Diff-aware runs (`--changed-since REF`): only the campaigns a branch changed.

A campaign is kept when its own file changed since the merge base of REF and
HEAD (committed, staged, unstaged or untracked), or when one of its material
files (`materials[].file`) did. When the configuration, the waivers, the
baseline or a configured checklist folder changed, every campaign is audited:
those change the findings of all of them. Git is asked with plain commands; a ref it
does not know, or a folder outside a repository, is a usage error.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class ChangesError(Exception):
    """Git could not answer (exit code 2)."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except OSError as exc:
        raise ChangesError(f"--changed-since needs git: {exc}") from exc
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise ChangesError(f"--changed-since: git {' '.join(args[:2])}: {message}")
    return done.stdout


def changed_files(ref: str, cwd: Path | None = None) -> set[str]:
    """Absolute, normalised paths of the files changed since the merge base of `ref` and HEAD."""
    if not ref or ref.startswith("-"):
        raise ChangesError(f"--changed-since: {ref!r} is not a git ref")
    cwd = Path(cwd or os.getcwd())
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except ChangesError as exc:
        raise ChangesError(f"--changed-since: git knows no commit {ref!r} (fetch the base branch; in GitHub "
                           "Actions check out with fetch-depth: 0)") from exc
    try:
        base = _git(["merge-base", ref, "HEAD"], cwd).strip()
    except ChangesError:
        base = ref  # unrelated histories: compare with the ref itself
    names = _git(["diff", "--name-only", "-z", base, "--"], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return {os.path.normcase(os.path.realpath(top / name)) for name in names if name}


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def material_files(path: Path) -> list[Path]:
    """The material files a campaign names (`materials[].file`), beside it."""
    from auditor.load import load_path

    loaded = load_path(path)
    document = loaded.document
    if not isinstance(document, dict) or not isinstance(document.get("materials"), list):
        return []
    return [path.parent / m["file"] for m in document["materials"]
            if isinstance(m, dict) and isinstance(m.get("file"), str) and m["file"].strip()]


def touches_policy(changed: set[str], files: list, folders: list) -> list[str]:
    """The changed files among the configuration, waiver and baseline `files` and under the checklist `folders`:
    any of them changes the findings of every campaign, so a diff-aware run audits everything."""
    hits = [str(p) for p in files if p is not None and _key(p) in changed]
    for folder in folders:
        prefix = _key(folder).rstrip(os.sep) + os.sep
        hits += sorted(c for c in changed if c.startswith(prefix))
    return hits


def select(files: list[tuple[Path, str]], changed: set[str]) -> list[tuple[Path, str]]:
    """The campaigns among `files` whose file or material files are in `changed`."""
    campaign_keys = {_key(path) for path, _ in files}
    others = changed - campaign_keys  # changed files that are not campaigns: material files, perhaps
    kept = []
    for path, shown in files:
        if _key(path) in changed or (others and any(_key(m) in others for m in material_files(path))):
            kept.append((path, shown))
    return kept
