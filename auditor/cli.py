"""Command line: `auditor check|rules|explain|docs`.

Imports are deferred into the commands so `auditor --version` and a JSON
check of one file start fast (no openpyxl or Jinja2 unless needed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor import __version__

FAIL_ON = ["critical", "high", "medium", "low", "info", "none"]


def _fail(message: str, code: int = 2):
    click.echo(f"auditor: error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="campaign-auditor", message="%(prog)s %(version)s")
def main():
    """Audit telecom marketing campaigns before they launch."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report written to standard output (or --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the --format report to this file.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write the HTML risk report here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the JSON report here.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="high", show_default=True,
              help="Exit 1 when an unwaived finding is at or above this severity (`none`: never).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option("--lang", type=click.Choice(["en", "zh-CN", "zh-TW"]), default="en", show_default=True,
              help="Language of the HTML and text reports (campaign text is never translated).")
@click.option("--approval", "approval_path", type=click.Path(dir_okay=False, exists=True),
              help="Approval record (from `auditor approve`) to show in the HTML report.")
def check(paths, fmt, output, html_path, json_path, fail_on, color, lang, approval_path):
    """Audit campaign files and folders (.json, .yaml, .yml, .xlsx)."""
    from auditor.atomic import OutputError, check_not_input, write_atomic
    from auditor.checklists import ChecklistError, default_ruleset
    from auditor.engine import AuditOptions, UsageError, audit_paths, discover
    from auditor.report import AuditRun, generation_time
    from auditor.scoring import gate_fails

    try:
        files = discover(paths)
    except UsageError as exc:
        _fail(str(exc))
    if not files:
        _fail("no campaign files (.json, .yaml, .yml, .xlsx) found in " + ", ".join(paths))
    try:
        ruleset = default_ruleset()
    except ChecklistError as exc:
        _fail(f"bad checklist: {exc}")
    targets = [Path(p) for p in (output, html_path, json_path) if p]
    try:
        for target in targets:
            check_not_input(target, [p for p, _ in files])
    except OutputError as exc:
        _fail(str(exc))

    approval = None
    if approval_path:
        from auditor.approval import ApprovalError, load

        try:
            approval = load(Path(approval_path).read_text(encoding="utf-8"))
        except (ApprovalError, OSError, UnicodeDecodeError) as exc:
            _fail(f"{approval_path}: {exc}")
    options = AuditOptions(ruleset=ruleset, keep_documents=bool(html_path))
    results = list(audit_paths(files, options))
    run = AuditRun(campaigns=results, checklist_digest=ruleset.digest, fail_on=fail_on,
                   generated=generation_time(), rules=ruleset.rules)

    def rendered(kind: str, colour: bool = False) -> bytes:
        if kind == "json":
            from auditor.report.json_report import render
            return render(run)
        if kind == "html":
            from auditor.report.html_report import render
            return render(run, lang=lang, approval=approval)
        from auditor.report.text_report import render
        return render(run, colour=colour, lang=lang)

    try:
        if html_path:
            write_atomic(Path(html_path), rendered("html"))
        if json_path:
            write_atomic(Path(json_path), rendered("json"))
        if output:
            write_atomic(Path(output), rendered(fmt))
        else:
            colour = color if color is not None else (fmt == "text" and sys.stdout.isatty())
            sys.stdout.buffer.write(rendered(fmt, colour))
            sys.stdout.flush()
    except OutputError as exc:
        _fail(str(exc))
    sys.exit(1 if gate_fails([f for r in results for f in r.findings], fail_on) else 0)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt):
    """List every rule with its category, severity and jurisdictions."""
    import json

    from auditor.checklists import JURISDICTIONS, default_ruleset

    ruleset = default_ruleset()
    if fmt == "json":
        data = [{"id": r.id, "name": r.name, "category": r.category, "severity": r.severity.value,
                 "jurisdictions": list(r.jurisdictions), "title": r.title, "checklist": r.checklist}
                for r in ruleset.rules]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for rule in ruleset.rules:
        where = "all" if tuple(rule.jurisdictions) == JURISDICTIONS else ",".join(rule.jurisdictions)
        click.echo(f"{rule.id:<9} {rule.severity.value:<8} {rule.category:<22} {where:<14} {rule.title}")


