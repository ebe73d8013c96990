"""Text understanding v7 (issue #16, sixth round, 30 November 2026): classes the auditor still misread on the
tuning parts of the blind batches, each with a campaign that must trigger and a twin that must not. Every
must-trigger or must-pass case that the change was made for failed before it (checked by stashing the change);
the twins that guard against over-reach passed before and after."""

from __future__ import annotations

import pytest
from helpers import audit_document, with_material
from helpers import rule_ids as rules

# --- "puis" in the sentence before a no-commitment claim is said of the price, not of the claim ------------------


def test_no_commitment_claim_after_a_sentence_with_puis_is_still_a_claim(tmp_path):
    doc = with_material("uk", "30 Go : 8 €/mois pendant 6 mois, puis 12 €/mois. Sans engagement !",
                        jurisdiction="EU", language="fr-FR", currency="EUR")
    assert "CLM-005" in rules(doc, tmp_path)


def test_no_commitment_said_of_the_time_after_the_period_in_its_own_sentence_passes(tmp_path):
    doc = with_material("uk", "30 Go : 8 €/mois pendant 12 mois, puis 12 €/mois sans engagement.",
                        jurisdiction="EU", language="fr-FR", currency="EUR")
    assert "CLM-005" not in rules(doc, tmp_path)


# --- superlatives scoped over a place, and over a whole market with the thing measured in between ---------------


def test_best_vpn_in_a_state_is_a_superlative(tmp_path):
    doc = with_material("uk", "The best VPN in California, now on your bill! $59.99/year.", jurisdiction="US-CA",
                        language="en-US", currency="USD")
    assert "CLM-006" in rules(doc, tmp_path)


def test_best_vpn_with_its_source_passes(tmp_path):
    doc = with_material("uk", "The best VPN in California (source: VPN Review survey, March 2026). $59.99/year.",
                        jurisdiction="US-CA", language="en-US", currency="USD")
    assert "CLM-006" not in rules(doc, tmp_path)


def test_market_scoped_superlative_with_the_measure_between_is_a_claim(tmp_path):
    doc = with_material("uk", "影城月租199元，全台片量最多的線上影城！", jurisdiction="TW", language="zh-TW",
                        currency="TWD")
    assert "CLM-006" in rules(doc, tmp_path)


def test_market_scoped_delivery_time_is_no_superlative(tmp_path):
    doc = with_material("uk", "月租199元，全台門市最快當天取貨。", jurisdiction="TW", language="zh-TW",
                        currency="TWD")
    assert "CLM-006" not in rules(doc, tmp_path)


# --- CAN-008: more than a month's notice to leave (HK industry code; EECC art 105(3)) ---------------------------

HK = {"jurisdiction": "HK", "language": "zh-HK", "currency": "HKD"}
EU_DE = {"jurisdiction": "EU", "language": "de-DE", "currency": "EUR"}


@pytest.mark.parametrize("text, changes", [
    ("客戶如欲終止服務，須於終止日前最少三個月以書面通知本公司，並親臨門市遞交。", HK),
    ("To terminate, you must give us at least 3 months' written notice.", HK),
    ("Der Vertrag verlängert sich um 12 Monate, wenn er nicht mit einer Kündigungsfrist von 3 Monaten gekündigt "
     "wird.", EU_DE),
    ("Le contrat se renouvelle par périodes de 12 mois sauf résiliation au moins 3 mois avant la fin.", EU_DE),
])
def test_notice_to_leave_longer_than_a_month(text, changes, tmp_path):
    assert "CAN-008" in rules(with_material("uk", text, kind="terms", **changes), tmp_path)


@pytest.mark.parametrize("text, changes", [
    # the operator's notice to the customer, said without a subject or with one
    ("合約屆滿前30至60日通知；屆滿後按月HK$238，1個月通知可終止。", HK),
    ("本公司將提前兩個月通知閣下終止服務。", HK),
    ("We will give you 60 days' notice before we end or change the service. To cancel, call us.", HK),
    # the length is the contract's, not the notice's
    ("You can cancel before the end of your 24-month contract by paying the early termination fee.", HK),
    ("To terminate, give us one month's notice (30 days' notice online).", HK),
    # not a jurisdiction whose law caps the notice here
    ("To terminate, you must give us at least 3 months' written notice.", {"jurisdiction": "US",
                                                                           "currency": "USD"}),
])
def test_operator_notice_contract_length_or_one_month_passes(text, changes, tmp_path):
    assert "CAN-008" not in rules(with_material("uk", text, kind="terms", **changes), tmp_path)


