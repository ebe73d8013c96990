"""`auditor check`: audit campaign files, write the reports, apply the gate.

The command is a sequence of steps over one `CheckOptions`: set up the session and check every output
(`_set_up`), start the audit (`_start`), then either stream the JSON or text report campaign by campaign
(constant memory) or collect the run (`_finish`) and write every report (`check_output.write_reports`);
the exit code is the gate's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor.cli import options as opt
from auditor.cli.check_output import annotation_targets, stream_report, write_reports
from auditor.cli.common import (
    Files,
    apply_policy,
    audit,
    auto_jobs,
    discover,
    fail,
    load_approval,
    open_session,
    stop_if_terminated,
    warn_waivers,
)

if TYPE_CHECKING:
    from auditor.findings import CampaignResult
    from auditor.report import AuditRun
    from auditor.session import Session


@dataclass
class CheckOptions:
    """The options of `auditor check`, as click parsed them."""

    paths: tuple[str, ...]
    fmt: str
    output: str | None
    html_path: str | None
    json_path: str | None
    sarif_path: str | None
    junit_path: str | None
    markdown_path: str | None
    fail_on: str | None
    config_path: str | None
    exclude: tuple[str, ...]
    jurisdiction: str | None
    waivers_path: str | None
    no_waivers: bool
    baseline_path: str | None
    jobs: int | None
    color: bool | None
    lang: str
    approval_path: str | None
    annotate_path: str | None
    order: str
    codequality_path: str | None
    changed_since: str | None
    only_campaigns: bool
    with_fixes: bool
    today: str | None

    @property
    def side_reports(self) -> list[tuple[str, str]]:
        """The reports written besides the --format one: (format, file), in the order they are written."""
        return [(kind, target) for kind, target in (
            ("html", self.html_path), ("json", self.json_path), ("sarif", self.sarif_path),
            ("junit", self.junit_path), ("markdown", self.markdown_path), ("codequality", self.codequality_path),
        ) if target]

    @property
    def streaming(self) -> bool:
        """A JSON or text report alone is written campaign by campaign: constant memory for any batch size."""
        return self.fmt in ("json", "text") and not (self.side_reports or self.annotate_path or self.with_fixes)

    @property
    def wants_html(self) -> bool:
        return bool(self.html_path) or self.fmt == "html"

    @property
    def keeps_documents(self) -> bool:
        """The HTML report and the annotated copies show the campaigns' own documents."""
        return self.wants_html or bool(self.annotate_path)


@dataclass
class CheckJob:
    """What the steps of one check share once the session is set up."""

    opts: CheckOptions
    session: Session
    files: Files
    annotations: list[tuple[Path, Path]] = field(default_factory=list)  # (workbook, annotated copy)
    approval: Any = None  # the approval record shown in the HTML report (--approval)


@click.command()
@click.argument("paths", nargs=-1)
@opt.report_format_option()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the --format report to this file.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write the HTML risk report here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the JSON report here.")
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False), help="Also write SARIF 2.1.0 here.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False), help="Also write JUnit XML here.")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False),
              help="Also write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
