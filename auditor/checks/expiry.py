"""Expiry notification (cases C1, C2, C3): customers are told, in time and in
full, that the term is ending and what happens next."""

from __future__ import annotations

from auditor.campaign import Campaign
from auditor.checks._util import (
    find,
    fmt_amount,
    hit_in_text,
    money_in,
    quote,
    sentence_bounds,
    sentences,
    states_amount,
)
from auditor.checks.fees import after_term_amounts, optional_by_name, price_or_totals
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.context import about_after_the_end, sentence_across_lines
from auditor.text.dates import find_dates, find_durations
from auditor.text.lazy import lazy
from auditor.text.normalize import normalize

# Template placeholders that stand for the customer's own end date.
_PLACEHOLDER = lazy(r"\{[^{}]*\}|\$\{[^{}]*\}|\[[^\[\]]*\]|【[^【】]*(?:日|date)[^【】]*】|<[^<>]*>|#[a-z_]+#")
# What a placeholder for a date says: a date word, or the date format it is filled in with ({DD/MM/YYYY},
# 民國{YYY}年{M}月{D}日).
_DATE_WORDS = ("日", "期", "月", "年", "date", "day", "expir", "end", "yy", "dd", "mm", "{d}", "{m}", "{y}")
_RELATIVE_DAY = ("明天", "明日", "今天", "今日", "tomorrow", "today", "tonight")
# A placeholder for the customer's own price, filled in when the notice is sent: "£{{current_airtime}}/month",
# "{{price}} €", "HK${amount}", "{月费}元"; the rise set out in the contract makes the later price the customer's own.
_PRICE_BEFORE = lazy(r"(?:[£$€¥]|hk\$|nt\$|a\$|us\$|rmb|eur|gbp|usd)\s?$")
_PRICE_AFTER = lazy(r"\s?(?:€|元|eur|euro|kr|zł|kč|ft|lei|/\s?(?:month|mth|mo|月|mois|monat|mes|mese|maand))")
_PRICE_NAME = ("price", "amount", "fee", "tariff", "charge", "cost", "airtime", "rate", "preis", "prix", "precio",
               "prezzo", "prijs", "资费", "月费", "价格", "费用", "金额")


def states_a_price_placeholder(text_norm) -> bool:
    """The notice leaves the customer's price to a placeholder filled in when it is sent."""
    text = text_norm.text
    for m in _PLACEHOLDER.finditer(text):
        if _PRICE_BEFORE.search(text, max(0, m.start() - 4), m.start()) or _PRICE_AFTER.match(text, m.end()):
            return True
        if any(word in m.group() for word in _PRICE_NAME):
            return True
    return False


TERM_END, COMMITMENT_END = "term_end", "commitment_end"


def ends_coincide(campaign: Campaign) -> bool:
    """The promotional term and the minimum contract period end together (or there is only one of them)."""
    if not campaign.has_term or not campaign.commitment_months:
        return True
    return campaign.term_months is not None and abs(campaign.term_months - campaign.commitment_months) < 0.5


def anchor(campaign: Campaign, notification) -> str:
    """The end a notification's `days_before` counts back from."""
    if notification.before in (TERM_END, COMMITMENT_END):
        return notification.before
    return TERM_END if campaign.has_term else COMMITMENT_END


def notices_before(campaign: Campaign, end: str) -> list:
    """The notifications sent before `end` (term_end or commitment_end); when both ends fall together a
    notice before either is a notice before both."""
    if end == COMMITMENT_END and not campaign.commitment_months:
        return []
    if end == TERM_END and not campaign.has_term:
        return []
    if ends_coincide(campaign):
        return list(campaign.notifications)
    return [n for n in campaign.notifications if anchor(campaign, n) == end]


def states_when(text_norm, order: str = "dmy") -> bool:
    if find_dates(text_norm, order):
        return True
    if any(d.unit in ("days", "weeks") for d in find_durations(text_norm)):
        return True
    text = text_norm.text
    if any(w in text for w in _RELATIVE_DAY):
        return True
    return any(any(w in m.group() for w in _DATE_WORDS) for m in _PLACEHOLDER.finditer(text))


