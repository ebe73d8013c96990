"""Text understanding v11 (issue #16, eleventh round, 1 December 2026): each change with a campaign that must
trigger and a twin that must not. Every must-trigger and must-pass case a change was made for failed before it
(checked by stashing the change)."""

from __future__ import annotations

import pytest
from helpers import audit_document
from helpers import rule_ids as rules

from auditor.examples import build
from auditor.text.dates import find_dates, find_durations
from auditor.text.normalize import normalize as norm


def _pointers(doc: dict, tmp_path, rule: str) -> set[str]:
    return {f.location.pointer for f in audit_document(doc, tmp_path).findings if f.rule == rule}


# --- Dates written in words: Chinese numerals, ROC years in numerals, English ordinals ----------------------------


@pytest.mark.parametrize("text, order, date", [
    ("合约于二〇二七年三月三十一日到期", "dmy", (2027, 3, 31)),
    ("本优惠二零二七年十二月一日起失效", "dmy", (2027, 12, 1)),
    ("方案於民國一一六年三月三十一日到期", "roc", (2027, 3, 31)),
    ("方案於民國一百一十六年三月三十一日到期", "roc", (2027, 3, 31)),
    ("方案於一一六年三月三十一日到期", "roc", (2027, 3, 31)),  # a Taiwanese text needs no 民國
    ("your plan ends on the thirty-first of march 2027", "dmy", (2027, 3, 31)),
    ("it ends march thirty-first, 2027", "mdy", (2027, 3, 31)),
    ("that's the twenty-second of may", "dmy", (None, 5, 22)),
    ("ends on the 31st of march", "dmy", (None, 3, 31)),
    ("from may the first", "dmy", (None, 5, 1)),
])
def test_a_date_written_in_words_is_read(text, order, date):
    found = [(d.year, d.month, d.day) for d in find_dates(norm(text), order)]
    assert found == [date]


@pytest.mark.parametrize("text, order", [
    ("you may first call us to check", "dmy"),  # the verb, not the month
    ("一一六年三月三十一日", "dmy"),  # a three-digit year outside Taiwan is no year
    ("the first month is free", "dmy"),
    ("三个月内", "dmy"),
])
def test_words_that_are_no_date_are_not_read_as_one(text, order):
    assert find_dates(norm(text), order) == []


def test_a_year_in_chinese_numerals_is_no_duration():
    assert find_durations(norm("二〇二七年三月三十一日到期")) == []
    assert find_durations(norm("二〇二七年底前办理")) == []  # 2027 years is a calendar year, not a term
    assert [(d.value, d.unit) for d in find_durations(norm("合约期两年"))] == [(2, "years")]


def _uk_reminder(text: str) -> dict:
    return build({"base": "uk", "patch": {"/end_of_term/notifications/1/text": text}})


@pytest.mark.parametrize("text, flagged", [
    ("Your Northwind intro price ends on the thirty-first of March 2027. From then your plan costs £12/month.", False),
    ("Your Northwind intro price ends soon. From then your plan costs £12/month.", True),  # no end date at all
])
def test_a_reminder_stating_its_end_date_in_words_states_it(tmp_path, text, flagged):
    assert ("EXP-003" in rules(_uk_reminder(text), tmp_path)) is flagged


def _cn_reminder(text: str) -> dict:
    return build({"base": "cn", "patch": {"/end_of_term/notifications/0/text": text}})


def test_a_chinese_reminder_with_the_date_in_numerals_states_it(tmp_path):
    text = "【中国移动】您的10GB流量包优惠将于二〇二七年三月三十一日到期，到期后恢复标准资费10元/月。如需取消，请发送QXLL到10086。"
    assert "EXP-003" not in rules(_cn_reminder(text), tmp_path)


# --- CNS-002: "ends on" gives the sign-up window only when the offer ends, not the customer's plan ---------------


def _uk_script(text: str) -> dict:
    return build({"base": "uk", "patch": {"/materials/-": {"id": "x", "kind": "script", "channel": "telemarketing",
                                                             "text": text}}})


