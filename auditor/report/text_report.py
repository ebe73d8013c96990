"""Human summary for a terminal: grouped by file, one finding per line."""

from __future__ import annotations

from auditor.findings import Status
from auditor.report import AuditRun

_COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "info": "white"}


def render(run: AuditRun, colour: bool = False, lang: str = "en") -> bytes:
    import click

    from auditor.i18n import gettext_for

    gettext = gettext_for(lang) if lang != "en" else None

    def style(text: str, severity: str, bold: bool = False) -> str:
        return click.style(text, fg=_COLOURS.get(severity), bold=bold) if colour else text

    lines: list[str] = []
    for result in run.campaigns:
        title = result.source
        meta = " ".join(x for x in (result.id or "", result.jurisdiction or "") if x)
        risk = f"risk {result.risk_level} ({result.risk_score})"
        lines.append(f"{title}  {meta}  {style(risk, result.risk_level, bold=True)}".rstrip())
        for f in result.findings:
            waived = f" [{f.status.value}]" if f.status is not Status.FAIL else ""
            where = f.location.describe()
            pointer = f" {f.location.pointer}" if f.location.pointer and (f.location.line or f.location.cell) else ""
            lines.append(f"  {style(f'{f.severity.value:<8}', f.severity.value)} {f.rule:<9} {where}{pointer}: "
                         f"{f.text(gettext)}{waived}")
        if not result.findings:
            lines.append("  no findings")
        lines.append("")
    counts = run.severity_counts
    total = sum(counts.values())
    parts = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    held = [f.status.value for c in run.campaigns for f in c.findings if f.status is not Status.FAIL]
    extra = ", ".join(f"{held.count(s)} {s}" for s in ("waived", "baselined") if held.count(s))
    lines.append(f"{len(run.campaigns)} campaign(s), {total} finding(s)" + (f": {parts}" if parts else "")
                 + (f" ({extra})" if extra else ""))
    return ("\n".join(lines) + "\n").encode("utf-8")
