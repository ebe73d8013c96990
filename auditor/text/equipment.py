"""Equipment called free, and equipment whose cost the campaign recovers (Australia's TCP Code).

The TCP Code does not allow "free" for something whose cost is recovered over the contract. A "FREE Wi-Fi 6
modem" whose price is charged, month by month, to a customer who leaves early ("a modem recovery charge of
$9 for each remaining month", "you pay $10 for each remaining month of the 24 for your modem") is such a
thing. These functions read the normal form (lower case):

- `free_items`: the item a free word is said of ("FREE Wi-Fi 6 modem", "the modem is free", "modem on us");
- `recovered_items`: the items a sentence charges for when the customer leaves, unless it says no charge
  applies ("no modem charge if you leave") or charges only for not returning it (a loan, not a gift).
"""

from __future__ import annotations

from auditor.text.lazy import lazy

# The kinds of equipment, each under one name: a "phone" in the advert is the "handset" of the terms.
_KINDS = {"modem": "modem", "router": "modem", "gateway": "modem", "phone": "phone", "handset": "phone",
          "smartphone": "phone", "mobile": "phone", "tablet": "tablet", "watch": "watch", "smartwatch": "watch",
          "device": "device", "hardware": "device", "dongle": "dongle", "hotspot": "dongle", "laptop": "laptop",
          "earbuds": "earbuds", "headphones": "earbuds", "buds": "earbuds", "airpods": "earbuds", "set-top box": "set-top box", "streaming box": "set-top box",
          "tv box": "set-top box", "decoder": "set-top box", "sim": "sim", "sim card": "sim", "esim": "sim"}
_ITEM = lazy(r"(?<![a-z])(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")(?:e?s)?(?![a-z])")
# After the free word, within a few words and the same clause: "free wi-fi 6 modem", "free 5g phone".
_AFTER_WITHIN = 24
# Before it: "modem free", "the modem is free", "modem for free", "modem on us".
_BEFORE = lazy(r"(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")(?:e?s)?(?: (?:is|comes|for))*\s?$")
_CLAUSE_BREAK = lazy(r"[.!?;:,()\n]")
_LEAVING = lazy(r"(?<![a-z])(?:cancel\w*|leav\w*|terminat\w*|exit|early|recover\w*|remaining month\w*"
                      r"|before the end of the minimum)")
_CHARGE = lazy(r"(?<![a-z])(?:charge\w*|fees?|pay\w*|costs?|recover\w*)(?![a-z])|\$\s?\d")
# "no modem charge", "without paying for the modem", "won't be charged": nothing is recovered
_NEGATED = lazy(r"(?<![a-z])(?:no|without|never|won't|will not|don't|do not|free of|not be|isn't|is not)"
                      r"(?:\s[a-z-]+){0,3}\s(?:charges?|fees?|costs?|pay\w*|charged)(?![a-z])"
                      # "maximum early termination charge A$0": a charge of nothing
                      r"|(?<![a-z])(?:charges?|fees?|costs?)\s(?:of\s)?(?:a\$|au\$|\$|£|€)\s?0(?:\.00)?(?![\d.,]*\d)"
                      # a key-facts row: "Modem charge if you leave: A$0"
                      r"|(?<![a-z])(?:charges?|fees?|costs?)\s[^.:\n]{0,24}:\s?(?:a\$|au\$|hk\$|nt\$|\$|£|€)\s?0(?:\.00)?"
                      r"(?![\d.,]*\d)"
                      r"|(?<![a-z])(?:pay nothing|nothing (?:more |else |extra |further )?to pay|keep (?:it|the \w+) for free)")
_RETURN = lazy(r"(?<![a-z])(?:return\w*|unreturned|non-return|send (?:it|the \w+) back)(?![a-z])")
_SENTENCE = lazy(r"[^.!?\n]+")


def _kind(word: str) -> str:
    return _KINDS[word]


_DEVICE_CJK = lazy(r"手机|机款|终端|合约机|裸机|购机|平板|手表")


def equipment_kinds(text: str) -> set[str]:
    """The kinds of equipment a (normal-form) text names: "tv box one-off fee" -> {"set-top box"}."""
    return {_kind(word) for word in _ITEM.findall(text)}


def device_named(text: str) -> bool:
    """The (normal-form) text names a piece of equipment: "Nova X Pro device payment", "购机分期"."""
    return bool(equipment_kinds(text) - {"sim"} or _DEVICE_CJK.search(text))


# A handset named by its maker's line and model: "the Galaxy S27 free", "free iPhone 17 Pro", "iPad Air for free"
_MODEL = (r"(?<![a-z])(?:(?P<tablet>ipad|galaxy tab)|iphone|galaxy|pixel|xperia|redmi|xiaomi|huawei|honor|oppo|vivo"
          r"|oneplus|nokia|motorola|moto)(?:\s?[a-z]{0,6}\s?\d+[a-z0-9]*)?(?:\s(?:pro|max|ultra|plus|fe|mini|air|lite))*")
_MODEL_AFTER = lazy(_MODEL)
_MODEL_BEFORE = lazy(_MODEL + r"(?:\s\d+\s?(?:gb|tb))?(?: (?:is|comes|for))*\s?$")


def free_items(text: str, free_spans: list[tuple[int, int]]) -> list[tuple[str, tuple[int, int]]]:
    """(kind of item, span of the free word) for free words said of equipment."""
    out = []
    for start, end in free_spans:
        after = text[end:end + _AFTER_WITHIN]
        cut = _CLAUSE_BREAK.search(after)
        item = _ITEM.search(after[:cut.start()] if cut else after)
        before = _BEFORE.search(text[max(0, start - 24):start])
        if item:
            out.append((_kind(item.group(1)), (start, end)))
        elif before:
            out.append((_kind(before.group(1)), (start, end)))
        else:
            model = _MODEL_AFTER.match(after.lstrip()) or _MODEL_BEFORE.search(text[max(0, start - 40):start])
            if model:
                out.append(("tablet" if model.group("tablet") else "phone", (start, end)))
    return out


def recovered_items(text: str) -> set[str]:
    """Kinds of equipment whose cost a sentence of the text charges to a customer who leaves."""
    kinds: set[str] = set()
    for sentence in _SENTENCE.findall(text):
        items = _ITEM.findall(sentence)
        if not items or not _LEAVING.search(sentence) or not _CHARGE.search(sentence):
            continue
        if _NEGATED.search(sentence) or _RETURN.search(sentence):
            continue
        kinds.update(_kind(item) for item in items)
    return kinds
