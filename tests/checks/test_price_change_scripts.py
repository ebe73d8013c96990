"""CNS-005 (case C9): a sales call that plays down the price rise of a plan change.

The class came from four campaigns of the blind batches (a, h, l, p), in Chinese and English: 免费升级,
月费基本不变 / 不用额外加钱, "only a few dollars more", 只多三十块 (when it is sixty). Each test has a twin that
must pass: the script states the new price, the figures add up, or nothing shows that the price rises."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import audit_document

from auditor.examples import build
from auditor.text.normalize import normalize
from auditor.text.price_change import no_increase_claims, stated_increments, vague_increase_claims


def plan_change(base: str, script: str, summary: str, amount: float, currency: str | None = None) -> dict:
    fee = {"id": "plan", "name": "new plan", "amount": amount, "recurrence": "monthly", "applies": "always",
           "disclosed_in": ["terms" if base == "cn" else "summary"]}
    doc = build({"base": base, "patch": {
        "channels": ["telemarketing"],
        "offer": {"type": "plan_change", "summary": summary},
        "/fees/0": fee,
        "/materials/-": {"id": "call", "kind": "script", "channel": "telemarketing", "text": script}}})
    if currency:
        doc["currency"] = currency
    return doc


def rules(document: dict, tmp_path) -> set[str]:
    return {f.rule for f in audit_document(document, tmp_path).findings}


@pytest.mark.parametrize("text", [
    "不用额外加钱的，就是把套餐升级成5G",
    "月费基本不变，您只需要说好的",
    "我们免费为您升级5G网络体验",
    "唔使加錢，月費都唔變",          # Cantonese, traditional script
    "It costs nothing extra: no extra cost to you",
    "Your bill stays the same and you get 5G",
    "It won't cost you anything more",
    "a free upgrade to Unlimited Pro",
])
def test_no_increase_claims_are_read(text):
    assert no_increase_claims(normalize(text).text)


@pytest.mark.parametrize("text", [
    "每个月免费送您10GB流量",            # a free gift, not a free upgrade
    "月费89元，比现在每月多50元",
    "Your new price is $60 a month per line",
    "Same great coverage, more data",
])
def test_gifts_and_stated_prices_are_not_no_increase_claims(text):
    assert not no_increase_claims(normalize(text).text)


@pytest.mark.parametrize("text,vague", [
    ("It's only a few dollars more per line", True),
    ("每月就多几块钱", True),
    ("只是贵一点点", True),
    ("It is $15 more per line", False),
])
def test_vague_increases_are_told_from_stated_ones(text, vague):
    assert bool(vague_increase_claims(normalize(text).text)) is vague


@pytest.mark.parametrize("text,amounts", [
    ("您现在每个月二十九元，升级后每个月只多三十块钱", [Decimal(30)]),
    ("just $5 more a month", [Decimal(5)]),
    ("£3 extra", [Decimal(3)]),
    ("您现在每个月二十九元", []),
])
def test_increments_are_the_amounts_said_as_more(text, amounts):
    assert [a for a, _ in stated_increments(normalize(text))] == amounts


CN_SUMMARY = "外呼邀约39元档存量用户升级至89元5G套餐。"


@pytest.mark.parametrize("script", [
    "坐席：每个月免费送您10GB流量，月费基本不变。客户：不加钱吧？坐席：不用额外加钱的阿姨。",
    "您好，为回馈老用户，我们免费为您升级5G网络体验，次月生效，您看可以吗？",
    "您现在每个月三十九元，升级后每个月只多二十块钱，就能用上5G。",   # 39 + 20 is not 89
])
def test_cn_scripts_that_play_the_rise_down_are_flagged(script, tmp_path):
    assert "CNS-005" in rules(plan_change("cn", script, CN_SUMMARY, 89), tmp_path)


@pytest.mark.parametrize("script,summary", [
    # the new price is said
    ("您好，为您推荐5G套餐，月费89元，比您现在的39元每月多50元，您看可以吗？", CN_SUMMARY),
    ("月费基本不变，升级后仍是每月89元。", CN_SUMMARY),
    # the figures add up: 39 + 50 = 89
    ("您现在每个月三十九元，升级后每个月多五十块钱，就能用上5G。", CN_SUMMARY),
    # nothing shows a lower price before the change: the price may truly stay the same
    ("您好，免费为您升级5G网络，月费不变。", "89元套餐用户免费升级5G网络。"),
])
def test_cn_scripts_that_state_or_add_up_the_price_pass(script, summary, tmp_path):
    assert "CNS-005" not in rules(plan_change("cn", script, summary, 89), tmp_path)


def test_an_english_script_saying_a_few_dollars_more_is_flagged_and_its_twin_passes(tmp_path):
    summary = "Outbound calls to customers on Basic ($45/line/mo.) offering Unlimited Pro at $60/line/mo."
    bad = plan_change("uk", "As a valued customer you qualify for an upgrade to Unlimited Pro. It's only a few "
                            "dollars more per line. Shall I set that up?", summary, 60, currency="USD")
    good = plan_change("uk", "As a valued customer you qualify for an upgrade to Unlimited Pro at $60 a month per "
                             "line, $15 more than today. Shall I set that up?", summary, 60, currency="USD")
    assert "CNS-005" in rules(bad, tmp_path)
    assert "CNS-005" not in rules(good, tmp_path)


def test_only_a_plan_change_is_judged(tmp_path):
    doc = plan_change("cn", "您好，免费为您升级5G网络体验，您看可以吗？", CN_SUMMARY, 89)
    doc["offer"]["type"] = "bundle"
    assert "CNS-005" not in rules(doc, tmp_path)


# --- a call script pitches a price as an advert does ------------------------------------------------------------

HK_SCRIPT_FEES = [
    {"id": "plan", "name": "5G月費計劃", "amount": 188, "recurrence": "monthly", "applies": "always",
     "disclosed_in": ["call", "terms"]},
    {"id": "handset", "name": "手機分期（每期）", "amount": 250, "recurrence": "monthly", "applies": "always",
     "disclosed_in": ["terms"]},
]


def test_a_call_script_that_leaves_the_handset_instalments_out_of_its_price_is_drip_pricing(tmp_path):
    doc = build({"base": "cn", "patch": {
        "jurisdiction": "HK", "currency": "HKD", "language": "zh-HK", "channels": ["telemarketing"],
        "/materials/0/channel": "telemarketing", "/materials/1/channel": "telemarketing",
        "/materials/-": {"id": "call", "kind": "script", "channel": "telemarketing",
                         "text": "續約24個月，月費$188全包，仲送你部新iPhone！"}}})
    doc["fees"] = HK_SCRIPT_FEES
    doc["materials"][1]["text"] += " 月費HK$188，手機分期HK$250 x 24期。"
    def drip(document) -> list[str]:
        return [f.location.pointer for f in audit_document(document, tmp_path).findings if f.rule == "FEE-008"]

    assert "/materials/2/text" in drip(doc)
    doc["materials"][2]["text"] = "續約24個月，月費$188，另加手機分期每月$250（24期），每月合共$438。"
    assert "/materials/2/text" not in drip(doc)
