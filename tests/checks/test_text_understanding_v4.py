"""Text understanding v4 (issue #16, third blind round): the classes the auditor misread on the tuning parts
of blind batches g and h of 30 November 2026, each with a campaign or text that must trigger and a twin
that must not. Every test here failed before the change it covers.

The changes read constructions instead of adding the batch's phrases: a negation before a lock-in word, a
gradable word said of a rival, a superlative construction, a notice period next to a notice word, a price
in a clause about the time after the term, an amount right after a fee's name."""

from __future__ import annotations

import pytest
from helpers import audit_document, with_material

from auditor.checks.expiry import notice_days
from auditor.examples import build
from auditor.text.context import (
    about_after_the_end,
    no_lock_in_claims,
    states_a_figure,
    substantiated,
    superlative_claims,
)
from auditor.text.dates import find_durations
from auditor.text.money import find_money
from auditor.text.normalize import normalize


def findings(document: dict, tmp_path) -> dict[str, list]:
    out: dict[str, list] = {}
    for finding in audit_document(document, tmp_path).findings:
        out.setdefault(finding.rule, []).append(finding)
    return out


# --- durations with a word between the number and the unit -------------------------------------------------

@pytest.mark.parametrize("text,value,unit", [
    ("credit expires after 180 consecutive days without use", 180, "days"),
    ("within 30 calendar days", 30, "days"),
    ("three (3) months' written notice", 3, "months"),
    ("nach 90 aufeinanderfolgenden Tagen", 90, "days"),
])
def test_a_duration_may_carry_a_qualifier_or_repeat_its_number(text, value, unit):
    assert [(d.value, d.unit) for d in find_durations(normalize(text))] == [(value, unit)]


def test_a_validity_limit_stated_as_consecutive_days_is_disclosed(tmp_path):
    doc = with_material("cn", "Unused credit expires if the SIM is not used for 180 consecutive days.", kind="terms")
    doc["validity_limits"] = [{"subject": "prepaid_balance", "days": 180, "disclosed_in": ["x"]}]
    assert "TER-001" not in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "Unused credit expires if the SIM is not used for a while."
    assert "TER-001" in findings(doc, tmp_path)


# --- notice periods to end the contract ----------------------------------------------------------------------

@pytest.mark.parametrize("text,days", [
    ("Termination by the customer requires not less than three (3) months' written notice.", 90),
    ("須提前三個月書面通知終止合約", 90),
    ("Die Kündigungsfrist beträgt 3 Monate. Sie können schriftlich kündigen.", 90),
    ("résiliation avec un préavis de 2 mois", 60),
])
def test_notice_periods_to_end_the_contract(text, days):
    assert [d for d, _, _ in notice_days(normalize(text))] == [days]


def test_the_operators_notice_of_a_change_is_no_notice_to_end():
    assert notice_days(normalize("We will give you at least one month's notice of price changes.")) == []
    assert [d for d, _, _ in notice_days(normalize("three months' written notice is required"), about_ending=True)] \
        == [90]


def test_hk_cancellation_instructions_asking_three_months_notice(tmp_path):
    doc = build({"base": "uk"})
    doc.update(jurisdiction="HK", currency="HKD")
    doc["cancellation"]["methods"][0]["instructions"] = "Submit the form online; three months' written notice is required."
    hits = findings(doc, tmp_path).get("EXP-012", [])
    assert [f.location.pointer for f in hits] == ["/cancellation/methods/0/instructions"]
    assert hits[0].category == "cancellation"
    doc["cancellation"]["methods"][0]["instructions"] = "Submit the form online; one month's notice is required."
    assert "EXP-012" not in findings(doc, tmp_path)


# --- "free to leave" however it is worded ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["唔使再綁約，隨時可以取消，冇任何罰款", "免綁約，0違約金", "no exit fees, ever",
                                  "without any contract", "zero cancellation charges"])
def test_no_lock_in_by_negation(text):
    assert no_lock_in_claims(normalize(text).text)


@pytest.mark.parametrize("text", ["No other early termination fee.", "无额外违约金", "Cancel any time online or in the app.",
                                  "随时可以取消"])
def test_no_lock_in_not_claimed(text):
    assert not no_lock_in_claims(normalize(text).text)


def test_no_lock_in_in_cantonese_while_a_commitment_binds(tmp_path):
    doc = with_material("uk", "升級之後唔使再綁約，冇任何罰款。")
    assert "CLM-005" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "After the minimum period: 30 days' notice; no termination charge."
    assert "CLM-005" not in findings(doc, tmp_path)


# --- superlatives by construction --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["the biggest music catalogue of any UK network", "la red más rápida de California",
                                  "das beste Netz", "le réseau le plus rapide", "het snelste netwerk",
                                  "the most reliable 5G in the country"])
