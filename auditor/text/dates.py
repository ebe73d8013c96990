"""Dates and durations in material text.

Dates: `2026年3月31日`, `3月31日到期`, `2026-03-31`, `2026/3/31`, `31 March 2026`,
`March 31, 2026`. Durations: `12个月`, `30天`, `两年`, `one year`, `30 days`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.text.normalize import Normalized
from auditor.text.numbers import CN_NUMERAL_CHARS, ENGLISH_NUMBERS, chinese_to_int

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Each pattern starts with a lookahead naming the characters a match can start with, so that the engine
# skips the other positions instead of attempting every alternative at each.
_DATE = re.compile(
    "(?=[\\d" + "".join(sorted({m[0] for m in _MONTHS})) + "])(?:"
    r"(?:(?P<y1>\d{4})\s?年\s?)?(?P<m1>\d{1,2})\s?月\s?(?P<d1>\d{1,2})\s?[日号]"
    r"|(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d)"
    r"|(?P<d3>\d{1,2})(?:st|nd|rd|th)?\s(?P<mn3>" + _MONTH_ALT + r")\.?(?:,?\s(?P<y3>\d{4}))?(?![a-z])"
    r"|(?<![a-z])(?P<mn4>" + _MONTH_ALT + r")\.?\s(?P<d4>\d{1,2})(?:st|nd|rd|th)?(?:,?\s(?P<y4>\d{4}))?(?!\d))"
)

_CN_NUM = "[" + CN_NUMERAL_CHARS + "]++"  # possessive, as in money.py: units never start with a numeral
_EN_NUM = "|".join(sorted((re.escape(w) for w in ENGLISH_NUMBERS), key=len, reverse=True))
_DURATION = re.compile(
    "(?=[\\d" + CN_NUMERAL_CHARS + "".join(sorted({w[0] for w in ENGLISH_NUMBERS})) + "])(?:"
    r"(?P<n1>\d++|" + _CN_NUM + r")\s?(?P<u1>个月|个星期|星期|周|天|日(?!\d)|年(?!\d)|个工作日|工作日)"
    r"|(?<![a-z])(?P<n2>\d++|" + _EN_NUM + r")[\s-](?P<u2>months?|days?|weeks?|years?)(?![a-z]))"
)
_UNIT = {"个月": "months", "个星期": "weeks", "星期": "weeks", "周": "weeks", "天": "days", "日": "days",
         "年": "years", "个工作日": "days", "工作日": "days", "month": "months", "months": "months",
         "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "year": "years", "years": "years"}


@dataclass(frozen=True)
class DateMention:
    month: int
    day: int
    year: int | None
    start: int
    end: int

    def same_day(self, date: dt.date) -> bool:
        return self.month == date.month and self.day == date.day and (self.year is None or self.year == date.year)


@dataclass(frozen=True)
class Duration:
    value: int
    unit: str  # days, weeks, months, years
    start: int
    end: int

    def in_days(self) -> int:
        return self.value * {"days": 1, "weeks": 7, "months": 30, "years": 365}[self.unit]

    def in_months(self) -> float:
        return {"days": self.value / 30, "weeks": self.value * 7 / 30, "months": self.value,
                "years": self.value * 12}[self.unit]


def find_dates(normalized: Normalized) -> list[DateMention]:
    return list(_find_dates(normalized.text))


@lru_cache(maxsize=2048)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    found = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        if g["m1"]:
            year, month, day = g["y1"], int(g["m1"]), int(g["d1"])
        elif g["m2"]:
            year, month, day = g["y2"], int(g["m2"]), int(g["d2"])
        elif g["mn3"]:
            year, month, day = g["y3"], _MONTHS[g["mn3"]], int(g["d3"])
        else:
            year, month, day = g["y4"], _MONTHS[g["mn4"]], int(g["d4"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        found.append(DateMention(month, day, int(year) if year else None, m.start(), m.end()))
    return tuple(found)


def find_durations(normalized: Normalized) -> list[Duration]:
    return list(_find_durations(normalized.text))


@lru_cache(maxsize=2048)
def _find_durations(text: str) -> tuple[Duration, ...]:
    dates = [(d.start, d.end) for d in _find_dates(text)]
    found = []
    for m in _DURATION.finditer(text):
        if any(s <= m.start() < e for s, e in dates):
            continue  # "3月31日" is a date, not a duration of 31 days
        number = m.group("n1") or m.group("n2")
        unit = _UNIT[m.group("u1") or m.group("u2")]
        if number.isdigit():
            value = int(number)
        elif number in ENGLISH_NUMBERS:
            value = ENGLISH_NUMBERS[number]
        else:
            value = chinese_to_int(number)
        if value is None or value == 0:
            continue
        if unit == "years" and value > 10:
            continue  # 2026年 is a calendar year
        found.append(Duration(value, unit, m.start(), m.end()))
    return tuple(found)
