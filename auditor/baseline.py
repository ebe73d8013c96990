"""Baselines: adopt the gate on an existing repository and fail only on new findings.

The baseline stores fingerprints (rule, campaign, stable pointer), never line
numbers, so reformatting a file or moving its fees around keeps matching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditor.findings import Status
from auditor.fingerprint import campaign_key, fingerprint, stable_pointer_of
from auditor.fingerprint import fingerprints as fingerprints_of

FORMAT = "campaign-auditor/baseline-v1"


class BaselineError(Exception):
    pass


def current(results) -> dict[str, dict]:
    """Baseline entries of the unwaived findings of `results`, by fingerprint.

    Waived findings are left to their waivers (an expired waiver included: the baseline never silently
    takes over what a reviewed, expiring waiver covers).
    """
    entries: dict[str, dict] = {}
    for result in results:
        for finding in result.findings:
            if finding.status is Status.FAIL:
                entry = {"fingerprint": fingerprint(result, finding), "rule": finding.rule,
                         "campaign": campaign_key(result),
                         "pointer": stable_pointer_of(result, finding.location.pointer)}
                entries.setdefault(entry["fingerprint"], entry)
    return entries


def _order(entry: dict):
    return (str(entry.get("campaign", "")), str(entry.get("rule", "")), str(entry.get("pointer", "")),
            str(entry.get("fingerprint", "")))


def dump(entries) -> bytes:
    entries = sorted(entries, key=_order)
    return (json.dumps({"format": FORMAT, "findings": entries}, ensure_ascii=False, indent=2) + "\n").encode()


def create(results) -> bytes:
    return dump(current(results).values())


@dataclass
class Update:
    added: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    pruned: list = field(default_factory=list)
    untouched: list = field(default_factory=list)  # entries of campaigns this run did not audit

    def data(self) -> bytes:
        return dump([*self.added, *self.kept, *self.untouched])

    def lines(self) -> list[str]:
        out = [f"added   {e['rule']:<9} {e['campaign']} {e['pointer']}" for e in sorted(self.added, key=_order)]
        out += [f"pruned  {e.get('rule', '?'):<9} {e.get('campaign', '?')} {e.get('pointer', '?')}"
                for e in sorted(self.pruned, key=_order)]
        return out

    def summary(self) -> str:
        text = f"{len(self.added)} added, {len(self.kept)} kept, {len(self.pruned)} pruned"
        if self.untouched:
            text += f", {len(self.untouched)} of campaigns not audited in this run left as they were"
        return text


def update(path: Path, results, partial: bool = False) -> Update:
    """Add the new findings, keep the existing ones (their entries as written), prune those that no longer occur.

    `partial`: only some campaigns were audited (paths named, or --changed-since), so the entries of the
    other campaigns are left alone instead of pruned.
    """
    existing = load_entries(path) if path.exists() else []
    now = current(results)
    audited = {campaign_key(r) for r in results}
    change = Update()
    known = set()
    for entry in existing:
        if entry["fingerprint"] in known:
            continue  # a duplicate entry: written once
        known.add(entry["fingerprint"])
        if entry["fingerprint"] in now:
            change.kept.append(entry)
        elif partial and entry.get("campaign") not in audited:
            change.untouched.append(entry)
        else:
            change.pruned.append(entry)
    change.added = [e for fp, e in now.items() if fp not in known]
    return change


def load(path: Path) -> set[str]:
    return {e["fingerprint"] for e in load_entries(path)}


def load_entries(path: Path) -> list[dict]:
    from auditor.sideinput import MAX_BASELINE_BYTES, SideInputError, read_side_text

    try:
        data = json.loads(read_side_text(path, MAX_BASELINE_BYTES, "baseline"))
    except SideInputError as exc:
        raise BaselineError(str(exc)) from exc
    except ValueError as exc:
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a baseline file (expected format {FORMAT})")
    return [e for e in data["findings"] if isinstance(e, dict) and isinstance(e.get("fingerprint"), str)]


def apply(results, fingerprints: set[str]) -> int:
    """Mark findings already in the baseline (in place); return how many."""
    count = 0
    for result in results:
        findings = []
        for finding in result.findings:
            if finding.status is Status.FAIL and any(f in fingerprints for f in fingerprints_of(result, finding)):
                finding = replace(finding, status=Status.BASELINED)
                count += 1
            findings.append(finding)
        result.findings = findings
    return count