def test_superlative_constructions(text):
    assert superlative_claims(normalize(text).text)


@pytest.mark.parametrize("text", ["best-tariff advice", "Best regards, the team", "at least 30 days", "más información",
                                  "the latest phones"])
def test_no_superlative(text):
    assert not superlative_claims(normalize(text).text)


def test_superlative_claim_unless_its_basis_is_cited(tmp_path):
    doc = with_material("uk", "Stream from the biggest music catalogue of any UK network.")
    assert "CLM-006" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] += " Source: Ofcom report, March 2026."
    assert "CLM-006" not in findings(doc, tmp_path)


def test_basis_cited_in_an_eu_language():
    assert substantiated("im besten netz laut connect netztest 2026")
    assert substantiated("la red más rápida según el estudio de opensignal")
    assert not substantiated("la red más rápida de españa")


# --- absolute words that state a cap -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,word,figure", [("每日最高收费25元", "最高", True), ("最低消费58元", "最低", True),
                                              ("全网最低58元", "最低", False), ("最快的5g网络", "最快", False)])
def test_a_cap_with_what_it_is_a_cap_of(text, word, figure):
    start = text.index(word)
    assert states_a_figure(text, start, start + len(word)) is figure


def test_daily_cap_is_no_absolute_claim(tmp_path):
    assert "CLM-001" not in findings(with_material("cn", "出境日包25元/天，每日最高收费25元，不用不收费。"), tmp_path)
    assert "CLM-001" in findings(with_material("cn", "出境日包25元/天，全网最低！"), tmp_path)


# --- rivals rated without 比 ---------------------------------------------------------------------------------------

def test_a_generic_rival_rated_by_a_gradable_word(tmp_path):
    assert "CMP-002" in findings(with_material("cn", "同样是千兆，别家月费要贵一半。"), tmp_path)
    assert "CMP-002" not in findings(with_material("cn", "千兆宽带，月费贵吗？不贵，只要5元/月。"), tmp_path)


# --- prices as written: adverbs, instalments, a fee's own name -----------------------------------------------------

@pytest.mark.parametrize("text,amount", [("月付只要599！", 599), ("每个月只要599，原价是899", 599),
                                         ("每期新臺幣135元", 135)])
def test_monthly_prices_with_an_adverb_or_per_instalment(text, amount):
    assert [(m.amount, m.period) for m in find_money(normalize(text))][0] == (amount, "month")


@pytest.mark.parametrize("text", ["每月15号扣费", "每月5次免费", "每月30GB"])
def test_per_month_counts_are_no_price(text):
    assert find_money(normalize(text)) == []


def test_an_amount_after_a_fees_name_is_its_price(tmp_path):
    doc = with_material("cn", "流量包月费 7元，马上办理")
    assert "CNS-001" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "流量包月费 5元，马上办理"
    assert "CNS-001" not in findings(doc, tmp_path)


def test_an_ordinary_word_that_is_also_a_rivals_name_does_not_hide_a_price(tmp_path):
    doc = with_material("cn", "手表分期每期135元，并入电信帐单收取。", kind="terms")
    assert "CNS-001" in findings(doc, tmp_path)


# --- what "free" must not hide, and what counts as mandatory ---------------------------------------------------

def test_free_sim_beside_the_bundle_price_but_not_the_per_mb_rate(tmp_path):
    doc = with_material("uk", "Free SIM, delivered free – just top up £8 for your first month at £8/month.")
    doc["fees"].append({"id": "oob", "name": "Out-of-bundle data", "amount": 0.05, "recurrence": "per_unit",
                        "unit": "MB", "disclosed_in": ["web"]})
    assert "CLM-004" not in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "Free SIM, delivered free."
    assert "CLM-004" in findings(doc, tmp_path)


def test_an_early_termination_fee_in_the_fee_table_is_not_part_of_the_headline_price(tmp_path):
    doc = with_material("uk", "30GB for £8/month for 6 months, then £12/month.")
    doc["fees"].append({"id": "etf", "name": "Early termination charge", "amount": 30, "recurrence": "one_time",
                        "disclosed_in": ["summary"]})
    assert "FEE-008" not in findings(doc, tmp_path)  # named as a charge for leaving
    doc["fees"][-1].update(name="Charge (see summary)", amount=24)
    assert "FEE-008" not in findings(doc, tmp_path)  # the row repeats offer.commitment.early_termination_fee
    doc["fees"][-1].update(name="Connection fee", amount=30)
    assert "FEE-008" in findings(doc, tmp_path)


# --- what is said about the time after the term ---------------------------------------------------------------------

