"""Shared helpers: build campaigns from the rule bases, run the CLI, audit files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO  # noqa: F401  (re-exported for fixtures)

# The rule-set cache (auditor.cache) of the test run, shared by its subprocesses, never the user's own.
os.environ.setdefault("AUDITOR_CACHE_DIR", tempfile.mkdtemp(prefix="auditor-test-cache-"))


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def write_campaign(tmp_path):
    """Write a campaign document as JSON (or YAML by suffix) and return its path."""

    def write(document: dict, name: str = "campaign.json") -> Path:
        path = tmp_path / name
        if name.endswith((".yaml", ".yml")):
            import yaml

            path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        elif name.endswith(".xlsx"):
            from auditor.convert import xlsx_bytes

            path.write_bytes(xlsx_bytes(document))
        else:
            path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write
