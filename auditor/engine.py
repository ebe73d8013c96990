"""The pipeline: load -> validate -> check -> score, one campaign file at a time.

`audit_file` never raises for bad input; every problem becomes a finding. The
batch functions stream results in a stable (sorted) order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditor.campaign import Campaign
from auditor.checklists import RuleSet, default_ruleset
from auditor.findings import CampaignResult, Finding, FindingBrief, Hit, Location, RuleOutcome, Severity, Status
from auditor.legal import with_basis
from auditor.load import DEFAULT_MAX_FILE_BYTES, Loaded, load_path, read_bytes
from auditor.parallel import WorkerError  # noqa: F401 (raised by audit_paths; part of this module's API)
from auditor.scoring import score
from auditor.sourcemap import SourceMap

# Reserved engine rules (checklists/core.yaml).
LOAD_ERROR = "AUD-E001"
LIMIT_EXCEEDED = "AUD-E008"
SCHEMA_ERROR = "AUD-E002"
UNKNOWN_FIELD = "AUD-E003"
BROKEN_REFERENCE = "AUD-E004"
MATERIAL_FILE = "AUD-E005"
INPUT_IRREGULARITY = "AUD-E006"
RULE_ERROR = "AUD-E009"


@dataclass
class AuditOptions:
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
    encoder: Callable[[CampaignResult], str] | None = None
    # house-policy name -> {jurisdiction: on?} from auditor.toml `[house-policy]` (absent: on everywhere)
    house_policy: dict[str, dict[str, bool]] = field(default_factory=dict)
    # Workbook findings by sheet, row and column ("sheet"), or every source in the core order ("rule").
    order: str = "sheet"

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
    """The first configured limit the document exceeds: (pointer, message), or None.

    `text_length` is the length of the JSON or YAML text the document was parsed from: no string in it
    can be longer, so below the string limit only the depth is walked (the common case, and cheap).
    """
    if text_length is not None and text_length <= options.max_string_length and _depth_within(document,
                                                                                              options.max_depth):
        return None
    return _first_limit_problem(document, options)


def _depth_within(document, max_depth: int) -> bool:
    stack = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return False
        for value in node.values() if type(node) is dict else node if type(node) is list else ():
            if type(value) is dict or type(value) is list:
                stack.append((value, depth + 1))
    return True


def _first_limit_problem(document, options: AuditOptions) -> tuple[str, str] | None:
    """Iterative, so a hostile nesting depth cannot exhaust the stack; pointers are built only for the
    offending value."""
    max_depth, max_length = options.max_depth, options.max_string_length
    stack = [(document, 0, None)]
    while stack:
        node, depth, path = stack.pop()
        if depth > max_depth:
            return _pointer(path), (f"the values nest more than {max_depth} levels deep; a campaign nests about "
                                    "five (limit `max-depth`)")
        if isinstance(node, dict):
            for key, value in node.items():
                if len(key) > max_length:
                    return _pointer(path), f"a field name is over {max_length:,} characters long"
                if isinstance(value, (dict, list)) or (isinstance(value, str) and len(value) > max_length):
                    stack.append((value, depth + 1, (path, key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)) or (isinstance(value, str) and len(value) > max_length):
                    stack.append((value, depth + 1, (path, index)))
        elif isinstance(node, str) and len(node) > max_length:
            return _pointer(path), (f"a value is {len(node):,} characters long, over the {max_length:,}-character "
                                    "limit (`max-string-length`)")
    return None


def _pointer(path) -> str:
    """Pointer from the linked (parent, key) path built by `_limit_problem`."""
    from auditor.sourcemap import pointer_of

    parts = []
    while path is not None:
        path, key = path
        parts.append(key)
    return pointer_of(reversed(parts))


def _finding(rule_id: str, message, location: Location, options: AuditOptions,
             severity: Severity | None = None, evidence: str | None = None) -> Finding:
    """`message`: plain English, or a translatable messages.T (its English form is the message)."""
    ruleset = options.rules()
    rule = ruleset.rule(rule_id)
    cite = ruleset.citation(rule, None)
    return Finding(rule=rule.id, category=rule.category, severity=severity or rule.severity, message=str(message),
                   location=location, name=rule.name, title=rule.title, evidence=evidence,
                   references=cite.labels, sources=cite.records, fix=rule.fix,
                   message_t=None if isinstance(message, str) else message)


def _reference_problems(doc: dict, sourcemap: SourceMap, options: AuditOptions) -> list[Finding]:
    """Cross-field integrity the schema cannot express: ids, references, dates."""
    return [f for check in _REFERENCE_CHECKS for f in check(doc, sourcemap, options)]


def _duplicate_ids(doc: dict, sourcemap: SourceMap, options: AuditOptions) -> list[Finding]:
    out: list[Finding] = []
    materials = doc.get("materials") if isinstance(doc.get("materials"), list) else []
    for kind, items in (("material", materials), ("fee", doc.get("fees") if isinstance(doc.get("fees"), list) else [])):
        seen: set = set()
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str) and ident in seen:
                pointer = f"/{kind}s/{i}/id"
                out.append(_finding(BROKEN_REFERENCE, f"the {kind} id `{ident}` is used twice; ids must be unique",
                                    sourcemap.locate(pointer), options))
            if isinstance(ident, str):
                seen.add(ident)
    return out


def _broken_references(doc: dict, sourcemap: SourceMap, options: AuditOptions) -> list[Finding]:
    out: list[Finding] = []
    materials = doc.get("materials") if isinstance(doc.get("materials"), list) else []
    material_ids = [m.get("id") for m in materials if isinstance(m, dict)]

    def check_refs(container_pointer: str, refs) -> None:
        if not isinstance(refs, list):
            return
        for j, ref in enumerate(refs):
            if isinstance(ref, str) and ref not in material_ids:
                pointer = f"{container_pointer}/disclosed_in/{j}"
                out.append(_finding(
                    BROKEN_REFERENCE,
                    f"`disclosed_in` names `{ref}`, but no material has that id"
                    + (f" (materials: {', '.join(str(m) for m in material_ids)})" if material_ids else ""),
                    sourcemap.locate(pointer), options))

    for i, fee in enumerate(doc.get("fees") if isinstance(doc.get("fees"), list) else []):
        if isinstance(fee, dict):
            check_refs(f"/fees/{i}", fee.get("disclosed_in"))
    offer = doc.get("offer") if isinstance(doc.get("offer"), dict) else {}
    for i, item in enumerate(offer.get("eligibility") if isinstance(offer.get("eligibility"), list) else []):
        if isinstance(item, dict):
            check_refs(f"/offer/eligibility/{i}", item.get("disclosed_in"))
    if isinstance(doc.get("minimum_spend"), dict):
        check_refs("/minimum_spend", doc["minimum_spend"].get("disclosed_in"))
    for i, item in enumerate(doc.get("validity_limits") if isinstance(doc.get("validity_limits"), list) else []):
        if isinstance(item, dict):
            check_refs(f"/validity_limits/{i}", item.get("disclosed_in"))
    return out


def _period_order(doc: dict, sourcemap: SourceMap, options: AuditOptions) -> list[Finding]:
    out: list[Finding] = []
    period = doc.get("period") if isinstance(doc.get("period"), dict) else {}
    start, end = period.get("start"), period.get("end")
    if _iso_date(start) and _iso_date(end) and end < start:  # a value that is not a date is the schema's finding
        out.append(_finding(BROKEN_REFERENCE, f"the sign-up window ends ({end}) before it starts ({start})",
                            sourcemap.locate("/period/end"), options))
    return out


def _material_channels(doc: dict, sourcemap: SourceMap, options: AuditOptions) -> list[Finding]:
    out: list[Finding] = []
    materials = doc.get("materials") if isinstance(doc.get("materials"), list) else []
    channels = doc.get("channels") if isinstance(doc.get("channels"), list) else []
    for i, material in enumerate(materials):
        channel = material.get("channel") if isinstance(material, dict) else None
        if isinstance(channel, str) and channel != "notification" and channels and channel not in channels:
            out.append(_finding(
                BROKEN_REFERENCE,
                f"material `{material.get('id')}` is on channel `{channel}`, which is not one of the campaign's "
                f"sign-up channels ({', '.join(map(str, channels))}) nor `notification`",
                sourcemap.locate(f"/materials/{i}/channel"), options, severity=Severity.MEDIUM))
    return out


_REFERENCE_CHECKS = (_duplicate_ids, _broken_references, _period_order, _material_channels)


def _iso_date(value) -> bool:
    import datetime

    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _read_material_files(doc: dict, base: Path, sourcemap: SourceMap, options: AuditOptions,
                         texts: dict[int, str], readings: dict | None = None) -> list[Finding]:
    """Read `materials[].file` texts (auditor.load.materials); a file must stay inside the campaign's folder."""
    readings = {} if readings is None else readings
    out: list[Finding] = []
    materials = doc.get("materials") if isinstance(doc.get("materials"), list) else []
    root = None
    for i, material in enumerate(materials):
        if not isinstance(material, dict) or not isinstance(material.get("file"), str) or "text" in material:
            continue
        root = root or base.resolve()  # only when a material is in a file: resolving costs system calls
        pointer = f"/materials/{i}/file"
        name = material["file"]
        target = (base / name)
        problem = None
        if Path(name).is_absolute() or ".." in Path(name).parts:
            problem = f"`{name}` points outside the campaign's folder; give a path inside it"
        else:
            resolved = target.resolve()
            if not resolved.is_relative_to(root):
                problem = f"`{name}` leads outside the campaign's folder (through a link); copy the text inside it"
            else:
                data, error = read_bytes(resolved, options.max_file_bytes)
                if data is None:
                    problem = f"material file `{name}`: {error}"
                else:
                    from auditor.load.materials.engine import read_into

                    problem = read_into(texts, readings, i, name, data, doc, material, options, out,
                                        lambda message, severity, at=pointer: _finding(
                                            INPUT_IRREGULARITY, message, sourcemap.locate(at), options,
                                            severity=severity), resolved)
        if problem:
            out.append(_finding(MATERIAL_FILE, problem, sourcemap.locate(pointer), options))
    return out


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