def test_a_later_price_that_differs_from_the_table_still_states_the_price(tmp_path):
    doc = build({"base": "uk"})
    reminder = doc["end_of_term"]["notifications"][0]
    reminder["text"] = ("Your minimum contract period ends on {end_date}. You pay £8 a month now; from 1 April 2027 "
                        "you'll pay £12.60 a month (the April rise in your contract). Best deal for you: 30GB at £10/month. "
                        "To cancel, give 30 days' notice in the app.")
    assert "EXP-005" not in {f.rule for f in findings(doc, tmp_path).get("EXP-005", [])
                             if f.location.pointer.startswith("/end_of_term/notifications/0")}
    reminder["text"] = ("Your minimum contract period ends on {end_date}. You pay £8 a month now. Best deal for you: "
                        "30GB at £10/month. To cancel, give 30 days' notice in the app.")
    assert any(f.location.pointer.startswith("/end_of_term/notifications/0")
               for f in findings(doc, tmp_path).get("EXP-005", []))


def test_clauses_about_after_the_end():
    for text in ("from 1 april 2028 you'll pay £23.60 a month", "your plan carries on at £23.60 a month",
                 "到期后恢复标准资费10元/月", "ab dem 1. april zahlen sie 30 € monatlich"):
        assert about_after_the_end(text, 0, len(text)), text
    assert not about_after_the_end("you pay £35.80 a month now", 0, 26)


def test_an_upfront_cost_is_not_charged_again_after_the_term(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"].append({"id": "upfront", "name": "Upfront device cost", "amount": 29, "recurrence": "one_time",
                        "disclosed_in": ["web", "summary"]})
    doc["materials"][0]["text"] += " Upfront cost £29."
    hits = findings(doc, tmp_path).get("EXP-005", [])
    assert not any("29" in f.message for f in hits)


def test_a_plan_that_goes_on_after_the_device_payments_end_is_no_contradiction(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"] = [{"id": "device", "name": "Device payment", "amount": 20, "recurrence": "monthly",
                    "applies": "during_term", "disclosed_in": ["web", "summary"]},
                   {"id": "plan", "name": "Plan", "amount": 12, "recurrence": "monthly", "disclosed_in": ["web", "summary"]}]
    doc["end_of_term"]["behavior"] = "auto_cancel"
    doc["end_of_term"]["notifications"] = [{"days_before": 30, "channel": "email", "before": "commitment_end",
                                            "text": "Your device payments end on {end_date}. After that, you'll pay "
                                                    "only for your plan: £12/month. To cancel, use the app."}]
    assert "EXP-006" not in findings(doc, tmp_path)
    # the customer's own plan carrying on is what the offer ending means (v12), with or without its price: the
    # contradiction is the offer itself going on
    doc["end_of_term"]["notifications"][0]["text"] = ("Your device payments end on {end_date}. After that, your plan "
                                                      "continues automatically. To cancel, use the app.")
    assert "EXP-006" not in findings(doc, tmp_path)
    doc["end_of_term"]["notifications"][0]["text"] = ("After that, your device offer continues "
                                                      "automatically each month. To cancel, use the app.")
    assert "EXP-006" in findings(doc, tmp_path)


# --- batch i (tuning part): classes read after g and h ----------------------------------------------------------

def test_a_fair_use_policy_named_by_its_name_qualifies_unlimited(tmp_path):
    doc = with_material("uk", "Inclusions: unlimited data (Fair Go Policy applies).", jurisdiction="AU", currency="AUD")
    assert "CLM-002" not in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "Inclusions: unlimited data."
    assert "CLM-002" in findings(doc, tmp_path)


@pytest.mark.parametrize("text", ["No caps. No slowdowns.", "no data limits, ever", "吃到飽不降速"])
def test_unlimited_said_by_negation(text, tmp_path):
    # the terms show the limit (as in the blind campaign: 'No caps. No slowdowns.' while the terms cut the
    # speed after 35GB): the advert's claim hides it
    doc = with_material("uk", text, jurisdiction="AU", currency="AUD")
    doc["materials"][1]["text"] += " Speeds are reduced to 1.5Mbps after 35GB a month."
    assert [f for f in findings(doc, tmp_path).get("CLM-002", []) if f.location.pointer == "/materials/2/text"]
    doc["materials"][-1]["text"] = text + " Speeds are reduced to 1.5Mbps after 35GB a month."
    assert not [f for f in findings(doc, tmp_path).get("CLM-002", []) if f.location.pointer == "/materials/2/text"]


def test_fen_qian_is_a_hundredth_of_a_yuan():
    assert [m.amount for m in find_money(normalize("每MB三分钱"))] == [find_money(normalize("0.03元"))[0].amount]