# --- from the tuning parts of batches at-aw ------------------------------------------------------------------------

def uk_with(changes: dict, text: str | None = None, kind: str = "advert") -> dict:
    from auditor.examples import build

    patch = {"/materials/-": {"id": "x", "kind": kind, "channel": "web", "text": text}} if text else {}
    doc = build({"base": "uk", "patch": patch})
    doc.update(changes)
    return doc


def test_a_fee_named_as_an_option_is_no_part_of_the_headline(tmp_path):
    fee = {"id": "tv", "name": "Option décodeur TV 4K", "amount": 5, "recurrence": "monthly",
           "disclosed_in": ["summary"]}
    option = uk_with({}, "Fibre box: £8/month for 6 months, then £12/month.")
    option["fees"].append(fee)
    assert "FEE-008" not in rules(option, tmp_path)
    mandatory = uk_with({}, "Fibre box: £8/month for 6 months, then £12/month.")
    mandatory["fees"].append(dict(fee, name="Décodeur TV 4K"))
    assert "FEE-008" in rules(mandatory, tmp_path)


def test_czech_crowns_written_without_the_hacek():
    from auditor.text.money import find_money
    from auditor.text.normalize import normalize

    found = find_money(normalize("Pote 1 099 Kc/mes. na dobu neurcitou."))
    assert [(m.amount, set(m.currencies), m.period) for m in found] == [(1099, {"CZK"}, "month")]


def test_a_quoted_inflation_link_the_operator_says_it_does_not_use_passes(tmp_path):
    negated = uk_with({}, 'Price fixed: we don\'t use "CPI + 3.9%" or any other annual rise.')
    assert "CLM-007" not in rules(negated, tmp_path)
    used = uk_with({}, 'Each April we use "CPI + 3.9%" to set the rise.')
    assert "CLM-007" in rules(used, tmp_path)


def _notice(doc: dict, text: str, behavior: str | None = None) -> dict:
    doc["end_of_term"]["notifications"] = [{"days_before": 30, "channel": "email", "before": "commitment_end",
                                            "text": text}]
    if behavior:
        doc["end_of_term"]["behavior"] = behavior
    return doc


def test_a_best_tariff_that_keeps_the_phone_is_no_condition_to_continue(tmp_path):
    doc = _notice(uk_with({}), "Your contract ends on 30/06/2027. From 01/07/2027 your device is paid off, so "
                               "you'll pay £12 a month for airtime only, on a 30-day rolling plan. Best tariff for "
                               "you: £10 a month – our cheapest way to keep your phone. To cancel, give 30 days' "
                               "notice in the app.")
    assert "EXP-006" not in rules(doc, tmp_path)
    ends = _notice(uk_with({}), "Your contract ends on 30/06/2027 and your service will stop. To keep your number, "
                                "call us. To cancel, use the app.")
    assert "EXP-006" in rules(ends, tmp_path)


def test_inclusions_that_expire_after_the_plan_are_no_continuation(tmp_path):
    lapses = _notice(uk_with({}), "Your 365-day plan expires on 31/03/2028. After that, unused inclusions expire "
                                  "and you can only receive calls. Recharge £150 for another 365 days.", "auto_cancel")
    assert "EXP-006" not in rules(lapses, tmp_path)
    charges = _notice(uk_with({}), "Your 365-day plan ends on 31/03/2028. After that, it will renew automatically.",
                      "auto_cancel")
    assert "EXP-006" in rules(charges, tmp_path)


def test_no_speed_caps_and_no_excess_data_charges_make_unlimited_true(tmp_path):
    truthful = uk_with({}, "Unlimited data (no excess data charges, no speed caps set by us).")
    assert "CLM-002" not in rules(truthful, tmp_path)
    bare = uk_with({}, "Unlimited data on our fastest plan.")
    assert "CLM-002" in rules(bare, tmp_path)


def _validity(doc: dict, subject: str) -> dict:
    doc["validity_limits"] = [{"subject": subject, "days": 90, "disclosed_in": ["summary"]}]
    return doc


