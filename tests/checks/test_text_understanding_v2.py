"""Text understanding v2 (issue #16): each class of text the auditor misread on campaigns written without
sight of the rules, with a campaign that must trigger and a compliant twin that must not.

Every test here failed before the change it covers (dates in the reader's order, prices as people write
them, rates vs terms, rivals by implication, absolute words in names, superlatives outside China, drip
pricing, promotional prices, "no lock-in" contradictions, waivers of statutory rights, negated
continuations)."""

from __future__ import annotations

import pytest
from helpers import audit_document

from auditor.examples import build


def rules(document: dict, tmp_path) -> dict[str, list]:
    out: dict[str, list] = {}
    for finding in audit_document(document, tmp_path).findings:
        out.setdefault(finding.rule, []).append(finding)
    return out


def uk(text: str, kind: str = "advert", **patch) -> dict:
    return build({"base": "uk", "patch": {"/materials/-": {"id": "x", "kind": kind, "channel": "web", "text": text},
                                          **patch}})


def cn(text: str, kind: str = "advert", **patch) -> dict:
    return build({"base": "cn", "patch": {"/materials/-": {"id": "x", "kind": kind, "channel": "web", "text": text},
                                          **patch}})


def with_reminder(base: str, jurisdiction: str, text: str, **extra) -> dict:
    doc = build({"base": base})
    doc["jurisdiction"] = jurisdiction
    doc.update(extra)
    doc["end_of_term"]["notifications"] = [{"days_before": 30, "channel": "sms", "text": text}]
    return doc


# --- dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("base,jurisdiction,language,text", [
    ("uk", "UK", "en-GB", "Your Northwind intro price ends on 31/03/2027. From then your plan costs £12/month."),
    ("uk", "UK", "en-GB", "Your Northwind intro price ends on Wed 31-Mar-2027. From then your plan costs £12/month."),
    ("uk", "US", "en-US", "Your Northwind intro price ends on 03/31/2027. From then your plan costs £12/month."),
    ("cn", "TW", "zh-TW", "您的流量包優惠將於民國116年3月31日到期，到期後恢復標準資費10元/月。"),
    ("cn", "TW", "zh-TW", "您的流量包優惠將於116/03/31到期，到期後恢復標準資費10元/月。"),
    ("cn", "CN", "zh-CN", "您的流量包优惠将于2027.3.31到期，到期后恢复标准资费10元/月。"),
])
def test_a_reminder_stating_its_end_date_as_people_write_it_states_it(base, jurisdiction, language, text, tmp_path):
    doc = with_reminder(base, jurisdiction, text, language=language)
    assert "EXP-003" not in rules(doc, tmp_path)


def test_a_reminder_without_a_date_is_still_flagged(tmp_path):
    doc = with_reminder("uk", "UK", "Your Northwind intro price ends soon. From then your plan costs £12/month.")
    assert "EXP-003" in rules(doc, tmp_path)


def test_a_roc_style_date_means_nothing_outside_taiwan(tmp_path):
    doc = with_reminder("uk", "UK", "Your Northwind intro price ends on 116/03/31. From then your plan costs £12/month.")
    assert "EXP-003" in rules(doc, tmp_path)


# --- prices -----------------------------------------------------------------------------------------------

def test_an_amount_run_into_a_product_word_is_stated(tmp_path):
    doc = build({"base": "cn", "patch": [
        {"/fees/-": {"id": "gprs", "name": "GPRS数据流量套餐", "amount": 6, "recurrence": "monthly",
                     "disclosed_in": ["terms"]}},
        {"/materials/1/text": "优惠期12个月，期间流量包月费5元/月；期满后按标准资费10元/月收取，须开通6元GPRS数据流量套餐。"
                              "到期前30天和7天短信提醒。如需取消，可随时通过中国移动APP、短信或营业厅办理，次月生效。"}]})
    found = rules(doc, tmp_path)
    assert "FEE-002" not in found and "FEE-001" not in found


def test_an_amount_nowhere_is_still_unstated(tmp_path):
    doc = build({"base": "cn", "patch": [
        {"/fees/-": {"id": "gprs", "name": "GPRS数据流量套餐", "amount": 6, "recurrence": "monthly",
                     "disclosed_in": ["terms"]}}]})
    found = rules(doc, tmp_path)
    assert "FEE-002" in found and "FEE-001" in found


