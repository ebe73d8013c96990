"""One configured audit session: every command sees the same rules, configuration and policy.

A `Session` is built once from the configuration file plus command-line overrides. It owns
- the rule set: built-in checklists, installed plugins and the configured checklist folders;
- the audit options (enabled and disabled rules, severity overrides, limits, jurisdiction);
- the policy: waivers and baseline, applied to every result before anyone sees it.

`check`, `verify`, `diff`, `rules`, `explain`, `docs`, `baseline` and `waivers` (and the portal's
audit) all go through it, so a `[severity]` override or a configured checklist cannot be honoured by
one command and ignored by another. Problems are raised as `SessionError` (a usage or configuration
error, exit code 2 on the command line); the session prints nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditor import config as cfg
from auditor.findings import CampaignResult


class SessionError(Exception):
    """The session cannot be built or used as asked (bad configuration, missing file, no paths)."""


@dataclass
class Policy:
    """What turns raw findings into finished ones: waivers, the baseline, and the day waivers expire against."""

    waivers: list = field(default_factory=list)
    baseline: set[str] | None = None
    today: dt.date | None = None
    used: dict[int, bool] = field(default_factory=dict)  # waiver index -> matched a finding in this run

    @property
    def changes_statuses(self) -> bool:
        return bool(self.waivers) or self.baseline is not None

    @property
    def day(self) -> dt.date:
        """The day waivers expire against (today when none was set)."""
        return self.today or dt.date.today()

    def fresh(self, day: dt.date | None = None) -> Policy:
        """The same waivers and baseline with no waiver used yet (one audit's own waiver states), judged on `day`."""
        return Policy(self.waivers, self.baseline, day or self.today)

    def finish(self, result: CampaignResult) -> CampaignResult:
        """Waivers, then the baseline, then the risk score that follows from them, for one campaign."""
        from auditor.scoring import score

        if self.waivers:
            from auditor import waivers as waiver_module

            for index, hit in waiver_module.apply([result], self.waivers, self.day).items():
                self.used[index] = self.used.get(index, False) or hit
        if self.baseline is not None:
            from auditor.baseline import apply as apply_baseline

            apply_baseline([result], self.baseline)
        if self.changes_statuses:  # otherwise the score computed where it was audited stands
            result.risk_level, result.risk_score = score(result.findings)
        return result

    def waiver_states(self) -> list[dict]:
        if not self.waivers:
            return []
        from auditor import waivers as waiver_module

        return waiver_module.summary(self.waivers, self.used, self.day)


def today(value: str | None = None) -> dt.date:
    """The day waivers are judged on: `value` (ISO date), else the report time, else today."""
    from auditor.report import generation_time

    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise SessionError(f"--today must be a date like 2026-12-31, not {value!r}") from exc
    generated = generation_time()
    return generated.date() if generated else dt.date.today()


class Session:
    """Configuration, rules, options and policy, built once; yields finished results."""

    def __init__(self, config_path: str | Path | None = None, *, jurisdiction: str | None = None,
                 excludes: Iterable[str] = (), discover_config: bool = True):
        self.config = _load_config(config_path, discover_config)
        self.excludes = [*self.config.exclude, *excludes]
        self.ruleset = _load_rules(self.config)
        self.options = _options(self.config, self.ruleset, jurisdiction)
        self.policy = Policy()
        self.waiver_file: Path | None = None
        self.baseline_file: Path | None = None
        self.day: str | None = None  # --today: the day waivers are judged on (None: the report time, else today)
        self.skipped: list = []  # discovery.Skipped: files found that are not campaigns
        self.changed_since: str | None = None
        self.policy_changed: list[str] = []  # configuration files changed since --changed-since (all audited)
        self.partial = False

    @classmethod
    def from_config(cls, config_path: str | Path | None = None, *, jurisdiction: str | None = None,
                    excludes: Iterable[str] = (), discover_config: bool = True, waivers: str | Path | None = None,
                    no_waivers: bool = False, baseline: str | Path | None = None, use_baseline: bool = True,
                    day: str | None = None) -> Session:
        """A session with its whole policy applied (see `apply_policy`): what `auditor check` audits with."""
        session = cls(config_path, jurisdiction=jurisdiction, excludes=excludes, discover_config=discover_config)
        session.apply_policy(waivers, no_waivers=no_waivers, baseline=baseline, use_baseline=use_baseline, day=day)
        return session

    # -- policy -------------------------------------------------------------------------------
    def apply_policy(self, waivers: str | Path | None = None, *, no_waivers: bool = False,
                     baseline: str | Path | None = None, use_baseline: bool = True, day: str | None = None) -> Policy:
        """The whole policy in one call: the waiver file given or configured (unless `no_waivers`), then the
        baseline given or configured (unless `use_baseline` is false), as `auditor check` applies them."""
        self.use_waivers(waivers, ignore=no_waivers, day=day)
        if use_baseline:
            self.use_baseline(baseline)
        return self.policy

    def use_waivers(self, path: str | Path | None = None, *, ignore: bool = False, day: str | None = None) -> None:
        """Load the waiver file given (it must exist) or the configured one (skipped when absent)."""
        if ignore:
            return
        waiver_file = Path(path) if path else self.config.waivers
        if waiver_file is None:
            return
        if not waiver_file.exists():
            if path:
                raise SessionError(f"no such waiver file: {path}")
            return
        from auditor.waivers import DEFAULT_MAX_DAYS, WaiverError, load

        self.policy.today = today(day)
        self.day = day
        self.waiver_file = waiver_file
        try:
            # unknown rules, unwaivable (input, schema) rules and too distant expiries are refused with the line
            self.policy.waivers = load(waiver_file, {r.id: r.category for r in self.ruleset.rules}, self.policy.today,
                                       self.config.waiver_max_days or DEFAULT_MAX_DAYS)
        except WaiverError as exc:
            raise SessionError(f"bad waivers: {exc}") from exc

    def use_baseline(self, path: str | Path | None = None) -> None:
        baseline_file = Path(path) if path else self.config.baseline
        if baseline_file is None:
            return
        from auditor.baseline import BaselineError, load

        try:
            self.policy.baseline = load(baseline_file)
        except BaselineError as exc:
            raise SessionError(str(exc)) from exc
        self.baseline_file = baseline_file

    # -- files and audits ---------------------------------------------------------------------
    def discover(self, paths: Iterable[str], *, changed_since: str | None = None, only_campaigns: bool = False,
                 protected: Iterable[Path] = ()) -> list[tuple[Path, str]]:
        """Campaign files under the paths given, or under the configured `paths` when none are.

        The discovery rule (auditor.discovery) applies: files under a folder that are clearly not campaigns
        are skipped and kept in `self.skipped`; the configuration, waiver and baseline files (and
        `protected`) are never audited; `only_campaigns` applies the rule to named files too (the
        pre-commit hook); `changed_since` keeps the campaigns changed since that git ref.
        """
        from auditor.discovery import find_campaigns
        from auditor.engine import UsageError

        paths = list(paths)
        chosen = paths or [str(self.config.root / p) for p in self.config.paths]
        if not chosen:
            raise SessionError("no paths given (and no `paths` in the configuration)")
        never = [p for p in (self.config.source, self.config.waivers, self.config.baseline, *protected) if p]
        try:
            found = find_campaigns(chosen, self.excludes, never, classify_explicit=only_campaigns,
                                   max_bytes=self.options.max_file_bytes, limits=self.options)
        except UsageError as exc:
            raise SessionError(str(exc)) from exc
        files, self.skipped, self.changed_since = found.files, found.skipped, changed_since
        # Paths named or --changed-since: a partial run, which must not prune other campaigns' baseline entries.
        self.partial = bool(paths) or bool(changed_since)
        if changed_since:
            from auditor.changes import ChangesError, changed_files, select, touches_policy

            try:
                changed = changed_files(changed_since)
            except ChangesError as exc:
                raise SessionError(str(exc)) from exc
            self.policy_changed = touches_policy(changed, [self.config.source, self.config.waivers,
                                                           self.config.baseline], list(self.config.checklists))
            if self.policy_changed:  # new rules, severities, waivers or baseline: every campaign's findings move
                self.changed_since = None
                return files
            return select(files, changed)
        if not files and not (self.skipped or only_campaigns):
            raise SessionError("no campaign files (.json, .yaml, .yml, .xlsx) found in " + ", ".join(chosen))
        return files

    def audit(self, files: list[tuple[Path, str]], *, jobs: int = 1,
              keep_documents: bool = False) -> Iterator[CampaignResult]:
        """Finished results (policy applied, scored), in the files' order."""
        from auditor.engine import audit_paths

        self.options.keep_documents = keep_documents
        for result in audit_paths(files, self.options, jobs=jobs):
            yield self.policy.finish(result)

    def stream_json_lines(self) -> None:
        """Encode each campaign's JSON report line where it is audited (worker processes included), when
        nothing changes results afterwards: the streamed JSON report then only writes bytes."""
        if not self.policy.changes_statuses:
            from auditor.report.json_report import encode_line

            self.options.encoder = encode_line

    def audit_one(self, path: Path, shown: str | None = None, *, keep_documents: bool = False) -> CampaignResult:
        from auditor.engine import audit_file

        self.options.keep_documents = keep_documents
        return self.policy.finish(audit_file(path, shown or str(path), self.options))

    def audit_alone(self, path: Path, shown: str | None = None, *, keep_documents: bool = False, options=None):
        """One file as `auditor check <file>` reports it, as a finished `AuditRun`: re-scored, waived and
        baselined by a fresh copy of the policy, so the waiver states are this file's own and waivers expire
        against the day of the call (a long-running server keeps one session). Safe from several threads:
        nothing of the session is changed. `options` (a copy of `self.options`) may tighten limits."""
        import copy

        from auditor.engine import audit_file, display_path
        from auditor.gate import decide

        options = copy.copy(options or self.options)
        options.keep_documents = keep_documents
        policy = self.policy.fresh(today(self.day) if self.policy.waivers else None)
        result = policy.finish(audit_file(path, shown or str(path), options))
        run = self.run([result])
        run.skipped = []
        run.waivers = policy.waiver_states()
        run.usage_per_month = self.config.usage_per_month
        waiver_file = display_path(self.waiver_file) if self.waiver_file else None
        run.gate = decide([result], run.fail_on, policy.waivers, policy.today, run.waivers, waiver_file=waiver_file)
        return run

    def run(self, results: list[CampaignResult], fail_on: str | None = None):
        """The finished run that reporters format (its gate decision is set by `gate`, or computed)."""
        from auditor.report import AuditRun, generation_time

        return AuditRun(campaigns=results, checklist_digest=self.ruleset.digest,
                        fail_on=fail_on or self.config.fail_on or "high", generated=generation_time(),
                        rules=self.ruleset.rules, waivers=self.policy.waiver_states(), skipped=self.skipped)

    def gate(self, fail_on: str):
        """A gate.GateTally for this session's policy: feed it each finished result, then `decide()`."""
        from auditor.engine import display_path
        from auditor.gate import GateTally

        waiver_file = self.waiver_file
        tally = GateTally(fail_on, self.policy.waivers, display_path(waiver_file) if waiver_file else None)
        tally.expire(self.policy.today)
        return tally

    def decide(self, tally):
        """The gate.GateDecision of a finished tally, with this session's waiver states, skipped files and diff."""
        decision = tally.decide(self.policy.waiver_states(), self.skipped, self.changed_since)
        if self.policy_changed:
            from auditor.engine import display_path

            decision.notes.append("every campaign was audited: the configuration changed ("
                                  + ", ".join(display_path(Path(p)) for p in self.policy_changed[:5]) + ")")
        return decision

    # -- rules --------------------------------------------------------------------------------
    def rule(self, wanted: str):
        """The rule with this id (any case) or kebab-case name, or None."""
        key = wanted.strip()
        for rule in self.ruleset.rules:
            if rule.id.upper() == key.upper() or rule.name == key.lower():
                return rule
        return None


def _load_config(config_path, discover_config: bool) -> cfg.Config:
    try:
        source = Path(config_path) if config_path else (cfg.discover() if discover_config else None)
        return cfg.load(source) if source else cfg.Config()
    except cfg.ConfigError as exc:
        raise SessionError(f"bad configuration: {exc}") from exc


def _load_rules(config: cfg.Config):
    from auditor.checklists import ChecklistError, default_ruleset
    from auditor.plugins import PluginError
    from auditor.registry import RegistryError, cross_check, load_rule_files

    try:
        load_rule_files(config.checklists)
        ruleset = default_ruleset(tuple(config.checklists))
        problems = cross_check(ruleset)
        if problems:
            raise ChecklistError("; ".join(problems))
        cfg.validate_rules(config, {r.id for r in ruleset.rules})
    except (ChecklistError, RegistryError, PluginError, cfg.ConfigError) as exc:
        raise SessionError(f"bad configuration: {exc}") from exc
    return ruleset


def _options(config: cfg.Config, ruleset, jurisdiction: str | None):
    from auditor.engine import AuditOptions

    options = AuditOptions(
        ruleset=ruleset,
        enabled=frozenset(config.enable) if config.enable is not None else None,
        disabled=frozenset(config.disable),
        severity_overrides=dict(config.severity),
        default_jurisdiction=jurisdiction or config.jurisdiction,
        extra_own_names=tuple(config.own_aliases),
        extra_lexicon_terms={"competitors": tuple(config.competitors)} if config.competitors else {},
        house_policy=config.house_policy,
    )
    for key in ("max_file_bytes", "max_depth", "max_string_length"):
        if getattr(config, key):
            setattr(options, key, getattr(config, key))
    options.workbook_limits = _workbook_limits(config)
    options.material_limits = _material_limits(config)
    return options


def _workbook_limits(config: cfg.Config):
    """The configured workbook limits (None: the loader's defaults)."""
    if not (config.max_workbook_bytes or config.max_cells):
        return None
    from auditor.load.xlsx import WorkbookLimits

    defaults = WorkbookLimits()
    return WorkbookLimits(max_uncompressed_bytes=config.max_workbook_bytes or defaults.max_uncompressed_bytes,
                          max_cells=config.max_cells or defaults.max_cells)


def _material_limits(config: cfg.Config):
    """The configured limits of material files (None: the readers' defaults)."""
    if not (config.max_pages or config.max_pixels or config.max_unpacked_bytes):
        return None
    from auditor.load.materials import MaterialLimits

    defaults = MaterialLimits()
    return MaterialLimits(max_pages=config.max_pages or defaults.max_pages,
                          max_pixels=config.max_pixels or defaults.max_pixels,
                          max_unpacked_bytes=config.max_unpacked_bytes or defaults.max_unpacked_bytes)
