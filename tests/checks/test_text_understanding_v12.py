"""Text understanding v12 (issue #16, twelfth round, 1 December 2026): each change with a campaign that must
trigger and a twin that must not. Every must-trigger and must-pass case a change was made for failed before it
(checked by stashing the change)."""

from __future__ import annotations

import pytest
from helpers import audit_document

from auditor.examples import build


def _findings(doc: dict, tmp_path, rule: str):
    return [f for f in audit_document(doc, tmp_path).findings if f.rule == rule]


# --- A step the text says is not there is no obstacle to leaving (CAN-009) ---------------------------------------


@pytest.mark.parametrize("instructions, flagged", [
    ("example.com/cancel – one-click cancel, no retention call required", False),
    ("Cancel online in one step, without a survey: nothing else is required.", False),
    ("To cancel, you must first complete the exit survey and hear our retention offers.", True),
    ("To cancel you must speak to an agent on the phone; our retention team will call you back.", True),
])
def test_a_step_said_not_to_be_needed_does_not_obstruct_cancelling(tmp_path, instructions, flagged):
    doc = build({"base": "uk", "patch": {"/cancellation/methods/0/instructions": instructions}})
    assert bool(_findings(doc, tmp_path, "CAN-009")) is flagged


# --- A phone sale's script without the monthly price is a fee left undisclosed (CON-005) --------------------------


def _phone_sale(script: str, sms: str | None = None, method: str = "recorded_call") -> dict:
    patch = {"channels": ["telemarketing"], "/offer/type": "plan_change", "/consent/method": method,
             "/materials/0/channel": "telemarketing", "/materials/1/channel": "telemarketing",
             "/materials/-": {"id": "script", "kind": "script", "channel": "telemarketing", "text": script}}
    doc = build({"base": "cn", "patch": patch})
    if sms is not None:
        doc["materials"].append({"id": "confirm", "kind": "sms", "channel": "sms", "text": sms})
    return doc


def test_a_script_that_never_states_the_monthly_price_is_a_fee_disclosure_finding(tmp_path):
    """Counsel writing the blind batches filed "the call script never states the new price" under fee disclosure
    18 times and under consent (where the written confirmation is what lacks it) for the SMS; the rule reports
    what is missing from the script, a price."""
    found = _findings(_phone_sale("您好，作为老客户回馈，现为您升级10GB流量包，只是一点点调整。"), tmp_path, "CON-005")
    assert [f.category for f in found] == ["fee_disclosure"]
    assert not _findings(_phone_sale("您好，现为您升级10GB流量包，前12个月每月5元，之后每月10元。"), tmp_path, "CON-005")


# --- The written confirmation that lacks the price is what to fix (CON-004) --------------------------------------


def test_the_confirmation_message_without_the_price_is_where_the_finding_points(tmp_path):
    script = "您好，现为您升级10GB流量包，前12个月每月5元，之后每月10元。"
    unpriced = _phone_sale(script, sms="【中国移动】您已成功办理10GB流量包升级，感谢您的支持。")
    assert [f.location.pointer for f in _findings(unpriced, tmp_path, "CON-004")] == ["/materials/3/text"]
    priced = _phone_sale(script, sms="【中国移动】您已成功办理10GB流量包，前12个月5元/月，之后10元/月。")
    assert not _findings(priced, tmp_path, "CON-004")
    # no recording: how consent is collected is at fault, not only the message
    unrecorded = _phone_sale(script, sms="【中国移动】您已成功办理10GB流量包升级，感谢您的支持。", method="none")
    assert [f.location.pointer for f in _findings(unrecorded, tmp_path, "CON-004")] == ["/consent"]


# --- "Free" beside a charge for delivery *and* activation (CLM-004) ----------------------------------------------


