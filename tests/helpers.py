"""Helpers shared by the test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The tests that audit the corpus to compare two runs of it (byte-identical output across jobs, formats and
# implementations; fixes and re-audits) run on a fixed sample: the corpus written with the rules, the first
# blind batch, a batch of long contracts and workbooks and a held-out batch in mixed languages (about 200
# campaigns, all eight jurisdictions, JSON, YAML and workbooks). The whole corpus grows by 320 campaigns a round
# and, audited whole by six tests, had become most of CI's time. The accuracy tests still read all of it.
CORPUS_SAMPLE_FOLDERS = ("fresh", "fresh-cz", "holdout-cv")


def corpus_sample() -> list[str]:
    """The sample's paths, relative to the repository (the rules' corpus file by file, then the folders)."""
    corpus = REPO / "tests" / "corpus"
    own = sorted(p for p in corpus.iterdir() if p.suffix in (".json", ".yaml", ".yml", ".xlsx"))
    return [str(p.relative_to(REPO)) for p in own] + [f"tests/corpus/{name}" for name in CORPUS_SAMPLE_FOLDERS]


def audit_document(document: dict, tmp_path: Path, name: str = "campaign.json"):
    from auditor.engine import audit_file

    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return audit_file(path, name)


BROWSER_PACKAGES = ["chromium", "chromium-driver", "fonts-noto-cjk", "poppler-utils"]


def ensure_browser() -> str | None:
    """Install Debian's chromium (+ driver, CJK fonts, poppler) when missing; None when ready, else why not."""
    import os
    import shutil
    import subprocess

    fonts = Path("/usr/share/fonts/opentype/noto").exists()
    tools = all(shutil.which(t) for t in ("chromium", "chromedriver", "pdftotext", "pdfinfo"))
    if tools and fonts:
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "chromium is missing and this user cannot apt-get install it"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *BROWSER_PACKAGES]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr[-500:]}"
    return None


CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic")


def require_browser() -> None:
    """Skip (or, in CI, fail) a test that needs the browser when it cannot be installed."""
    import os

    import pytest

    problem = ensure_browser()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


OCR_PACKAGES = ["tesseract-ocr", "tesseract-ocr-chi-sim", "tesseract-ocr-chi-tra", "tesseract-ocr-eng"]


def ensure_ocr() -> str | None:
    """Install Debian's tesseract with its Chinese and English data when missing; None when ready, else why not."""
    import os
    import shutil
    import subprocess

    from auditor.load.materials import image

    image.available_languages.cache_clear()
    if image.ocr_problem() is None:
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "tesseract (OCR) is missing and this user cannot apt-get install it"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=900", *OCR_PACKAGES]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr[-500:]}"
    image.available_languages.cache_clear()
    return image.ocr_problem()


def require_ocr() -> None:
    """Skip (or, in CI, fail) a test that needs OCR when tesseract cannot be installed."""
    import os

    import pytest

    problem = ensure_ocr()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


def openpyxl_reference_load(data: bytes):
    """The workbook loader over openpyxl's full `load_workbook`, as it ran before auditor.load.xlsx_parts:
    the reference the light workbook is held to."""
    import io

    import openpyxl

    from auditor.load import Loaded
    from auditor.load import xlsx as xlsx_module
    from auditor.sourcemap import SourceMap

    loaded = Loaded(kind="xlsx", sha256="")
    loaded.sourcemap = SourceMap(kind="cells")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False, keep_vba=False,
                                      keep_links=False)
    reader = xlsx_module._Reader(workbook, data, loaded, xlsx_module.WorkbookLimits(), streaming=False)
    reader.read()
    return loaded


def assert_same_workbook_reading(data: bytes) -> None:
    """The light workbook and openpyxl's full one give the same document, problems and cell positions."""
    from auditor.load.xlsx import load_xlsx

    fast, full = load_xlsx(data), openpyxl_reference_load(data)
    assert fast.document == full.document
    assert [(p.message, p.location, p.severity, p.rule) for p in fast.problems] == \
           [(p.message, p.location, p.severity, p.rule) for p in full.problems]
    assert dict(fast.sourcemap.positions) == dict(full.sourcemap.positions)
    assert fast.template == full.template


def rule_ids(document: dict, tmp_path: Path) -> set[str]:
    """The rules that fire on a campaign document."""
    return {finding.rule for finding in audit_document(document, tmp_path).findings}


def with_material(base: str, text: str, kind: str = "advert", **changes) -> dict:
    """A rule-example base campaign (`cn`, `uk`) with one more material (id `x`) and top-level changes."""
    from auditor.examples import build

    doc = build({"base": base, "patch": {"/materials/-": {"id": "x", "kind": kind, "channel": "web", "text": text}}})
    doc.update(changes)
    return doc
