"""The pipeline for one campaign file: load -> limits -> schema -> integrity -> rules -> withheld dependents ->
order -> stable pointers -> score.

`audit_file` never raises for bad input; every problem becomes a finding. The engine's own rules (limits,
references, material files) live in `auditor.checks` beside the checklist rules; the engine runs them and the
rule plan, and turns what they yield into findings. The batch functions stream results in a stable (sorted)
order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditor.campaign import Campaign
from auditor.checklists import Citation, Rule, RuleSet, default_ruleset
from auditor.checks.engine_rules import (  # noqa: F401 (re-exported: the reserved rule ids)
    BROKEN_REFERENCE,
    INPUT_IRREGULARITY,
    LIMIT_EXCEEDED,
    LOAD_ERROR,
    MATERIAL_FILE,
    RULE_ERROR,
    SCHEMA_ERROR,
    UNKNOWN_FIELD,
    EngineHit,
)
from auditor.checks.limits import limit_problem
from auditor.checks.material_files import read_material_files
from auditor.checks.references import INTEGRITY_CHECKS, IntegrityCheck
from auditor.findings import CampaignResult, Finding, FindingBrief, Hit, Location, RuleOutcome, Severity, Status
from auditor.legal import with_basis
from auditor.load import DEFAULT_MAX_FILE_BYTES, Loaded, load_path
from auditor.parallel import WorkerError  # noqa: F401 (raised by audit_paths; part of this module's API)
from auditor.registry import RuleFunction
from auditor.scoring import score
from auditor.sourcemap import SourceMap


@dataclass
class AuditOptions:
    """The rules, limits and options a campaign is audited with."""

    ruleset: RuleSet | None = None
    enabled: frozenset[str] | None = None  # only these rule ids (None: all)
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    default_jurisdiction: str | None = None
    extra_own_names: tuple[str, ...] = ()
    # lexicon name -> extra terms from configuration (e.g. competitor names)
    extra_lexicon_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_depth: int = 32  # a campaign nests 5 levels; deeper is hostile or broken
    max_string_length: int = 200_000  # characters in one value; a whole contract is far shorter
    workbook_limits: object = None  # load.xlsx.WorkbookLimits; None: the defaults
    material_limits: object = None  # load.materials.MaterialLimits; None: the defaults
    keep_documents: bool = True  # the HTML report summarises each campaign
    # Encode each campaign's report line where it is audited (in the worker process), so the parent only
    # writes bytes: set (by the session, to the JSON reporter's line encoder) when the JSON report is streamed
    # and nothing changes results after. The engine knows no reporter.
    encoder: Callable[[CampaignResult], bytes] | None = None
    # house-policy name -> {jurisdiction: on?} from auditor.toml `[house-policy]` (absent: on everywhere)
    house_policy: dict[str, dict[str, bool]] = field(default_factory=dict)
    # Workbook findings by sheet, row and column ("sheet"), or every source in the core order ("rule").
    order: str = "sheet"
    # jurisdiction -> its rule plan, built on first use (see `rule_plan`)
    plans: dict[str | None, list[PlannedRule]] = field(default_factory=dict, init=False, repr=False,
                                                        compare=False)

    def house_policy_on(self, name: str, jurisdiction: str | None) -> bool:
        switches = self.house_policy.get(name, {})
        return bool(switches.get(jurisdiction or "", switches.get("default", True)))

    def rules(self) -> RuleSet:
        if self.ruleset is None:
            self.ruleset = default_ruleset()
        return self.ruleset


# re-exported: UsageError is a problem with how the auditor was called (exit 2); display_path is how a path is shown
from auditor.discovery import UsageError, display_path  # noqa: E402,F401


def discover(paths: Iterable[str], excludes: Iterable[str] = ()) -> list[tuple[Path, str]]:
    """Files with a campaign suffix under the given paths: recursive, sorted, de-duplicated, no content test.

    Raises UsageError for a path that does not exist. `auditor.discovery.find_campaigns` applies the
    rule of what is a campaign on top of this walk.
    """
    from auditor.discovery import walk

    return [(path, shown) for path, shown, _ in walk(paths, excludes)]


def _limit_problem(document, options: AuditOptions, text_length: int | None = None) -> tuple[str, str] | None:
    """The first configured limit the document exceeds: (pointer, message), or None (auditor.checks.limits)."""
    return limit_problem(document, options.max_depth, options.max_string_length, text_length)


def _finding(rule_id: str, message, location: Location, options: AuditOptions,
             severity: Severity | None = None, evidence: str | None = None) -> Finding:
    """A finding of a reserved engine rule. `message`: plain English, or a translatable messages.T (its English
    form is the message)."""
    ruleset = options.rules()
    rule = ruleset.rule(rule_id)
    cite = ruleset.citation(rule, None)
    return Finding(rule=rule.id, category=rule.category, severity=severity or rule.severity, message=str(message),
                   location=location, name=rule.name, title=rule.title, evidence=evidence,
                   references=cite.labels, sources=cite.records, fix=rule.fix,
                   message_t=None if isinstance(message, str) else message)


def _engine_findings(hits: Iterable[EngineHit], sourcemap: SourceMap, options: AuditOptions) -> list[Finding]:
    return [_finding(hit.rule, hit.message, sourcemap.locate(hit.pointer), options, severity=hit.severity)
            for hit in hits]


def _integrity(check: IntegrityCheck, sourcemap: SourceMap, options: AuditOptions) -> Callable[[dict], list[Finding]]:
    """The integrity check as findings of a document (run again on a tracked copy by auditor.dependencies)."""
    return lambda doc: _engine_findings(check(doc), sourcemap, options)


def _schema_findings(doc, sourcemap: SourceMap, options: AuditOptions, examples=frozenset(),
                     rejected: dict | None = None) -> list[Finding]:
    """The schema's findings; `rejected` (when given) receives the rejected values (auditor.schema.check)."""
    from auditor.schema import check

    out = []
    violations, rejected_values = check(doc, examples)
    if rejected is not None:
        rejected.update(rejected_values)
    for pointer, message, raw in violations:
        rule_id = UNKNOWN_FIELD if str(message).startswith("unknown field") else SCHEMA_ERROR
        out.append(_finding(rule_id, message, sourcemap.locate(pointer), options, evidence=raw))
    return out


