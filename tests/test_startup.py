"""Start-up stays lean: a JSON run imports no workbook, template, catalogue or YAML machinery.

The time itself is measured by benchmarks/run.py; this holds the property that keeps it low.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from helpers import REPO

HEAVY = ("openpyxl", "jinja2", "babel", "yaml", "importlib.metadata", "flask", "sqlalchemy", "jsonschema.validators",
         "tomllib", "tempfile",
         # the material readers' libraries (auditor.load.materials): only a campaign with material files needs one
         "lxml", "pdfplumber", "pdfminer", "pypdf", "docx", "pptx", "PIL", "auditor.load.materials",
         # the other commands' modules (auditor.cli.COMMANDS): `check` imports only its own
         "auditor.cli.approvals", "auditor.cli.authoring", "auditor.cli.cache", "auditor.cli.diff",
         "auditor.cli.policy", "auditor.cli.rules", "auditor.cli.serve")

PROBE = """
import sys
from auditor.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted(name for name in {heavy!r} if name in sys.modules)
sys.stderr.write("HEAVY=" + ",".join(heavy) + "\\n")
"""


def _heavy_modules(args: list[str], cache_dir, heavy=HEAVY, cache_off: bool = False) -> list[str]:
    env = dict(os.environ, AUDITOR_CACHE_DIR=str(cache_dir), PYTHONPATH=os.pathsep.join(sys.path))
    env.pop("AUDITOR_NO_CACHE", None)
    if cache_off:
        env["AUDITOR_NO_CACHE"] = "1"
    # run outside the repository: its pyproject.toml configures the auditor, which rightly needs tomllib
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=heavy), *args], env=env, cwd=cache_dir.parent,
                          capture_output=True, text=True, timeout=120)
    line = next(l for l in done.stderr.splitlines() if l.startswith("HEAVY="))
    return [name for name in line[len("HEAVY="):].split(",") if name]


def test_a_json_run_imports_nothing_heavy_once_the_cache_is_warm(tmp_path):
    campaign = tmp_path / "c.json"
    from auditor.convert import json_bytes
    from auditor.examples import build

    campaign.write_bytes(json_bytes(build({"base": "cn"})))
    args = ["check", str(campaign), "--format", "json"]
    _heavy_modules(args, tmp_path / "cache")  # first run: builds the rule-set cache (parses YAML)
    assert _heavy_modules(args, tmp_path / "cache") == []


def test_a_json_run_with_the_cache_off_parses_no_yaml_and_unpickles_nothing(tmp_path):
    """The shipped checklists come from their pre-parsed copy (checklists/preparsed.json), already checked
    against their schemas; with the cache off nothing is read or written as a pickle either."""
    campaign = tmp_path / "c.json"
    from auditor.convert import json_bytes
    from auditor.examples import build

    campaign.write_bytes(json_bytes(build({"base": "cn"})))
    heavy = _heavy_modules(["check", str(campaign), "--format", "json"], tmp_path / "cache",
                           heavy=(*HEAVY, "pickle", "jsonschema"), cache_off=True)
    assert heavy == []
    assert not (tmp_path / "cache").exists()


def test_version_imports_nothing_heavy(tmp_path):
    assert _heavy_modules(["--version"], tmp_path / "cache") == []


def test_a_failing_json_campaign_still_imports_nothing_heavy(tmp_path):
    """Schema details come from jsonschema only for rejected documents; everything else stays lazy."""
    campaign = tmp_path / "c.json"
    campaign.write_text(json.dumps({"format": "campaign/v1", "id": "X"}), encoding="utf-8")
    args = ["check", str(campaign), "--format", "json"]
    _heavy_modules(args, tmp_path / "cache")
    heavy = _heavy_modules(args, tmp_path / "cache")
    assert "jsonschema.validators" in heavy  # the probe sees what a run imports
    assert "openpyxl" not in heavy and "jinja2" not in heavy and "babel" not in heavy and "yaml" not in heavy


def test_a_workbook_run_imports_openpyxl_and_an_html_report_jinja2(tmp_path):
    workbook = REPO / "examples" / "cn-compliant-data-bundle.xlsx"
    heavy = _heavy_modules(["check", str(workbook), "--format", "json", "--html", str(tmp_path / "r.html")],
                           tmp_path / "cache")
    assert "openpyxl" in heavy and "jinja2" in heavy


def test_a_text_material_file_imports_no_reader_library(tmp_path):
    """A material in a .txt file goes through the plain reader: no HTML, PDF, Office or image library."""
    from auditor.convert import json_bytes
    from auditor.examples import build

    document = build({"base": "cn"})
    (tmp_path / "ad.txt").write_text(document["materials"][0].pop("text"), encoding="utf-8")
    document["materials"][0]["file"] = "ad.txt"
    campaign = tmp_path / "c.json"
    campaign.write_bytes(json_bytes(document))
    args = ["check", str(campaign), "--format", "json"]
    _heavy_modules(args, tmp_path / "cache")
    heavy = _heavy_modules(args, tmp_path / "cache")
    assert heavy == ["auditor.load.materials"], heavy


def test_an_html_material_imports_lxml_only(tmp_path):
    from auditor.convert import json_bytes
    from auditor.examples import build

    document = build({"base": "cn"})
    (tmp_path / "ad.html").write_text("<p>" + document["materials"][0].pop("text") + "</p>", encoding="utf-8")
    document["materials"][0]["file"] = "ad.html"
    campaign = tmp_path / "c.json"
    campaign.write_bytes(json_bytes(document))
    heavy = _heavy_modules(["check", str(campaign), "--format", "json"], tmp_path / "cache")
    assert "lxml" in heavy and not {"pdfplumber", "pdfminer", "docx", "pptx", "PIL", "pypdf"} & set(heavy)


def test_the_command_table_names_every_command_by_its_own_name():
    """auditor.cli imports a command's module when the command is looked up: the table must say where each is."""
    import importlib

    import click

    from auditor.cli import COMMANDS, main

    for name, (module, attribute) in COMMANDS.items():
        command = getattr(importlib.import_module(f"auditor.cli.{module}"), attribute)
        assert isinstance(command, click.Command) and command.name == name
        assert main.get_command(click.Context(main), name) is command
    assert main.list_commands(click.Context(main)) == sorted(COMMANDS)


