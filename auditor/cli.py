"""Command line: `auditor check|rules|explain|docs`.

Imports are deferred into the commands so `auditor --version` and a JSON
check of one file start fast (no openpyxl or Jinja2 unless needed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from auditor import __version__
from auditor.vocabulary import REPORT_LANGUAGES

FAIL_ON = ["critical", "high", "medium", "low", "info", "none"]
_TERMINATED: list[int] = []  # signals received; checked at safe points


def _stop_if_terminated() -> None:
    if _TERMINATED:
        raise SystemExit(128 + _TERMINATED[0])


def _fail(message: str, code: int = 2):
    click.echo(f"auditor: error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="campaign-auditor", message="%(prog)s %(version)s")
def main():
    """Audit telecom marketing campaigns before they launch."""
    import signal

    # SIGTERM ends any command promptly, also one blocked on a FIFO (auditor.interrupt); the report
    # being written is discarded, never left half-written.
    def terminate(signum, frame):
        from auditor import interrupt

        _TERMINATED.append(signum)
        interrupt.on_signal(signum)

    try:
        signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not in the main thread (e.g. embedded); nothing to install
        pass


# The report formats, from the reporter registry (auditor.report.REPORTERS), without importing it at start-up.
FORMATS = ["text", "json", "sarif", "junit", "markdown", "html", "github", "codequality"]


def _session(config_path=None, jurisdiction=None, excludes=()):
    """The configured session every command goes through (a configuration problem exits 2)."""
    from auditor.session import Session, SessionError

    try:
        return Session(config_path, jurisdiction=jurisdiction, excludes=excludes)
    except SessionError as exc:
        _fail(str(exc))


def _files(session, paths, **discovery):
    """The campaign files (the discovery rule applies; see auditor.discovery and Session.discover)."""
    from auditor.session import SessionError

    try:
        return session.discover(paths, **discovery)
    except SessionError as exc:
        _fail(str(exc))


def _policy(session, waivers_path=None, no_waivers=False, baseline_path=None, today=None, baseline=True):
    from auditor.session import SessionError

    try:
        session.use_waivers(waivers_path, ignore=no_waivers, day=today)
        if baseline:
            session.use_baseline(baseline_path)
    except SessionError as exc:
        _fail(str(exc))


def _audit(session, files, jobs, keep_documents, progress=False):
    """Finished results of the session, stopping cleanly on SIGTERM between campaigns."""
    from auditor.engine import WorkerError

    stream = session.audit(files, jobs=jobs, keep_documents=keep_documents)
    try:
        if not progress:
            for result in stream:
                _stop_if_terminated()
                yield result
            _stop_if_terminated()
            return
        with click.progressbar(stream, length=len(files), label="auditing", file=sys.stderr) as bar:
            for result in bar:
                _stop_if_terminated()
                yield result
        _stop_if_terminated()
    except WorkerError as exc:
        _fail(str(exc))


def _auto_jobs(files: int) -> int:
    """Default parallelism: worker processes only where they make the run faster (auditor.parallel)."""
    from auditor.parallel import auto_jobs

    return auto_jobs(files)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report written to standard output (or --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the --format report to this file.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write the HTML risk report here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the JSON report here.")
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False), help="Also write SARIF 2.1.0 here.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False), help="Also write JUnit XML here.")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False),
              help="Also write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when an unwaived finding is at or above this severity (`none`: never). Default: high.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="Configuration file (default: auditor.toml or [tool.auditor] found upward).")
@click.option("--exclude", multiple=True, help="Glob of source paths to skip (repeatable).")
@click.option("--jurisdiction", type=click.Choice(["CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU"]),
              help="Jurisdiction for campaigns that do not state one.")
@click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False), help="Waiver file (waivers.yaml).")
@click.option("--no-waivers", is_flag=True, help="Ignore every waiver and show the full picture.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Baseline file: findings in it do not fail the gate.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Audit files in N processes.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="en", show_default=True,
              help="Language of the HTML and text reports (campaign text is never translated).")
@click.option("--approval", "approval_path", type=click.Path(dir_okay=False, exists=True),
              help="Approval record (from `auditor approve`) to show in the HTML report.")
@click.option("--annotate", "annotate_path", type=click.Path(),
              help="Write a copy of the audited workbook with every finding as a cell comment, and of each PDF "
                   "material with the findings as highlights (a folder when several are written).")
@click.option("--order", type=click.Choice(["sheet", "rule"]), default="sheet", show_default=True,
              help="List a workbook's findings by sheet, row and column, or group them by rule.")
@click.option("--gitlab-codequality", "codequality_path", type=click.Path(dir_okay=False),
              help="Also write a GitLab Code Quality report here (artifacts:reports:codequality).")
@click.option("--changed-since", "changed_since", metavar="REF",
              help="Audit only the campaigns (or their material files) changed since this git ref.")
@click.option("--only-campaigns", is_flag=True,
              help="Skip named files that are clearly not campaigns too (for hooks that name every changed file).")
@click.option("--fixes", "with_fixes", is_flag=True,
              help="Also compute proven fixes (re-audits each; shown in every report). Off by default: it is slower.")
@click.option("--today", hidden=True, help="Date used for waiver expiry (testing).")
def check(paths, fmt, output, html_path, json_path, sarif_path, junit_path, markdown_path, fail_on, config_path,
          exclude, jurisdiction, waivers_path, no_waivers, baseline_path, jobs, color, lang, approval_path,
          annotate_path, order, codequality_path, changed_since, only_campaigns, with_fixes, today):
    """Audit campaign files and folders (.json, .yaml, .yml, .xlsx)."""
    from auditor.atomic import OutputError, check_outputs, write_atomic, write_stdout

    session = _session(config_path, jurisdiction, exclude)
    session.options.order = order
    files = _files(session, paths, changed_since=changed_since, only_campaigns=only_campaigns,
                   protected=[Path(p) for p in (waivers_path, baseline_path) if p])
    targets = [Path(p) for p in (output, html_path, json_path, sarif_path, junit_path, markdown_path,
                                 codequality_path) if p]
    annotations = _annotation_targets(annotate_path, files) if annotate_path else []
    targets += [target for _, target in annotations] or ([Path(annotate_path)] if annotate_path else [])
    waiver_file = None if no_waivers else (Path(waivers_path) if waivers_path else session.config.waivers)
    baseline_file = Path(baseline_path) if baseline_path else session.config.baseline
    try:
        check_outputs(targets, [p for p, _ in files], {
            "approval record": Path(approval_path) if approval_path else None, "waiver file": waiver_file,
            "baseline": baseline_file, "configuration": session.config.source})
    except OutputError as exc:
        _fail(str(exc))
    approval = _load_approval(approval_path) if approval_path else None
    _policy(session, waivers_path, no_waivers, baseline_path, today)
    config = session.config
    progress = sys.stderr.isatty() and not os.environ.get("CI") and len(files) >= 20
    stream = _audit(session, files, jobs or config.jobs or _auto_jobs(len(files)),
                    keep_documents=bool(html_path) or fmt == "html" or bool(annotate_path), progress=progress)
    from auditor.batch import DuplicateIds

    duplicates = DuplicateIds(session.ruleset)
    stream = (duplicates.check(result) for result in stream)  # AUD-E010: an id declared by two files
    run = session.run([], fail_on)
    tally = session.gate(run.fail_on)  # the gate decision and its reasons, for every report
    stream = _tallied(stream, tally)
    streaming = fmt in ("json", "text") and not (html_path or json_path or sarif_path or junit_path
                                                  or markdown_path or annotate_path or codequality_path or with_fixes)
    if streaming:
        # Constant memory for any batch size: each campaign is written and dropped.
        if fmt == "json":
            session.stream_json_lines()
        failed = _stream_report(run, stream, fmt, output, color, lang, session.policy.waiver_states,
                                lambda: session.decide(tally))
        _warn_waivers(session.policy.waiver_states())
        sys.exit(1 if failed else 0)
    results = list(stream)
    if with_fixes:
        from auditor.fixes import attach_all

        attach_all(results, files, session.options)
    run.campaigns = results
    run.waivers = session.policy.waiver_states()
    run.gate = session.decide(tally)
    verdict, paths_of = None, {}
    if html_path or fmt == "html":
        from auditor import signoff

        paths_of = signoff.paths_of(files)
        try:
            verdict = signoff.verdict(approval, results, files, run.tool,
                                      signoff.inputs_of(session, waivers_path, no_waivers, baseline_path), config)
        except signoff.SignoffError as exc:
            _fail(str(exc))
    run.usage_per_month = config.usage_per_month
    if session.policy.baseline is not None and (html_path or markdown_path or fmt in ("html", "markdown")):
        from auditor.signoff import baseline_info

        run.baseline = baseline_info(Path(baseline_path) if baseline_path else config.baseline)

    def rendered(kind: str, colour: bool = False) -> bytes:
        from auditor.report import render

        return render(kind, run, lang=lang, verdict=verdict, paths=paths_of, colour=colour)

    try:
        for kind, target in (("html", html_path), ("json", json_path), ("sarif", sarif_path), ("junit", junit_path),
                             ("markdown", markdown_path), ("codequality", codequality_path)):
            if target:
                write_atomic(Path(target), rendered(kind))
        if output:
            write_atomic(Path(output), rendered(fmt))
        else:
            colour = color if color is not None else (fmt == "text" and sys.stdout.isatty())
            write_stdout(rendered(fmt, colour))
        if annotations:
            _write_annotations(annotations, results, lang)
        if annotate_path:
            from auditor.load.materials.annotate import write_pdf_annotations

            if not write_pdf_annotations(annotate_path, results, files, lang) and not annotations:
                click.echo("auditor: warning: nothing to annotate (--annotate copies workbooks and PDF materials)",
                           err=True)
    except OutputError as exc:
        _fail(str(exc))
    _warn_waivers(run.waivers)
    _stop_if_terminated()
    sys.exit(1 if run.gate.failed else 0)


def _tallied(stream, tally):
    for result in stream:
        tally.add(result)
        yield result


def _warn_waivers(states) -> None:
    for state in states:
        if state["state"] in ("expired", "unused"):
            click.echo(f"auditor: warning: waiver line {state['line']} ({state['rule']} on {state['campaign']}) is "
                       f"{state['state']}" + (f" since {state['expires']}; it no longer waives anything"
                                              if state["state"] == "expired" else "; it matches no finding"),
                       err=True)


def _stream_report(run, stream, fmt, output, color, lang, waiver_states, decision) -> bool:
    """Write the JSON or text report campaign by campaign; return whether the gate fails."""
    from auditor.atomic import AtomicFile, OutputError, flush_stdout, write_stdout
    from auditor.report.json_report import JsonStream
    from auditor.report.text_report import TextStream
    from auditor.scoring import gate_fails

    target = None
    try:
        if output:
            target = AtomicFile(Path(output))
            write = target.write
        else:
            def write(data: bytes) -> None:
                write_stdout(data, flush=False)
        if fmt == "json":
            writer = JsonStream(run, write)
        else:
            colour = color if color is not None else (not output and sys.stdout.isatty())
            writer = TextStream(run, write, colour, lang)
        failed = False
        for result in stream:
            writer.add(result)
            failed = failed or gate_fails(result.findings, run.fail_on)
        gate = decision()
        if fmt == "json":
            writer.close(waiver_states(), gate, run.skipped)
        else:
            writer.close(gate, run.skipped)
        _stop_if_terminated()
        if target is not None:
            target.commit()
        else:
            flush_stdout()
        return failed
    except OutputError as exc:
        _fail(str(exc))
    except BaseException:
        if target is not None:
            target.abort()  # never leave half a report behind
        raise


def _load_approval(path: str):
    from auditor.approval import ApprovalError, load
    from auditor.sideinput import MAX_APPROVAL_BYTES, SideInputError, read_side_text

    try:
        return load(read_side_text(Path(path), MAX_APPROVAL_BYTES, "approval record"))
    except SideInputError as exc:
        _fail(str(exc))
    except ApprovalError as exc:
        _fail(f"{path}: {exc}")


def _annotation_targets(annotate_path: str, files) -> list[tuple[Path, Path]]:
    workbooks = [path for path, _ in files if path.suffix.lower() in (".xlsx", ".xlsm")]
    if not workbooks:
        return []  # PDF materials of the campaigns may still be annotated (auditor.load.materials.annotate)
    target = Path(annotate_path)
    if len(workbooks) == 1 and not target.is_dir():
        return [(workbooks[0], target)]
    if target.exists() and not target.is_dir():
        _fail(f"--annotate {annotate_path}: several workbooks are audited, so give a folder")
    target.mkdir(parents=True, exist_ok=True)
    return [(path, target / f"{path.stem}.annotated.xlsx") for path in workbooks]


def _write_annotations(annotations, results, lang: str) -> None:
    import hashlib

    from auditor.annotate import annotate
    from auditor.atomic import OutputError, write_atomic
    from auditor.engine import display_path
    from auditor.i18n import gettext_for

    by_source = {r.source: r for r in results}
    for source, target in annotations:
        result = by_source.get(display_path(source))
        data = source.read_bytes()
        if result is None or hashlib.sha256(data).hexdigest() != result.sha256:
            raise OutputError(f"{source} changed while it was audited; annotation skipped")
        if any(f.rule == "AUD-E001" for f in result.findings):
            click.echo(f"auditor: warning: {source} could not be read as a workbook, so it is not annotated", err=True)
            continue
        write_atomic(target, annotate(data, result, gettext_for(lang) if lang != "en" else None))


@main.command("fix")
@click.argument("campaign", type=click.Path(dir_okay=False, exists=True))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="Where to write the corrected copy (.json, .yaml, .yml or .xlsx); never the input.")
@click.option("--only", multiple=True, help="Apply only the fixes of this rule (repeatable).")
@click.option("--business-decisions", is_flag=True,
              help="Also apply verified structural fixes (a cancellation method, an unticked box, ...).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--jurisdiction", type=click.Choice(["CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU"]),
              help="Jurisdiction for a campaign that does not state one.")
def fix_command(campaign, output, only, business_decisions, config_path, jurisdiction):
    """Write a corrected copy of CAMPAIGN with every verified fix applied."""
    from auditor.atomic import OutputError
    from auditor.fixes.corrected import FixError, describe, fix_file

    session = _session(config_path, jurisdiction)
    wanted = None
    if only:
        rules = [session.rule(r) for r in only]
        if any(r is None for r in rules):
            _fail("unknown rule in --only: " + ", ".join(o for o, r in zip(only, rules) if r is None))
        wanted = frozenset(r.id for r in rules)
    try:
        outcome = fix_file(Path(campaign), Path(output), session.options, wanted, business_decisions)
    except (FixError, OutputError) as exc:
        _fail(str(exc), code=1 if isinstance(exc, FixError) else 2)
    for line in describe(outcome):
        click.echo(line)
    click.echo(f"wrote {output}")


@main.command()
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="en", show_default=True,
              help="Language of the notes and of the worked examples.")
def template(output, lang):
    """Write a campaign workbook to fill in: every sheet and column, notes, drop-downs, worked examples."""
    from auditor.atomic import OutputError, write_atomic
    from auditor.template import build_template

    if not output.lower().endswith(".xlsx"):
        _fail("the template is an .xlsx workbook: give a file name ending in .xlsx")
    try:
        write_atomic(Path(output), build_template(lang))
    except OutputError as exc:
        _fail(str(exc))
    click.echo(f"wrote {output}")


@main.group()
def baseline():
    """Adopt the gate on an existing repository: fail only on new findings."""


@baseline.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None)
@click.option("--today", hidden=True)
def baseline_create(file, paths, config_path, jobs, today):
    """Record the current findings of PATHS in FILE (findings a waiver covers stay with their waiver)."""
    from auditor.baseline import create

    session, files, results = _baseline_audit(file, paths, config_path, jobs, today)
    _write_baseline(file, create(results), session, files)
    count = sum(1 for r in results for f in r.findings if f.status.value == "fail")
    click.echo(f"wrote {file}: {count} finding(s) in {len(results)} campaign(s)")


@baseline.command("update")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None)
@click.option("--changed-since", "changed_since", metavar="REF", help="Only the campaigns changed since this ref.")
@click.option("--today", hidden=True)
def baseline_update(file, paths, config_path, jobs, changed_since, today):
    """Add new findings to FILE, keep existing ones, prune those that no longer occur; print what changed."""
    from auditor.baseline import BaselineError, update

    session, files, results = _baseline_audit(file, paths, config_path, jobs, today, changed_since)
    try:
        change = update(Path(file), results, partial=session.partial)
    except BaselineError as exc:
        _fail(str(exc))
    for line in change.lines():
        click.echo(line)
    _write_baseline(file, change.data(), session, files)
    click.echo(f"updated {file}: {change.summary()}")


def _baseline_audit(file, paths, config_path, jobs, today, changed_since=None):
    """Audit for a baseline: every waiver covers its findings here, an expired one too, so the baseline never
    takes over what a reviewed, expiring waiver is responsible for (its expiry still fails the gate)."""
    import datetime as dt

    session = _session(config_path)
    files = _files(session, paths, changed_since=changed_since, protected=[Path(file)])
    _policy(session, today=today, baseline=False)
    day, session.policy.today = session.policy.today, dt.date.min
    results = list(_audit(session, files, jobs or session.config.jobs or 1, keep_documents=False))
    session.policy.today = day
    expired = [w for w in session.policy.waivers if session.policy.used.get(w.index) and day and w.expires < day]
    held = sum(1 for r in results for f in r.findings if f.status.value == "waived")
    if held:
        click.echo(f"left {held} finding(s) to their waivers in {session.waiver_file.name}, which is not changed"
                   + (f"; {len(expired)} of those waivers expired ({', '.join(w.describe() for w in expired)}):"
                      " renew them or fix the campaigns" if expired else ""), err=True)
    return session, files, results


def _write_baseline(file, data: bytes, session, files) -> None:
    from auditor.atomic import OutputError, check_not_input, write_atomic

    protected = [p for p in (session.config.waivers, session.config.source, session.waiver_file) if p is not None]
    try:
        check_not_input(Path(file), [*[p for p, _ in files], *protected])
        write_atomic(Path(file), data)
    except OutputError as exc:
        _fail(str(exc))


@main.group("cache")
def cache_group():
    """The start-up cache of compiled checklists (never of audit results)."""


@cache_group.command("dir")
def cache_dir():
    """Print the cache folder (AUDITOR_CACHE_DIR; AUDITOR_NO_CACHE=1 turns the cache off)."""
    from auditor import cache

    folder = cache.directory()
    click.echo(str(folder) if folder is not None else "(turned off by AUDITOR_NO_CACHE)")


@cache_group.command("clear")
def cache_clear():
    """Remove every cache entry; the next run rebuilds them."""
    from auditor import cache

    count = cache.clear()
    click.echo(f"removed {count} cache {'entry' if count == 1 else 'entries'} from {cache.directory()}")


@main.command("waivers")
@click.argument("paths", nargs=-1)
@click.option("--file", "waivers_path", type=click.Path(dir_okay=False), help="Waiver file (default: from config).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 when a waiver is expired or unused.")
@click.option("--today", hidden=True)
def waivers_command(paths, waivers_path, config_path, fmt, check_only, today):
    """List each waiver with its state: active, expiring (30 days), expired or unused."""
    import json

    session = _session(config_path)
    if not (waivers_path or (session.config.waivers and session.config.waivers.exists())):
        _fail("no waiver file (give --file or set `waivers` in the configuration)")
    _policy(session, waivers_path, today=today, baseline=False)
    files = _files(session, paths)
    for _ in _audit(session, files, session.config.jobs or 1, keep_documents=False):
        pass
    from auditor.waivers import stale

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


CONFIG_OPTION = click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
                             help="Configuration file (default: auditor.toml or [tool.auditor] found upward).")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--jurisdiction", type=click.Choice(["CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU"]),
              help="Only the rules that apply there, with the severity they have there.")
@CONFIG_OPTION
def rules(fmt, jurisdiction, config_path):
    """List every rule (built-in, plugin and configured checklists) with its category and its severity in each
    jurisdiction."""
    import json

    from auditor import rules_listing

    ruleset = _session(config_path).ruleset
    if fmt == "json":
        click.echo(json.dumps(rules_listing.as_data(ruleset, jurisdiction), ensure_ascii=False, indent=2))
    else:
        click.echo(rules_listing.as_text(ruleset, jurisdiction))


@main.command()
@click.argument("rule_id")
@CONFIG_OPTION
def explain(rule_id, config_path):
    """Show what a rule checks, why, an example and how to fix it."""
    from auditor.docs import rule_page

    session = _session(config_path)
    rule = session.rule(rule_id)
    if rule is None:
        _fail(f"no rule {rule_id!r}; `auditor rules` lists them")
    click.echo(rule_page(rule, heading="#", register=session.ruleset.register))


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="docs/rules.md", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the file is out of date instead of writing it.")
@CONFIG_OPTION
def docs(output, check_only, config_path):
    """Generate docs/rules.md from the checklists (and the configured ones)."""
    from auditor.atomic import OutputError, write_atomic
    from auditor.docs import rules_markdown

    text = rules_markdown(_session(config_path).ruleset).encode("utf-8")
    target = Path(output)
    if check_only:
        current = target.read_bytes() if target.exists() else b""
        if current != text:
            click.echo(f"{output} is out of date; run `auditor docs`", err=True)
            sys.exit(1)
        return
    try:
        write_atomic(target, text)
    except OutputError as exc:
        _fail(str(exc))
    click.echo(f"wrote {output}")


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
def convert(source, target):
    """Convert a campaign between JSON, YAML and XLSX (by file suffix)."""
    from auditor.atomic import OutputError, check_not_input, write_atomic
    from auditor.convert import ConvertError, json_bytes, xlsx_bytes, yaml_bytes
    from auditor.load import kind_of, load_path

    src, dst = Path(source), Path(target)
    if not src.exists():
        _fail(f"no such file: {source}")
    kind = kind_of(dst)
    if kind is None:
        _fail(f"cannot tell the output format of {target}: use .json, .yaml, .yml or .xlsx")
    loaded = load_path(src)
    blocking = [p for p in loaded.problems if p.severity.value == "critical"]
    if loaded.document is None or blocking or not isinstance(loaded.document, dict):
        reasons = "; ".join(f"{p.location.describe()}: {p.message}" for p in loaded.problems) or "not a campaign"
        _fail(f"{source} cannot be converted: {reasons}", code=1)
    try:
        check_not_input(dst, [src])
        data = {"json": json_bytes, "yaml": yaml_bytes, "xlsx": xlsx_bytes}[kind](loaded.document)
        write_atomic(dst, data)
    except (ConvertError, OutputError) as exc:
        _fail(str(exc), code=1)
    click.echo(f"wrote {target}")


@main.command()
@click.argument("report", type=click.Path(dir_okay=False, exists=True))
@click.option("--key", "key_path", type=click.Path(dir_okay=False),
              help="Your reviewer key (default: ~/.config/campaign-auditor/reviewer.key, see `auditor keys create`).")
@click.option("--by", "by", help="Name of the approver; must be the name of the key (which is used when omitted).")
@click.option("--role", required=True, help="Role of the approver (e.g. legal counsel).")
@click.option("--note", default="", help="Note recorded with the approval.")
@click.option("--accept-risk", is_flag=True, help="Approve although unwaived critical findings remain (recorded).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Where to write the record (default: stdout).")
@CONFIG_OPTION
@click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False), help="Waiver file (as given to check).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Baseline (as given to check).")
@click.option("--today", hidden=True, help="Date used for waiver expiry (testing).")
def approve(report, key_path, by, role, note, accept_risk, output, config_path, waivers_path, baseline_path, today):
    """Sign legal approval of a JSON report, bound to each campaign's path, sha256 and findings."""
    import datetime as dt
    import json

    from auditor import signoff
    from auditor.atomic import OutputError, check_not_input, write_atomic, write_stdout
    from auditor.keys import KeyError_, default_key_path, load_key
    from auditor.report import generation_time
    from auditor.sideinput import MAX_APPROVAL_BYTES, SideInputError, read_side_text

    if output:  # before the key and its passphrase: a record must never replace the report it approves
        try:
            check_not_input(Path(output), [Path(report)], "the report being approved")
        except OutputError as exc:
            _fail(str(exc))
    try:
        key = load_key(Path(key_path) if key_path else default_key_path())
        data = json.loads(read_side_text(Path(report), MAX_APPROVAL_BYTES * 4, "JSON report"))
        found = signoff.report_sources(data, Path(report))
    except (KeyError_, signoff.SignoffError, SideInputError) as exc:
        _fail(str(exc))
    except (ValueError, OSError) as exc:
        _fail(f"{report}: not a readable JSON report: {exc}")
    if by and by != key.name:
        _fail(f"--by {by!r} is not the name of the key ({key.name!r}); approvals are signed in the key's name")
    session = _session(config_path)
    files = _files(session, found)
    _policy(session, waivers_path, False, baseline_path, today)
    passphrase = click.prompt(f"Passphrase of the key of {key.name}", hide_input=True, err=True)
    when = generation_time() or dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        shown_of = {f: str(c.get("source")) for f, c in zip(found, data["campaigns"])}
        record = signoff.approve(session, files, data, shown_of, signoff.inputs_of(session, waivers_path, False,
                                                                                    baseline_path),
                                 key, passphrase, role, note, accept_risk, when)
    except signoff.SignoffError as exc:
        _fail(str(exc), code=1)
    text = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        if output:
            check_not_input(Path(output), [Path(report)], "the report being approved")
            write_atomic(Path(output), text)
        else:
            write_stdout(text)
    except OutputError as exc:
        _fail(str(exc))
    if output:
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("approval", type=click.Path(dir_okay=False, exists=True))
@click.argument("paths", nargs=-1, required=True)
@click.option("--trusted", "trusted_path", type=click.Path(dir_okay=False),
              help="Trusted reviewers' public keys (default: `trusted-keys` in auditor.toml).")