@check("EXP-001")
def no_reminder_before_term_end(campaign: Campaign, params: dict):
    if not campaign.has_term or notices_before(campaign, TERM_END):
        return
    if params.get("defer_to_commitment_notice") and campaign.commitment_months and ends_coincide(campaign):
        return  # the term is the minimum contract period: EXP-009 reports the missing notice on its legal basis
    what = (T("the {months}-month term", months=f"{campaign.term_months:g}")
            if campaign.term_months else T("the minimum contract period"))
    after = {"auto_cancel": T("the benefit silently lapses"), "auto_renew": T("it renews and bills again"),
             "convert_to_paid": T("it turns into a paid service"),
             "revert_to_standard": T("the standard price applies")}
    consequence = after.get(campaign.behavior or "", T("the terms change"))
    yield Hit("/end_of_term",
              T("no reminder is sent before {what} ends, although {consequence}", what=what,
                consequence=consequence))


@check("EXP-009")
def no_notice_before_commitment_end(campaign: Campaign, params: dict):
    months = campaign.commitment_months
    if not months or notices_before(campaign, COMMITMENT_END):
        return
    if campaign.has_term and not ends_coincide(campaign) and campaign.notifications:
        yield Hit("/end_of_term/notifications",
                  T("the reminders count back from the end of the {term}-month promotion; none is sent before the "
                    "{months}-month minimum contract period ends (set `before: commitment_end` on the notice that "
                    "does)", term=f"{campaign.term_months:g}", months=months))
        return
    # a missing reminder is reported where reminders are set, as EXP-001 does: `end_of_term`
    yield Hit("/end_of_term",
              T("no notice is sent before the {months}-month minimum contract period ends", months=months))


@check("EXP-010")
def end_notice_without_how_to_terminate(campaign: Campaign, params: dict):
    end = COMMITMENT_END if params.get("end", "commitment") == "commitment" else TERM_END
    if end == TERM_END and not _term_conditions_met(campaign, params):
        return  # California: a trial or promotion of 31 days or more that then charges
    for n in notices_before(campaign, end):
        if n.text and not find(params["cancel_words"], n.norm):
            yield Hit(n.text_pointer, T("the notice before the minimum contract period ends does not say how to "
                                        "terminate the contract"), evidence=quote(n.norm))




@check("EXP-002")
def reminder_outside_window(campaign: Campaign, params: dict):
    if not campaign.notifications:
        return
    for window in params.get("windows", []):
        end = COMMITMENT_END if window.get("end") == "commitment" else TERM_END
        notices = notices_before(campaign, end)
        if not notices:
            continue  # no notice before that end at all: EXP-001 / EXP-009 report it
        low, high = window["min"], window["max"]
        if not _window_applies(campaign, end, low, {**params, **window}):
            continue
        days = [n.days_before for n in notices if n.days_before is not None]
        if any(low <= d <= high for d in days):
            continue
        sent = ", ".join(f"{d}" for d in sorted(days)) or "-"
        yield Hit("/end_of_term/notifications",
                  T("no reminder falls {low}–{high} days before the end ({label}); reminders are sent {sent} days "
                    "before", low=low, high=high, label=T(window.get("label", "required window")), sent=sent),
                  key=str(window.get("key") or f"{low}-{high}"))


def _a_trial_or_promotion(campaign: Campaign) -> bool:
    """The term is a free trial or a promotional price: the offer says so, or a fee is cheaper during it."""
    return campaign.offer_type == "free_trial" or any(
        f.promo_amount is not None and f.amount is not None and f.promo_amount < f.amount for f in campaign.fees)


def _term_conditions_met(campaign: Campaign, params: dict) -> bool:
    """The checklist's conditions on a notice before the term ends, for the jurisdiction or the window: a term
    long enough (`min_term_days`), one that charges afterwards (`only_when_charging`), one that is the whole
    contract (`without_commitment`), a trial or promotion (`only_for_promotions`)."""
    if params.get("without_commitment") and campaign.commitment_months:
        return False  # a code about contract expiry: the promotion's end inside a longer contract is not it
    min_term = params.get("min_term_days")
    if min_term and (campaign.term_days or 0) < min_term:
        return False
    if params.get("only_when_charging") and not campaign.charges_after_term:
        return False
    # an annual subscription renewing at its price is no trial or promotion ending
    return not (params.get("only_for_promotions") and not _a_trial_or_promotion(campaign))


