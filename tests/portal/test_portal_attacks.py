"""The portal under attack (issue 19): accounts and sessions, integrity of decisions, availability and
the upload path, as an outsider, a curious colleague and a careless operator would try them."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
import zipfile

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from portal_helpers import PASSWORD, csrf, login

from auditor.cli import main
from auditor.convert import json_bytes, xlsx_bytes
from auditor.examples import build


def upload(client, *files):
    data = {"csrf_token": csrf(client, "/upload"),
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def version_id(response) -> int:
    return int(re.search(r"/versions/(\d+)", response.headers["Location"]).group(1))


def campaign(doc_id="CN-1", **patch):
    doc = build({"base": "cn", "patch": patch} if patch else {"base": "cn"})
    doc["id"] = doc_id
    return json_bytes(doc)


def logged_out(client, path="/campaigns") -> bool:
    response = client.get(path)
    return response.status_code == 302 and "/login" in response.headers["Location"]


class Clock:
    def __init__(self, start=1_800_000_000.0):
        self.now = start

    def __call__(self):
        return self.now


@pytest.fixture
def clock(app):
    app.store.clock = Clock()
    return app.store.clock


# --- accounts and sessions --------------------------------------------------------------------------

def test_a_disabled_or_deleted_account_loses_its_session_at_once(app, legal, marketing):
    vid = version_id(upload(marketing, ("c.json", campaign())))
    token = csrf(legal, f"/versions/{vid}")
    app.store.set_disabled("lee", True)
    assert logged_out(legal, "/queue")
    response = legal.post(f"/versions/{vid}/approve", data={"csrf_token": token, "accept_risk": "yes"})
    assert response.status_code in (302, 400) and app.store.version(vid)["status"] == "pending"
    with app.store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM users WHERE name = 'mia'"))
    assert logged_out(marketing)


def test_a_copied_cookie_is_worthless_after_logout(app):
    first = login(app.test_client(), "mia")
    copy = app.test_client()
    copy.set_cookie("session", first.get_cookie("session").value)
    assert copy.get("/campaigns").status_code == 200
    first.post("/logout", data={"csrf_token": csrf(first, "/campaigns")})
    assert logged_out(copy)


def test_a_password_change_ends_every_session(app, marketing):
    app.store.set_password("mia", "another long passphrase")
    assert logged_out(marketing)


def test_idle_and_absolute_timeouts(app, clock):
    client = login(app.test_client(), "mia")
    clock.now += 29 * 60
    assert client.get("/campaigns").status_code == 200
    clock.now += 31 * 60
    assert logged_out(client)
    client = login(app.test_client(), "mia")
    for _ in range(12 * 3):  # used every 20 minutes, all day long
        clock.now += 20 * 60
        if logged_out(client):
            break
    assert logged_out(client)
    assert clock.now - 1_800_000_000.0 <= 12 * 3600 + 2 * 3600 + 3600


def _try(client, name, password, path="/login"):
    return client.post(path, data={"name": name, "password": password, "csrf_token": csrf(client)})


def test_login_throttling_per_account_with_backoff(app, clock):
    client = app.test_client()
    checked = 0
    while checked < 12:  # an attacker who waits out every lock gets twelve guesses checked …
        response = _try(client, "mia", "wrong password!")
        if response.status_code == 429:
            clock.now += int(response.headers["Retry-After"])
        else:
            checked += 1
    assert clock.now - 1_800_000_000.0 > 120  # … in more than two minutes (1 + 2 + 4 + … seconds)
    refused = _try(client, "mia", PASSWORD)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert logged_out(client)
    clock.now += 60  # the lock grows with every failure: a minute is not enough after twelve
    assert _try(client, "mia", PASSWORD).status_code == 429
    clock.now += 16 * 60
    assert _try(client, "mia", PASSWORD).status_code == 302
    # another account is not locked by mia's failures
    assert _try(app.test_client(), "lee", PASSWORD).status_code == 302


def test_login_throttling_per_address(app, clock):
    client = app.test_client()
    for i in range(25):
        _try(client, f"guess{i}", "wrong password!")
    assert _try(client, "mia", PASSWORD).status_code == 429
    other = app.test_client()
    response = other.post("/login", data={"name": "mia", "password": PASSWORD, "csrf_token": csrf(other)},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 302


@pytest.mark.parametrize("name,password,why", [
    ("ann", "12345678", "at least 12"),
    ("ann", " " * 12, "different characters"),
    ("ann", "password1234", "most common"),
    ("ann", "Qwertyuiop!!", "most common"),
    ("ann", "123456789012", "most common"),
    ("annabelle", "xannabelle-99", "account name"),
    ("", PASSWORD, "account name is"),
    (" ann", PASSWORD, "account name is"),
    ("a\x00b", PASSWORD, "account name is"),
])
def test_weak_passwords_and_bad_names_are_refused(app, name, password, why):
    with pytest.raises(ValueError, match=why):
        app.store.add_user(name, "legal", password)


def test_passwords_are_prompted_never_options(tmp_path):
    runner = CliRunner()
    data = ["--data", str(tmp_path / "d")]
    result = runner.invoke(main, ["users", "add", "ann", "--role", "legal", *data, "--password", PASSWORD])
    assert result.exit_code == 2 and "No such option" in result.output
    weak = runner.invoke(main, ["users", "add", "ann", "--role", "legal", *data], input="12345678\n12345678\n")
    assert weak.exit_code == 2 and "at least 12" in weak.output
    assert runner.invoke(main, ["users", "add", "", "--role", "legal", *data],
                         input=f"{PASSWORD}\n{PASSWORD}\n").exit_code == 2
    added = runner.invoke(main, ["users", "add", "ann", "--role", "legal", *data], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0 and PASSWORD not in added.output
    listing = runner.invoke(main, ["users", "list", *data])
    assert re.search(r"ann\s+legal\s+active", listing.output)
    new = "a different passphrase"
    reset = runner.invoke(main, ["users", "reset-password", "ann", *data], input=f"{new}\n{new}\n")
    assert reset.exit_code == 0 and "sessions have ended" in reset.output
    assert runner.invoke(main, ["users", "reset-password", "nobody", *data], input=f"{new}\n{new}\n").exit_code == 2
    assert runner.invoke(main, ["users", "disable", "ann", *data]).exit_code == 0
    assert re.search(r"ann\s+legal\s+disabled", runner.invoke(main, ["users", "list", *data]).output)
    from auditor.portal.store import Store

    store = Store(tmp_path / "d")
    assert store.check_password("ann", new) is None  # disabled
    actions = [e["action"] for e in store.all_events()]
    assert actions == ["account added", "password changed", "account disabled"]
    store.engine.dispose()


@pytest.mark.parametrize("target", ["/%09/evil.example/", "//evil.example/", "/%5Cevil.example", "/\\evil.example",
                                    "https://evil.example/", "/%0a/evil.example", "/%0d/evil.example", " /x",
                                    "javascript:alert(1)"])
def test_next_after_login_is_only_a_local_path(app, target):
    client = app.test_client()
    response = client.post(f"/login?next={target}", data={"name": "mia", "password": PASSWORD,
                                                           "csrf_token": csrf(client)})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location and "javascript" not in location and location in ("/", "http://localhost/")


def test_next_to_a_local_page_still_works(app):
    client = app.test_client()
    response = client.post("/login?next=/campaigns", data={"name": "mia", "password": PASSWORD,
                                                           "csrf_token": csrf(client)})
    assert response.headers["Location"].endswith("/campaigns")


def test_admin_does_not_bypass_roles(app, marketing):
    app.store.add_user("root-ann", "admin", PASSWORD)
    admin = login(app.test_client(), "root-ann")
    vid = version_id(upload(marketing, ("c.json", campaign())))
    assert admin.get("/queue").status_code == 403
    assert admin.get("/upload").status_code == 403
    token = csrf(admin, f"/versions/{vid}")
    assert admin.post(f"/versions/{vid}/approve", data={"csrf_token": token, "accept_risk": "yes"}).status_code == 403
    assert app.store.version(vid)["status"] == "pending"


def test_csrf_tokens_expire(app, marketing, monkeypatch):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 3600
    token = csrf(marketing, "/campaigns")
    import itsdangerous

    later = itsdangerous.TimestampSigner.get_timestamp(itsdangerous.TimestampSigner("k")) + 3601
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: later)
    assert marketing.post("/logout", data={"csrf_token": token}).status_code == 400


def test_cookies_are_lax_and_secure_on_request(tmp_path, database):
    from auditor.portal import create_app

    app = create_app(tmp_path / "d", database_url=database, secret_key="k", testing=True, secure_cookies=True)
    app.store.add_user("mia", "marketing", PASSWORD)
    client = app.test_client()
    token = csrf(client)
    response = client.post("/login", base_url="https://localhost",
                           data={"name": "mia", "password": PASSWORD, "csrf_token": token},
                           headers={"Referer": "https://localhost/login"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "SameSite=Lax" in cookie
    app.store.engine.dispose()


def test_authenticated_responses_are_never_stored(marketing):
    vid = version_id(upload(marketing, ("c.json", campaign())))
    for path in ("/campaigns", f"/versions/{vid}", f"/versions/{vid}/report.json", f"/versions/{vid}/report.sarif",
                 f"/versions/{vid}/report.html", "/campaigns/1"):
        assert marketing.get(path).headers.get("Cache-Control") == "no-store", path


def test_data_folder_and_files_are_private_from_creation(tmp_path, monkeypatch):
    from auditor.portal import create_app

    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)  # modes must come from creation, not a later chmod
    old = os.umask(0)
    try:
        app = create_app(tmp_path / "data", testing=True)
        app.store.add_user("mia", "marketing", PASSWORD)
        client = login(app.test_client(), "mia")
        vid = version_id(upload(client, ("c.json", campaign())))
        assert client.get(f"/versions/{vid}/report.sarif").status_code == 200
    finally:
        os.umask(old)
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    assert (data / "secret-key").exists() and (data / "portal.db").exists()
    app.store.engine.dispose()


# --- integrity of decisions --------------------------------------------------------------------------

def test_decisions_are_in_an_append_only_audit_log_shown_in_the_history(app, marketing, legal):
    vid = version_id(upload(marketing, ("c.json", campaign())))
    legal.post(f"/versions/{vid}/approve", data={"csrf_token": csrf(legal, f"/versions/{vid}"), "note": "fine",
                                                 "password": PASSWORD})
    legal.post(f"/versions/{vid}/return", data={"csrf_token": csrf(legal, f"/versions/{vid}"),
                                                "comment": "Price missing after all."})
    history = legal.get("/campaigns/1").get_data(as_text=True)
    log = history.split("Audit log", 1)[1]
    assert log.index("send back") < log.index("approve") < log.index("upload")  # newest first
    assert "lee" in log and "mia" in log and "Price missing after all." in log
    with pytest.raises(sa.exc.DBAPIError):
        with app.store.engine.begin() as connection:
            connection.execute(sa.text("UPDATE events SET actor = 'someone else'"))
    with pytest.raises(sa.exc.DBAPIError):
        with app.store.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events"))
    assert [e["action"] for e in app.store.events_for(1)] == ["upload", "approve", "send back"]


def test_only_the_latest_pending_version_can_be_approved(app, marketing, legal):
    old = version_id(upload(marketing, ("c.json", campaign())))
    new = version_id(upload(marketing, ("c.json", campaign(**{"/consent/pre_checked": True}))))
    token = csrf(legal, f"/versions/{new}")
    assert legal.post(f"/versions/{old}/approve", data={"csrf_token": token}).status_code == 409
    assert app.store.version(old)["status"] == "pending" and app.store.version(old)["approval_json"] is None
    legal.post(f"/versions/{new}/return", data={"csrf_token": token, "comment": "No pre-ticked box."})
    assert legal.post(f"/versions/{new}/approve", data={"csrf_token": token}).status_code == 409
    assert app.store.version(new)["status"] == "returned"
    assert "Approve</button>" not in legal.get(f"/versions/{old}").get_data(as_text=True)


def test_sending_back_keeps_the_approval_record(app, marketing, legal):
    vid = version_id(upload(marketing, ("c.json", campaign())))
    token = csrf(legal, f"/versions/{vid}")
    legal.post(f"/versions/{vid}/approve", data={"csrf_token": token, "password": PASSWORD})
    record = app.store.version(vid)["approval_json"]
    assert record
    legal.post(f"/versions/{vid}/return", data={"csrf_token": token, "comment": "Withdrawn: offer changed."})
    row = app.store.version(vid)
    assert row["status"] == "returned" and row["approval_json"] == record
    assert "sent back afterwards" in legal.get(f"/versions/{vid}").get_data(as_text=True)


# --- availability ------------------------------------------------------------------------------------

def test_rendered_outputs_are_cached_per_version(app, marketing, monkeypatch):
    import auditor.portal as portal

    vid = version_id(upload(marketing, ("c.json", campaign())))
    calls = []
    real = portal.audit_upload

    def counting(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(portal, "audit_upload", counting)
    clients = [login(app.test_client(), "mia") for _ in range(6)]
    statuses = []

    def fetch(client):
        statuses.append(client.get(f"/versions/{vid}/report.sarif").status_code)

    threads = [threading.Thread(target=fetch, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [200] * 6
    for _ in range(3):
        assert marketing.get(f"/versions/{vid}/report.html").status_code == 200
    assert len(calls) == 2  # one SARIF, one HTML, however many views
    assert marketing.get(f"/versions/{vid}/report.html?lang=zh-CN").status_code == 200
    assert len(calls) == 3  # another language is another rendering


def test_a_user_over_the_concurrency_limit_waits_others_do_not(app, marketing, legal):
    vid = version_id(upload(marketing, ("c.json", campaign())))
    with app.limiter.slot("mia"), app.limiter.slot("mia"):
        busy = marketing.get(f"/versions/{vid}/report.sarif")
        assert busy.status_code == 429 and busy.headers["Retry-After"]
        assert upload(marketing, ("d.json", campaign("CN-2"))).status_code == 429
        assert legal.get(f"/versions/{vid}/report.sarif").status_code == 200
    assert marketing.get(f"/versions/{vid}/report.sarif").status_code == 200


def test_portal_workbook_limits_are_tighter_than_the_command_line(app, marketing, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(build({"base": "cn"})))) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))  # unpacks to 60 MB
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    # refused unopened, and (h17) a file that cannot be read as a campaign is not queued: the reason is shown
    response = upload(marketing, ("big.xlsx", data))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "big.xlsx: cannot be read as a campaign, so it was not added to the queue" in page
    assert "over the 41,943,040-byte limit" in page
    assert app.store.campaign_list() == []
    (tmp_path / "big.xlsx").write_bytes(data)
    cli = json.loads(CliRunner().invoke(main, ["check", str(tmp_path / "big.xlsx"), "--format", "json"]).stdout)
    assert not [f for f in cli["campaigns"][0]["findings"] if f["category"] == "input"]


# --- the upload path -----------------------------------------------------------------------------------

def test_concurrent_first_uploads_of_one_campaign(app):
    from auditor.portal.audit import audit_upload

    bodies = [campaign(**{"/name": f"Spring {i}"}) for i in range(12)]
    audited = [audit_upload("c.json", body) for body in bodies]
    barrier = threading.Barrier(len(bodies))
    errors, ids = [], []

    def store_one(i):
        try:
            barrier.wait(10)
            digest = app.store.save_blob(bodies[i])
            result, _run, report = audited[i]
            ids.append(app.store.record_version(result.id, result.name, result.jurisdiction, digest, "c.json",
                                                "mia", report)[0])
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=store_one, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(set(ids)) == len(bodies)
    assert len(app.store.campaign_list()) == 1
    assert not [p for p in app.store.blobs.iterdir() if p.name.endswith(".tmp")]


def test_a_batch_with_one_oversized_file_stores_nothing(app, marketing):
    response = upload(marketing, ("a.json", campaign("CN-A")), ("big.json", b"{" + b" " * (6 * 1024 * 1024) + b"}"))
    assert response.status_code == 413
    assert app.store.campaign_list() == [] and list(app.store.blobs.iterdir()) == []


def test_a_batch_shows_each_file_s_result(app, marketing):
    response = upload(marketing, ("a.json", campaign("CN-A")), ("notes.txt", b"hello"), ("b.json", campaign("CN-B")))
    assert response.status_code == 302
    page = marketing.get("/campaigns").get_data(as_text=True)
    assert "a.json: uploaded as version #1" in page and "b.json: uploaded as version #2" in page
    assert "notes.txt: not a campaign file" in page


@pytest.mark.parametrize("name", ["活动说明" * 80 + ".json", "a" * 315 + ".json", "sp\x00ring.json",
                                  "dir/../..\\evil\x07.json"])
def test_hostile_upload_names_are_shortened_by_bytes_and_cleaned(app, marketing, name):
    response = upload(marketing, (name, campaign()))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    row = app.store.version(version_id(response))
    assert row["filename"].endswith(".json") and len(row["filename"].encode("utf-8")) <= 200
    assert "\x00" not in row["filename"] and "\x07" not in row["filename"] and "/" not in row["filename"]
    report = json.loads(row["report_json"])["campaigns"][0]
    assert not [f for f in report["findings"] if f["category"] == "input"], report["findings"]


def test_migrations_run_under_a_lock_when_servers_start_together(tmp_path):
    code = ("import sys; from pathlib import Path; from auditor.portal.store import Store; "
            "Store(Path(sys.argv[1])).engine.dispose()")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for trial in range(4):
        folder = tmp_path / f"data{trial}"
        processes = [subprocess.Popen([sys.executable, "-c", code, str(folder)], env=env, stderr=subprocess.PIPE,
                                      text=True) for _ in range(4)]
        for process in processes:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr[-2000:]
    from auditor.portal.store import MIGRATIONS, Store, schema_version

    store = Store(tmp_path / "data0")
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(schema_version.c.version)).scalars().all() == [len(MIGRATIONS)]
    store.engine.dispose()


def test_migrations_hold_the_lock(tmp_path, monkeypatch):
    import fcntl

    from auditor.portal import store as store_module

    seen = []
    real = store_module._v3

    def probe(connection):
        with open(tmp_path / "d" / "migrate.lock", "rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append("free")
            except BlockingIOError:
                seen.append("held")
        real(connection)

    monkeypatch.setattr(store_module, "MIGRATIONS", [store_module._v1, store_module._v2, probe])
    store_module.Store(tmp_path / "d").engine.dispose()
    assert seen == ["held"]
