"""Typed findings: what is wrong, where, how bad, and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple, Protocol

from auditor.vocabulary import SEVERITIES as _SEVERITIES
from auditor.vocabulary import SEVERITY_RANK


class Translatable(Protocol):
    """A message in English with the parameters to render it in another language (messages.T, messages.Join)."""

    def render(self, gettext: Callable[[str], str] | None = None) -> str: ...


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical=4 ... info=0 (vocabulary.SEVERITY_RANK)."""
        return _RANK[self]


_RANK = {severity: SEVERITY_RANK[severity.value] for severity in Severity}
SEVERITIES = list(_SEVERITIES)


class Status(str, Enum):
    """Outcome of one rule on one campaign (checkov's vocabulary).

    `fail` findings are the report's findings; `pass` and `unknown` records
    feed coverage ("what was checked") and JUnit; `waived` is set only by the
    engine, never by a rule.
    """

    FAIL = "fail"
    PASS = "pass"
    UNKNOWN = "unknown"
    WAIVED = "waived"
    BASELINED = "baselined"  # already present when the baseline was taken; does not fail the gate


_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029", "\x85")


def reportable_pointer(pointer: str) -> str:
    """The pointer, or its nearest ancestor without line breaks: a key with a line break in it (a
    hostile or broken file) is reported at the object holding it; the message names the key."""
    if not any(c in pointer for c in _LINE_BREAKS):
        return pointer
    parts = pointer.split("/")
    while len(parts) > 1 and any(c in "/".join(parts) for c in _LINE_BREAKS):
        parts.pop()
    return "/".join(parts)


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points: a JSON pointer always, plus line or sheet/cell."""

    pointer: str = ""
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    # Where in a material file (`materials[].file`) the evidence is: (key, value) pairs such as
    # ("file", "poster.pdf"), ("page", 1), ("box", (x0, top, x1, bottom)); additive keys of the JSON location.
    detail: tuple = ()

    def to_dict(self) -> dict:
        out: dict = {"pointer": reportable_pointer(self.pointer)}
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.cell is not None:
            out["cell"] = self.cell
        for key, value in self.detail:
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def describe(self) -> str:
        """Short human form: `Fees!C3`, `line 12`, or the pointer; plus the spot in a material file."""
        if self.sheet and self.cell:
            where = f"{self.sheet}!{self.cell}"
        elif self.sheet:
            where = self.sheet
        elif self.line is not None:
            where = f"line {self.line}"
        else:
            where = self.pointer or "/"
        if self.detail:
            from auditor.load.materials.locate import describe_detail

            where += " · " + describe_detail(self.detail)
        return where


@dataclass(frozen=True)
class Hit:
    """What a rule yields: a pointer into the campaign and a specific message.

    Rules know nothing of severity, category or source positions; the engine
    adds those from the checklist metadata and the loader's source map.
    """

    pointer: str
    message: object  # a messages.T (translatable) or a plain string
    evidence: str | None = None
    # (start, end) character spans of `evidence` to highlight in reports.
    spans: tuple[tuple[int, int], ...] = ()
    # A material id when the evidence quotes a material's text.
    material: str | None = None
    # Tells this hit apart from other hits of the same rule at the same pointer (e.g. EXP-002's month and
    # week windows), so each is a finding of its own for baselines, diffs and approvals.
    key: str = ""


@dataclass(frozen=True)
class Finding:
    """One finding (or, with another `status`, one rule outcome): the rule, where, how bad and why."""

    rule: str
    category: str
    severity: Severity
    message: str
    location: Location
    name: str = ""
    title: str = ""
    evidence: str | None = None
    spans: tuple[tuple[int, int], ...] = ()
    references: tuple[str, ...] = ()  # readable citations, e.g. "UK · CAP Code, 3.1 (industry code, in force)"
    # register entries behind `references`: {id, jurisdiction, kind, status, label[, binding]}
    sources: tuple[dict, ...] = field(default=(), compare=False, hash=False)
    fix: str = ""
    status: Status = Status.FAIL
    waiver_reason: str | None = None
    # Part of the finding's identity (auditor.fingerprint): tells apart two findings of one rule at one place.
    key: str = ""
    # The translatable form of `message` (a messages.T), for reports in other languages.
    message_t: Translatable | None = field(default=None, compare=False, hash=False, repr=False)

    def text(self, gettext=None) -> str:
        """The message in the report language (English without a catalogue)."""
        if self.message_t is not None and gettext is not None:
            return self.message_t.render(gettext)
        return self.message

    def sort_key(self) -> tuple:
        return (-self.severity.rank, self.rule, self.location.pointer, self.message)

    def to_dict(self) -> dict:
        out: dict = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
        }
        if self.evidence is not None:
            out["evidence"] = self.evidence
        out["references"] = list(self.references)
        if self.sources:
            out["sources"] = [dict(s) for s in self.sources]
        if self.title:
            out["title"] = self.title
        if self.fix:
            out["fix"] = self.fix
        if self.status is not Status.FAIL:
            out["status"] = self.status.value
        if self.waiver_reason:
            out["waiver_reason"] = self.waiver_reason
        return out


class FindingBrief(NamedTuple):
    """What the run's summary, score and gate need of a finding whose report line is already encoded
    (sent back from a worker process instead of the whole finding)."""

    severity: Severity
    status: Status = Status.FAIL
    rule: str = ""  # the gate names the files that could not be read (AUD-E001)


class RuleOutcome(NamedTuple):
    """Coverage record: a rule that ran on a campaign and how it ended (small: one per rule and campaign)."""

    rule: str
    status: Status


@dataclass
class CampaignResult:
    """Everything auditing one campaign file found, with what reports need of the campaign itself."""

    source: str
    sha256: str
    id: str | None = None
    name: str | None = None
    jurisdiction: str | None = None
    kind: str = "json"  # json | yaml | xlsx
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    document: dict | None = None  # the loaded campaign, for reports that summarise it
    material_texts: dict = field(default_factory=dict)  # texts read from materials[].file
    material_readings: dict = field(default_factory=dict)  # index -> (file name, load.materials.Reading)
    # pointer -> stable pointer (list indices replaced by item ids), for fingerprints
    stable_pointers: dict = field(default_factory=dict)
    encoded: bytes | None = None  # the campaign's JSON report line (UTF-8), when encoded where it was audited
    # (rule, pointer, key) -> auditor.fixes.Fix, when fixes were asked for (`check --fixes`)
    fixes: dict = field(default_factory=dict)
    risk_level: str = "none"
    risk_score: int = 0
