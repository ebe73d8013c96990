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

from auditor import vocabulary
from auditor.findings import Severity
from auditor.resources import data_dir

JURISDICTIONS = vocabulary.JURISDICTIONS
PARENT = vocabulary.PARENT_JURISDICTION

# Kinds of legal source (checklists/references.yaml) and what they are called in reports.
KINDS = {
    "statute": "statute", "regulation": "regulation", "regulator_code": "regulator code",
    "industry_code": "industry code", "guidance": "guidance", "case": "case", "practice": "operator practice",
    "house_policy": "house policy", "specification": "format specification",
}
STATUSES = {"in_force": "in force", "not_yet_in_force": "not yet in force", "draft": "draft", "vacated": "vacated",
            "repealed": "repealed"}
# Kinds that are not law: a finding resting only on these says so in its message.
NOT_LAW = ("practice", "house_policy")
REFERENCES_FILE = "references.yaml"



class ChecklistError(Exception):
    """A checklist file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Reference:
    """One provision of the register of legal sources."""

    id: str
    jurisdiction: str  # a JURISDICTIONS value or ALL
    instrument: str
    article: str
    kind: str
    status: str
    in_force: str | None
    source: str
    last_checked: str
    verification: str = "confirmed"
    summary: str = ""
    note: str = ""
    superseded_by: str = ""

    @property
    def is_case(self) -> bool:
        return self.id.startswith("case:")

    @property
    def binding(self) -> bool:
        return self.status == "in_force"

    def applies_to(self, jurisdiction: str | None) -> bool:
        """Complaint cases and ALL entries apply everywhere; otherwise the campaign's jurisdiction or a parent."""
        if self.is_case or self.jurisdiction == "ALL" or jurisdiction not in JURISDICTIONS:
            return True
        return self.jurisdiction in _lineage(jurisdiction)

    def qualifier(self) -> str:
        """"regulator code, in force" (plus "unverified" when the text could not be checked)."""
        parts = [KINDS[self.kind], STATUSES[self.status]]
        if self.verification == "unverified":
            parts.append("unverified")
        return ", ".join(parts)

    def label(self) -> str:
        """The readable citation used in reports, e.g.
        "UK · Ofcom General Conditions of Entitlement, Condition C1 C1.21-C1.36 (regulator code, in force)"."""
        where = "ALL" if self.jurisdiction == "ALL" else self.jurisdiction
        if self.is_case:
            return f"{self.id} · {where} · {self.instrument} (complaint case)"
        return f"{where} · {self.instrument}, {self.article} ({self.qualifier()})"

    def to_dict(self) -> dict:
        return {"id": self.id, "jurisdiction": self.jurisdiction, "kind": self.kind, "status": self.status,
                "label": self.label()}


@dataclass(frozen=True)
class Rule:
    """One rule of a checklist file: its metadata, parameters and severities per jurisdiction."""

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
    # Register ids cited for context only (a draft, an exemption to check): shown, never the basis of a finding.
    context_references: tuple[str, ...] = ()

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
    """The rules of one checklist file."""

    name: str
    title: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    """Every checklist, lexicon and register entry of a run, with the digest of the files they came from."""

    checklists: tuple[Checklist, ...]
    lexicons: dict
    digest: str
    register: dict = field(default_factory=dict, compare=False, hash=False)  # id -> Reference
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

    def citation(self, rule: Rule, jurisdiction: str | None) -> Citation:
        """What a finding of `rule` on a campaign of `jurisdiction` cites, and what it rests on."""
        cited = [self.register[i] for i in rule.references if i in self.register]
        applicable = [r for r in cited if r.applies_to(jurisdiction)]
        context = tuple(self.register[i] for i in rule.context_references
                        if i in self.register and self.register[i].applies_to(jurisdiction))
        basis = "law"
        if not rule.engine and jurisdiction in JURISDICTIONS:
            basis, added = self._basis(applicable)
            applicable += added
        stated = bool(rule.params_for(jurisdiction).get("basis_stated"))
        return Citation(tuple(applicable), context, basis, stated)

    def _basis(self, applicable: list[Reference]) -> tuple[str, list[Reference]]:
        """`law` when a rule's own applicable sources include law, else `practice` or `house_policy` (citing the
        house checklist when the rule names no house policy of its own)."""
        own = [r for r in applicable if not r.is_case and r.kind != "specification"]
        if any(r.kind not in NOT_LAW for r in own):
            return "law", []
        if any(r.kind == "practice" for r in own):
            return "practice", []
        if any(r.kind == "house_policy" for r in own) or "house-checklist" not in self.register:
            return "house_policy", []
        return "house_policy", [self.register["house-checklist"]]


