"""Near-miss phrasings that must not raise false alarms, and variants that must still fire.

These complement the examples in checklists/*.yaml with phrasings seen in real
materials (seeds) and regulator guidance.
"""

from __future__ import annotations

import pytest
from helpers import audit_document

from auditor.examples import build


def rules_fired(document, tmp_path):
    return {(f.rule, f.location.pointer) for f in audit_document(document, tmp_path).findings}


def test_provider_named_by_the_core_of_its_company_name(tmp_path):
    doc = build({"base": "cn", "patch": [
        {"/fees/-": {"id": "sp", "name": "信息费", "amount": 1, "recurrence": "per_use", "charged_by": "third_party",
                     "provider": "天晴信息科技有限公司", "disclosed_in": ["ad"]}},
        {"/materials/0/text": "10GB流量包前12个月5元/月，之后10元/月。天气短信由天晴提供，信息费1元/条。可随时发送QXLL到10086取消。"},
    ]})
    assert not {r for r, _ in rules_fired(doc, tmp_path)} & {"FEE-004", "FEE-001"}


def test_trial_end_notice_that_states_the_price_is_no_contradiction(tmp_path):
    doc = build({"base": "uk", "patch": {
        "/end_of_term/behavior": "convert_to_paid",
        "/end_of_term/notifications/0/text": "Your intro offer will end on {end_date}; after that your plan is £12/month. "
                                             "See your best deals in the app."}})
    assert not {r for r, _ in rules_fired(doc, tmp_path)} & {"EXP-006", "CNS-004"}


@pytest.mark.parametrize("text", [
    "如有疑问请拨打免费咨询热线10086。",
    "退订免费，可随时发送QXLL到10086。",
    "Cancel free of charge at any time online.",
    "Call our toll-free number 0800 123 456.",
])
def test_free_that_is_not_a_price_claim(text, tmp_path):
    doc = build({"base": "cn", "patch": {"/materials/-": {"id": "x", "kind": "advert", "channel": "web", "text": text}}})
    assert "FEE-007" not in {r for r, _ in rules_fired(doc, tmp_path)}


@pytest.mark.parametrize("text,fires", [
    ("最好在到期前办理续订。", False),
    ("最快次日生效。", False),
    ("我们会第一时间通知您。", False),
    ("每月最低消费58元。", False),
    ("网速最快，资费最低！", True),
    ("國家級品質，最佳選擇。", True),
])
def test_absolute_terms_in_context(text, fires, tmp_path):
    doc = build({"base": "cn", "patch": {"/materials/-": {"id": "x", "kind": "poster", "channel": "store", "text": text}}})
    assert ("CLM-001" in {r for r, _ in rules_fired(doc, tmp_path)}) is fires


@pytest.mark.parametrize("text,fires", [
    ("中国联通用户也能办理。", True),
    ("中華電信用戶專享。", True),
    ("比聯通更便宜！", True),
    ("网速比友商快一倍。", True),
    ("Cheaper than other networks.", True),
    ("移动互联网时代，流量更重要。", False),
    ("依据《中华人民共和国电信条例》办理。", False),
    ("网络联通性好，信号稳定。", False),
    ("Three months of free calls.", False),
    ("Our router model EE-2000 is included.", False),
])
def test_competitor_mentions(text, fires, tmp_path):
    doc = build({"base": "cn", "patch": {"/materials/-": {"id": "x", "kind": "poster", "channel": "store", "text": text}}})
    found = {r for r, _ in rules_fired(doc, tmp_path)} & {"CMP-001", "CMP-002"}
    assert bool(found) is fires, found


def test_own_brand_is_never_a_competitor(tmp_path):
    doc = build({"base": "cn", "patch": {"/materials/-": {
        "id": "x", "kind": "poster", "channel": "store", "text": "中国移动、China Mobile 和 CMCC 都是我们，比以前更快。"}}})
    assert not {r for r, _ in rules_fired(doc, tmp_path)} & {"CMP-001", "CMP-002"}


def test_decimal_comma_prices_count_as_stated(tmp_path):
    doc = build({"base": "uk", "patch": {"jurisdiction": "EU", "currency": "EUR",
                                         "/fees/0/amount": 12.99, "/fees/0/promo_amount": 8.5}})
    doc["materials"][0]["text"] = ("30GB SIM-only für 8,50 € pro Monat für 6 Monate, danach 12,99 €/Monat. "
                                   "12-month contract; leaving early costs €24. Cancel any time online.")
    doc["materials"][1]["text"] = doc["materials"][0]["text"]
    fired = {r for r, _ in rules_fired(doc, tmp_path)}
    assert not fired & {"FEE-001", "FEE-003", "FEE-002"}


def test_paraphrased_eligibility_condition_counts_as_stated(tmp_path):
    doc = build({"base": "cn", "patch": {"/offer/eligibility": [
        {"condition": "社区申办户数须达到50户", "disclosed_in": ["terms"]}]}})
    doc["materials"][0]["text"] += "本优惠需社区申办户数达到50户后生效。"
    assert "TER-002" not in {r for r, _ in rules_fired(doc, tmp_path)}
    doc["materials"][0]["text"] = doc["materials"][0]["text"].replace("本优惠需社区申办户数达到50户后生效。", "")
    assert "TER-002" in {r for r, _ in rules_fired(doc, tmp_path)}


def test_the_real_c3_sms_contradicts_a_renewal(tmp_path):
    """The Chunghwa SMS of case C3 (seed 003), as the customer quoted it."""
    doc = build({"base": "cn", "patch": {
        "/end_of_term/behavior": "convert_to_paid",
        "/end_of_term/notifications/0/text": "您的mPro服務即將屆滿，如果您希望繼續使用該項服務的話，請撥打服務電話申請。",
        "/end_of_term/notifications/1/text": "屆滿一年即將取消服務了，如果要繼續使用，必須打電話提出申請。"}})
    fired = {p for r, p in rules_fired(doc, tmp_path) if r == "EXP-006"}
    assert fired == {"/end_of_term/notifications/0/text", "/end_of_term/notifications/1/text"}


def test_cancel_instructions_in_a_renewal_notice_are_no_contradiction(tmp_path):
    doc = build({"base": "cn", "patch": {
        "/end_of_term/behavior": "auto_renew",
        "/end_of_term/notifications/0/text": "您的服务将于{到期日}到期后自动续订，每月10元。如需取消服务，请回复TD。"}})
    assert "EXP-006" not in {r for r, _ in rules_fired(doc, tmp_path)}


def test_operator_reminder_template_after_c1_says_what_happens(tmp_path):
    """The reminder China Mobile Tibet built after case C1 (seed 000) tells what happens next."""
    doc = build({"base": "cn", "patch": {
        "/end_of_term/behavior": "auto_cancel",
        "/end_of_term/notifications/0/text": "您参加的“心语心愿”活动将于3月31日到期，到期后不再享受相关业务优惠，详询10086。"}})
    fired = {r for r, p in rules_fired(doc, tmp_path) if p.startswith("/end_of_term/notifications/0")}
    assert not fired & {"EXP-004", "EXP-006", "EXP-003"}