def test_a_bare_number_after_a_price_word_is_a_price(tmp_path):
    doc = cn("流量包月费10，前12个月月租5，第13个月起恢复标准资费。")
    assert "CNS-001" not in rules(doc, tmp_path)
    assert "CNS-001" in rules(cn("流量包月租58，前12个月5元/月，第13个月起10元/月。"), tmp_path)


# --- terms, rates and frequencies ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "30GB for £8/month for your first 6 months, then £12/month, with a free data boost every 3 months.",
    "For your first 6 months your plan costs £8/month plus £2 a week for the optional roaming pass.",
])
def test_rates_and_frequencies_are_not_promotional_terms(text, tmp_path):
    assert "CNS-003" not in rules(uk(text), tmp_path)


def test_a_different_term_is_still_flagged(tmp_path):
    assert "CNS-003" in rules(uk("30GB for £8/month for your first 9 months, then £12/month."), tmp_path)


# --- rivals by implication ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "流量包前12个月5元/月，之后10元/月，比其他網絡商平一半！",
    "别家套餐处处是坑，我们前12个月5元/月，之后10元/月。",
    "流量包前12个月5元/月，之后10元/月。其他業者收費不透明、帳單處處是陷阱。",
])
def test_generic_and_collective_rivals_in_a_comparison_or_put_down(text, tmp_path):
    assert "CMP-002" in rules(cn(text), tmp_path)


def test_the_big_telcos_put_down_in_english(tmp_path):
    assert "CMP-002" in rules(uk("The big telcos rip you off. 30GB for £8/month for 6 months, then £12/month."),
                              tmp_path)


@pytest.mark.parametrize("text", [
    "中国联通用户支持携号转网，前12个月5元/月，之后10元/月，营业厅均可办理。",
    "其他运营商用户也可办理，前12个月5元/月，之后10元/月。",
])
def test_a_porting_instruction_or_a_neutral_mention_is_no_comparison(text, tmp_path):
    assert "CMP-002" not in rules(cn(text), tmp_path)


def test_keeping_your_number_is_no_comparison(tmp_path):
    doc = uk("Keep your number when you move from Vodafone: 30GB for £8/month for 6 months, then £12/month.")
    assert "CMP-002" not in rules(doc, tmp_path)


# --- absolute words in names, citations and figures ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "本公司参照最高人民法院指导案例第64号，对话费有效期事项予以明确提示。前12个月5元/月，之后10元/月。",
    "依据《关于最高额度的规定》明码标价，前12个月5元/月，之后10元/月。",
    "提前解约的违约金最高480元；前12个月5元/月，之后10元/月。",
    "办理后最高可享100GB定向流量，前12个月5元/月，之后10元/月。",
])
def test_absolute_words_in_names_citations_and_caps_are_no_claim(text, tmp_path):
    assert "CLM-001" not in rules(cn(text), tmp_path)


@pytest.mark.parametrize("text", ["全网最低价！前12个月5元/月，之后10元/月。", "全网最准的天气服务，前12个月5元/月，之后10元/月。",
                                  "网速最快，前12个月5元/月，之后10元/月。"])
def test_absolute_claims_are_still_claims(text, tmp_path):
    assert "CLM-001" in rules(cn(text), tmp_path)


# --- superlatives outside China ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["The best network in Britain. 30GB for £8/month for 6 months, then £12/month.",
                                  "#1 for value! 30GB for £8/month for 6 months, then £12/month."])
def test_unsubstantiated_superlatives_are_flagged(text, tmp_path):
    assert "CLM-006" in rules(uk(text), tmp_path)


def test_superlatives_in_taiwan_and_hong_kong(tmp_path):
    for jurisdiction, text in (("TW", "全台最快5G！前12个月5元/月，之后10元/月。"), ("HK", "全港最平！前12个月5元/月，之后10元/月。")):
        doc = cn(text)
        doc["jurisdiction"] = jurisdiction
        assert "CLM-006" in rules(doc, tmp_path), jurisdiction