def _to_finding(rule, severity: Severity, hit: Hit, sourcemap: SourceMap, cite=None) -> Finding:
    message = with_basis(hit.message, cite)
    return Finding(rule=rule.id, category=rule.category, severity=severity, message=str(message),
                   location=sourcemap.locate(hit.pointer), name=rule.name, title=rule.title,
                   evidence=hit.evidence, spans=hit.spans,
                   references=cite.labels if cite else rule.references, sources=cite.records if cite else (),
                   fix=rule.fix, key=hit.key, message_t=message if not isinstance(message, str) else None)


def _plan(options: AuditOptions, jurisdiction: str | None) -> list:
    """The rules that run for a jurisdiction, with their functions and resolved parameters (built once)."""
    plans = options.__dict__.setdefault("_plans", {})
    plan = plans.get(jurisdiction)
    if plan is None:
        from auditor.params import resolve_params
        from auditor.registry import functions

        ruleset = options.rules()
        registered = functions()
        plan = []
        for rule in ruleset.rules:
            if rule.engine or not rule.applies_to(jurisdiction):
                continue
            if rule.id in options.disabled or (options.enabled is not None and rule.id not in options.enabled):
                continue
            severity = Severity(options.severity_overrides.get(rule.id, rule.severity_for(jurisdiction).value))
            # the outcomes are immutable, so each rule's two are built here once, not per campaign
            params = rule.params_for(jurisdiction)
            if params.get("house_policy") and not options.house_policy_on(params["house_policy"], jurisdiction):
                continue  # a house-policy check switched off for this jurisdiction in auditor.toml
            plan.append((rule, registered[rule.id], resolve_params(params, ruleset, options),
                         severity, RuleOutcome(rule.id, Status.PASS), RuleOutcome(rule.id, Status.FAIL),
                         ruleset.citation(rule, jurisdiction)))
        plans[jurisdiction] = plan
    return plan


