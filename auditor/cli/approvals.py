"""`auditor approve`, `auditor verify` and `auditor keys`: legal sign-off, signed with a reviewer's key and
verified against the campaigns as `check` audits them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from auditor.cli import options as opt
from auditor.cli.common import apply_policy, audit, discover, fail, load_approval, open_session


@click.command()
@click.argument("report", type=click.Path(dir_okay=False, exists=True))
@click.option("--key", "key_path", type=click.Path(dir_okay=False),
              help="Your reviewer key (default: ~/.config/campaign-auditor/reviewer.key, see `auditor keys create`).")
@click.option("--by", "by", help="Name of the approver; must be the name of the key (which is used when omitted).")
@click.option("--role", required=True, help="Role of the approver (e.g. legal counsel).")
@click.option("--note", default="", help="Note recorded with the approval.")
@click.option("--accept-risk", is_flag=True, help="Approve although unwaived critical findings remain (recorded).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Where to write the record (default: stdout).")
@opt.config_option()
@opt.waivers_option("Waiver file (as given to check).")
@opt.baseline_option("Baseline (as given to check).")
@opt.today_option()
def approve(report: str, key_path: str | None, by: str | None, role: str, note: str, accept_risk: bool,
            output: str | None, config_path: str | None, waivers_path: str | None, baseline_path: str | None,
            today: str | None) -> None:
    """Sign legal approval of a JSON report, bound to each campaign's path, sha256 and findings."""
    import datetime as dt
    import json

    from auditor import signoff
    from auditor.report import generation_time

    if output:  # before the key and its passphrase: a record must never replace the report it approves
        _not_the_report(output, report)
    key, data, found = _key_and_report(report, key_path)
    if by and by != key.name:
        fail(f"--by {by!r} is not the name of the key ({key.name!r}); approvals are signed in the key's name")
    session = open_session(config_path)
    files = discover(session, found)
    apply_policy(session, waivers_path, False, baseline_path, today)
    passphrase = click.prompt(f"Passphrase of the key of {key.name}", hide_input=True, err=True)
    when = generation_time() or dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        shown_of = {f: str(c.get("source")) for f, c in zip(found, data["campaigns"])}
        record = signoff.approve(session, files, data, shown_of, signoff.inputs_of(session, waivers_path, False,
                                                                                    baseline_path),
                                 key, passphrase, role, note, accept_risk, when)
    except signoff.SignoffError as exc:
        fail(str(exc), code=1)
    _write_record((json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), output, report)


def _not_the_report(output: str, report: str) -> None:
    from auditor.atomic import OutputError, check_not_input

    try:
        check_not_input(Path(output), [Path(report)], "the report being approved")
    except OutputError as exc:
        fail(str(exc))


def _key_and_report(report: str, key_path: str | None) -> tuple[Any, dict, list[str]]:
    """The reviewer's key, the JSON report and the campaign files it names (any problem exits 2)."""
    import json

    from auditor import signoff
    from auditor.keys import KeyError_, default_key_path, load_key
    from auditor.sideinput import MAX_APPROVAL_BYTES, SideInputError, read_side_text

    try:
        key = load_key(Path(key_path) if key_path else default_key_path())
        data = json.loads(read_side_text(Path(report), MAX_APPROVAL_BYTES * 4, "JSON report"))
        found = signoff.report_sources(data, Path(report))
    except (KeyError_, signoff.SignoffError, SideInputError) as exc:
        fail(str(exc))
    except (ValueError, OSError) as exc:
        fail(f"{report}: not a readable JSON report: {exc}")
    return key, data, found


def _write_record(text: bytes, output: str | None, report: str) -> None:
    from auditor.atomic import OutputError, check_not_input, write_atomic, write_stdout

    try:
        if output:
            check_not_input(Path(output), [Path(report)], "the report being approved")
            write_atomic(Path(output), text)
        else:
            write_stdout(text)
    except OutputError as exc:
        fail(str(exc))
    if output:
        click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("approval", type=click.Path(dir_okay=False, exists=True))
@click.argument("paths", nargs=-1, required=True)
@click.option("--trusted", "trusted_path", type=click.Path(dir_okay=False),
              help="Trusted reviewers' public keys (default: `trusted-keys` in auditor.toml).")