def test_a_no_expiry_claim_about_the_customers_own_top_up_beside_a_bonus_that_expires(tmp_path):
    own = _validity(with_material("cn", "充100送50！赠送的50元90天内有效，您自己充的100元不设有效期。"), "bonus_credit")
    assert "CLM-008" not in rules(own, tmp_path)
    bonus = _validity(with_material("cn", "充100送50！赠送的50元不设有效期。"), "bonus_credit")
    assert "CLM-008" in rules(bonus, tmp_path)


def test_no_expiry_while_the_line_stays_active_states_its_limit(tmp_path):
    spanish = {"jurisdiction": "EU", "language": "es-ES", "currency": "EUR"}
    limited = _validity(uk_with(spanish, "Saldo de 10 €. No caduca mientras la línea esté activa."),
                        "prepaid_balance")
    assert "CLM-008" not in rules(limited, tmp_path)
    never = _validity(uk_with(spanish, "Saldo de 10 €. No caduca nunca."), "prepaid_balance")
    assert "CLM-008" in rules(never, tmp_path)


@pytest.mark.parametrize("text", ["L'offre devient sans engagement à 12 €/mois.",
                                  "Renouvellement : sans engagement ensuite, résiliable à tout moment."])
def test_no_commitment_said_of_what_the_offer_becomes(text, tmp_path):
    doc = uk_with({"jurisdiction": "EU", "language": "fr-FR", "currency": "EUR"}, text)
    assert "CLM-005" not in rules(doc, tmp_path)


def test_cantonese_no_contract_tying_you_down(tmp_path):
    hk = {"jurisdiction": "HK", "language": "zh-HK", "currency": "HKD"}
    bound = uk_with(hk, "長者計劃月費$88，冇合約綁住，隨時取消，唔收任何費用！")
    assert "CLM-005" in rules(bound, tmp_path)
    free = uk_with(hk, "長者計劃月費$88，冇合約綁住，隨時取消，唔收任何費用！")
    free["offer"].pop("commitment")
    assert "CLM-005" not in rules(free, tmp_path)


def test_a_price_for_a_length_then_another_price_is_a_promotional_term(tmp_path):
    wrong = uk_with({}, "SIM only: just £8/month for 3 months, then £12/month.")
    assert "CNS-003" in rules(wrong, tmp_path)
    right = uk_with({}, "SIM only: just £8/month for 6 months, then £12/month.")
    assert "CNS-003" not in rules(right, tmp_path)


def test_what_an_item_is_worth_does_not_state_a_fee_of_that_amount(tmp_path):
    payout = {"id": "payout", "name": "Modem payout on early exit", "amount": 240, "recurrence": "one_time",
              "disclosed_in": []}
    worth = uk_with({}, "FREE Wi-Fi 6 modem (worth £240) with every plan.")
    worth["fees"].append(payout)
    assert "FEE-001" in rules(worth, tmp_path)
    stated = uk_with({}, "FREE Wi-Fi 6 modem with every plan; leave early and the modem payout is up to £240.")
    stated["fees"].append(payout)
    assert "FEE-001" not in rules(stated, tmp_path)


# --- from the tuning parts of batches ax-ba (the second wave) --------------------------------------------------------

def test_unlimited_fixed_line_data_with_no_cap_anywhere_is_true(tmp_path):
    fixed = uk_with({}, "Inclusions: unlimited home internet data on your fibre line.", kind="terms")
    assert "CLM-002" not in rules(fixed, tmp_path)
    mobile = uk_with({}, "Inclusions: unlimited data on your SIM.", kind="terms")
    assert "CLM-002" in rules(mobile, tmp_path)


@pytest.mark.parametrize("text, months", [("15,99 EUR/mesec 12 mesecev (vezava)", 12), ("24 mjeseca", 24),
                                          ("galioja 180 dienų", 6), ("24 месеца", 24), ("12 kuud", 12),
                                          ("de eerste twaalf maanden", 12), ("zwölf Monate", 12)])
def test_durations_in_more_eu_languages_and_in_words(text, months):
    from auditor.text.dates import find_durations
    from auditor.text.normalize import normalize

    assert [d.in_months() for d in find_durations(normalize(text))] == [months]


def test_validity_in_lithuanian_is_stated_in_the_terms(tmp_path):
    doc = _validity(uk_with({"jurisdiction": "EU", "language": "lt-LT", "currency": "EUR"},
                            "4.1 Likutis galioja 180 dienų nuo paskutinio papildymo.", kind="terms"), "prepaid_balance")
    doc["validity_limits"][0]["days"] = 180
    assert "TER-001" not in rules(doc, tmp_path)
    unsaid = _validity(uk_with({"jurisdiction": "EU", "language": "lt-LT", "currency": "EUR"},
                               "4.1 Likutis: 180 dienų.", kind="terms"), "prepaid_balance")
    unsaid["validity_limits"][0]["days"] = 365
    assert "TER-001" in rules(unsaid, tmp_path)


