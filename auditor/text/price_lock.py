"""Promises that the price will not go up, and terms that let the operator raise it.

"3-Year Price Lock", "your price never goes up. Ever.", 价格锁定, Preisgarantie: a promise that the customer's
price stays as it is, for a time or for good. It is false when the terms keep a general right to change the
price ("Granite Bay may change plan prices, features or fees at any time with 30 days' notice", 本公司有权调整
资费) that the promise does not carve out. These functions read the normal form (lower case, simplified
script):

- `price_lock_claims`: the promise, as a name for it (price lock, price guarantee, 价格锁定) or as a sentence
  with a time scope (never goes up; won't go up for 3 years; 永不加价);
- `price_change_clauses`: a clause keeping the right to change or raise the price at the operator's choice,
  not one about taxes, government charges or optional add-ons, and not one qualified by the promise itself
  ("except during your Price Lock", "after your price lock ends").
"""

from __future__ import annotations

from auditor.text.lazy import lazy

_PRICE_NOUN = r"(?:prices?|pricing|rates?|bill|monthly (?:fee|charge|payment)s?|plan charges?)"
# what a clause changes: the prices or charges of the service (not "fees" alone, which a price lock commonly
# leaves out, and not the bill, whose date the customer may change)
_CHARGE_NOUN = r"(?:prices?|pricing|rates?|charges?|tariffs?|monthly (?:fee|charge|price)s?)"
_RISE = r"(?:go(?:es)? up|rises?|increases?|change)"

_LOCK = lazy(
    # the characters a promise can start with, checked first so that the engine skips every other position
    r"(?=[价锁月资永保]|(?<![a-z])[plrgbmn]|preisg|prijsg)(?:"
    # the promise named
    r"(?<![a-z])(?:price[- ]?lock(?:ed)?|locked[- ]in (?:price|rate)|(?:price|rate) (?:is |stays |will stay )?"
    r"(?:locked|guaranteed|frozen)|price (?:guarantee|freeze)|guaranteed (?:price|rate)"
    # said with "never": "your price never goes up", "the price will never increase"
    r"|" + _PRICE_NOUN + r" (?:will )?never " + _RISE + r"|never (?:a )?price (?:rise|increase)s?"
    # said with a time scope: "won't go up for 3 years", "will not increase before 30 june 2029", "ever"
    r"|" + _PRICE_NOUN + r" (?:won't|will not|doesn't|does not) " + _RISE + r"(?: (?:for|until|before|ever)(?![a-z])"
    r"|\.? ever(?![a-z])))"
    # Chinese: 价格锁定, 锁定月费, 锁价, 永不加价, 保证不加价, 月费永远不变
    r"|价格锁定|锁定(?:价格|月费|资费)|(?:月费|资费)锁定|锁价|永不加价|永不涨价|保证不(?:加价|涨价)"
    r"|(?:月费|资费|价格)(?:永远|永久|终身)不变|价格保证"
    # the EU languages: Preisgarantie, prix garanti, precio garantizado, prezzo bloccato, prijsgarantie
    r"|preisgarantie|(?<![a-z])(?:prix (?:garanti|bloqué)|precio (?:garantizado|congelado|bloqueado)"
    r"|prezzo (?:bloccato|garantito))|prijsgarantie)"
)

_CHANGE = lazy(
    # English: "may change plan prices, features or fees", "reserves the right to increase our charges",
    # "prices are subject to change", "we may raise your monthly price"
    # (the operator's right: not "you can change your plan's price tier")
    r"(?<![a-z])(?<!you )(?<!customers )(?<!customer )(?:may|can|reserves? the right to|(?:is|are) entitled to)"
    r"(?: at any time)? (?:change|increase|raise|adjust|vary|modify|revise)(?: [a-z,]+){0,4}? " + _CHARGE_NOUN
    + r"(?![a-z])"
    r"|" + _CHARGE_NOUN + r" (?:are |is |may be )?subject to change"
    r"|" + _CHARGE_NOUN + r" (?:may|can) (?:change|increase|rise|go up)(?![a-z])"
    # Chinese: 本公司有权调整资费, 可调整套餐价格, 资费如有调整
    r"|(?:有权|可|可以|保留)(?:对)?(?:调整|变更|上调|提高)(?:本)?(?:资费|价格|月费|套餐价格|收费标准)"
    r"|(?:资费|价格|月费)(?:标准)?(?:如有|若有|可能)(?:调整|变动|变更)"
    # the EU languages
    r"|preisänderungen? vorbehalten|(?:berechtigt|behält sich vor)[^.]{0,40}?preise?[^.]{0,20}?(?:ändern|anzupassen|"
    r"anpassen|erhöhen)|(?:peut|pourra) (?:modifier|augmenter|réviser) (?:ses |les |nos )?(?:prix|tarifs)"
    r"|(?:podrá|puede) (?:modificar|subir|actualizar) (?:los |sus |nuestros )?(?:precios|tarifas)"
    r"|(?:può|potrà) (?:modificare|aumentare) (?:i |le )?(?:prezzi|tariffe)"
)

# What a change clause may be about without touching a locked price: the promise itself (an exception for it,
# or the time after it ends), taxes and government charges, optional extras.
_CARVE_OUT = lazy(
    r"lock|guarant|freeze|frozen|锁定|锁价|保证|garant|bloqu|congel"
    r"|(?<![a-z])(?:after|once|when) (?:the |your |this |any )?(?:initial |first |promotional |minimum |fixed )?"
    r"(?:\d+[- ](?:month|year)|term|period|promotion|offer|contract)"
    r"|(?<![a-z])(?:tax|taxes|surcharges?|government|regulatory|add-?ons?|optional|third[- ]party|roaming"
    r"|international|pay-as-you-go|out-of-bundle|premium)(?![a-z])"
    r"|税|附加|可选|期满后|到期后"
)


# the end of the sentence holding a match: a question ("Is the $93.50 price locked?") promises nothing
_SENTENCE_END = lazy(r"[.!?。！？\n]")


def price_lock_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text promises that the price will not go up (not where it asks whether it will)."""
    out = []
    for m in _LOCK.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        if not (end and end.group() in "?？"):
            out.append(m.span())
    return out


def price_change_clauses(text: str, sentence) -> list[tuple[int, int]]:
    """Spans of clauses keeping the operator's right to change the price, outside any carve-out.
    `sentence(text, start, end)` gives the bounds of the sentence holding a span."""
    out = []
    for m in _CHANGE.finditer(text):
        left, right = sentence(text, m.start(), m.end())
        if not _CARVE_OUT.search(text, left, right):
            out.append(m.span())
    return out
