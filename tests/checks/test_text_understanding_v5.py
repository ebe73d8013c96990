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


# --- Australia: equipment called free whose cost is recovered from customers who leave --------------------------

def au_modem_offer(advert: str, terms: str) -> dict:
    doc = with_material("uk", advert, jurisdiction="AU", currency="AUD")
    doc["materials"].append({"id": "t", "kind": "terms", "channel": "web", "text": terms})
    return doc


RECOVERED = ("If the service is cancelled before the end of the minimum term, a modem recovery charge of $9 per "
             "remaining month applies, up to $216.")


@pytest.mark.parametrize("advert", [
    "FREE Wi-Fi 6 modem with every nbn plan.",
    "Your modem is free when you join.",
])
def test_au_free_modem_whose_cost_is_recovered_on_exit_is_not_free(advert, tmp_path):
    found = [f for f in audit_document(au_modem_offer(advert, RECOVERED), tmp_path).findings if f.rule == "CLM-004"]
    assert [f.location.pointer for f in found] == ["/materials/2/text"]
    assert "recovered" in found[0].message


@pytest.mark.parametrize("advert,terms", [
    # nothing is charged for the modem when the customer leaves
    ("FREE Wi-Fi 6 modem with every nbn plan.", "Cancel any time. There is no modem charge if you leave; the modem "
                                                "is yours to keep."),
    # the free thing is not the equipment whose cost is recovered
    ("FREE installation with every nbn plan.", RECOVERED),
])
def test_au_free_claims_without_a_recovered_cost_pass(advert, terms, tmp_path):
    doc = au_modem_offer(advert + " Plans $8/month for 6 months, then $12/month.", terms)
    assert "CLM-004" not in rules(doc, tmp_path)


def test_the_recovered_cost_test_is_australias(tmp_path):
    doc = au_modem_offer("FREE Wi-Fi 6 modem with every broadband plan.", RECOVERED)
    doc.update(jurisdiction="UK", currency="GBP")
    assert not [f for f in audit_document(doc, tmp_path).findings
                if f.rule == "CLM-004" and "recovered" in f.message]


def test_free_items_and_recovered_items_read_the_clause():
    from auditor.text.equipment import free_items, recovered_items

    text = "free wi-fi 6 modem (rrp $240). free delivery, phone sold separately."
    assert [kind for kind, _ in free_items(text, [(0, 4), (28, 32)])] == ["modem"]
    assert recovered_items("if you cancel within 24 months, you pay $10 for each remaining month for your modem.") \
        == {"modem"}
    assert recovered_items("return the modem within 30 days of cancelling or a $150 fee applies.") == set()
