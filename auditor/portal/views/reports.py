"""A version's page, its campaign's history, and its downloads: the HTML report (in a sandboxed frame), the
JSON report, SARIF, the signed approval record, the annotated workbook and the original file.

Rendered outputs are audited again from the stored file by the portal's session and cached per version
(`auditor.portal.state.cached`)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, g, request

from auditor.portal.limits import Busy
from auditor.portal.state import cached, heavy_slot, state
from auditor.portal.web import REPORT_CSP, download, login_required, render

blueprint = Blueprint("reports", __name__)


def version_or_404(version_id: int):
    row = state().store.version(version_id)
    if row is None:
        abort(404)
    return row


def _trusted_digest() -> str:
    import hashlib

    from auditor.portal import signing

    path = signing.trusted_path(state().data_dir)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def audited(row):
    """(CampaignResult, AuditRun, JSON report dict) of a stored version, audited again."""
    portal = state()
    return portal.audit(row["filename"], portal.store.blob(row["sha256"]))


def verdict_of(row, result=None, run=None):
    """(approval.Verdict, record) of a version: its approval record checked against the file as audited now."""
    from auditor.approval import Verdict
    from auditor.portal import signing

    record = json.loads(row["approval_json"]) if row["approval_json"] else None
    if record is None:
        return Verdict("not_approved"), None  # nothing to check: no audit needed
    if result is None:
        try:
            with heavy_slot():  # re-auditing the file is heavy work (auditor.portal.limits)
                result, run, _report = audited(row)
        except Busy:
            abort(429, "Other reports of yours are being prepared; try again in a few seconds.")
    portal = state()
    return signing.verdict(portal.data_dir, record, result, run.tool, row["filename"], portal.relied_on), record


def version_page(version_id: int, note: str = "", status: int = 200):
    """The version's page (also shown again, with a message and `status`, when an approval is refused)."""
    store = state().store
    row = version_or_404(version_id)
    report = json.loads(row["report_json"])
    verdict, record = verdict_of(row)
    return render("version.html.j2", status, row=row, campaign=report["campaigns"][0], approval=record,
                  verdict=verdict, comments=store.comments_for(version_id), note=note,
                  latest=store.latest_version_id(row["campaign_id"]) == version_id)


@blueprint.route("/versions/<int:version_id>")
@login_required()
def version(version_id):
    return version_page(version_id)


@blueprint.route("/campaigns/<int:campaign_id>")
@login_required()
def history(campaign_id):
    from auditor.diff import diff_findings

    store = state().store
    rows = store.history(campaign_id)
    if not rows:
        abort(404)
    previous = None
    entries = []
    for row in rows:
        report = json.loads(row["report_json"])["campaigns"][0]
        added, resolved = diff_findings(previous, report)
        entries.append({"row": row, "added": added, "resolved": resolved})
        previous = report
    return render("history.html.j2", entries=list(reversed(entries)), campaign=store.version(rows[-1]["id"]),
                  events=list(reversed(store.events_for(campaign_id))))


@blueprint.route("/versions/<int:version_id>/report.html")
@login_required()
def report_html(version_id):
    from auditor.report.html_report import render as render_html

    row = version_or_404(version_id)

    def build():
        result, run, _report = audited(row)
        verdict, _record = verdict_of(row, result, run)
        return render_html(run, lang=g.lang, verdict=verdict, paths={result.source: row["filename"]})

    # the verdict depends on the approval record and on the trusted reviewers' keys: both are in the key
    body = cached(row, "html", build, row["approval_json"] or "", _trusted_digest())
    if request.args.get("download"):
        return download(body, "text/html", f"report-{version_id}.html")
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


@blueprint.route("/versions/<int:version_id>/report.json")
@login_required()
def report_json(version_id):
    row = version_or_404(version_id)
    return download(row["report_json"], "application/json", f"report-{version_id}.json")


@blueprint.route("/versions/<int:version_id>/approval.json")
@login_required()
def approval_record(version_id):
    row = version_or_404(version_id)
    if not row["approval_json"]:
        abort(404)
    body = json.dumps(json.loads(row["approval_json"]), ensure_ascii=False, indent=2) + "\n"
    return download(body, "application/json", f"approval-{version_id}.json")


@blueprint.route("/versions/<int:version_id>/original")
@login_required()
def original(version_id):
    from auditor.portal.audit import safe_name

    row = version_or_404(version_id)
    return download(state().store.blob(row["sha256"]), "application/octet-stream", safe_name(row["filename"]))


@blueprint.route("/versions/<int:version_id>/report.sarif")
@login_required()
def report_sarif(version_id):
    from auditor.report.sarif_report import render as render_sarif

    row = version_or_404(version_id)

    def build():
        _result, run, _report = audited(row)
        return render_sarif(run)

    return download(cached(row, "sarif", build), "application/sarif+json", f"report-{version_id}.sarif")


@blueprint.route("/versions/<int:version_id>/annotated.xlsx")
@login_required()
def annotated(version_id):
    from auditor.annotate import annotate
    from auditor.i18n import gettext_for

    row = version_or_404(version_id)
    if not row["filename"].lower().endswith(".xlsx"):
        abort(404)
    report = json.loads(row["report_json"])["campaigns"][0]
    if any(f["rule"] in ("AUD-E001", "AUD-E008") for f in report["findings"]):
        abort(404)

    def build():
        data = state().store.blob(row["sha256"])
        result, _run, _report = state().audit(row["filename"], data)
        return annotate(data, result, gettext_for(g.lang) if g.lang != "en" else None)

    return download(cached(row, "annotated", build), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    f"annotated-{version_id}.xlsx")