@CONFIG_OPTION
@click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False), help="Waiver file (as given to check).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Baseline (as given to check).")
@click.option("--materials", "materials_dir", type=click.Path(file_okay=False, exists=True),
              help="Folder of the materials as live now (saved HTML, PDF, SMS text): each must have the approved "
                   "words, and is re-audited.")
@click.option("--today", hidden=True, help="Date used for waiver expiry (testing).")
def verify(approval, paths, trusted_path, config_path, waivers_path, baseline_path, materials_dir, today):
    """Exit 0 only if the record's signature is valid and trusted and the campaigns are what was approved.

    The campaigns are audited as `check` audits them: the same configuration, rules, severities, waivers and
    baseline. With --materials, the live exports of the materials must say what was approved."""
    from auditor import signoff

    record = _load_approval(approval)
    session = _session(config_path)
    files = _files(session, paths)
    _policy(session, waivers_path, False, baseline_path, today)
    results = list(_audit(session, files, session.config.jobs or 1, keep_documents=False))
    try:
        verdict = signoff.verdict(record, results, files, {"checklists": session.ruleset.digest},
                                  signoff.inputs_of(session, waivers_path, False, baseline_path), session.config,
                                  trusted_path)
    except signoff.SignoffError as exc:
        _fail(str(exc))
    who = verdict.approval
    problems = [str(problem) for problem in verdict.problems]
    if materials_dir and verdict.state != "invalid":
        from auditor.load.materials.live import check_live

        live = check_live(session, files, Path(materials_dir))
        for note in live.notes:
            click.echo(f"note: {note}")
        problems += [str(problem) for problem in live.problems]
        click.echo(f"live materials: {live.matched} compared, {live.changed} changed since approval")
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


