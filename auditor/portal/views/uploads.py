"""Marketing's uploads (one file or a batch) and the list of campaigns.

A batch is read and checked whole before anything is stored: one oversized file refuses it all (413). Each
accepted file is then audited by the portal's session and stored as a new version of its campaign (keyed by
the id inside the file), or refused with the reason when it cannot be read as a campaign."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for

from auditor.portal.audit import ALLOWED_SUFFIXES, MAX_FILE_BYTES
from auditor.portal.limits import Busy
from auditor.portal.state import heavy_slot, state
from auditor.portal.store import clean_filename
from auditor.portal.web import MAX_FILES, N_, login_required, render

blueprint = Blueprint("uploads", __name__)


def unreadable(result):
    """Why an upload cannot be audited as a campaign: its load-error finding, or "" when the file held no
    campaign; None when it can be audited."""
    from auditor.engine import LOAD_ERROR

    for finding in result.findings:
        if finding.rule == LOAD_ERROR:
            return finding
    return None if result.document is not None else ""


def campaign_key(result, filename: str) -> str:
    """The campaign a file is a version of: the id inside it, else its file name."""
    return result.id if isinstance(result.id, str) and result.id else f"file:{filename}"


def _accepted(files) -> list[tuple[str, bytes]]:
    """(name, bytes) of the campaign files of the batch; any file over the size limit refuses the batch (413)."""
    accepted = []
    for item in files:
        name = clean_filename(item.filename)
        if not name.lower().endswith(ALLOWED_SUFFIXES):
            flash(f"{name}: not a campaign file (.json, .yaml, .yml, .xlsx); not uploaded.")
            continue
        data = item.stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            abort(413)
        accepted.append((name, data))
    return accepted


def _store_one(name: str, data: bytes) -> int | None:
    """Audit and store one file: its new version id, or None (and a message saying why) when it is not stored."""
    from auditor.i18n import gettext_for
    from auditor.messages import T

    portal = state()
    try:
        result, _run, report = portal.audit(name, data)
        problem = unreadable(result)
        if problem is not None:
            translate = gettext_for(g.lang)
            reason = problem.text(translate) if problem else T("no campaign found in the file")
            flash(T("{name}: cannot be read as a campaign, so it was not added to the queue: {reason}",
                    name=name, reason=reason).render(translate))
            return None
        digest = portal.store.save_blob(data)
        version_id, _new = portal.store.record_version(campaign_key(result, name), result.name, result.jurisdiction,
                                                       digest, name, g.user["name"], report)
    except Exception:  # noqa: BLE001 (one file's failure is that file's result, not a 500)
        current_app.logger.exception("upload of %r failed", name)
        flash(f"{name}: could not be stored; nothing was recorded for it. Try again.")
        return None
    flash(f"{name}: uploaded as version #{version_id}.")
    return version_id


@blueprint.route("/upload", methods=["GET", "POST"])
@login_required("marketing")
def upload():
    if request.method == "GET":
        return render("upload.html.j2")
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        flash(N_("Choose at least one campaign file."))
        return render("upload.html.j2", 400)
    if len(files) > MAX_FILES:
        abort(413)
    accepted = _accepted(files)  # every file read and checked before any is stored
    try:
        with heavy_slot():
            uploaded = [v for v in (_store_one(name, data) for name, data in accepted) if v is not None]
    except Busy:
        abort(429, "Your other uploads are still being audited; try again in a few seconds.")
    if not uploaded:
        return render("upload.html.j2", 400)
    if len(uploaded) == 1:
        return redirect(url_for("reports.version", version_id=uploaded[0]))
    return redirect(url_for("uploads.campaign_list"))


@blueprint.route("/campaigns")
@login_required()
def campaign_list():
    return render("campaigns.html.j2", campaigns=state().store.campaign_list())