def _window_applies(campaign: Campaign, end: str, opens: int, params: dict) -> bool:
    """Whether a reminder window opening `opens` days before `end` is meant for this campaign: a term's window
    only where the checklist's conditions on the term are met (`_term_conditions_met`)."""
    if end == TERM_END:
        if not _term_conditions_met(campaign, params):
            return False
        length = campaign.term_days
    else:
        length = campaign.commitment_months * 30
    # a window that opens in the first half of a short term cannot be meant for it
    return not (length and opens >= length / 2)


@check("EXP-003")
def reminder_missing_end_date(campaign: Campaign, params: dict):
    for n in campaign.notifications:
        if n.text and not states_when(n.norm, campaign.date_order):
            yield Hit(n.text_pointer, T("the reminder does not say when the term ends (a date, or how many days are left)"),
                      evidence=quote(n.norm))


@check("EXP-004")
def reminder_missing_consequence(campaign: Campaign, params: dict):
    for n in campaign.notifications:
        if not n.text:
            yield Hit(n.pointer, T("the reminder has no text, so what it tells the customer cannot be checked"))
            continue
        states_price = any(states_amount(n.norm, a, f.currency) for f, a in after_term_amounts(campaign))
        # when the benefit simply lapses, "expires on 31 July" is what happens at the end
        lapses = campaign.behavior == "auto_cancel" and find(params["expiry_words"], n.norm)
        if not states_price and not lapses and not find(params["phrases"], n.norm):
            yield Hit(n.text_pointer,
                      T("the reminder does not say what happens when the term ends (renews, converts to paid, ends)"),
                      evidence=quote(n.norm))


def _prices_a_reminder_must_give(campaign: Campaign) -> list:
    later = after_term_amounts(campaign)
    if campaign.behavior == "auto_cancel":
        # case C1: the bundle lapses and what was included is charged at the standard rate (0.29元/MB); a fee the
        # table charges only after the term is the price the reminder must give
        # (not one the customer may take up afterwards: "Option TV, if you activate it")
        return [(fee, amount) for fee, amount in later if fee.applies == "after_term" and not optional_by_name(fee)]
    return later if campaign.charges_after_term else []


@check("EXP-005")
def reminder_missing_after_term_price(campaign: Campaign, params: dict):
    later = _prices_a_reminder_must_give(campaign)
    if not later:
        return
    for n in campaign.notifications:
        if not n.text:
            continue
        if any(states_amount(n.norm, total, fee.currency) for fee, amount in later
               for total in price_or_totals(campaign, fee, amount)):
            continue
        if states_a_later_price(campaign, n.norm) or _same_price_as_now(n.norm) or states_a_price_placeholder(n.norm):
            continue
        # 到期后月费不变: where nothing changes at the end of the term, "the same price" is the price the customer
        # pays now, which is the price after it
        if _SAME_PRICE.search(n.norm.text) and all(campaign.price_during_term(f) == a for f, a in later):
            continue
        prices = Join([fmt_amount(a, f.currency) for f, a in later])
        yield Hit(n.text_pointer, T("the reminder does not state the price charged after the term ({prices})",
                                    prices=prices),
                  evidence=quote(n.norm))


# "your lines stay on the same plan at the same price", 资费不变: the later price is the one the notice gives now
_SAME_PRICE = lazy(r"(?:at|for|on) the same price|same price|(?:stays?|remains?|will stay|will remain) the same"
                         r"|(?:at|for|on) the same (?:[£$€]\s?)?\d|no (?:change to|change in) (?:your|the) price|价格不变|资费不变|月费不变|按原价|维持原价"
                         r"|zum gleichen preis|au même prix|al mismo precio|allo stesso prezzo|voor dezelfde prijs"
                         # "läuft zum aktuellen Grundentgelt weiter", "at your current price"
                         r"|zum (?:aktuellen|selben|bisherigen) (?:grund)?(?:entgelt|preis)|au prix actuel"
                         r"|al precio actual|al prezzo attuale|tegen de huidige prijs|at (?:the|your) current price")


def _same_price_as_now(norm) -> bool:
    """The notice gives a recurring price and says it stays the same after the term."""
    return bool(_SAME_PRICE.search(norm.text)) and any(m.period == "month" for m in money_in(norm))


