"""The portal's blueprints, one per concern (registered by `auditor.portal.create_app`):

- `site`: what every response gets: security headers, error pages, the templates' helpers;
- `auth`: the signed-in session (checked on every request), the language, sign-in and sign-out;
- `uploads`: marketing's uploads and the list of campaigns;
- `reports`: a version, its history and its downloads (HTML, JSON, SARIF, annotated workbook, original);
- `decisions`: legal's queue, approving (signed) and sending back.
"""

from __future__ import annotations


def blueprints():
    from auditor.portal.views import auth, decisions, reports, site, uploads

    return [site.blueprint, auth.blueprint, uploads.blueprint, reports.blueprint, decisions.blueprint]
