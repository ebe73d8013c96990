"""Headless Chromium for report tests: Debian's chromium, installed by the tests when missing.

The browser runs with --no-sandbox --disable-background-networking (this
machine has no network but the package registries). fonts-noto-cjk makes
Chinese text render, and poppler-utils reads back the printed PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGES = ["chromium", "fonts-noto-cjk", "poppler-utils"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def _installed() -> bool:
    fonts = any(Path(p).exists() for p in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                           "/usr/share/fonts/opentype/noto"))
    return bool(shutil.which("chromium") and shutil.which("pdftotext") and shutil.which("pdfinfo") and fonts)


def _install() -> str | None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "chromium is missing and this user cannot apt-get install it"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *PACKAGES]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr[-500:]}"
    return None


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    if not _installed():
        problem = _install()
        if problem:
            if os.environ.get("CI"):
                pytest.fail(problem)
            pytest.skip(problem)
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
        command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                   f"--user-data-dir={profile}", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def artifacts() -> Path:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
