"""Chinese numerals (五, 伍, 拾伍, 两百) and English number words to integers."""

from __future__ import annotations

# Both everyday and financial (大写) forms, in simplified script: the text is
# normalised to simplified before it gets here.
_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_MYRIAD = {"万": 10_000, "亿": 100_000_000}

CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_MYRIAD)

ENGLISH_NUMBERS = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30, "sixty": 60, "ninety": 90,
}
# Counts written in words in the EU languages, read only before a unit of time ("de eerste twaalf maanden",
# "zwölf Monate", "douze mois", "doce meses", "dodici mesi"). Words that are also articles ("un", "een") are
# safe here because a unit of time must follow them ("un mois", "een maand").
EUROPEAN_NUMBERS = {
    "een": 1, "twee": 2, "drie": 3, "zes": 6, "twaalf": 12, "achttien": 18, "vierentwintig": 24,
    "einen": 1, "zwei": 2, "drei": 3, "sechs": 6, "zwölf": 12, "achtzehn": 18, "vierundzwanzig": 24,
    "un": 1, "deux": 2, "trois": 3, "six": 6, "douze": 12, "dix-huit": 18, "vingt-quatre": 24,
    "dos": 2, "tres": 3, "seis": 6, "doce": 12, "dieciocho": 18, "veinticuatro": 24,
    "due": 2, "tre": 3, "sei": 6, "dodici": 12, "diciotto": 18, "ventiquattro": 24,
    "dois": 2, "três": 3, "doze": 12, "dezoito": 18, "vinte e quatro": 24,
}
DURATION_COUNT_WORDS = {**EUROPEAN_NUMBERS, **ENGLISH_NUMBERS}


def chinese_to_int(text: str) -> int | None:
    """五 -> 5, 拾伍 -> 15, 一百二十 -> 120, 两万 -> 20000; None if not a numeral."""
    if not text or any(c not in CN_NUMERAL_CHARS for c in text):
        return None
    total = 0
    section = 0
    digit = None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (digit if digit is not None else 1) * _UNITS[char]
            digit = None
        else:  # 万, 亿
            section += digit or 0
            total += (section or 1) * _MYRIAD[char]
            section = 0
            digit = None
    section += digit or 0
    return total + section


def chinese_digits_to_int(text: str) -> int | None:
    """A number written digit by digit, as years and numbers are: 二〇二七 -> 2027, 一一六 -> 116; None if
    the text is not two or more digit characters (a run like 三五 can also be "three to five", so callers
    read it this way only where a year is meant)."""
    if len(text) < 2 or any(c not in _DIGITS for c in text):
        return None
    return int("".join(str(_DIGITS[c]) for c in text))


# Number words of the languages campaigns write prices in, for amounts spelt out ("twelve pounds fifty a
# month", "thirty-five dollars", "dix euros par mois"): the units, teens and tens each language writes as one
# word, and the words that multiply. Compounds written as one word (German "neunundzwanzig") are not read.
NUMBER_WORDS = {
    **{w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])},
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60,
    # Spanish, Italian
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sette": 7, "otto": 8, "nove": 9,
    "dieci": 10, "dodici": 12, "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50,
    # German, Dutch
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "zehn": 10,
    "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "een": 1, "twee": 2, "vijf": 5,
    "zes": 6, "zeven": 7, "negen": 9, "tien": 10, "twaalf": 12, "twintig": 20, "dertig": 30, "veertig": 40,
    "vijftig": 50,
}
_MULTIPLIERS = {"hundred": 100, "cent": 100, "cents": 100, "cien": 100, "ciento": 100, "cento": 100,
                "hundert": 100, "honderd": 100, "thousand": 1000, "mille": 1000, "mil": 1000, "tausend": 1000}
# Words that join the parts of a number: "one hundred and five", "vingt et un", "treinta y cinco".
_JOINERS = {"and", "et", "y", "e", "und", "en"}


def words_to_int(tokens: list[str]) -> int | None:
    """The number the tokens spell ("twelve", "thirty-five" as ["thirty", "five"], "one hundred and five"), or
    None when a token is no number word or nothing is spelt."""
    total, current, seen = 0, 0, False
    for token in tokens:
        if token in NUMBER_WORDS:
            current += NUMBER_WORDS[token]
            seen = True
        elif token in _MULTIPLIERS and (seen or token not in ("cent", "cents")):
            factor = _MULTIPLIERS[token]
            if factor == 1000:
                total += (current or 1) * factor
                current = 0
            else:
                current = (current or 1) * factor
            seen = True
        elif token in _JOINERS and seen:
            continue
        else:
            return None
    return total + current if seen else None
