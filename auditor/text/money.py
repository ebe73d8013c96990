"""Money mentions in material text: amount, currency and billing period.

Recognises `5元/月`, `每月5元`, `¥5`, `5块`, `五元`, `伍元`, `0.29元/MB`,
`NT$50`, `HK$198`, `A$45`, `US$30`, `RMB 58`, `£10/month`, `£12.50 p/m`,
`$9.99 per month`, `$30 a line`, `€5`, `15 €`, full-width digits (via the
normal form); an amount run straight into a product word (`5元GPRS`); and a
bare number after a price word (`月租999`, `月费58`, `月付只要599`), which names no currency
and so matches the campaign's. Positions are in the normal form; map them
with `Normalized.span`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from auditor.text.lazy import lazy
from auditor.text.normalize import TEXTS_CACHED, Normalized
from auditor.text.numbers import CN_NUMERAL_CHARS, chinese_to_int, words_to_int

# 1,000.50 | 9,99 (decimal comma, as EU prices are written) | 12 | 0.29 | .5
# Quantifiers are possessive (`++`): what follows a run of digits or numerals is never a digit or a numeral
# (a comma, a point, a space, a currency word), so giving characters back could never make a match, and
# trying to made a run of n digits cost n² steps (a phone number in a 5,000-character text, thousands).
# 1,034.77 and (continental) 1.034,77; 9,99; 12.50; .99
# A Chinese comma (，, folded to "," by NFKC) before a count of days or months separates two figures: in
# "HK$388，365日內" the price is 388, not 388,365.
_NUM = (r"\d{1,3}+(?:\.\d{3})++,\d{2}(?!\d)|\d{1,3}+(?:,\d{3})++(?!日(?!元)|天|个|月|年|期|次|张|条)(?:\.\d++)?"
        # "$599，30GB夠你滑": a Chinese comma before a data amount separates two figures, not decimals
        r"|\d++,\d{2}(?!\d|\s?(?:[gmkt]b|g(?![a-z])|个|天|日|月|年|分钟|次|条|张|%))|\d++(?:\.\d++)?|\.\d++")
_CNUM = "[" + CN_NUMERAL_CHARS + "]++"
# Thousands grouped by a space, read only before a currency word (1 990 Ft, 12 500 Kč, 1 234,50 zł)
_SPACED = r"(?<![\d,.])\d{1,3}(?: \d{3})++(?:,\d{2})?(?=\s?[a-zà-ÿ€$£¥₩₫]|\s?[\u4e00-\u9fff])"

# Currency words; values are the ISO codes a mention may mean (元 is the
# yuan in CN, the dollar in TW and HK).
_PREFIX = {
    "rmb": {"CNY"}, "cny": {"CNY"}, "¥": {"CNY", "JPY"}, "nt$": {"TWD"}, "ntd": {"TWD"}, "twd": {"TWD"},
    "hk$": {"HKD"}, "hkd": {"HKD"}, "us$": {"USD"}, "usd": {"USD"}, "a$": {"AUD"}, "au$": {"AUD"},
    "aud": {"AUD"}, "$": {"USD", "AUD", "HKD", "TWD"}, "£": {"GBP"}, "gbp": {"GBP"}, "€": {"EUR"}, "eur": {"EUR"},
}
_YUAN = {"CNY", "TWD", "HKD"}
_SUFFIX: dict[str, tuple[set[str], int | Decimal]] = {
    "蚊": ({"HKD"}, 1),  # Cantonese: 198蚊 is HK$198
    "元": (_YUAN, 1), "块": (_YUAN, 1), "圆": (_YUAN, 1), "块钱": (_YUAN, 1), "角": (_YUAN, Decimal("0.1")), "分钱": (_YUAN, Decimal("0.01")),
    "毛": (_YUAN, Decimal("0.1")), "euro": ({"EUR"}, 1), "euros": ({"EUR"}, 1), "eur": ({"EUR"}, 1),
    "pound": ({"GBP"}, 1), "pounds": ({"GBP"}, 1), "gbp": ({"GBP"}, 1), "p": ({"GBP"}, Decimal("0.01")),
    "pence": ({"GBP"}, Decimal("0.01")), "dollar": ({"USD", "AUD", "HKD", "TWD"}, 1),
    "dollars": ({"USD", "AUD", "HKD", "TWD"}, 1), "usd": ({"USD"}, 1), "twd": ({"TWD"}, 1),
    "hkd": ({"HKD"}, 1), "aud": ({"AUD"}, 1), "cny": ({"CNY"}, 1), "rmb": ({"CNY"}, 1),
    "yuan": ({"CNY"}, 1), "ntd": ({"TWD"}, 1), "nt dollars": ({"TWD"}, 1), "hk dollars": ({"HKD"}, 1),
    "港元": ({"HKD"}, 1), "港币": ({"HKD"}, 1), "新台币": ({"TWD"}, 1), "人民币": ({"CNY"}, 1),
    "美元": ({"USD"}, 1), "英镑": ({"GBP"}, 1), "欧元": ({"EUR"}, 1), "澳元": ({"AUD"}, 1),
    "€": ({"EUR"}, 1),  # 8,50 € as written in much of the EU
    # a hundredth: 2¢/min, 2 cents per minute, 50 cents
    "¢": ({"USD", "AUD", "HKD", "TWD", "EUR"}, Decimal("0.01")), "cent": ({"USD", "AUD", "HKD", "TWD", "EUR"}, Decimal("0.01")),
    "cents": ({"USD", "AUD", "HKD", "TWD", "EUR"}, Decimal("0.01")),
    "c": ({"USD", "AUD"}, Decimal("0.01")),  # 50c a minute, 50c/min (Australia)
    # the EU's other currencies, written after the amount: 299 kr/mån, 49 zł/mies., 399 Kč, 5000 Ft, 30 lei
    "kr": ({"SEK", "DKK", "NOK"}, 1), "kr.": ({"SEK", "DKK", "NOK"}, 1), ":-": ({"SEK", "NOK"}, 1),  # 299:- "sek": ({"SEK"}, 1), "dkk": ({"DKK"}, 1),
    "zł": ({"PLN"}, 1), "zl": ({"PLN"}, 1), "pln": ({"PLN"}, 1), "kč": ({"CZK"}, 1), "kc": ({"CZK"}, 1), "czk": ({"CZK"}, 1),
    "ft": ({"HUF"}, 1), "huf": ({"HUF"}, 1), "lei": ({"RON"}, 1), "ron": ({"RON"}, 1),
}

_PERIOD_WORDS = {
    "月": "month", "个月": "month", "month": "month", "mo": "month", "mth": "month", "天": "day", "日": "day",
    "day": "day", "年": "year", "year": "year", "yr": "year", "周": "week", "week": "week", "wk": "week",
    "期": "month",  # an instalment (每期, /期): handset instalments are billed with each month's bill
    "次": "use", "use": "use", "条": "message", "message": "message", "text": "message", "sms": "message",
    "mb": "MB", "gb": "GB", "kb": "KB", "分钟": "minute", "min": "minute", "minute": "minute",
    # German, French, Spanish, Italian, Dutch: an EU campaign may write its materials in its own language
    "monat": "month", "mois": "month", "mes": "month", "mese": "month", "maand": "month", "jahr": "year",
    "année": "year", "año": "year", "anno": "year", "jaar": "year", "tag": "day", "jour": "day", "día": "day",
    "giorno": "day", "dag": "day", "woche": "week", "semaine": "week", "semana": "week", "settimana": "week",
    # Swedish, Danish, Polish, Portuguese, Czech, Hungarian
    "mån": "month", "månad": "month", "månaden": "month", "måned": "month", "md": "month", "mdr": "month",
    "mies": "month", "miesiąc": "month", "mês": "month", "měs": "month", "měsíc": "month", "hó": "month",
    "hónap": "month",
    # Romanian, Finnish, Greek, Slovak: 29,99 lei/lună, 15 €/kk, 10€/μήνα, 9,90 €/mesiac
    "lună": "month", "luna": "month", "kk": "month", "kuukausi": "month", "μήνα": "month", "μήνας": "month",
    "mesiac": "month",
    # Slovenian, Croatian, Lithuanian, Latvian, Estonian, Bulgarian: 15,99 EUR/mesec, 20 €/mj., 9,99 €/mėn.
    "mesec": "month", "mesečno": "month", "mjesec": "month", "mj": "month", "mjesečno": "month", "mėn": "month",
    "mėnesį": "month", "mēn": "month", "mēnesī": "month", "kuus": "month", "kuu": "month", "месец": "month",
    "мес": "month",
}


def period_of_unit(unit: str | None) -> str | None:
    """The period a money mention gives for a fee's unit: "minute", "min" -> minute; "SMS", "text" -> message."""
    return _PERIOD_WORDS.get(unit.strip().lower()) if isinstance(unit, str) else None
