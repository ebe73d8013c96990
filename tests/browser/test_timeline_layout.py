"""The customer-journey timeline as Chromium lays it out: no label overlaps another, no marker line crosses a
label, and labels are legible at print size (read from the rendered boxes, not from our own estimates)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import CHROMIUM_FLAGS, REPO, require_browser

from auditor.cli import main

# A4 with the report's 14 mm side margins leaves 182 mm, 688 CSS pixels at 96 dpi.
PRINT_WIDTH_PX = 688


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("timeline-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", *CHROMIUM_FLAGS, f"--window-size={PRINT_WIDTH_PX},1200",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


READ_BOXES = """
const out = [];
for (const svg of document.querySelectorAll('svg.timeline')) {
  const labels = [...svg.querySelectorAll('text.label')].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height,
            size: parseFloat(getComputedStyle(t).fontSize)};
  });
  const lines = [...svg.querySelectorAll('line')].filter(l => l.nextElementSibling && l.nextElementSibling.tagName === 'circle')
    .map(l => ({x: l.x1.baseVal.value, y1: Math.min(l.y1.baseVal.value, l.y2.baseVal.value),
                y2: Math.max(l.y1.baseVal.value, l.y2.baseVal.value)}));
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  out.push({labels, lines, scale});
}
return out;
"""


def rendered_boxes(driver, tmp_path, example: str, lang: str):
    out = tmp_path / f"{example}.{lang}.html"
    result = CliRunner().invoke(main, ["check", str(REPO / "examples" / example), "--html", str(out), "--lang", lang,
                                       "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    driver.get(out.as_uri())
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})  # the print layout: no page padding
    try:
        return driver.execute_script(READ_BOXES)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("example", ["us-ca-streaming-trial.json", "cn-c1-gprs-bundle-lapse.yaml",
                                     "tw-c3-mpro-renewal.json", "uk-sim-only-compliant.yaml"])
def test_labels_never_overlap_and_lines_never_cross_labels(driver, tmp_path, example, lang):
    timelines = rendered_boxes(driver, tmp_path, example, lang)
    assert timelines, "no timeline rendered"
    for timeline in timelines:
        labels, lines = timeline["labels"], timeline["lines"]
        assert len(labels) >= 2 and len(lines) == len(labels)
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not overlap(a, b), f"{a['text']!r} overlaps {b['text']!r}"
        for line in lines:
            for label in labels:
                crosses = (label["x"] + 1 < line["x"] < label["x"] + label["w"] - 1
                           and line["y1"] < label["y"] + label["h"] - 1 and label["y"] + 1 < line["y2"])
                assert not crosses, f"the marker line at x={line['x']} crosses {label['text']!r}"
        # legible when printed: at the A4 text width, labels are at least 8 pt (10.67 CSS px)
        for label in labels:
            assert label["size"] * timeline["scale"] >= 8 * 96 / 72 - 0.3, (label["text"], timeline["scale"])


def test_us_ca_reminder_and_sign_up_close_are_both_readable(driver, tmp_path):
    """The case the California rule turns on: the reminder and the close of sign-up, apart."""
    [timeline] = rendered_boxes(driver, tmp_path, "us-ca-streaming-trial.json", "en")
    texts = [label["text"] for label in timeline["labels"]]
    assert any(t.startswith("reminder") for t in texts) and any(t.startswith("sign-up closes") for t in texts)
    doc = json.loads((REPO / "examples" / "us-ca-streaming-trial.json").read_text(encoding="utf-8"))
    assert doc["jurisdiction"] == "US-CA"
