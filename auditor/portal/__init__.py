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

Audits: every upload and every rendered output goes through one configured session
(`auditor.session.Session`, built from `config_path` or the configuration found from the working folder as
`auditor check` finds it), so the portal shows what `auditor check` shows for the same file: the same rules,
severity overrides, waivers and baseline, under the portal's own tighter limits.

Layout: `create_app` configures the app and registers the blueprints of `auditor.portal.views`; what requests
share (store, session, limiter, render cache) is a `PortalState` in `app.extensions["auditor"]`
(`auditor.portal.state`).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from auditor.portal.audit import audit_upload
from auditor.portal.state import EXTENSION, PortalState, build_state
from auditor.portal.store import Store, private_file
from auditor.portal.web import CSRF_SECONDS, MAX_UPLOAD_BYTES, safe_next

__all__ = ["EXTENSION", "PortalState", "audit_upload", "create_app", "demo_accounts", "import_campaigns",
           "run_until_terminated", "safe_next", "serve"]


def _secret_key(data_dir: Path, secret_key: str | None) -> str:
    """The key signing session cookies: given, else `<data>/secret-key` (created 0600 on first start)."""
    if secret_key is not None:
        return secret_key
    secret_file = data_dir / "secret-key"
    private_file(secret_file, secrets.token_hex(32).encode("ascii"))  # created 0600, never chmod-ed later
    return secret_file.read_text(encoding="utf-8").strip()


def create_app(data_dir: Path, database_url: str | None = None, secret_key: str | None = None,
               testing: bool = False, secure_cookies: bool = False, heavy_slots: int = 6,
               config_path: str | Path | None = None):
    """The portal's Flask app on `data_dir` (SQLite there, or `database_url`), auditing with the session of
    `config_path` or of the configuration found from the working folder (`SessionError` when it is bad)."""
    import jinja2
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from auditor.portal.audit import portal_session
    from auditor.portal.views import blueprints
    from auditor.resources import data_dir as shipped

    data_dir = Path(data_dir)
    session = portal_session(config_path)  # before anything is written: a bad configuration changes nothing
    store = Store(data_dir, database_url)
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=_secret_key(data_dir, secret_key),
        SESSION_COOKIE_HTTPONLY=True,
        # Lax: a link from elsewhere (an e-mail, a chat) arrives logged in; forms still need the CSRF token
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,  # --secure-cookies behind TLS
        SESSION_COOKIE_NAME="__Host-session" if secure_cookies else "session",
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,  # refused before any parsing
        TESTING=testing,
        WTF_CSRF_TIME_LIMIT=CSRF_SECONDS,
        WTF_CSRF_SSL_STRICT=secure_cookies,
    )
    app.jinja_loader = jinja2.FileSystemLoader(str(shipped("reports") / "portal"))
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    CSRFProtect(app)
    portal = build_state(data_dir, store, session, heavy_slots)
    app.extensions[EXTENSION] = portal
    # the same objects as attributes, for scripts and tests (`app.store.add_user(...)`)
    app.store, app.limiter, app.render_cache = portal.store, portal.limiter, portal.render_cache  # type: ignore[attr-defined]
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    return app


def import_campaigns(store: Store, paths: list[str], user: str = "import", session=None) -> int:
    """Audit and store campaign files (e.g. examples/) as if they had been uploaded; returns how many.
    `session`: the portal's (auditor.portal.audit.portal_session); by default the configuration found from here."""
    from auditor.discovery import find_campaigns
    from auditor.portal.audit import default_session
    from auditor.portal.views.uploads import campaign_key

    session = session or default_session()
    settings = session.config
    # Only campaign files: plugin checklists, waivers and baselines under the folder never reach legal's queue.
    never = [p for p in (settings.source, settings.waivers, settings.baseline) if p is not None]
    discovered = find_campaigns(paths, settings.exclude, never)
    count = 0
    if discovered.skipped:
        import sys

        from auditor.discovery import summary_line

        print(summary_line(discovered.skipped) + ": " + ", ".join(s.source for s in discovered.skipped),
              file=sys.stderr)
    for path, _shown in discovered.files:
        data = path.read_bytes()
        result, _run, report = audit_upload(path.name, data, session)
        store.record_version(campaign_key(result, path.name), result.name, result.jurisdiction,
                             store.save_blob(data), path.name, user, report)
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
          imports: tuple[str, ...] = (), demo: bool = False, secure_cookies: bool = False,
          config_path: str | Path | None = None) -> None:
    import os
    import sys

    import waitress

    from auditor.session import SessionError

    os.umask(0o077)  # anything the server writes is its own
    try:
        # two threads are always left for light requests (the login page) whatever the heavy ones do
        app = create_app(data_dir, database_url, secure_cookies=secure_cookies, heavy_slots=max(1, threads - 2),
                         config_path=config_path)
    except SessionError as exc:
        print(f"auditor: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    portal: PortalState = app.extensions[EXTENSION]
    if demo:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("demo accounts are only for a portal on this machine (--host 127.0.0.1)")
        for role, password in demo_accounts(portal.store).items():
            print(f"demo account: name {role}, password {password}", file=sys.stderr)
    if imports:
        print(f"imported {import_campaigns(portal.store, list(imports), session=portal.session)} campaign file(s)",
              file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1") and portal.store.user_count() == 0:
        raise SystemExit("refusing to listen beyond this machine without accounts: add one with `auditor users add`")
    run_until_terminated(waitress.create_server(app, host=host, port=port, threads=threads))


def run_until_terminated(server, grace: float = 3.0, poll_interval: float = 0.25) -> None:
    """Serve until SIGTERM or SIGINT; then stop accepting connections, let the requests in flight finish and
    their responses go out (for at most `grace` seconds) and return: a stop by a service manager or a
    container takes well under 5 seconds. A second signal stops at once (the default action)."""
    import signal
    import sys
    import time

    from waitress import wasyncore

    # The handler only records the stop. Raising from it is not safe: a signal that lands while waitress
    # dispatches a socket event is raised inside `wasyncore.read`, whose bare `except:` swallows it, and the
    # server would serve on (a CI run hung on exactly that). select() resumes after a handler (PEP 475), so
    # the loop sees the stop within `poll_interval`.
    stop_requested: list[int] = []

    def stop(signum, frame):
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        stop_requested.append(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    host, port = getattr(server, "effective_host", "?"), getattr(server, "effective_port", "?")
    print(f"serving on http://{host}:{port}/", file=sys.stderr)
    try:
        while not stop_requested:
            wasyncore.loop(timeout=poll_interval, map=server._map, count=1)
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
