"""What every command shares: the error exit, SIGTERM's safe points, and the steps of a configured run.

A command builds its session with `open_session(...)`, finds files with `discover(...)`, applies the policy
with `apply_policy(...)` and audits with `audit(...)`; each turns the session's errors into `fail` (exit 2).
Heavy modules are imported inside the functions so that start-up stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from auditor.findings import CampaignResult
    from auditor.session import Session

Files = list[tuple[Path, str]]  # (campaign file, path shown in reports), as Session.discover gives them

TERMINATED: list[int] = []  # signals received; checked at safe points


def stop_if_terminated() -> None:
    if TERMINATED:
        raise SystemExit(128 + TERMINATED[0])


def fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"auditor: error: {message}", err=True)
    sys.exit(code)


def open_session(config_path: str | None = None, jurisdiction: str | None = None,
                 excludes: Iterable[str] = ()) -> Session:
    """The configured session every command goes through (a configuration problem exits 2)."""
    from auditor.session import Session, SessionError

    try:
        return Session(config_path, jurisdiction=jurisdiction, excludes=excludes)
    except SessionError as exc:
        fail(str(exc))


def discover(session: Session, paths: Iterable[str], **discovery: Any) -> Files:
    """The campaign files (the discovery rule applies; see auditor.discovery and Session.discover)."""
    from auditor.session import SessionError

    try:
        return session.discover(paths, **discovery)
    except SessionError as exc:
        fail(str(exc))


def apply_policy(session: Session, waivers_path: str | None = None, no_waivers: bool = False,
                 baseline_path: str | None = None, today: str | None = None, baseline: bool = True) -> None:
    from auditor.session import SessionError

    try:
        session.apply_policy(waivers_path, no_waivers=no_waivers, baseline=baseline_path, use_baseline=baseline,
                             day=today)
    except SessionError as exc:
        fail(str(exc))


def audit(session: Session, files: Files, jobs: int, keep_documents: bool,
          progress: bool = False) -> Iterator[CampaignResult]:
    """Finished results of the session, stopping cleanly on SIGTERM between campaigns."""
    from auditor.engine import WorkerError

    stream = session.audit(files, jobs=jobs, keep_documents=keep_documents)
    try:
        if not progress:
            for result in stream:
                stop_if_terminated()
                yield result
            stop_if_terminated()
            return
        with click.progressbar(stream, length=len(files), label="auditing", file=sys.stderr) as bar:
            for result in bar:
                stop_if_terminated()
                yield result
        stop_if_terminated()
    except WorkerError as exc:
        fail(str(exc))


def auto_jobs(files: int) -> int:
    """Default parallelism: worker processes only where they make the run faster (auditor.parallel)."""
    from auditor.parallel import auto_jobs as automatic

    return automatic(files)


def load_approval(path: str) -> Any:
    """The approval record at `path` (from `auditor approve`); an unreadable or malformed one exits 2."""
    from auditor.approval import ApprovalError, load
    from auditor.sideinput import MAX_APPROVAL_BYTES, SideInputError, read_side_text

    try:
        return load(read_side_text(Path(path), MAX_APPROVAL_BYTES, "approval record"))
    except SideInputError as exc:
        fail(str(exc))
    except ApprovalError as exc:
        fail(f"{path}: {exc}")


def warn_waivers(states: Iterable[dict]) -> None:
    for state in states:
        if state["state"] in ("expired", "unused"):
            click.echo(f"auditor: warning: waiver line {state['line']} ({state['rule']} on {state['campaign']}) is "
                       f"{state['state']}" + (f" since {state['expires']}; it no longer waives anything"
                                              if state["state"] == "expired" else "; it matches no finding"),
                       err=True)
