"""Rule functions by id, cross-checked against the checklist metadata.

A rule function takes `(campaign, params)` and yields `Hit`s. It does no I/O
and sets no severity: the engine adds id, category and severity from the
checklist YAML (yamllint's split between rule logic and rule metadata).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from auditor.findings import Hit

RuleFunction = Callable[..., Iterable[Hit]]
_FUNCTIONS: dict[str, RuleFunction] = {}
_BUILTIN_MODULES = (
    "auditor.checks.fees",
    "auditor.checks.expiry",
    "auditor.checks.cancellation",
    "auditor.checks.competitors",
    "auditor.checks.claims",
    "auditor.checks.terms",
    "auditor.checks.consent",
    "auditor.checks.consistency",
)


# Module name prefix of rule files imported from configured checklist folders.
LOCAL_PREFIX = "auditor_local_rules_"


class RegistryError(Exception):
    pass


def check(rule_id: str):
    """Register the decorated function as the logic of checklist rule `rule_id`."""

    def register(function: RuleFunction) -> RuleFunction:
        if rule_id in _FUNCTIONS and _FUNCTIONS[rule_id] is not function:
            raise RegistryError(f"rule {rule_id} has two functions: {_FUNCTIONS[rule_id].__name__} and {function.__name__}")
        _FUNCTIONS[rule_id] = function
        setattr(function, "rule_id", rule_id)  # noqa: B010 - a plain function has no declared attributes
        return function

    return register


def functions() -> dict[str, RuleFunction]:
    from auditor.plugins import plugin_modules

    for module in _BUILTIN_MODULES:
        importlib.import_module(module)
    plugin_modules()
    return dict(_FUNCTIONS)


def cross_check(ruleset) -> list[str]:
    """Problems between the YAML rules and the registered functions (empty when consistent)."""
    registered = functions()
    problems = []
    yaml_ids = {r.id for r in ruleset.rules if not r.engine}
    for rule in ruleset.rules:
        if rule.engine:
            continue
        function = registered.get(rule.id)
        if function is None:
            problems.append(f"rule {rule.id} ({rule.name}) has no check function")
        elif function.__name__ != rule.name.replace("-", "_"):
            problems.append(f"rule {rule.id}: function `{function.__name__}` should be named after `{rule.name}`")
    for rule_id in sorted(set(registered) - yaml_ids):
        if registered[rule_id].__module__.startswith(LOCAL_PREFIX):
            continue  # a configured folder of another session in this process (the portal, tests)
        problems.append(f"function {registered[rule_id].__name__} is registered as {rule_id}, which no checklist defines")
    return problems


def load_rule_files(directories) -> None:
    """Import the Python rule files (`*.py`) of configured checklist folders, registering their rules."""
    import importlib.util
    import sys
    from pathlib import Path

    for directory in directories:
        for path in sorted(Path(directory).glob("*.py")):
            name = f"{LOCAL_PREFIX}{abs(hash(str(path.resolve())))}_{path.stem}"
            if name in sys.modules:
                continue
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise RegistryError(f"{path}: cannot be loaded as a Python module")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except Exception as exc:
                del sys.modules[name]
                raise RegistryError(f"{path}: cannot be loaded: {exc}") from exc
