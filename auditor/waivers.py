"""Waivers: reviewed, reasoned, expiring exceptions kept in `waivers.yaml`.

Each entry names a rule, the campaign it was written for — its id **and**
the file (`source`, a path or glob relative to the waiver file's folder or as
the report shows it, or `sha256`, the exact bytes) — optionally a pointer
(which also covers everything below it), and must give a reason, who approved
it and an expiry date. A file that merely declares the same id is not
covered. Waived findings stay in every report, marked waived, and do not fail
the gate. There is deliberately no inline waiver: a campaign file cannot
excuse itself.

Refused when the file is loaded, with the line of the entry: unknown rule
ids, rules of the `input` and `schema` categories (a file that cannot be read
or does not meet the schema is fixed, never waived; such findings are never
marked waived either), expiry dates more than `waiver-max-days` (default 365)
after today, and more than `MAX_WAIVERS` entries.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.findings import Status

EXPIRING_DAYS = 30
DEFAULT_MAX_DAYS = 365
UNWAIVABLE_CATEGORIES = ("input", "schema")
_REQUIRED = ("rule", "campaign", "reason", "approved-by", "expires")
_KNOWN = set(_REQUIRED) | {"pointer", "source", "sha256"}
_GLOB = re.compile(r"[*?\[]")


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
    source: str | None = None
    sha256: str | None = None
    base: Path | None = None  # the waiver file's folder: `source` is relative to it

    def matches(self, result, finding) -> bool:
        if finding.rule != self.rule or finding.category in UNWAIVABLE_CATEGORIES:
            return False
        if result.id is None or self.campaign != result.id:
            return False
        if self.sha256 is not None and self.sha256 != (result.sha256 or "").lower():
            return False
        if self.source is not None and not self._source_matches(result.source):
            return False
        if self.pointer is None:
            return True
        pointer = finding.location.pointer
        return pointer == self.pointer or pointer.startswith(self.pointer.rstrip("/") + "/")

    def _source_matches(self, shown: str) -> bool:
        if fnmatch.fnmatchcase(shown, self.source):
            return True
        if self.base is None:
            return False
        relative = os.path.relpath(os.path.abspath(shown), os.path.abspath(self.base))
        return fnmatch.fnmatchcase(Path(relative).as_posix(), self.source)

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


def load(path: Path, rules: dict[str, str] | None = None, today: dt.date | None = None,
         max_days: int = DEFAULT_MAX_DAYS) -> list[Waiver]:
    """The waivers of a file. `rules` maps every known rule id to its category (unknown ids and
    unwaivable categories are refused); `today` and `max_days` bound the expiry dates."""
    from auditor.load.yamlfile import load_yaml
    from auditor.sideinput import MAX_WAIVERS, MAX_WAIVERS_BYTES, SideInputError, read_side_input

    try:
        data = read_side_input(path, MAX_WAIVERS_BYTES, "waiver file")
    except SideInputError as exc:
        raise WaiverError(str(exc)) from exc
    loaded = load_yaml(data)
    if loaded.document is None:
        problem = loaded.problems[0] if loaded.problems else None
        raise WaiverError(f"{path}:{problem.location.line if problem else 1}: "
                          f"{problem.message if problem else 'empty file'}")
    document = loaded.document
    entries = document.get("waivers") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise WaiverError(f"{path}: expected a list of waivers (under `waivers:`)")
    if len(entries) > MAX_WAIVERS:
        raise WaiverError(f"{path}: {len(entries):,} waivers; at most {MAX_WAIVERS:,} are accepted (a waiver is a "
                          f"reviewed exception, not a way to switch rules off: use `disable` in auditor.toml)")
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
        if today is not None and (expires - today).days > max_days:
            raise WaiverError(f"{where}: expires {expires.isoformat()}, more than {max_days} days after "
                              f"{today.isoformat()}; review it sooner (the longest allowed is `waiver-max-days` "
                              f"in auditor.toml)")
        rule = str(entry["rule"]).strip()
        if rules is not None:
            if rule not in rules:
                raise WaiverError(f"{where}: unknown rule {rule} (`auditor rules` lists them)")
            if rules[rule] in UNWAIVABLE_CATEGORIES:
                raise WaiverError(f"{where}: {rule} is an {rules[rule]} finding and cannot be waived: a file that "
                                  f"cannot be read or does not meet the schema is fixed, never waived")
        campaign = str(entry["campaign"]).strip()
        if _GLOB.search(campaign):
            raise WaiverError(f"{where}: `campaign` must be the campaign's id exactly, not a pattern ({campaign!r}); "
                              f"name the file with `source` (a path or glob) or `sha256`")
        source, sha256 = entry.get("source"), entry.get("sha256")
        if source is None and sha256 is None:
            raise WaiverError(f"{where}: bind the waiver to its file too: add `source` (the file's path or a glob, "
                              f"relative to {path.name}'s folder) or `sha256` (its content hash); a campaign id "
                              f"alone would also waive any other file declaring the same id")
        if source is not None and (not isinstance(source, str) or not source.strip() or source.strip() == "*"):
            raise WaiverError(f"{where}: `source` must be a path or glob naming the campaign's file")
        if sha256 is not None and (not isinstance(sha256, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", sha256)):
            raise WaiverError(f"{where}: `sha256` must be the 64 hexadecimal digits of the file's content hash")
        pointer = entry.get("pointer")
        if pointer is not None and (not isinstance(pointer, str) or not pointer.startswith("/")):
            raise WaiverError(f"{where}: `pointer` must be a JSON pointer starting with /")
        waivers.append(Waiver(i, line, rule, campaign, pointer, str(entry["reason"]).strip(),
                              str(entry["approved-by"]).strip(), expires,
                              source.strip() if source is not None else None,
                              sha256.lower() if sha256 is not None else None, path.parent))
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
