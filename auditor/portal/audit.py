"""Auditing an upload with the same engine and reports as the command line."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

ALLOWED_SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")


def safe_name(filename: str) -> str:
    """A file name that cannot leave the temporary folder or carry markup."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", name)[:120]
    return name or "campaign.json"


def audit_upload(filename: str, data: bytes):
    """(CampaignResult, JSON report dict) of an uploaded campaign."""
    from auditor.checklists import default_ruleset
    from auditor.engine import AuditOptions, audit_file
    from auditor.report import AuditRun, generation_time
    from auditor.report.json_report import to_dict

    ruleset = default_ruleset()
    with tempfile.TemporaryDirectory(prefix="auditor-upload-") as folder:
        path = Path(folder) / safe_name(filename)
        path.write_bytes(data)
        result = audit_file(path, path.name, AuditOptions(ruleset=ruleset, keep_documents=True))
    run = AuditRun(campaigns=[result], checklist_digest=ruleset.digest, generated=generation_time(),
                   rules=ruleset.rules)
    return result, run, to_dict(run)