@dataclass(frozen=True)
class Citation:
    """The register entries a finding cites in its jurisdiction (binding first, then context) and its basis:
    `law` (a statute, regulation, code, guidance or court case of the jurisdiction), `practice` or
    `house_policy` (no applicable law registered)."""

    sources: tuple[Reference, ...]
    context: tuple[Reference, ...]
    basis: str
    stated: bool = False  # the rule's own message already says what the finding rests on

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(r.label() for r in self.sources) + tuple(
            r.label() + " [context, not the basis]" for r in self.context)

    @property
    def records(self) -> tuple[dict, ...]:
        return tuple(r.to_dict() for r in self.sources) + tuple(
            dict(r.to_dict(), binding=False) for r in self.context)


def _parse_rule(raw: dict, checklist: str) -> Rule:
    """A rule from its entry, already validated against schemas/checklist.schema.json."""
    references = [r.strip() if isinstance(r, str) else r["id"] for r in raw["references"]
                  if isinstance(r, str) or r.get("binding", True) is not False]
    context = [r["id"] for r in raw["references"] if isinstance(r, dict) and r.get("binding", True) is False]
    jurisdictions = raw.get("jurisdictions", "all")
    return Rule(
        id=raw["id"],
        name=raw["name"],
        category=raw["category"],
        severity=Severity(raw["severity"]),
        title=raw["title"].strip(),
        rationale=" ".join(raw["rationale"].split()),
        references=tuple(references),
        context_references=tuple(context),
        fix=" ".join(raw["fix"].split()),
        checklist=checklist,
        jurisdictions=JURISDICTIONS if jurisdictions == "all" else tuple(jurisdictions),
        severity_by_jurisdiction=dict(raw.get("severity_by_jurisdiction") or {}),
        params=raw.get("params") or {},
        examples=raw.get("examples") or {},
        engine=bool(raw.get("engine", False)),
    )


def _checklist_files(directories: list[Path]) -> list[tuple[str, Path, bytes]]:
    """(label, path, contents) of every checklist and lexicon file, in load order."""
    files = []
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            label = "register/" + path.name if path.name == REFERENCES_FILE else path.name
            files.append((label, path, path.read_bytes()))
        lexicon_dir = directory / "lexicons"
        for path in sorted(lexicon_dir.glob("*.yaml")) if lexicon_dir.is_dir() else []:
            files.append(("lexicons/" + path.name, path, path.read_bytes()))
    return files


def _yaml_loader():
    try:  # libyaml parses the checklists about ten times faster than pure-Python PyYAML
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover
        from yaml import SafeLoader as Loader
    return Loader


def _parse_yaml(path: Path, text: bytes):
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise ChecklistError(f"{path}: not valid YAML: {exc}") from exc


def _raw(label: str, path: Path, text: bytes, copies: dict | None) -> tuple[object, bool]:
    """A file's parsed data and whether it already passed the schema checks: from its folder's pre-parsed
    copy (auditor.preparsed) when that holds this very text, else parsed from the YAML."""
    if copies is not None:
        folder = path.parent.parent if label.startswith("lexicons/") else path.parent
        if folder not in copies:
            from auditor import preparsed

            copies[folder] = preparsed.read(folder)
        copy = copies[folder]
        if copy is not None:
            found, data = copy.data(label, text)
            if found:
                return data, copy.checked
    return _parse_yaml(path, text), False


def _parse_files(files: list[tuple[str, Path, bytes]], preparsed: bool = True) -> RuleSet:
    hasher = hashlib.sha256()
    checklists = []
    lexicons: dict = {}
    seen: dict[str, str] = {}
    register: dict[str, Reference] = {}
    copies: dict | None = {} if preparsed else None
    for label, path, text in files:
        hasher.update(label.encode() + b"\0" + text)
        raw, checked = _raw(label, path, text, copies)
        if label.startswith("lexicons/"):
            lexicons[path.stem] = raw or []
        elif label.startswith("register/"):
            _add_references(register, _parse_register(raw, path, text, checked), path)
        else:
            checklists.append(_parse_checklist(raw, path, text, seen, checked))
    ruleset = RuleSet(tuple(checklists), lexicons, hasher.hexdigest()[:12], register)
    check_citations(ruleset, seen)
    return ruleset