def test_a_superlative_with_its_basis_passes(tmp_path):
    doc = uk("The fastest 5G in Britain, according to Opensignal's March 2026 report. 30GB for £8/month for 6 "
             "months, then £12/month.")
    assert "CLM-006" not in rules(doc, tmp_path)


# --- drip pricing, promotional prices -----------------------------------------------------------------------

def _with_admin_fee(text: str) -> dict:
    doc = uk(text)
    doc["fees"].append({"id": "admin", "name": "Network access fee", "amount": 3, "recurrence": "monthly",
                        "disclosed_in": ["summary"]})
    doc["materials"][1]["text"] += " Network access fee £3/month."
    doc["materials"] = [m for m in doc["materials"] if m["id"] != "web"]  # the advert under test is the only one
    doc["fees"][0]["disclosed_in"] = ["summary"]
    return doc


def test_a_headline_price_without_a_mandatory_fee_is_drip_pricing(tmp_path):
    found = rules(_with_admin_fee("30GB for £8/month for 6 months, then £12/month."), tmp_path)
    assert "FEE-008" in found


def test_a_headline_price_with_every_mandatory_fee_passes(tmp_path):
    found = rules(_with_admin_fee("30GB for £8/month for 6 months, then £12/month, plus a £3/month network access "
                                  "fee."), tmp_path)
    assert "FEE-008" not in found


def test_an_optional_fee_is_no_part_of_the_headline(tmp_path):
    doc = uk("30GB for £8/month for 6 months, then £12/month.")
    doc["fees"].append({"id": "cap", "name": "Optional roaming add-on", "amount": 5, "recurrence": "monthly",
                        "disclosed_in": ["summary"]})
    doc["materials"][1]["text"] += " Optional roaming add-on £5/month."
    assert "FEE-008" not in rules(doc, tmp_path)


def test_a_promotional_price_without_duration_or_full_price(tmp_path):
    assert "FEE-009" in rules(uk("30GB SIM-only, just £8/month!"), tmp_path)
    assert "FEE-009" not in rules(uk("30GB SIM-only, just £8/month for 6 months, then £12/month!"), tmp_path)


# --- contradictions and void clauses -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["No lock-in! 30GB for £8/month for 6 months, then £12/month.",
                                  "No exit fees - 30GB for £8/month for 6 months, then £12/month."])
def test_no_lock_in_while_a_commitment_binds(text, tmp_path):
    assert "CLM-005" in rules(uk(text), tmp_path)


def test_no_lock_in_in_traditional_chinese(tmp_path):
    doc = cn("無綁約，前12个月5元/月，之后10元/月。")
    doc["offer"]["commitment"] = {"months": 12, "early_termination_fee": 100}
    assert "CLM-005" in rules(doc, tmp_path)


def test_no_lock_in_when_nothing_binds_or_after_the_period(tmp_path):
    doc = uk("No lock-in! 30GB for £8/month for 6 months, then £12/month.")
    del doc["offer"]["commitment"]
    assert "CLM-005" not in rules(doc, tmp_path)
    assert "CLM-005" not in rules(uk("From month 13 you can leave any time with 30 days' notice."), tmp_path)


def test_a_clause_waiving_the_review_period(tmp_path):
    contract = "本人已詳閱並同意本契約全部條款，並自願放棄審閱期。"
    assert "TER-005" in rules(cn(contract, kind="contract"), tmp_path)
    assert "TER-005" not in rules(cn("本契約已於簽約前交付客戶審閱，審閱期為3日。", kind="contract"), tmp_path)


# --- negated continuation -----------------------------------------------------------------------------------

def test_a_negated_continuation_says_the_charge_ends(tmp_path):
    doc = with_reminder("uk", "US", "Your last $22.22 bill credit appears on your 11/30/2029 bill, and after that "
                                    "there's no device payment at all.", language="en-US")
    doc["end_of_term"]["behavior"] = "auto_cancel"
    assert "EXP-006" not in rules(doc, tmp_path)
    doc["end_of_term"]["notifications"][0]["text"] = ("Your bill credit ends on 11/30/2029; after that you will be "
                                                      "charged $12/month.")
    assert "EXP-006" in rules(doc, tmp_path)
