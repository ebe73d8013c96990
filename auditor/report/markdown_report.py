"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

from auditor.findings import SEVERITIES, Status
from auditor.report import AuditRun

_ICON = {"critical": "🟣", "high": "🔴", "medium": "🟠", "low": "🔵", "info": "⚪", "none": "🟢"}


def _cell(text: str) -> str:
    """Campaign text is untrusted: keep it from breaking the table or injecting HTML."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("`", "'").replace("\n", " ").replace("\r", " "))


def render(run: AuditRun) -> bytes:
    counts = run.severity_counts
    decision = run.decision()
    lines = [f"## Campaign audit: {len(run.campaigns)} campaign(s), {decision.headline()}", ""]
    if decision.failed:
        lines += ["**Why the gate failed:**", ""] + [f"- {_cell(reason)}" for reason in decision.reasons] + [""]
    if decision.notes:
        lines += ["**Notes:**", ""] + [f"- {_cell(note)}" for note in decision.notes] + [""]
    lines += ["| Campaign | Source | Risk | " + " | ".join(SEVERITIES) + " | waived |",
             "|---|---|---|" + "---:|" * (len(SEVERITIES) + 1)]
    for result in run.campaigns:
        active = [f for f in result.findings if f.status is Status.FAIL]
        per = {s: sum(1 for f in active if f.severity.value == s) for s in SEVERITIES}
        waived = sum(1 for f in result.findings if f.status is not Status.FAIL)
        lines.append(f"| {_cell(result.id or '')} | `{_cell(result.source)}` | {_ICON[result.risk_level]} "
                     f"{result.risk_level} | " + " | ".join(str(per[s]) for s in SEVERITIES) + f" | {waived} |")
    lines += ["", "**Totals:** " + ", ".join(f"{n} {s}" for s, n in counts.items()), ""]
    for result in run.campaigns:
        active = [f for f in result.findings if f.status is Status.FAIL]
        if not active:
            continue
        lines += [f"<details><summary>{_cell(result.source)}: {len(active)} finding(s)</summary>", "",
                  "| Severity | Rule | Where | Message |", "|---|---|---|---|"]
        for f in active:
            lines.append(f"| {f.severity.value} | {f.rule} | `{_cell(f.location.describe())}` | {_cell(f.message)} |")
        lines += _fix_lines(result, active)
        lines += ["", "</details>", ""]
    if run.skipped:
        from auditor.discovery import summary_line

        lines += [f"<details><summary>{summary_line(run.skipped)}</summary>", "", "| File | Why |", "|---|---|"]
        lines += [f"| `{_cell(s.source)}` | {_cell(s.reason)} |" for s in run.skipped]
        lines += ["", "</details>", ""]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


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
