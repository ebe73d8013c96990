"""The evaluation corpus of campaigns whose materials are files (tests/corpus/files): each file twin raises what
its text twin raises, and the folder meets its evaluation target."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import REPO, require_ocr

from auditor.evaluate import evaluate, meets_target
from auditor.session import Session

FILES = REPO / "tests" / "corpus" / "files"
FILE_TWINS = sorted(p for p in FILES.glob("*.yaml") if not p.name.endswith(".text.yaml"))
FORMATS = {"html", "pdf", "chromium-pdf", "scan-pdf", "docx", "pptx", "png", "jpg"}


@pytest.fixture(scope="module")
def session():
    return Session(discover_config=False)


def test_at_least_twelve_campaigns_have_their_evidence_only_in_files():
    assert len(FILE_TWINS) >= 12
    formats = set()
    for path in FILE_TWINS:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert all("file" in m and "text" not in m for m in document["materials"]), path.name
        assert (FILES / path.name.replace(path.name.split(".")[-2] + ".yaml", "text.yaml")).exists()
        formats.add(path.name.split(".")[-2])
    assert formats == FORMATS


def _signature(result) -> set[tuple]:
    """What a campaign raised, with material file pointers read as text pointers; the readers' own notes
    (AUD-E006 about remote resources, OCR) are about the file, not the campaign."""
    return {(f.rule, f.severity.value, f.location.pointer.replace("/file", "/text"))
            for f in result.findings if f.rule != "AUD-E006"}


@pytest.mark.parametrize("path", FILE_TWINS, ids=[p.stem for p in FILE_TWINS])
def test_a_file_twin_raises_what_its_text_twin_raises(path: Path, session):
    if path.name.split(".")[-2] in ("png", "jpg", "scan-pdf"):
        require_ocr()
    twin = FILES / path.name.replace(path.name.split(".")[-2] + ".yaml", "text.yaml")
    from_files = session.audit_one(path, path.name)
    from_text = session.audit_one(twin, twin.name)
    assert _signature(from_files) == _signature(from_text)
    assert not [f for f in from_files.findings if f.rule == "AUD-E005"]


def test_the_files_corpus_meets_its_target(session):
    require_ocr()
    result = evaluate(FILES, session)
    assert result.recall == 1.0, result.misses
    assert not result.false_alarms
    assert meets_target(FILES, result)
