"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

from auditor.findings import SEVERITIES, Status
from auditor.report import UNWAIVED, AuditRun

_ICON = {"critical": "🟣", "high": "🔴", "medium": "🟠", "low": "🔵", "info": "⚪", "none": "🟢"}


def _cell(text: str) -> str:
    """Campaign text is untrusted: keep it from breaking the table or injecting HTML."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("`", "'").replace("\n", " ").replace("\r", " "))


def _held_note(run: AuditRun) -> str:
    when = (run.baseline or {}).get("created")
    return f"accepted for CI on {when}" if when else "accepted for CI"


def render(run: AuditRun) -> bytes:
    """Counts and risk are of every unwaived finding: baselined findings count (a baseline only moves the
    gate); the table says how many findings each mechanism (waiver, baseline) holds back, and a section lists them."""
    lines = _gate_lines(len(run.campaigns), run.decision()) + _table(run)
    for result in run.campaigns:
        lines += _failing_section(result)
    lines += _held_section(run) + _skipped_section(run)
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _gate_lines(campaigns: int, decision) -> list[str]:
    lines = [f"## Campaign audit: {campaigns} campaign(s), {decision.headline()}", ""]
    if decision.failed:
        lines += ["**Why the gate failed:**", ""] + [f"- {_cell(reason)}" for reason in decision.reasons] + [""]
    if decision.notes:
        lines += ["**Notes:**", ""] + [f"- {_cell(note)}" for note in decision.notes] + [""]
    return lines


def _table(run: AuditRun) -> list[str]:
    lines = ["| Campaign | Source | Risk | " + " | ".join(SEVERITIES) + " | baselined | waived |",
             "|---|---|---|" + "---:|" * (len(SEVERITIES) + 2)]
    for result in run.campaigns:
        unwaived = [f for f in result.findings if f.status in UNWAIVED]
        per = {s: sum(1 for f in unwaived if f.severity.value == s) for s in SEVERITIES}
        baselined = sum(1 for f in result.findings if f.status is Status.BASELINED)
        waived = sum(1 for f in result.findings if f.status is Status.WAIVED)
        lines.append(f"| {_cell(result.id or '')} | `{_cell(result.source)}` | {_ICON[result.risk_level]} "
                     f"{result.risk_level} | " + " | ".join(str(per[s]) for s in SEVERITIES)
                     + f" | {baselined} | {waived} |")
    held = run.held_counts
    lines += ["", "**Totals:** " + ", ".join(f"{n} {s}" for s, n in run.severity_counts.items())
              + f" (of which {held['baselined']} baselined); {held['waived']} waived", ""]
    return lines


def _failing_section(result) -> list[str]:
    active = [f for f in result.findings if f.status is Status.FAIL]
    if not active:
        return []
    lines = [f"<details><summary>{_cell(result.source)}: {len(active)} finding(s) failing the gate</summary>",
             "", "| Severity | Rule | Where | Message |", "|---|---|---|---|"]
    for f in active:
        lines.append(f"| {f.severity.value} | {f.rule} | `{_cell(f.location.describe())}` | {_cell(f.message)} |")
    return lines + _fix_lines(result, active) + ["", "</details>", ""]


def _held_section(run: AuditRun) -> list[str]:
    hidden = [(r, f) for r in run.campaigns for f in r.findings if f.status in (Status.WAIVED, Status.BASELINED)]
    if not hidden:
        return []
    lines = ["### Held back from the gate", "",
             "Baselined findings still count in the risk: a baseline is a CI device, not a legal acceptance.", "",
             "| Campaign | Severity | Rule | Where | Held back by |", "|---|---|---|---|---|"]
    for result, f in hidden:
        how = (f"baseline ({_held_note(run)})" if f.status is Status.BASELINED
               else f"waiver: {_cell(f.waiver_reason or '')}")
        lines.append(f"| {_cell(result.id or result.source)} | {f.severity.value} | {f.rule} | "
                     f"`{_cell(f.location.describe())}` | {how} |")
    return lines + [""]


def _skipped_section(run: AuditRun) -> list[str]:
    if not run.skipped:
        return []
    from auditor.discovery import summary_line

    lines = [f"<details><summary>{summary_line(run.skipped)}</summary>", "", "| File | Why |", "|---|---|"]
    lines += [f"| `{_cell(s.source)}` | {_cell(s.reason)} |" for s in run.skipped]
    return lines + ["", "</details>", ""]


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in the (untrusted) text, so it cannot close early."""
    import re

    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _fix_lines(result, active) -> list[str]:
    """Verified fixes (with `check --fixes`): a GitHub suggestion block where the edit is a line of the source,
    else the sentence to add."""
    if not result.fixes:
        return []
    from auditor.fixes.sarif import suggestion

    out = []
    for f in active:
        fix = result.fixes.get((f.rule, f.location.pointer, f.key))
        if fix is None or not fix.verified:
            continue
        label = "business decision, fix verified" if fix.business_decision else "fix verified"
        where = f" in `{_cell(fix.material)}`" if fix.material else ""
        out += ["", f"**Suggested fix for {f.rule}**{where} ({label}):", ""]
        found = suggestion(result, fix)
        if found:
            first, last, block = found
            span = f"line {first}" if first == last else f"lines {first}-{last}"
            fence = _fence(block)
            out += [f"`{_cell(result.source)}` {span}:", "", fence + "suggestion", block, fence]
        else:
            fence = _fence(fix.text)
            out += [fence + "text", fix.text.replace("\r", " "), fence]
    return out
