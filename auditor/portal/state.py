"""What the portal's requests share, held on the app (`app.extensions["auditor"]`) and reached through
`current_app`: the data folder, the store, the session the portal audits with, the limiter of heavy work and
the cache of rendered outputs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.portal.limits import Busy, Limiter, RenderCache
from auditor.portal.store import Store

EXTENSION = "auditor"


@dataclass
class PortalState:
    data_dir: Path
    store: Store
    session: Any  # auditor.session.Session: rules, options (under the portal's limits) and policy
    limiter: Limiter
    render_cache: RenderCache
    # the waiver and baseline files the policy was loaded from ({"path", "sha256"} or None), as approvals bind them
    relied_on: dict = field(default_factory=dict)
    policy_digest: str = ""  # of the configuration, waiver and baseline files as loaded: rendered outputs follow it

    def audit(self, filename: str, data: bytes):
        """(CampaignResult, AuditRun, JSON report dict) of a campaign file, audited by the portal's session."""
        import auditor.portal as portal  # looked up at call time: `portal.audit_upload` is the one seam of audits

        return portal.audit_upload(filename, data, self.session)

    def policy_key(self) -> str:
        """What rendered outputs depend on besides the file: the rules, the policy and the day waivers expire on."""
        from auditor.session import today

        day = today(self.session.day).isoformat() if self.session.policy.waivers else ""
        return f"{self.session.ruleset.digest}:{self.policy_digest}:{day}"


def build_state(data_dir: Path, store: Store, session, heavy_slots: int) -> PortalState:
    from auditor import signoff

    files = (session.config.source, session.waiver_file if session.policy.waivers else None,
             session.baseline_file if session.policy.baseline is not None else None)
    digest = hashlib.sha256()
    for path in files:
        digest.update((hashlib.sha256(path.read_bytes()).hexdigest() if path else "-").encode("ascii"))
    return PortalState(data_dir, store, session, Limiter(heavy_slots), RenderCache(data_dir / "rendered"),
                       signoff.inputs_of(session).relied_on(), digest.hexdigest())


def state() -> PortalState:
    """The portal state of the app handling the current request."""
    from flask import current_app

    return current_app.extensions[EXTENSION]


def heavy_slot():
    """A slot for expensive work, or 429 at once (see auditor.portal.limits)."""
    from flask import g

    return state().limiter.slot(g.user["name"])


def cached(row, kind: str, build, *extra) -> bytes:
    """A rendered output of a stored version, built once (under a heavy slot) and kept (auditor.portal.limits)."""
    from flask import abort, g

    from auditor import __version__

    portal = state()
    try:
        return portal.render_cache.get([kind, row["sha256"], row["filename"], g.lang, portal.policy_key(),
                                        __version__, *extra], build, slot=heavy_slot)
    except Busy:
        abort(429, "Other reports of yours are being prepared; try again in a few seconds.")