@main.group()
def keys():
    """Reviewers' signing keys (Ed25519, passphrase-protected)."""


@keys.command("create")
@click.argument("name")
@click.option("--key", "key_path", type=click.Path(dir_okay=False),
              help="Where to write the key (default: ~/.config/campaign-auditor/reviewer.key); never overwritten.")
def keys_create(name, key_path):
    """Create your signing key (asks for a passphrase); prints the line to add to the trusted reviewers' file."""
    from auditor.keys import KeyError_, default_key_path, new_key_file, parse_key_file, write_private

    target = Path(key_path) if key_path else default_key_path()
    if target.exists():
        _fail(f"{target} already exists; a key is never overwritten")
    passphrase = click.prompt("Passphrase (at least 8 characters)", hide_input=True, confirmation_prompt=True,
                              err=True)
    try:
        data, _public = new_key_file(name, passphrase)
        write_private(target, data)
    except KeyError_ as exc:
        _fail(str(exc))
    click.echo(f"wrote {target} (mode 0600); add this line to the trusted reviewers' file:", err=True)
    click.echo(parse_key_file(data).export_line())


@keys.command("export")
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="The key (default: your reviewer key).")
def keys_export(key_path):
    """Print your public key as a line of the trusted reviewers' file."""
    from auditor.keys import KeyError_, default_key_path, load_key

    try:
        click.echo(load_key(Path(key_path) if key_path else default_key_path()).export_line())
    except KeyError_ as exc:
        _fail(str(exc))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--data", "data_dir", default="auditor-data", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the database and the uploaded files.")
