"""Text understanding: money, dates, durations, script folding, lexicon boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.text.dates import find_dates, find_durations
from auditor.text.lexicon import Entry, Lexicon
from auditor.text.money import find_money
from auditor.text.normalize import normalize
from auditor.text.numbers import chinese_to_int


@pytest.mark.parametrize("text,amount,currency,period", [
    ("5元/月", "5", "CNY", "month"),
    ("每月5元", "5", "CNY", "month"),
    ("¥5", "5", "CNY", None),
    ("5块", "5", "CNY", None),
    ("五元", "5", "CNY", None),
    ("伍元", "5", "CNY", None),
    ("拾伍元", "15", "CNY", None),
    ("0.29元/MB", "0.29", "CNY", "MB"),
    ("NT$50", "50", "TWD", None),
    ("50元", "50", "TWD", None),
    ("£10/month", "10", "GBP", "month"),
    ("$9.99 per month", "9.99", "USD", "month"),
    ("€5", "5", "EUR", None),
    ("１２元／月", "12", "CNY", "month"),
    ("月租：39元", "39", "CNY", "month"),
    ("99p per text", "0.99", "GBP", "message"),
    ("5角", "0.5", "CNY", None),
    ("資費50元", "50", "TWD", None),
    ("8,50 €", "8.5", "EUR", None),
    ("€1,299.00", "1299", "EUR", None),
    ("198港元", "198", "HKD", None),
    ("5 yuan per month", "5", "CNY", "month"),
])
def test_money(text, amount, currency, period):
    found = find_money(normalize(text))
    assert len(found) == 1, found
    money = found[0]
    assert money.amount == Decimal(amount)
    assert currency in money.currencies
    assert money.period == period


@pytest.mark.parametrize("text", ["2026年3月31日", "第13个月", "10GB流量", "12个月", "3.5GHz", "mobile 5G"])
def test_not_money(text):
    assert find_money(normalize(text)) == []


def test_chinese_numerals():
    assert [chinese_to_int(t) for t in ("五", "十", "十五", "一百二十", "两万", "伍佰", "拾伍")] == [5, 10, 15, 120, 20000, 500, 15]
    assert chinese_to_int("abc") is None


@pytest.mark.parametrize("text,month,day,year", [
    ("2026年3月31日", 3, 31, 2026), ("3月31日到期", 3, 31, None), ("2026-03-31", 3, 31, 2026),
    ("31 March 2026", 3, 31, 2026), ("March 31, 2026", 3, 31, 2026), ("2026年３月３１號", 3, 31, 2026),
])
def test_dates(text, month, day, year):
    (found,) = find_dates(normalize(text))
    assert (found.month, found.day, found.year) == (month, day, year)


@pytest.mark.parametrize("text,value,unit", [
    ("12个月", 12, "months"), ("12個月", 12, "months"), ("one year", 1, "years"), ("30 days", 30, "days"),
    ("两年", 2, "years"), ("a 24-month contract", 24, "months"), ("７天", 7, "days"),
])
def test_durations(text, value, unit):
    (found,) = find_durations(normalize(text))
    assert (found.value, found.unit) == (value, unit)


def test_calendar_year_is_not_a_duration():
    assert find_durations(normalize("2026年的活动")) == []
    assert find_durations(normalize("3月31日")) == []


def test_traditional_and_full_width_fold_to_one_form():
    assert normalize("資費ＮＴ$５０").text == normalize("资费nt$50").text


def test_spans_map_back_to_the_original_text():
    n = normalize("免費體驗１２個月")
    start = n.text.index("12")
    s, e = n.span(start, start + 2)
    assert n.original[s:e] == "１２"


def test_latin_entries_need_word_boundaries_cjk_entries_do_not():
    lexicon = Lexicon([Entry("EE", "EE"), Entry("联通", "Unicom", reject_after=("性",))])
    assert [m.key for m in lexicon.find(normalize("Join EE today"))] == ["EE"]
    assert lexicon.find(normalize("It's free")) == []
    assert lexicon.find(normalize("Model EE-2000 router")) == []
    assert [m.key for m in lexicon.find(normalize("比聯通便宜"))] == ["Unicom"]
    assert lexicon.find(normalize("网络联通性好")) == []
    assert lexicon.find(normalize("依据《联通服务规范》")) == []


# --- Text understanding v2 (issue #16) -------------------------------------------------------------------

@pytest.mark.parametrize("text,amount,currency,period", [
    ("须开通5元GPRS数据流量套餐", "5", "CNY", None),  # an amount run straight into a product word
    ("月租999", "999", None, "month"),  # a bare number after a price word: the campaign's currency
    ("月费58", "58", None, "month"),
    ("HK$198", "198", "HKD", None),
    ("NT$599", "599", "TWD", None),
    ("A$45", "45", "AUD", None),
    ("US$30/mo", "30", "USD", "month"),
    ("RMB 58", "58", "CNY", None),
    ("15 €", "15", "EUR", None),
    ("£12.50 p/m", "12.5", "GBP", "month"),
    ("$30 a line", "30", "USD", None),
])
def test_money_as_people_write_it(text, amount, currency, period):
    (money,) = find_money(normalize(text))
    assert money.amount == Decimal(amount)
    assert (currency in money.currencies) if currency else not money.currencies
    assert money.period == period


@pytest.mark.parametrize("text", ["月租99%", "资费 5G套餐", "月费12个月", "月租1年"])
def test_a_number_after_a_price_word_that_is_not_a_price(text):
    assert find_money(normalize(text)) == []


@pytest.mark.parametrize("text,order,expected", [
    ("31/03/2027", "dmy", (2027, 3, 31)),
    ("31.03.2027", "dmy", (2027, 3, 31)),
    ("31.03.27", "dmy", (2027, 3, 31)),
    ("03/31/2027", "mdy", (2027, 3, 31)),
    ("03/04/2027", "mdy", (2027, 3, 4)),  # ambiguous: the US reads month first
    ("03/04/2027", "dmy", (2027, 4, 3)),  # ... the UK day first
    ("31/03/2027", "mdy", (2027, 3, 31)),  # impossible month first: one reading only
    ("2027.3.31", "dmy", (2027, 3, 31)),
    ("2027年3月31日", "dmy", (2027, 3, 31)),
    ("民國116年3月31日", "roc", (2027, 3, 31)),
    ("民國116年3月31日", "dmy", (2027, 3, 31)),  # 民國 says so in any text
    ("116年3月31日", "roc", (2027, 3, 31)),
    ("116/03/31", "roc", (2027, 3, 31)),
    ("Wed 31-Mar-2027", "dmy", (2027, 3, 31)),
    ("Wednesday, March 31, 2027", "mdy", (2027, 3, 31)),
    ("Sept. 30", "dmy", (None, 9, 30)),
])
def test_dates_as_people_write_them(text, order, expected):
    (found,) = find_dates(normalize(text), order)
    assert (found.year, found.month, found.day) == expected


@pytest.mark.parametrize("text,order", [("116/03/31", "dmy"), ("1.5.10", "dmy"), ("version 2.4.1", "dmy"),
                                        ("13/13/2027", "dmy"), ("£12.50", "dmy")])
def test_not_dates(text, order):
    assert find_dates(normalize(text), order) == []


def test_date_order_follows_the_jurisdiction_and_language():
    from auditor.text.dates import date_order

    assert date_order("US") == date_order("US-CA") == "mdy"
    assert date_order("UK") == date_order("AU") == date_order("HK") == date_order("CN") == "dmy"
    assert date_order("TW") == "roc"
    assert date_order(None, "en-US") == "mdy"


@pytest.mark.parametrize("text", ["every 12 months", "once a year", "each month", "每12个月", "HK$68 a month",
                                  "£10/month", "116年3月31日"])
def test_frequencies_and_prices_are_not_terms(text):
    assert find_durations(normalize(text)) == []


@pytest.mark.parametrize("text,value", [("12-month contract", 12), ("合約期24個月", 24), ("綁約30個月", 30)])
def test_terms_are_terms(text, value):
    (found,) = find_durations(normalize(text))
    assert (found.value, found.unit) == (value, "months")
