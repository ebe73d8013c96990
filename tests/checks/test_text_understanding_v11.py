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


def test_a_reminder_stating_its_end_date_in_words_states_it(tmp_path):
    text = "Your Northwind intro price ends on the thirty-first of March 2027. From then your plan costs £12/month."
    assert "EXP-003" not in rules(_uk_reminder(text), tmp_path)


def test_a_reminder_without_any_end_date_is_still_flagged(tmp_path):
    text = "Your Northwind intro price ends soon. From then your plan costs £12/month."
    assert "EXP-003" in rules(_uk_reminder(text), tmp_path)


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
