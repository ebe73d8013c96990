"""Legal's work: the queue of campaigns awaiting sign-off, approving the latest version (a signed record, the
same as `auditor approve`'s) and sending a version back with a comment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for

from auditor.portal.state import state
from auditor.portal.views.reports import audited, version_or_404, version_page
from auditor.portal.web import N_, login_required, render

blueprint = Blueprint("decisions", __name__)

NOT_APPROVABLE = "Only the latest version of a campaign, while it awaits sign-off, can be approved."


@blueprint.route("/queue")
@login_required("legal")
def queue():
    risk = request.args.get("risk") or None
    jurisdiction = request.args.get("jurisdiction") or None
    return render("queue.html.j2", rows=state().store.queue(risk, jurisdiction), risk=risk or "",
                  jurisdiction=jurisdiction or "")


def _signed_record(row, password: str, note: str):
    """The signed approval record of the version, or a message saying why it cannot be signed."""
    from auditor.approval import ApprovalError
    from auditor.keys import KeyError_
    from auditor.portal import signing

    portal = state()
    result, run, _report = audited(row)
    try:
        return signing.sign(portal.data_dir, g.user, password, result, run.tool, row["filename"], note,
                            request.form.get("accept_risk") == "yes", portal.relied_on), None
    except ApprovalError:
        return None, N_("Unwaived critical findings remain. To approve anyway, tick \"Approve despite unwaived "
                        "critical findings\"; the accepted risks are recorded in the signed approval.")
    except KeyError_:
        return None, N_("Your signing key cannot be unlocked with this password (it was made with an earlier "
                        "password); ask an administrator to renew your key.")


@blueprint.route("/versions/<int:version_id>/approve", methods=["POST"])
@login_required("legal")
def approve(version_id):
    store = state().store
    row = version_or_404(version_id)
    if row["status"] != "pending" or store.latest_version_id(row["campaign_id"]) != version_id:
        abort(409, NOT_APPROVABLE)
    note = request.form.get("note", "")
    password = request.form.get("password", "")
    if not store.check_password(g.user["name"], password):
        flash(N_("Enter your password to sign the approval."))
        return version_page(version_id, note=note, status=400)
    record, refused = _signed_record(row, password, note)
    if refused:
        flash(refused)
        return version_page(version_id, note=note, status=400)
    if not store.decide(version_id, "approved", g.user["name"], record, note):
        abort(409, NOT_APPROVABLE)
    if note:
        store.comment(version_id, g.user["name"], g.user["role"], note)
    flash(N_("Approved and signed. The signed approval record can be downloaded below."))
    return redirect(url_for("reports.version", version_id=version_id))


@blueprint.route("/versions/<int:version_id>/return", methods=["POST"])
@login_required("legal")
def send_back(version_id):
    store = state().store
    version_or_404(version_id)
    text = request.form.get("comment", "").strip()
    if not text:
        flash(N_("Say what has to change before sending a campaign back."))
        return redirect(url_for("reports.version", version_id=version_id))
    # the approval record of an approved version stays (the audit log says it was sent back afterwards)
    if not store.decide(version_id, "returned", g.user["name"], note=text, expect=("pending", "approved")):
        abort(409, "Only the latest version of a campaign can be sent back.")
    store.comment(version_id, g.user["name"], g.user["role"], text)
    return redirect(url_for("decisions.queue"))
