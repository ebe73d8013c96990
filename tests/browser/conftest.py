"""Headless Chromium for report tests: Debian's chromium, installed by the tests when missing.

The browser runs with --no-sandbox --disable-background-networking (this
machine has no network but the package registries). fonts-noto-cjk makes
Chinese text render, and poppler-utils reads back the printed PDF.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import CHROMIUM_FLAGS, require_browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    require_browser()
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
        command = ["chromium", "--headless", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def artifacts() -> Path:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