def test_the_customers_own_plan_ending_is_no_offer_date(tmp_path):
    text = ("Hi, it's Northwind. Your two-year plan ends on the twenty-fifth of November. You don't have to do "
            "anything: you'd stay on 30GB at twelve pounds a month.")
    assert "CNS-002" not in rules(_uk_script(text), tmp_path)


@pytest.mark.parametrize("text", [
    "Hi, it's Northwind. Our spring deal ends on the twenty-fifth of November, so sign up today.",
    "Hi, it's Northwind. This offer ends on 25 November, so sign up today.",
])
def test_an_offer_ending_outside_the_window_is_still_flagged(tmp_path, text):
    assert "CNS-002" in rules(_uk_script(text), tmp_path)


# --- Prices spoken in words without a currency: credit for stating them, never blame for what they advertise -----


@pytest.mark.parametrize("text, amount", [
    ("it's twenty-nine ninety-nine a month for the first year", "29.99"),
    ("you'd stay on 100 gig at fifteen-fifty a month", "15.5"),
    ("it goes up to forty-five a month after that", "45"),
    ("for one hundred and twenty a year", "120"),
    ("twenty-seven fifty for the phone, plus twenty-nine upfront", "27.5"),
])
def test_a_price_spoken_without_its_currency_is_read(text, amount):
    from decimal import Decimal

    from auditor.text.money import find_money

    found = find_money(norm(text))
    assert found and found[0].amount == Decimal(amount) and found[0].spoken


@pytest.mark.parametrize("text", [
    "you get five a month",  # a count of something else: no price word leads to it
    "since nineteen ninety-nine we have served the town",
    "two hundred and twenty-five customers a month",
])
def test_numbers_in_words_that_are_no_price_are_not_read_as_one(text):
    from auditor.text.money import find_money

    assert find_money(norm(text)) == []


def test_one_forty_a_month_may_be_a_hundred_and_forty():
    from decimal import Decimal

    from auditor.text.money import find_money

    (money,) = find_money(norm("that's one-forty a month for the four lines"))
    assert money.matches(Decimal("140"), "USD") and money.matches(Decimal("1.40"), "USD")


def _uk_with_script(text: str, **fee_changes) -> dict:
    doc = build({"base": "uk", "patch": {"/materials/-": {"id": "x", "kind": "script", "channel": "telemarketing",
                                                            "text": text}}})
    doc["fees"][0]["disclosed_in"] = ["web", "summary", "x"]
    doc["fees"][0].update(fee_changes)
    return doc


def test_a_script_saying_the_price_in_words_states_the_fee_it_is_said_to_disclose(tmp_path):
    text = ("Agent: It's eight a month for your first six months, then twelve a month after that. It's a twelve-month "
            "contract and leaving early costs twenty-four pounds.")
    assert "FEE-002" not in rules(_uk_with_script(text), tmp_path)


def test_a_script_saying_another_price_is_still_flagged_for_the_fee_it_leaves_out(tmp_path):
    text = "Agent: It's nine ninety-nine a month for your first six months. It's a twelve-month contract."
    assert "/fees/0/disclosed_in/2" in _pointers(_uk_with_script(text), tmp_path, "FEE-002")


def _uk_connection_script(text: str) -> dict:
    doc = _uk_with_script(text)
    doc["fees"].append({"id": "connect", "name": "Connection fee", "amount": 25, "recurrence": "one_time",
                        "applies": "during_term", "disclosed_in": ["web", "summary"]})
    doc["materials"][0]["text"] += " Plus a one-off £25 connection fee."
    doc["materials"][1]["text"] += " One-off connection fee £25."
    return doc


def test_a_price_spoken_in_words_advertises_nothing_a_fee_is_left_out_of(tmp_path):
    text = "Agent: It's eight a month for your first six months, then twelve a month. Twelve-month contract."
    assert "/materials/2/text" not in _pointers(_uk_connection_script(text), tmp_path, "FEE-008")


def test_a_price_written_in_figures_in_the_script_still_needs_the_connection_fee(tmp_path):
    text = "Agent: It's £8/month for your first 6 months, then £12/month. Twelve-month contract."
    assert "/materials/2/text" in _pointers(_uk_connection_script(text), tmp_path, "FEE-008")


