"""Command line: `auditor check|rules|explain|docs|...`, one module per group of commands.

`check` (check.py, check_output.py); `rules`, `explain`, `docs` (rules.py); `baseline`, `waivers`
(policy.py); `approve`, `verify`, `keys` (approvals.py); `diff` (diff.py); `fix`, `template`, `convert`
(authoring.py); `serve`, `users` (serve.py); `cache` (cache.py). Options several commands take are declared
once in options.py; the steps every command shares (session, discovery, policy, audit, errors) are in
common.py.

Imports are deferred into the commands so `auditor --version` and a JSON check of one file start fast
(no openpyxl or Jinja2 unless needed).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import click

from auditor import __version__
from auditor.cli.common import TERMINATED
from auditor.cli.options import FORMATS
from auditor.vocabulary import FAIL_ON

__all__ = ["FAIL_ON", "FORMATS", "main"]


# Each command's module and attribute. A command's module is imported when the command is looked up (to run
# it, or for help): `auditor check` imports none of the other commands' modules (about 5 ms of a one-file
# run's start-up). tests/test_startup.py holds the table to the commands' own names.
COMMANDS = {
    "check": ("check", "check"),
    "rules": ("rules", "rules"), "explain": ("rules", "explain"), "docs": ("rules", "docs"),
    "baseline": ("policy", "baseline"), "waivers": ("policy", "waivers_command"),
    "approve": ("approvals", "approve"), "verify": ("approvals", "verify"), "keys": ("approvals", "keys"),
    "diff": ("diff", "diff"),
    "fix": ("authoring", "fix_command"), "template": ("authoring", "template"), "convert": ("authoring", "convert"),
    "serve": ("serve", "serve"), "users": ("serve", "users"),
    "cache": ("cache", "cache_group"),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands (click keeps them in a mutable mapping): name -> command, imported from its module
    when first looked up. Iterating gives every name without importing anything, so click's listing and its
    "did you mean" suggestions see all the commands, as with a plain dict."""

    def __init__(self, table: dict[str, tuple[str, str]]):
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module, attribute = self.table[name]  # KeyError: no such command
            self.loaded[name] = getattr(importlib.import_module(f"auditor.cli.{module}"), attribute)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.loaded.pop(name, None)
        self.table = {key: value for key, value in self.table.items() if key != name}

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self.table), **dict.fromkeys(self.loaded)})

    def __len__(self) -> int:
        return len({*self.table, *self.loaded})


@click.group(commands=LazyCommands(COMMANDS), context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="campaign-auditor", message="%(prog)s %(version)s")
def main() -> None:
    """Audit telecom marketing campaigns before they launch."""
    import signal

    # SIGTERM ends any command promptly, also one blocked on a FIFO (auditor.interrupt); the report
    # being written is discarded, never left half-written.
    def terminate(signum, frame):
        from auditor import interrupt

        TERMINATED.append(signum)
        interrupt.on_signal(signum)

    try:
        signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not in the main thread (e.g. embedded); nothing to install
        pass

