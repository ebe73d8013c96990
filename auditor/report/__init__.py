"""Reporters: each turns an `AuditRun` into bytes and does nothing else.

Filtering, scoring and sorting happen once in the core; a reporter only
formats (bandit's and check-jsonschema's formatter split).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field

from auditor import __version__
from auditor.findings import SEVERITIES, CampaignResult, Status
from auditor.vocabulary import RISK_LEVELS

TOOL_NAME = "campaign-auditor"
UNWAIVED = (Status.FAIL, Status.BASELINED)


@dataclass
class AuditRun:
    """A finished run, as every reporter formats it."""

    campaigns: list[CampaignResult]
    checklist_digest: str
    fail_on: str = "high"
    generated: dt.datetime | None = None
    rules: list = field(default_factory=list)  # Rule metadata, for reports that list coverage
    waivers: list = field(default_factory=list)  # waiver states, when a waiver file was used
    baseline: dict | None = None  # {"path", "created"} of the baseline used, if any
    usage_per_month: dict = field(default_factory=dict)  # assumed usage for bills (auditor.toml usage-per-month)
    skipped: list = field(default_factory=list)  # discovery.Skipped: files under a folder that are not campaigns
    gate: object = None  # gate.GateDecision: the verdict and why, shown by every report

    @property
    def unwaived(self):
        """Every finding that still stands: failing the gate or only held back by the baseline."""
        return [f for c in self.campaigns for f in c.findings if f.status in UNWAIVED]

    def decision(self):
        """The gate decision (computed from the findings when the caller did not give one)."""
        if self.gate is None:
            from auditor.gate import decide

            self.gate = decide(self.campaigns, self.fail_on, skipped=self.skipped)
        return self.gate

    @property
    def severity_counts(self) -> dict[str, int]:
        """Unwaived findings by severity (baselined ones included: a baseline only moves the CI gate)."""
        counts = Counter(f.severity.value for f in self.unwaived)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    @property
    def held_counts(self) -> dict[str, int]:
        """How many findings each mechanism holds back from the gate: {"waived": n, "baselined": n}."""
        counts = Counter(f.status.value for c in self.campaigns for f in c.findings)
        return {"waived": counts.get("waived", 0), "baselined": counts.get("baselined", 0)}

    @property
    def category_counts(self) -> dict[str, int]:
        counts = Counter(f.category for f in self.unwaived)
        return dict(sorted(counts.items()))

    @property
    def overall_risk(self) -> str:
        return max((c.risk_level for c in self.campaigns), key=RISK_LEVELS.index, default="none")

    @property
    def tool(self) -> dict:
        return {"name": TOOL_NAME, "version": __version__, "checklists": self.checklist_digest}


@dataclass(frozen=True)
class Reporter:
    """A report format: the module whose `render(run, **options) -> bytes` formats a finished run, and the
    rendering options it takes (`lang`, `verdict`, `paths`, `colour`). `--format` and the output options come from here."""

    name: str
    module: str
    options: tuple[str, ...] = ()
    streams: bool = False  # has a writer that takes one campaign at a time (constant memory)


REPORTERS: dict[str, Reporter] = {r.name: r for r in (
    Reporter("text", "auditor.report.text_report", ("colour", "lang"), streams=True),
    Reporter("json", "auditor.report.json_report", streams=True),
    Reporter("sarif", "auditor.report.sarif_report"),
    Reporter("junit", "auditor.report.junit_report"),
    Reporter("markdown", "auditor.report.markdown_report"),
    Reporter("html", "auditor.report.html_report", ("lang", "verdict", "paths")),
    Reporter("github", "auditor.report.github_report"),
    Reporter("codequality", "auditor.report.gitlab_report"),
)}


def render(kind: str, run: AuditRun, **options) -> bytes:
    """Format a finished run with the named reporter, passing only the options it takes."""
    import importlib

    reporter = REPORTERS[kind]
    module = importlib.import_module(reporter.module)
    return module.render(run, **{k: v for k, v in options.items() if k in reporter.options})


def generation_time() -> dt.datetime | None:
    """The report time: SOURCE_DATE_EPOCH when set (reproducible builds), else None (left out)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