def test_a_total_that_includes_a_surcharge_discloses_it(tmp_path):
    doc = with_material("uk", "£8 a month, or £11 a month without AutoPay.")
    doc["fees"].append({"id": "nopay", "name": "Without AutoPay", "amount": 3, "recurrence": "monthly",
                        "disclosed_in": ["x"]})
    assert not any(f.location.pointer == "/fees/1/amount" for f in findings(doc, tmp_path).get("FEE-001", []))
    doc["materials"][-1]["text"] = "£8 a month."
    assert any(f.location.pointer == "/fees/1/amount" for f in findings(doc, tmp_path).get("FEE-001", []))


def test_a_fee_free_exit_within_a_first_window_is_a_cooling_off_right(tmp_path):
    assert "CLM-005" not in findings(with_material("uk", "您可於開通後30日內無條件退租，不收違約金。"), tmp_path)
    assert "CLM-005" not in findings(with_material("uk", "Change your mind within 14 days: no cancellation fees."),
                                     tmp_path)
    assert "CLM-005" in findings(with_material("uk", "No cancellation fees, ever."), tmp_path)


def test_au_offer_needs_its_critical_information_summary(tmp_path):
    doc = build({"base": "uk"})
    doc.update(jurisdiction="AU", currency="AUD")
    assert "TER-007" in findings(doc, tmp_path)
    doc["materials"][1]["text"] = "Critical Information Summary: 30GB SIM-only, 12 months, $8 then $12 a month."
    assert "TER-007" not in findings(doc, tmp_path)
    doc = build({"base": "uk"})
    doc.update(jurisdiction="AU", currency="AUD")
    doc["offer"]["type"] = "value_added_service"
    assert "TER-007" not in findings(doc, tmp_path)


def test_free_with_an_upfront_charge_is_not_free_in_the_eu(tmp_path):
    doc = with_material("uk", "Le smartphone Nova A5 est OFFERT* avec le forfait. *Remis pour 1 € à la commande.",
                        jurisdiction="EU", currency="EUR")
    doc["fees"].append({"id": "phone", "name": "Smartphone Nova A5", "amount": 1, "recurrence": "one_time",
                        "disclosed_in": ["x"]})
    assert "CLM-004" in findings(doc, tmp_path)  # stated, and still not free
    doc["fees"][-1].update(name="Livraison du smartphone", amount=5)
    doc["materials"][-1]["text"] = "Le smartphone Nova A5 est OFFERT* avec le forfait à 8 €/mois. *Livraison 5 €."
    assert "CLM-004" not in findings(doc, tmp_path)  # delivery is the one charge "free" may leave


def test_price_words_with_still_before_the_amount():
    assert [(m.amount, m.period) for m in find_money(normalize("升级以后月费还是59元不变"))] == [(59, "month")]


def test_the_full_price_may_be_given_as_the_monthly_total(tmp_path):
    doc = with_material("uk", "Fibre is £8 a month for 6 months with TV at £9.99, then £21.99 a month.")
    doc["fees"].append({"id": "tv", "name": "TV option", "amount": 9.99, "recurrence": "monthly",
                        "disclosed_in": ["x"]})
    assert not any(f.location.pointer == "/materials/2/text" for f in findings(doc, tmp_path).get("FEE-009", []))
    doc["materials"][-1]["text"] = "Fibre is £8 a month for 6 months with TV at £9.99."
    assert any(f.location.pointer == "/materials/2/text" for f in findings(doc, tmp_path).get("FEE-009", []))


def test_no_exit_fee_is_true_of_a_minimum_period_without_an_exit_charge(tmp_path):
    doc = with_material("uk", "No exit fees: leave whenever you like.")
    assert "CLM-005" in findings(doc, tmp_path)  # the base campaign charges £24 to leave early
    doc["offer"]["commitment"]["early_termination_fee"] = 0
    assert "CLM-005" not in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "No contract: leave whenever you like."
    assert "CLM-005" in findings(doc, tmp_path)  # the 12-month minimum period still binds


@pytest.mark.parametrize("text", ["At the end of your contract there are no exit fees: leave whenever you like.",
                                  "Once your 12 months are up: no contract, leave whenever you like.",
                                  "Change your mind? Cancel within 14 days, no cancellation fees.",
                                  "30-day money-back guarantee: no cancellation fees."])
def test_no_lock_in_said_of_the_time_after_the_period_or_a_first_window(text, tmp_path):
    assert "CLM-005" not in findings(with_material("uk", text), tmp_path)


