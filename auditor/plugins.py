"""Organisation rules through the `auditor.rules` entry-point group.

An entry point names a module. Importing it registers its rule functions
(with `auditor.registry.check`); its `CHECKLISTS` attribute is the folder of
checklist YAML (and `lexicons/`) describing those rules. The registry
cross-check covers plugin rules exactly as built-in ones.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from pathlib import Path

GROUP = "auditor.rules"


class PluginError(Exception):
    pass


def _entry_points() -> list[tuple[str, str]]:
    """(name, value) of the installed `auditor.rules` entry points, sorted by name.

    The scan (auditor.entrypoints) is cached (auditor.cache) under the modification times of the folders on
    `sys.path`: installing, upgrading or removing a distribution adds or removes its metadata folder there.
    The working directory is left out of the key (see below).
    """
    from auditor import cache

    if cache.directory() is None:  # nothing would be read or kept: no key to compute (nor pickle imported)
        return _scan()
    stamps: list[tuple[str, int | None]] = []
    cwd = os.getcwd()
    for entry in sys.path:
        if entry in ("", ".") or os.path.abspath(entry) == cwd:
            # The working directory (on the path under `python -m`) changes whenever a report is written
            # into it; distributions are installed into site-packages, whose time does change.
            continue
        try:
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            stamps.append((entry, None))
    digest = cache.key("plugins", stamps)
    found = cache.get("plugins", digest)
    if not isinstance(found, list):
        found = _scan()
        cache.put("plugins", digest, found)
    return found


def _scan() -> list[tuple[str, str]]:
    from auditor.entrypoints import entry_points  # importlib.metadata's answer, without its 45 ms import

    return sorted(entry_points(GROUP))


@cache
def plugin_modules() -> tuple:
    modules = []
    for name, value in _entry_points():
        try:
            module = importlib.import_module(value.split(":")[0])
        except Exception as exc:  # a broken plugin is a configuration error, reported with its name
            raise PluginError(f"rule plugin `{name}` ({value}) cannot be imported: {exc}") from exc
        modules.append(module)
    return tuple(modules)


def plugin_checklist_dirs() -> list[Path]:
    dirs = []
    for module in plugin_modules():
        folder = getattr(module, "CHECKLISTS", None)
        if folder is None or not Path(folder).is_dir():
            raise PluginError(f"rule plugin {module.__name__} has no CHECKLISTS folder")
        dirs.append(Path(folder))
    return dirs
