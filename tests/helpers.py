"""Helpers shared by the test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def audit_document(document: dict, tmp_path: Path, name: str = "campaign.json"):
    from auditor.engine import audit_file

    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return audit_file(path, name)
