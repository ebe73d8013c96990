"""The command line end to end: exit codes, report contract, determinism, locations."""

from __future__ import annotations

import json

import jsonschema
from helpers import REPO

from auditor.cli import main
from auditor.examples import build

CONTRACT = json.loads((REPO / "tests" / "contract" / "report.schema.json").read_text(encoding="utf-8"))


def run_json(runner, *args):
    result = runner.invoke(main, ["check", "--format", "json", *args])
    return result, json.loads(result.output) if result.output.startswith("{") else None


def test_examples_report_meets_the_contract_and_is_deterministic(runner, monkeypatch):
    monkeypatch.chdir(REPO)
    first, report = run_json(runner, "examples/")
    second, _ = run_json(runner, "examples/")
    assert first.exit_code == 1
    jsonschema.validate(report, CONTRACT)
    assert first.output == second.output
    sources = [c["source"] for c in report["campaigns"]]
    assert sources == sorted(sources)
    assert len(sources) >= 6
    assert report["summary"]["campaigns"] == len(sources)


def test_path_order_does_not_change_the_report(runner, monkeypatch):
    monkeypatch.chdir(REPO)
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "examples").iterdir() if p.suffix in (".json", ".yaml"))
    a = runner.invoke(main, ["check", "--format", "json", *files]).output
    b = runner.invoke(main, ["check", "--format", "json", *reversed(files)]).output
    assert a == b


