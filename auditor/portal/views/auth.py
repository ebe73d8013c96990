"""The signed-in session, checked on every request, the chosen language, and signing in and out.

The signed cookie carries the account id, the account's session generation and the times the session began
and was last used; every request checks them against the database (see `auditor.portal`)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, session, url_for

from auditor.portal.state import state
from auditor.portal.web import ABSOLUTE_SECONDS, IDLE_SECONDS, LANGUAGES, N_, SEEN_RESOLUTION, render, safe_next

blueprint = Blueprint("auth", __name__)


def _restart() -> None:
    """An empty session cookie (a new sign-in or an ended session), keeping the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@blueprint.before_app_request
def signed_in_user():
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
    g.lang = session.get("lang", "en")
    g.user = None
    if "uid" not in session:
        return
    store = state().store
    current = store.clock()
    fresh = (current - float(session.get("iat", 0)) < ABSOLUTE_SECONDS
             and current - float(session.get("seen", 0)) < IDLE_SECONDS)
    user = store.session_user(session.get("uid"), session.get("gen")) if fresh else None
    if user is None:
        _restart()
        return
    g.user = user
    if current - float(session.get("seen", 0)) >= SEEN_RESOLUTION:
        session["seen"] = current


@blueprint.route("/")
def index():
    if not g.user:
        return redirect(url_for("auth.login"))
    return redirect(url_for("decisions.queue") if g.user["role"] == "legal" else url_for("uploads.campaign_list"))


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        store = state().store
        name = request.form.get("name", "")[:200]
        address = request.remote_addr or "unknown"
        wait = store.login_wait(name, address)
        if wait > 0:
            flash(f"Too many failed logins: try again in {int(wait) + 1} seconds.")
            page, status = render("login.html.j2", 429)
            return page, status, {"Retry-After": str(int(wait) + 1)}
        user = store.check_password(name, request.form.get("password", ""))
        if user:
            store.login_succeeded(name)
            _restart()
            current = store.clock()
            session.update(uid=user["id"], gen=user["generation"], iat=current, seen=current)
            return redirect(safe_next(request.args.get("next")) or url_for("auth.index"))
        store.login_failed(name, address)
        flash(N_("Wrong name or password."))
    return render("login.html.j2")


@blueprint.route("/logout", methods=["POST"])
def logout():
    if g.user:
        state().store.end_sessions(g.user["id"])  # a copy of the cookie is worth nothing afterwards
    session.clear()
    return redirect(url_for("auth.login"))
