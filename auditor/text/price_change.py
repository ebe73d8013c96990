"""How a sales text describes what a change of plan does to the price (case C9).

In case C9 the caller sold a 29 CNY plan's owner an 86.9 CNY plan as a "free upgrade"; in its
variants the caller says the price "basically stays the same", "you don't pay anything extra",
"it's only a few dollars more" or "only thirty more" (when it is sixty). These functions read the
normal form (lower case, simplified script) for the three ways of playing the change down:

- `no_increase_claims`: the customer pays nothing more (不用额外加钱, 月费基本不变, 免费升级, "no extra
  cost", "your bill stays the same", "a free upgrade");
- `vague_increase_claims`: an increase named without a figure ("a few dollars more", 多几块钱, 贵一点点);
- `stated_increments`: an increase named with a figure (只多三十块, "just $5 more a month"), to be
  checked against the prices the campaign states.

A customer's question in the script (不加钱吧？) matches too; that is harmless, since a rule asks these
only of a script that never states the new price, where nobody answered the question with one.
"""

from __future__ import annotations

from decimal import Decimal

from auditor.text.lazy import LazyPattern, lazy
from auditor.text.money import find_money
from auditor.text.normalize import Normalized

_NO_INCREASE = lazy(
    # Chinese: a negation, then (optionally) "extra", then paying or charging more: 不用额外加钱, 无需多付,
    # 唔使加钱 (Cantonese), 不会多收您一分钱
    r"(?:不|无需|无须|不用|不需要?|唔使|唔洗|毋须|免|没有|冇)(?:会|再|要)?(?:额外|另外|另)?"
    r"(?:加钱|加价|加费|多收|多付|多交|多扣|多俾钱|多畀钱|多花钱|多给钱|多出钱|加收)"
    # the price itself said to stay: 月费基本不变, 资费保持不变, 价钱一样, 月租唔变
    r"|(?:月费|月租|资费|价格|价钱|套餐费|费用|话费|收费)(?:基本|都|也|还是|会|将|保持|维持|完全|基本上){0,2}"
    r"(?:不变|没变|冇变|唔变|一样|照旧|相同|不会变|没有变化|不会增加|不增加|没有增加)"
    # the upgrade itself called free: 免费升级, 免费为您升级, 升级免费
    r"|免费(?:为您|帮您|给您|替您|为你|帮你|给你)?升级|升级(?:是|完全)?免费"
    # English
    r"|(?<![a-z])(?:at )?no (?:extra|additional) (?:cost|charge)s?(?![a-z])"
    r"|(?:won't|will not|doesn't|does not|wouldn't|would not) cost (?:you )?(?:anything|a (?:penny|cent|dime|thing)|any)"
    r" ?(?:more|extra)"
    r"|(?<![a-z])(?:the )?same (?:monthly )?(?:price|bill|rate|monthly (?:fee|charge))(?![a-z])"
    r"|(?:price|bill|rate|monthly (?:fee|charge)) (?:stays|remains|will stay|will remain|won't change|will not change)"
    r"(?: (?:the same|unchanged|as it is))?"
    r"|(?:won't|will not|doesn't|does not) (?:change|raise|increase) (?:your|the) (?:bill|price|rate|monthly (?:fee|charge))"
    r"|(?<![a-z])free (?:upgrade|plan upgrade)|upgraded? (?:you )?(?:for free|free of charge)"
    r"|(?<![a-z])nothing (?:more|extra) to pay"
)
_VAGUE_INCREASE = lazy(
    r"(?<![a-z])(?:a (?:few|couple(?: of)?) (?:more )?(?:dollars|bucks|pounds|quid|euros|cents|pence)(?: more| extra)?"
    r"|a (?:little|tiny bit|bit|touch) (?:more|extra)"
    r"|(?:small|tiny|minor|slight) (?:increase|difference|top-up|extra))(?![a-z])"
    r"|多(?:几|两|一两|三几)(?:块|元|蚊)|(?:贵|多)(?:一点点?|一些|一丁点|少少|一啲|啲)"
)
# An amount said as an increase: 只多三十块 (多 right before it), "$5 more", "£3 extra" (the word right after
# it, allowing a period: "$5 more a month", "$5 a month more").
_MORE_BEFORE = lazy(r"(?:多|加|贵|涨)(?:了|出)?\s?$")
_MORE_AFTER = lazy(r"\s?(?:(?:a|per|/)\s?(?:month|mo|line)\s?)?(?:more|extra)(?![a-z])")


def _spans(pattern: LazyPattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def no_increase_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text says the change costs the customer nothing more."""
    return _spans(_NO_INCREASE, text)


def vague_increase_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text names an increase without a figure ("a few dollars more", 多几块钱)."""
    return _spans(_VAGUE_INCREASE, text)


def stated_increments(normalized: Normalized) -> list[tuple[Decimal, tuple[int, int]]]:
    """The amounts the text gives as an increase, with their spans."""
    text = normalized.text
    out = []
    for money in find_money(normalized):
        if _MORE_BEFORE.search(text[max(0, money.start - 3):money.start]) or _MORE_AFTER.match(text, money.end):
            out.append((money.amount, (money.start, money.end)))
    return out
