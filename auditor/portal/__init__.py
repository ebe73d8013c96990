"""`auditor serve`: a small review portal on the same engine and report templates.

Marketing uploads campaign files and sees their reports and history; legal
works through the queue of campaigns awaiting sign-off and approves (the same
approval record as `auditor approve`) or sends them back with comments.

Sessions: the signed cookie carries the account id, the account's session
generation and the times the session began and was last used; every request
checks them against the database, so logging out, a password change or
disabling the account ends every session of that account at once, and a
session ends after IDLE_SECONDS without use or ABSOLUTE_SECONDS in all. The
role always comes from the database, never from the cookie.

Sharing model: campaigns are keyed by the id inside the file, so any
marketing account may upload a new version of any campaign (teams share
campaigns); every upload, approval, sending back and account change is
recorded in the append-only audit log shown in each campaign's history.
"""

from __future__ import annotations

import json
import secrets
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

from auditor import __version__
from auditor.portal.audit import ALLOWED_SUFFIXES, MAX_FILE_BYTES, audit_upload, checklist_digest
from auditor.portal.limits import Busy, Limiter, RenderCache
from auditor.portal.store import Store, clean_filename, private_file
from auditor.vocabulary import REPORT_LANGUAGES

MAX_FILES = 20
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
CSRF_SECONDS = 3600
SEEN_RESOLUTION = 60  # the last-use time in the cookie is refreshed at most once a minute


def N_(message: str) -> str:
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message


LANGUAGES = REPORT_LANGUAGES
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-src 'self'; "
       "frame-ancestors 'self'; base-uri 'none'")


