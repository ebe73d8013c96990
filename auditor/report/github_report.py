"""GitHub Actions workflow commands: one annotation per finding, on the file and line, in the pull request.

Format (GitHub's "Workflow commands for GitHub Actions"):
`::error file={path},line={line},title={title}::{message}`, also `::warning` and `::notice`.
Escaping follows the actions toolkit (`@actions/core` command.ts): in the message `%`, CR and LF become
`%25`, `%0D`, `%0A`; in a property value also `:` and `,` become `%3A` and `%2C`. Campaign text is
untrusted: escaped this way, no finding can end its line and start a command of its own.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job; actions/toolkit
docs/problem-matchers.md, "Limitations"). The most severe findings are annotated first; when a level has
more, its last slot says how many more there are, and every finding not annotated is still listed in
the log as a plain line. The gate decision is the final annotation (an error when the gate failed).
"""

from __future__ import annotations

from auditor.findings import Status
from auditor.report import AuditRun
from auditor.vocabulary import SEVERITIES

PER_LEVEL = 10  # annotations GitHub shows per step, for each of error, warning and notice
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}
_RANK = {name: worst_first for worst_first, name in enumerate(SEVERITIES)}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def _plain(text: str) -> str:
    """A log line that GitHub never reads as a command: one line, and after the leading spaces the runner
    trims it starts with `- `, never with `::` (whatever a file name or campaign text holds)."""
    return "  - " + " ".join(str(text).split())


def _annotation(level: str, result, finding, titles: dict[str, str]) -> str:
    where = finding.location.describe()
    title = f"{finding.rule} ({finding.severity.value})" + (f": {titles[finding.rule]}"
                                                             if finding.rule in titles else "")
    message = f"{finding.message}\nWhere: {where}" + (f"\nFix: {finding.fix}" if finding.fix else "")
    return command(level, message, file=result.source,
                   line=str(finding.location.line) if finding.location.line else None, title=title)


def _annotations(findings: list, budget: dict[str, int], titles: dict[str, str]) -> tuple[list[str], list]:
    """(annotation lines, the findings left out): each level's most severe first, within its budget."""
    by_level: dict[str, list] = {"error": [], "warning": [], "notice": []}
    for item in findings:
        by_level[LEVELS[item[1].severity.value]].append(item)
    lines: list[str] = []
    left_out: list = []
    for level in ("error", "warning", "notice"):
        items = by_level[level]
        room = budget[level] if len(items) <= budget[level] else budget[level] - 1
        lines += [_annotation(level, result, finding, titles) for result, finding in items[:room]]
        rest = items[room:]
        if rest:
            left_out += rest
            lines.append(command(level, f"{len(rest)} more {level} finding(s) are not annotated (GitHub shows "
                                        f"{PER_LEVEL} {level} annotations per step); they are listed in this log "
                                        "and in the SARIF and Markdown reports",
                                 title=f"campaign-auditor: {len(rest)} more {level} finding(s)"))
    return lines, left_out


def _gate_annotation(decision) -> str:
    gate_text = decision.headline() + (": " + "; ".join(decision.reasons) if decision.reasons else "")
    if decision.notes:
        gate_text += "\nNotes: " + "; ".join(decision.notes)
    return command("error" if decision.failed else "notice", gate_text,
                   title=f"campaign-auditor {decision.headline()}")


def render(run: AuditRun) -> bytes:
    titles = {rule.id: rule.title for rule in run.rules}
    findings = [(result, f) for result in run.campaigns for f in result.findings if f.status is Status.FAIL]
    findings.sort(key=lambda item: (_RANK[item[1].severity.value], item[0].source, item[1].location.line or 0,
                                    item[1].rule, item[1].location.pointer))
    decision = run.decision()
    budget = {"error": PER_LEVEL, "warning": PER_LEVEL, "notice": PER_LEVEL}
    budget["error" if decision.failed else "notice"] -= 1  # the gate decision's own annotation
    lines, left_out = _annotations(findings, budget, titles)
    if left_out:
        lines.append(_plain(f"findings not annotated ({len(left_out)}):"))
        for result, finding in left_out:
            lines.append(_plain(f"{result.source}:{finding.location.describe()}: {finding.severity.value} "
                                f"{finding.rule}: {finding.message}"))
    held = sum(1 for result in run.campaigns for f in result.findings if f.status is not Status.FAIL)
    lines.append(_plain(f"{len(run.campaigns)} campaign(s), {len(findings)} unwaived finding(s)"
                        + (f", {held} waived or baselined" if held else "")))
    lines.append(_gate_annotation(decision))
    return ("\n".join(lines) + "\n").encode("utf-8")