def _eu_free_router(fee_name: str) -> dict:
    doc = build({"base": "uk", "patch": {"jurisdiction": "EU", "currency": "EUR", "language": "de-DE",
                                         "/materials/0/text": (
        "5G Zuhause für 8 €/Monat in den ersten 6 Monaten, danach 12 €/Monat + GRATIS WLAN-Router obendrauf*. "
        "*12 Monate Mindestlaufzeit. Zzgl. einmalig 29,99 € " + fee_name + " für den Router.")}})
    doc["fees"].append({"id": "router", "name": fee_name, "amount": 29.99, "recurrence": "one_time",
                        "disclosed_in": [doc["materials"][0]["id"]]})
    return doc


def test_free_is_untrue_when_the_customer_pays_for_activation_as_well_as_delivery(tmp_path):
    assert _findings(_eu_free_router("Versand- und Aktivierungspauschale"), tmp_path, "CLM-004")
    assert not _findings(_eu_free_router("Versandkosten"), tmp_path, "CLM-004")  # delivery alone may be charged


# --- A trade-in grid states amounts paid to the customer and a one-off charge, not the offer's price (FEE-008) ---


_GRID = ("Trade-in grid\n| Model | Trade-in value | Bonus | Total paid to you |\n| Galaxy S24 | £240 | £100 | £340 |\n"
         "| Pixel 8 | £150 | £50 | £200 |\nBonus only with a new plan taken in store (SIM card £10).")


def _uk_with_sim_fee(grid_text: str) -> dict:
    doc = build({"base": "uk", "patch": {"/materials/-": {"id": "grid", "kind": "advert", "channel": "store",
                                                         "text": grid_text}}})
    doc["channels"] = sorted({*doc["channels"], "store"})
    doc["fees"].append({"id": "sim", "name": "SIM card", "amount": 10, "recurrence": "one_time",
                        "disclosed_in": ["web", "summary", "grid"]})
    doc["materials"][0]["text"] += " SIM card £10."
    return doc


def test_a_trade_in_grid_advertises_no_price_of_the_plan(tmp_path):
    assert not _findings(_uk_with_sim_fee(_GRID), tmp_path, "FEE-008")
    assert not _findings(_uk_with_sim_fee(_GRID.replace(" (SIM card £10)", "")), tmp_path, "FEE-008")
    # the grid giving the plan's price must give every mandatory fee beside it
    priced = _GRID.replace("(SIM card £10).", "Plans from £8/month.")
    assert [f.location.pointer for f in _findings(_uk_with_sim_fee(priced), tmp_path, "FEE-008")] == ["/materials/2/text"]


# --- A reminder's lead time is no validity period (TER-001) ------------------------------------------------------


def _cn_bonus(terms: str) -> dict:
    doc = build({"base": "cn", "patch": {"/materials/1/text": terms}})
    doc["validity_limits"] = [{"subject": "allowance", "days": 30, "disclosed_in": ["ad"]}]
    return doc


@pytest.mark.parametrize("terms, flagged", [
    ("开学礼包：办理当日赠送30GB校园流量。优惠到期前30日、7日短信提醒。", True),
    ("开学礼包：办理当日赠送30GB校园流量，自到账之日起30日内有效，逾期清零。到期前7日短信提醒。", False),
])
def test_a_reminder_sent_thirty_days_before_is_no_thirty_day_validity(tmp_path, terms, flagged):
    assert bool(_findings(_cn_bonus(terms), tmp_path, "TER-001")) is flagged


# --- The way to cancel asking for months of notice, and that notice read in Chinese (CAN-008) --------------------


def _hk_store_cancellation(instructions: str) -> dict:
    doc = build({"base": "uk", "patch": {"jurisdiction": "HK", "currency": "HKD", "language": "zh-HK"}})
    doc["cancellation"]["methods"] = [{"channel": "store", "instructions": instructions, "available": "anytime"}]
    return doc


@pytest.mark.parametrize("instructions, flagged", [
    ("客戶須於合約屆滿前最少90日以書面形式（填妥終止服務表格）親臨門市遞交", True),
    ("You must give us 3 months' written notice, in store, to cancel.", True),
    ("客戶可於合約屆滿前親臨門市遞交終止服務表格，即日處理", False),
    ("本公司將於合約屆滿前60日以短信通知客戶；客戶可隨時親臨門市終止服務", False),  # the operator's notice
])
def test_a_way_to_cancel_that_asks_for_months_of_notice_is_flagged(tmp_path, instructions, flagged):
    found = _findings(_hk_store_cancellation(instructions), tmp_path, "CAN-008")
    assert [f.location.pointer for f in found] == (["/cancellation/methods/0/instructions"] if flagged else [])