def run_rules(campaign: Campaign, sourcemap: SourceMap, options: AuditOptions,
              had_schema_errors: bool) -> tuple[list[Finding], list[RuleOutcome]]:
    jurisdiction = campaign.jurisdiction or options.default_jurisdiction
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    for rule, function, params, severity, passed, failed, cite in _plan(options, jurisdiction):
        try:
            hits = list(function(campaign, params))
        except Exception as exc:  # a rule bug must not stop the batch
            reason = "the schema errors above" if had_schema_errors else f"an internal error ({type(exc).__name__})"
            findings.append(_finding(RULE_ERROR, f"rule {rule.id} could not be evaluated because of {reason}",
                                     sourcemap.locate(""), options))
            outcomes.append(RuleOutcome(rule.id, Status.UNKNOWN))
            continue
        if hits:
            for hit in hits:
                findings.append(_to_finding(rule, severity, hit, sourcemap, cite))
            outcomes.append(failed)
        else:
            outcomes.append(passed)
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


def _withhold_dependents(doc, texts, options, campaign, sourcemap, reference_groups, rule_findings, outcomes,
                         schema, rejected: dict):
    """Withhold the findings computed from a value the schema rejected (auditor.dependencies)."""
    from auditor.dependencies import note_waiting, rule_runner, withhold

    if not rejected:
        return [f for found, _ in reference_groups for f in found], rule_findings, outcomes, schema
    references, waiting = withhold(doc, [(found, lambda d, check=check: check(d, sourcemap, options))
                                         for found, check in reference_groups if found], rejected)
    by_rule: dict[str, list[Finding]] = {}
    for finding in rule_findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    entries = {entry[0].id: entry for entry in _plan(options, campaign.jurisdiction or options.default_jurisdiction)}
    groups = [(found, rule_runner(entries[rule][1], entries[rule][2], texts, options.extra_own_names)
               if rule in entries else (lambda d: None)) for rule, found in by_rule.items()]
    kept, rule_waiting = withhold(doc, groups, rejected)
    for pointer, rules in rule_waiting.items():
        waiting.setdefault(pointer, set()).update(rules)
    failing = {f.rule for f in kept}
    outcomes = [RuleOutcome(o.rule, Status.UNKNOWN) if o.rule in by_rule and o.rule not in failing else o
                for o in outcomes]
    kept_ids = {id(f) for f in kept}
    return references, [f for f in rule_findings if id(f) in kept_ids], outcomes, note_waiting(schema, waiting,
                                                                                               rejected)


