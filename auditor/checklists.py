"""Rule metadata from `checklists/*.yaml`: titles, severities, references, parameters.

Rule logic lives in `auditor/checks/`; everything a lawyer or a policy owner
may want to tune (windows, lexicons, severities per jurisdiction) lives here
as data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from auditor.findings import CATEGORIES, SEVERITIES, Severity
from auditor.resources import data_dir

try:  # libyaml parses the checklists about ten times faster than pure-Python PyYAML
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

JURISDICTIONS = ("CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU")
# A jurisdiction inherits parameters from its parent before its own overrides.
PARENT = {"US-CA": "US"}

RULE_KEYS = {
    "id", "name", "category", "severity", "severity_by_jurisdiction", "jurisdictions", "title", "rationale",
    "references", "fix", "params", "examples", "engine", "aliases",
}


class ChecklistError(Exception):
    """A checklist file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    category: str
    severity: Severity
    title: str
    rationale: str
    references: tuple[str, ...]
    fix: str
    checklist: str
    jurisdictions: tuple[str, ...] = JURISDICTIONS
    severity_by_jurisdiction: dict = field(default_factory=dict, hash=False, compare=False)
    params: dict = field(default_factory=dict, hash=False, compare=False)
    examples: dict = field(default_factory=dict, hash=False, compare=False)
    engine: bool = False  # reserved rules raised by the engine itself, not by a check function

    def applies_to(self, jurisdiction: str | None) -> bool:
        if jurisdiction not in JURISDICTIONS:
            return True  # unknown jurisdiction: the schema reports it; run every rule with defaults
        return jurisdiction in self.jurisdictions

    def severity_for(self, jurisdiction: str | None) -> Severity:
        for key in _lineage(jurisdiction):
            if key in self.severity_by_jurisdiction:
                return Severity(self.severity_by_jurisdiction[key])
        return self.severity

    def params_for(self, jurisdiction: str | None) -> dict:
        merged = dict(self.params.get("default", {}))
        for key in reversed(_lineage(jurisdiction)):
            merged.update(self.params.get(key, {}))
        return merged


def _lineage(jurisdiction: str | None) -> list[str]:
    """Most specific first: US-CA -> [US-CA, US]."""
    out = []
    while jurisdiction:
        out.append(jurisdiction)
        jurisdiction = PARENT.get(jurisdiction)
    return out


@dataclass(frozen=True)
class Checklist:
    name: str
    title: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    checklists: tuple[Checklist, ...]
    lexicons: dict
    digest: str

    @property
    def rules(self) -> list[Rule]:
        return [r for c in self.checklists for r in c.rules]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def _parse_rule(raw, source: str, checklist: str) -> Rule:
    if not isinstance(raw, dict) or "id" not in raw:
        raise ChecklistError(f"{source}: every rule needs an `id`")
    rid = raw["id"]
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise ChecklistError(f"{source}: rule {rid}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "category", "severity", "title", "rationale", "fix"):
        if not str(raw.get(key) or "").strip():
            raise ChecklistError(f"{source}: rule {rid}: `{key}` is required and cannot be empty")
    if raw["category"] not in CATEGORIES:
        raise ChecklistError(f"{source}: rule {rid}: category `{raw['category']}` is not one of {', '.join(CATEGORIES)}")
    if raw["severity"] not in SEVERITIES:
        raise ChecklistError(f"{source}: rule {rid}: severity `{raw['severity']}` is not one of {', '.join(SEVERITIES)}")
    by_j = raw.get("severity_by_jurisdiction") or {}
    for j, sev in by_j.items():
        if j not in JURISDICTIONS or sev not in SEVERITIES:
            raise ChecklistError(f"{source}: rule {rid}: severity_by_jurisdiction {j}: {sev} is not valid")
    jurisdictions = raw.get("jurisdictions", "all")
    if jurisdictions == "all":
        jurisdictions = JURISDICTIONS
    elif not isinstance(jurisdictions, list) or any(j not in JURISDICTIONS for j in jurisdictions):
        raise ChecklistError(f"{source}: rule {rid}: `jurisdictions` must be `all` or a list of {', '.join(JURISDICTIONS)}")
    params = raw.get("params") or {}
    for key in params:
        if key != "default" and key not in JURISDICTIONS:
            raise ChecklistError(f"{source}: rule {rid}: params key `{key}` is neither `default` nor a jurisdiction")
    references = raw.get("references") or []
    if not references:
        raise ChecklistError(f"{source}: rule {rid}: `references` must cite a case or a regulation")
    return Rule(
        id=rid,
        name=raw["name"],
        category=raw["category"],
        severity=Severity(raw["severity"]),
        title=raw["title"].strip(),
        rationale=" ".join(raw["rationale"].split()),
        references=tuple(str(r) for r in references),
        fix=" ".join(raw["fix"].split()),
        checklist=checklist,
        jurisdictions=tuple(jurisdictions),
        severity_by_jurisdiction=dict(by_j),
        params=params,
        examples=raw.get("examples") or {},
        engine=bool(raw.get("engine", False)),
    )


def load_checklist_dirs(directories: list[Path]) -> RuleSet:
    hasher = hashlib.sha256()
    checklists = []
    lexicons: dict = {}
    seen: dict[str, str] = {}
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            text = path.read_bytes()
            hasher.update(path.name.encode() + b"\0" + text)
            try:
                raw = yaml.load(text, Loader=_Loader)
            except yaml.YAMLError as exc:
                raise ChecklistError(f"{path}: not valid YAML: {exc}") from exc
            if not isinstance(raw, dict) or "checklist" not in raw:
                raise ChecklistError(f"{path}: a checklist file needs a `checklist` name and `rules`")
            rules = []
            for item in raw.get("rules") or []:
                rule = _parse_rule(item, str(path), raw["checklist"])
                if rule.id in seen:
                    raise ChecklistError(f"{path}: rule id {rule.id} is already defined in {seen[rule.id]}")
                seen[rule.id] = str(path)
                rules.append(rule)
            checklists.append(Checklist(raw["checklist"], raw.get("title", raw["checklist"]), tuple(rules)))
        lexicon_dir = directory / "lexicons"
        for path in sorted(lexicon_dir.glob("*.yaml")) if lexicon_dir.is_dir() else []:
            text = path.read_bytes()
            hasher.update(b"lexicons/" + path.name.encode() + b"\0" + text)
            try:
                lexicons[path.stem] = yaml.load(text, Loader=_Loader) or []
            except yaml.YAMLError as exc:
                raise ChecklistError(f"{path}: not valid YAML: {exc}") from exc
    return RuleSet(tuple(checklists), lexicons, hasher.hexdigest()[:12])


@cache
def default_ruleset(extra_dirs: tuple[Path, ...] = ()) -> RuleSet:
    """Built-in checklists, those of installed rule plugins, and configured extra folders."""
    from auditor.plugins import plugin_checklist_dirs

    return load_checklist_dirs([data_dir("checklists"), *plugin_checklist_dirs(), *extra_dirs])