_PERIOD_ALT = "|".join(sorted((re.escape(w) for w in _PERIOD_WORDS), key=len, reverse=True))

def _alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


# A Latin suffix must end its word (`5 euros`, not `5 europe`); a Chinese one need not: `5元GPRS流量包` is 5 yuan.
_LATIN_SUFFIXES = [k for k in _SUFFIX if k.isascii()]
_OTHER_SUFFIXES = [k for k in _SUFFIX if not k.isascii()]
# A bare number after a price word states a price in the campaign's currency: 月租999, 月费58, 资费 39. A comma
# after it separates the next item (月租999，5G 60GB) unless it reads as decimals (月租 9,99, 999,50元).
_PRICE_WORDS = ["月租费", "月租", "月费", "月功能费", "月付", "月缴", "资费", "套餐费", "包月费", "每个月", "每月", "原价", "特价",
                "优惠价", "售价", "现价", "monthly fee",
                "monthly price"]
# An adverb of price may stand between the word and the number: 月付只要599, 每个月只要599, 月租仅需399.
_PRICE_ADVERB = ("(?:只要|只需|仅需|仅要|仅|只|低至|才|都是|一律|还是|依然|仍然|仍是|仍|照样|为|是"
                 # Cantonese (simplified in the normal form): 月費只係$158, 淨係$98, 都係$228
                 "|只系|净系|都系|系)")