def states_a_later_price(campaign: Campaign, norm) -> bool:
    """The text gives a price per month (or per the fee's period) in a clause about the time after the term
    ("from 1 April 2028 you'll pay £23.60 a month"), other than the prices paid now. A later price that differs
    from the fee table (an annual rise, a total of several fees) still tells the customer what they will pay;
    whether it agrees with the fee table is a consistency question, not a missing price."""
    periods = {fee.period_word for fee, _ in after_term_amounts(campaign)} - {None}
    now = {amount for fee in campaign.fees for amount in [campaign.price_during_term(fee)] if amount is not None}
    text = norm.text
    for money in money_in(norm):
        if money.amount in now or (money.currencies and campaign.currency not in money.currencies):
            continue
        left, right = sentence_bounds(text, money.start, money.end)
        if money.period not in periods:
            # "your airtime continues month to month\nat £23.60.": the period said in the sentence (wrapped over
            # lines), not after the price
            left, right = sentence_across_lines(text, money.start, money.end)
            if money.period is not None or not any(p in text[left:right] for p in periods):
                continue
        clause_start = max(left, text.rfind(",", left, money.start) + 1, text.rfind("，", left, money.start) + 1)
        if about_after_the_end(text, left, right) and clause_start <= money.start:
            return True
    return False


# "You don't need to do anything to keep your plan", "To keep your plan, do nothing": keeping it takes nothing
_NOTHING_TO_DO = lazy(r"(?:don't|do not|won't|will not|no) need to do anything|do nothing|nothing to do|no action "
                            r"(?:is )?(?:needed|required)|(?:you )?don't have to do anything|无需任何操作|无需操作|不用做任何"
                            r"|无需办理|nichts tun|rien à faire|no tienes que hacer nada|no hace falta hacer nada")
_BEFORE_THE_START = lazy(r"(?:成团|安装|开通|激活|生效|启用|装机)(?:之)?前|before (?:activation|installation|your service "
                               r"starts|we connect|it starts)|until (?:activation|installation|we connect)")
_KEEPING = lazy(r"keep|continu|继续|保留|behalten|conserver|mantener|mantenere|houden")
# "Don't want to pay? Cancel online before 14/12. You won't be charged": not being charged follows cancelling.
# Only a phrase about not being charged is read so; "the service stops automatically" after "to unsubscribe,
# reply TD" still says the service stops (case C3).
_CANCEL_INSTRUCTION = lazy(r"(?<![a-z])cancel|取消|退订|kündig|résili|cancela|disdic|opzeg")
_NOT_CHARGED = lazy(r"(?:won't|will not|not) be (?:charged|billed)|不会收费|不再收费|不会产生费用|不会扣费|不收费")


def _after_a_cancel_instruction(text: str, sentence_start: int, start: int) -> bool:
    """A cancellation instruction comes before `start` in its sentence, or earlier on its line; a sentence that
    starts a line continues the line before it when that line ends without a full stop (a wrapped e-mail:
    "Cancel online at ..., in the app,\nor call ... before {trial_end} and you won't be charged.")."""
    line_start = text.rfind("\n", 0, sentence_start) + 1
    if line_start == sentence_start and line_start > 1 and text[line_start - 2] not in ".!?。！？":
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    return bool(_CANCEL_INSTRUCTION.search(text, max(line_start, sentence_start - 160), start))


def _real_endings(text: str, ends: list) -> list:
    """The `ends` phrases that say the service stops: not "to keep your plan" in a sentence saying keeping it
    takes nothing, and not "you won't be charged" right after telling the customer how to cancel."""
    kept = []
    for m in ends:
        left, right = sentence_bounds(text, m.start, m.end)
        phrase = text[m.start:m.end]
        if _KEEPING.search(phrase) and _NOTHING_TO_DO.search(text, left, right):
            continue
        if _BEFORE_THE_START.search(text, left, right):
            continue  # "成团前不会收费": nothing is charged before the service starts, which says nothing of its end
        if _NOT_CHARGED.search(phrase) and _after_a_cancel_instruction(text, left, m.start):
            continue
        kept.append(m)
    return kept


CLAUSE_STOP = lazy(r"[;:!?\n]|\.(?!\d)|, (?:and|but) ")


def _real_continuations(text: str, matches, must_act: list[tuple[int, int]]) -> list:
    """The `continues` phrases that say the service goes on: not negated ("after that there's no device
    payment") and not the condition of a continuation the customer must ask for."""
    return [m for m in matches if m.key == "continues" and not _NEGATION_AFTER.match(text, m.end)
            and not _CN_NEGATION_BEFORE.search(text, max(0, m.start - 4), m.start)
            and not _RECHARGE.search(text, m.start, sentence_bounds(text, m.start, m.end)[1])
            and not any(a <= m.start <= b + 4 for a, b in must_act) and not _stops_after(text, m)]