# --- batches j and k (tuning parts) ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,amount,period", [
    ("Twelve pounds fifty a month for the first year", "12.5", "month"),
    ("thirty-five dollars per line per month", "35", "month"),
    ("one hundred and five pounds", "105", None),
    ("nine dollars and ninety-nine cents a month", "9.99", "month"),
    ("dix euros par mois", "10", "month"),
])
def test_amounts_spelt_out(text, amount, period):
    from decimal import Decimal

    assert [(m.amount, m.period) for m in find_money(normalize(text))] == [(Decimal(amount), period)]


@pytest.mark.parametrize("text", ["a few dollars more", "the pounds", "twenty-something euros"])
def test_no_spelt_amount(text):
    assert find_money(normalize(text)) == []


@pytest.mark.parametrize("text,currency,period", [("299 kr/mån", "SEK", "month"), ("299:-/mån", "SEK", "month"),
                                                  ("49 zł/mies.", "PLN", "month"), ("15 €/mês", "EUR", "month")])
def test_the_eus_other_currencies_and_month_words(text, currency, period):
    found = find_money(normalize(text))
    assert currency in found[0].currencies and found[0].period == period


@pytest.mark.parametrize("text,months", [("bindningstid 24 månader", 24), ("umowa na 24 miesiące", 24),
                                          ("299 kr/mån | månad 1–12", 12), ("第1-12个月 5元/月", 12)])
def test_durations_in_more_languages_and_month_ranges(text, months):
    assert [(d.value, d.unit) for d in find_durations(normalize(text))] == [(months, "months")]


def test_each_30_day_period_states_a_30_day_validity(tmp_path):
    doc = with_material("uk", "Allowances expire at the end of each 30-day period.", kind="terms")
    doc["validity_limits"] = [{"subject": "allowance", "days": 30, "disclosed_in": ["x"]}]
    assert "TER-001" not in findings(doc, tmp_path)
    assert find_durations(normalize("each 30-day period")) == []  # still no term


def test_a_fee_stated_only_in_the_welcome_message_was_not_disclosed(tmp_path):
    doc = with_material("uk", "Welcome to Northwind! Device Care £4.99 a month is added to your plan.", kind="email")
    doc["fees"].append({"id": "care", "name": "Device Care", "amount": 4.99, "recurrence": "monthly",
                        "disclosed_in": ["x"]})
    assert any(f.location.pointer == "/fees/1/amount" for f in findings(doc, tmp_path).get("FEE-001", []))
    doc["materials"][-1]["text"] = "Add Device Care for £4.99 a month."
    assert not any(f.location.pointer == "/fees/1/amount" for f in findings(doc, tmp_path).get("FEE-001", []))


def test_a_staff_only_material_discloses_nothing_but_a_script_is_heard(tmp_path):
    doc = with_material("cn", "【渠道培训资料·内部使用，请勿转发客户】开卡服务费20元。", kind="terms")
    doc["fees"].append({"id": "card", "name": "开卡服务费", "amount": 20, "recurrence": "one_time",
                        "disclosed_in": ["x"]})
    assert any(f.location.pointer == "/fees/1/amount" for f in findings(doc, tmp_path).get("FEE-001", []))
    doc["materials"][-1].update(kind="script", text="【外呼话术·内部使用】开卡服务费20元。")
    assert not any(f.location.pointer == "/fees/1/amount" for f in findings(doc, tmp_path).get("FEE-001", []))


def test_a_continuation_the_customer_must_ask_for_contradicts_a_conversion(tmp_path):
    doc = build({"base": "cn"})
    doc["end_of_term"]["behavior"] = "convert_to_paid"
    doc["end_of_term"]["notifications"][0]["text"] = ("您的流量包优惠将于{到期日}到期，届时服务将自动终止。如希望继续使用，"
                                                      "请申请续用，续用费用10元/月。")
    assert "EXP-006" in findings(doc, tmp_path)
    doc["end_of_term"]["notifications"][0]["text"] = "您的流量包优惠将于{到期日}到期，届时按10元/月自动续费，如需取消请回复QX。"
    assert "EXP-006" not in findings(doc, tmp_path)


@pytest.mark.parametrize("text", ["Onbeperkt internet voor 25 euro", "internet illimité", "datos ilimitados",
                                  "unbegrenztes Datenvolumen"])
def test_unlimited_in_the_eu_languages(text, tmp_path):
    doc = with_material("uk", text, jurisdiction="EU", currency="EUR")
    assert "CLM-002" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = text + ". Fair use: ab 2 GB pro Tag wird gedrosselt."
    assert "CLM-002" not in findings(doc, tmp_path)