# --- Competitors: a porting instruction goes on after a semicolon ------------------------------------------------


def _cn_port(text: str) -> dict:
    return build({"base": "cn", "patch": {"/materials/-": {"id": "x", "kind": "landing_page", "channel": "web",
                                                            "text": text}}})


def test_the_clause_after_a_semicolon_in_a_porting_instruction_names_no_rival_to_compare(tmp_path):
    text = ("携号转网办理指引：\n1. 向原运营商查询是否具备转网条件、获取授权码（例如原为中国电信用户可发送“SQXZ#姓名#证件号码”至10001；"
            "原为中国联通用户发送至10010）；\n2. 凭授权码和身份证到营业厅办理。")
    assert not {"CMP-001", "CMP-002"} & rules(_cn_port(text), tmp_path)


def test_a_rival_named_outside_any_porting_instruction_is_still_flagged(tmp_path):
    text = "10GB流量包前12个月仅需5元/月；中国联通同档套餐要20元/月。"
    assert {"CMP-001", "CMP-002"} & rules(_cn_port(text), tmp_path)


# --- CON-001: a prepaid purchase is the customer's consent -----------------------------------------------------


def _prepaid(fees: list[dict], behavior: str = "revert_to_standard") -> dict:
    doc = build({"base": "cn", "patch": {"/consent/method": "none", "/offer/type": "prepaid_bonus",
                                         "/end_of_term/behavior": behavior}})
    doc["fees"] = fees
    return doc


_RECHARGE = {"id": "recharge", "name": "充值100元送20元", "amount": 100, "recurrence": "per_use"}


def test_a_prepaid_recharge_bonus_needs_no_separate_consent(tmp_path):
    calls = {"id": "calls", "name": "国内通话", "amount": 0.1, "recurrence": "per_unit", "unit": "minute"}
    assert "CON-001" not in rules(_prepaid([_RECHARGE, calls]), tmp_path)


@pytest.mark.parametrize("fees, behavior", [
    ([_RECHARGE, {"id": "vas", "name": "视频会员", "amount": 15, "recurrence": "monthly"}], "revert_to_standard"),
    ([_RECHARGE, {"id": "sp", "name": "天气短信", "amount": 3, "recurrence": "per_use", "charged_by": "third_party",
                  "provider": "某信息技术公司"}], "revert_to_standard"),
    ([_RECHARGE], "auto_renew"),
])
def test_a_prepaid_offer_billing_on_a_schedule_or_for_a_third_party_still_needs_consent(tmp_path, fees, behavior):
    assert "CON-001" in rules(_prepaid(fees, behavior), tmp_path)


# --- CLM-004: "option" in a fee's name is no option when the option is what the offer sells ---------------------


def _eu_option(fee_name: str) -> dict:
    doc = build({"base": "uk", "patch": {
        "/jurisdiction": "EU", "/language": "fr-FR", "/currency": "EUR", "/name": "Option Ciné+ : 3 mois offerts",
        "/offer/summary": "L'option Ciné+ gratuite pendant 3 mois, puis 9,99 €/mois.",
        "/materials/0/text": "L'option Ciné+ GRATUITE pendant 3 mois, puis 9,99 €/mois, sans engagement."}})
    doc["fees"] = [{"id": "option", "name": "Abonnement option Ciné+", "amount": 9.99, "promo_amount": 0,
                    "recurrence": "monthly", "disclosed_in": ["web", "summary"]},
                   {"id": "mes", "name": fee_name, "amount": 4.99, "recurrence": "one_time", "disclosed_in": ["summary"]}]
    doc["offer"].pop("commitment", None)
    return doc


def test_the_activation_fee_of_the_option_on_offer_makes_free_untrue(tmp_path):
    assert "/materials/0/text" in _pointers(_eu_option("Frais de mise en service de l'option Ciné+"), tmp_path,
                                            "CLM-004")


def test_a_fee_for_another_option_is_still_optional(tmp_path):
    assert "/materials/0/text" not in _pointers(_eu_option("Frais de mise en service de l'option Sport+"), tmp_path,
                                                "CLM-004")


