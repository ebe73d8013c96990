"""`auditor baseline` and `auditor waivers`: the files that hold findings back from the gate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor.cli import options as opt
from auditor.cli.common import Files, apply_policy, audit, discover, fail, open_session

if TYPE_CHECKING:
    import datetime as dt

    from auditor.findings import CampaignResult
    from auditor.session import Session


@click.group()
def baseline() -> None:
    """Adopt the gate on an existing repository: fail only on new findings."""


@baseline.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1)
@opt.config_option(None)
@opt.jobs_option()
@opt.today_option()
def baseline_create(file: str, paths: tuple[str, ...], config_path: str | None, jobs: int | None,
                    today: str | None) -> None:
    """Record the current findings of PATHS in FILE (findings a waiver covers stay with their waiver)."""
    from auditor.baseline import create

    session, files, results = _baseline_audit(file, paths, config_path, jobs, today)
    _write_baseline(file, create(results), session, files)
    count = sum(1 for r in results for f in r.findings if f.status.value == "fail")
    click.echo(f"wrote {file}: {count} finding(s) in {len(results)} campaign(s)")


@baseline.command("update")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1)
@opt.config_option(None)
@opt.jobs_option()
@opt.changed_since_option("Only the campaigns changed since this ref.")
@opt.today_option()
def baseline_update(file: str, paths: tuple[str, ...], config_path: str | None, jobs: int | None,
                    changed_since: str | None, today: str | None) -> None:
    """Add new findings to FILE, keep existing ones, prune those that no longer occur; print what changed."""
    from auditor.baseline import BaselineError, update

    session, files, results = _baseline_audit(file, paths, config_path, jobs, today, changed_since)
    try:
        change = update(Path(file), results, partial=session.partial)
    except BaselineError as exc:
        fail(str(exc))
    for line in change.lines():
        click.echo(line)
    _write_baseline(file, change.data(), session, files)
    click.echo(f"updated {file}: {change.summary()}")


def _baseline_audit(file: str, paths: tuple[str, ...], config_path: str | None, jobs: int | None,
                    today: str | None, changed_since: str | None = None,
                    ) -> tuple[Session, Files, list[CampaignResult]]:
    """Audit for a baseline: every waiver covers its findings here, an expired one too, so the baseline never
    takes over what a reviewed, expiring waiver is responsible for (its expiry still fails the gate)."""
    import datetime as dt

    session = open_session(config_path)
    files = discover(session, paths, changed_since=changed_since, protected=[Path(file)])
    apply_policy(session, today=today, baseline=False)
    day, session.policy.today = session.policy.today, dt.date.min
    results = list(audit(session, files, jobs or session.config.jobs or 1, keep_documents=False))
    session.policy.today = day
    _note_waived(session, results, day)
    return session, files, results


def _note_waived(session: Session, results: list[CampaignResult], day: dt.date | None) -> None:
    """Say how many findings were left to their waivers, and which of those waivers have expired."""
    held = sum(1 for r in results for f in r.findings if f.status.value == "waived")
    if not held or session.waiver_file is None:  # a waived finding needs a waiver file
        return
    policy = session.policy
    expired = [w for w in policy.waivers if policy.used.get(w.index) and day and w.expires < day]
    click.echo(f"left {held} finding(s) to their waivers in {session.waiver_file.name}, which is not changed"
               + (f"; {len(expired)} of those waivers expired ({', '.join(w.describe() for w in expired)}):"
                  " renew them or fix the campaigns" if expired else ""), err=True)


def _write_baseline(file: str, data: bytes, session: Session, files: Files) -> None:
    from auditor.atomic import OutputError, check_not_input, write_atomic

    protected = [p for p in (session.config.waivers, session.config.source, session.waiver_file) if p is not None]
    try:
        check_not_input(Path(file), [*[p for p, _ in files], *protected])
        write_atomic(Path(file), data)
    except OutputError as exc:
        fail(str(exc))


@click.command("waivers")
@click.argument("paths", nargs=-1)
@click.option("--file", "waivers_path", type=click.Path(dir_okay=False), help="Waiver file (default: from config).")
@opt.config_option(None)
@opt.text_or_json_option()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 when a waiver is expired or unused.")
@opt.today_option()
def waivers_command(paths: tuple[str, ...], waivers_path: str | None, config_path: str | None, fmt: str,
                    check_only: bool, today: str | None) -> None:
    """List each waiver with its state: active, expiring (30 days), expired or unused."""
    import json

    from auditor.waivers import stale

    session = open_session(config_path)
    if not (waivers_path or (session.config.waivers and session.config.waivers.exists())):
        fail("no waiver file (give --file or set `waivers` in the configuration)")
    apply_policy(session, waivers_path, today=today, baseline=False)
    files = discover(session, paths)
    for _ in audit(session, files, session.config.jobs or 1, keep_documents=False):
        pass
    states = session.policy.waiver_states()
    if fmt == "json":
        click.echo(json.dumps(states, ensure_ascii=False, indent=2))
    else:
        for s in states:
            where = f" {s['pointer']}" if s["pointer"] else ""
            click.echo(f"{s['state']:<9} {s['expires']}  {s['rule']:<9} {s['campaign']}{where}  "
                       f"({s['approved_by']}: {s['reason']})")
    if check_only and stale(states):
        click.echo(f"auditor: {len(stale(states))} waiver(s) expired or unused: renew, narrow or remove them",
                   err=True)
        sys.exit(1)
