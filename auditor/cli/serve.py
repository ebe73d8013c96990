"""`auditor serve` and `auditor users`: the review portal and its accounts (the `portal` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from auditor.cli import options as opt
from auditor.cli.common import fail

PORTAL_EXTRA = "the portal needs its extra packages: pip install 'campaign-auditor[portal]' ({})"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@opt.data_option("Folder for the database and the uploaded files.")
@opt.database_option("SQLAlchemy URL of a PostgreSQL database for teams (default: SQLite in --data).")
@click.option("--import", "imports", multiple=True, type=click.Path(exists=True),
              help="Audit and store these campaign files or folders before serving (e.g. examples/).")
@click.option("--demo-accounts", is_flag=True,
              help="Create a `marketing` and a `legal` account with random passwords (printed) if none exist.")
@click.option("--secure-cookies", is_flag=True,
              help="Behind TLS (a reverse proxy serving https): session cookies are sent over https only.")
@opt.config_option("Configuration whose rules, severities, waivers and baseline the portal's audits apply "
                   "(default: auditor.toml or [tool.auditor] found upward from the working folder).")
def serve(host: str, port: int, data_dir: str, database_url: str | None, imports: tuple[str, ...],
          demo_accounts: bool, secure_cookies: bool, config_path: str | None) -> None:
    """Run the review portal: marketing uploads, legal signs off, in the browser."""
    try:
        from auditor.portal import serve as run
    except ImportError as exc:
        fail(PORTAL_EXTRA.format(exc))
    click.echo(f"campaign-auditor portal on http://{host}:{port}/ (data in {data_dir})", err=True)
    run(Path(data_dir), host, port, database_url, imports=imports, demo=demo_accounts, secure_cookies=secure_cookies,
        config_path=config_path)


@click.group()
def users() -> None:
    """Manage portal accounts."""


def _accounts(data_dir: str, database_url: str | None) -> Any:
    try:
        from auditor.portal.store import Store
    except ImportError as exc:
        fail(PORTAL_EXTRA.format(exc))
    return Store(Path(data_dir), database_url)


def _new_password(name: str) -> str:
    """Prompted twice, hidden (read from standard input when it is not a terminal): never an option,
    which would land in shell history and in every user's `ps`."""
    from auditor.portal.accounts import check_password_strength

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    try:
        check_password_strength(password, name)
    except ValueError as exc:
        fail(str(exc))
    return password


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["marketing", "legal", "admin"]), required=True)
@opt.data_option()
@opt.database_option()
def users_add(name: str, role: str, data_dir: str, database_url: str | None) -> None:
    """Create a portal account with a role (the password is asked for)."""
    from auditor.portal.accounts import check_name

    try:
        check_name(name)
    except ValueError as exc:
        fail(str(exc))
    store = _accounts(data_dir, database_url)
    try:
        store.add_user(name, role, _new_password(name))
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"added {role} account {name}")


@users.command("reset-password")
@click.argument("name")
@opt.data_option()
@opt.database_option()
def users_reset_password(name: str, data_dir: str, database_url: str | None) -> None:
    """Set a new password (asked for); every session of the account ends."""
    store = _accounts(data_dir, database_url)
    if name not in {u["name"] for u in store.user_list()}:
        fail(f"no user {name}")
    try:
        store.set_password(name, _new_password(name))
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"new password set for {name}; its sessions have ended")


@users.command("disable")
@click.argument("name")
@opt.data_option()
@opt.database_option()
def users_disable(name: str, data_dir: str, database_url: str | None) -> None:
    """Disable an account: it cannot log in and its sessions end at once."""
    try:
        _accounts(data_dir, database_url).set_disabled(name, True)
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"disabled {name}; its sessions have ended")


@users.command("list")
@opt.data_option()
@opt.database_option()
def users_list(data_dir: str, database_url: str | None) -> None:
    """List the accounts with their roles."""
    for user in _accounts(data_dir, database_url).user_list():
        click.echo(f"{user['name']:<24} {user['role']:<10} {'disabled' if user['disabled'] else 'active'}")