def audit_file(path: Path, display: str, options: AuditOptions | None = None) -> CampaignResult:
    options = options or AuditOptions()
    loaded: Loaded = load_path(path, options.max_file_bytes, options.workbook_limits)
    result = CampaignResult(source=display, sha256=loaded.sha256, kind=loaded.kind)
    findings: list[Finding] = []
    for problem in loaded.problems:
        rule_id = problem.rule or (LOAD_ERROR if problem.severity is Severity.CRITICAL else INPUT_IRREGULARITY)
        findings.append(_finding(rule_id, problem.message_t or problem.message, problem.location, options,
                                 severity=problem.severity))
    doc = loaded.document
    if doc is not None:
        exceeded = _limit_problem(doc, options, loaded.text_length)
        if exceeded:
            pointer, message = exceeded
            findings.append(_finding(LIMIT_EXCEEDED, message, loaded.sourcemap.locate(pointer), options))
            doc = None
    if doc is not None and not isinstance(doc, dict):
        findings.append(_finding(SCHEMA_ERROR, "the file holds a single value or a list, not a campaign (a mapping of fields)",
                                 loaded.sourcemap.locate(""), options))
        doc = None
    if doc is not None:
        result.id = doc.get("id") if isinstance(doc.get("id"), str) else None
        result.name = doc.get("name") if isinstance(doc.get("name"), str) else None
        result.jurisdiction = doc.get("jurisdiction") if isinstance(doc.get("jurisdiction"), str) else None
        rejected: dict = {}
        schema = _schema_findings(doc, loaded.sourcemap, options, loaded.placeholders, rejected)
        reference_groups = [(check(doc, loaded.sourcemap, options), check) for check in _REFERENCE_CHECKS]
        references = [f for found, _ in reference_groups for f in found]
        texts: dict[int, str] = {}
        readings: dict = {}
        files = _read_material_files(doc, path.parent, loaded.sourcemap, options, texts, readings)
        campaign = Campaign(doc, file_texts=texts, extra_own_names=options.extra_own_names)
        if loaded.template:
            rule_findings, outcomes = [], []  # judge the campaign once its example values are replaced
        else:
            rule_findings, outcomes = run_rules(campaign, loaded.sourcemap, options, bool(schema))
        if schema and (rule_findings or references):  # one mistake, one finding: see auditor.dependencies
            references, rule_findings, outcomes, schema = _withhold_dependents(
                doc, texts, options, campaign, loaded.sourcemap, reference_groups, rule_findings, outcomes, schema,
                rejected)
        if readings:  # findings on a material read from a file name its page, slide or paragraph
            from auditor.load.materials.locate import place_findings

            rule_findings = place_findings(rule_findings, readings)
        findings += schema + references + files + rule_findings
        result.outcomes = outcomes
        if options.keep_documents:
            result.document = doc
            result.material_texts = texts
            result.material_readings = readings
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
        result.encoded = options.encoder(result)
        # only severities and statuses are still needed (summary, score and gate): keep the payload small
        result.findings = [FindingBrief(f.severity, f.status, f.rule) for f in result.findings]
        result.outcomes = []
    return result


def warm_up(options: AuditOptions) -> None:
    """Build everything that is built once per process (rule plans, lexicon automatons, the validator,
    the script converter) before worker processes fork, so each does not build it again."""
    from auditor.checklists import JURISDICTIONS
    from auditor.schema import fast_validator
    from auditor.text.normalize import _t2s

    for jurisdiction in (*JURISDICTIONS, options.default_jurisdiction, None):
        for _, _, params, *_ in _plan(options, jurisdiction):
            for value in params.values():
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
    sourcemap = SourceMap()
    rejected: dict = {}
    schema = _schema_findings(doc, sourcemap, options, frozenset(), rejected)
    reference_groups = [(check(doc, sourcemap, options), check) for check in _REFERENCE_CHECKS]
    references = [f for found, _ in reference_groups for f in found]
    texts: dict[int, str] = {}
    files = _read_material_files(doc, base, sourcemap, options, texts)
    campaign = Campaign(doc, file_texts=texts, extra_own_names=options.extra_own_names)
    rule_findings, outcomes = run_rules(campaign, sourcemap, options, bool(schema))
    if schema and (rule_findings or references):
        references, rule_findings, outcomes, schema = _withhold_dependents(
            doc, texts, options, campaign, sourcemap, reference_groups, rule_findings, outcomes, schema, rejected)
    return _distinct_keys(sorted(_dedupe(schema + references + files + rule_findings), key=Finding.sort_key))