# --- A control on the page that is itself the opt-in says how to apply (TER-003) ---------------------------------


def _uk_opt_in(page: str) -> dict:
    doc = build({"base": "uk", "patch": {"/offer/requires_opt_in": True, "/materials/0/text": page}})
    return doc


@pytest.mark.parametrize("page, flagged", [
    ("Add ReelBox: $0 for 3 months, then £7.99/month. [ ] I agree to the offer terms. [Activate ReelBox]", False),
    ("International Calling Pack, £10 every 30 days. [Add pack] then confirm the charge.", False),
    ("Auto top-up is optional: if you turn it on in the app or online, we charge £10 every 30 days.", False),
    ("Get 30GB for £8/month for 6 months, then £12/month. [Buy now]", True),  # a sign-up, no separate application
    ("Get 30GB for £8/month for 6 months, then £12/month. [Cancel add-on]", True),
])
def test_an_opt_in_control_on_the_page_says_how_to_apply(tmp_path, page, flagged):
    assert bool(_findings(_uk_opt_in(page), tmp_path, "TER-003")) is flagged


# --- "Free" said of porting in a label, and of a gift beside the phone's upfront price (CLM-004) ----------------


def _eu_prepaid_with_starter(line: str) -> dict:
    doc = build({"base": "uk", "patch": {"jurisdiction": "EU", "currency": "EUR", "language": "de-DE",
                                         "/materials/0/text": ("Allnet Flat: 8 €/Monat in den ersten 6 Monaten, "
                                                               "danach 12 €/Monat. Startpaket 9,99 €.\n" + line)}})
    doc["fees"].append({"id": "start", "name": "Startpaket", "amount": 9.99, "recurrence": "one_time",
                        "disclosed_in": [doc["materials"][0]["id"]]})
    return doc


def test_free_porting_given_as_a_labelled_value_is_no_free_offer(tmp_path):
    ported = ("• Rufnummernmitnahme von Telekom, Vodafone, o2 oder jedem anderen Anbieter: kostenlos, einfach im "
              "Bestellprozess angeben.")
    assert not _findings(_eu_prepaid_with_starter(ported), tmp_path, "CLM-004")
    assert _findings(_eu_prepaid_with_starter("• WLAN-Router: kostenlos"), tmp_path, "CLM-004")


def _uk_phone_with_gift(line: str) -> dict:
    doc = build({"base": "uk", "patch": {"/materials/0/text": "Galaxy S26 for £30 upfront and £8/month for 6 months, "
                                                              "then £12/month. " + line}})
    doc["fees"].append({"id": "upfront", "name": "Upfront cost", "amount": 30, "recurrence": "one_time",
                        "disclosed_in": [doc["materials"][0]["id"]]})
    return doc


def test_a_gift_with_the_plan_is_not_paid_for_by_the_phones_upfront_price(tmp_path):
    assert not _findings(_uk_phone_with_gift("FREE Galaxy Buds3 when you order this plan."), tmp_path, "CLM-004")
    assert _findings(_uk_phone_with_gift("FREE phone when you order this plan."), tmp_path, "CLM-004")


# --- What remains when an offer ends by itself is the customer's own plan (EXP-006) -----------------------------


def _bonus_that_ends(reminder: str) -> dict:
    doc = build({"base": "uk", "patch": {"/end_of_term/behavior": "auto_cancel",
                                         "/end_of_term/notifications/0/text": reminder}})
    return doc


