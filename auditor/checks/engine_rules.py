"""The reserved engine rules (checklists/core.yaml): what the engine itself finds about a file before, or
beside, the checklist rules. Their checks live beside the other rules (`limits`, `references`,
`material_files`); the engine turns what they yield into findings.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.findings import Severity

LOAD_ERROR = "AUD-E001"
SCHEMA_ERROR = "AUD-E002"
UNKNOWN_FIELD = "AUD-E003"
BROKEN_REFERENCE = "AUD-E004"
MATERIAL_FILE = "AUD-E005"
INPUT_IRREGULARITY = "AUD-E006"
LIMIT_EXCEEDED = "AUD-E008"
RULE_ERROR = "AUD-E009"


class EngineHit(NamedTuple):
    """What an engine rule yields: like a checklist rule's `Hit`, plus which reserved rule it is and, where the
    rule's checklist severity does not fit, its own."""

    rule: str
    pointer: str
    message: object  # plain English, or a translatable messages.T
    severity: Severity | None = None  # None: the rule's severity in checklists/core.yaml