@dataclass(frozen=True)
class PlannedRule:
    """A checklist rule as it runs for one jurisdiction: its function, resolved parameters, severity, citation,
    and its two outcomes (immutable, so built here once, not per campaign)."""

    rule: Rule
    function: RuleFunction
    params: dict
    severity: Severity
    passed: RuleOutcome
    failed: RuleOutcome
    cite: Citation

    def finding(self, hit: Hit, sourcemap: SourceMap) -> Finding:
        rule, cite = self.rule, self.cite
        message = with_basis(hit.message, cite)
        return Finding(rule=rule.id, category=rule.category, severity=self.severity, message=str(message),
                       location=sourcemap.locate(hit.pointer), name=rule.name, title=rule.title,
                       evidence=hit.evidence, spans=hit.spans,
                       references=cite.labels if cite else rule.references, sources=cite.records if cite else (),
                       fix=rule.fix, key=hit.key, message_t=message if not isinstance(message, str) else None)


def rule_plan(options: AuditOptions, jurisdiction: str | None) -> list[PlannedRule]:
    """The rules that run for a jurisdiction (built once per options and jurisdiction)."""
    plan = options.plans.get(jurisdiction)
    if plan is None:
        from auditor.params import resolve_params
        from auditor.registry import functions

        ruleset = options.rules()
        registered = functions()
        plan = []
        for rule in ruleset.rules:
            params = rule.params_for(jurisdiction)
            if not _runs(rule, params, options, jurisdiction):
                continue
            severity = Severity(options.severity_overrides.get(rule.id, rule.severity_for(jurisdiction).value))
            plan.append(PlannedRule(rule, registered[rule.id], resolve_params(params, ruleset, options), severity,
                                    RuleOutcome(rule.id, Status.PASS), RuleOutcome(rule.id, Status.FAIL),
                                    ruleset.citation(rule, jurisdiction)))
        options.plans[jurisdiction] = plan
    return plan


