"""HTTP tests of every portal route, role and error path (Flask's test client)."""

from __future__ import annotations

import io
import json
import re

from click.testing import CliRunner
from helpers import REPO
from portal_helpers import PASSWORD, csrf, login

from auditor.cli import main
from auditor.convert import json_bytes
from auditor.examples import build


def upload(client, *files, token=None):
    token = token or csrf(client, "/upload")
    data = {"csrf_token": token, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def version_id(response) -> int:
    return int(re.search(r"/versions/(\d+)", response.headers["Location"]).group(1))


def test_login_logout_and_wrong_password(app):
    client = app.test_client()
    assert client.get("/").status_code == 302
    token = csrf(client)
    bad = client.post("/login", data={"name": "mia", "password": "nope", "csrf_token": token})
    assert bad.status_code == 200 and "Wrong name or password." in bad.get_data(as_text=True)
    login(client, "mia")
    assert client.get("/campaigns").status_code == 200
    token = csrf(client, "/campaigns")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/campaigns").status_code == 302


def test_every_form_needs_a_csrf_token(marketing, legal):
    assert marketing.post("/upload", data={}).status_code == 400
    assert legal.post("/versions/1/approve", data={"note": "x"}).status_code == 400
    assert marketing.post("/logout").status_code == 400


def test_marketing_uploads_a_workbook_and_sees_findings_and_downloads(marketing):
    workbook = (REPO / "examples" / "cn-c9-telemarketing-upgrade.xlsx").read_bytes()
    response = upload(marketing, ("c9.xlsx", workbook))
    assert response.status_code == 302
    vid = version_id(response)
    page = marketing.get(f"/versions/{vid}").get_data(as_text=True)
    assert "CN-10085-5G-UPGRADE" in page and "iframe" in page and "sandbox" in page
    report = marketing.get(f"/versions/{vid}/report.html")
    assert report.status_code == 200 and "CON-004" in report.get_data(as_text=True)
    assert "sandbox" in report.headers["Content-Security-Policy"]
    data = json.loads(marketing.get(f"/versions/{vid}/report.json").data)
    assert {f["rule"] for f in data["campaigns"][0]["findings"]} >= {"CON-004", "CON-005"}
    sarif = json.loads(marketing.get(f"/versions/{vid}/report.sarif").data)
    assert sarif["version"] == "2.1.0"
    annotated = marketing.get(f"/versions/{vid}/annotated.xlsx")
    assert annotated.status_code == 200 and annotated.data[:2] == b"PK"


def test_wrong_role_is_forbidden(marketing, legal):
    assert marketing.get("/queue").status_code == 403
    assert legal.get("/upload").status_code == 403
    vid = version_id(upload(marketing, ("c.json", json_bytes(build({"base": "cn"})))))
    token = csrf(marketing, f"/versions/{vid}")
    assert marketing.post(f"/versions/{vid}/approve", data={"csrf_token": token}).status_code == 403


def test_oversized_and_wrong_type_uploads(app, marketing):
    token = csrf(marketing, "/upload")
    big = upload(marketing, ("big.json", b"{" + b" " * (6 * 1024 * 1024) + b"}"), token=token)
    assert big.status_code == 413
    wrong = upload(marketing, ("notes.exe", b"MZ"), token=csrf(marketing, "/upload"))
    assert "not a campaign file" in wrong.get_data(as_text=True)
    many = [(f"c{i}.json", b"{}") for i in range(21)]
    assert upload(marketing, *many).status_code == 413
    assert app.store.campaign_list() == []


def test_corrupt_workbook_is_reported_not_crashed_and_not_queued(marketing, legal):
    response = upload(marketing, ("broken.xlsx", b"PK\x03\x04 not really a workbook"))
    assert response.status_code == 400
    assert "broken.xlsx: cannot be read as a campaign, so it was not added to the queue" in response.get_data(
        as_text=True)
    assert "Nothing awaits sign-off." in legal.get("/queue").get_data(as_text=True)


def test_unknown_campaign_and_version(marketing):
    assert marketing.get("/versions/999").status_code == 404
    assert marketing.get("/campaigns/999").status_code == 404
    assert marketing.get("/versions/999/report.json").status_code == 404


def test_legal_approves_and_a_changed_upload_returns_to_the_queue(marketing, legal):
    doc = build({"base": "cn"})
    vid = version_id(upload(marketing, ("spring.json", json_bytes(doc))))
    queue = legal.get("/queue").get_data(as_text=True)
    assert "BASE-CN" in queue
    token = csrf(legal, f"/versions/{vid}")
    assert legal.post(f"/versions/{vid}/approve", data={"note": "OK for March", "csrf_token": token,
                                                        "password": PASSWORD}).status_code == 302
    assert "Nothing awaits sign-off." in legal.get("/queue").get_data(as_text=True)
    page = legal.get(f"/versions/{vid}").get_data(as_text=True)
    assert "Approved" in page and "lee" in page
    # the same bytes again: the same, still approved version
    assert version_id(upload(marketing, ("spring.json", json_bytes(doc)))) == vid
    doc["consent"]["pre_checked"] = True
    new = version_id(upload(marketing, ("spring.json", json_bytes(doc))))
    assert new != vid and "BASE-CN" in legal.get("/queue").get_data(as_text=True)
    history = marketing.get("/campaigns/1").get_data(as_text=True)
    assert "CON-002" in history and history.count("/versions/") >= 2


def test_approval_is_signed_with_the_approvers_key_and_downloadable(app, marketing, legal, tmp_path):
    vid = version_id(upload(marketing, ("c.json", json_bytes(build({"base": "cn"})))))
    token = csrf(legal, f"/versions/{vid}")
    refused = legal.post(f"/versions/{vid}/approve", data={"note": "fine", "csrf_token": token, "password": "nope"})
    assert refused.status_code == 400 and "Enter your password to sign the approval." in refused.get_data(as_text=True)
    assert ">fine</textarea>" in refused.get_data(as_text=True)  # the typed note is kept
    done = legal.post(f"/versions/{vid}/approve", data={"note": "fine", "csrf_token": token, "password": PASSWORD},
                      follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Approved and signed." in page and "signature verified" in page
    assert "badge status-approved" in legal.get("/campaigns").get_data(as_text=True)  # a valid record: approved
    record = json.loads(legal.get(f"/versions/{vid}/approval.json").data)
    assert record["format"] == "campaign-auditor/approval-v2" and record["approval"]["by"] == "lee"
    assert record["signature"]["algorithm"] == "ed25519"
    assert record["campaigns"][0]["sha256"] == app.store.version(vid)["sha256"]
    key_file = next((tmp_path).rglob("lee.key"))
    assert oct(key_file.stat().st_mode & 0o777) == "0o600" and b"ENCRYPTED" in key_file.read_bytes()
    # the downloads: the original bytes and the HTML report, both as attachments
    original = legal.get(f"/versions/{vid}/original")
    assert original.data == json_bytes(build({"base": "cn"})) and "attachment" in original.headers["Content-Disposition"]
    html = legal.get(f"/versions/{vid}/report.html?download=1")
    assert "attachment" in html.headers["Content-Disposition"] and 'class="state approved"' in html.get_data(as_text=True)


def test_a_tampered_record_in_the_database_is_not_shown_approved(app, marketing, legal):
    vid = version_id(upload(marketing, ("c.json", json_bytes(build({"base": "cn"})))))
    token = csrf(legal, f"/versions/{vid}")
    legal.post(f"/versions/{vid}/approve", data={"csrf_token": token, "password": PASSWORD})
    record = json.loads(app.store.version(vid)["approval_json"])
    record["approval"]["by"] = "somebody else"
    assert app.store.decide(vid, "approved", "lee", record, expect=("approved",))  # written over in the database
    page = legal.get(f"/versions/{vid}").get_data(as_text=True)
    assert "Not approved: the approval record is not valid." in page
    assert "the signature does not match the record" in page
    report = legal.get(f"/versions/{vid}/report.html").get_data(as_text=True)
    assert 'class="state approved"' not in report and "Not approved: the approval record is not valid." in report
    campaign_id = app.store.version(vid)["campaign_id"]
    for page in (legal.get("/campaigns"), legal.get(f"/campaigns/{campaign_id}")):
        text = page.get_data(as_text=True)
        assert "badge status-approved" not in text and "invalid approval record" in text


def test_critical_findings_need_accept_risk(marketing, legal):
    vid = version_id(upload(marketing, ("c.json", json_bytes(build({"base": "cn", "patch": {"/consent/method": "none"}})))))
    token = csrf(legal, f"/versions/{vid}")
    refused = legal.post(f"/versions/{vid}/approve", data={"csrf_token": token, "password": PASSWORD,
                                                           "note": "looked at it"})
    text = refused.get_data(as_text=True)
    assert "--accept-risk" not in text and "Approve despite unwaived critical findings" in text
    assert ">looked at it</textarea>" in text
    assert "pending" in legal.get(f"/versions/{vid}").get_data(as_text=True)
    token = csrf(legal, f"/versions/{vid}")
    legal.post(f"/versions/{vid}/approve", data={"csrf_token": token, "accept_risk": "yes", "password": PASSWORD})
    page = legal.get(f"/versions/{vid}").get_data(as_text=True)
    assert "Approved with accepted risks" in page


def test_unreadable_upload_is_reported_and_kept_out_of_the_queue(marketing, legal):
    response = upload(marketing, ("broken.json", b"{not json"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "broken.json: cannot be read as a campaign" in text
    assert "Nothing awaits sign-off." in legal.get("/queue").get_data(as_text=True)


def test_approval_form_comes_after_the_report(marketing, legal):
    vid = version_id(upload(marketing, ("c.json", json_bytes(build({"base": "cn"})))))
    page = legal.get(f"/versions/{vid}").get_data(as_text=True)
    assert page.index("<iframe") < page.index(f'action="/versions/{vid}/approve"')


def test_send_back_needs_a_comment_and_filters(marketing, legal):
    vid = version_id(upload(marketing, ("tw.json", (REPO / "examples" / "tw-c3-mpro-renewal.json").read_bytes())))
    upload(marketing, ("uk.yaml", (REPO / "examples" / "uk-sim-only-compliant.yaml").read_bytes()))
    assert "TW-CHT" in legal.get("/queue?jurisdiction=TW").get_data(as_text=True)
    assert "TW-CHT" not in legal.get("/queue?jurisdiction=UK").get_data(as_text=True)
    assert "UK-NW" in legal.get("/queue?risk=none").get_data(as_text=True)
    token = csrf(legal, f"/versions/{vid}")
    legal.post(f"/versions/{vid}/return", data={"comment": "", "csrf_token": token})
    assert "pending" in legal.get(f"/versions/{vid}").get_data(as_text=True)
    token = csrf(legal, f"/versions/{vid}")
    legal.post(f"/versions/{vid}/return", data={"comment": "State the price after the trial.", "csrf_token": token})
    page = marketing.get(f"/versions/{vid}").get_data(as_text=True)
    assert "returned" in page and "State the price after the trial." in page


def test_pages_escape_campaign_text_and_send_a_strict_csp(marketing):
    doc = build({"base": "cn"})
    doc["id"] = "XSS-1"
    doc["name"] = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    vid = version_id(upload(marketing, ('<b>x</b>.json', json_bytes(doc))))
    for path in (f"/versions/{vid}", "/campaigns", "/campaigns/1", f"/versions/{vid}/report.html"):
        response = marketing.get(path)
        body = response.get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body, path
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = marketing.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"  # Lax: following a link from elsewhere keeps the session


def test_languages_follow_the_report_catalogues(marketing):
    assert "上传活动" in marketing.get("/upload?lang=zh-CN").get_data(as_text=True)
    assert "上傳活動" in marketing.get("/upload?lang=zh-TW").get_data(as_text=True)


def test_schema_version_table_and_migrations(app):
    import sqlalchemy as sa

    from auditor.portal.store import MIGRATIONS, schema_version

    with app.store.engine.connect() as connection:
        assert connection.execute(sa.select(schema_version.c.version)).scalar_one() == len(MIGRATIONS)
    assert app.store.migrate() == len(MIGRATIONS)  # idempotent


def test_users_add_and_serve_refuses_open_binding_without_accounts(tmp_path):
    runner = CliRunner()
    data = tmp_path / "d"
    result = runner.invoke(main, ["users", "add", "ann", "--role", "legal", "--data", str(data)],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "added legal account ann" in result.output
    assert runner.invoke(main, ["users", "add", "ann", "--role", "legal", "--data", str(data)],
                         input=f"{PASSWORD}\n{PASSWORD}\n").exit_code == 2
    import pytest

    from auditor.portal import serve

    with pytest.raises(SystemExit, match="without accounts"):
        serve(tmp_path / "empty", "0.0.0.0", 8999)


def test_diff_command(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    doc = build({"base": "cn"})
    old.write_bytes(json_bytes(doc))
    doc["consent"]["pre_checked"] = True
    new.write_bytes(json_bytes(doc))
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1 and "added" in result.output and "CON-002" in result.output
    assert CliRunner().invoke(main, ["diff", str(new), str(old)]).exit_code == 0


def test_import_examples_and_demo_accounts(tmp_path):
    from auditor.portal import create_app, demo_accounts, import_campaigns

    app = create_app(tmp_path / "d", secret_key="s", testing=True)
    accounts = demo_accounts(app.store)
    assert set(accounts) == {"marketing", "legal"} and demo_accounts(app.store) == {}
    assert import_campaigns(app.store, [str(REPO / "examples")]) == 8
    assert len(app.store.campaign_list()) == 8
    client = login_as(app, "legal", accounts["legal"])
    assert "CN-XZ-2009-PHONE-PREPAY" in client.get("/queue").get_data(as_text=True)


def login_as(app, name, password):
    client = app.test_client()
    token = csrf(client)
    assert client.post("/login", data={"name": name, "password": password, "csrf_token": token}).status_code == 302
    return client