@click.option("--database-url", help="SQLAlchemy URL of a PostgreSQL database for teams (default: SQLite in --data).")
@click.option("--import", "imports", multiple=True, type=click.Path(exists=True),
              help="Audit and store these campaign files or folders before serving (e.g. examples/).")
@click.option("--demo-accounts", is_flag=True,
              help="Create a `marketing` and a `legal` account with random passwords (printed) if none exist.")
@click.option("--secure-cookies", is_flag=True,
              help="Behind TLS (a reverse proxy serving https): session cookies are sent over https only.")
def serve(host, port, data_dir, database_url, imports, demo_accounts, secure_cookies):
    """Run the review portal: marketing uploads, legal signs off, in the browser."""
    try:
        from auditor.portal import serve as run
    except ImportError as exc:
        _fail(f"the portal needs its extra packages: pip install 'campaign-auditor[portal]' ({exc})")
    click.echo(f"campaign-auditor portal on http://{host}:{port}/ (data in {data_dir})", err=True)
    run(Path(data_dir), host, port, database_url, imports=imports, demo=demo_accounts, secure_cookies=secure_cookies)


@main.group()
def users():
    """Manage portal accounts."""


def _accounts(data_dir, database_url):
    try:
        from auditor.portal.store import Store
    except ImportError as exc:
        _fail(f"the portal needs its extra packages: pip install 'campaign-auditor[portal]' ({exc})")
    return Store(Path(data_dir), database_url)


