"""Text understanding v5 (issue #16, fourth round, 30 November 2026): classes the auditor still misread on the
tuning parts of the blind batches, each with a text that must trigger and a twin that must not. Every test
here failed before the change it covers. (Plan-change call scripts, CNS-005: test_price_change_scripts.py.)"""

from __future__ import annotations

import pytest
from helpers import audit_document

from auditor.examples import build


def rules(document: dict, tmp_path) -> set[str]:
    return {f.rule for f in audit_document(document, tmp_path).findings}


def with_material(base: str, text: str, kind: str = "advert", **changes) -> dict:
    doc = build({"base": base, "patch": {"/materials/-": {"id": "x", "kind": kind, "channel": "web", "text": text}}})
    doc.update(changes)
    return doc


# --- a rival shown as "still" behind the offer ------------------------------------------------------------------

@pytest.mark.parametrize("base,text", [
    ("cn", "友商的彩铃还在“嘟嘟嘟”，我们已经让等待“有画面”！"),
    ("cn", "别家还停留在4G，我们全城5G。"),
    ("uk", "Other networks are still charging for roaming. We aren't."),
])
def test_a_rival_said_to_be_still_behind_is_compared_with(base, text, tmp_path):
    assert "CMP-002" in rules(with_material(base, text), tmp_path)


@pytest.mark.parametrize("base,text", [
    ("cn", "如果您还在友商签约期内，也可以携号转网，号码不变。"),   # "still" before the rival, porting
    ("cn", "您的彩铃仍然可以在App里随时更换。"),                     # no rival
    ("uk", "Still with another network? Keep your number when you move: text PAC to 65075."),
])
def test_still_without_a_rival_behind_it_is_no_comparison(base, text, tmp_path):
    assert "CMP-002" not in rules(with_material(base, text), tmp_path)
