"""What every response gets: security headers, error pages and the templates' helpers."""

from __future__ import annotations

import json

from flask import Blueprint, g

from auditor.portal.audit import MAX_FILE_BYTES
from auditor.portal.state import state
from auditor.portal.web import CSP, LANGUAGES, MAX_FILES, N_, render

blueprint = Blueprint("site", __name__)


@blueprint.after_app_request
def headers(response):
    if g.get("user"):
        # pages and downloads behind a login are never kept by browsers or proxies
        response.headers["Cache-Control"] = "no-store"
        response.headers["Vary"] = "Cookie"
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def shown_status(status: str, version_id: int) -> str:
    """A version's status as shown in lists: "approved" only when its record's signature verifies against the
    portal's trusted reviewers (the version page also checks the record against the file and findings)."""
    if status != "approved":
        return status
    from auditor.approval import check_signature
    from auditor.portal import signing

    portal = state()
    row = portal.store.version(version_id)
    record = json.loads(row["approval_json"]) if row is not None and row["approval_json"] else None
    try:
        reviewers = signing.trusted(portal.data_dir)
    except Exception:  # noqa: BLE001 - an unreadable trusted file verifies nothing
        reviewers = None
    if not isinstance(record, dict) or not isinstance(record.get("approval"), dict):
        return "invalid"
    problems, _signer = check_signature(record, reviewers)
    return "approved" if not problems else "invalid"


@blueprint.app_context_processor
def helpers():
    from auditor.i18n import gettext_for

    return {"_": gettext_for(g.get("lang", "en")), "user": g.get("user"), "lang": g.get("lang", "en"),
            "languages": LANGUAGES, "shown_status": shown_status}


@blueprint.app_errorhandler(403)
def forbidden(_):
    return render("message.html.j2", 403, title="403", text=N_("This page needs another role."))


@blueprint.app_errorhandler(404)
def missing(_):
    return render("message.html.j2", 404, title="404", text=N_("No such page or campaign."))


@blueprint.app_errorhandler(413)
def too_large(_):
    return render("message.html.j2", 413, title="413",
                  text=f"The upload is too large: at most {MAX_FILES} files of {MAX_FILE_BYTES // 1024 // 1024} MB.")


@blueprint.app_errorhandler(429)
def busy(error):
    page, status = render("message.html.j2", 429, title="429",
                          text=str(getattr(error, "description", None) or "Too many requests; try again shortly."))
    return page, status, {"Retry-After": "5"}


@blueprint.app_errorhandler(409)
def conflict(error):
    return render("message.html.j2", 409, title="409", text=str(getattr(error, "description", "Conflict")))


@blueprint.app_errorhandler(400)
def bad_request(error):
    return render("message.html.j2", 400, title="400", text=str(getattr(error, "description", "Bad request")))