def _runs(rule: Rule, params: dict, options: AuditOptions, jurisdiction: str | None) -> bool:
    """A checklist rule (not an engine one) for the jurisdiction, enabled, and not a house-policy check switched
    off there in auditor.toml."""
    if rule.engine or not rule.applies_to(jurisdiction):
        return False
    if rule.id in options.disabled or (options.enabled is not None and rule.id not in options.enabled):
        return False
    return not (params.get("house_policy") and not options.house_policy_on(params["house_policy"], jurisdiction))


def run_rules(campaign: Campaign, sourcemap: SourceMap, options: AuditOptions,
              had_schema_errors: bool) -> tuple[list[Finding], list[RuleOutcome]]:
    jurisdiction = campaign.jurisdiction or options.default_jurisdiction
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    for planned in rule_plan(options, jurisdiction):
        try:
            hits = list(planned.function(campaign, planned.params))
        except Exception as exc:  # a rule bug must not stop the batch
            reason = "the schema errors above" if had_schema_errors else f"an internal error ({type(exc).__name__})"
            findings.append(_finding(RULE_ERROR, f"rule {planned.rule.id} could not be evaluated because of {reason}",
                                     sourcemap.locate(""), options))
            outcomes.append(RuleOutcome(planned.rule.id, Status.UNKNOWN))
            continue
        findings += [planned.finding(hit, sourcemap) for hit in hits]
        outcomes.append(planned.failed if hits else planned.passed)
    return findings, outcomes


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in findings:
        key = (f.rule, f.location.pointer, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _distinct_keys(findings: list[Finding]) -> list[Finding]:
    """Give every finding its own identity: a second finding of one rule at one pointer with the same key
    (a rule that did not say what tells its hits apart) gets `#2`, `#3`, ... in report order."""
    seen: dict[tuple, int] = {}
    out = []
    for f in findings:
        ident = (f.rule, f.location.pointer, f.key)
        count = seen.get(ident, 0) + 1
        seen[ident] = count
        out.append(f if count == 1 else replace(f, key=f"{f.key}#{count}"))
    return out


@dataclass
class _Audit:
    """What auditing one campaign document found (before ordering and scoring)."""

    schema: list[Finding]
    references: list[Finding]
    files: list[Finding]
    rules: list[Finding] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)
    readings: dict = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return self.schema + self.references + self.files + self.rules


def _audit_document(doc: dict, base: Path, sourcemap: SourceMap, options: AuditOptions,
                    examples=frozenset(), run: bool = True) -> _Audit:
    """Schema, integrity, material files and (when `run`) the rules, with findings that depend on a rejected value
    withheld. `base`: the folder that `materials[].file` paths are relative to."""
    rejected: dict = {}
    schema = _schema_findings(doc, sourcemap, options, examples, rejected)
    checks = [_integrity(check, sourcemap, options) for check in INTEGRITY_CHECKS]
    reference_groups = [(check(doc), check) for check in checks]
    audit = _Audit(schema, [f for found, _ in reference_groups for f in found], [])
    audit.files = _engine_findings(read_material_files(doc, base, options, audit.texts, audit.readings),
                                   sourcemap, options)
    campaign = Campaign(doc, file_texts=audit.texts, extra_own_names=options.extra_own_names)
    if run:  # a template is judged once its example values are replaced
        audit.rules, audit.outcomes = run_rules(campaign, sourcemap, options, bool(schema))
    if schema and (audit.rules or audit.references):  # one mistake, one finding: see auditor.dependencies
        jurisdiction = campaign.jurisdiction or options.default_jurisdiction
        _withhold_dependents(doc, audit, options, jurisdiction, reference_groups, rejected)
    return audit


