"""Legal sign-off records, signed: bind a reviewer to the exact bytes and findings approved.

`auditor approve REPORT.json` re-reads every campaign the JSON report names,
checks that its bytes are those of the report, and writes a record with, per
campaign, its path relative to the campaign repository's root, its sha256, its
risk and the identity (`auditor.fingerprint`) and severity of every unwaived
finding; the checklist version; and the path and sha256 of the waiver and
baseline files the audit relied on. The record is signed with the reviewer's
Ed25519 key (`auditor keys create`) over its canonical JSON.

`verify` passes only when the signature is valid, the signing key is among the
repository's trusted reviewers and belongs to the named reviewer, the
checklists, waiver and baseline files are unchanged, and each campaign has the
same path, the same bytes and no unwaived finding that was not approved.
Anything else is named; an unsigned or edited record is never "approved".
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from auditor.findings import Severity, Status
from auditor.messages import T

RECORD_FORMAT = "campaign-auditor/approval-v2"
OLD_FORMATS = ("campaign-auditor/approval-v1",)
UNWAIVED = (Status.FAIL, Status.BASELINED)


class ApprovalError(Exception):
    pass


# -- where a file is ---------------------------------------------------------------------------------------

def repository_root(path: Path) -> Path:
    """The campaign repository holding `path`: the nearest folder with `auditor.toml` or `.git`
    (the file's own folder when there is none)."""
    resolved = Path(path).resolve()
    start = resolved if resolved.is_dir() else resolved.parent
    for folder in (start, *start.parents):
        if (folder / "auditor.toml").is_file() or (folder / ".git").exists():
            return folder
    return start


def relative_path(path: Path) -> str:
    """`path` relative to its repository's root, with `/` separators: the same however it was typed."""
    resolved = Path(path).resolve()
    return resolved.relative_to(repository_root(resolved)).as_posix()


def file_ref(path: Path | None) -> dict | None:
    """Path (relative to its repository) and sha256 of a file the audit relied on (None: no such file)."""
    if path is None or not Path(path).is_file():
        return None
    return {"path": relative_path(path), "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}


# -- what is approved --------------------------------------------------------------------------------------

def campaign_entry(result, path: str) -> dict:
    """What the approval binds for one audited campaign (statuses after waivers and baseline)."""
    from auditor.fingerprint import fingerprint

    findings = sorted({(fingerprint(result, f), f.rule, f.severity.value, f.status.value)
                       for f in result.findings if f.status in UNWAIVED})
    return {
        "path": path,
        "id": result.id,
        "sha256": result.sha256,
        "risk": {"level": result.risk_level, "score": result.risk_score},
        "findings": [{"fingerprint": fp, "rule": rule, "severity": sev, "status": status}
                     for fp, rule, sev, status in findings],
        "waived": sum(1 for f in result.findings if f.status is Status.WAIVED),
    }


def critical_of(entry: dict) -> list[dict]:
    return [f for f in entry.get("findings", []) if f.get("severity") == Severity.CRITICAL.value]


def create(entries: list[dict], tool: dict, by: str, role: str, note: str | None, accept_risk: bool,
           when: dt.datetime, relied_on: dict | None = None) -> dict:
    """The (unsigned) record; refuses unwaived critical findings unless the risk is accepted."""
    critical = [e["path"] for e in entries if critical_of(e)]
    if critical and not accept_risk:
        raise ApprovalError("unwaived critical findings in " + ", ".join(critical)
                            + "; fix them, waive them, or accept the risk explicitly (which is recorded)")
    accepted = [{"path": e["path"], "rule": f["rule"], "severity": f["severity"], "fingerprint": f["fingerprint"]}
                for e in entries for f in critical_of(e)] if accept_risk else []
    return {
        "format": RECORD_FORMAT,
        "approval": {"by": by, "role": role, "note": note or "", "at": when.isoformat().replace("+00:00", "Z"),
                     "accepted_risk": bool(accepted), "accepted": accepted},
        "tool": {"name": tool.get("name"), "version": tool.get("version"), "checklists": tool.get("checklists")},
        "relied_on": relied_on or {"waivers": None, "baseline": None},
        "campaigns": sorted(entries, key=lambda e: e["path"]),
    }


def canonical(record: dict) -> bytes:
    """The signed bytes: the record without its signature, keys sorted, no spaces."""
    body = {k: v for k, v in record.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(record: dict, private_key) -> dict:
    from auditor.keys import _raw_public, encode_public, key_id

    public = _raw_public(private_key)
    signed = dict(record)
    signed["signature"] = {"algorithm": "ed25519", "key_id": key_id(public), "public_key": encode_public(public),
                           "value": base64.b64encode(private_key.sign(canonical(record))).decode("ascii")}
    return signed


def load(text: str) -> dict:
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise ApprovalError(f"not a JSON approval record: {exc}") from exc
    if not isinstance(record, dict) or record.get("format") not in (RECORD_FORMAT, *OLD_FORMATS):
        raise ApprovalError(f"not an approval record (expected format {RECORD_FORMAT})")
    if not isinstance(record.get("approval"), dict):
        raise ApprovalError("not an approval record (no `approval`)")
    return record


# -- checking ----------------------------------------------------------------------------------------------

@dataclass
class Problem:
    message: T
    campaign: str | None = None  # the path it concerns; None: the whole record
    kind: str = "content"  # signature | trust | content

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class Verdict:
    """What an approval record is worth against the files as they are now."""

    state: str  # approved | approved_with_risk | invalid | stale | not_approved
    problems: list[Problem] = field(default_factory=list)
    approval: dict = field(default_factory=dict)
    signer: str | None = None

    def for_campaign(self, path: str | None) -> str:
        """The state for one campaign of the batch."""
        if self.state in ("not_approved", "invalid"):
            return self.state
        if any(p.campaign is None or p.campaign == path for p in self.problems):
            return "stale"
        accepted = {a.get("path") for a in self.approval.get("accepted", []) or []}
        return "approved_with_risk" if path in accepted else "approved"

    def problems_for(self, path: str | None) -> list[Problem]:
        return [p for p in self.problems if p.campaign is None or p.campaign == path]


def check_signature(record: dict, trusted) -> tuple[list[Problem], str | None]:
    """Problems with the signature and the signer's trust; the trusted name of the signer."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from auditor.keys import KeyError_, decode_public

    signature = record.get("signature")
    if record.get("format") != RECORD_FORMAT or not isinstance(signature, dict):
        return [Problem(T("the record is not signed"), kind="signature")], None
    if signature.get("algorithm") != "ed25519":
        return [Problem(T("the record is signed with an unknown algorithm"), kind="signature")], None
    try:
        public = decode_public(str(signature.get("public_key", "")))
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
        Ed25519PublicKey.from_public_bytes(public).verify(value, canonical(record))
    except (KeyError_, ValueError, InvalidSignature):
        return [Problem(T("the signature does not match the record: it was edited after signing, or forged"),
                        kind="signature")], None
    if trusted is None:
        return [Problem(T("no trusted reviewers' keys are configured (`trusted-keys` in auditor.toml), so the "
                          "signer cannot be checked"), kind="trust")], None
    name = trusted.name_of(public)
    if name is None:
        return [Problem(T("the signing key ({key}) is not among the trusted reviewers in {file}",
                          key=signature.get("key_id", "?"), file=trusted.source), kind="trust")], None
    by = record["approval"].get("by")
    if by != name:
        return [Problem(T("the record names {by} as approver, but was signed with the key of {name}",
                          by=str(by), name=name), kind="trust")], name
    return [], name


def compare(record: dict, entries: list[dict], tool: dict, relied_on: dict | None = None) -> list[Problem]:
    """Differences between what was approved and the audit of the files as they are now."""
    problems = _relied_on_changes(record, tool, relied_on or {})
    approved = {c.get("path", c.get("source")): c for c in record.get("campaigns", [])}
    current = {e["path"]: e for e in entries}
    for path, was in sorted(approved.items(), key=lambda kv: str(kv[0])):
        now = current.get(path)
        if now is None:
            problems.append(Problem(T("{path}: approved, but not among the files verified", path=str(path)), path))
        else:
            problems += _campaign_changes(path, was, now)
    for path in sorted(set(current) - set(approved)):
        problems.append(Problem(T("{path}: not covered by the approval", path=path), path))
    return problems


def _relied_on_changes(record: dict, tool: dict, relied_on: dict) -> list[Problem]:
    """The checklists, waiver file and baseline file, when they changed since approval."""
    problems = []
    was_digest = record.get("tool", {}).get("checklists")
    if was_digest != tool.get("checklists"):
        problems.append(Problem(T("the checklists changed since approval ({before} -> {after})",
                                  before=str(was_digest), after=str(tool.get("checklists")))))
    for kind, label in (("waivers", T("waiver file")), ("baseline", T("baseline file"))):
        before = (record.get("relied_on") or {}).get(kind)
        now = relied_on.get(kind)
        if before != now:
            problems.append(Problem(T("the {what} changed since approval ({before} -> {after})", what=label,
                                      before=_describe_ref(before), after=_describe_ref(now))))
    return problems


def _campaign_changes(path, was: dict, now: dict) -> list[Problem]:
    """How one approved campaign differs now: its file, new findings, findings whose severity changed."""
    problems = []
    if now.get("sha256") != was.get("sha256"):
        problems.append(Problem(T("{path}: the file changed since approval (sha256 {before}… -> {after}…)",
                                  path=path, before=str(was.get("sha256"))[:12],
                                  after=str(now.get("sha256"))[:12]), path))
    before = {f.get("fingerprint"): f for f in was.get("findings", []) if isinstance(f, dict)}
    for f in now.get("findings", []):
        old = before.get(f["fingerprint"])
        if old is None:
            problems.append(Problem(T("{path}: new finding {rule} ({severity})", path=path, rule=f["rule"],
                                      severity=T(f["severity"])), path))
        elif old.get("severity") != f["severity"]:
            problems.append(Problem(T("{path}: finding {rule} was approved as {before}, is now {after}",
                                      path=path, rule=f["rule"], before=T(str(old.get("severity"))),
                                      after=T(f["severity"])), path))
    return problems


def _describe_ref(ref) -> str:
    if not ref:
        return "none"
    return f"{ref.get('path')} sha256 {str(ref.get('sha256'))[:12]}…"


def verify(record: dict | None, entries: list[dict], tool: dict, relied_on: dict | None, trusted) -> Verdict:
    if record is None:
        return Verdict("not_approved")
    problems, signer = check_signature(record, trusted)
    approval = record.get("approval", {}) if isinstance(record.get("approval"), dict) else {}
    if problems:
        return Verdict("invalid", problems, approval, signer)
    problems = compare(record, entries, tool, relied_on)
    if problems:
        return Verdict("stale", problems, approval, signer)
    return Verdict("approved_with_risk" if approval.get("accepted_risk") else "approved", [], approval, signer)
