"""`auditor fix`, `auditor template` and `auditor convert`: write campaign files (a corrected copy, a workbook
to fill in, another format)."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli import options as opt
from auditor.cli.common import fail, open_session


@click.command("fix")
@click.argument("campaign", type=click.Path(dir_okay=False, exists=True))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="Where to write the corrected copy (.json, .yaml, .yml or .xlsx); never the input.")
@click.option("--only", multiple=True, help="Apply only the fixes of this rule (repeatable).")
@click.option("--business-decisions", is_flag=True,
              help="Also apply verified structural fixes (a cancellation method, an unticked box, ...).")
@opt.config_option(None)
@opt.jurisdiction_option("Jurisdiction for a campaign that does not state one.")
def fix_command(campaign: str, output: str, only: tuple[str, ...], business_decisions: bool,
                config_path: str | None, jurisdiction: str | None) -> None:
    """Write a corrected copy of CAMPAIGN with every verified fix applied."""
    from auditor.atomic import OutputError
    from auditor.fixes.corrected import FixError, describe, fix_file

    session = open_session(config_path, jurisdiction)
    wanted = None
    if only:
        rules = [session.rule(r) for r in only]
        if any(r is None for r in rules):
            fail("unknown rule in --only: " + ", ".join(o for o, r in zip(only, rules) if r is None))
        wanted = frozenset(r.id for r in rules)
    try:
        outcome = fix_file(Path(campaign), Path(output), session.options, wanted, business_decisions)
    except (FixError, OutputError) as exc:
        fail(str(exc), code=1 if isinstance(exc, FixError) else 2)
    for line in describe(outcome):
        click.echo(line)
    click.echo(f"wrote {output}")


@click.command()
@click.argument("output", type=click.Path(dir_okay=False))
@opt.lang_option("Language of the notes and of the worked examples.")
def template(output: str, lang: str) -> None:
    """Write a campaign workbook to fill in: every sheet and column, notes, drop-downs, worked examples."""
    from auditor.atomic import OutputError, write_atomic
    from auditor.template import build_template

    if not output.lower().endswith(".xlsx"):
        fail("the template is an .xlsx workbook: give a file name ending in .xlsx")
    try:
        write_atomic(Path(output), build_template(lang))
    except OutputError as exc:
        fail(str(exc))
    click.echo(f"wrote {output}")


@click.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
def convert(source: str, target: str) -> None:
    """Convert a campaign between JSON, YAML and XLSX (by file suffix)."""
    from auditor.atomic import OutputError, check_not_input, write_atomic
    from auditor.convert import ConvertError, json_bytes, xlsx_bytes, yaml_bytes
    from auditor.load import kind_of, load_path

    src, dst = Path(source), Path(target)
    if not src.exists():
        fail(f"no such file: {source}")
    kind = kind_of(dst)
    if kind is None:
        fail(f"cannot tell the output format of {target}: use .json, .yaml, .yml or .xlsx")
    loaded = load_path(src)
    blocking = [p for p in loaded.problems if p.severity.value == "critical"]
    if loaded.document is None or blocking or not isinstance(loaded.document, dict):
        reasons = "; ".join(f"{p.location.describe()}: {p.message}" for p in loaded.problems) or "not a campaign"
        fail(f"{source} cannot be converted: {reasons}", code=1)
    try:
        check_not_input(dst, [src])
        data = {"json": json_bytes, "yaml": yaml_bytes, "xlsx": xlsx_bytes}[kind](loaded.document)
        write_atomic(dst, data)
    except (ConvertError, OutputError) as exc:
        fail(str(exc), code=1)
    click.echo(f"wrote {target}")