# "After that a $30 recharge gives you 40GB": what a recharge the customer makes would buy, not a continuation
_RECHARGE = lazy(r"(?<![a-z])(?:recharge|top[- ]?up|re-?purchase|buy (?:another|a new))(?![a-z])|再次充值|重新购买|再充值")
# 到期不自动续费, 不會自動續期或收費, 无需续订: a Chinese negation right before the continuation
_CN_NEGATION_BEFORE = lazy(r"(?:不|不会|不再|并不|无|无需|未|不用|毋须|唔会|唔)\s?$")


# "after that the $22.23 payment and the matching credit both stop", "after that, unused inclusions expire": what
# comes after the term is an ending
_STOPS = lazy(r"(?<![a-z])(?:stops?|ends?|cease[sd]?|finish(?:es)?|expires?|lapses?|will stop|will end)(?![a-z])")


def _stops_after(text: str, match) -> bool:
    end = sentence_bounds(text, match.start, match.end)[1]
    cut = CLAUSE_STOP.search(text, match.end, end)
    return bool(_STOPS.search(text, match.end, cut.start() if cut else end))


_MUST_ACT_TO_CONTINUE = lazy(
    # a setting the customer turns on: 除非您于网站开启「自动续期」, "unless you turn on auto-renew"
    r"(?:除非|如|若)[^。；;\n]{0,12}?(?:开启|打开|启用)\s?[「『“\"']?|(?:开启|打开|启用)\s?[「『“\"']"
    r"|(?<![a-z])(?:unless|if) you (?:turn|switch) on "
    r"|如需继续|如欲继续|如希望继续|如想继续|若要继续|如要继续|申请续用|申请续订|需重新(?:订购|办理|申请)|须重新(?:订购|办理|申请)"
    # (not "if you'd like to keep your price down": the price, not the service)
    r"|(?<![a-z])(?:if you (?:want|wish|would like|'d like) to (?:keep|continue)(?! (?:your |the )?(?:price|bill|cost)s?(?![a-z]))"
    r"|(?<!way )(?<!ways )to keep (?:it|using|your(?! (?:price|bill|cost)s?(?![a-z])))|opt in to "
    r"(?:keep|continue)|re-?subscribe to continue|you(?:'ll| will) need to (?:renew|re-?subscribe|sign up again))")


# "...there's no device payment", "auto-renew is off unless you turn it on", 自动续期：关闭
_NEGATION_AFTER = lazy(r"[\s,]{0,2}(?:there(?:'s| is| are| will be) )?(?:no|not|never|nothing|nor)(?![a-z])|"
                             r"\s(?:is|are|stays|remains|will be|will stay) (?:off|disabled|switched off|turned off)(?![a-z])|"
                             r"[\s,，]{0,2}(?:不再|不会|无需|没有|无)|"
                             # 自动续期：关闭, 自动续期预设系关咗嘅 (is off by default)
                             r"[\s:：]{0,2}(?:预设|默认)?\s?(?:系|是|为|已|会)?\s?(?:关闭|关咗|关掉|停用)")


def contradiction(campaign: Campaign, text_norm, phrases) -> tuple[T, list] | None:
    """(what the text claims, matches) when the text contradicts end_of_term.behavior."""
    matches = find(phrases, text_norm)
    ends = _real_endings(text_norm.text, [m for m in matches if m.key == "ends"])
    # "after that there's no device payment": a negated continuation says the charge ends
    # "to keep using it, call us (NT$50 a month)": a continuation the customer must ask for, whose price is
    # stated, still says the opposite of a service that carries on by itself; its "continue" is conditional
    must_act = [m.span() for m in _MUST_ACT_TO_CONTINUE.finditer(text_norm.text)]
    continues = _real_continuations(text_norm.text, matches, must_act)
    states_later_price = any(states_amount(text_norm, a, f.currency) for f, a in after_term_amounts(campaign))
    if campaign.charges_after_term and ends and not continues and (must_act or not states_later_price):
        return T("the service ends (or must be renewed by the customer)"), ends
    # a fee the campaign charges `always` goes on after the term whatever ends with it (the device payments
    # end, the plan carries on): a notice that names its price says what the fee table says
    if campaign.behavior == "auto_cancel" and not ends and not states_later_price:
        return _an_offer_that_goes_on(text_norm.text, continues)
    return None


