"""What every view of the portal uses: the limits and security settings, marking messages, rendering a page,
and the role check."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from auditor.portal.audit import MAX_FILE_BYTES
from auditor.vocabulary import REPORT_LANGUAGES

MAX_FILES = 20
MAX_UPLOAD_BYTES = MAX_FILES * MAX_FILE_BYTES + 64 * 1024  # a request body above this is refused before parsing
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
CSRF_SECONDS = 3600
SEEN_RESOLUTION = 60  # the last-use time in the cookie is refreshed at most once a minute

LANGUAGES = REPORT_LANGUAGES
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-src 'self'; "
       "frame-ancestors 'self'; base-uri 'none'")
# a stored report carries its own strict CSP; a sandboxed frame runs nothing even if it did not
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"


def N_(message: str) -> str:
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message


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


def render(template: str, status: int = 200, **context):
    from flask import render_template

    return render_template(template, **context), status


def login_required(*roles: str):
    """Signed-in users only (else to the login page); with `roles`, only those roles (else 403)."""
    from flask import abort, g, redirect, request, url_for

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not g.user:
                return redirect(url_for("auth.login", next=request.path))
            if roles and g.user["role"] not in roles:  # no role stands in for another
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def download(body, mimetype: str, filename: str):
    """A response the browser saves as `filename`."""
    from flask import Response

    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})
