"""The portal end to end in a real headless Chromium (Selenium with Debian's chromium-driver),
and a bounded load test on localhost. Screenshots of each step go to tests/artifacts/screenshots/."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from helpers import CHROMIUM_FLAGS, REPO, require_browser
from portal_helpers import PASSWORD

from auditor.convert import xlsx_bytes
from auditor.examples import build

SHOTS = REPO / "tests" / "artifacts" / "screenshots"


@pytest.fixture
def live(tmp_path):
    import waitress

    from auditor.portal import create_app

    app = create_app(tmp_path / "data", secret_key="live-secret")
    app.store.add_user("mia", "marketing", PASSWORD)
    app.store.add_user("lee", "legal", PASSWORD)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture
def browser(tmp_path):
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", *CHROMIUM_FLAGS, "--window-size=1280,1400", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _wait(driver):
    """A wait that treats the browser's transient errors during a navigation as "not yet"."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 60, poll_frequency=0.1, ignored_exceptions=(WebDriverException,))


def click_and_wait(driver, element):
    """Click a submit button and wait until the next page has replaced this one."""
    from selenium.common.exceptions import WebDriverException

    def gone(_driver):
        try:
            element.is_enabled()
            return False
        except WebDriverException:  # stale, or "does not belong to the document" mid-navigation
            return True

    element.click()
    _wait(driver).until(gone)
    _wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def report_frame_text(driver, expected: str) -> str:
    """Switch into the report frame and wait until it has loaded (it loads after its page)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    _wait(driver).until(expected_conditions.frame_to_be_available_and_switch_to_it(
        (By.CSS_SELECTOR, "iframe.report")))
    _wait(driver).until(lambda d: expected in d.find_element(By.TAG_NAME, "body").text)
    return driver.find_element(By.TAG_NAME, "body").text


def log_in(driver, base, name):
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def log_out(driver):
    from selenium.webdriver.common.by import By

    click_and_wait(driver, driver.find_element(By.XPATH, "//form[@action='/logout']//button"))


def upload_file(driver, base, path: Path):
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/upload")
    assert "/upload" in driver.current_url, (driver.current_url, driver.page_source[:2000])
    driver.find_element(By.ID, "files").send_keys(str(path))
    click_and_wait(driver, driver.find_element(By.XPATH, "//form[@enctype]//button[@type='submit']"))


def test_marketing_uploads_legal_approves_changes_return_scripts_never_run(live, browser, tmp_path):
    from selenium.webdriver.common.by import By

    app, base = live
    workbook = tmp_path / "c9-upgrade.xlsx"
    workbook.write_bytes((REPO / "examples" / "cn-c9-telemarketing-upgrade.xlsx").read_bytes())

    log_in(browser, base, "mia")
    browser.get(f"{base}/upload?lang=zh-CN")
    browser.save_screenshot(str(SHOTS / "portal-1-upload.png"))
    upload_file(browser, base, workbook)
    assert "/versions/" in browser.current_url, (browser.current_url, browser.page_source[:3000])
    assert "CON-004" in report_frame_text(browser, "CON-004")
    browser.switch_to.default_content()
    browser.save_screenshot(str(SHOTS / "portal-2-findings.png"))
    log_out(browser)

    log_in(browser, base, "lee")
    browser.get(f"{base}/queue")
    assert "CN-10085-5G-UPGRADE" in browser.page_source
    browser.save_screenshot(str(SHOTS / "portal-3-queue.png"))
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "CN-10085-5G-UPGRADE"))
    browser.find_element(By.NAME, "note").send_keys("Recorded call and SMS confirmation checked.")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)  # unlocks lee's signing key
    click_and_wait(browser, browser.find_element(By.XPATH, "//form[contains(@action, '/approve')]//button"))
    assert "Approved and signed." in browser.page_source  # the confirmation
    browser.save_screenshot(str(SHOTS / "portal-3b-approved.png"))
    browser.get(f"{base}/queue")
    assert "CN-10085-5G-UPGRADE" not in browser.page_source  # the queue is empty again
    log_out(browser)

    import openpyxl

    book = openpyxl.load_workbook(workbook)
    book["Materials"]["D2"] = "您好，5G畅享套餐月费86.9元/月，比现在每月多57.9元，您是否同意办理？"
    book.save(workbook)
    log_in(browser, base, "mia")
    upload_file(browser, base, workbook)
    log_out(browser)
    log_in(browser, base, "lee")
    browser.get(f"{base}/queue")
    assert "CN-10085-5G-UPGRADE" in browser.page_source  # changed bytes: back in the queue
    log_out(browser)

    hostile = build({"base": "cn"})
    hostile["id"] = "XSS-PORTAL"
    payload = ("<script>document.body.setAttribute('data-xss','1')</script>"
               "<img src=x onerror=\"document.body.setAttribute('data-xss','1')\">")
    hostile["name"] = payload
    hostile["materials"][0]["text"] = payload + hostile["materials"][0]["text"]
    path = tmp_path / "xss.xlsx"
    path.write_bytes(xlsx_bytes(hostile))
    log_in(browser, base, "mia")
    upload_file(browser, base, path)
    assert browser.execute_script("return document.body.getAttribute('data-xss')") is None
    assert "<script>" in report_frame_text(browser, "<script>")  # shown as text, once the frame has loaded
    time.sleep(0.5)  # give any injected handler the chance to run
    assert browser.execute_script("return document.body.getAttribute('data-xss')") is None
    browser.switch_to.default_content()
    browser.save_screenshot(str(SHOTS / "portal-4-script-payload-shown-as-text.png"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we check, not a page to follow


def _client(base):
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)


def _token(opener, url):
    page = opener.open(url, timeout=30).read().decode()
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _post(opener, url, fields=None, files=None):
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in (fields or {}).items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    for name, (filename, content) in (files or {}).items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_twenty_concurrent_uploads_lose_nothing(live):
    app, base = live
    uploads = 20
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def one(i):
        opener = _client(base)
        status = _post(opener, f"{base}/login", {"name": "mia", "password": PASSWORD,
                                                 "csrf_token": _token(opener, f"{base}/login")})
        assert status == 302
        document = build({"base": "cn" if i % 2 else "uk"})
        document["id"] = f"LOAD-{i:02d}"
        data = json.dumps(document, ensure_ascii=False).encode()
        start = time.monotonic()
        while True:  # one account's uploads beyond its concurrency limit are told to retry (429), like a person would
            status = _post(opener, f"{base}/upload", {"csrf_token": _token(opener, f"{base}/upload")},
                           {"files": (f"load-{i}.json", data)})
            if status != 429:
                break
            time.sleep(0.2)
        with lock:
            results.append((status, time.monotonic() - start))

    started = time.monotonic()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(uploads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started
    assert len(results) == uploads and all(status == 302 for status, _ in results), results
    campaigns = app.store.campaign_list()
    keys = sorted(c["key"] for c in campaigns)
    assert keys == [f"LOAD-{i:02d}" for i in range(uploads)]
    for campaign in campaigns:
        assert len(app.store.history(campaign["id"])) == 1  # every upload exactly once
    latencies = sorted(seconds for _, seconds in results)
    figures = (f"{uploads} concurrent uploads in {elapsed:.2f}s; upload latency median "
               f"{latencies[len(latencies) // 2]:.3f}s, max {latencies[-1]:.3f}s")
    print(figures)
    (REPO / "tests" / "artifacts").mkdir(exist_ok=True)
    (REPO / "tests" / "artifacts" / "portal-load.txt").write_text(figures + "\n", encoding="utf-8")
    assert elapsed < 120
