"""The approve / verify / report-with-approval flows of the command line (cli.py only wires options).

Each flow audits the files with the repository's configuration, applies the
same waivers and baseline as `auditor check`, and turns the results into the
entries an approval binds (`auditor.approval`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from auditor import approval as ap


class SignoffError(Exception):
    pass


@dataclass
class Inputs:
    """The waivers and baseline an audit relies on."""

    waivers: list
    waiver_file: Path | None
    baseline: set | None
    baseline_file: Path | None

    def relied_on(self) -> dict:
        return {"waivers": ap.file_ref(self.waiver_file) if self.waivers else None,
                "baseline": ap.file_ref(self.baseline_file) if self.baseline is not None else None}


def inputs_of(session, waivers_path=None, no_waivers=False, baseline_path=None) -> Inputs:
    """What the session's policy (auditor.session) loaded, with the files it came from."""
    config, policy = session.config, session.policy
    waiver_file = None if no_waivers else (Path(waivers_path) if waivers_path else config.waivers)
    baseline_file = Path(baseline_path) if baseline_path else config.baseline
    return Inputs(policy.waivers, waiver_file, policy.baseline, baseline_file)


def paths_of(files) -> dict[str, str]:
    """Shown source -> path relative to the campaign repository's root."""
    return {shown: ap.relative_path(path) for path, shown in files}


def entries(results, paths: dict[str, str]) -> list[dict]:
    return [ap.campaign_entry(r, paths.get(r.source, r.source)) for r in results]


def trusted(config, trusted_path=None):
    """The trusted reviewers (None when none are configured)."""
    from auditor.keys import KeyError_, load_trusted

    source = Path(trusted_path) if trusted_path else config.trusted_keys
    if source is None:
        return None
    try:
        return load_trusted(source)
    except KeyError_ as exc:
        raise SignoffError(str(exc)) from exc


def verdict(record, results, files, tool: dict, inputs: Inputs, config, trusted_path=None) -> ap.Verdict:
    if record is None:  # nothing to verify: the trusted reviewers' file is not even read
        return ap.Verdict("not_approved")
    return ap.verify(record, entries(results, paths_of(files)), tool, inputs.relied_on(),
                     trusted(config, trusted_path))


def report_sources(report: dict, report_path: Path) -> list[str]:
    """The campaign files a JSON report names, found from here or from the report's folder."""
    if not isinstance(report, dict) or not isinstance(report.get("campaigns"), list) or "tool" not in report:
        raise SignoffError("this is not a campaign-auditor JSON report (no `tool` and `campaigns`)")
    found = []
    for campaign in report["campaigns"]:
        source = str(campaign.get("source", "")) if isinstance(campaign, dict) else ""
        for candidate in (Path(source), report_path.parent / source):
            if source and candidate.is_file():
                found.append(str(candidate))
                break
        else:
            raise SignoffError(f"cannot find {source!r}, named in the report: run `auditor approve` where "
                               f"`auditor check` ran, or beside the report")
    return found


def match_report(report: dict, results, shown_of: dict[str, str]) -> None:
    """Refuse to approve a report that is not what an audit of the files gives now."""
    from auditor.findings import Status

    by_source = {str(c.get("source")): c for c in report["campaigns"]}
    if report.get("tool", {}).get("checklists") is None:
        raise SignoffError("the report names no checklist version")
    for result in results:
        reported = by_source.get(shown_of.get(result.source, result.source))
        if reported is None:
            continue
        if reported.get("sha256") != result.sha256:
            raise SignoffError(f"{result.source}: the file changed since the report was made; check it again")
        was = sorted((f.get("rule"), f.get("location", {}).get("pointer", ""), f.get("severity"))
                     for f in reported.get("findings", []) if f.get("status", "fail") in ("fail", "baselined"))
        now = sorted((f.rule, f.location.to_dict()["pointer"], f.severity.value)
                     for f in result.findings if f.status in (Status.FAIL, Status.BASELINED))
        if was != now:
            raise SignoffError(f"{result.source}: the report's findings differ from an audit of the file now "
                               f"(other waivers, baseline or configuration?); check it again and approve that report")


def approve(session, files, report: dict, shown_of: dict[str, str], inputs: Inputs, key, passphrase: str,
            role: str, note: str, accept_risk: bool, when: dt.datetime) -> dict:
    """The signed approval record of a JSON report (the files are audited again and must match it)."""
    from auditor.keys import KeyError_

    if report.get("tool", {}).get("checklists") != session.ruleset.digest:
        raise SignoffError(f"the report was made with other checklists ({report.get('tool', {}).get('checklists')}, "
                           f"now {session.ruleset.digest}); check the files again and approve that report")
    try:
        private = key.unlock(passphrase)
    except KeyError_ as exc:
        raise SignoffError(str(exc)) from exc
    results = list(session.audit(files))
    match_report(report, results, shown_of)
    tool = {"name": report["tool"].get("name"), "version": report["tool"].get("version"),
            "checklists": session.ruleset.digest}
    try:
        record = ap.create(entries(results, paths_of(files)), tool, key.name, role, note, accept_risk, when,
                           inputs.relied_on())
    except ap.ApprovalError as exc:
        raise SignoffError(str(exc)) from exc
    return ap.sign(record, private)


def baseline_info(path: Path) -> dict:
    """Where the baseline is and when it was taken: its `created` date when it records one, else the date of
    the last commit that changed it, else the file's modification date."""
    import json
    import subprocess

    created = None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        created = data.get("created") if isinstance(data, dict) and isinstance(data.get("created"), str) else None
    except (OSError, ValueError):
        pass
    if created is None:
        try:
            done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", Path(path).name], capture_output=True,
                                  text=True, timeout=10, cwd=Path(path).resolve().parent)
            created = done.stdout.strip() or None if done.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            created = None
    if created is None:
        try:
            created = dt.date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
        except OSError:
            created = None
    return {"path": str(path), "created": created[:10] if created else None}
