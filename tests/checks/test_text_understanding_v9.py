"""Text understanding v9 (issue #16, eighth round, 30 November 2026): classes the auditor still misread on the
tuning parts of the eighth round's blind batches (bz, ca, cb, cc), each with a campaign that must trigger and a
twin that must not. Every must-trigger and must-pass case a change was made for failed before it (checked by
stashing the change)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import rule_ids as rules
from helpers import with_material

from auditor.text.money import find_money
from auditor.text.normalize import normalize

US = {"jurisdiction": "US", "language": "en-US", "currency": "USD"}
AU = {"jurisdiction": "AU", "language": "en-AU", "currency": "AUD"}
EU_PT = {"jurisdiction": "EU", "language": "pt-PT", "currency": "EUR"}
EU_ES = {"jurisdiction": "EU", "language": "es-ES", "currency": "EUR"}
EU_IE = {"jurisdiction": "EU", "language": "en-IE", "currency": "EUR"}
HK = {"jurisdiction": "HK", "language": "zh-HK", "currency": "HKD"}
TW = {"jurisdiction": "TW", "language": "zh-TW", "currency": "TWD"}


def _amounts(text: str) -> list[tuple[str, str | None]]:
    return [(str(m.amount), m.period) for m in find_money(normalize(text))]


# --- Prices as people write them ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("por 30 euros con 25 céntimos al mes", [("30.25", "month")]),  # the hundredths said in words
    ("£12 and 50p a month", [("12.5", "month")]),
    ("30 Euro und 25 Cent pro Monat", [("30.25", "month")]),
    ("5G年卡 HK$388 一次過！", [("388", None)]),  # 一次過: paid in one go, not a price per use
    ("第7個月起$599，30GB夠你滑", [("599", None)]),  # a comma before a data amount is no decimal comma
])
def test_amounts_as_people_write_them(text, expected):
    assert _amounts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("$30 a line, 25 cents per minute", [("30", None), ("0.25", "minute")]),  # a comma: two prices
    ("9,99 € al mes", [("9.99", "month")]),
    ("每次5元", [("5", None)]),
    ("HK$50一次", [("50", "use")]),
])
def test_amounts_that_stay_as_they_were(text, expected):
    assert _amounts(text) == expected


def test_a_script_giving_the_price_in_euros_and_cents_states_it(tmp_path):
    doc = with_material("uk", "Le ofrecemos fibra por 30 euros con 25 céntimos al mes, IVA incluido, durante 6 meses; "
                              "después 38 euros al mes.", kind="script", **EU_ES)
    doc["fees"][0].update({"amount": 38, "promo_amount": 30.25})
    doc["materials"] = [m for m in doc["materials"] if m["id"] != "web"]
    assert "FEE-008" not in rules(doc, tmp_path)


# --- CLM-005: what "no lock-in" is said of ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "No lock-in! Cancel anytime, no exit fees. £8 a month.",
    "Sem fidelização: 8 € por mês durante 6 meses.",
])
def test_a_no_lock_in_claim_about_the_offer_is_still_flagged(tmp_path, text):
    doc = with_material("uk", text)
    assert "CLM-005" in rules(doc, tmp_path)


@pytest.mark.parametrize("text", [
    # another version of the offer, priced differently
    "Fibra a 8 €/mês durante 6 meses. Oferta também disponível sem fidelização (54,99 €/mês) e com fidelização "
    "de 12 meses (44,99 €/mês).",
    "| 12 meses | 8 €/mês durante 6 meses |\n| Sem fidelização | 54,99 €/mês | 85 € |",
    # after the period, in Portuguese
    "No fim do período de fidelização, o contrato mantém-se sem fidelização e pode ser denunciado a todo o tempo.",
    # the customer's present plan, described on a call
    "You're currently on our 30GB SIM only plan at £15 a month, with no minimum term.",
    # a question a FAQ answers
    "Can I cancel anytime with no exit fees? You can, once your 12 months are up.",
    # the device balance said with the claim
    "Early termination: no plan exit fee; the outstanding device balance becomes payable (maximum £24).",
])
def test_a_no_lock_in_phrase_said_of_something_else_passes(tmp_path, text):
    doc = with_material("uk", text)
    assert "CLM-005" not in rules(doc, tmp_path)


def test_a_no_fee_exit_that_a_failed_condition_triggers_passes(tmp_path):
    doc = with_material("uk", "如果到8月31日還是沒滿20戶，9月30日前可以免違約金退租。", **TW)
    assert "CLM-005" not in rules(doc, tmp_path)


def test_a_no_fee_exit_promised_without_a_condition_is_flagged(tmp_path):
    doc = with_material("uk", "申辦後隨時可以免違約金退租，安心無負擔。", **TW)
    assert "CLM-005" in rules(doc, tmp_path)


# --- CLM-010: a no-fee claim about another tariff or another channel ---------------------------------------------


def _with_setup_fee(doc: dict, name: str = "Set-up fee") -> dict:
    doc["fees"].append({"id": "setup", "name": name, "amount": 29.99, "recurrence": "one_time",
                        "disclosed_in": ["web", "summary"]})
    return doc


def test_no_set_up_fee_claim_while_everyone_pays_one_is_flagged(tmp_path):
    doc = _with_setup_fee(with_material("uk", "Full Fibre 500 at £8 a month with no set-up fee."))
    assert "CLM-010" in rules(doc, tmp_path)


def test_no_set_up_fee_said_of_another_tariff_passes(tmp_path):
    doc = _with_setup_fee(with_material("uk", "Full Fibre 500 for £8 a month. On benefits? Ask about our social tariff "
                                              "at £15 a month with no set-up fee and no exit charges."))
    assert "CLM-010" not in rules(doc, tmp_path)


@pytest.mark.parametrize("fee_name, flagged", [
    ("In-store activation charge per line", False),  # charged in another channel than the claim's
    ("Activation charge per line", True),  # charged everywhere
])
def test_no_activation_charge_online_against_where_the_fee_is_charged(tmp_path, fee_name, flagged):
    doc = with_material("uk", "No activation charge for orders on northwind.com.", **US)
    doc["fees"].append({"id": "act", "name": fee_name, "amount": 10, "recurrence": "one_time",
                        "disclosed_in": ["web", "summary"]})
    assert ("CLM-010" in rules(doc, tmp_path)) is flagged


# --- CLM-008: "does not expire" with the limit told beside it -----------------------------------------------------


@pytest.mark.parametrize("text, flagged", [
    ("Topped-up credit never expires. Top up from £10.", True),
    ("Topped-up credit does not expire. If your SIM has no chargeable use for 180 days we may disconnect it after "
     "giving you notice.", False),  # the limit's length told right after the claim
])
def test_credit_does_not_expire_against_a_limit(tmp_path, text, flagged):
    doc = with_material("uk", text)
    doc["validity_limits"] = [{"subject": "prepaid_balance", "days": 180, "disclosed_in": ["x"]}]
    assert ("CLM-008" in rules(doc, tmp_path)) is flagged


def test_a_length_before_the_claim_does_not_tell_the_limit(tmp_path):
    doc = with_material("cn", "首年宽带0元，月费88元，需在网24个月，每月消费还能攒积分，积分永久有效、兑换不清零！")
    doc["validity_limits"] = [{"subject": "points", "months": 12, "disclosed_in": ["x"]}]
    assert "CLM-008" in rules(doc, tmp_path)


# --- CLM-004: a handset named by its model, called free ------------------------------------------------------------


def test_a_model_called_free_while_a_handset_fee_is_paid_at_sale_is_flagged(tmp_path):
    doc = with_material("uk", "GET THE GALAXY S27 FREE with Harbour 5G Max. €8 a month for 6 months, then €12. €49 handset fee at sale.",
                        **EU_IE)
    doc["fees"].append({"id": "handset", "name": "Handset fee (paid at sale)", "amount": 49,
                        "recurrence": "one_time", "disclosed_in": ["x"]})
    assert "CLM-004" in rules(doc, tmp_path)


def test_a_model_called_free_with_nothing_paid_for_it_passes(tmp_path):
    doc = with_material("uk", "GET THE GALAXY S27 FREE with Harbour 5G Max. €8 a month for 6 months, then €12.",
                        **EU_IE)
    assert "CLM-004" not in rules(doc, tmp_path)


# --- TER-005: a promise not to ask for the waiver is no waiver ---------------------------------------------------


def test_a_clause_making_the_customer_waive_the_review_period_is_flagged(tmp_path):
    doc = with_material("uk", "消費者同意拋棄審閱期，簽約後立即生效。", kind="terms", **TW)
    assert "TER-005" in rules(doc, tmp_path)


def test_a_clause_forbidding_the_operator_to_ask_for_the_waiver_passes(tmp_path):
    doc = with_material("uk", "依消費者保護法第11條之1，本公司不得要求消費者拋棄審閱期，亦不以任何方式縮短之。",
                        kind="terms", **TW)
    assert "TER-005" not in rules(doc, tmp_path)


# --- FEE-008: a paper-bill fee is the customer's choice ----------------------------------------------------------


def _with_fee(doc: dict, name: str) -> dict:
    """The advert alone beside a key-facts page that lists the fee."""
    doc["materials"] = [m for m in doc["materials"] if m["id"] == "x"]
    doc["materials"].append({"id": "cis", "kind": "terms", "channel": "web", "text":
                             f"Critical Information Summary. Plan A$45 a month, month to month. {name}: A$2.20 a month."})
    del doc["offer"]["term"], doc["offer"]["commitment"], doc["end_of_term"]
    doc["offer"]["summary"] = "80GB SIM-only plan at A$45 a month, month to month."
    doc["fees"][0].update({"amount": 45, "disclosed_in": ["x", "cis"]})
    del doc["fees"][0]["promo_amount"]
    doc["fees"].append({"id": "extra", "name": name, "amount": 2.2, "recurrence": "monthly", "disclosed_in": ["cis"]})
    return doc


def test_a_headline_leaving_out_a_mandatory_monthly_fee_is_flagged(tmp_path):
    doc = _with_fee(with_material("uk", "80GB SIM-only for A$45/mth. No lock-in.", **AU), "Network access fee")
    assert "FEE-008" in rules(doc, tmp_path)


def test_a_headline_without_the_paper_bill_fee_passes(tmp_path):
    doc = _with_fee(with_material("uk", "80GB SIM-only for A$45/mth. No lock-in.", **AU), "Paper bill fee")
    assert "FEE-008" not in rules(doc, tmp_path)


# --- CMP-001: the rival named in the question a porting answer answers --------------------------------------------


def test_a_rival_named_in_a_faq_question_answered_by_porting_passes(tmp_path):
    doc = with_material("cn", "问：我现在用的是中国联通的号码，能办吗？答：可以，通过携号转网转入后即可办理，号码保持不变。")
    assert "CMP-001" not in rules(doc, tmp_path)


def test_a_rival_named_in_a_question_with_no_porting_answer_is_flagged(tmp_path):
    doc = with_material("cn", "问：为什么比中国联通便宜？答：因为我们更用心。")
    assert {"CMP-001", "CMP-002"} & rules(doc, tmp_path)


# --- CNS-003: a confirmation restating another length -------------------------------------------------------------


def test_a_confirmation_naming_another_plan_length_is_flagged(tmp_path):
    doc = with_material("uk", "Thanks for your order! 30GB at £8 a month on a 36-month plan.", kind="email")
    doc["materials"][-1]["channel"] = "notification"
    assert "CNS-003" in rules(doc, tmp_path)


def test_a_thirty_day_rolling_plan_is_no_plan_length(tmp_path):
    doc = with_material("uk", "Thanks for your order! 30GB at £8 a month on a 30-day plan after your 12 months.",
                        kind="email")
    doc["materials"][-1]["channel"] = "notification"
    assert "CNS-003" not in rules(doc, tmp_path)


def test_a_cantonese_registration_confirmation_is_read_as_the_welcome(tmp_path):
    doc = with_material("uk", "【維港流動】閣下已成功登記維港影視Plus，免費試用期9個月，期滿後每月HK$12自動續訂。",
                        kind="sms", **HK)
    doc["materials"][-1]["channel"] = "notification"
    assert "CNS-003" in rules(doc, tmp_path)


# --- TER-003: what says how to apply ----------------------------------------------------------------------------


def _opt_in(text: str) -> dict:
    doc = with_material("uk", text, **US)
    doc["offer"]["requires_opt_in"] = True
    doc["materials"] = [m for m in doc["materials"] if m["id"] == "x"]
    for fee in doc["fees"]:
        fee["disclosed_in"] = ["x"]
    return doc


@pytest.mark.parametrize("text, says_how", [
    # a rate list names the service "text", and "rates apply" asks nothing
    ("Refill $50, get $10 more! Talk 10¢/min · Text 5¢. Standard rates apply: talk $0.10/min, text $0.05/message.",
     False),
    ("Refill $50, get $10 more! Text BONUS to 2345 (free) to claim.", True),
    # a menu path to cancel by is no way to apply; one to claim by is
    ("Claim your $10 discount within 30 days of activation. Cancel online at My Account > Services > Cancel.", False),
    ("Claim your $10 discount within 30 days of activation at My Account > Offers > Claim.", True),
    # registering a payment card pays for the service; registering for the benefit applies for it
    ("StreamStack is included. You will need to create a StreamStack account and register a payment card.", False),
    ("StreamStack is included: register online at streamstack.example with your mobile number.", True),
])
def test_what_says_how_to_apply(tmp_path, text, says_how):
    assert ("TER-003" not in rules(_opt_in(text), tmp_path)) is says_how


def test_a_claim_at_the_very_end_of_a_text_is_read(tmp_path):
    # the qualifications read money in whole sentences: a claim with nothing after it is still judged
    doc = with_material("uk", "£8 a month. No lock-in")
    assert "CLM-005" in rules(doc, tmp_path)


# --- Ninth round (compliant-heavy batches ch, ci, cj, ck) ---------------------------------------------------------

FR = {"jurisdiction": "EU", "language": "fr-FR", "currency": "EUR"}


@pytest.mark.parametrize("text, changes", [
    # the version without commitment, priced in the fee table under its own name
    ("Forfait 100 Go : 8 €/mois avec engagement 12 mois ou 14,99 €/mois sans engagement.", FR),
    # the column of that version in a table beside the committed one
    ("| | Avec engagement 12 mois | Sans engagement |\n| Prix | 8 €/mois | 14,99 €/mois |", FR),
    # after the period, asked and answered
    ("Et après 12 mois ? Le forfait continue à 12 €/mois, sans engagement.", FR),
    # an instruction to staff
    ("Never describe the new plan as free, as a reward, or as having no contract.", {}),
    # a right to leave that the operator's broken promise triggers
    ("If we break this promise you can leave immediately with no exit fee.", {}),
    # 期满: upon expiry
    ("期滿不綁約，月租$12續用、隨時可退租。", TW),
])
def test_more_no_lock_in_phrases_said_of_something_else_pass(tmp_path, text, changes):
    doc = with_material("uk", text, **changes)
    doc["fees"].append({"id": "flex", "name": "Forfait 100 Go – formule sans engagement", "amount": 14.99,
                        "recurrence": "monthly", "disclosed_in": ["x"]})
    assert "CLM-005" not in rules(doc, tmp_path)


def test_a_tile_whose_segments_are_not_table_columns_is_still_read(tmp_path):
    doc = with_material("uk", "30GB + phone | £8/mth for 12 months | Cancel anytime, no exit fees!")
    assert "CLM-005" in rules(doc, tmp_path)


@pytest.mark.parametrize("fee, flagged", [(0, False), (24, True)])
def test_leave_any_time_against_a_minimum_period_that_costs_nothing_to_leave(tmp_path, fee, flagged):
    doc = with_material("uk", "12-month contract · no price rises · leave any time with 30 days' notice.")
    doc["offer"]["commitment"]["early_termination_fee"] = fee
    assert ("CLM-005" in rules(doc, tmp_path)) is flagged


def test_what_an_insurance_document_says_of_cancelling_is_the_covers(tmp_path):
    doc = with_material("uk", "Insurance Product Information Document – Northwind Phone Cover\nPrice: £7.99 a month.\n"
                              "Cancellation: cancel any time by calling us, with no cancellation fee.", kind="terms")
    doc["fees"].append({"id": "cover", "name": "Northwind Phone Cover (optional)", "amount": 7.99,
                        "recurrence": "monthly", "disclosed_in": ["x"]})
    assert "CLM-005" not in rules(doc, tmp_path)


def test_an_optional_extra_named_in_the_text_but_not_the_title_does_not_excuse_the_claim(tmp_path):
    doc = with_material("uk", "30GB for £8 a month. Add Northwind Phone Cover for £7.99. Cancel anytime, no "
                              "cancellation fee.")
    doc["fees"].append({"id": "cover", "name": "Northwind Phone Cover (optional)", "amount": 7.99,
                        "recurrence": "monthly", "disclosed_in": ["x"]})
    assert "CLM-005" in rules(doc, tmp_path)


@pytest.mark.parametrize("text, flagged", [
    ("Sim only 1 jaar: €8 per maand, daarna €12. Aansluitkosten: €0.", False),  # a one-off item at nothing
    ("| Set-up fee | £0 | £20.00 |", False),
    ("Never describe the new plan as free.", False),  # an instruction to staff
    ("Your first month FREE, then the plan continues.", True),
])
def test_free_said_of_the_offer_or_of_something_else(tmp_path, text, flagged):
    doc = with_material("uk", text)
    assert ("FEE-007" in rules(doc, tmp_path)) is flagged


def _broadband(summary: str) -> dict:
    doc = with_material("uk", "Essentials – £8 a month\n- 50Mb average download speed, unlimited usage\n- No set-up fee")
    doc["offer"]["summary"] = summary
    return doc


def test_unlimited_usage_of_a_broadband_offer_is_the_lines(tmp_path):
    doc = _broadband("Social tariff: 50Mb fibre broadband for £8 a month for 6 months, then £12; 12-month contract.")
    doc["materials"].append({"id": "fup", "kind": "terms", "channel": "web",
                             "text": "Mobile data: fair use 100GB a month, then speeds are reduced."})
    assert "CLM-002" not in rules(doc, tmp_path)


def test_unlimited_of_a_mobile_offer_needs_its_limit(tmp_path):
    doc = _broadband("30GB mobile SIM-only plan at £8/month for 6 months, then £12/month; 12-month contract.")
    doc["materials"].append({"id": "fup", "kind": "terms", "channel": "web",
                             "text": "Mobile data: fair use 100GB a month, then speeds are reduced."})
    assert "CLM-002" in rules(doc, tmp_path)


@pytest.mark.parametrize("text", [
    "合作网络：香港 CSL、3香港；台湾 远传电信、台湾大哥大；日本 NTT docomo。",  # partners listed after the heading
])
def test_roaming_partners_listed_after_their_heading_are_no_comparison(tmp_path, text):
    assert not {"CMP-001", "CMP-002"} & rules(with_material("cn", text), tmp_path)


def test_a_rival_said_to_be_bigger_is_still_a_comparison(tmp_path):
    assert "CMP-002" in rules(with_material("cn", "我们的网络比远传电信更大更快。"), tmp_path)


def test_french_notices_saying_the_plan_goes_on_do_not_contradict_the_behaviour(tmp_path):
    # the tuning campaign itself: "Ensuite, votre forfait continue au même prix", "Forfait inchangé à 9,99 EUR/mois"
    path = Path(__file__).parents[1] / "corpus" / "fresh-ci" / "bci-eu-04-fr-forfait-avec-sans-engagement-ok.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "EXP-006" not in rules(doc, tmp_path)
    doc["end_of_term"]["notifications"][1]["text"] = "Lumiere Mobile : votre engagement se termine le 30/06/2027."
    assert "EXP-006" in rules(doc, tmp_path)


@pytest.mark.parametrize("condition, flagged", [
    ("Existing Northwind customers out of contract on the 10GB SIM-only plan.", False),  # whom the call is made to
    # who may buy: told where the offer is made; since the eleventh round not required in the contract (blind
    # writers leave it out of contract summaries, CIS and key-facts statements, and no label asks for it there)
    ("Aged 18 or over with a UK address.", False),
    # a condition the price depends on stays a term of the contract, which must state it
    ("Paying by AutoPay: without it the plan costs £10 a month.", True),
])
def test_whom_an_offer_is_made_to_is_told_where_it_is_made(tmp_path, condition, flagged):
    doc = with_material("uk", f"Call script: you're one of our {condition.lower()} We can move you to 30GB for £8 a "
                              f"month for 6 months, then £12; 12-month contract.", kind="script")
    doc["offer"]["eligibility"] = [{"condition": condition, "disclosed_in": ["x"]}]
    assert ("TER-002" in rules(doc, tmp_path)) is flagged
