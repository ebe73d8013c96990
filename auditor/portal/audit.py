"""Auditing an upload with the same engine and reports as the command line, under the portal's limits.

An upload is audited by the portal's session (`portal_session`: the configuration's
rules, severity overrides, waivers and baseline, as `auditor check` applies them);
it is shown by its file name, so a waiver binds it by `sha256` or by a `source`
glob matching that name.

The portal's limits are its own, tighter than the command line's: a server
audits files from many people at once, so a workbook that unpacks to hundreds
of megabytes is refused before it is parsed (`PORTAL_MAX_WORKBOOK_BYTES`,
`PORTAL_MAX_CELLS`); a configuration's lower limits apply too.
"""

from __future__ import annotations

import re
import tempfile
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


def portal_session(config_path: str | Path | None = None):
    """The session the portal audits with: the configuration given, or the one found from the working folder as
    `auditor check` finds it, with its whole policy (severity overrides, configured checklists, waivers,
    baseline) and the portal's tighter limits (a `SessionError` says what is wrong with the configuration)."""
    from auditor.session import Session

    session = Session.from_config(config_path)
    session.options = portal_options(session.options)
    return session


def default_session():
    """The session of `audit_upload` when none is given: the configuration found from the working folder now."""
    return portal_session()


def portal_options(options):
    """A copy of the session's audit options under the portal's limits (the lower of the configured and
    the portal's), keeping every document for the HTML report."""
    import copy

    from auditor.load.xlsx import WorkbookLimits

    options = copy.copy(options)
    options.keep_documents = True
    options.max_file_bytes = min(options.max_file_bytes, MAX_FILE_BYTES)
    configured = options.workbook_limits or WorkbookLimits()
    options.workbook_limits = WorkbookLimits(
        max_uncompressed_bytes=min(configured.max_uncompressed_bytes, PORTAL_MAX_WORKBOOK_BYTES),
        max_cells=min(configured.max_cells, PORTAL_MAX_CELLS), stream_above_bytes=configured.stream_above_bytes)
    return options


def audit_upload(filename: str, data: bytes, session=None):
    """(CampaignResult, AuditRun, JSON report dict) of an uploaded campaign, audited by `session` (the portal's:
    its rules, options and policy) as `auditor check` audits the file: the upload is shown by its file name."""
    from auditor.report.json_report import to_dict

    session = session or default_session()
    with tempfile.TemporaryDirectory(prefix="auditor-upload-") as folder:
        path = Path(folder) / safe_name(filename)
        path.write_bytes(data)
        run = session.audit_alone(path, path.name, keep_documents=True)
    return run.campaigns[0], run, to_dict(run)
