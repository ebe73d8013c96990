"""Text understanding v8 (issue #16, seventh round, 30 November 2026): classes the auditor still misread on the
tuning parts of the blind batches, each with a campaign that must trigger and a twin that must not. Every
must-trigger case failed before its change (checked by stashing the change); the twins passed throughout."""

from __future__ import annotations

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