@opt.config_option()
@opt.waivers_option("Waiver file (as given to check).")
@opt.baseline_option("Baseline (as given to check).")
@click.option("--materials", "materials_dir", type=click.Path(file_okay=False, exists=True),
              help="Folder of the materials as live now (saved HTML, PDF, SMS text): each must have the approved "
                   "words, and is re-audited.")
@opt.today_option()
def verify(approval: str, paths: tuple[str, ...], trusted_path: str | None, config_path: str | None,
           waivers_path: str | None, baseline_path: str | None, materials_dir: str | None, today: str | None) -> None:
    """Exit 0 only if the record's signature is valid and trusted and the campaigns are what was approved.

    The campaigns are audited as `check` audits them: the same configuration, rules, severities, waivers and
    baseline. With --materials, the live exports of the materials must say what was approved."""
    from auditor import signoff

    record = load_approval(approval)
    session = open_session(config_path)
    files = discover(session, paths)
    apply_policy(session, waivers_path, False, baseline_path, today)
    results = list(audit(session, files, session.config.jobs or 1, keep_documents=False))
    try:
        verdict = signoff.verdict(record, results, files, {"checklists": session.ruleset.digest},
                                  signoff.inputs_of(session, waivers_path, False, baseline_path), session.config,
                                  trusted_path)
    except signoff.SignoffError as exc:
        fail(str(exc))
    who = verdict.approval
    problems = [str(problem) for problem in verdict.problems]
    if materials_dir and verdict.state != "invalid":
        problems += _live_problems(session, files, materials_dir)
    if problems:
        for problem in problems:
            click.echo(problem)
        claim = f"the approval by {who.get('by')} ({who.get('role')}) at {who.get('at')}"
        click.echo(f"NOT VERIFIED: not a valid record of {claim}" if verdict.state == "invalid"
                   else f"NOT VERIFIED: the files differ from {claim}" if verdict.problems
                   else f"NOT VERIFIED: the live materials differ from {claim}")
        sys.exit(1)
    click.echo(f"verified: {len(results)} campaign(s) match the approval signed by {verdict.signer} "
               f"({who.get('role')}, a trusted reviewer) at {who.get('at')}")
    for accepted in who.get("accepted") or []:
        click.echo(f"accepted risk: {accepted['path']}: {accepted['rule']} ({accepted['severity']})")


def _live_problems(session: Any, files: Any, materials_dir: str) -> list[str]:
    """Compare the live exports of the materials with the approved words (printing the notes and a count)."""
    from auditor.load.materials.live import check_live

    live = check_live(session, files, Path(materials_dir))
    for note in live.notes:
        click.echo(f"note: {note}")
    click.echo(f"live materials: {live.matched} compared, {live.changed} changed since approval")
    return [str(problem) for problem in live.problems]


@click.group()
def keys() -> None:
    """Reviewers' signing keys (Ed25519, passphrase-protected)."""


@keys.command("create")
@click.argument("name")
@click.option("--key", "key_path", type=click.Path(dir_okay=False),
              help="Where to write the key (default: ~/.config/campaign-auditor/reviewer.key); never overwritten.")
def keys_create(name: str, key_path: str | None) -> None:
    """Create your signing key (asks for a passphrase); prints the line to add to the trusted reviewers' file."""
    from auditor.keys import KeyError_, default_key_path, new_key_file, parse_key_file, write_private

    target = Path(key_path) if key_path else default_key_path()
    if target.exists():
        fail(f"{target} already exists; a key is never overwritten")
    passphrase = click.prompt("Passphrase (at least 8 characters)", hide_input=True, confirmation_prompt=True,
                              err=True)
    try:
        data, _public = new_key_file(name, passphrase)
        write_private(target, data)
    except KeyError_ as exc:
        fail(str(exc))
    click.echo(f"wrote {target} (mode 0600); add this line to the trusted reviewers' file:", err=True)
    click.echo(parse_key_file(data).export_line())


@keys.command("export")
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="The key (default: your reviewer key).")
def keys_export(key_path: str | None) -> None:
    """Print your public key as a line of the trusted reviewers' file."""
    from auditor.keys import KeyError_, default_key_path, load_key

    try:
        click.echo(load_key(Path(key_path) if key_path else default_key_path()).export_line())
    except KeyError_ as exc:
        fail(str(exc))