def test_a_price_table_saying_zero_is_no_gift(tmp_path):
    doc = with_material("uk", "Plan | £8 a month, then £12 | Watch | £99 | Exit fee | £0", kind="terms")
    doc["fees"].append({"id": "watch", "name": "Smartwatch (bought outright)", "amount": 99, "recurrence": "one_time",
                        "disclosed_in": ["x"]})
    assert not [f for f in findings(doc, tmp_path).get("CLM-004", []) if f.location.pointer == "/materials/2/text"]
    doc["materials"][-1].update(kind="advert", text="Watch FREE* with the plan at £8 a month, then £12. *Watch £99.")
    assert [f for f in findings(doc, tmp_path).get("CLM-004", []) if f.location.pointer == "/materials/2/text"]


def test_a_market_scoped_superlative_before_a_product_spec_is_a_claim(tmp_path):
    text = "全台最便宜的500M光纖"
    assert not states_a_figure(normalize(text).text, 0, 3)
    doc = with_material("uk", text + "，月繳NT$699", jurisdiction="TW", currency="TWD")
    assert "CLM-006" in findings(doc, tmp_path)


def test_never_expires_while_a_validity_limit_applies(tmp_path):
    doc = with_material("uk", "Unused data never expires!")
    doc["validity_limits"] = [{"subject": "allowance", "days": 365, "disclosed_in": ["summary"]}]
    assert "CLM-008" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "Unused data doesn't expire for 365 days."
    assert "CLM-008" not in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "预存的100元本金不设有效期，用完为止。"
    doc["validity_limits"] = [{"subject": "bonus_credit", "days": 90, "disclosed_in": ["summary"]}]
    assert "CLM-008" not in findings(doc, tmp_path)  # the principal, not the bonus that expires


def test_hong_kong_phone_sales_need_written_confirmation(tmp_path):
    doc = build({"base": "uk"})
    doc.update(jurisdiction="HK", currency="HKD", channels=["telemarketing"])
    for material in doc["materials"]:
        material["channel"] = "telemarketing"
    doc["consent"] = {"method": "recorded_call"}
    assert "CON-004" in findings(doc, tmp_path)
    doc["consent"] = {"method": "signed_contract"}
    assert "CON-004" not in findings(doc, tmp_path)
    doc.update(jurisdiction="UK", currency="GBP", consent={"method": "recorded_call"})
    assert "CON-004" not in findings(doc, tmp_path)  # elsewhere only plan changes (case C9)


@pytest.mark.parametrize("text", ["half the price of the big carriers", "cheaper than most mobile providers",
                                  "günstiger als andere Anbieter", "moins cher que les autres opérateurs",
                                  "más barato que otros operadores", "goedkoper dan andere aanbieders"])
def test_rivals_as_a_group_in_a_comparison(text, tmp_path):
    from auditor.text.context import groups_of_rivals

    assert groups_of_rivals(normalize(text).text)
    doc = with_material("uk", text.capitalize() + ".", jurisdiction="EU", currency="EUR")
    assert "CMP-002" in findings(doc, tmp_path)


def test_a_group_of_rivals_in_a_porting_sentence_is_no_comparison(tmp_path):
    doc = with_material("uk", "Moving from other networks? Keep your number: text PAC to 65075.")
    assert "CMP-002" not in findings(doc, tmp_path)


def test_the_later_price_as_a_monthly_total_in_the_fee_table_and_the_reminder(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"].append({"id": "tv", "name": "TV option", "amount": 9.99, "recurrence": "monthly",
                        "disclosed_in": ["web", "summary"]})
    for material in doc["materials"]:
        material["text"] = material["text"].replace("£12/month", "£21.99 a month with TV") + " TV option £9.99/month."
    for notice in doc["end_of_term"]["notifications"]:
        notice["text"] = notice["text"].replace("£12/month", "£21.99 a month with TV")
    audited = findings(doc, tmp_path)
    assert not [f for f in audited.get("FEE-003", []) if f.location.pointer == "/fees/0/amount"]
    assert "EXP-005" not in audited


# --- batch l (tuning part) ---------------------------------------------------------------------------------------

def test_an_indirect_waiver_of_the_review_period(tmp_path):
    doc = with_material("uk", "第五條 客戶同意於簽約時不另行主張契約審閱期間。", kind="contract", jurisdiction="TW",
                        currency="TWD")
    assert "TER-005" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "第五條 本契約審閱期間為三日，客戶得主張之。"
    assert "TER-005" not in findings(doc, tmp_path)


def test_a_charge_for_a_router_not_returned_is_no_mandatory_fee(tmp_path):
    doc = with_material("uk", "Fibre for £8 a month for 6 months, then £12.")
    doc["fees"].append({"id": "router", "name": "路由器未歸還／損毀賠償", "amount": 60, "recurrence": "one_time",
                        "disclosed_in": ["summary"]})
    assert "FEE-008" not in findings(doc, tmp_path)


