"""Waivers: reviewed, reasoned, expiring exceptions kept in `waivers.yaml`.

Each entry names a rule, a campaign (its id, or a glob over the source path),
optionally a pointer (which also covers everything below it), and must give a
reason, who approved it and an expiry date. Waived findings stay in every
report, marked waived, and do not fail the gate. There is deliberately no
inline waiver: a campaign file cannot excuse itself.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.findings import Status

EXPIRING_DAYS = 30
_REQUIRED = ("rule", "campaign", "reason", "approved-by", "expires")
_KNOWN = set(_REQUIRED) | {"pointer"}


class WaiverError(Exception):
    pass


@dataclass(frozen=True)
class Waiver:
    index: int
    line: int
    rule: str
    campaign: str
    pointer: str | None
    reason: str
    approved_by: str
    expires: dt.date

    def matches(self, result, finding) -> bool:
        if finding.rule != self.rule:
            return False
        if self.campaign != result.id and not fnmatch.fnmatch(result.source, self.campaign):
            return False
        if self.pointer is None:
            return True
        pointer = finding.location.pointer
        return pointer == self.pointer or pointer.startswith(self.pointer.rstrip("/") + "/")

    def state(self, today: dt.date, used: bool) -> str:
        if self.expires < today:
            return "expired"
        if not used:
            return "unused"
        if (self.expires - today).days <= EXPIRING_DAYS:
            return "expiring"
        return "active"

    def describe(self) -> str:
        where = f" at {self.pointer}" if self.pointer else ""
        return f"{self.rule} on {self.campaign}{where}"


def load(path: Path) -> list[Waiver]:
    from auditor.load.yamlfile import load_yaml

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WaiverError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    loaded = load_yaml(data)
    if loaded.document is None:
        problem = loaded.problems[0] if loaded.problems else None
        raise WaiverError(f"{path}:{problem.location.line if problem else 1}: "
                          f"{problem.message if problem else 'empty file'}")
    document = loaded.document
    entries = document.get("waivers") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise WaiverError(f"{path}: expected a list of waivers (under `waivers:`)")
    prefix = "/waivers" if isinstance(document, dict) else ""
    waivers = []
    for i, entry in enumerate(entries):
        line = loaded.sourcemap.locate(f"{prefix}/{i}").line or 1
        where = f"{path}:{line}: waiver #{i + 1}"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where}: must be a mapping")
        entry = {k.replace("_", "-"): v for k, v in entry.items()}
        unknown = set(entry) - _KNOWN
        if unknown:
            raise WaiverError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in _REQUIRED:
            if not str(entry.get(key) or "").strip():
                raise WaiverError(f"{where}: `{key}` is required (every waiver needs a rule, a campaign, "
                                  f"a reason, who approved it and an expiry date)")
        try:
            expires = dt.date.fromisoformat(str(entry["expires"]))
        except ValueError as exc:
            raise WaiverError(f"{where}: `expires` must be a date like 2026-12-31") from exc
        pointer = entry.get("pointer")
        if pointer is not None and (not isinstance(pointer, str) or not pointer.startswith("/")):
            raise WaiverError(f"{where}: `pointer` must be a JSON pointer starting with /")
        waivers.append(Waiver(i, line, str(entry["rule"]), str(entry["campaign"]), pointer,
                              str(entry["reason"]).strip(), str(entry["approved-by"]).strip(), expires))
    return waivers


def apply(results, waivers: list[Waiver], today: dt.date) -> dict[int, bool]:
    """Mark matching findings waived (in place); return which waivers matched a finding."""
    used = {w.index: False for w in waivers}
    for result in results:
        changed = False
        findings = []
        for finding in result.findings:
            if finding.status is Status.FAIL:
                for waiver in waivers:
                    if waiver.matches(result, finding):
                        used[waiver.index] = True
                        if waiver.expires >= today:
                            finding = replace(finding, status=Status.WAIVED, waiver_reason=(
                                f"{waiver.reason} (approved by {waiver.approved_by}, expires "
                                f"{waiver.expires.isoformat()})"))
                            changed = True
                            break
            findings.append(finding)
        if changed:
            result.findings = findings
    return used


def summary(waivers: list[Waiver], used: dict[int, bool], today: dt.date) -> list[dict]:
    return [{"rule": w.rule, "campaign": w.campaign, "pointer": w.pointer, "reason": w.reason,
             "approved_by": w.approved_by, "expires": w.expires.isoformat(), "line": w.line,
             "state": w.state(today, used.get(w.index, False))} for w in waivers]


def stale(states: list[dict]) -> list[dict]:
    """The waiver states `auditor waivers --check` fails on: expired or unused."""
    return [s for s in states if s["state"] in ("expired", "unused")]