# --- CON-007: a pass that renews for a further fixed period is a fixed-term renewal (HK) -------------------------


def _hk_pass(summary: str) -> dict:
    doc = build({"base": "uk", "patch": {"/jurisdiction": "HK", "/currency": "HKD", "/end_of_term/behavior": "auto_renew",
                                         "/offer/summary": summary}})
    doc["offer"].pop("commitment", None)
    return doc


def test_a_pass_renewing_for_a_further_twelve_months_needs_the_customers_agreement(tmp_path):
    summary = "A 12-month MusicBox pass for HK$38/month; at the end it renews for a further 12 months at HK$58/month."
    assert "CON-007" in rules(_hk_pass(summary), tmp_path)


def test_a_pass_that_rolls_on_month_to_month_is_no_fixed_term_renewal(tmp_path):
    summary = "A 6-month MusicBox pass for HK$38/month; afterwards it continues month to month at HK$58/month."
    assert "CON-007" not in rules(_hk_pass(summary), tmp_path)


# --- Contract phrasing: a number repeated in words, a currency word after the monthly label ---------------------


def test_a_length_repeated_in_words_is_read():
    assert [(d.value, d.unit) for d in find_durations(norm("a minimum term of 24 (twenty-four) months"))] == [
        (24, "months")]


def test_the_monthly_rent_with_its_currency_word_is_a_monthly_price():
    from auditor.text.money import find_money

    assert [(str(m.amount), m.period) for m in find_money(norm("月租費新臺幣伍佰玖拾玖元整"))] == [("599", "month")]


# --- TER-002: who may buy belongs before sign-up, not in the contract summary -----------------------------------


def _uk_condition(condition: str, disclosed_in: list[str]) -> dict:
    return build({"base": "uk", "patch": {"/offer/eligibility": [{"condition": condition, "disclosed_in": disclosed_in}]}})


def test_a_plain_precondition_need_not_be_restated_in_the_contract_summary(tmp_path):
    doc = _uk_condition("New Northwind customers at an address on our full-fibre network.", ["web"])
    doc["materials"][0]["text"] += " For new customers at an address on our full-fibre network."
    assert "TER-002" not in rules(doc, tmp_path)


def test_a_plain_precondition_said_in_no_material_before_sign_up_is_still_flagged(tmp_path):
    doc = _uk_condition("New Northwind customers at an address on our full-fibre network.", [])
    assert "TER-002" in rules(doc, tmp_path)


# --- CLM-002: a fair-use policy by name ("Fair Go Policy") sets no cap ----------------------------------------


def _au_unlimited(web: str) -> dict:
    return build({"base": "uk", "patch": {"/jurisdiction": "AU", "/currency": "AUD",
                                         "/offer/summary": "Home nbn 100 plan, $69/month for 6 months, then $89/month.",
                                         "/materials/0/text": web}})


def test_unlimited_nbn_data_under_a_fair_go_policy_is_truthful(tmp_path):
    doc = _au_unlimited("Home nbn 100: unlimited data, $69/mth for 6 months then $89/mth.")
    doc["materials"][1]["text"] += (" Unlimited data is for personal use in line with our Fair Go Policy (no re-sale, "
                                    "no server hosting).")
    assert "CLM-002" not in rules(doc, tmp_path)


def test_unlimited_with_a_fair_go_cap_elsewhere_is_still_flagged(tmp_path):
    doc = _au_unlimited("Home nbn 100: unlimited data, $69/mth for 6 months then $89/mth.")
    doc["materials"][1]["text"] += " Fair Go Policy: after 500GB in a month speeds are slowed to 1Mbps."
    assert "/materials/0/text" in _pointers(doc, tmp_path, "CLM-002")


# --- FEE-008: a charge only some addresses pay is not mandatory ------------------------------------------------


def _uk_with_fee(name: str) -> dict:
    doc = build({"base": "uk"})
    doc["fees"].append({"id": "ndc", "name": name, "amount": 300, "recurrence": "one_time",
                        "disclosed_in": ["summary"]})
    return doc


