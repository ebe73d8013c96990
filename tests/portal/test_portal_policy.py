"""The portal audits through the configured session (issue #14: "the portal applies none of them").

Each test here failed before: the portal audited with the built-in rules alone, so a waived finding showed as
failing, a baselined one as new and a `[severity]` override was ignored. The portal must show what
`auditor check` shows for the same file and configuration.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil

import pytest
from click.testing import CliRunner
from helpers import REPO
from portal_helpers import PASSWORD, csrf, login

from auditor.cli import main

SUMMER = "campaigns/summer-comparison.yaml"
LEGACY = "campaigns/legacy-broadband.yaml"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The sample CI repository (severity overrides, a baseline), its waiver bound to the file's bytes: an upload
    is shown by its file name, not by its path in the repository."""
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "ci-repo", target)
    digest = hashlib.sha256((target / SUMMER).read_bytes()).hexdigest()
    waivers = (target / "waivers.yaml").read_text(encoding="utf-8")
    (target / "waivers.yaml").write_text(waivers.replace(f"source: {SUMMER}", f"sha256: {digest}"), encoding="utf-8")
    monkeypatch.chdir(target)
    return target


def _portal(tmp_path, **options):
    from auditor.portal import create_app

    app = create_app(tmp_path / "data", secret_key="test-secret", testing=True, **options)
    app.store.add_user("mia", "marketing", PASSWORD)
    app.store.add_user("lee", "legal", PASSWORD)
    return app


def _upload(app, path):
    client = login(app.test_client(), "mia")
    response = client.post("/upload", content_type="multipart/form-data", data={
        "csrf_token": csrf(client, "/upload"), "files": [(io.BytesIO(path.read_bytes()), path.name)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    version = int(re.search(r"/versions/(\d+)", response.headers["Location"]).group(1))
    return client, version


def _findings(report) -> dict[str, tuple[str, str, str]]:
    """fingerprint -> (rule, severity, status) of a JSON report's only campaign."""
    (campaign,) = report["campaigns"]
    return {f["fingerprint"]: (f["rule"], f["severity"], f.get("status", "fail")) for f in campaign["findings"]}


def _check(path: str) -> dict:
    result = CliRunner().invoke(main, ["check", path, "--format", "json"])
    return json.loads(result.stdout)


def test_a_waived_finding_shows_waived_and_a_severity_override_re_scores(repo, tmp_path):
    app = _portal(tmp_path)
    client, version = _upload(app, repo / SUMMER)
    report = json.loads(client.get(f"/versions/{version}/report.json").data)
    cmp002 = [f for f in report["campaigns"][0]["findings"] if f["rule"] == "CMP-002"]
    assert cmp002 and all(f["severity"] == "high" for f in cmp002)  # [severity] CMP-002 = "high"
    assert {f.get("status") for f in cmp002} == {"waived"}
    assert "Skylark's published tariff" in cmp002[0]["waiver_reason"]
    cli = _check(SUMMER)
    assert _findings(report) == _findings(cli)
    assert report["campaigns"][0]["risk"] == cli["campaigns"][0]["risk"]
    assert report["waivers"][0]["state"] == "active" == cli["waivers"][0]["state"]
    html = client.get(f"/versions/{version}/report.html").get_data(as_text=True)
    assert "published tariff of 1 June 2026" in html  # the rendered report is audited by the same session


def test_a_baselined_finding_shows_baselined(repo, tmp_path):
    app = _portal(tmp_path)
    client, version = _upload(app, repo / LEGACY)
    report = json.loads(client.get(f"/versions/{version}/report.json").data)
    statuses = {status for _rule, _severity, status in _findings(report).values()}
    assert statuses == {"baselined"}
    assert _findings(report) == _findings(_check(LEGACY))
    sarif = json.loads(client.get(f"/versions/{version}/report.sarif").data)
    assert {r.get("baselineState") for r in sarif["runs"][0]["results"]} == {"unchanged"}


def test_the_configuration_given_is_used_wherever_the_portal_runs(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no configuration to be found from here
    app = _portal(tmp_path, config_path=repo / "auditor.toml")
    client, version = _upload(app, repo / SUMMER)
    report = json.loads(client.get(f"/versions/{version}/report.json").data)
    assert {(f["severity"], f.get("status")) for f in report["campaigns"][0]["findings"]
            if f["rule"] == "CMP-002"} == {("high", "waived")}


def test_an_approval_binds_the_waiver_file_and_notices_when_it_changes(repo, tmp_path):
    app = _portal(tmp_path)
    _client, version = _upload(app, repo / SUMMER)
    legal = login(app.test_client(), "lee")
    token = csrf(legal, f"/versions/{version}")
    response = legal.post(f"/versions/{version}/approve", data={"csrf_token": token, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    record = json.loads(app.store.version(version)["approval_json"])
    assert record["relied_on"]["waivers"]["path"].endswith("waivers.yaml")
    assert record["relied_on"]["baseline"]["path"].endswith("baseline.json")
    page = legal.get(f"/versions/{version}").get_data(as_text=True)
    assert "signature verified" in page
    (repo / "waivers.yaml").write_text((repo / "waivers.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    from auditor.portal import signing

    restarted = _portal(tmp_path / "again")  # a portal started on the changed waiver file

    result, run, _report = restarted.extensions["auditor"].audit("summer-comparison.yaml", (repo / SUMMER).read_bytes())
    verdict = signing.verdict(tmp_path / "data", record, result, run.tool, "summer-comparison.yaml",
                              restarted.extensions["auditor"].relied_on)
    assert verdict.state == "stale" and any("waiver file" in str(p) for p in verdict.problems)


def test_a_bad_configuration_stops_the_portal_before_it_serves(tmp_path, monkeypatch):
    import auditor.portal as portal

    def served(server, grace=3.0):
        server.close()
        raise AssertionError("the portal served with a bad configuration")

    monkeypatch.setattr(portal, "run_until_terminated", served)
    (tmp_path / "auditor.toml").write_text('[severity]\nCMP-002 = "loud"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        portal.serve(tmp_path / "data", "127.0.0.1", 0)
    assert stopped.value.code == 2


def test_serve_passes_its_configuration_to_the_portal(tmp_path, monkeypatch):
    """`auditor serve --config FILE` audits uploads with that file's policy (issue #14)."""
    from click.testing import CliRunner

    import auditor.portal as portal
    from auditor.cli import main

    seen = {}
    monkeypatch.setattr(portal, "serve", lambda *args, **kwargs: seen.update(kwargs))
    config = tmp_path / "auditor.toml"
    config.write_text('fail-on = "medium"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "data"), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert seen["config_path"] == str(config)