def test_a_price_placeholder_filled_in_when_the_notice_is_sent_states_the_later_price(tmp_path):
    filled = _notice(uk_with({}), "Your minimum period ends on {{end_date}}. After that you'll pay "
                                  "£{{current_airtime}}/month. To cancel, give 30 days' notice in the app.")
    assert "EXP-005" not in rules(filled, tmp_path)
    silent = _notice(uk_with({}), "Your minimum period ends on {{end_date}}. After that your plan carries on. "
                                  "To cancel, give 30 days' notice in the app.")
    assert "EXP-005" in rules(silent, tmp_path)


def test_a_right_to_leave_triggered_by_the_operators_own_change_is_no_claim(tmp_path):
    conditional = uk_with({}, "We will not raise the price for any other reason, save as required by law, in which "
                              "case you may leave without an early termination charge.", kind="terms")
    assert "CLM-005" not in rules(conditional, tmp_path)
    bare = uk_with({}, "You may leave without an early termination charge.", kind="terms")
    assert "CLM-005" in rules(bare, tmp_path)


def test_a_chinese_negation_before_renewal_says_it_does_not_continue(tmp_path):
    negated = _notice(uk_with({}), "您的流量年包将于2028年6月30日到期，到期不自动续费。", "auto_cancel")
    assert "EXP-006" not in rules(negated, tmp_path)
    renews = _notice(uk_with({}), "您的流量年包将于2028年6月30日到期，到期后自动续费。", "auto_cancel")
    assert "EXP-006" in rules(renews, tmp_path)


def test_the_instruction_to_apply_in_spanish(tmp_path):
    doc = uk_with({"jurisdiction": "EU", "language": "es-ES", "currency": "EUR"},
                  "Actívalo antes de salir: envía MUNDO al 22150.")
    doc["offer"]["requires_opt_in"] = True
    assert "TER-003" not in rules(doc, tmp_path)
    unsaid = uk_with({"jurisdiction": "EU", "language": "es-ES", "currency": "EUR"}, "Bono Viajero: 15 €.")
    unsaid["offer"]["requires_opt_in"] = True
    assert "TER-003" in rules(unsaid, tmp_path)


@pytest.mark.parametrize("text, amounts", [("一年只需付一次：HK$388，365日內通用", [388]),
                                           ("HK$1,388 a year", [1388]), ("NT$12,000元", [12000])])
def test_a_chinese_comma_before_a_count_of_days_separates_two_figures(text, amounts):
    from auditor.text.money import find_money
    from auditor.text.normalize import normalize

    assert [m.amount for m in find_money(normalize(text))] == amounts


def test_a_total_explained_by_a_twin_fee_does_not_state_the_other(tmp_path):
    doc = uk_with({"jurisdiction": "US", "currency": "USD", "language": "en-US"},
                  "Unlimited: $12/mo with AutoPay ($17 without).")
    doc["fees"] += [{"id": "surcharge", "name": "Non-AutoPay surcharge", "amount": 5, "recurrence": "monthly",
                     "disclosed_in": ["x"]},
                    {"id": "platform", "name": "Connected Home Platform fee", "amount": 5, "recurrence": "monthly",
                     "disclosed_in": []}]
    found = {f.location.pointer for f in audit_document(doc, tmp_path).findings if f.rule == "FEE-001"}
    assert "/fees/2/amount" in found and "/fees/1/amount" not in found


def test_the_opt_out_every_marketing_sms_carries_is_no_instruction_to_apply(tmp_path):
    doc = with_material("cn", "618充值100元送50元话费，每号限1次。拒收回复R")
    doc["offer"]["requires_opt_in"] = True
    assert "TER-003" in rules(doc, tmp_path)
    told = with_material("cn", "618充值100元送50元话费，请在APP“领券中心”领取。")
    told["offer"]["requires_opt_in"] = True
    assert "TER-003" not in rules(told, tmp_path)


def test_a_negated_apply_word_is_no_step_the_customer_takes(tmp_path):
    doc = with_material("cn", "赠款可抵扣通信费用，不可用于抵扣信息费，不可兑换现金，详见短信。")
    doc["offer"]["requires_opt_in"] = True
    assert "TER-003" in rules(doc, tmp_path)