_DATA = click.option("--data", "data_dir", default="auditor-data", show_default=True, type=click.Path(file_okay=False))
_DATABASE = click.option("--database-url")


def _new_password(name: str) -> str:
    """Prompted twice, hidden (read from standard input when it is not a terminal): never an option,
    which would land in shell history and in every user's `ps`."""
    from auditor.portal.accounts import check_password_strength

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    try:
        check_password_strength(password, name)
    except ValueError as exc:
        _fail(str(exc))
    return password


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["marketing", "legal", "admin"]), required=True)
@_DATA
@_DATABASE
def users_add(name, role, data_dir, database_url):
    """Create a portal account with a role (the password is asked for)."""
    from auditor.portal.accounts import check_name

    try:
        check_name(name)
    except ValueError as exc:
        _fail(str(exc))
    store = _accounts(data_dir, database_url)
    try:
        store.add_user(name, role, _new_password(name))
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"added {role} account {name}")


@users.command("reset-password")
@click.argument("name")
@_DATA
@_DATABASE
def users_reset_password(name, data_dir, database_url):
    """Set a new password (asked for); every session of the account ends."""
    store = _accounts(data_dir, database_url)
    if name not in {u["name"] for u in store.user_list()}:
        _fail(f"no user {name}")
    try:
        store.set_password(name, _new_password(name))
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"new password set for {name}; its sessions have ended")


