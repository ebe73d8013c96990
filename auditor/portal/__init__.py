"""`auditor serve`: a small review portal on the same engine and report templates.

Marketing uploads campaign files and sees their reports and history; legal
works through the queue of campaigns awaiting sign-off and approves (the same
approval record as `auditor approve`) or sends them back with comments.
"""

from __future__ import annotations

import json
import secrets
from functools import wraps
from pathlib import Path

from auditor.portal.audit import ALLOWED_SUFFIXES, audit_upload
from auditor.portal.store import Store

MAX_FILES = 20


def N_(message: str) -> str:
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message

MAX_FILE_BYTES = 5 * 1024 * 1024
LANGUAGES = ("en", "zh-CN", "zh-TW")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-src 'self'; "
       "frame-ancestors 'self'; base-uri 'none'")


def create_app(data_dir: Path, database_url: str | None = None, secret_key: str | None = None,
               testing: bool = False):
    import jinja2
    from flask import Flask, abort, flash, g, redirect, request, session, url_for, Response
    from flask_wtf.csrf import CSRFProtect

    from auditor.i18n import gettext_for
    from auditor.messages import T
    from auditor.resources import data_dir as shipped

    store = Store(Path(data_dir), database_url)
    app = Flask(__name__, static_folder=None)
    secret_file = Path(data_dir) / "secret-key"
    if secret_key is None:
        if not secret_file.exists():
            secret_file.write_text(secrets.token_hex(32), encoding="utf-8")
            secret_file.chmod(0o600)
        secret_key = secret_file.read_text(encoding="utf-8").strip()
    app.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=MAX_FILES * MAX_FILE_BYTES + 64 * 1024,  # refused before any parsing
        TESTING=testing,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.jinja_loader = jinja2.FileSystemLoader(str(shipped("reports") / "portal"))
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    CSRFProtect(app)
    app.store = store

    @app.before_request
    def language():
        wanted = request.args.get("lang")
        if wanted in LANGUAGES:
            session["lang"] = wanted
        g.lang = session.get("lang", "en")
        g.user = session.get("user")

    @app.after_request
    def headers(response):
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
                if roles and g.user["role"] not in roles and g.user["role"] != "admin":
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
            user = store.check_password(request.form.get("name", ""), request.form.get("password", ""))
            if user:
                session.clear()
                session["user"] = user
                target = request.args.get("next", "")
                return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("index"))
            flash(N_("Wrong name or password."))
        return render("login.html.j2")

    @app.route("/logout", methods=["POST"])
    def logout():
        session.clear()
        return redirect(url_for("login"))

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
        uploaded = []
        for item in files:
            name = item.filename
            if not name.lower().endswith(ALLOWED_SUFFIXES):
                flash(f"{name}: not a campaign file (.json, .yaml, .yml, .xlsx); not uploaded.")
                continue
            data = item.stream.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                abort(413)
            result, _run, report = audit_upload(name, data)
            problem = unreadable(result)
            if problem is not None:
                reason = problem.text(gettext_for(g.lang)) if problem else T("no campaign found in the file")
                flash(T("{name}: cannot be read as a campaign, so it was not added to the queue: {reason}",
                        name=name, reason=reason).render(gettext_for(g.lang)))
                continue
            digest = store.save_blob(data)
            key = result.id or f"file:{name}"
            version_id, _new = store.record_version(key, result.name, result.jurisdiction, digest, name,
                                                    g.user["name"], report)
            uploaded.append(version_id)
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
        return render("history.html.j2", entries=list(reversed(entries)), campaign=store.version(rows[-1]["id"]))

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

    def _verdict(row, result=None, run=None):
        from auditor.portal import signing

        if result is None:
            result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
        record = json.loads(row["approval_json"]) if row["approval_json"] else None
        return signing.verdict(Path(data_dir), record, result, run.tool, row["filename"]), record

    @app.route("/versions/<int:version_id>")
    @login_required()
    def version(version_id, note="", status=200):
        row = _version_or_404(version_id)
        report = json.loads(row["report_json"])
        verdict, record = _verdict(row)
        return render("version.html.j2", status, row=row, campaign=report["campaigns"][0], approval=record,
                      verdict=verdict, comments=store.comments_for(version_id), note=note)

    @app.route("/versions/<int:version_id>/report.html")
    @login_required()
    def report_html(version_id):
        from auditor.report.html_report import render as render_html

        row = _version_or_404(version_id)
        result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
        verdict, _record = _verdict(row, result, run)
        body = render_html(run, lang=g.lang, verdict=verdict, paths={result.source: row["filename"]})
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
        _result, run, _report = audit_upload(row["filename"], store.blob(row["sha256"]))
        return Response(render_sarif(run), mimetype="application/sarif+json",
                        headers={"Content-Disposition": f"attachment; filename=report-{version_id}.sarif"})

    @app.route("/versions/<int:version_id>/annotated.xlsx")
    @login_required()
    def annotated(version_id):
        from auditor.annotate import annotate

        row = _version_or_404(version_id)
        if not row["filename"].lower().endswith(".xlsx"):
            abort(404)
        data = store.blob(row["sha256"])
        result, _run, _report = audit_upload(row["filename"], data)
        if any(f.rule == "AUD-E001" for f in result.findings):
            abort(404)
        body = annotate(data, result, gettext_for(g.lang) if g.lang != "en" else None)
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename=annotated-{version_id}.xlsx"})

    @app.route("/versions/<int:version_id>/approve", methods=["POST"])
    @login_required("legal")
    def approve(version_id):
        from auditor.approval import ApprovalError
        from auditor.keys import KeyError_
        from auditor.portal import signing

        row = _version_or_404(version_id)
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
        store.decide(version_id, "approved", record)
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
        store.decide(version_id, "returned")
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
    for path, shown in discovered.files:
        data = path.read_bytes()
        result, _run, report = audit_upload(path.name, data)
        store.record_version(result.id or f"file:{path.name}", result.name, result.jurisdiction,
                             store.save_blob(data), path.name, user, report)
        count += 1
    return count


def demo_accounts(store: Store) -> dict[str, str]:
    """A marketing and a legal account with fresh random passwords, when there are no accounts yet."""
    if store.user_count():
        return {}
    accounts = {"marketing": secrets.token_urlsafe(9), "legal": secrets.token_urlsafe(9)}
    for role, password in accounts.items():
        store.add_user(role, role, password)
    return accounts


def serve(data_dir: Path, host: str, port: int, database_url: str | None = None, threads: int = 8,
          imports: tuple[str, ...] = (), demo: bool = False) -> None:
    import sys

    import waitress

    app = create_app(data_dir, database_url)
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