def test_a_thank_you_for_choosing_us_email_is_sent_after_the_purchase():
    from auditor.campaign import Campaign

    doc = with_material("uk", "多謝您選用獅山寬頻！月費HK$138。", kind="email")
    assert not Campaign(doc).materials[-1].pre_signup
    doc["materials"][-1]["text"] = "獅山寬頻，月費HK$138，立即選用！"
    assert Campaign(doc).materials[-1].pre_signup


def test_italian_per_is_for_a_length():
    assert [(d.value, d.unit) for d in find_durations(normalize("12,90 euro al mese più IVA per 24 mesi"))] \
        == [(24, "months")]
    assert find_durations(normalize("£100 per 12 months")) == []


# --- batch m (tuning part) ---------------------------------------------------------------------------------------

def test_best_tariffs_listed_under_a_heading(tmp_path):
    doc = build({"base": "uk"})
    doc["end_of_term"]["notifications"][0]["text"] = (
        "Your minimum contract period ends on {end_date}. From then your plan costs £12/month.\n"
        "Our best deals for you:\n  30GB SIM-only, 12 months — £10 a month\n  60GB, 24 months — £14 a month\n\n"
        "To cancel, give 30 days' notice in the app.")
    assert "EXP-007" not in findings(doc, tmp_path)
    doc["end_of_term"]["notifications"][0]["text"] = (
        "Your minimum contract period ends on {end_date}. From then your plan costs £12/month. See our best deals "
        "online. To cancel, give 30 days' notice in the app.")
    assert "EXP-007" in findings(doc, tmp_path)


def test_the_same_price_after_the_term_is_a_stated_price(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"][0].pop("promo_amount")
    doc["end_of_term"]["notifications"][0]["text"] = (
        "Your minimum contract period ends on {end_date}. You pay £12.60 a month now; after that you stay on the same "
        "plan at the same price. Best deal for you: 30GB at £10/month. To cancel, give 30 days' notice in the app.")
    assert not [f for f in findings(doc, tmp_path).get("EXP-005", []) if "/notifications/0/" in f.location.pointer]


def test_an_optional_box_in_portuguese_is_no_mandatory_fee(tmp_path):
    doc = with_material("uk", "Pack Casa: 8 €/mês durante 6 meses, depois 12 €/mês.", jurisdiction="EU",
                        currency="EUR")
    doc["fees"].append({"id": "box", "name": "Box TV adicional (opcional)", "amount": 5, "recurrence": "monthly",
                        "disclosed_in": ["summary"]})
    assert not [f for f in findings(doc, tmp_path).get("FEE-008", []) if f.location.pointer == "/materials/2/text"]
    doc["fees"][-1]["name"] = "Box TV adicional"
    assert [f for f in findings(doc, tmp_path).get("FEE-008", []) if f.location.pointer == "/materials/2/text"]


def test_leave_any_time_after_that_is_said_of_the_time_after_the_period(tmp_path):
    assert "CLM-005" not in findings(with_material("uk", "12-month contract. Leave any time after that with 30 days' "
                                                         "notice."), tmp_path)


@pytest.mark.parametrize("path", ["Para ativar: Área de Cliente > Os meus serviços > Netflix > Ativar",
                                  "领取方式：我的 → 权益中心 → 领取"])
def test_a_menu_path_tells_how_to_apply(path, tmp_path):
    doc = with_material("uk", "Netflix included with your plan.")
    doc["offer"]["requires_opt_in"] = True
    assert "TER-003" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] += " " + path
    assert "TER-003" not in findings(doc, tmp_path)


def test_on_us_is_a_free_claim_but_rely_on_us_is_not(tmp_path):
    from auditor.session import Session

    free = Session(discover_config=False).ruleset.rule("CLM-004")
    assert free is not None
    doc = with_material("uk", "Your SIM is on us.", jurisdiction="AU", currency="AUD")
    assert "CLM-004" in findings(doc, tmp_path)
    doc["materials"][-1]["text"] = "You can rely on us."
    assert "CLM-004" not in {f.rule for f in findings(doc, tmp_path).get("CLM-004", [])
                             if f.location.pointer == "/materials/2/text"}


# --- batches n and o (tuning parts) -----------------------------------------------------------------------------

def test_truly_unlimited_said_so_with_no_limit_anywhere(tmp_path):
    doc = with_material("uk", "Unlimited data: no caps, no shaping, no excess charges.", jurisdiction="AU",
                        currency="AUD")
    assert "CLM-002" not in findings(doc, tmp_path)
    doc["offer"]["summary"] += " Speeds are reduced to 1.5Mbps after 500GB a month."
    assert "CLM-002" in findings(doc, tmp_path)  # the summary shows a limit the claim hides


