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

import click

from auditor import __version__
from auditor.cli import approvals, authoring, cache, check, diff, policy, rules, serve
from auditor.cli.common import TERMINATED
from auditor.cli.options import FORMATS
from auditor.vocabulary import FAIL_ON

__all__ = ["FAIL_ON", "FORMATS", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


for command in (
    check.check,
    rules.rules, rules.explain, rules.docs,
    policy.baseline, policy.waivers_command,
    approvals.approve, approvals.verify, approvals.keys,
    diff.diff,
    authoring.fix_command, authoring.template, authoring.convert,
    serve.serve, serve.users,
    cache.cache_group,
):
    main.add_command(command)
