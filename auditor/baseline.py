"""Baselines: adopt the gate on an existing repository and fail only on new findings.

The baseline stores fingerprints (rule, campaign, stable pointer), never line
numbers, so reformatting a file or moving its fees around keeps matching.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from auditor.findings import Status
from auditor.fingerprint import campaign_key, fingerprint, stable_pointer_of

FORMAT = "campaign-auditor/baseline-v1"


class BaselineError(Exception):
    pass


def create(results) -> bytes:
    entries = []
    for result in results:
        for finding in result.findings:
            if finding.status is Status.FAIL:
                entries.append({"fingerprint": fingerprint(result, finding), "rule": finding.rule,
                                "campaign": campaign_key(result),
                                "pointer": stable_pointer_of(result, finding.location.pointer)})
    entries = sorted({e["fingerprint"]: e for e in entries}.values(), key=lambda e: (e["campaign"], e["rule"],
                                                                                     e["pointer"]))
    return (json.dumps({"format": FORMAT, "findings": entries}, ensure_ascii=False, indent=2) + "\n").encode()


def load(path: Path) -> set[str]:
    from auditor.sideinput import MAX_BASELINE_BYTES, SideInputError, read_side_text

    try:
        data = json.loads(read_side_text(path, MAX_BASELINE_BYTES, "baseline"))
    except SideInputError as exc:
        raise BaselineError(str(exc)) from exc
    except ValueError as exc:
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a baseline file (expected format {FORMAT})")
    return {e["fingerprint"] for e in data["findings"] if isinstance(e, dict) and "fingerprint" in e}


def apply(results, fingerprints: set[str]) -> int:
    """Mark findings already in the baseline (in place); return how many."""
    count = 0
    for result in results:
        findings = []
        for finding in result.findings:
            if finding.status is Status.FAIL and fingerprint(result, finding) in fingerprints:
                finding = replace(finding, status=Status.BASELINED)
                count += 1
            findings.append(finding)
        result.findings = findings
    return count
