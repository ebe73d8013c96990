"""The options several commands take, each declared once.

Choices come from the vocabulary (jurisdictions, severities, report languages) and from the reporter registry
(`--format`), so a new jurisdiction, language or reporter reaches every command. The help text is the part a
command may word for itself (`--jurisdiction` filters the listing of `rules` but sets a default in `check`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from auditor.report import REPORTERS
from auditor.vocabulary import FAIL_ON, JURISDICTIONS, REPORT_LANGUAGES

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

# The report formats: the reporter registry's names (a test holds them equal).
FORMATS: list[str] = list(REPORTERS)

CONFIG_HELP = "Configuration file (default: auditor.toml or [tool.auditor] found upward)."


def config_option(help_text: str | None = CONFIG_HELP) -> Decorator:
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True), help=help_text)


def jurisdiction_option(help_text: str) -> Decorator:
    return click.option("--jurisdiction", type=click.Choice(JURISDICTIONS), help=help_text)


def exclude_option() -> Decorator:
    return click.option("--exclude", multiple=True, help="Glob of source paths to skip (repeatable).")


def waivers_option(help_text: str) -> Decorator:
    return click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False), help=help_text)


def no_waivers_option() -> Decorator:
    return click.option("--no-waivers", is_flag=True, help="Ignore every waiver and show the full picture.")


def baseline_option(help_text: str) -> Decorator:
    return click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help=help_text)


def jobs_option(help_text: str | None = None) -> Decorator:
    return click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help=help_text)


def fail_on_option() -> Decorator:
    return click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                        help="Exit 1 when an unwaived finding is at or above this severity (`none`: never). "
                             "Default: high.")


def lang_option(help_text: str) -> Decorator:
    return click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="en", show_default=True,
                        help=help_text)


def report_format_option() -> Decorator:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                        help="Report written to standard output (or --output).")


def text_or_json_option() -> Decorator:
    """`--format text|json` of the commands that print a listing."""
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


def changed_since_option(help_text: str) -> Decorator:
    return click.option("--changed-since", "changed_since", metavar="REF", help=help_text)


def today_option() -> Decorator:
    """Hidden: the day waivers expire against, for tests."""
    return click.option("--today", hidden=True, help="Date used for waiver expiry (testing).")


def data_option(help_text: str | None = None) -> Decorator:
    """The portal's data folder."""
    return click.option("--data", "data_dir", default="auditor-data", show_default=True,
                        type=click.Path(file_okay=False), help=help_text)


def database_option(help_text: str | None = None) -> Decorator:
    return click.option("--database-url", help=help_text)
