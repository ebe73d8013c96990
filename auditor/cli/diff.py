"""`auditor diff`: findings added and resolved between two versions of a campaign."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli import options as opt
from auditor.cli.common import apply_policy, open_session


@click.command()
@click.argument("old", type=click.Path(dir_okay=False, exists=True))
@click.argument("new", type=click.Path(dir_okay=False, exists=True))
@opt.text_or_json_option()
@opt.config_option()
def diff(old: str, new: str, fmt: str, config_path: str | None) -> None:
    """Findings added and resolved between two versions of a campaign (exit 1 when any was added)."""
    import json

    from auditor.diff import diff_findings
    from auditor.report.json_report import to_dict

    session = open_session(config_path)
    apply_policy(session)
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
