"""`auditor rules`, `auditor explain` and `auditor docs`: the rule set as the session builds it (built-in,
plugin and configured checklists)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli import options as opt
from auditor.cli.common import fail, open_session


@click.command()
@opt.text_or_json_option()
@opt.jurisdiction_option("Only the rules that apply there, with the severity they have there.")
@opt.config_option()
def rules(fmt: str, jurisdiction: str | None, config_path: str | None) -> None:
    """List every rule (built-in, plugin and configured checklists) with its category and its severity in each
    jurisdiction."""
    import json

    from auditor import rules_listing

    ruleset = open_session(config_path).ruleset
    if fmt == "json":
        click.echo(json.dumps(rules_listing.as_data(ruleset, jurisdiction), ensure_ascii=False, indent=2))
    else:
        click.echo(rules_listing.as_text(ruleset, jurisdiction))


@click.command()
@click.argument("rule_id")
@opt.config_option()
def explain(rule_id: str, config_path: str | None) -> None:
    """Show what a rule checks, why, an example and how to fix it."""
    from auditor.docs import rule_page

    session = open_session(config_path)
    rule = session.rule(rule_id)
    if rule is None:
        fail(f"no rule {rule_id!r}; `auditor rules` lists them")
    click.echo(rule_page(rule, heading="#", register=session.ruleset.register))


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="docs/rules.md", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the file is out of date instead of writing it.")
@opt.config_option()
def docs(output: str, check_only: bool, config_path: str | None) -> None:
    """Generate docs/rules.md from the checklists (and the configured ones)."""
    from auditor.atomic import OutputError, write_atomic
    from auditor.docs import rules_markdown

    text = rules_markdown(open_session(config_path).ruleset).encode("utf-8")
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
        fail(str(exc))
    click.echo(f"wrote {output}")