@pytest.mark.parametrize("reminder, flagged", [
    ("Your bonus 20GB a month ends on 31/03/2027. After that your plan goes back to its usual data allowance.", False),
    ("Your device payments end in March 2027. After that you'll pay only your Unlimited plan.", False),
    ("Your bonus pass will renew automatically each month until you cancel.", True),
])
def test_the_plan_carrying_on_after_an_offer_ends_is_no_contradiction(tmp_path, reminder, flagged):
    found = [f for f in _findings(_bonus_that_ends(reminder), tmp_path, "EXP-006")
             if f.location.pointer == "/end_of_term/notifications/0/text"]
    assert bool(found) is flagged


# --- "Without commitment" said of the time after the commitment period (CLM-005) --------------------------------


@pytest.mark.parametrize("line, flagged", [
    ("Termination after the Commitment Period: one month's notice by phone or online; no termination charge.", False),
    ("A los 12 meses: sigues con tu tarifa a 12 €/mes, sin permanencia.", False),
    ("No termination charge, leave whenever you like.", True),
])
def test_a_claim_about_after_the_commitment_period_is_true(tmp_path, line, flagged):
    doc = build({"base": "uk", "patch": {"/materials/0/text": "30GB SIM-only for £8/month for your first 6 months, "
                                                              "then £12/month. 12-month contract. " + line}})
    assert bool(_findings(doc, tmp_path, "CLM-005")) is flagged


# --- Two rates of one amount told apart by their units (FEE-001) -----------------------------------------------


def test_rates_of_the_same_amount_are_told_apart_by_their_units(tmp_path):
    doc = build({"base": "uk", "patch": {"/materials/0/text": "30GB SIM-only for £8/month for your first 6 months, "
                                                              "then £12/month. Outside the bundle: 9p/min, 9p/SMS."}})
    doc["fees"] += [{"id": "min", "name": "Standard rate calls outside the bundle", "amount": 0.09,
                     "recurrence": "per_unit", "unit": "minute", "disclosed_in": ["web"]},
                    {"id": "sms", "name": "Standard rate SMS outside the bundle", "amount": 0.09,
                     "recurrence": "per_unit", "unit": "SMS", "disclosed_in": ["web"]}]
    assert not _findings(doc, tmp_path, "FEE-001")
    doc["materials"][0]["text"] = doc["materials"][0]["text"].replace(" 9p/min,", "")
    assert [f.location.pointer for f in _findings(doc, tmp_path, "FEE-001")] == ["/fees/1/amount"]


def test_a_cell_is_read_under_its_column_header():
    from auditor.text.tables import column_header

    text = ("Grid\n| Model | Trade-in value | Total paid to you |\n| Pixel 8 | £150 | £200 |\nSIM card £10\n"
            "| a | b |\n|---|---|\n| x | £5 |")
    assert column_header(text, text.index("£150")) == "Trade-in value"
    assert column_header(text, text.index("£200")) == "Total paid to you"
    assert column_header(text, text.index("£5")) == "b"  # under a separator row, the first row is the header
    assert column_header(text, text.index("£10")) is None  # not in a table
    assert column_header(text, text.index("Model")) is None  # the header row itself


# --- Batch dj (compliant-heavy): the advertiser's own range, a fee after the contract, a notice about leaving ----


@pytest.mark.parametrize("text, flagged", [
    ("千兆宽带：本公司目前提供的最高宽带速率档，月费199元。", False),
    ("千兆宽带：全网最高速率，月费199元。", True),
])
def test_the_highest_of_what_the_advertiser_itself_offers_is_no_absolute_claim(tmp_path, text, flagged):
    doc = build({"base": "cn", "patch": {"/materials/-": {"id": "poster", "kind": "poster", "channel": "store",
                                                          "text": text}}})
    doc["channels"] = sorted({*doc["channels"], "store"})
    assert bool(_findings(doc, tmp_path, "CLM-001")) is flagged


def test_a_fee_named_as_charged_after_the_contract_is_no_part_of_the_headline(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"].append({"id": "after", "name": "Out-of-contract monthly price", "amount": 15, "recurrence": "monthly",
                        "applies": "always", "disclosed_in": ["summary"]})
    assert not _findings(doc, tmp_path, "FEE-008")
    doc["fees"][-1]["name"] = "Monthly line rental"
    assert _findings(doc, tmp_path, "FEE-008")