def _withhold_dependents(doc: dict, audit: _Audit, options: AuditOptions, jurisdiction: str | None,
                         reference_groups: list, rejected: dict) -> None:
    """Withhold the findings computed from a value the schema rejected (auditor.dependencies)."""
    from auditor.dependencies import note_waiting, withhold

    if not rejected:
        return
    audit.references, waiting = withhold(doc, [group for group in reference_groups if group[0]], rejected)
    by_rule: dict[str, list[Finding]] = {}
    for finding in audit.rules:
        by_rule.setdefault(finding.rule, []).append(finding)
    kept, rule_waiting = withhold(doc, _rule_groups(by_rule, audit.texts, options, jurisdiction), rejected)
    for pointer, rules in rule_waiting.items():
        waiting.setdefault(pointer, set()).update(rules)
    failing = {f.rule for f in kept}
    audit.outcomes = [RuleOutcome(o.rule, Status.UNKNOWN) if o.rule in by_rule and o.rule not in failing else o
                      for o in audit.outcomes]
    kept_ids = {id(f) for f in kept}
    audit.rules = [f for f in audit.rules if id(f) in kept_ids]
    audit.schema = note_waiting(audit.schema, waiting, rejected)


def _rule_groups(by_rule: dict[str, list[Finding]], texts: dict[int, str], options: AuditOptions,
                 jurisdiction: str | None) -> list:
    """(findings, run) per rule that hit: `run(document)` runs the rule again (auditor.dependencies)."""
    from auditor.dependencies import rule_runner

    planned = {entry.rule.id: entry for entry in rule_plan(options, jurisdiction)}
    groups = []
    for rule, found in by_rule.items():
        entry = planned.get(rule)
        run = (rule_runner(entry.function, entry.params, texts, options.extra_own_names) if entry is not None
               else (lambda d: None))
        groups.append((found, run))
    return groups


def _load_finding(problem, options: AuditOptions) -> Finding:
    """A problem the loader met: unreadable (critical) or irregular input, unless it names its own rule."""
    rule_id = problem.rule or (LOAD_ERROR if problem.severity is Severity.CRITICAL else INPUT_IRREGULARITY)
    return _finding(rule_id, problem.message_t or problem.message, problem.location, options,
                    severity=problem.severity)


def _document_of(loaded: Loaded, options: AuditOptions) -> tuple[dict | None, Finding | None]:
    """The document to audit, or None with the finding that says why not (over a limit, not a mapping)."""
    doc = loaded.document
    if doc is None:
        return None, None
    exceeded = _limit_problem(doc, options, loaded.text_length)
    if exceeded:
        pointer, message = exceeded
        return None, _finding(LIMIT_EXCEEDED, message, loaded.sourcemap.locate(pointer), options)
    if not isinstance(doc, dict):
        return None, _finding(SCHEMA_ERROR, "the file holds a single value or a list, not a campaign (a mapping of "
                                            "fields)", loaded.sourcemap.locate(""), options)
    return doc, None


def _text_field(doc: dict, key: str) -> str | None:
    value = doc.get(key)
    return value if isinstance(value, str) else None