def test_an_acceptable_use_policy_or_a_speed_tier_is_no_usage_limit():
    from auditor.text.context import states_a_limit

    assert not states_a_limit("nbn 100, up to 100mbps. our acceptable use policy applies.")
    assert states_a_limit("speeds are reduced to 1.5mbps after 35gb")
    assert states_a_limit("unlimited data (tethering up to 50gb a month)")


@pytest.mark.parametrize("name", ["Frais de non-restitution de la Box (uniquement si le matériel n'est pas rendu)",
                                  "Equipamento (router ou box TV) não devolvido",
                                  "Activation fee for lines activated in store (waived online)",
                                  "Monthly charge per line if AutoPay is turned off"])
def test_charges_only_some_customers_pay_are_not_mandatory(name, tmp_path):
    doc = with_material("uk", "Installation offerte ! 8 € par mois pendant 6 mois, puis 12 € par mois.",
                        jurisdiction="EU", currency="EUR")
    doc["fees"].append({"id": "x", "name": name, "amount": 100, "recurrence": "one_time", "disclosed_in": ["summary"]})
    audited = findings(doc, tmp_path)
    assert not [f for f in audited.get("FEE-008", []) + audited.get("CLM-004", [])
                if f.location.pointer == "/materials/2/text"]


@pytest.mark.parametrize("text", ["You don't need to do anything to keep your plan.", "To keep your plan, do nothing.",
                                  "Don't want to pay? Cancel online before the end date. You won't be charged."])
def test_keeping_it_takes_nothing_and_not_being_charged_follows_cancelling(text, tmp_path):
    doc = build({"base": "uk"})
    doc["end_of_term"]["notifications"][1]["text"] = (
        "Your Northwind intro price ends on {end_date}. From then your plan costs £12/month. " + text)
    assert not [f for f in findings(doc, tmp_path).get("EXP-006", []) if "/notifications/1/" in f.location.pointer]


def test_a_one_step_menu_path_in_the_app_tells_how_to_apply(tmp_path):
    doc = with_material("uk", "Studerende? Upload dit studiekort i Skagen-appen under Profil > Studierabat.")
    doc["offer"]["requires_opt_in"] = True
    assert "TER-003" not in findings(doc, tmp_path)


@pytest.mark.parametrize("text", ["New customers only (no Northwind contract in the last 12 months).",
                                  "Available if you have had no contract with us before."])
def test_a_condition_about_past_contracts_is_no_lock_in_claim(text):
    assert not no_lock_in_claims(normalize(text).text)


# --- batches p and q (tuning parts) -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,amount", [("After 500 min: 2¢/min.", "0.02"), ("plus 2 cents per minute", "0.02")])
def test_cents(text, amount):
    from decimal import Decimal

    assert [(m.amount, m.period) for m in find_money(normalize(text))] == [(Decimal(amount), "minute")]


def test_a_prepaid_offer_needs_no_cancellation_method(tmp_path):
    doc = build({"base": "cn"})
    doc["cancellation"] = {}
    assert "CAN-001" in findings(doc, tmp_path)
    doc["offer"]["type"] = "prepaid_bonus"
    assert "CAN-001" not in findings(doc, tmp_path)


def test_nothing_charged_before_the_service_starts_says_nothing_of_its_end(tmp_path):
    doc = with_material("cn", "需要同社区满30户才成团，成团前不会安装也不会收费。", kind="script")
    assert "CNS-004" not in findings(doc, tmp_path)


def test_a_gating_condition_belongs_beside_the_advertised_price_without_a_promotion(tmp_path):
    doc = with_material("cn", "出境日包25元/天，马上订购！")
    doc["fees"] = [{"id": "pass", "name": "出境日包", "amount": 25, "recurrence": "per_use", "disclosed_in": ["x"]}]
    doc["offer"]["eligibility"] = [{"condition": "月租799型以上用户方可订购", "disclosed_in": ["terms"]}]
    assert any(f.location.pointer == "/offer/eligibility/0" for f in findings(doc, tmp_path).get("TER-002", []))
    doc["materials"][-1]["text"] = "出境日包25元/天，限月租799型以上用户订购！"
    assert not any(f.location.pointer == "/offer/eligibility/0" for f in findings(doc, tmp_path).get("TER-002", []))


def test_a_cancel_instruction_does_not_hide_a_notice_that_says_the_service_stops(tmp_path):
    doc = build({"base": "uk"})
    doc["end_of_term"]["behavior"] = "convert_to_paid"
    doc["end_of_term"]["notifications"][1]["text"] = ("Your trial ends on {end_date}. Questions about cancelling? "
                                                      "Call 0800 123. Your service will end automatically.")
    assert [f for f in findings(doc, tmp_path).get("EXP-006", []) if "/notifications/1/" in f.location.pointer]
