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
after today, and more than `MAX_WAIVERS` entries. The shape of the file (keys, types, dates, the binding to a
file) is `schemas/waivers.schema.json`; what it cannot know (the rule set, today) is `_check_rule` and
`_check_expiry`.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.findings import Status
from auditor.fingerprint import former_pointers

EXPIRING_DAYS = 30
DEFAULT_MAX_DAYS = 365
UNWAIVABLE_CATEGORIES = ("input", "schema")


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
        # a waiver written for a location the rule reported before (auditor.fingerprint.MOVED) still holds
        return any(pointer == self.pointer or pointer.startswith(self.pointer.rstrip("/") + "/")
                   for pointer in (finding.location.pointer, *former_pointers(finding)))

    def _source_matches(self, shown: str) -> bool:
        pattern = self.source or ""
        if fnmatch.fnmatchcase(shown, pattern):
            return True
        if self.base is None:
            return False
        relative = os.path.relpath(os.path.abspath(shown), os.path.abspath(self.base))
        return fnmatch.fnmatchcase(Path(relative).as_posix(), pattern)

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
    """The waivers of a file, validated against schemas/waivers.schema.json. `rules` maps every known rule id
    to its category (unknown ids and unwaivable categories are refused); `today` and `max_days` bound the
    expiry dates."""
    loaded = _read(path)
    document = _normalised(loaded.document)
    prefix = "/waivers" if isinstance(document, dict) else ""

    def where(i: int) -> tuple[str, int]:
        line = loaded.sourcemap.locate(f"{prefix}/{i}").line or 1
        return f"{path}:{line}: waiver #{i + 1}", line

    _validate(path, loaded, document, where)
    entries: list = document["waivers"] if isinstance(document, dict) else document
    waivers = []
    for i, entry in enumerate(entries):
        place, line = where(i)
        waiver = _waiver(i, line, entry, path.parent)
        _check_expiry(place, waiver.expires, today, max_days)
        _check_rule(place, waiver.rule, rules)
        waivers.append(waiver)
    return waivers


def _read(path: Path):
    """The file's YAML with its source map; unreadable, not YAML or empty is a WaiverError with the line."""
    from auditor.load.yamlfile import load_yaml
    from auditor.sideinput import MAX_WAIVERS_BYTES, SideInputError, read_side_input

    try:
        data = read_side_input(path, MAX_WAIVERS_BYTES, "waiver file")
    except SideInputError as exc:
        raise WaiverError(str(exc)) from exc
    loaded = load_yaml(data)
    if loaded.document is None:
        problem = loaded.problems[0] if loaded.problems else None
        raise WaiverError(f"{path}:{problem.location.line if problem else 1}: "
                          f"{problem.message if problem else 'empty file'}")
    return loaded


def _normalised(document):
    """`approved_by` is accepted for `approved-by` (the schema knows the hyphenated spelling)."""
    def entry(item):
        return {str(k).replace("_", "-"): v for k, v in item.items()} if isinstance(item, dict) else item

    if isinstance(document, dict) and isinstance(document.get("waivers"), list):
        return dict(document, waivers=[entry(item) for item in document["waivers"]])
    return [entry(item) for item in document] if isinstance(document, list) else document


def _validate(path: Path, loaded, document, where) -> None:
    """Schema violations as a WaiverError: the first in the file, at its entry's line."""
    from auditor.schema import first_problem, project_problems

    entries = "waivers" if isinstance(document, dict) else ""
    problems = project_problems("waivers", document, entries, file=path.name)
    if not problems:
        return
    first = first_problem(problems, lambda pointer: loaded.sourcemap.locate(pointer).line or 1)
    if first.entry is None:
        raise WaiverError(f"{path}:{loaded.sourcemap.locate(first.pointer).line or 1}: {first.message}")
    raise WaiverError(f"{where(first.entry)[0]}: {first.message}")


def _waiver(index: int, line: int, entry: dict, base: Path) -> Waiver:
    """A waiver from its validated entry."""
    source, sha256 = entry.get("source"), entry.get("sha256")
    return Waiver(index, line, entry["rule"].strip(), entry["campaign"].strip(), entry.get("pointer"),
                  entry["reason"].strip(), entry["approved-by"].strip(), dt.date.fromisoformat(entry["expires"]),
                  source.strip() if source is not None else None, sha256.lower() if sha256 is not None else None,
                  base)


def _check_expiry(where: str, expires: dt.date, today: dt.date | None, max_days: int) -> None:
    """A waiver is reviewed again within `waiver-max-days` (the schema cannot know today)."""
    if today is not None and (expires - today).days > max_days:
        raise WaiverError(f"{where}: expires {expires.isoformat()}, more than {max_days} days after "
                          f"{today.isoformat()}; review it sooner (the longest allowed is `waiver-max-days` "
                          f"in auditor.toml)")


def _check_rule(where: str, rule: str, rules: dict[str, str] | None) -> None:
    """The rule exists and is waivable (the schema cannot know the rule set)."""
    if rules is None:
        return
    if rule not in rules:
        raise WaiverError(f"{where}: unknown rule {rule} (`auditor rules` lists them)")
    if rules[rule] in UNWAIVABLE_CATEGORIES:
        raise WaiverError(f"{where}: {rule} is an {rules[rule]} finding and cannot be waived: a file that "
                          f"cannot be read or does not meet the schema is fixed, never waived")


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