# The lookahead names every character a mention can start with: without it the engine attempts the whole
# alternation at every position of the text (a leading character class lets it skip ahead instead).
_MONEY_START = "[\\d." + CN_NUMERAL_CHARS + re.escape("".join(sorted({k[0] for k in (*_PREFIX, *_PRICE_WORDS)}))) + "]"
# A currency sign and its number stand on one line: "Fibre 500\n€30 a month" is 500 and €30, not "500 €".
_MONEY = lazy(
    "(?=" + _MONEY_START + ")(?:"
    r"(?P<pre>" + _alternation(_PREFIX) + r")[^\S\n]?(?P<n1>" + _NUM + ")"
    r"|(?P<n2>" + _SPACED + "|" + _NUM + "|" + _CNUM + r")[^\S\n]?(?:(?P<suf>" + _alternation(_LATIN_SUFFIXES) + r")(?![a-z])"
    r"|(?P<cjk>" + _alternation(_OTHER_SUFFIXES) + "))"
    r"|(?P<word>" + _alternation(_PRICE_WORDS) + r")\s?[:：]?\s?" + _PRICE_ADVERB + r"?\s?(?P<n3>" + _NUM + r")(?![\d]|\.\d|,\d(?!\d*[a-z\u4e00-\u9fff])|,\d++(?:" + _alternation(_OTHER_SUFFIXES) + r")|\s?[%a-z$£€¥]|\s?(?:"
    + _alternation(_OTHER_SUFFIXES) + r"|个|天|日|年|次|分|秒|号|点|时|条|张|人|部|倍|折|期|户|位|门|成|g|m)))"
)
_DECIMAL_COMMA = lazy(r"\d+,\d{2}")
_CONTINENTAL = lazy(r"\d{1,3}(?:\.\d{3})+,\d{2}")
# "$30 per line per month": the unit a price is per may stand before its period
_PERIOD_AFTER = lazy(r"\s?(?:(?:per|a|/|each)\s?(?:line|user|person|member|sim|device|lijn|ligne|línea|linea)\s?)?"
                           r"(?:/|每|per|a|an|一|each|pro|im|je|par|au|al|por|ogni)\s?(?P<p>" + _PERIOD_ALT
                           # 一次过, 一次性 (paid in one go) is a one-off, not a price per use
                           + r")(?![a-z])(?<!一次(?=过|性|付清|缴清|清))")