def test_truncated_file_is_critical_and_the_rest_is_audited(runner, tmp_path, monkeypatch):
    for name in ("a.json", "c.json"):
        doc = build({"base": "cn"})
        doc["id"] = f"CN-{name[0].upper()}"  # one id per file (a shared id is itself a finding, AUD-E010)
        (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text('{"format": "campaign/v1", "id": "X", "fees": [', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result, report = run_json(runner, ".")
    assert result.exit_code == 1
    by_source = {c["source"]: c for c in report["campaigns"]}
    assert set(by_source) == {"a.json", "b.json", "c.json"}
    broken = by_source["b.json"]["findings"]
    assert broken[0]["category"] == "input" and broken[0]["severity"] == "critical"
    assert broken[0]["location"]["line"] == 1
    assert by_source["a.json"]["findings"] == [] and by_source["c.json"]["risk"]["level"] == "none"


def test_missing_path_and_unknown_option_exit_2(runner):
    result = runner.invoke(main, ["check", "nope/"])
    assert result.exit_code == 2
    assert "no such file or folder: nope/" in result.output
    assert runner.invoke(main, ["check", "--frobnicate", "x"]).exit_code == 2


def test_clean_campaign_exits_0_and_fail_on_moves_the_gate(runner, write_campaign):
    clean = write_campaign(build({"base": "cn"}))
    assert runner.invoke(main, ["check", str(clean)]).exit_code == 0
    risky = build({"base": "cn", "patch": {"/cancellation/methods/1/instructions": ""}})  # one low finding
    path = write_campaign(risky, "risky.json")
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0
    assert runner.invoke(main, ["check", "--fail-on", "low", str(path)]).exit_code == 1
    assert runner.invoke(main, ["check", "--fail-on", "none", str(path)]).exit_code == 0


def test_json_findings_carry_pointer_and_line(runner, write_campaign):
    document = build({"base": "cn", "patch": {"/consent/pre_checked": True}})
    path = write_campaign(document)
    _, report = run_json(runner, str(path))
    (finding,) = [f for f in report["campaigns"][0]["findings"] if f["rule"] == "CON-002"]
    assert finding["location"]["pointer"] == "/consent/pre_checked"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"pre_checked"' in lines[finding["location"]["line"] - 1]


def test_spreadsheet_findings_name_sheet_and_cell(runner, monkeypatch):
    monkeypatch.chdir(REPO)
    _, report = run_json(runner, "examples/cn-c9-telemarketing-upgrade.xlsx")
    findings = report["campaigns"][0]["findings"]
    assert findings
    for finding in findings:
        assert finding["location"]["sheet"] and finding["location"]["cell"]
    fee = [f for f in findings if f["rule"] == "FEE-001"][0]
    assert (fee["location"]["sheet"], fee["location"]["cell"]) == ("Fees", "C2")


def test_schema_errors_are_all_reported_in_marketer_words(runner, write_campaign):
    document = build({"base": "cn"})
    document["period"]["start"] = "2026-02-30"
    document["fees"][0]["recurrence"] = "weekly"
    document["fees"][0]["disclosed_In"] = ["ad"]
    del document["operator"]
    _, report = run_json(runner, str(write_campaign(document)))
    schema = {f["location"]["pointer"]: f["message"] for f in report["campaigns"][0]["findings"]
              if f["category"] == "schema"}
    assert "real date" in schema["/period/start"]
    assert "not one of" in schema["/fees/0/recurrence"]
    assert "unknown field" in schema["/fees/0/disclosed_In"]
    assert "missing required field `operator`" in schema["/operator"]


def test_material_file_must_stay_inside_the_campaign_folder(runner, tmp_path):
    inside = tmp_path / "camp"
    inside.mkdir()
    (tmp_path / "secret.txt").write_text("top secret", encoding="utf-8")
    (inside / "ad.txt").write_text("10GB流量包，前12个月仅需5元/月，第13个月起10元/月。可随时发送QXLL到10086取消。", encoding="utf-8")
    document = build({"base": "cn"})
    document["materials"][0] = {"id": "ad", "kind": "advert", "channel": "web", "file": "ad.txt"}
    document["materials"].append({"id": "leak", "kind": "advert", "channel": "web", "file": "../secret.txt"})
    (inside / "c.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    _, report = run_json(runner, str(inside / "c.json"))
    findings = report["campaigns"][0]["findings"]
    leak = [f for f in findings if f["location"]["pointer"] == "/materials/2/file"]
    assert leak and "outside" in leak[0]["message"] and leak[0]["category"] == "input"
    assert "top secret" not in json.dumps(report, ensure_ascii=False)
    assert not [f for f in findings if f["rule"] in ("FEE-001", "FEE-003")]  # ad.txt was read


def test_html_report_is_written_and_escapes_campaign_text(runner, write_campaign, tmp_path):
    document = build({"base": "cn"})
    document["name"] = '<script>alert("x")</script>'
    document["materials"][0]["text"] += ' <img src=x onerror=alert(1)> 全网最低'
    path = write_campaign(document)
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["check", str(path), "--html", str(out), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html
    assert path.read_text(encoding="utf-8") in path.read_text(encoding="utf-8")  # input untouched


def test_refuses_to_overwrite_an_input(runner, write_campaign):
    path = write_campaign(build({"base": "cn"}))
    before = path.read_bytes()
    result = runner.invoke(main, ["check", str(path), "--html", str(path)])
    assert result.exit_code == 2
    assert path.read_bytes() == before


def test_rules_and_explain(runner):
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0 and "FEE-001" in listing.output and "CMP-002" in listing.output
    page = runner.invoke(main, ["explain", "exp-006"])
    assert page.exit_code == 0
    assert "case:C3" in page.output and "How to fix" in page.output and "Example" in page.output
    assert runner.invoke(main, ["explain", "NOPE-1"]).exit_code == 2


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and "campaign-auditor" in result.output


def test_docs_are_up_to_date(runner, monkeypatch):
    monkeypatch.chdir(REPO)
    result = runner.invoke(main, ["docs", "--check"])
    assert result.exit_code == 0, "docs/rules.md is stale: run `auditor docs`"


def test_convert_round_trip(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    for source in sorted((REPO / "examples").glob("*.*")):
        if source.suffix not in (".json", ".yaml", ".xlsx"):
            continue
        xlsx = tmp_path / (source.stem + ".xlsx")
        back = tmp_path / (source.stem + ".json")
        assert runner.invoke(main, ["convert", str(source), str(xlsx)]).exit_code == 0
        assert runner.invoke(main, ["convert", str(xlsx), str(back)]).exit_code == 0
        from auditor.load import load_path

        assert load_path(back).document == load_path(source).document, source.name


def test_reports_are_written_with_normal_permissions(runner, write_campaign, tmp_path):
    import os

    out = tmp_path / "r.json"
    runner.invoke(main, ["check", str(write_campaign(build({"base": "cn"}))), "--format", "json", "-o", str(out)])
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