ENDING = """
import atexit, gc, sys
atexit.register(lambda: sys.stderr.write(f"FROZEN={{gc.get_freeze_count()}} "  # runs last, after run's own
                                         f"COLLECTIONS={{sum(s['collections'] for s in gc.get_stats())}}\\n"))
sys.argv = ["auditor", *{args!r}]
from auditor.__main__ import run
run()
"""


def test_the_program_ends_without_collecting_what_it_built(tmp_path, monkeypatch):
    """`auditor` (auditor.__main__:run) starts up without collections (about 60, 8-11 ms, at the default threshold)
    and freezes the collector at exit instead of collecting the modules, classes and rule set the operating
    system frees anyway (15-20 ms of a one-file run); the report is complete, the exit code is the gate's, and
    atexit handlers registered before still run."""
    from auditor.convert import json_bytes
    from auditor.examples import build

    campaign = tmp_path / "c.json"
    document = build({"base": "cn"})
    document["materials"][0]["text"] += " 全网最低价！"  # an absolute claim: a finding, so a report with content
    campaign.write_bytes(json_bytes(document))
    report = tmp_path / "report.json"
    env = dict(os.environ, AUDITOR_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=os.pathsep.join(sys.path))
    args = ["check", "c.json", "--format", "json", "--fail-on", "low", "-o", "report.json"]
    done = subprocess.run([sys.executable, "-c", ENDING.format(args=args)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the gate failed, and said so through the exit code
    frozen, collections = next(l for l in done.stderr.splitlines() if l.startswith("FROZEN=")).split()
    assert int(frozen[len("FROZEN="):]) > 10_000
    assert int(collections[len("COLLECTIONS="):]) < 20  # those of the interpreter's own start (about 8)
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["summary"]["campaigns"] == 1 and written["campaigns"][0]["findings"]

    from click.testing import CliRunner

    from auditor.cli import main

    monkeypatch.chdir(tmp_path)
    in_process = CliRunner().invoke(main, args[:-2])
    assert json.loads(in_process.output) == written


def test_the_console_script_and_python_m_run_the_program():
    import tomllib

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["auditor"] == "auditor.__main__:run"
    done = subprocess.run([sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert done.returncode == 0 and done.stdout.startswith("campaign-auditor ")