def _plan_change(script: str) -> dict:
    doc = with_material("cn", script, kind="script")
    doc["offer"].update(type="plan_change", summary="客户当前月费29元的套餐升级为5G套餐，月费86.9元。")
    doc["offer"].pop("term", None)
    doc["fees"][0].update(amount=86.9)
    doc["fees"][0].pop("promo_amount", None)
    return doc


@pytest.mark.parametrize("script", ["您好，现在可以免费为您升级5G套餐，网速更快。", "升级后月费基本不变，您放心。"])
def test_a_plan_change_sold_as_free_while_the_price_rises(script, tmp_path):
    assert "CLM-011" in rules(_plan_change(script), tmp_path)


@pytest.mark.parametrize("script", ["升级后月费由29元调整为86.9元，下月生效，需要您确认。",
                                    "话术禁止：不得使用“免费升级”等表述。升级后月费86.9元。"])
def test_a_plan_change_with_its_new_price_or_a_forbidden_phrase_passes(script, tmp_path):
    assert "CLM-011" not in rules(_plan_change(script), tmp_path)


def test_paying_double_at_a_named_rival_is_a_comparison(tmp_path):
    italy = {"jurisdiction": "EU", "language": "it-IT", "currency": "EUR"}
    doc = uk_with(italy, "Non fare come i clienti TIM che pagano il doppio per una rete che arranca.")
    assert "CMP-002" in rules(doc, tmp_path)
    neutral = uk_with(italy, "Passa a noi da TIM e porta il tuo numero.")
    assert "CMP-002" not in rules(neutral, tmp_path)


@pytest.mark.parametrize("text", ["El antivirus más completo del mercado.", "Najszybszy internet w roamingu!",
                                  "CallShield blocks 100% of robocalls, guaranteed."])
def test_superlatives_in_spanish_polish_and_absolute_promises(text, tmp_path):
    assert "CLM-006" in rules(uk_with({}, text), tmp_path)


def test_a_price_right_before_for_a_length_is_a_promotional_term(tmp_path):
    assert "CNS-003" in rules(uk_with({}, "SIM only just £8/month for 3 months + a free case."), tmp_path)
    assert "CNS-003" not in rules(uk_with({}, "SIM only just £8/month for 6 months + a free case."), tmp_path)


def test_a_one_off_item_at_no_cost_is_no_free_period(tmp_path):
    item = uk_with({}, "Contract summary\nInstallation ....... £0\nMinimum period ..... 12 months", kind="terms")
    assert "FEE-007" not in rules(item, tmp_path)
    trial = uk_with({}, "Streaming add-on FREE for 3 months!")
    assert "FEE-007" in rules(trial, tmp_path)


# --- from the tuning parts of batches bb-be (the third wave) -------------------------------------------------------

def test_a_later_price_on_the_next_line_of_a_wrapped_sentence_is_stated(tmp_path):
    doc = _notice(uk_with({}), "Your minimum term ends on 31/07/2028.\nAfter 31 Jul 2028: your airtime continues month "
                               "to month\nat £13.60. To cancel, give 30 days' notice in the app.")
    assert "EXP-005" not in rules(doc, tmp_path)
    silent = _notice(uk_with({}), "Your minimum term ends on 31/07/2028.\nAfter 31 Jul 2028: your airtime continues "
                                  "month to month. To cancel, give 30 days' notice in the app.")
    assert "EXP-005" in rules(silent, tmp_path)


def test_a_fee_the_customer_may_take_up_after_a_trial_that_stops_need_not_be_in_its_reminder(tmp_path):
    doc = _notice(uk_with({}), "Dernier jour d'essai demain (31/10/2026). L'option s'arrête toute seule.", "auto_cancel")
    doc["fees"].append({"id": "tv", "name": "Option TV (si activée par le client après l'essai)", "amount": 4.99,
                        "recurrence": "monthly", "applies": "after_term", "disclosed_in": ["web"]})
    assert "EXP-005" not in rules(doc, tmp_path)
    doc["fees"][-1]["name"] = "TV channel pack"
    assert "EXP-005" in rules(doc, tmp_path)


