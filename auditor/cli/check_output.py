"""What `auditor check` writes: the streamed JSON or text report, the full reports, annotated copies.

Every file is written atomically (auditor.atomic): a report that fails half-way, or a run ended by SIGTERM,
leaves no half-written file behind.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor.cli.common import Files, fail, stop_if_terminated

if TYPE_CHECKING:
    from auditor.cli.check import CheckJob
    from auditor.findings import CampaignResult
    from auditor.report import AuditRun

Writer = tuple[Callable[[Any], None], Callable[[Any], None]]  # add(result), close(gate decision)


def stream_report(run: AuditRun, stream: Iterable[CampaignResult], fmt: str, output: str | None,
                  color: bool | None, lang: str, waiver_states: Callable[[], list],
                  decision: Callable[[], Any]) -> bool:
    """Write the JSON or text report campaign by campaign; return whether the gate fails."""
    from auditor.atomic import AtomicFile, OutputError, flush_stdout, write_stdout
    from auditor.scoring import gate_fails

    target = None
    try:
        if output:
            target = AtomicFile(Path(output))
            write = target.write
        else:
            def write(data: bytes) -> None:
                write_stdout(data, flush=False)
        add, close = _stream_writer(run, write, fmt, color if color is not None else (not output and sys.stdout.isatty()),
                                    lang, waiver_states)
        failed = False
        for result in stream:
            add(result)
            failed = failed or gate_fails(result.findings, run.fail_on)
        close(decision())
        stop_if_terminated()
        if target is not None:
            target.commit()
        else:
            flush_stdout()
        return failed
    except OutputError as exc:
        fail(str(exc))
    except BaseException:
        if target is not None:
            target.abort()  # never leave half a report behind
        raise


def _stream_writer(run: AuditRun, write: Callable[[bytes], None], fmt: str, colour: bool, lang: str,
                   waiver_states: Callable[[], list]) -> Writer:
    """The streaming writer of the format: what adds a campaign and what closes the report with the gate."""
    if fmt == "json":
        from auditor.report.json_report import JsonStream

        json_writer = JsonStream(run, write)
        return json_writer.add, lambda gate: json_writer.close(waiver_states(), gate, run.skipped)
    from auditor.report.text_report import TextStream

    text_writer = TextStream(run, write, colour, lang)
    return text_writer.add, lambda gate: text_writer.close(gate, run.skipped)


def write_reports(job: CheckJob, run: AuditRun, verdict: Any, paths_of: dict) -> None:
    """Every report asked for, the --format one last (to its file or standard output), then the annotations."""
    from auditor.atomic import OutputError, write_atomic, write_stdout

    opts = job.opts

    def rendered(kind: str, colour: bool = False) -> bytes:
        from auditor.report import render

        return render(kind, run, lang=opts.lang, verdict=verdict, paths=paths_of, colour=colour)

    try:
        for kind, target in opts.side_reports:
            write_atomic(Path(target), rendered(kind))
        if opts.output:
            write_atomic(Path(opts.output), rendered(opts.fmt))
        else:
            colour = opts.color if opts.color is not None else (opts.fmt == "text" and sys.stdout.isatty())
            write_stdout(rendered(opts.fmt, colour))
        if opts.annotate_path:
            _annotate(opts.annotate_path, job.annotations, run.campaigns, job.files, opts.lang)
    except OutputError as exc:
        fail(str(exc))


def _annotate(annotate_path: str, annotations: list[tuple[Path, Path]], results: list[CampaignResult],
              files: Files, lang: str) -> None:
    from auditor.load.materials.annotate import write_pdf_annotations

    if annotations:
        _write_annotations(annotations, results, lang)
    if not write_pdf_annotations(annotate_path, results, files, lang) and not annotations:
        click.echo("auditor: warning: nothing to annotate (--annotate copies workbooks and PDF materials)", err=True)


def annotation_targets(annotate_path: str, files: Files) -> list[tuple[Path, Path]]:
    """(workbook, annotated copy) for each workbook audited: the path given, or files in that folder."""
    workbooks = [path for path, _ in files if path.suffix.lower() in (".xlsx", ".xlsm")]
    if not workbooks:
        return []  # PDF materials of the campaigns may still be annotated (auditor.load.materials.annotate)
    target = Path(annotate_path)
    if len(workbooks) == 1 and not target.is_dir():
        return [(workbooks[0], target)]
    if target.exists() and not target.is_dir():
        fail(f"--annotate {annotate_path}: several workbooks are audited, so give a folder")
    target.mkdir(parents=True, exist_ok=True)
    return [(path, target / f"{path.stem}.annotated.xlsx") for path in workbooks]


def _write_annotations(annotations: list[tuple[Path, Path]], results: list[CampaignResult], lang: str) -> None:
    import hashlib

    from auditor.annotate import annotate
    from auditor.atomic import OutputError, write_atomic
    from auditor.engine import display_path
    from auditor.i18n import gettext_for

    by_source = {r.source: r for r in results}
    for source, target in annotations:
        result = by_source.get(display_path(source))
        data = source.read_bytes()
        if result is None or hashlib.sha256(data).hexdigest() != result.sha256:
            raise OutputError(f"{source} changed while it was audited; annotation skipped")
        if any(f.rule == "AUD-E001" for f in result.findings):
            click.echo(f"auditor: warning: {source} could not be read as a workbook, so it is not annotated", err=True)
            continue
        write_atomic(target, annotate(data, result, gettext_for(lang) if lang != "en" else None))
