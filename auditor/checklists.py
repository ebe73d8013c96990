"""Rule metadata from `checklists/*.yaml`: titles, severities, references, parameters.

Rule logic lives in `auditor/checks/`; everything a lawyer or a policy owner
may want to tune (windows, lexicons, severities per jurisdiction) lives here
as data.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from auditor.findings import CATEGORIES, SEVERITIES, Severity
from auditor.resources import data_dir

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
    # name -> compiled Lexicon (auditor.text.lexicon), filled by `cached_ruleset`
    compiled_lexicons: dict = field(default_factory=dict, compare=False, hash=False)

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


def _checklist_files(directories: list[Path]) -> list[tuple[str, Path, bytes]]:
    """(label, path, contents) of every checklist and lexicon file, in load order."""
    files = []
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            files.append((path.name, path, path.read_bytes()))
        lexicon_dir = directory / "lexicons"
        for path in sorted(lexicon_dir.glob("*.yaml")) if lexicon_dir.is_dir() else []:
            files.append(("lexicons/" + path.name, path, path.read_bytes()))
    return files


def _parse_files(files: list[tuple[str, Path, bytes]]) -> RuleSet:
    import yaml

    try:  # libyaml parses the checklists about ten times faster than pure-Python PyYAML
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover
        from yaml import SafeLoader as Loader

    hasher = hashlib.sha256()
    checklists = []
    lexicons: dict = {}
    seen: dict[str, str] = {}
    for label, path, text in files:
        hasher.update(label.encode() + b"\0" + text)
        try:
            raw = yaml.load(text, Loader=Loader)
        except yaml.YAMLError as exc:
            raise ChecklistError(f"{path}: not valid YAML: {exc}") from exc
        if label.startswith("lexicons/"):
            lexicons[path.stem] = raw or []
            continue
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
    return RuleSet(tuple(checklists), lexicons, hasher.hexdigest()[:12])


def load_checklist_dirs(directories: list[Path]) -> RuleSet:
    return _parse_files(_checklist_files(directories))


def _code_stamp() -> list:
    """Size and modification time of the auditor's own modules: a development checkout that changes how
    rules or lexicons are built must not reuse a rule set pickled by the old code."""
    package = Path(__file__).resolve().parent
    stamp = []
    for folder in (package, package / "text"):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                stamp.append((entry.name, st.st_size, st.st_mtime_ns))
    return stamp


def cached_ruleset(directories: list[Path]) -> RuleSet:
    """`load_checklist_dirs` with every lexicon compiled, reused from the cache (auditor.cache) while the
    checklist files and the auditor are unchanged."""
    from auditor import cache
    from auditor.text.lexicon import load_lexicon

    files = _checklist_files(directories)
    digest = cache.key("ruleset", _code_stamp(), [(label, text) for label, _, text in files])
    hit = cache.get("ruleset", digest)
    if isinstance(hit, RuleSet):
        return hit
    ruleset = _parse_files(files)
    for name, groups in ruleset.lexicons.items():
        try:
            compiled = load_lexicon(groups)
            compiled.find_ready()
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # reported, with its name, when a rule asks for it (auditor.params)
        ruleset.compiled_lexicons[name] = compiled
    cache.put("ruleset", digest, ruleset)
    return ruleset


@cache
def default_ruleset(extra_dirs: tuple[Path, ...] = ()) -> RuleSet:
    """Built-in checklists, those of installed rule plugins, and configured extra folders."""
    from auditor.plugins import plugin_checklist_dirs

    return cached_ruleset([data_dir("checklists"), *plugin_checklist_dirs(), *extra_dirs])
