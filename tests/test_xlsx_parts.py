"""The light workbook (auditor.load.xlsx_parts) reads every workbook exactly as openpyxl.load_workbook does."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from auditor.convert import xlsx_bytes
from auditor.examples import build
from auditor.load import Loaded, load_path
from auditor.load import xlsx as xlsx_module
from auditor.load.xlsx import WorkbookLimits, load_xlsx
from auditor.sourcemap import SourceMap
from helpers import REPO


def _with_openpyxl(data: bytes) -> Loaded:
    """The loader as it ran before, over openpyxl's full workbook."""
    loaded = Loaded(kind="xlsx", sha256="")
    loaded.sourcemap = SourceMap(kind="cells")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False, keep_vba=False,
                                      keep_links=False)
    reader = xlsx_module._Reader(workbook, data, loaded, WorkbookLimits(), streaming=False)
    reader.read()
    return loaded


def _same(data: bytes) -> None:
    fast, full = load_xlsx(data), _with_openpyxl(data)
    assert fast.document == full.document
    assert [(p.message, p.location, p.severity, p.rule) for p in fast.problems] == \
           [(p.message, p.location, p.severity, p.rule) for p in full.problems]
    assert dict(fast.sourcemap.positions) == dict(full.sourcemap.positions)
    assert fast.template == full.template


def _edited(edit) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(build({"base": "cn"}))))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _corpus_documents():
    import json

    import yaml

    for path in sorted((REPO / "tests" / "corpus").glob("*")):
        if path.suffix == ".json":
            yield path.name, json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in (".yaml", ".yml"):
            yield path.name, yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name,document", list(_corpus_documents()))
def test_every_corpus_campaign_as_a_workbook(name, document):
    _same(xlsx_bytes(document))


@pytest.mark.parametrize("path", sorted(REPO.glob("examples/*.xlsx")) + sorted(REPO.glob("tests/corpus/*.xlsx")),
                         ids=lambda p: p.name)
def test_shipped_workbooks(path):
    _same(path.read_bytes())


def test_the_template_in_every_language():
    from auditor.template import build_template

    for lang in ("en", "zh-CN", "zh-TW"):
        _same(build_template(lang))


def _merge(workbook):
    sheet = workbook["Fees"]
    sheet.insert_rows(3)
    for column in range(1, 8):
        sheet.cell(3, column).value = sheet.cell(2, column).value
    sheet.cell(3, 1).value = "second"
    sheet.merge_cells("F2:F3")


@pytest.mark.parametrize("edit", [
    _merge,
    lambda wb: setattr(wb["Fees"], "sheet_state", "hidden"),
    lambda wb: setattr(wb["Campaign"].row_dimensions[3], "hidden", True),
    lambda wb: setattr(wb["Materials"].column_dimensions["C"], "hidden", True),
    lambda wb: wb["Fees"].__setitem__("C2", "=5+5"),
    lambda wb: wb["Campaign"].__setitem__("B2", "=A1"),
    lambda wb: wb["Campaign"].append(["period.start", dt.datetime(2026, 3, 1)]),
    lambda wb: wb["Campaign"].append(["period.end", 46100]),
    lambda wb: wb["Fees"].__setitem__("C2", "12,50"),
    lambda wb: wb["Fees"].__setitem__("H9", "stray"),
    lambda wb: wb["Campaign"].__setitem__("A40", "name"),
    lambda wb: wb.create_sheet("Notes").append(["anything"]),
    lambda wb: wb["Materials"].__setitem__("D2", "line one\nline two_x000D_ end"),
    lambda wb: wb["Campaign"].__setitem__("B3", True),
    lambda wb: wb["Campaign"].__setitem__("B3", 12345678901234567890),
], ids=["merged", "hidden-sheet", "hidden-row", "hidden-column", "formula", "formula-campaign", "datetime",
        "serial", "text-number", "stray-cell", "far-row", "unknown-sheet", "line-breaks", "boolean", "big-number"])
def test_defensive_cases(edit):
    _same(_edited(edit))


def test_empty_and_header_only_sheets():
    def edit(workbook):
        for name in ("Fees", "Materials"):
            sheet = workbook[name]
            sheet.delete_rows(2, sheet.max_row)
        workbook["Notifications"].delete_rows(1, workbook["Notifications"].max_row)

    _same(_edited(edit))


def test_generated_benchmark_workbooks(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    for path in generate(tmp_path, 24, seed=5, fmt="xlsx"):
        _same(path.read_bytes())
        assert load_path(path).document is not None