@pytest.mark.parametrize("name, flagged", [
    ("New Development Charge (new estates only)", False),
    ("New connection charge", True),  # everyone pays it
])
def test_a_charge_for_new_estates_only_is_not_left_out_of_the_price(tmp_path, name, flagged):
    assert ("FEE-008" in rules(_uk_with_fee(name), tmp_path)) is flagged


# --- TER-003: the channels to sign up through, listed ----------------------------------------------------------


def _cn_opt_in(text: str) -> dict:
    return build({"base": "cn", "patch": {"/offer/requires_opt_in": True, "/materials/0/text": text}})


@pytest.mark.parametrize("text, flagged", [
    ("存200送240，每月返还20元，连续12个月。参与条件：主套餐月费39元及以上。办理渠道：营业厅、APP。", False),
    ("存200送240，每月返还20元，连续12个月。参与条件：主套餐月费39元及以上。", True),  # no way to apply
])
def test_listed_channels_to_sign_up_through_say_how_to_apply(tmp_path, text, flagged):
    assert ("TER-003" in rules(_cn_opt_in(text), tmp_path)) is flagged


# --- TER-001: "stays active 12 months after the last top-up"; a prepaid pack sold without terms ---------------


def _eu_validity(terms: str, months: int = 12) -> dict:
    doc = build({"base": "uk", "patch": {"/jurisdiction": "EU", "/language": "it-IT", "/currency": "EUR",
                                         "/materials/1/text": terms}})
    doc["validity_limits"] = [{"subject": "prepaid_balance", "months": months, "disclosed_in": ["summary"]}]
    return doc


@pytest.mark.parametrize("terms, flagged", [
    ("Sintesi contrattuale. Offerta ricaricabile. La SIM resta attiva 12 mesi dall'ultima ricarica.", False),
    ("Sintesi contrattuale. Offerta ricaricabile. Nessun vincolo di durata.", True),  # no validity said
])
def test_a_line_that_stays_active_so_long_states_the_balance_validity(tmp_path, terms, flagged):
    assert ("TER-001" in rules(_eu_validity(terms), tmp_path)) is flagged


def _us_pack(web: str) -> dict:
    doc = build({"base": "uk", "patch": {"/jurisdiction": "US", "/language": "en-US", "/currency": "USD",
                                         "/materials/0/text": web}})
    doc["materials"] = [doc["materials"][0]]
    for fee in doc["fees"]:
        fee["disclosed_in"] = ["web"]
    doc["validity_limits"] = [{"subject": "allowance", "days": 30, "disclosed_in": ["web"]}]
    return doc


def test_a_pack_sold_without_terms_states_its_validity_where_it_is_sold(tmp_path):
    web = "20GB high-speed data every 30 days; unused data expires at the end of each 30-day cycle. $25/mo."
    assert "TER-001" not in rules(_us_pack(web), tmp_path)


def test_a_pack_sold_without_terms_that_states_no_validity_is_still_flagged(tmp_path):
    assert "TER-001" in rules(_us_pack("20GB high-speed data for $25/mo."), tmp_path)


# --- Money on separate lines; more spoken prices -----------------------------------------------------------------


def test_a_currency_sign_does_not_reach_back_over_a_line_break():
    from auditor.text.money import find_money

    found = [(str(m.amount), sorted(m.currencies)) for m in find_money(norm("Corrib Fibre 500\n€30 a month"))]
    assert found == [("30", ["EUR"])]


@pytest.mark.parametrize("text, amount", [
    ("there's also a three forty-nine Regulatory Cost Recovery Fee per line", "3.49"),
    ("that's twenty-three oh six a month for thirty-six months", "23.06"),
])
def test_more_prices_spoken_without_a_currency_are_read(text, amount):
    from decimal import Decimal

    from auditor.text.money import find_money

    assert [m.amount for m in find_money(norm(text))] == [Decimal(amount)]