def audit_file(path: Path, display: str, options: AuditOptions | None = None) -> CampaignResult:
    options = options or AuditOptions()
    loaded: Loaded = load_path(path, options.max_file_bytes, options.workbook_limits)
    result = CampaignResult(source=display, sha256=loaded.sha256, kind=loaded.kind)
    findings = [_load_finding(problem, options) for problem in loaded.problems]
    doc, refused = _document_of(loaded, options)
    if refused is not None:
        findings.append(refused)
    if doc is not None:
        result.id, result.name = _text_field(doc, "id"), _text_field(doc, "name")
        result.jurisdiction = _text_field(doc, "jurisdiction")
        audit = _audit_document(doc, path.parent, loaded.sourcemap, options, loaded.placeholders,
                                run=not loaded.template)
        if audit.readings:  # findings on a material read from a file name its page, slide or paragraph
            from auditor.load.materials.locate import place_findings

            audit.rules = place_findings(audit.rules, audit.readings)
        findings += audit.findings
        result.outcomes = audit.outcomes
        if options.keep_documents:
            result.document, result.material_texts, result.material_readings = doc, audit.texts, audit.readings
    # identities (`#2` keys) follow the core order, so listing a workbook by sheet does not change them
    result.findings = _distinct_keys(sorted(_dedupe(findings), key=Finding.sort_key))
    if loaded.kind == "xlsx" and options.order == "sheet":
        from auditor.workbook_order import sort_workbook

        result.findings = sort_workbook(result.findings, loaded.sheets)
    if doc is not None:  # fingerprints (the JSON report, baselines, SARIF, approvals) use them
        from auditor.fingerprint import stable_pointer

        result.stable_pointers = {f.location.pointer: stable_pointer(doc, f.location.pointer) for f in result.findings}
    result.risk_level, result.risk_score = score(result.findings)
    if options.encoder is not None:
        _encode(result, options.encoder)
    return result


def _encode(result: CampaignResult, encoder: Callable[[CampaignResult], bytes]) -> None:
    """Encode the report line where the campaign was audited; only severities and statuses are still needed
    (summary, score and gate): keep the payload small. The stable pointers went into the line's fingerprints
    (a duplicate id's finding added later is at `/id`, whose stable pointer is itself)."""
    try:
        result.encoded = encoder(result)
    except UnicodeEncodeError:
        # A lone surrogate (a `\ud800` escape in a JSON campaign) cannot be written as UTF-8. The whole result
        # goes to the report writer, which fails on it in the parent as it always did, not as a dead worker.
        return
    result.findings = [FindingBrief(f.severity, f.status, f.rule) for f in result.findings]  # type: ignore[misc]
    result.outcomes = []
    result.stable_pointers = {}


def warm_up(options: AuditOptions) -> None:
    """Build everything that is built once per process (rule plans, lexicon automatons, the validator,
    the script converter) before worker processes fork, so each does not build it again."""
    from auditor.checklists import JURISDICTIONS
    from auditor.schema import fast_validator
    from auditor.text.normalize import _t2s

    for jurisdiction in (*JURISDICTIONS, options.default_jurisdiction, None):
        for planned in rule_plan(options, jurisdiction):
            for value in planned.params.values():
                if hasattr(value, "find_ready"):
                    value.find_ready()
    fast_validator()
    _t2s()


def audit_paths(files: list[tuple[Path, str]], options: AuditOptions | None = None,
                jobs: int = 1) -> Iterator[CampaignResult]:
    """Audit files in the given (sorted) order; with jobs > 1 in worker processes, same order and bytes."""
    options = options or AuditOptions()
    options.rules()
    if jobs <= 1 or len(files) < 2:
        for path, shown in files:
            yield audit_file(path, shown, options)
        return
    from auditor.parallel import audit_in_workers

    warm_up(options)
    yield from audit_in_workers(files, options, jobs)


def audit_document(doc: dict, base: Path, options: AuditOptions) -> list[Finding]:
    """The findings of a campaign document held in memory (no source positions), as `audit_file` finds
    them after loading: schema, references, material files and the rules, with findings that depend on a
    rejected value withheld. `base` is the folder that `materials[].file` paths are relative to. Used to
    re-audit a changed copy (auditor.fixes)."""
    audit = _audit_document(doc, base, SourceMap(), options)
    return _distinct_keys(sorted(_dedupe(audit.findings), key=Finding.sort_key))
