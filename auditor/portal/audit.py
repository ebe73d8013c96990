"""Auditing an upload with the same engine and reports as the command line, under the portal's limits.

The portal's limits are its own, tighter than the command line's: a server
audits files from many people at once, so a workbook that unpacks to hundreds
of megabytes is refused before it is parsed (`PORTAL_WORKBOOK_LIMITS`).
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path

ALLOWED_SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")
MAX_FILE_BYTES = 5 * 1024 * 1024
PORTAL_MAX_WORKBOOK_BYTES = 40 * 1024 * 1024  # unpacked; the command line allows 200 MB
PORTAL_MAX_CELLS = 200_000  # the command line allows 1,000,000


def safe_name(filename: str) -> str:
    """A file name that cannot leave the temporary folder or carry markup, short enough for any file
    system (cut by bytes, keeping the suffix)."""
    from auditor.portal.store import clean_filename

    name = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", clean_filename(filename)).lstrip(".")
    return name or "campaign.json"


@lru_cache(maxsize=1)
def _ruleset():
    from auditor.checklists import default_ruleset

    return default_ruleset()


def checklist_digest() -> str:
    return _ruleset().digest


def portal_options(ruleset):
    from auditor.engine import AuditOptions
    from auditor.load.xlsx import WorkbookLimits

    return AuditOptions(ruleset=ruleset, keep_documents=True, max_file_bytes=MAX_FILE_BYTES,
                        workbook_limits=WorkbookLimits(max_uncompressed_bytes=PORTAL_MAX_WORKBOOK_BYTES,
                                                       max_cells=PORTAL_MAX_CELLS))


def audit_upload(filename: str, data: bytes):
    """(CampaignResult, AuditRun, JSON report dict) of an uploaded campaign."""
    from auditor.engine import audit_file
    from auditor.report import AuditRun, generation_time
    from auditor.report.json_report import to_dict

    ruleset = _ruleset()
    with tempfile.TemporaryDirectory(prefix="auditor-upload-") as folder:
        path = Path(folder) / safe_name(filename)
        path.write_bytes(data)
        result = audit_file(path, path.name, portal_options(ruleset))
    run = AuditRun(campaigns=[result], checklist_digest=ruleset.digest, generated=generation_time(),
                   rules=ruleset.rules)
    return result, run, to_dict(run)
