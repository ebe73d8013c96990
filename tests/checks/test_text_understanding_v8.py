"""Text understanding v8 (issue #16, seventh round, 30 November 2026): classes the auditor still misread on the
tuning parts of the blind batches, each with a campaign that must trigger and a twin that must not. Every
must-trigger case failed before its change (checked by stashing the change); the twins passed throughout."""

from __future__ import annotations

import pytest
from helpers import rule_ids as rules
from helpers import with_material

# --- CLM-005 reads the welcome message too: the minimum period has just begun when it is sent ------------------


def _welcome(text: str) -> dict:
    doc = with_material("uk", text, kind="sms")
    doc["materials"][-1]["channel"] = "notification"
    return doc


def test_welcome_sms_saying_cancel_anytime_no_fee_during_a_minimum_period_is_flagged(tmp_path):
    doc = _welcome("Welcome to Northwind! 30GB for £8 a month. No strings attached: cancel anytime, no fee.")
    assert "CLM-005" in rules(doc, tmp_path)


def test_welcome_sms_that_says_leaving_is_free_after_the_period_passes(tmp_path):
    doc = _welcome("Welcome to Northwind! 30GB for £8 a month. After your 12-month minimum period you can cancel "
                   "anytime, no fee.")
    assert "CLM-005" not in rules(doc, tmp_path)


def test_a_later_notification_saying_leaving_is_free_is_not_read_as_a_claim(tmp_path):
    # sent near the end of the period, when leaving costs nothing: not a welcome, so not read
    doc = _welcome("Northwind: your plan is now £12 a month. Cancel anytime, no fee.")
    assert "CLM-005" not in rules(doc, tmp_path)


def test_welcome_sms_without_a_minimum_period_passes(tmp_path):
    doc = _welcome("Welcome to Northwind! 30GB for £8 a month. No strings attached: cancel anytime, no fee.")
    del doc["offer"]["commitment"]
    doc["offer"]["summary"] = "30GB SIM-only plan at £8/month for the first 6 months, then £12/month; 30-day plan."
    for material in doc["materials"]:
        material["text"] = material["text"].replace("12-month contract", "30-day plan")
    assert "CLM-005" not in rules(doc, tmp_path)


# --- CNS-003 reads the welcome message too: a confirmation that restates another promotional term is case C12 ----


def test_welcome_sms_giving_another_promotional_term_is_flagged(tmp_path):
    doc = _welcome("Welcome to Northwind! 30GB for £8 a month for 3 months, then £12 a month.")
    assert "CNS-003" in rules(doc, tmp_path)


def test_welcome_sms_giving_the_campaigns_promotional_term_passes(tmp_path):
    doc = _welcome("Welcome to Northwind! 30GB for £8 a month for 6 months, then £12 a month.")
    assert "CNS-003" not in rules(doc, tmp_path)


def test_a_later_notification_giving_another_length_is_not_read_for_the_term(tmp_path):
    # a usage notice months later ("in the last 3 months") states no promotional term
    doc = _welcome("Northwind: you used 28GB a month on average in the last 3 months. Your plan is £8 a month.")
    assert "CNS-003" not in rules(doc, tmp_path)


# --- CLM-012: a promise that the price will not go up, against a clause that lets the operator raise it ----------

US = {"jurisdiction": "US", "language": "en-US", "currency": "USD"}
CN = {"jurisdiction": "CN", "language": "zh-CN", "currency": "CNY"}
EU_DE = {"jurisdiction": "EU", "language": "de-DE", "currency": "EUR"}


def _promise_and_terms(promise: str, terms: str, changes: dict) -> dict:
    doc = with_material("uk", promise, **changes)
    doc["materials"].append({"id": "terms", "kind": "terms", "channel": "web", "text": terms})
    return doc


@pytest.mark.parametrize("promise, terms, changes", [
    ("PRICE LOCK: your price never goes up. Ever.",
     "2. Changes. We may change plan prices, features or fees at any time with 30 days' notice.", US),
    ("3-Year Price Guarantee on your $50 plan.", "Prices are subject to change without notice.", US),
    ("宽带价格锁定，月费59元。", "第五条 本公司有权调整资费，并提前30日公告。", CN),
    ("Mit Preisgarantie: 19,99 € im Monat.", "§ 4 Preisänderungen vorbehalten.", EU_DE),
])
def test_price_lock_against_a_general_price_change_clause(promise, terms, changes, tmp_path):
    assert "CLM-012" in rules(_promise_and_terms(promise, terms, changes), tmp_path)


@pytest.mark.parametrize("promise, terms, changes", [
    # the clause carves the promise out, or starts after it
    ("3-Year Price Lock on your $50 plan.",
     "Except during your Price Lock, we may change our prices with 30 days' notice.", US),
    ("Price locked for 24 months at $50/mo.", "After 24 months we may change our prices with 30 days' notice.", US),
    # about taxes and optional extras, which the promise does not cover
    ("Price Lock: your $50 won't go up for 3 years.", "We may change taxes, surcharges and optional add-on prices.", US),
    # the customer's choice, not the operator's right
    ("Price Lock: your $50 won't go up for 3 years.", "You can change your plan's rate tier in the app.", US),
    # a question is no promise
    ("Q: Is the $50 price locked? A: No, prices can change with 30 days' notice.",
     "Prices may change with 30 days' notice.", US),
    # no clause at all
    ("宽带价格锁定，月费59元。", "第五条 合约期12个月。", CN),
])
def test_price_lock_kept_by_the_terms_passes(promise, terms, changes, tmp_path):
    assert "CLM-012" not in rules(_promise_and_terms(promise, terms, changes), tmp_path)