# `£12.50 p/m`, `$30 pm`: the period abbreviated after the amount.
_PER_MONTH_ABBREVIATION = lazy(r"\s?(?:p/m|pcm|pm)(?![a-z/])")
# 每期新臺幣135元, 月费还是59元, 月租費新臺幣伍佰玖拾玖元: a currency word or an adverb may stand between the word and the
# amount
_MONTHLY_BEFORE = lazy(r"(每月|每期|月租费?|月费|月功能费|包月|月付|monthly|per month|a month|monatlich|mensuel|mensual|mensile"
                             r"|maandelijks)\s?[:：]?\s?" + _PRICE_ADVERB + r"?\s?(?:新台币|人民币|港币|港元)?\s?$")
_MONTHLY_AFTER = lazy(r"\s?(monthly|/mo\b|包月|monatlich|mensuel(?:le)?s?|mensual(?:es)?|mensil[ei]|maandelijks)")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currencies: frozenset[str]
    period: str | None  # month, day, year, week, use, message, minute, MB, GB, KB
    start: int
    end: int
    # "Fiber 500 499 kr/mån": read as one number grouped by a space (500,499) or, after a product's figure, as the
    # price alone (499); a text stating either amount states this mention
    alternative: Decimal | None = None
    # said in words without a currency ("twenty-nine ninety-nine a month"): it states an amount the campaign
    # requires, but a rule never reports a material for what such a reading advertises (see _spoken_prices)
    spoken: bool = False

    def matches(self, amount, currency: str | None) -> bool:
        try:
            wanted = Decimal(str(amount))
        except (InvalidOperation, ValueError):
            return False
        if self.amount != wanted and self.alternative != wanted:
            return False
        return currency is None or not self.currencies or currency in self.currencies


def _to_decimal(text: str) -> Decimal | None:
    if text and text[0] in CN_NUMERAL_CHARS:
        value = chinese_to_int(text)
        return Decimal(value) if value is not None else None
    if " " in text:
        text = text.replace(" ", "")  # 1 990 is one thousand nine hundred and ninety
    if _CONTINENTAL.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")  # 1.034,77 is a thousand and thirty-four, 77 cents
    elif _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")  # 9,99 is nine and ninety-nine cents
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def find_money(normalized: Normalized) -> list[Money]:
    return list(_find_money(normalized.text))


def first_stating(normalized: Normalized, amount, currency: str | None, written: bool = False) -> Money | None:
    """The first mention for which `Money.matches(amount, currency)` holds (the amount converted once,
    not once per mention); with `written`, only an amount in figures or with its currency word."""
    try:
        wanted = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    for money in _find_money(normalized.text):
        if written and money.spoken:
            continue
        if (money.amount == wanted or money.alternative == wanted) and (
                currency is None or not money.currencies or currency in money.currencies):
            return money
    return None


# "Fiber 500 499 kr/mån": a product's figure, then the price; read as thousands grouped by a space it would be
# 500,499. When the joined reading states nothing, the price alone is what the text says.
_FIGURE_THEN_PRICE = lazy(r"(\d{3}) (\d{3}(?:,\d{2})?)(?!\d)")


def _product_figure_before(text: str, start: int) -> Decimal | None:
    """The price alone when a spaced number after a word may be a product's figure and a price."""
    if start < 2 or not (text[start - 1] == " " and text[start - 2].isalpha()):
        return None
    split = _FIGURE_THEN_PRICE.match(text, start)
    value = _to_decimal(split.group(2)) if split else None
    return value if value else None


