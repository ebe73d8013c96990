"""Signed approvals in the portal: each legal user's Ed25519 key lives server-side, encrypted with the user's
password, and approving asks for that password again to unlock it (see docs/security.md, "Portal signing").

`<data>/keys/<user>.key` holds the key (mode 0600); `<data>/trusted-reviewers.pub` lists the public keys of
the portal's reviewers, in the format of `auditor keys export`, and is what the portal verifies records against.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from auditor import approval as ap
from auditor import keys


def key_path(data_dir: Path, user: str) -> Path:
    safe = re.sub(r"[^\w.\-]", "_", user)[:80] or "user"
    return Path(data_dir) / "keys" / f"{safe}.key"


def trusted_path(data_dir: Path) -> Path:
    return Path(data_dir) / "trusted-reviewers.pub"


def ensure_key(data_dir: Path, user: str, password: str) -> keys.ReviewerKey:
    """The user's key; created (encrypted with `password`) and trusted when the user has none yet."""
    path = key_path(data_dir, user)
    if path.exists():
        return keys.load_key(path)
    data, _public = keys.new_key_file(user, password)
    keys.write_private(path, data)
    key = keys.parse_key_file(data)
    with open(trusted_path(data_dir), "a", encoding="utf-8") as fh:
        fh.write(key.export_line() + "\n")
    return key


def trusted(data_dir: Path):
    path = trusted_path(data_dir)
    return keys.load_trusted(path) if path.exists() else None


def entries_for(result, filename: str) -> list[dict]:
    return [ap.campaign_entry(result, filename)]


def sign(data_dir: Path, user: dict, password: str, result, tool: dict, filename: str, note: str,
         accept_risk: bool, relied_on: dict | None = None) -> dict:
    """The signed record of the approval of one uploaded version (ApprovalError / keys.KeyError_ say why not).
    `relied_on`: the waiver and baseline files the audit applied (`signoff.Inputs.relied_on`), bound as
    `auditor approve` binds them."""
    key = ensure_key(data_dir, user["name"], password)
    private = key.unlock(password)
    record = ap.create(entries_for(result, filename), tool, key.name, user["role"], note, accept_risk,
                       dt.datetime.now(dt.UTC).replace(microsecond=0), relied_on or None)
    return ap.sign(record, private)


def verdict(data_dir: Path, record: dict | None, result, tool: dict, filename: str,
            relied_on: dict | None = None) -> ap.Verdict:
    try:
        reviewers = trusted(data_dir)
    except keys.KeyError_:
        reviewers = None
    return ap.verify(record, entries_for(result, filename), tool, relied_on or {"waivers": None, "baseline": None},
                     reviewers)
