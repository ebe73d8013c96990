"""Stable identities for findings: they survive reformatting, line shifts and reordering.

This is the one identity of a finding, used by baselines, diffs, approvals and
SARIF: its rule, its campaign (id, or source path when the file has no id), a
*stable pointer* (the JSON pointer with list indices of items that carry an `id`
replaced by that id: `/fees/0/amount` becomes `/fees/[bundle]/amount`, so moving
a fee up the list does not make it new) and the finding's `key`, which tells
apart two findings of one rule at one place (empty for most findings, so their
fingerprints are those of earlier versions).
"""

from __future__ import annotations

import hashlib


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def stable_pointer(document, pointer: str) -> str:
    if not pointer:
        return ""
    node = document
    out = []
    for raw in pointer.split("/")[1:]:
        token = _unescape(raw)
        if isinstance(node, list) and token.isdigit():
            index = int(token)
            item = node[index] if index < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out.append(f"[{ident}]" if isinstance(ident, str) and ident else raw)
            node = item
        else:
            out.append(raw)
            node = node.get(token) if isinstance(node, dict) else None
    return "/" + "/".join(out)


def campaign_key(result) -> str:
    return result.id or result.source


def stable_pointer_of(result, pointer: str) -> str:
    return result.stable_pointers.get(pointer, pointer)


def fingerprint(result, finding) -> str:
    return _fingerprint(result, finding, finding.location.pointer)


def _fingerprint(result, finding, pointer: str) -> str:
    parts = [finding.rule, campaign_key(result), stable_pointer_of(result, pointer)]
    if finding.key:
        parts.append(finding.key)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:24]


# Where a rule reported a finding before its location moved, so that the baselines and waivers written then
# still match it. EXP-009 (30 Nov 2026): a missing notice is reported at /end_of_term, where reminders are set
# (as EXP-001 does), no longer at /offer/commitment.
MOVED: dict[tuple[str, str], tuple[str, ...]] = {("EXP-009", "/end_of_term"): ("/offer/commitment",)}


def former_pointers(finding) -> tuple[str, ...]:
    return MOVED.get((finding.rule, finding.location.pointer), ())


def fingerprints(result, finding) -> list[str]:
    """The finding's identity, then the identities it had at its former locations (see `MOVED`)."""
    return [fingerprint(result, finding)] + [_fingerprint(result, finding, p) for p in former_pointers(finding)]