def _an_offer_that_goes_on(text: str, continues: list) -> tuple[T, list] | None:
    """A notice of an offer that ends by itself, read as saying it goes on: its continuations, but those said of
    the customer's own plan underneath."""
    continues = [m for m in continues if not _the_plan_underneath(text, m)]
    return (T("the service continues or starts charging"), continues) if continues else None


# What remains when a bonus or a device offer ends on its own: the customer's own plan ("your plan goes back to
# its usual data allowance", "you'll pay only your Unlimited Plus plan", "your plan price stays the same",
# 恢复原套餐). Its carrying on is what ending the offer means, not the offer continuing.
_PLAN_UNDERNEATH = lazy(r"(?<![a-z])(?:your (?:usual |normal |regular |existing |current |standard |own )?(?:plan|tariff"
                        r"|allowance|data)|usual|back to|only your)(?![a-z])|原套餐|原有套餐|原资费|恢复|回复为|原方案")


def _the_plan_underneath(text: str, match) -> bool:
    start, end = sentence_bounds(text, match.start, match.end)
    return bool(_PLAN_UNDERNEATH.search(text, start, end))


@check("EXP-006")
def reminder_contradicts_behavior(campaign: Campaign, params: dict):
    behavior = campaign.behavior
    if behavior is None:
        return
    for n in campaign.notifications:
        found = contradiction(campaign, n.norm, params["phrases"])
        if found:
            claim, matches = found
            yield hit_in_text(n.text_pointer, T("the reminder says {claim}, but the campaign's end-of-term behavior "
                                                "is `{behavior}`", claim=claim, behavior=behavior),
                              n.norm, [(m.start, m.end) for m in matches[:3]])
    for material in campaign.customer_materials:
        if not material.is_notification:
            continue
        found = contradiction(campaign, material.norm, params["phrases"])
        if found:
            claim, matches = found
            yield hit_in_text(material.pointer, T("the notification `{material}` says {claim}, but the campaign's "
                                                  "end-of-term behavior is `{behavior}`", material=material.id,
                                                  claim=claim, behavior=behavior),
                              material.norm, [(m.start, m.end) for m in matches[:3]], material.id)


def _introduces_lines_below(text: str, start: int, end: int) -> bool:
    line = text[start:end].strip()
    if line.endswith((":", "：")):
        return True
    return text[end - 1:end] == "\n" and len(line) <= 60 and not line.endswith((".", "!", "?", "。", "！", "？", ";", "；"))


def states_tariff(notice, best_tariff) -> bool:
    """A sentence of the notice names a best tariff and gives its price (not only "see our best deals")."""
    matches = find(best_tariff, notice.norm)
    if not matches:
        return False
    prices = money_in(notice.norm)  # "£16.80 a line", "£12/month": a price with or without its period
    text = notice.norm.text
    for start, end in sentences(notice.norm):
        if not any(start <= m.start < end for m in matches):
            continue
        # "Our best deals for you:", or the heading "OUR BEST DEALS FOR YOU" on a line of its own, introduces
        # the tariffs on the lines below (a list, a table), up to a blank line
        if _introduces_lines_below(text, start, end):
            blank = text.find("\n\n", end)
            end = blank if blank >= 0 else len(text)
        if any(start <= p.start < end for p in prices):
            return True
    return False


@check("EXP-007")
def end_notice_missing_best_tariff(campaign: Campaign, params: dict):
    notices = [n for n in notices_before(campaign, COMMITMENT_END) if n.text]
    if not notices:
        return  # no minimum contract period (Ofcom's and the EECC's notices are about it), or EXP-009 reports it
    if any(states_tariff(n, params["best_tariff"]) for n in notices):
        return
    mentioned = [n for n in notices if find(params["best_tariff"], n.norm)]
    if mentioned:
        yield Hit(mentioned[0].text_pointer,
                  T("the end-of-contract notice mentions better deals but states no tariff and its price; name the "
                    "provider's best tariffs with their prices (including a SIM-only deal for handset bundles)"),
                  evidence=quote(mentioned[0].norm))
        return
    yield Hit("/end_of_term/notifications",
              T("no end-of-term notice tells the customer about the provider's best tariffs "
                "(including a SIM-only deal for handset bundles)"))


DURABLE = ("sms", "email", "letter")


