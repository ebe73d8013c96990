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