def _validated(kind: str, raw, path: Path, text: bytes, entries: str) -> None:
    """Schema violations of a checklist or register file as a ChecklistError: the first in the file, with its
    line and the rule or reference it is in."""
    from auditor.schema import first_problem, project_problems

    problems = project_problems(kind, raw, entries)
    if not problems:
        return
    line = _lines(text)
    first = first_problem(problems, line)
    item = raw[entries][first.entry] if first.entry is not None else None
    ident = item.get("id") if isinstance(item, dict) else None
    what = {"rules": "rule", "references": "reference"}[entries]
    scope = "" if first.entry is None else f"{what} {ident}: " if ident else f"{what} #{first.entry + 1}: "
    raise ChecklistError(f"{path}:{line(first.pointer)}: {scope}{first.message}")


def _lines(text: bytes):
    """pointer -> line of a YAML file (parsed again with positions: only for a file with a problem)."""
    from auditor.load.yamlfile import load_yaml

    sourcemap = load_yaml(text).sourcemap
    return lambda pointer: sourcemap.locate(pointer).line or 1


def _parse_checklist(raw, path: Path, text: bytes, seen: dict[str, str], checked: bool = False) -> Checklist:
    """A checklist file's rules; `seen` (rule id -> file) refuses an id defined twice; `checked`: the data
    already passed the schema checks."""
    if not checked:
        _validated("checklist", raw, path, text, "rules")
    rules = []
    for item in raw.get("rules") or []:
        rule = _parse_rule(item, raw["checklist"])
        if rule.id in seen:
            raise ChecklistError(f"{path}: rule id {rule.id} is already defined in {seen[rule.id]}")
        seen[rule.id] = str(path)
        rules.append(rule)
    return Checklist(raw["checklist"], str(raw.get("title", raw["checklist"])), tuple(rules))


def _add_references(register: dict[str, Reference], entries: list[Reference], path: Path) -> None:
    for entry in entries:
        if entry.id in register:
            raise ChecklistError(f"{path}: reference id {entry.id} is already defined")
        register[entry.id] = entry


def _parse_register(raw, path: Path, text: bytes, checked: bool = False) -> list[Reference]:
    """Entries of a references.yaml, validated against schemas/references.schema.json (unless `checked`)."""
    if not checked:
        _validated("references", raw, path, text, "references")
    entries = [Reference(**{key.replace("-", "_"): value for key, value in item.items()})
               for item in raw["references"]]
    known = {e.id for e in entries}
    for entry in entries:
        if entry.superseded_by and entry.superseded_by not in known:
            raise ChecklistError(f"{path}: reference {entry.id}: superseded_by names unknown id {entry.superseded_by}")
    return entries


def check_citations(ruleset: RuleSet, where: dict[str, str]) -> None:
    """Every rule cites register ids; a draft, vacated, repealed or not-yet-in-force source only as context."""
    register = ruleset.register
    for rule in ruleset.rules:
        source = where.get(rule.id, rule.checklist)
        for ident in rule.references + rule.context_references:
            if ident not in register:
                raise ChecklistError(f"{source}: rule {rule.id}: reference `{ident}` is not in the register "
                                     f"(checklists/{REFERENCES_FILE})")
        for ident in rule.references:
            entry = register[ident]
            if not entry.binding:
                raise ChecklistError(
                    f"{source}: rule {rule.id}: cites `{ident}` ({STATUSES[entry.status]}) as binding; cite it as "
                    f"{{id: {ident}, binding: false}} or cite the provision in force"
                    + (f" ({entry.superseded_by})" if entry.superseded_by else ""))


def load_checklist_dirs(directories: list[Path], preparsed: bool = True) -> RuleSet:
    """The rule set of these folders; `preparsed=False` parses every file as YAML even where a folder has a
    current pre-parsed copy (auditor.preparsed)."""
    return _parse_files(_checklist_files(directories), preparsed)


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
    checklist files and the auditor are unchanged; with the cache off, `load_checklist_dirs` as it is."""
    from auditor import cache
    from auditor.text.lexicon import load_lexicon

    files = _checklist_files(directories)
    if cache.directory() is None:
        # Nothing will be kept, so nothing is compiled ahead: a lexicon is compiled, and its automaton built,
        # when a rule first asks for it (auditor.params). A one-file run scans a few of the twenty.
        return _parse_files(files)
    # the files' bytes as they are: a repr of 150 KB of YAML cost 2 ms per run
    digest = cache.key("ruleset", _code_stamp(), *(part for label, _, text in files for part in (label, text)))
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