@opt.fail_on_option()
@opt.config_option()
@opt.exclude_option()
@opt.jurisdiction_option("Jurisdiction for campaigns that do not state one.")
@opt.waivers_option("Waiver file (waivers.yaml).")
@opt.no_waivers_option()
@opt.baseline_option("Baseline file: findings in it do not fail the gate.")
@opt.jobs_option("Audit files in N processes.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@opt.lang_option("Language of the HTML and text reports (campaign text is never translated).")
@click.option("--approval", "approval_path", type=click.Path(dir_okay=False, exists=True),
              help="Approval record (from `auditor approve`) to show in the HTML report.")
@click.option("--annotate", "annotate_path", type=click.Path(),
              help="Write a copy of the audited workbook with every finding as a cell comment, and of each PDF "
                   "material with the findings as highlights (a folder when several are written).")
@click.option("--order", type=click.Choice(["sheet", "rule"]), default="sheet", show_default=True,
              help="List a workbook's findings by sheet, row and column, or group them by rule.")
@click.option("--gitlab-codequality", "codequality_path", type=click.Path(dir_okay=False),
              help="Also write a GitLab Code Quality report here (artifacts:reports:codequality).")
@opt.changed_since_option("Audit only the campaigns (or their material files) changed since this git ref.")
@click.option("--only-campaigns", is_flag=True,
              help="Skip named files that are clearly not campaigns too (for hooks that name every changed file).")
@click.option("--fixes", "with_fixes", is_flag=True,
              help="Also compute proven fixes (re-audits each; shown in every report). Off by default: it is slower.")
@opt.today_option()
def check(**params: Any) -> None:
    """Audit campaign files and folders (.json, .yaml, .yml, .xlsx)."""
    opts = CheckOptions(**params)
    job = _set_up(opts)
    run, tally, stream = _start(job)
    if opts.streaming:
        if opts.fmt == "json":
            job.session.stream_json_lines()
        failed = stream_report(run, stream, opts.fmt, opts.output, opts.color, opts.lang,
                               job.session.policy.waiver_states, lambda: job.session.decide(tally))
        warn_waivers(job.session.policy.waiver_states())
        sys.exit(1 if failed else 0)
    verdict, paths_of = _finish(job, run, tally, stream)
    write_reports(job, run, verdict, paths_of)
    warn_waivers(run.waivers)
    stop_if_terminated()
    sys.exit(1 if run.decision().failed else 0)


def _set_up(opts: CheckOptions) -> CheckJob:
    """The session, its campaign files and policy; every output is checked before anything is audited."""
    session = open_session(opts.config_path, opts.jurisdiction, opts.exclude)
    session.options.order = opts.order
    files = discover(session, opts.paths, changed_since=opts.changed_since, only_campaigns=opts.only_campaigns,
                     protected=[Path(p) for p in (opts.waivers_path, opts.baseline_path) if p])
    job = CheckJob(opts, session, files)
    if opts.annotate_path:
        job.annotations = annotation_targets(opts.annotate_path, files)
    _check_outputs(job)
    job.approval = load_approval(opts.approval_path) if opts.approval_path else None
    apply_policy(session, opts.waivers_path, opts.no_waivers, opts.baseline_path, opts.today)
    return job


def _check_outputs(job: CheckJob) -> None:
    """No report may replace a campaign file or a side input (approval, waivers, baseline, configuration)."""
    from auditor.atomic import OutputError, check_outputs

    opts, config = job.opts, job.session.config
    targets = [Path(p) for p in (opts.output, *(target for _, target in opts.side_reports)) if p]
    targets += [target for _, target in job.annotations] or ([Path(opts.annotate_path)] if opts.annotate_path else [])
    if opts.no_waivers:
        waiver_file = None
    else:
        waiver_file = Path(opts.waivers_path) if opts.waivers_path else config.waivers
    try:
        check_outputs(targets, [p for p, _ in job.files], {
            "approval record": Path(opts.approval_path) if opts.approval_path else None, "waiver file": waiver_file,
            "baseline": Path(opts.baseline_path) if opts.baseline_path else config.baseline,
            "configuration": config.source})
    except OutputError as exc:
        fail(str(exc))


def _start(job: CheckJob) -> tuple[AuditRun, Any, Iterator[CampaignResult]]:
    """The run to report, its gate tally and the stream of finished results (audited as it is consumed)."""
    from auditor.batch import DuplicateIds

    opts, session, files = job.opts, job.session, job.files
    progress = sys.stderr.isatty() and not os.environ.get("CI") and len(files) >= 20
    stream = audit(session, files, opts.jobs or session.config.jobs or auto_jobs(len(files)),
                   keep_documents=opts.keeps_documents, progress=progress)
    duplicates = DuplicateIds(session.ruleset)
    stream = (duplicates.check(result) for result in stream)  # AUD-E010: an id declared by two files
    run = session.run([], opts.fail_on)
    tally = session.gate(run.fail_on)  # the gate decision and its reasons, for every report
    return run, tally, _tallied(stream, tally)


def _tallied(stream: Iterable[CampaignResult], tally: Any) -> Iterator[CampaignResult]:
    for result in stream:
        tally.add(result)
        yield result


def _finish(job: CheckJob, run: AuditRun, tally: Any, stream: Iterable[CampaignResult]) -> tuple[Any, dict]:
    """Collect the results into the run (with fixes, waivers, gate, sign-off and baseline); return the
    sign-off verdict and the campaigns' paths for the HTML report."""
    opts, session = job.opts, job.session
    results = list(stream)
    if opts.with_fixes:
        from auditor.fixes import attach_all

        attach_all(results, job.files, session.options)
    run.campaigns = results
    run.waivers = session.policy.waiver_states()
    run.gate = session.decide(tally)
    verdict, paths_of = _signoff(job, run) if opts.wants_html else (None, {})
    run.usage_per_month = session.config.usage_per_month
    baseline_file = Path(opts.baseline_path) if opts.baseline_path else session.config.baseline
    shows_baseline = opts.html_path or opts.markdown_path or opts.fmt in ("html", "markdown")
    if session.policy.baseline is not None and baseline_file is not None and shows_baseline:
        from auditor.signoff import baseline_info

        run.baseline = baseline_info(baseline_file)
    return verdict, paths_of


def _signoff(job: CheckJob, run: AuditRun) -> tuple[Any, dict]:
    """The approval status the HTML report shows, and the campaigns' paths it names."""
    from auditor import signoff

    opts, session = job.opts, job.session
    paths_of = signoff.paths_of(job.files)
    try:
        verdict = signoff.verdict(job.approval, run.campaigns, job.files, run.tool,
                                  signoff.inputs_of(session, opts.waivers_path, opts.no_waivers, opts.baseline_path),
                                  session.config)
    except signoff.SignoffError as exc:
        fail(str(exc))
    return verdict, paths_of