@check("EXP-008")
def reminder_not_on_durable_medium(campaign: Campaign, params: dict):
    if not campaign.notifications:
        return
    if any(n.channel in DURABLE for n in campaign.notifications):
        return
    if any(n.channel == "app" for n in campaign.notifications):
        yield Hit("/end_of_term/notifications",
                  T("end-of-term reminders are only given in the app; an in-app message is a durable medium only if "
                    "the customer can store it and see it unchanged for as long as needed (an inbox kept on the "
                    "account, not a pop-up); send it by SMS, email or letter, or have legal confirm the app inbox"))
        return
    yield Hit("/end_of_term/notifications",
              T("end-of-term reminders are only given by phone call; they must also reach the customer on a durable "
                "medium (SMS, email, letter)"))


ONLINE = ("web", "app")


@check("EXP-011")
def cn_statutory_renewal_notice(campaign: Campaign, params: dict):
    """消费者权益保护法实施条例 art 19 (any channel) and 网络交易监督管理办法 art 18 (sold online: 5 days before)."""
    if campaign.behavior not in params.get("behaviors", ("auto_renew", "convert_to_paid")) or not campaign.has_term:
        return
    notices = notices_before(campaign, TERM_END)
    if not notices:
        yield Hit("/end_of_term", T("the service renews or turns paid automatically, but no notice is sent before "
                                    "the renewal date"))
        return
    days = [n.days_before for n in notices if n.days_before is not None]
    lead = params.get("online_days_before", 5)
    if set(campaign.channels) & set(ONLINE) and not any(d >= lead for d in days):
        yield Hit("/end_of_term/notifications",
                  T("the service is sold online and renews automatically, but no notice is sent at least {lead} days "
                    "before the renewal date (reminders are sent {sent} days before)", lead=lead,
                    sent=", ".join(str(d) for d in sorted(days)) or "-"))


# A notice period is a duration next to a notice word; it is the customer's notice to end the contract when
# the sentence is about ending it ("we'll give you a month's notice of price changes" is not).
_NOTICE_WORD = lazy(r"notice|通知|kündigungsfrist|frist|préavis|preaviso|preavviso|opzegtermijn|termijn")
_ENDING_WORD = lazy(r"terminat|cancel|end (?:the|your)|leave|disconnect|终止|終止|解约|解約|取消|退租|退订|拆机|停用"
                          r"|kündig|résili|rescind|baja|disdett|recesso|opzeg")
_NOTICE_REACH = 30  # characters between the duration and its notice word


def notice_days(normalized, about_ending: bool = False) -> list[tuple[int, int, int]]:
    """(days, start, end) for every notice period to end the contract stated in a text: "three (3) months'
    written notice", "須提前三個月書面通知", "Kündigungsfrist von 3 Monaten", "préavis de 3 mois". A text that is
    `about_ending` (a cancellation method's instructions) needs no word for ending in the sentence."""
    text = normalized.text
    out = []
    for duration in find_durations(normalized):
        days = duration.in_days()
        left, right = sentence_bounds(text, duration.start, duration.end)
        near = text[max(left, duration.start - _NOTICE_REACH):min(right, duration.end + _NOTICE_REACH)]
        if _NOTICE_WORD.search(near) and (about_ending or _ENDING_WORD.search(text, left, right)):
            out.append((days, duration.start, duration.end))
    return out


@check("EXP-012")
def termination_notice_over_one_month(campaign: Campaign, params: dict):
    """EECC art 105(3) (after prolongation) and Hong Kong's industry code: at most one month's notice to end."""
    limit = params.get("max_days", 31)
    texts = [(m.pointer, m.norm, m.id, False) for m in campaign.customer_materials]
    texts += [(n.text_pointer, n.norm, None, False) for n in campaign.notifications if n.text]
    texts += [(f"/cancellation/methods/{i}/instructions", normalize(method["instructions"]), None, True)
              for i, method in campaign.cancellation_methods if isinstance(method.get("instructions"), str)]
    for pointer, normalized, material, about_ending in texts:
        long = [(d, a, b) for d, a, b in notice_days(normalized, about_ending) if d > limit]
        if long:
            yield hit_in_text(pointer, T("the text asks for {days} days' notice to end the contract; after the minimum "
                                         "period customers may leave on at most one month's notice",
                                         days=long[0][0]),
                              normalized, [(a, b) for _, a, b in long[:2]], material)