def safe_next(target: str | None) -> str | None:
    """`next` after login: only a path on this site. Browsers drop tabs and newlines and read `\\` as
    `/`, so `/%09/evil.example/` would become `//evil.example/`: any such character refuses it."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def create_app(data_dir: Path, database_url: str | None = None, secret_key: str | None = None,
               testing: bool = False, secure_cookies: bool = False, heavy_slots: int = 6):
    import jinja2
    from flask import Flask, Response, abort, flash, g, redirect, request, session, url_for
    from flask_wtf.csrf import CSRFProtect

    from auditor.i18n import gettext_for
    from auditor.messages import T
    from auditor.resources import data_dir as shipped

    store = Store(Path(data_dir), database_url)
    app = Flask(__name__, static_folder=None)
    secret_file = Path(data_dir) / "secret-key"
    if secret_key is None:
        private_file(secret_file, secrets.token_hex(32).encode("ascii"))  # created 0600, never chmod-ed later
        secret_key = secret_file.read_text(encoding="utf-8").strip()
    app.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        # Lax: a link from elsewhere (an e-mail, a chat) arrives logged in; forms still need the CSRF token
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,  # --secure-cookies behind TLS
        SESSION_COOKIE_NAME="__Host-session" if secure_cookies else "session",
        MAX_CONTENT_LENGTH=MAX_FILES * MAX_FILE_BYTES + 64 * 1024,  # refused before any parsing
        TESTING=testing,
        WTF_CSRF_TIME_LIMIT=CSRF_SECONDS,
        WTF_CSRF_SSL_STRICT=secure_cookies,
    )
    app.jinja_loader = jinja2.FileSystemLoader(str(shipped("reports") / "portal"))
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    CSRFProtect(app)
    app.store = store
    app.limiter = Limiter(heavy_slots)
    app.render_cache = RenderCache(Path(data_dir) / "rendered")

    @app.before_request
    def language():
        wanted = request.args.get("lang")
        if wanted in LANGUAGES:
            session["lang"] = wanted
        g.lang = session.get("lang", "en")
        g.user = None
        if "uid" in session:
            current = store.clock()
            fresh = (current - float(session.get("iat", 0)) < ABSOLUTE_SECONDS
                     and current - float(session.get("seen", 0)) < IDLE_SECONDS)
            user = store.session_user(session.get("uid"), session.get("gen")) if fresh else None
            if user is None:
                lang = session.get("lang")
                session.clear()
                if lang:
                    session["lang"] = lang
            else:
                g.user = user
                if current - float(session.get("seen", 0)) >= SEEN_RESOLUTION:
                    session["seen"] = current

    @app.after_request
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

        row = store.version(version_id)
        record = json.loads(row["approval_json"]) if row is not None and row["approval_json"] else None
        try:
            reviewers = signing.trusted(Path(data_dir))
        except Exception:  # noqa: BLE001 - an unreadable trusted file verifies nothing
            reviewers = None
        if not isinstance(record, dict) or not isinstance(record.get("approval"), dict):
            return "invalid"
        problems, _signer = check_signature(record, reviewers)
        return "approved" if not problems else "invalid"

    @app.context_processor
    def helpers():
        return {"_": gettext_for(g.get("lang", "en")), "user": g.get("user"), "lang": g.get("lang", "en"),
                "languages": LANGUAGES, "shown_status": shown_status}

    def login_required(*roles):
        def decorator(view):
            @wraps(view)
            def wrapped(*args, **kwargs):
                if not g.user:
                    return redirect(url_for("login", next=request.path))
                if roles and g.user["role"] not in roles:  # no role stands in for another
                    abort(403)
                return view(*args, **kwargs)
            return wrapped
        return decorator

    def render(template, status=200, **context):
        from flask import render_template

        return render_template(template, **context), status

    @app.errorhandler(403)
    def forbidden(_):
        return render("message.html.j2", 403, title="403", text=N_("This page needs another role."))

    @app.errorhandler(404)
    def missing(_):
        return render("message.html.j2", 404, title="404", text=N_("No such page or campaign."))

    @app.errorhandler(413)
    def too_large(_):
        return render("message.html.j2", 413, title="413",
                      text=f"The upload is too large: at most {MAX_FILES} files of {MAX_FILE_BYTES // 1024 // 1024} MB.")

    @app.errorhandler(429)
    def busy(error):
        page, status = render("message.html.j2", 429, title="429",
                              text=str(getattr(error, "description", None) or "Too many requests; try again shortly."))
        return page, status, {"Retry-After": "5"}

    @app.errorhandler(409)
    def conflict(error):
        return render("message.html.j2", 409, title="409", text=str(getattr(error, "description", "Conflict")))

    @app.errorhandler(400)
    def bad_request(error):
        return render("message.html.j2", 400, title="400", text=str(getattr(error, "description", "Bad request")))

    @app.route("/")
    def index():
        if not g.user:
            return redirect(url_for("login"))
        return redirect(url_for("queue") if g.user["role"] == "legal" else url_for("campaign_list"))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
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
                lang = session.get("lang")
                session.clear()
                current = store.clock()
                session.update(uid=user["id"], gen=user["generation"], iat=current, seen=current)
                if lang:
                    session["lang"] = lang
                return redirect(safe_next(request.args.get("next")) or url_for("index"))
            store.login_failed(name, address)
            flash(N_("Wrong name or password."))
        return render("login.html.j2")

    @app.route("/logout", methods=["POST"])
    def logout():
        if g.user:
            store.end_sessions(g.user["id"])  # a copy of the cookie is worth nothing afterwards
        session.clear()
        return redirect(url_for("login"))

    def heavy_slot():
        """A slot for expensive work, or 429 at once (see auditor.portal.limits)."""
        return app.limiter.slot(g.user["name"])

    def cached(row, kind: str, build, *extra) -> bytes:
        try:
            return app.render_cache.get([kind, row["sha256"], row["filename"], g.lang, checklist_digest(),
                                         __version__, *extra], build, slot=heavy_slot)
        except Busy:
            abort(429, "Other reports of yours are being prepared; try again in a few seconds.")

    @app.route("/upload", methods=["GET", "POST"])
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
        # First read and check every file: one oversized file refuses the whole batch before any is stored.
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
        uploaded = []
        try:
            with heavy_slot():
                for name, data in accepted:
                    try:
                        result, _run, report = audit_upload(name, data)
                        problem = unreadable(result)
                        if problem is not None:
                            reason = problem.text(gettext_for(g.lang)) if problem else T("no campaign found in the file")
                            flash(T("{name}: cannot be read as a campaign, so it was not added to the queue: {reason}",
                                    name=name, reason=reason).render(gettext_for(g.lang)))
                            continue
                        digest = store.save_blob(data)
                        key = result.id if isinstance(result.id, str) and result.id else f"file:{name}"
                        version_id, _new = store.record_version(key, result.name, result.jurisdiction, digest, name,
                                                                g.user["name"], report)
                    except Exception:  # noqa: BLE001 (one file's failure is that file's result, not a 500)
                        app.logger.exception("upload of %r failed", name)
                        flash(f"{name}: could not be stored; nothing was recorded for it. Try again.")
                        continue
                    flash(f"{name}: uploaded as version #{version_id}.")
                    uploaded.append(version_id)
        except Busy:
            abort(429, "Your other uploads are still being audited; try again in a few seconds.")
        if not uploaded:
            return render("upload.html.j2", 400)
        if len(uploaded) == 1:
            return redirect(url_for("version", version_id=uploaded[0]))
        return redirect(url_for("campaign_list"))

    @app.route("/campaigns")
    @login_required()
    def campaign_list():
        return render("campaigns.html.j2", campaigns=store.campaign_list())

    @app.route("/campaigns/<int:campaign_id>")
    @login_required()
    def history(campaign_id):
        from auditor.diff import diff_findings

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

    @app.route("/queue")
    @login_required("legal")
    def queue():
        risk = request.args.get("risk") or None
        jurisdiction = request.args.get("jurisdiction") or None
        return render("queue.html.j2", rows=store.queue(risk, jurisdiction), risk=risk or "",
                      jurisdiction=jurisdiction or "")

    def _version_or_404(version_id):
        row = store.version(version_id)
        if row is None:
            abort(404)
        return row

    def _trusted_digest() -> str:
        import hashlib

        from auditor.portal import signing

        path = signing.trusted_path(Path(data_dir))
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""

    def _verdict(row, result=None, run=None):
        from auditor.approval import Verdict
        from auditor.portal import signing

        record = json.loads(row["approval_json"]) if row["approval_json"] else None
        if record is None:
            return Verdict("not_approved"), None  # nothing to check: no audit needed
        if result is None:
            try:
                with heavy_slot():  # re-auditing the file is heavy work (auditor.portal.limits)
                    result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
            except Busy:
                abort(429, "Other reports of yours are being prepared; try again in a few seconds.")
        return signing.verdict(Path(data_dir), record, result, run.tool, row["filename"]), record

    @app.route("/versions/<int:version_id>")
    @login_required()
    def version(version_id, note="", status=200):
        row = _version_or_404(version_id)
        report = json.loads(row["report_json"])
        verdict, record = _verdict(row)
        return render("version.html.j2", status, row=row, campaign=report["campaigns"][0], approval=record,
                      verdict=verdict, comments=store.comments_for(version_id), note=note,
                      latest=store.latest_version_id(row["campaign_id"]) == version_id)

    @app.route("/versions/<int:version_id>/report.html")
    @login_required()
    def report_html(version_id):
        from auditor.report.html_report import render as render_html

        row = _version_or_404(version_id)
        def build():
            result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
            verdict, _record = _verdict(row, result, run)
            return render_html(run, lang=g.lang, verdict=verdict, paths={result.source: row["filename"]})

        # the verdict depends on the approval record and on the trusted reviewers' keys: both are in the key
        body = cached(row, "html", build, row["approval_json"] or "", _trusted_digest())
        if request.args.get("download"):
            return Response(body, mimetype="text/html", headers={
                "Content-Disposition": f"attachment; filename=report-{version_id}.html"})
        response = Response(body, mimetype="text/html")
        # the report carries its own strict CSP; a sandboxed frame runs nothing even if it did not
        response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                       "frame-ancestors 'self'; sandbox")
        return response

    @app.route("/versions/<int:version_id>/report.json")
    @login_required()
    def report_json(version_id):
        row = _version_or_404(version_id)
        return Response(row["report_json"], mimetype="application/json",
                        headers={"Content-Disposition": f"attachment; filename=report-{version_id}.json"})

    @app.route("/versions/<int:version_id>/approval.json")
    @login_required()
    def approval_record(version_id):
        row = _version_or_404(version_id)
        if not row["approval_json"]:
            abort(404)
        body = json.dumps(json.loads(row["approval_json"]), ensure_ascii=False, indent=2) + "\n"
        return Response(body, mimetype="application/json",
                        headers={"Content-Disposition": f"attachment; filename=approval-{version_id}.json"})

    @app.route("/versions/<int:version_id>/original")
    @login_required()
    def original(version_id):
        from auditor.portal.audit import safe_name

        row = _version_or_404(version_id)
        return Response(store.blob(row["sha256"]), mimetype="application/octet-stream",
                        headers={"Content-Disposition": f"attachment; filename={safe_name(row['filename'])}"})

    @app.route("/versions/<int:version_id>/report.sarif")
    @login_required()
    def report_sarif(version_id):
        from auditor.report.sarif_report import render as render_sarif

        row = _version_or_404(version_id)

        def build():
            _result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
            return render_sarif(run)

        return Response(cached(row, "sarif", build), mimetype="application/sarif+json",
                        headers={"Content-Disposition": f"attachment; filename=report-{version_id}.sarif"})

    @app.route("/versions/<int:version_id>/annotated.xlsx")
    @login_required()
    def annotated(version_id):
        from auditor.annotate import annotate

        row = _version_or_404(version_id)
        if not row["filename"].lower().endswith(".xlsx"):
            abort(404)
        report = json.loads(row["report_json"])["campaigns"][0]
        if any(f["rule"] in ("AUD-E001", "AUD-E008") for f in report["findings"]):
            abort(404)

        def build():
            data = store.blob(row["sha256"])
            result, _run, _report = audit_upload(row["filename"], data)
            return annotate(data, result, gettext_for(g.lang) if g.lang != "en" else None)

        return Response(cached(row, "annotated", build), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename=annotated-{version_id}.xlsx"})

    @app.route("/versions/<int:version_id>/approve", methods=["POST"])
    @login_required("legal")
    def approve(version_id):
        from auditor.approval import ApprovalError
        from auditor.keys import KeyError_
        from auditor.portal import signing

        row = _version_or_404(version_id)
        if row["status"] != "pending" or store.latest_version_id(row["campaign_id"]) != version_id:
            abort(409, "Only the latest version of a campaign, while it awaits sign-off, can be approved.")
        note = request.form.get("note", "")
        password = request.form.get("password", "")
        if not store.check_password(g.user["name"], password):
            flash(N_("Enter your password to sign the approval."))
            return version(version_id, note=note, status=400)
        result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
        try:
            record = signing.sign(Path(data_dir), g.user, password, result, run.tool, row["filename"], note,
                                  request.form.get("accept_risk") == "yes")
        except ApprovalError:
            flash(N_("Unwaived critical findings remain. To approve anyway, tick \"Approve despite unwaived "
                     "critical findings\"; the accepted risks are recorded in the signed approval."))
            return version(version_id, note=note, status=400)
        except KeyError_:
            flash(N_("Your signing key cannot be unlocked with this password (it was made with an earlier "
                     "password); ask an administrator to renew your key."))
            return version(version_id, note=note, status=400)
        if not store.decide(version_id, "approved", g.user["name"], record, note):
            abort(409, "Only the latest version of a campaign, while it awaits sign-off, can be approved.")
        if note:
            store.comment(version_id, g.user["name"], g.user["role"], note)
        flash(N_("Approved and signed. The signed approval record can be downloaded below."))
        return redirect(url_for("version", version_id=version_id))

    @app.route("/versions/<int:version_id>/return", methods=["POST"])
    @login_required("legal")
    def send_back(version_id):
        _version_or_404(version_id)
        text = request.form.get("comment", "").strip()
        if not text:
            flash(N_("Say what has to change before sending a campaign back."))
            return redirect(url_for("version", version_id=version_id))
        # the approval record of an approved version stays (the audit log says it was sent back afterwards)
        if not store.decide(version_id, "returned", g.user["name"], note=text, expect=("pending", "approved")):
            abort(409, "Only the latest version of a campaign can be sent back.")
        store.comment(version_id, g.user["name"], g.user["role"], text)
        return redirect(url_for("queue"))

    return app


def unreadable(result):
    """Why an upload cannot be audited as a campaign: its load-error finding, or "" when the file held no
    campaign; None when it can be audited."""
    from auditor.engine import LOAD_ERROR

    for finding in result.findings:
        if finding.rule == LOAD_ERROR:
            return finding
    return None if result.document is not None else ""


def import_campaigns(store: Store, paths: list[str], user: str = "import") -> int:
    """Audit and store campaign files (e.g. examples/) as if they had been uploaded; returns how many."""
    from auditor import config
    from auditor.discovery import find_campaigns

    found = config.discover()
    settings = config.load(found) if found else config.Config()
    # Only campaign files: plugin checklists, waivers and baselines under the folder never reach legal's queue.
    discovered = find_campaigns(paths, settings.exclude, [settings.source, settings.waivers, settings.baseline])
    count = 0
    if discovered.skipped:
        import sys

        from auditor.discovery import summary_line

        print(summary_line(discovered.skipped) + ": " + ", ".join(s.source for s in discovered.skipped),
              file=sys.stderr)
    for path, _shown in discovered.files:
        data = path.read_bytes()
        result, _run, report = audit_upload(path.name, data)
        store.record_version(result.id if isinstance(result.id, str) and result.id else f"file:{path.name}",
                             result.name, result.jurisdiction, store.save_blob(data), path.name, user, report)
        count += 1
    return count


def demo_accounts(store: Store) -> dict[str, str]:
    """A marketing and a legal account with fresh random passwords, when there are no accounts yet."""
    if store.user_count():
        return {}
    accounts = {"marketing": secrets.token_urlsafe(12), "legal": secrets.token_urlsafe(12)}
    for role, password in accounts.items():
        store.add_user(role, role, password)
    return accounts


def serve(data_dir: Path, host: str, port: int, database_url: str | None = None, threads: int = 8,
          imports: tuple[str, ...] = (), demo: bool = False, secure_cookies: bool = False) -> None:
    import os
    import sys

    import waitress

    os.umask(0o077)  # anything the server writes is its own
    # two threads are always left for light requests (the login page) whatever the heavy ones do
    app = create_app(data_dir, database_url, secure_cookies=secure_cookies, heavy_slots=max(1, threads - 2))
    if demo:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("demo accounts are only for a portal on this machine (--host 127.0.0.1)")
        for role, password in demo_accounts(app.store).items():
            print(f"demo account: name {role}, password {password}", file=sys.stderr)
    if imports:
        print(f"imported {import_campaigns(app.store, list(imports))} campaign file(s)", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1") and app.store.user_count() == 0:
        raise SystemExit("refusing to listen beyond this machine without accounts: add one with `auditor users add`")
    run_until_terminated(waitress.create_server(app, host=host, port=port, threads=threads))


class _Terminated(BaseException):  # not swallowed by a handler's `except Exception`
    pass


def run_until_terminated(server, grace: float = 3.0) -> None:
    """Serve until SIGTERM or SIGINT; then stop accepting connections, let the requests in flight finish and
    their responses go out (for at most `grace` seconds) and return: a stop by a service manager or a
    container takes well under 5 seconds. A second signal stops at once."""
    import signal
    import sys
    import time

    from waitress import wasyncore

    def stop(signum, frame):
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        raise _Terminated(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    host, port = getattr(server, "effective_host", "?"), getattr(server, "effective_port", "?")
    print(f"serving on http://{host}:{port}/", file=sys.stderr)
    try:
        server.run()
    except _Terminated:
        print("stopping: finishing the requests in flight", file=sys.stderr)
        wasyncore.dispatcher.close(server)  # the listening socket only; channels keep running
        deadline = time.monotonic() + grace

        def busy() -> bool:
            # a request being received, waiting for a worker, being answered, or its answer not yet sent
            return any(ch.requests or getattr(ch, "request", None) is not None or ch.total_outbufs_len
                       for ch in list(server.active_channels.values()))

        while busy() and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
    finally:
        try:
            server.trigger.close()
        except Exception:  # noqa: BLE001 - already closed
            pass
        server.task_dispatcher.shutdown(timeout=0.5)