@users.command("disable")
@click.argument("name")
@_DATA
@_DATABASE
def users_disable(name, data_dir, database_url):
    """Disable an account: it cannot log in and its sessions end at once."""
    try:
        _accounts(data_dir, database_url).set_disabled(name, True)
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"disabled {name}; its sessions have ended")


@users.command("list")
@_DATA
@_DATABASE
def users_list(data_dir, database_url):
    """List the accounts with their roles."""
    for user in _accounts(data_dir, database_url).user_list():
        click.echo(f"{user['name']:<24} {user['role']:<10} {'disabled' if user['disabled'] else 'active'}")


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, exists=True))
@click.argument("new", type=click.Path(dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@CONFIG_OPTION
def diff(old, new, fmt, config_path):
    """Findings added and resolved between two versions of a campaign (exit 1 when any was added)."""
    import json

    from auditor.diff import diff_findings
    from auditor.report.json_report import to_dict

    session = _session(config_path)
    _policy(session)
    reports = [to_dict(session.run([session.audit_one(Path(p), p)])) for p in (old, new)]
    added, resolved = diff_findings(reports[0]["campaigns"][0], reports[1]["campaigns"][0])
    if fmt == "json":
        click.echo(json.dumps({"added": added, "resolved": resolved}, ensure_ascii=False, indent=2))
    else:
        for label, items in (("added", added), ("resolved", resolved)):
            for f in items:
                click.echo(f"{label:<9} {f['severity']:<8} {f['rule']:<9} {f['location']['pointer']}: {f['message']}")
        click.echo(f"{len(added)} added, {len(resolved)} resolved")
    sys.exit(1 if added else 0)