def test_the_advertised_price_with_a_free_extra_on_the_next_line_is_stated(tmp_path):
    doc = build({"base": "uk", "patch": {"/jurisdiction": "EU", "/currency": "EUR",
                                         "/materials/0/text": "Corrib Fibre 500\n€8 a month for 6 months, then €12 a "
                                                              "month. 12-month contract.\n✓ €0 installation"}})
    for fee in doc["fees"]:
        fee["currency"] = "EUR"
    assert "CLM-004" not in rules(doc, tmp_path)


def test_a_fee_said_in_words_is_not_left_out_of_a_script_quoting_another_in_figures(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"].append({"id": "rcrf", "name": "Regulatory Cost Recovery Fee", "amount": 3.49, "recurrence": "monthly",
                        "disclosed_in": ["web", "summary"]})
    doc["materials"][0]["text"] += " Plus a £3.49/month Regulatory Cost Recovery Fee."
    doc["materials"].append({"id": "x", "kind": "script", "channel": "web", "text": (
        "Agent: It's £8/month for 6 months, then £12/month. There's also a three forty-nine Regulatory Cost "
        "Recovery Fee a month.")})
    assert "/materials/2/text" not in _pointers(doc, tmp_path, "FEE-008")
    doc["materials"][2]["text"] = "Agent: It's £8/month for 6 months, then £12/month."
    assert "/materials/2/text" in _pointers(doc, tmp_path, "FEE-008")


# --- Equipment kept, a device not returned, an auto-renewal switched off (CLM-005, FEE-008, CNS-004) -------------


def test_a_modem_kept_with_nothing_further_to_pay_is_no_exit_charge():
    from auditor.text.equipment import recovered_items

    assert recovered_items("if you cancel, you keep the modem; there is nothing further to pay for it.") == set()
    assert recovered_items("if you cancel within 24 months, you pay $9 for each remaining month for the modem.") == {
        "modem"}


def test_a_charge_for_a_modem_not_returned_is_contingent():
    from auditor.checks.fees import _CONTINGENT

    assert _CONTINGENT.search("modem non restitué")
    assert not _CONTINGENT.search("pack duo — abonnement mensuel")


@pytest.mark.parametrize("text", [
    "本計劃到期後不會自動續期，除非您於網站開啟「自動續期」。",
    "店員：唔會，自動續期預設係關咗嘅，除非你自己上網開。",
    "自動續期：關閉。",
])
def test_an_auto_renewal_said_to_be_off_or_opt_in_does_not_continue_the_service(tmp_path, text):
    doc = build({"base": "uk", "patch": {"/jurisdiction": "HK", "/currency": "HKD", "/language": "zh-HK",
                                         "/end_of_term/behavior": "auto_cancel"}})
    doc["materials"].append({"id": "x", "kind": "poster", "channel": "web", "text": text})
    assert "/materials/2/text" not in _pointers(doc, tmp_path, "CNS-004")


def test_a_pass_said_to_renew_by_itself_still_contradicts_auto_cancel(tmp_path):
    doc = build({"base": "uk", "patch": {"/jurisdiction": "HK", "/currency": "HKD", "/language": "zh-HK",
                                         "/end_of_term/behavior": "auto_cancel"}})
    doc["materials"].append({"id": "x", "kind": "poster", "channel": "web", "text": "到期後自動續期，每月$98。"})
    assert "/materials/2/text" in _pointers(doc, tmp_path, "CNS-004")


# --- FEE-008 in the US: FTC Act s5 alone (the FTC fees rule covers tickets and lodging), medium ------------------


def test_drip_pricing_in_a_federal_us_advert_is_medium_and_high_in_california(tmp_path):
    def severity(jurisdiction: str) -> set[str]:
        doc = _uk_with_fee("New connection charge")
        doc.update({"jurisdiction": jurisdiction, "currency": "USD", "language": "en-US"})
        return {f.severity for f in audit_document(doc, tmp_path).findings if f.rule == "FEE-008"}

    assert severity("US") == {"medium"}
    assert severity("US-CA") == {"high"}


# --- Chinese prices with their tenths said after the yuan: 四十四块五 ---------------------------------------------