@lru_cache(maxsize=TEXTS_CACHED)
def _find_money(text: str) -> tuple[Money, ...]:
    found: list[Money] = []
    said_until = 0  # the end of hundredths read with the amount before ("25 céntimos" is no price of its own)
    for match in _MONEY.finditer(text):
        if match.start() < said_until:
            continue
        mention = _mention(match)
        if mention is None:
            continue
        amount, currencies, start = mention
        amount, whole_end = _with_cents_after(text, match, amount)
        said_until = whole_end
        period, end = _period(text, match, start, whole_end)
        alternative = _product_figure_before(text, start) if amount > 99999 else None
        found.append(Money(_plain(amount), frozenset(currencies), period, start, end,
                           _plain(alternative) if alternative else None))
    spelt = [m for m in _spelt_out(text) if not any(f.start < m.end and m.start < f.end for f in found)]
    return tuple(sorted(found + spelt, key=lambda m: m.start)) if spelt else tuple(found)


def _plain(amount: Decimal) -> Decimal:
    return Decimal(int(amount)) if amount == amount.to_integral_value() else amount


# Amounts spelt out: "twelve pounds fifty a month", "thirty-five dollars", "dix euros par mois".
_SPELT_CURRENCY = lazy(r"(?<![a-zà-ÿ])(pounds?|quid|dollars?|bucks|euros?)(?![a-zà-ÿ])")
_SPELT_CURRENCIES = {"pound": {"GBP"}, "pounds": {"GBP"}, "quid": {"GBP"}, "dollar": {"USD", "AUD", "HKD", "TWD"},
                     "dollars": {"USD", "AUD", "HKD", "TWD"}, "bucks": {"USD", "AUD"}, "euro": {"EUR"},
                     "euros": {"EUR"}}
_WORD = lazy(r"[a-zà-ÿß]+")
_SPELT_CENTS = lazy(r"\s(?:and\s)?([a-zà-ÿ]+)(?:[\s-]([a-zà-ÿ]+))?")
_CENTS_WORDS = lazy(r"\s(?:pence|p|cents?|centimes|céntimos)(?![a-z])")


def _spelt_out(text: str) -> list[Money]:
    out = _spoken_prices(text)
    for match in _SPELT_CURRENCY.finditer(text):
        start, value = _spelt_number_before(text, match.start())
        if value is None:
            continue
        amount, end = Decimal(value), match.end()
        hundredths, end = _spelt_cents(text, end)
        period, end = _period_after(text, end)
        out.append(Money(_plain(amount + hundredths), frozenset(_SPELT_CURRENCIES[match.group(1)]), period, start,
                         end))
    return out


# Prices spoken without a currency word, as call scripts write them: "twenty-nine ninety-nine a month",
# "fifteen-fifty a month" (pounds or dollars, then the pence or cents as a tens word), "for forty-five a month",
# "plus twenty-nine upfront". Number words right before "a month" or "upfront" are a price when they are such a
# pair, or when a price word leads to them ("you get five a month" is a count of something else); a pair is also
# a price before "for the", "credit", "off" ("twenty-seven fifty for the phone", "a twenty-four ninety-nine credit").
_SPOKEN_AFTER = lazy(r"\s(?:(?:a|per|each)\s(?P<period>month|week|year)|(?P<once>upfront|up front|up-front|one-off)"
                     r"|(?P<other>credit|off|discount|each|for the|for your"
                     # "a three forty-nine Regulatory Cost Recovery Fee": a pair before a charge's name
                     r"|(?:(?!(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty"
                     r"|seventy|eighty|ninety|oh)(?![a-z]))[a-z&/]+\s){0,4}(?:fee|charge|surcharge)s?))(?![a-z])")
_PRICE_LEAD = lazy(r"(?<![a-z])(?:for|at|only|just|costs?|costing|pay|paying|paid|price|priced|is|it's|that's|be|"
                   r"from|to|then|now|of|rate|plus|a)\s$")
