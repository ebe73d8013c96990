"""Findings that depend on a value the schema rejected are withheld until the value is fixed.

A typo in one cell (`30元` in Fees!C2) is one mistake: the schema finding says so at its cell. Rules read the
rejected value as missing, so without this they would add findings computed from a value the auditor could not
read (a critical "no price after the term", a price that "matches no fee"), and one typo would raise the
campaign's risk. Which rules depend on which values is found generally, not rule by rule: a rule that hit is run
again on a view of the campaign whose document records every value read; a hit is withheld when its pointer or
any value its rule read touches a rejected pointer. The rule's outcome becomes `unknown`, and the schema finding
says which rules are checked again once its value is fixed.
"""

from __future__ import annotations

from auditor.sourcemap import pointer_of


def _escape(key) -> str:
    return pointer_of([key])


class _Dict(dict):
    """A document mapping that records the pointer of every value read through it."""

    __slots__ = ("_pointer", "_reads")

    def _note(self, key, value):
        pointer = self._pointer + _escape(key)
        # a mapping or list read is recorded with a trailing `/`: reading it does not read what is inside
        self._reads.add(pointer + "/" if isinstance(value, (_Dict, _List)) else pointer)
        return value

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return self._note(key, dict.__getitem__(self, key))
        return default

    def __getitem__(self, key):
        return self._note(key, dict.__getitem__(self, key))

    def items(self):
        return [(k, self._note(k, v)) for k, v in dict.items(self)]

    def values(self):
        return [self._note(k, v) for k, v in dict.items(self)]


class _List(list):
    __slots__ = ("_pointer", "_reads")

    def _note(self, index, value):
        self._reads.add(f"{self._pointer}/{index}/" if isinstance(value, (_Dict, _List)) else f"{self._pointer}/{index}")
        return value

    def __iter__(self):
        for index, value in enumerate(list.__iter__(self)):
            yield self._note(index, value)

    def __getitem__(self, index):
        value = list.__getitem__(self, index)
        if isinstance(index, slice):
            for position in range(*index.indices(len(self))):
                self._reads.add(f"{self._pointer}/{position}")
            return value
        return self._note(index if index >= 0 else len(self) + index, value)


def tracked(value, reads: set, pointer: str = ""):
    """A copy of a JSON-like document whose mappings and lists add each pointer read to `reads`."""
    if type(value) is dict:
        out = _Dict((k, tracked(v, reads, pointer + _escape(k))) for k, v in value.items())
    elif type(value) is list:
        out = _List(tracked(v, reads, f"{pointer}/{i}") for i, v in enumerate(value))
    else:
        return value
    out._pointer, out._reads = pointer, reads
    return out


def touches(pointer: str, rejected: str) -> bool:
    """A value read (or reported) at `pointer` depends on the rejected one: the same value, one inside it or one
    holding it. A pointer ending in `/` is a mapping or list that was only looked at, not read through: it
    depends on a rejected value only when it is that value or inside it."""
    if not pointer or not rejected:
        return False
    if pointer.endswith("/"):
        return pointer == rejected + "/" or pointer.startswith(rejected + "/")
    return pointer == rejected or pointer.startswith(rejected + "/") or rejected.startswith(pointer + "/")


def reads_of(function, params, document: dict, file_texts: dict, extra_own_names) -> set[str] | None:
    """Every pointer a rule reads on this document (None when the rule fails on the tracked view)."""
    from auditor.campaign import Campaign

    reads: set[str] = set()
    campaign = Campaign(tracked(document, reads), file_texts=file_texts, extra_own_names=extra_own_names)
    try:
        for _ in function(campaign, params):
            pass
    except Exception:  # noqa: BLE001 - the rule already ran once; a failure here only means "withhold nothing"
        return None
    return reads


def depends(hit_pointer: str, reads: set[str], rejected: str) -> bool:
    return touches(hit_pointer, rejected) or any(touches(read, rejected) for read in reads)


def withhold(document: dict, file_texts: dict, extra_own_names, plan, rule_findings: list, outcomes: list,
             schema_findings: list, rejected: dict) -> tuple[list, list, list]:
    """(rule findings kept, outcomes, schema findings with their notes): see the module's docstring.

    `plan` holds the engine's (rule, function, params, ...) entries; `rejected` maps each rejected pointer to
    what its value must become (auditor.schema.rejected_values)."""
    from dataclasses import replace

    from auditor.findings import RuleOutcome, Status
    from auditor.messages import Join, T

    if not rejected or not rule_findings:
        return rule_findings, outcomes, schema_findings
    entries = {entry[0].id: entry for entry in plan}
    reads: dict[str, set[str] | None] = {}
    kept, withheld_rules = [], set()
    waiting: dict[str, set[str]] = {}  # rejected pointer -> rules checked again once it is fixed
    for finding in rule_findings:
        if finding.rule not in reads:
            entry = entries.get(finding.rule)
            reads[finding.rule] = reads_of(entry[1], entry[2], document, file_texts, extra_own_names) \
                if entry else None
        rule_reads = reads[finding.rule] or set()
        touched = [p for p in rejected if depends(finding.location.pointer, rule_reads, p)]
        if not touched:
            kept.append(finding)
            continue
        withheld_rules.add(finding.rule)
        for pointer in touched:
            waiting.setdefault(pointer, set()).add(finding.rule)
    if not waiting:
        return rule_findings, outcomes, schema_findings
    still_failing = {f.rule for f in kept}
    outcomes = [RuleOutcome(o.rule, Status.UNKNOWN) if o.rule in withheld_rules and o.rule not in still_failing
                else o for o in outcomes]
    noted, out = set(), []
    for finding in schema_findings:
        pointer = finding.location.pointer
        if pointer in waiting and pointer not in noted:
            noted.add(pointer)
            where = finding.location.describe() if finding.location.cell else (pointer or "/")
            message = T("{message}; what depends on it ({rules}) is checked again once {where} {need}",
                        message=finding.message_t if finding.message_t is not None else finding.message,
                        rules=Join(sorted(waiting[pointer]), ", "), where=where, need=rejected[pointer])
            finding = replace(finding, message=str(message), message_t=message)
        out.append(finding)
    return kept, outcomes, out