@pytest.mark.parametrize("text, amount", [
    ("每月四十四块五", "44.5"), ("44块5一个月", "44.5"), ("四十四元五角", "44.5"), ("三块五", "3.5"),
    ("5块5G流量", "5"), ("10元3个月", "10"), ("五块钱", "5"),
])
def test_the_tenths_said_after_a_whole_yuan_are_read(text, amount):
    from decimal import Decimal

    from auditor.text.money import find_money

    assert find_money(norm(text))[0].amount == Decimal(amount)


def test_a_script_quoting_the_half_price_in_speech_states_it(tmp_path):
    doc = build({"base": "cn", "patch": {"/materials/-": {"id": "x", "kind": "script", "channel": "telemarketing",
                                                            "text": "坐席：前12个月每月只要五块，之后恢复十块一个月。"}}})
    doc["fees"][0]["disclosed_in"].append("x")
    assert "/fees/0/disclosed_in/2" not in _pointers(doc, tmp_path, "FEE-002")
    doc["fees"][0]["promo_amount"] = 4.5
    doc["materials"][-1]["text"] = "坐席：前12个月每月只要四块五，之后恢复十块一个月。"
    assert "/fees/0/disclosed_in/2" not in _pointers(doc, tmp_path, "FEE-002")


# --- FEE-007: the later price of what is called free, not of the plan paid from the start ------------------------


def _au_free_addon(advert: str) -> dict:
    doc = build({"base": "uk", "patch": {"/jurisdiction": "AU", "/currency": "AUD", "/offer/term": {"months": 3},
                                         "/end_of_term/behavior": "convert_to_paid", "/materials/0/text": advert}})
    doc["offer"].pop("commitment", None)
    doc["fees"] = [{"id": "plan", "name": "Mobile 80GB Monthly Charge", "amount": 62, "recurrence": "monthly",
                    "disclosed_in": ["web", "summary"]},
                   {"id": "stream", "name": "StreamCo Premium add-on", "amount": 14.99, "promo_amount": 0,
                    "recurrence": "monthly", "disclosed_in": ["summary"]}]
    return doc


@pytest.mark.parametrize("advert, flagged", [
    ("Get StreamCo Premium FREE for 3 months when you join Mobile 80GB — $62/mth, no lock-in.", True),
    ("Get StreamCo Premium FREE for 3 months (then $14.99/mth) when you join Mobile 80GB — $62/mth, no lock-in.",
     False),
])
def test_a_free_add_on_needs_its_own_later_price_though_the_plan_price_is_given(tmp_path, advert, flagged):
    assert ("/materials/0/text" in _pointers(_au_free_addon(advert), tmp_path, "FEE-007")) is flagged


# --- CAN-009: leaving that waits on a survey, offers to stay, a chat or a form by post -------------------------


def _uk_terms(text: str, jurisdiction: str = "UK") -> dict:
    return build({"base": "uk", "patch": {"/jurisdiction": jurisdiction, "/materials/1/text": text}})


@pytest.mark.parametrize("text", [
    "5.2 If you are not switching provider, you must request a cancellation form by post and return it signed; we "
    "do not accept cancellation by phone, email or online.",
    "3.2 Cancellation is completed by a Cloud specialist in live chat, who will first go through your options.",
])
def test_a_cancellation_that_waits_on_a_step_is_flagged(tmp_path, text):
    assert "CAN-009" in rules(_uk_terms(text), tmp_path)


@pytest.mark.parametrize("text", [
    "You can cancel online, by phone or by post. We may tell you about offers to stay, but you don't have to accept "
    "them.",
    "Cancel any time in the app. After you cancel we send an optional survey about your experience.",
    "Contract summary: 12-month minimum term. Cancel online at northwind.example/account or in the app.",
])
def test_a_cancellation_in_one_step_is_not(tmp_path, text):
    assert "CAN-009" not in rules(_uk_terms(text), tmp_path)


def test_the_obstruction_rule_is_not_applied_where_no_law_is_registered_for_it(tmp_path):
    text = "Cancellation is completed by a specialist in live chat, who will first go through your options."
    assert "CAN-009" not in rules(_uk_terms(text, jurisdiction="AU"), tmp_path)
