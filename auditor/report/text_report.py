"""Human summary for a terminal: grouped by file, one finding per line."""

from __future__ import annotations

from auditor.findings import Status
from auditor.report import AuditRun

_COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "info": "white"}


class TextStream:
    """The terminal summary, written campaign by campaign."""

    def __init__(self, run: AuditRun, write, colour: bool = False, lang: str = "en"):
        import click

        from auditor.i18n import gettext_for
        from auditor.report.html_report import plural_for

        self.write = write
        self.gettext = gettext_for(lang) if lang != "en" else None
        self.words = self.gettext or (lambda message: message)
        self.plural = plural_for(lang, self.words)
        self.style = (lambda text, severity, bold=False: click.style(text, fg=_COLOURS.get(severity), bold=bold)) \
            if colour else (lambda text, severity, bold=False: text)
        self.campaigns = 0
        self.counts = {s: 0 for s in ("critical", "high", "medium", "low", "info")}
        self.held = {"waived": 0, "baselined": 0}

    def add(self, result) -> None:
        _ = self.words
        meta = " ".join(x for x in (result.id or "", result.jurisdiction or "") if x)
        risk = _("risk {level} ({score})").format(level=_(result.risk_level), score=result.risk_score)
        lines = [f"{result.source}  {meta}  {self.style(risk, result.risk_level, True)}".rstrip()]
        for f in result.findings:
            lines += self._finding_lines(result, f)
            if f.status in (Status.FAIL, Status.BASELINED):  # a baseline moves the gate, not the risk
                self.counts[f.severity.value] += 1
            if f.status is not Status.FAIL:
                self.held[f.status.value] = self.held.get(f.status.value, 0) + 1
        if not result.findings:
            lines.append("  " + _("no findings"))
        self.campaigns += 1
        self.write(("\n".join(lines) + "\n\n").encode("utf-8"))

    def _where(self, location) -> str:
        """`line 12` (and the spot in a material file), else the sheet and cell or the pointer."""
        if location.line is None or location.sheet:
            return location.describe()
        where = self.words("line {line}").format(line=location.line)
        if location.detail:
            from auditor.load.materials.locate import describe_detail

            where += " · " + describe_detail(location.detail)  # the spot in a material file (main)
        return where

    def _finding_lines(self, result, f) -> list[str]:
        _ = self.words
        held = f" [{_(f.status.value)}]" if f.status is not Status.FAIL else ""
        pointer = f" {f.location.pointer}" if f.location.pointer and (f.location.line or f.location.cell) else ""
        lines = [f"  {self.style(f'{_(f.severity.value):<8}', f.severity.value)} {f.rule:<9} "
                 f"{self._where(f.location)}{pointer}: {f.text(self.gettext)}{held}"]
        fix = result.fixes.get((f.rule, f.location.pointer, f.key)) if result.fixes else None
        if fix is not None and fix.verified:  # with `check --fixes`
            label = "business decision, fix verified" if fix.business_decision else "fix verified"
            where = f" (add to `{fix.material}`)" if fix.material and fix.kind == "sentence" else ""
            lines.append(f"             {label}{where}: {fix.text}")
        return lines

    def close(self, gate=None, skipped=()) -> None:
        """The totals: every unwaived finding (baselined ones included), then what waivers and the baseline hold
        back from the gate, in words and plurals of the report language; `gate`: the gate.GateDecision, printed
        with its reasons; `skipped`: files that are not campaigns."""
        _ = self.words
        total = sum(self.counts.values())
        parts = _(", ").join(f"{n} {_(s)}" for s, n in self.counts.items() if n)
        extra = _(", ").join(f"{n} {_(s)}" for s, n in self.held.items() if n)
        lines = [self.plural("campaign", self.campaigns) + _(", ") + self.plural("finding", total)
                 + (f": {parts}" if parts else "") + (f" ({extra})" if extra else "")]
        if skipped:
            from auditor.discovery import summary_line

            lines.append(summary_line(list(skipped)) + ": " + ", ".join(s.source for s in skipped[:10])
                         + (f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""))
        if gate is not None:
            lines += self._gate_lines(gate)
        self.write(("\n".join(lines) + "\n").encode("utf-8"))

    def _gate_lines(self, gate) -> list[str]:
        _ = self.words
        failed, passed = _("gate failed (fail on {level})"), _("gate passed (fail on {level})")
        headline = (failed if gate.failed else passed).format(level=_(gate.fail_on))
        lines = [self.style(headline, "high" if gate.failed else "info", True) + (":" if gate.reasons else "")]
        lines += [f"  - {reason}" for reason in gate.reasons]
        lines += [f"  note: {note}" for note in gate.notes if not note.startswith("skipped ")]
        return lines


def render(run: AuditRun, colour: bool = False, lang: str = "en") -> bytes:
    chunks: list[bytes] = []
    stream = TextStream(run, chunks.append, colour, lang)
    for result in run.campaigns:
        stream.add(result)
    stream.close(run.decision(), run.skipped)
    return b"".join(chunks)
