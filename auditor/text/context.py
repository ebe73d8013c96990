"""Context around a matched word: is it a claim, a name, a citation or a plain fact?

A word list finds `最高`, `best` or `unlimited`; whether the text *claims* something depends on
what stands around it. These functions look at the normal form (lower case, simplified script):

- `in_name_or_citation`: inside a quoted title (《广告法》, 「…」, "…") or part of an institution's name
  (最高人民法院, 最高人民检察院, Supreme Court): a name, not a claim;
- `states_a_figure`: followed by a figure (最高480元, 最高可享100GB, 最低5元起, up to 1Gbps): a truthful
  cap or floor the customer can check, which SAMR's 2023 guideline on absolute terms excludes;
- `substantiated`: the text cites the basis of a superlative (a survey, a test, a source, a date);
- `unlimited_claims`: "unlimited" said of data or internet use (`unlimited local data`, `无限流量`,
  `上网吃到饱`), with up to two words between; `states_a_limit`: the fair-use limit that qualifies it.
"""

from __future__ import annotations

import re

_OPENING_QUOTES = "《「『“\"〈"
_CLOSING_QUOTES = {"《": "》", "「": "」", "『": "』", "“": "”", "\"": "\"", "〈": "〉"}
# What follows an absolute word when it is part of a name: 最高人民法院, 最高法, 最高检, supreme court.
_INSTITUTION_AFTER = re.compile(r"\s?(?:人民法院|人民检察院|法院|检察院|法[^律规]|检[^查测]|court|people's court)")
# A figure right after the word, allowing a verb of amount in between: 最高480元, 最高可享100GB, 最低5元起.
_FIGURE_AFTER = re.compile(r"\s?(?:可享|可达|可获|可返|可减|可抵|可|享|达|至|为|送|返|减|抵|优惠|折扣)?\s?"
                           r"(?:\d[\d.,]*|[一二两三四五六七八九十百千万]+)(?![\d.,])(?!\s?g(?!b))")  # 5G is a network, not a figure
_UP_TO_BEFORE = re.compile(r"(?:up to|as low as|from just|from only)\s?$")
# The long alternations below start with a lookahead naming the characters a match can start with, so
# that the engine skips every other position instead of trying each alternative there (tests compare them
# with the plain patterns: tests/test_text_fast_paths.py).
_BASIS = re.compile(
    "(?=[abiorstu根依据来调测统数报截])(?:"
    r"according to|source:|sources:|based on|survey|independent test|tested by|test results?|"
    r"ookla|opensignal|rootmetrics|umlaut|ofcom (?:data|report)|as of \d|report(?:ed)? by|awarded by|"
    r"根据|依据|据.{0,12}(?:调查|测试|报告|统计|数据)|来源[:：]|调查|测试结果|测评|统计|数据显示|报告显示|截至\d|截止\d)"
)
_UNLIMITED = re.compile(
    "(?=[deul无不吃流上数])(?:"
    r"(?<![a-z])(?:unlimited|limitless|endless)(?:\s[a-z0-9-]+){0,2}?\s(?:data|internet|broadband|browsing|streaming|"
    r"downloads?|usage|5g|4g|gb)(?![a-z])|data without limits"
    r"|(?:无限|不限)量?(?:畅享|畅玩)?(?:流量|上网|数据)|无限量|不限量|无限畅享|吃到饱"
    r"|(?:流量|上网|数据)(?:不限量|不限|无限|吃到饱|无上限))"
)
# The limit that qualifies an "unlimited" claim: a fair-use policy, a speed reduction, a threshold.
_LIMIT = re.compile(
    r"(?=[\dabcdeflmorstu限降公合达超])(?:"
    r"fair us(?:e|age)|(?:speeds?|data) (?:is |are |will be |gets? )?(?:reduced|limited|slowed|capped|throttled|shaped)|"
    r"(?:reduced|limited|slowed|capped|throttled|shaped) (?:to|speeds?|after)|"
    r"(?:after|over|beyond|above|exceed(?:ing)?|once you(?:'ve)? used) (?:your |the )?(?:first )?\d+\s?gb|"
    r"(?:up to|at) [\d.]+\s?[mk]bps|maximum speed|"
    r"限速|降速|公平使用|合理使用|达量|超过\d+\s?gb|超出\d+\s?gb|\d+\s?gb(?:后|以上))"
)


def in_name_or_citation(text: str, start: int, end: int) -> bool:
    """True when [start, end) is inside a quoted title or is part of an institution's name."""
    if _INSTITUTION_AFTER.match(text, end):
        return True
    for opening in _OPENING_QUOTES:
        left = text.rfind(opening, 0, start)
        if left < 0:
            continue
        closing = _CLOSING_QUOTES[opening]
        if opening == closing:
            # a straight quote opens when an odd number of them stand before it
            if text.count(opening, 0, start) % 2 == 1 and text.find(closing, end) >= 0:
                return True
            continue
        close_before = text.rfind(closing, left, start)
        if close_before < 0 and text.find(closing, end) >= 0:
            return True
    return False


def states_a_figure(text: str, start: int, end: int) -> bool:
    """True when the word states a checkable cap or floor: a figure follows it, or `up to` precedes it."""
    return bool(_FIGURE_AFTER.match(text, end)) or bool(_UP_TO_BEFORE.search(text[max(0, start - 14):start]))


def substantiated(text: str) -> bool:
    """True when the text cites the basis of its claims (survey, test, source, date)."""
    return bool(_BASIS.search(text))


def unlimited_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text promises unlimited data or internet use."""
    return [m.span() for m in _UNLIMITED.finditer(text)]


def states_a_limit(text: str) -> bool:
    """True when the text states the limit behind an unlimited claim (fair use, a speed cut, a threshold)."""
    return bool(_LIMIT.search(text))
