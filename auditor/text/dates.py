"""Dates and durations in material text.

Dates: `2026年3月31日`, `3月31日到期`, `2026-03-31`, `2026/3/31`, `2027.3.31`, `31 March 2026`,
`March 31, 2026`, `Wed 31-Mar-2027`, numeric dates in the reader's order (`31/03/2027` and
`31.03.2027` day first in most places, `03/31/2027` month first in the US), and Republic of China
years in Taiwan (`民國116年3月31日`, `116/03/31`: 1911 + 116 = 2027).

An ambiguous numeric date (`03/04/2027`) is read in the order of the campaign's locale
(`date_order`); a date that is impossible in that order but valid in the other (`31/03/2027` in a US
text) has only one reading and is taken in it. Nothing else is guessed.

Dates in words, as contracts and call scripts write them: `二〇二七年三月三十一日`, `民國一一六年三月三十一日`,
`the thirty-first of March 2027`, `March thirty-first, 2027`, `31st of March`.

Durations: `12个月`, `30天`, `两年`, `one year`, `30 days`, `a 24-month contract`; `every 12 months`,
`once a year` and `每12个月` are frequencies, not durations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.text.lazy import lazy
from auditor.text.normalize import TEXTS_CACHED, Normalized
from auditor.text.numbers import CN_NUMERAL_CHARS, DURATION_COUNT_WORDS, chinese_digits_to_int, chinese_to_int

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Month names of the EU languages, read only after a day (`30. April 2027`, `30 avril 2027`, `30 de abril de
# 2027`, `30 aprile 2027`, `30 kwietnia 2027`, `30. dubna 2027`): a reminder in the customer's language states
# its end date this way. In the normal form: lower case, accents kept.
_EU_MONTHS = {
    **{name: number for number, names in enumerate((
        # German, French, Spanish, Italian, Dutch, Portuguese
        ("januar", "jänner", "janvier", "enero", "gennaio", "januari", "janeiro"),
        ("februar", "février", "febrero", "febbraio", "februari", "fevereiro"),
        ("märz", "mars", "marzo", "maart", "março"),
        ("avril", "abril", "aprile"),
        ("mai", "mayo", "maggio", "mei", "maio", "maj"),
        ("juni", "juin", "junio", "giugno", "junho"),
        ("juli", "juillet", "julio", "luglio", "julho"),
        ("august", "août", "agosto", "augustus", "augusti"),
        ("septembre", "septiembre", "settembre", "setembro"),
        ("oktober", "octobre", "octubre", "ottobre", "outubro"),
        ("novembre", "noviembre", "novembro"),
        ("dezember", "décembre", "diciembre", "dicembre", "dezembro"),
    ), start=1) for name in names},
    # Polish and Czech, in the genitive that follows a day
    **{name: number for number, name in enumerate(("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
                                                    "lipca", "sierpnia", "września", "października", "listopada",
                                                    "grudnia"), start=1)},
    **{name: number for number, name in enumerate(("ledna", "února", "března", "dubna", "května", "června",
                                                    "července", "srpna", "září", "října", "listopadu", "prosince"),
                                                   start=1)},
}
# Hungarian writes the year first: "2027. január 14." (-én, -ig, -től after the day)
_HU_MONTHS = {name: number for number, name in enumerate(
    ("január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember", "október",
     "november", "december"), start=1)}
_DAY_MONTHS = {**_MONTHS, **_EU_MONTHS}
_DAY_MONTH_ALT = "|".join(sorted(_DAY_MONTHS, key=len, reverse=True))

# Each pattern starts with a lookahead naming the characters a match can start with, so that the engine
# skips the other positions instead of attempting every alternative at each.
_DATE = lazy(
    # a date starts with a digit, 民国, a month name at the start of a word, or the space after 民国 (`民国
    # 116年`); the word start is checked here, not only in the month alternative, so that English text is not
    # tried against every alternative at every letter (issue 20: this halved the date scan)
    "(?=[\\d民]|(?<![a-z])[" + "".join(sorted({m[0] for m in _MONTHS})) + "]|(?<=民国)\\s)(?:"
    r"(?:(?:民国\s?)?(?P<y1>\d{4}|(?<=民国)\s?\d{2,3}|(?<!\d)1\d{2})\s?年\s?)?(?P<m1>\d{1,2})\s?月\s?(?P<d1>\d{1,2})\s?[日号]"
    r"|(?<![\d.,])(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?![\d.,]\d)"
    r"|(?<![\d.,/])(?P<ry>1\d{2})/(?P<rm>\d{1,2})/(?P<rd>\d{1,2})(?![\d/])"
    r"|(?<![\d.,/])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{4}|\d{2})(?![\d.,/]\d|\d)"
    r"|(?P<d3>\d{1,2})(?:st|nd|rd|th|er|\.)?(?:\sde)?[\s-](?P<mn3>" + _DAY_MONTH_ALT
    + r")\.?(?:(?:,?\s(?:de\s)?|-)(?P<y3>\d{4}))?(?![a-zà-ÿ])"
    r"|(?<!\d)(?P<y5>\d{4})\.\s(?P<mn5>" + "|".join(_HU_MONTHS) + r")\s(?P<d5>\d{1,2})(?!\d)"
    r"|(?<![a-z])(?P<mn4>" + _MONTH_ALT + r")\.?\s(?P<d4>\d{1,2})(?:st|nd|rd|th)?(?:,?\s(?P<y4>\d{4}))?(?!\d))"
)

# Dates in words. Chinese numerals: the year digit by digit (二〇二七, 一一六) or counted (一百一十六), the
# month and day counted (十二月三十一日).
_CN_DIGIT = "[〇零一二两三四五六七八九]"
_CN_COUNT = "[一二两三四五六七八九十]{1,3}"
_CN_WORD_DATE = lazy(
    "(?=[民" + CN_NUMERAL_CHARS + r"])(?:民国\s?)?(?:(?P<y>" + _CN_DIGIT + r"{2,4}|[一二三四五六七八九十百]{2,5})\s?年\s?)?"
    "(?<![" + CN_NUMERAL_CHARS + "])(?P<m>" + _CN_COUNT + r")\s?月\s?(?P<d>" + _CN_COUNT + r")\s?[日号]")
# English ordinals, spoken or written out: "the thirty-first of March", "March the first, 2027", "31st of March"
_ORDINALS = {w: i for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"], start=1)} | {"twentieth": 20, "thirtieth": 30}
_ORDINAL = (r"(?:(?P<tens{n}>twenty|thirty)[\s-]?)?(?P<ord{n}>" + "|".join(sorted(_ORDINALS, key=len, reverse=True))
            + r")|(?P<num{n}>\d{{1,2}})(?:st|nd|rd|th)")
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_WORD_DATE = lazy(
    r"(?<![a-z\d])(?:the\s)?(?:" + _ORDINAL.format(n=1) + r")(?:\sof)?\s(?P<mon1>" + "|".join(_FULL_MONTHS)
    + r")(?:,?\s(?P<yr1>\d{4}))?(?![a-z\d])"
    r"|(?<![a-z])(?P<mon2>" + "|".join(_FULL_MONTHS) + r")\s(?P<the2>the\s)?(?:" + _ORDINAL.format(n=2)
    + r")(?:,?\s(?P<yr2>\d{4}))?(?![a-z\d])")


def _cn_word_date(m: re.Match, text: str, order: str) -> tuple | None:
    month, day = chinese_to_int(m.group("m")), chinese_to_int(m.group("d"))
    written = m.group("y")
    if not written:
        return None, month, day
    year = chinese_digits_to_int(written) or chinese_to_int(written)
    if year is None or year < 100:
        return None
    if year < 1000:  # 民國一一六年: a year of the Republic of China, written so or in a Taiwanese text
        if not (order == "roc" or "民国" in text[max(0, m.start() - 3):m.start() + 3]):
            return None
        year += ROC_OFFSET
    return str(year), month, day


def _word_date(m: re.Match) -> tuple | None:
    n = "1" if m.group("mon1") else "2"
    if n == "2" and m.group("mon2") == "may" and not m.group("the2") and not m.group("num2"):
        return None  # "you may first call us" (but "May the first", "May 1st")
    if m.group("num" + n):
        day = int(m.group("num" + n))
    else:
        day = _ORDINALS[m.group("ord" + n)] + {"twenty": 20, "thirty": 30, None: 0}[m.group("tens" + n)]
    return m.group("yr" + n), _MONTHS[m.group("mon" + n)], day


def _dates_in_words(text: str, order: str) -> list[tuple]:
    """(year or None, month, day, start, end) of the dates written in words."""
    found = []
    if any(c in text for c in "月"):
        found += [(*r, m.start(), m.end()) for m in _CN_WORD_DATE.finditer(text)
                  if (r := _cn_word_date(m, text, order)) is not None]
    if any(month in text for month in _FULL_MONTHS):
        found += [(*r, m.start(), m.end()) for m in _WORD_DATE.finditer(text) if (r := _word_date(m)) is not None]
    return found


# Whose numeric dates are read month first (03/31/2027); everyone else reads day first.
_MONTH_FIRST_JURISDICTIONS = ("US", "US-CA")
ROC_OFFSET = 1911  # 民國 year 1 is 1912


def date_order(jurisdiction: str | None, language: str | None = None) -> str:
    """How numeric dates are read for a campaign: `mdy` (the US, or American English), `roc` (Taiwan:
    day first, and three-digit years are years of the Republic of China), else `dmy`."""
    if jurisdiction in _MONTH_FIRST_JURISDICTIONS or (language or "").lower() == "en-us":
        return "mdy"
    if jurisdiction == "TW" or (language or "").lower() in ("zh-tw", "zh-hant-tw"):
        return "roc"
    return "dmy"


# Units of time after a number in the languages of the EU, UK, US and AU campaigns (campaign-format.md lets
# an EU campaign write its materials in its own language): `24 Monate`, `12 mois`, `24 meses`, `12 mesi`.
# Longest first, so that `months` is not read as `month` + s.
_EUROPEAN_UNITS = dict(sorted({
    "month": "months", "months": "months", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
    "year": "years", "years": "years",
    "monat": "months", "monate": "months", "monaten": "months", "monats": "months", "tag": "days",
    "tage": "days", "tagen": "days", "woche": "weeks", "wochen": "weeks", "jahr": "years", "jahre": "years",
    "jahren": "years",
    "mois": "months", "jour": "days", "jours": "days", "semaine": "weeks", "semaines": "weeks", "an": "years",
    "ans": "years", "année": "years", "années": "years",
    "mes": "months", "meses": "months", "día": "days", "días": "days", "dia": "days", "dias": "days",
    "semana": "weeks", "semanas": "weeks", "año": "years", "años": "years", "ano": "years", "anos": "years",
    "mese": "months", "mesi": "months", "giorno": "days", "giorni": "days", "settimana": "weeks",
    "settimane": "weeks", "anno": "years", "anni": "years",
    "maand": "months", "maanden": "months", "dag": "days", "dagen": "days", "weken": "weeks", "jaar": "years",
    "jaren": "years",
    # Swedish, Danish, Polish, Portuguese
    "mån": "months", "månad": "months", "månader": "months", "måned": "months", "måneder": "months",
    "dagar": "days", "dage": "days", "veckor": "weeks", "uger": "weeks", "miesięcy": "months", "miesiące": "months",
    "miesiąc": "months", "dni": "days", "mês": "months",
    # Finnish and Greek: "12 kk" (kuukautta), "24 kuukautta", "24 μήνες"
    "kk": "months", "kuukautta": "months", "kuukauden": "months", "kuukausi": "months", "päivää": "days",
    "vuotta": "years", "vuorokautta": "days", "vrk": "days", "dygn": "days", "μήνες": "months", "μηνών": "months", "μήνας": "months", "μήνα": "months",
    "ημέρες": "days", "ημερών": "days",
    # Czech, Slovak, Romanian, Hungarian: "na první 3 měsíce", "24 mesiacov", "12 luni", "24 hónap"
    "měsíc": "months", "měsíce": "months", "měsíců": "months", "mesiac": "months", "mesiace": "months",
    "mesiacov": "months", "dnů": "days", "dní": "days", "luni": "months", "lună": "months", "zile": "days",
    "hónap": "months", "hónapos": "months", "hónapig": "months", "hónapra": "months", "nap": "days", "napig": "days",
    # Slovenian, Croatian, Lithuanian, Latvian, Estonian, Bulgarian, Maltese: "12 mesecev", "24 mjeseca",
    # "12 mėnesių", "24 mēnešus", "12 kuud", "24 месеца", "12-il xahar"
    "mesec": "months", "meseca": "months", "mesece": "months", "mesecev": "months", "mjesec": "months",
    "mjeseca": "months", "mjeseci": "months", "dan": "days", "dana": "days", "dnevi": "days",
    "mėnuo": "months", "mėnesį": "months", "mėnesius": "months", "mėnesių": "months", "mėnesiai": "months",
    "mėn": "months", "dienų": "days", "dienas": "days", "dienos": "days", "mēnesis": "months", "mēneši": "months",
    "mēnešus": "months", "mēnešiem": "months", "mēn": "months", "dienām": "days", "kuu": "months", "kuud": "months",
    "kuuks": "months", "päeva": "days", "päevaks": "days", "месец": "months", "месеца": "months",
    "месеци": "months", "дни": "days", "ден": "days", "xahar": "months", "xhur": "months", "jum": "days",
    "jiem": "days",
    # abbreviations: "24 Mon. Laufzeit", "i 6 mdr.", "12 mnd.", "24 mths", "36 mos."
    "kalendermaand": "months", "kalendermaanden": "months", "kalendermonat": "months", "kalendermonate": "months",
    "kalendermonaten": "months",
    "mon": "months", "mdr": "months", "mnd": "months", "mths": "months", "mth": "months", "mos": "months",
}.items(), key=lambda item: -len(item[0])))

# A word that says what kind of days or months they are, between the number and the unit: "180 consecutive
# days", "30 calendar days", "12 full months", "90 aufeinanderfolgende Tage", "30 jours consécutifs" puts it
# after the unit (as do `días naturales`, `giorni consecutivi`) and needs nothing. Contracts repeat a number
# in figures: "three (3) months".
_QUALIFIERS = ("(?:consecutive|calendar|full|whole|complete|clear|working|business|straight|successive"
               "|aufeinanderfolgende[n]?|volle[n]?|opeenvolgende"
               # "los 12 primeros meses", "os 6 primeiros meses", "i 3 primi mesi", "les 12 premiers mois"
               "|primer[oa]s|primeir[oa]s|primi|prime|premiers|premières|próxim[oa]s|prossimi|ersten|eerste)")
_CN_NUM = "[" + CN_NUMERAL_CHARS + "]++"  # possessive, as in money.py: units never start with a numeral
_EN_NUM = "|".join(sorted((re.escape(w) for w in DURATION_COUNT_WORDS), key=len, reverse=True))
_DURATION = lazy(
    # a digit, a Chinese numeral, or a count word at the start of a word (checked up front, as in _DATE)
    "(?=[\\d" + CN_NUMERAL_CHARS + "]|(?<![a-z])[" + "".join(sorted({w[0] for w in DURATION_COUNT_WORDS})) + "])(?:"
    r"(?P<n1>\d++|" + _CN_NUM + r")\s?(?P<u1>个月|个星期|星期|周|天|日(?!\d)|年(?!\d)|个工作日|工作日)"
    r"|(?<![a-z])(?P<n2>\d++|" + _EN_NUM + r")(?:\s*+\((?:\d++|[a-z]++(?:-[a-z]++)?)\))?[\s-](?:" + _QUALIFIERS + r"\s)?(?P<u2>" + "|".join(_EUROPEAN_UNITS)
    + r")(?![a-zà-ÿ\u0100-\u017f\u0370-\u03ff\u0400-\u04ff]))"
)
_UNIT = {"个月": "months", "个星期": "weeks", "星期": "weeks", "周": "weeks", "天": "days", "日": "days",
         "年": "years", "个工作日": "days", "工作日": "days", **_EUROPEAN_UNITS}


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


def find_dates(normalized: Normalized, order: str = "dmy") -> list[DateMention]:
    """Dates in the text; numeric ones read in `order` (see `date_order`)."""
    return list(_find_dates(normalized.text, order))


def _year(text: str | None, order: str) -> int | None:
    if not text:
        return None
    value = int(text.strip())
    if value < 100:
        return 2000 + value  # 31/03/27
    if value < 1000:
        # a three-digit year is a 民國 year; outside Taiwan it is no year at all
        return value + ROC_OFFSET if order == "roc" else None
    return value


def _numeric(first: int, second: int, order: str) -> tuple[int, int] | None:
    """(month, day) of a numeric date whose first two parts are `first` and `second`."""
    month_first = (first, second)
    day_first = (second, first)
    preferred, other = (month_first, day_first) if order == "mdy" else (day_first, month_first)
    for month, day in (preferred, other):  # the other reading only when the preferred one is impossible
        if 1 <= month <= 12 and 1 <= day <= 31:
            return month, day
    return None


def _chinese_date(g: dict, text: str, start: int, order: str) -> tuple | None:
    year, month, day = g["y1"], int(g["m1"]), int(g["d1"])
    if year and len(year.strip()) < 4:
        roc = _year(year, "roc")  # 民國116年 (written with 民國, or in a Taiwanese text)
        if roc is None or not (order == "roc" or "民国" in text[max(0, start - 3):start + 3]):
            return None
        year = str(roc)
    return year, month, day


def _numeric_date(g: dict, order: str) -> tuple | None:
    if len(g["c"]) == 2 and (len(g["a"]) < 2 or len(g["b"]) < 2):
        return None  # 1.5.10 is a version number; a two-digit year comes with 31.03.27
    reading = _numeric(int(g["a"]), int(g["b"]), order)
    year = _year(g["c"], order)
    if reading is None or year is None:
        return None
    return str(year), reading[0], reading[1]


def _reading(g: dict, text: str, start: int, order: str) -> tuple | None:
    """(year or None, month, day) of one date match, or None when it is no date in this order."""
    if g["m1"]:
        return _chinese_date(g, text, start, order)
    if g["m2"]:
        return g["y2"], int(g["m2"]), int(g["d2"])
    if g["ry"]:
        return (str(int(g["ry"]) + ROC_OFFSET), int(g["rm"]), int(g["rd"])) if order == "roc" else None
    if g["a"]:
        return _numeric_date(g, order)
    if g["mn3"]:
        return g["y3"], _DAY_MONTHS[g["mn3"]], int(g["d3"])
    if g["mn5"]:
        return g["y5"], _HU_MONTHS[g["mn5"]], int(g["d5"])
    return g["y4"], _MONTHS[g["mn4"]], int(g["d4"])


@lru_cache(maxsize=TEXTS_CACHED)
def _date_matches(text: str) -> tuple[tuple[dict, int, int], ...]:
    """(groups, start, end) of every date pattern match: the same in every reading order, so a text is
    scanned once however many orders it is read in (durations read it in two, rules in the campaign's)."""
    return tuple((m.groupdict(), m.start(), m.end()) for m in _DATE.finditer(text))


@lru_cache(maxsize=TEXTS_CACHED)
def _find_dates(text: str, order: str = "dmy") -> tuple[DateMention, ...]:
    found = []
    for groups, start, end in _date_matches(text):
        reading = _reading(groups, text, start, order)
        if reading is not None:
            found.append((*reading, start, end))
    in_figures = [(start, end) for *_, start, end in found]
    found += [date for date in _dates_in_words(text, order)
              if not any(s < date[4] and date[3] < e for s, e in in_figures)]
    return tuple(DateMention(month, day, int(year) if year else None, start, end)
                 for year, month, day, start, end in sorted(found, key=lambda date: date[3])
                 if 1 <= month <= 12 and 1 <= day <= 31)


def find_durations(normalized: Normalized, with_frequencies: bool = False) -> list[Duration]:
    """Lengths of time in the text; `with_frequencies` also counts how-often phrases ("each 30-day period",
    "every 12 months"), which state how long each period lasts (a validity), though not a term."""
    return list(_find_durations(normalized.text, with_frequencies))


# `every 12 months`, `每12个月`, `once a year`: how often, not how long.
_FREQUENCY_BEFORE = lazy(r"(?:every|each|per|alle|jede[nsm]?|tous les|toutes les|cada|ogni|elke|每|每隔)\s?$")
_ITALIAN_UNITS = {"mese", "mesi", "giorno", "giorni", "anno", "anni", "settimana", "settimane"}
# An article after an amount or a count of times: "£10 a month", "twice a year".
_RATE_BEFORE = lazy(r"(?:\d|once|twice|times|p|元)\s?$")


@lru_cache(maxsize=TEXTS_CACHED)
def _find_durations(text: str, with_frequencies: bool = False) -> tuple[Duration, ...]:
    # in any reading: "116年3月31日" is a date in Taiwan, and its "31日" no duration anywhere
    dates = [(d.start, d.end) for order in ("dmy", "roc") for d in _find_dates(text, order)]
    found = []
    for m in _DURATION.finditer(text):
        if any(s <= m.start() < e for s, e in dates):
            continue  # "3月31日" is a date, not a duration of 31 days
        if not _is_frequency_or_rate(text, m, with_frequencies):
            duration = _duration(m)
            if duration is not None:
                found.append(duration)
    found += _first_periods(text, found)
    return tuple(sorted(found, key=lambda d: d.start))


def _first_periods(text: str, found: list[Duration]) -> list[Duration]:
    """"months 1-12" in a price table and 第1-12个月 (the first N months); "£45 for your first year", 首年, 首月
    (one of the unit); where no other duration is read."""
    def free(r: re.Match) -> bool:
        return not any(d.start < r.end() and r.start() < d.end for d in found)

    out = [Duration(int(r.group(1) or r.group(2)), "months", r.start(), r.end()) for r in _MONTH_RANGE.finditer(text)
           if free(r)]
    out += [Duration(1, _FIRST_UNIT[r.group(1) or r.group(2)], r.start(), r.end()) for r in _FIRST_ONE.finditer(text)
            if free(r)]
    return out


def _duration(m: re.Match) -> Duration | None:
    unit = _UNIT[m.group("u1") or m.group("u2")]
    value = _count(m.group("n1") or m.group("n2"))
    if value is None or value == 0:
        return None
    if unit == "years" and (value > 10 or len(m.group("n1") or "") > 2
                           and (chinese_digits_to_int(m.group("n1")) or 0) > 10):
        return None  # 2026年 and 二〇二六年 are calendar years
    return Duration(value, unit, m.start(), m.end())


_FIRST_ONE = lazy(r"(?<![a-z])(?:the |your )?first (year|month|week)(?![a-z])|首(年|月)")
_FIRST_UNIT = {"year": "years", "month": "months", "week": "weeks", "年": "years", "月": "months"}
# "months 1-12", and the monthly bills that count them ("A$35.00/mth for bills 1–6, then A$45.00/mth")
_MONTH_RANGE = lazy(r"(?<![a-zà-ÿ])(?:months?|bills?|monthly bills?|billing months?|månad(?:er)?|monate?n?|mois|mes(?:es)?|mes[ei]"
                    r"|maand(?:en)?)\s?1\s?[-–~]\s?(\d{1,2})(?!\d)|第\s?1\s?[-–~至到]\s?(\d{1,2})\s?个?月")


def _is_frequency_or_rate(text: str, m: re.Match, frequencies_count: bool = False) -> bool:
    """`every 12 months` (how often, not how long, unless `frequencies_count`); `HK$68 a month`, `once a year`
    (a rate)."""
    before = _FREQUENCY_BEFORE.search(text[max(0, m.start() - 14):m.start()])  # 14: `tous les 12 mois`
    # Italian "per 24 mesi" is "for 24 months", a length
    italian = before is not None and before.group().strip() == "per" and m.group("u2") in _ITALIAN_UNITS
    if not frequencies_count and before and not italian:
        return True
    return m.group("n2") in ("a", "an", "one") and bool(_RATE_BEFORE.search(text[max(0, m.start() - 12):m.start()]))


def _count(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    if number in DURATION_COUNT_WORDS:
        return DURATION_COUNT_WORDS[number]
    return chinese_to_int(number)