@main.command()
@click.argument("rule_id")
def explain(rule_id):
    """Show what a rule checks, why, an example and how to fix it."""
    from auditor.checklists import default_ruleset
    from auditor.docs import rule_page

    ruleset = default_ruleset()
    wanted = rule_id.strip().upper()
    for rule in ruleset.rules:
        if rule.id.upper() == wanted or rule.name == rule_id.strip().lower():
            click.echo(rule_page(rule, heading="#"))
            return
    _fail(f"no rule {rule_id!r}; `auditor rules` lists them")


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="docs/rules.md", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the file is out of date instead of writing it.")
def docs(output, check_only):
    """Generate docs/rules.md from the checklists."""
    from auditor.atomic import write_atomic
    from auditor.checklists import default_ruleset
    from auditor.docs import rules_markdown

    text = rules_markdown(default_ruleset()).encode("utf-8")
    target = Path(output)
    if check_only:
        current = target.read_bytes() if target.exists() else b""
        if current != text:
            click.echo(f"{output} is out of date; run `auditor docs`", err=True)
            sys.exit(1)
        return
    write_atomic(target, text)
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
@click.option("--by", "by", required=True, help="Name of the approver.")
@click.option("--role", required=True, help="Role of the approver (e.g. legal counsel).")
@click.option("--note", default="", help="Note recorded with the approval.")
@click.option("--accept-risk", is_flag=True, help="Approve although unwaived critical findings remain (recorded).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Where to write the record (default: stdout).")
def approve(report, by, role, note, accept_risk, output):
    """Record legal approval of a JSON report, bound to each campaign's sha256 and findings."""
    import json

    from auditor.approval import ApprovalError, create
    from auditor.atomic import OutputError, write_atomic
    from auditor.report import generation_time

    try:
        data = json.loads(Path(report).read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        _fail(f"{report}: not a readable JSON report: {exc}")
    import datetime as dt

    when = generation_time() or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    try:
        record = create(data, by, role, note, accept_risk, when)
    except ApprovalError as exc:
        _fail(str(exc), code=1)
    text = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if output:
        try:
            write_atomic(Path(output), text)
        except OutputError as exc:
            _fail(str(exc))
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(text)


@main.command()
@click.argument("approval", type=click.Path(dir_okay=False, exists=True))
@click.argument("paths", nargs=-1, required=True)
def verify(approval, paths):
    """Exit 0 only if the campaigns are byte-identical to what was approved and no new finding appeared."""
    from auditor.approval import ApprovalError, compare, load
    from auditor.checklists import default_ruleset
    from auditor.engine import AuditOptions, UsageError, audit_paths, discover
    from auditor.report import AuditRun
    from auditor.report.json_report import to_dict

    try:
        record = load(Path(approval).read_text(encoding="utf-8"))
    except (ApprovalError, OSError, UnicodeDecodeError) as exc:
        _fail(f"{approval}: {exc}")
    try:
        files = discover(paths)
    except UsageError as exc:
        _fail(str(exc))
    ruleset = default_ruleset()
    results = list(audit_paths(files, AuditOptions(ruleset=ruleset, keep_documents=False)))
    report = to_dict(AuditRun(campaigns=results, checklist_digest=ruleset.digest))
    problems = compare(record, report)
    who = record["approval"]
    if problems:
        for problem in problems:
            click.echo(problem)
        click.echo(f"NOT VERIFIED: differs from the approval by {who['by']} ({who['role']}) at {who['at']}")
        sys.exit(1)
    click.echo(f"verified: {len(results)} campaign(s) match the approval by {who['by']} ({who['role']}) at {who['at']}")