_TENS = {"ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}


def _spoken_prices(text: str) -> list[Money]:
    out = []
    for after in _SPOKEN_AFTER.finditer(text):
        words = list(_WORD.finditer(text, max(0, after.start() - 60), after.start()))
        run = _number_word_run(text, words)
        if not run:
            continue
        start, tokens = run[0].start(), [w.group() for w in run]
        led = bool(_PRICE_LEAD.search(text[max(0, start - 12):start]))
        amount = _whole_and_hundredths(tokens)
        # "one-forty a month" is as often $140 as $1.40: a single word before the tens may be hundreds
        alternative = (_plain(Decimal(words_to_int(tokens[:1]) or 0) * 100 + (amount % 1) * 100)
                       if amount is not None and len(tokens) <= 3 and amount < 10 else None)
        if amount is None:
            whole = words_to_int(tokens)
            if whole is None or after.group("other") or not led:
                continue  # a single number is a price only before a period or "upfront", and after a price word
            amount = Decimal(whole)
        period = after.group("period")
        out.append(Money(_plain(amount), frozenset(), period, start, after.end() if period else run[-1].end(),
                         alternative, spoken=True))
    return out


def _number_word_run(text: str, words: list) -> list:
    """The number words that end right before the period phrase, joined by spaces or hyphens only."""
    run: list = []
    for word in reversed(words):
        following = run[0].start() if run else len(text)
        if run and text[word.end():following] not in (" ", "-"):
            break
        if word.group() not in _ENGLISH_NUMBER_WORDS and not (word.group() == "and" and run):
            break
        run.insert(0, word)
    while run and run[0].group() == "and":  # "calls and ten a month": the "and" joins no number
        run.pop(0)
    if run and text[run[-1].end():run[-1].end() + 1] != " ":
        return []
    return run


_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_ENGLISH_NUMBER_WORDS = {"oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                         "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
                         "hundred"}


def _whole_and_hundredths(tokens: list[str]) -> Decimal | None:
    """"twenty nine ninety nine" -> 29.99, "fifteen fifty" -> 15.50: a whole number, then the hundredths as a
    tens word (and a unit); None when the words are one number ("forty five")."""
    if len(tokens) >= 3 and tokens[-2] == "oh" and tokens[-1] in _UNITS:
        whole = words_to_int(tokens[:-2])  # "twenty-three oh six": 23.06
        return Decimal(whole) + Decimal(_UNITS.index(tokens[-1]) + 1) / 100 if whole else None
    for split in (len(tokens) - 2, len(tokens) - 1):
        if split < 1:
            continue
        whole, cents = words_to_int(tokens[:split]), words_to_int(tokens[split:])
        if tokens[split] not in _TENS or whole is None or cents is None or not 10 <= cents <= 99:
            continue
        if len(tokens) - split == 2 and tokens[split] not in ("twenty", "thirty", "forty", "fifty", "sixty",
                                                             "seventy", "eighty", "ninety"):
            continue
        if tokens[split - 1] in ("hundred", "and"):
            continue  # "one hundred twenty", "two hundred and twenty-five" are one number
        return Decimal(whole) + Decimal(cents) / 100
    return None


def _spelt_cents(text: str, end: int) -> tuple[Decimal, int]:
    """The pence or cents spelt after the currency word ("pounds fifty", "dollars and ninety-nine cents")."""
    cents = _SPELT_CENTS.match(text, end)
    if not cents:
        return Decimal(0), end
    for words, stop in (((cents.group(1), cents.group(2)), cents.end()), ((cents.group(1),), cents.end(1))):
        value = words_to_int([w for w in words if w])
        if value is not None and 0 < value < 100:
            unit = _CENTS_WORDS.match(text, stop)
            return Decimal(value) / 100, unit.end() if unit else stop
    return Decimal(0), end


def _spelt_number_before(text: str, end: int) -> tuple[int, int | None]:
    """(where it starts, the value) of the longest run of number words ending just before `end`."""
    words = list(_WORD.finditer(text, max(0, end - 60), end))
    if not words or text[words[-1].end():end].strip():
        return end, None  # the currency word must follow the number directly
    best: tuple[int, int | None] = (end, None)
    for i in range(len(words) - 1, -1, -1):
        if i + 1 < len(words) and text[words[i].end():words[i + 1].start()].strip(" -"):
            break  # punctuation between words ends the number
        value = words_to_int([w.group() for w in words[i:]])
        if value is not None:
            best = (words[i].start(), value)
        elif words[i].group() not in ("and", "et", "y", "e", "und", "en"):
            break
    return best


def _mention(match: re.Match) -> tuple[Decimal, Iterable[str], int] | None:
    """(amount, currencies it may be in, start) of one pattern match, or None when it is no money."""
    scale: int | Decimal = 1
    currencies: Iterable[str]
    if match.group("pre"):
        # "$" inside a longer token like "us$" is handled by the longer key
        amount = _to_decimal(match.group("n1"))
        currencies = _PREFIX[match.group("pre")]
        start = match.start("pre")
    elif match.group("word"):
        amount = _to_decimal(match.group("n3"))
        currencies = ()  # no currency named: it is the campaign's own
        start = match.start("n3")
    else:
        number = match.group("n2")
        suffix = match.group("suf") or match.group("cjk")
        if suffix == "p" and not number[0].isdigit():
            return None
        # A bare Chinese numeral needs a yuan word after it (五元), never 'p'.
        if number[0] in CN_NUMERAL_CHARS and not ("\u4e00" <= suffix[0] <= "\u9fff"):
            return None
        amount = _to_decimal(number)
        currencies, scale = _SUFFIX[suffix]
        start = match.start("n2")
        # '5块5' style and a preceding digit run glued to the numeral are not separate mentions
    if amount is None:
        return None
    return amount * scale, currencies, start


def _period_after(text: str, end: int) -> tuple[str | None, int]:
    """The billing period written right after an amount ending at `end` (`/month`, `a month`, `p/m`)."""
    after = _PERIOD_AFTER.match(text, end)
    if after:
        return _PERIOD_WORDS[after.group("p")], after.end()
    abbreviated = _PER_MONTH_ABBREVIATION.match(text, end)
    if abbreviated:
        return "month", abbreviated.end()
    return None, end


# "30 euros con 25 céntimos", "£12 and 50p", "30 Euro und 25 Cent": the hundredths said after a whole amount
_CENTS_AFTER = lazy(r"\s(?:(?:and|con|y|e|et|und|en|i|&)\s)?(\d{1,2})\s?(?:céntimos|centimos|centimes|centesimi|cents?"
                    r"|pence|p|centów|groszy|gr)(?![a-zà-ÿ])")


# "四十四块五", "3块5", "四十四元五角", "一百九十八蚊五": the tenths said after a whole yuan (dollar), as the digit after
# 块 or 元 (with 毛 or 角, or alone); not a count that goes on ("5块5G", "10元3个月")
_JIAO_AFTER = lazy(r"([一二两三四五六七八九1-9])(?:毛钱?|角)?(?![\d十百千万个月天日年次分秒号点时条张人部倍折期户位门成%a-z])")
_WHOLE_YUAN = ("元", "块", "圆", "蚊", "块钱")


def _with_cents_after(text: str, match: re.Match, amount: Decimal) -> tuple[Decimal, int]:
    """The amount with the hundredths said after it in words, and where they end (the match's end when none)."""
    if match.group("cjk") in _WHOLE_YUAN and amount == amount.to_integral_value():
        jiao = _JIAO_AFTER.match(text, match.end())
        if jiao:
            digit = jiao.group(1)
            tenths = int(digit) if digit.isdigit() else chinese_to_int(digit) or 0
            return amount + Decimal(tenths) / 10, jiao.end()
        return amount, match.end()
    whole_unit = match.group("pre") or (match.group("suf") or "") in ("euro", "euros", "eur", "pound", "pounds",
                                                                     "dollar", "dollars", "€", "zł", "zl")
    if not whole_unit or amount != amount.to_integral_value():
        return amount, match.end()
    cents = _CENTS_AFTER.match(text, match.end())
    if not cents:
        return amount, match.end()
    return amount + Decimal(cents.group(1)) / 100, cents.end()


def _period(text: str, match: re.Match, start: int, end: int) -> tuple[str | None, int]:
    """The billing period stated around a mention ending at `end`, and where the mention (with it) ends."""
    period, after = _period_after(text, end)
    if period:
        return period, after
    if match.group("word"):
        return ("month" if match.group("word") not in ("资费", "套餐费") else None), end
    monthly_after = _MONTHLY_AFTER.match(text, end)
    if monthly_after:
        return "month", monthly_after.end()
    if _MONTHLY_BEFORE.search(text[max(0, start - 12):start]):
        return "month", end
    return None, end


def fmt_amount(amount: Decimal | None, currency: str | None = None) -> str:
    if amount is None:
        return "?"
    text = f"{amount:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {currency}" if currency else text
