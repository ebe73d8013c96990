"""`auditor cache`: the start-up cache of compiled checklists."""

from __future__ import annotations

import click


@click.group("cache")
def cache_group() -> None:
    """The start-up cache of compiled checklists (never of audit results)."""


@cache_group.command("dir")
def cache_dir() -> None:
    """Print the cache folder (AUDITOR_CACHE_DIR; AUDITOR_NO_CACHE=1 turns the cache off)."""
    from auditor import cache

    folder = cache.directory()
    click.echo(str(folder) if folder is not None else "(turned off by AUDITOR_NO_CACHE)")


@cache_group.command("clear")
def cache_clear() -> None:
    """Remove every cache entry; the next run rebuilds them."""
    from auditor import cache

    count = cache.clear()
    click.echo(f"removed {count} cache {'entry' if count == 1 else 'entries'} from {cache.directory()}")
