"""Organisation rules through the `auditor.rules` entry-point group.

An entry point names a module. Importing it registers its rule functions
(with `auditor.registry.check`); its `CHECKLISTS` attribute is the folder of
checklist YAML (and `lexicons/`) describing those rules. The registry
cross-check covers plugin rules exactly as built-in ones.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

GROUP = "auditor.rules"


class PluginError(Exception):
    pass


@cache
def plugin_modules() -> tuple:
    modules = []
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            module = importlib.import_module(entry.value.split(":")[0])
        except Exception as exc:  # a broken plugin is a configuration error, reported with its name
            raise PluginError(f"rule plugin `{entry.name}` ({entry.value}) cannot be imported: {exc}") from exc
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