def test_a_refundable_security_deposit_is_no_part_of_the_headline(tmp_path):
    doc = uk_with({}, "SIM only: £8/month for 6 months, then £12/month.")
    doc["fees"].append({"id": "dep", "name": "Refundable security deposit (no credit history only)", "amount": 200,
                        "recurrence": "one_time", "disclosed_in": ["summary"]})
    assert "FEE-008" not in rules(doc, tmp_path)


def test_free_right_after_a_label_naming_porting_is_said_of_porting(tmp_path):
    germany = {"jurisdiction": "EU", "language": "de-DE", "currency": "EUR"}
    doc = uk_with(germany, "Allnet 20 GB für 12 €/Monat.\nRufnummernmitnahme: kostenlos – wir übernehmen die Gebühr.")
    doc["fees"].append({"id": "a", "name": "Anschlusspreis", "amount": 19.99, "recurrence": "one_time",
                        "disclosed_in": ["x"]})
    assert "CLM-004" not in rules(doc, tmp_path)


def test_a_faq_question_about_expiry_claims_nothing(tmp_path):
    asked = _validity(with_material("cn", "问：卡内余额是否永久有效？答：余额有效期365天。"), "prepaid_balance")
    asked["validity_limits"][0]["days"] = 365
    assert "CLM-008" not in rules(asked, tmp_path)
    told = _validity(with_material("cn", "卡内余额永久有效！"), "prepaid_balance")
    assert "CLM-008" in rules(told, tmp_path)


def test_what_a_recharge_would_buy_is_no_continuation(tmp_path):
    doc = _notice(uk_with({}), "Your 28-day pack expires on 31/03/2027. After that a £30 recharge gives you 40GB.",
                  "auto_cancel")
    assert "EXP-006" not in rules(doc, tmp_path)


def test_a_discount_off_the_full_price_states_the_price_paid(tmp_path):
    doc = uk_with({}, "Claim £4 off your £12 plan each month for 6 months (then £12/month).")
    assert "FEE-008" not in rules(doc, tmp_path)


def test_a_sim_only_price_said_to_exclude_the_handset(tmp_path):
    doc = uk_with({}, "SIM-only prices compared (excluding handset): £8/month for 6 months, then £12/month.")
    doc["fees"].append({"id": "h", "name": "Handset instalment", "amount": 25, "recurrence": "monthly",
                        "applies": "during_term", "disclosed_in": ["summary"]})
    assert "/materials/2/text" not in _fee_008_at(doc, tmp_path)
    admin = uk_with({}, "Prices compared (excluding admin fee): £8/month for 6 months, then £12/month.")
    admin["fees"].append({"id": "a", "name": "Admin fee", "amount": 3, "recurrence": "monthly",
                          "disclosed_in": ["summary"]})
    assert "/materials/2/text" in _fee_008_at(admin, tmp_path)


def _fee_008_at(doc: dict, tmp_path) -> set[str]:
    return {f.location.pointer for f in audit_document(doc, tmp_path).findings if f.rule == "FEE-008"}


def test_a_modem_kept_with_no_charge_for_leaving_is_free(tmp_path):
    from auditor.text.equipment import recovered_items

    assert recovered_items("maximum early termination charge a$0; no connection or modem fee.") == set()
    assert recovered_items("leave early and we charge the remaining modem cost, up to $216.") == {"modem"}


def test_a_forfeit_on_leaving_is_a_contract_term(tmp_path):
    doc = with_material("cn", "充100送50元话费，赠款分5个月返还！")
    doc["offer"]["eligibility"] = [{"condition": "返还期内号码销户或携号转出的，剩余未返还赠款不再返还",
                                    "disclosed_in": ["terms"]}]
    assert "TER-002" not in rules(doc, tmp_path)


def test_first_in_the_province_is_an_absolute_claim(tmp_path):
    assert "CLM-001" in rules(with_material("cn", "融合88｜宽带速度全省第一\n手机套餐88元/月"), tmp_path)


def test_a_notice_period_in_calendar_months_written_twice(tmp_path):
    dutch = {"jurisdiction": "EU", "language": "nl-NL", "currency": "EUR"}
    doc = uk_with(dutch, "12.3 Na verlenging kan de klant opzeggen met een opzegtermijn van drie\n     (3) "
                         "kalendermaanden.", kind="terms")
    assert "CAN-008" in rules(doc, tmp_path)


def test_the_cheapest_in_a_country_is_a_superlative(tmp_path):
    assert "CLM-006" in rules(uk_with({}, "De goedkoopste van Nederland!"), tmp_path)
