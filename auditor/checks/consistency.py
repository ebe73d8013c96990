"""Consistency (cases C3, C12): every material tells the same story as the
campaign definition."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from auditor.campaign import Campaign, fee_sums
from auditor.checks._util import fmt_amount, hit_in_text, sentence_bounds, sentences, states_amount, written_money
from auditor.checks.competitors import generic_rivals, rival_mentions
from auditor.checks.consent import plan_change_prices
from auditor.checks.expiry import contradiction
from auditor.messages import T
from auditor.registry import check
from auditor.text.dates import find_dates, find_durations
from auditor.text.lazy import lazy
from auditor.text.money import find_money
from auditor.text.normalize import norm, normalize
from auditor.text.price_change import no_increase_claims, stated_increments, vague_increase_claims

PRICE_PERIODS = ("month", "use", "message", "minute", "MB", "GB", "KB", "day", "week", "year")


def known_amounts(campaign: Campaign) -> set[Decimal]:
    amounts: set[Decimal] = set()
    per_use = Decimal(0)
    for fee in campaign.fees:
        for a in (fee.amount, fee.promo_amount):
            if a is not None:
                amounts.add(a)
        if fee.recurrence == "per_use" and fee.amount:
            per_use += fee.promo_amount if fee.promo_amount is not None else fee.amount
    amounts.add(per_use)
    for value in (campaign.minimum_spend.get("amount"), campaign.commitment.get("early_termination_fee"),
                  campaign.cancellation.get("fee")):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            amounts.add(Decimal(str(value)))
    return amounts


_CENT = Decimal("0.01")


def prices_of_the_offer(campaign: Campaign) -> set[Decimal]:
    """Every amount the campaign's facts account for: its fees (full and promotional), their totals and the same
    prices per another period, the minimum spend and the charges for leaving."""
    found = campaign.memo.get("prices_of_the_offer")
    if found is None:  # read by each claim a rule weighs: computed once per campaign
        found = campaign.memo["prices_of_the_offer"] = (known_amounts(campaign) | _totals(campaign)
                                                        | _per_period_equivalents(campaign))
    return found


def _totals(campaign: Campaign) -> set[Decimal]:
    """What the customer pays for several fees together: airtime + device plan (£10 + £22.50 = £32.50 a
    month), plan + add-on, a SIM + its activation. Sums of the monthly and one-off fees (the first six),
    each at its full or its promotional amount."""
    charged = [fee for fee in campaign.fees if fee.recurrence in ("monthly", "one_time")]
    return {total for total in fee_sums(charged, 6) if total > 0}


def _per_period_equivalents(campaign: Campaign) -> set[Decimal]:
    """The same price per another period: $99 billed yearly is $8.25 a month, £12 per 30 days is 40p a day."""
    out: set[Decimal] = set()
    for fee in campaign.fees:
        for amount in (fee.amount, fee.promo_amount):
            if amount is None or amount <= 0:
                continue
            if fee.recurrence == "one_time":  # an annual plan or a device paid up front, per month
                out |= {(amount / months).quantize(_CENT) for months in (12, 24, 36)}
            if fee.recurrence == "per_unit" and fee.unit in ("year", "yr", "annual"):
                out.add((amount / 12).quantize(_CENT))
            if fee.recurrence == "monthly":
                out |= {(amount / days).quantize(_CENT) for days in (28, 30, 31)}
                out.add(amount * 12)
    return out


_MINIMUM_SPEND_BEFORE = lazy(
    r"(?:最低消费|保底消费|月最低消费|最低月消费|低消|minimum (?:monthly )?spend(?: of)?|minimum monthly charge(?: of)?)"
    r"\s?[:：]?\s?(?:为|是|of)?\s?$")


@dataclass(frozen=True)
class _PriceFacts:
    """What a price in a material may match: the fee table's amounts, its currencies, the minimum spend."""

    known: set[Decimal]
    currencies: set[str]
    spend: Decimal | None
    monthly: tuple[Decimal, ...] = ()  # the monthly fees' amounts, for "N lines" multiples and price rises
    names: tuple[str, ...] = ()  # the fees' names: an amount right after one is said to be its price


def _minimum_spend(campaign: Campaign) -> Decimal | None:
    spend = campaign.minimum_spend.get("amount")
    return Decimal(str(spend)) if isinstance(spend, (int, float)) and not isinstance(spend, bool) else None


_LINES = lazy(r"(\d{1,2})\s?(?:lines|phones|members|people|users|sims|门|人|部|张卡|个号码|個號碼)")
# An amount that is a difference or a change, not a price: "$40/mo less", "goes up by £0.50 a month".
_DIFFERENCE_AFTER = lazy(r"\s?(?:less|cheaper|off|saving|more\b|少|便宜|优惠)")
_CHANGE_BEFORE = lazy(r"(?:up by|increases? by|rises? by|rise of|increase of|\+|涨|上调)\s?$")


@lru_cache(maxsize=64)
def _line_counts(text: str) -> frozenset[int]:
    """The numbers of lines a text states ("4 lines", "3人"), read once per text, not once per price in it."""
    return frozenset(int(n) for n in _LINES.findall(text) if 1 < int(n) <= 20)


def _derived(money, text: str, facts: _PriceFacts, rises: set[Decimal]) -> bool:
    """The price follows from the fee table: a multiple for a number of lines the material states ($30 a
    line, $120/mo for 4 lines), a monthly fee after a stated rise (£7.50 + £0.50 = £8.00 p/m), or it is
    itself the difference or the rise."""
    before = text[max(0, money.start - 14):money.start]
    if _CHANGE_BEFORE.search(before) or _DIFFERENCE_AFTER.match(text, money.end):
        return True
    if any(money.amount == fee * n for fee in facts.monthly for n in _line_counts(text)):
        return True
    return any(money.amount == fee + rise for fee in facts.monthly for rise in rises)


# A one-off amount said to be the price ("only NT$350", "仅需99元", "priced at €49"), not one counted in passing.
_PRICE_CUE_BEFORE = lazy(r"(?:\bonly|\bjust|\bnow|priced at|price:|price of|售价|价格|仅需|仅|只要|只需|特价|"
                                             r"优惠价|现价|到手价|一口价)\s?[:：]?\s?$")


# A key-facts row's label: "Monthly price ...... £32.00 inc VAT", "Price: £32", "月费：32元"
_PRICE_LABEL_BEFORE = lazy(r"(?<![a-z])(?:price|charge|cost)\s?(?:[.…·]{2,}|[:：|=])\s?$|(?:月费|月租|资费|价格)\s?[:：]\s?$")


def _stated_as_the_price(money, text: str, names: tuple[str, ...] = ()) -> bool:
    """Said to be the price: after a price word or a key-facts row's price label, or right after the name of a fee
    of the campaign (`獅山本地儲值卡 HK$88` when the fee table's 本地儲值卡 costs HK$98)."""
    before = text[max(0, money.start - 40):money.start].rstrip(" :：-–—=")
    return bool(_PRICE_CUE_BEFORE.search(text[max(0, money.start - 12):money.start])
                or _PRICE_LABEL_BEFORE.search(text, max(0, money.start - 24), money.start)) or any(
        before.endswith(name) for name in names)


_NAME_NOTE = lazy(r"[（(][^）)]*[）)]")


def name_without_note(name: str) -> str:
    """A fee's name in the normal form, without its bracketed note ("Phone Cover (optional)" -> "phone cover")."""
    return norm(_NAME_NOTE.sub("", name)).strip()


def fee_names(campaign: Campaign) -> tuple[str, ...]:
    """The fee table's names in the normal form, without their bracketed notes (本地储值卡, sim card)."""
    names = {name_without_note(fee.name) for fee in campaign.fees}
    return tuple(sorted(n for n in names if len(n) >= 3))


def _rises(mentions, text: str) -> set[Decimal]:
    """Amounts a material states as a price rise (`goes up by £0.50 a month`, `+£0.50`)."""
    return {m.amount for m in mentions if _CHANGE_BEFORE.search(text[max(0, m.start - 14):m.start])}


def _price_is_unexplained(money, text: str, facts: _PriceFacts, rival_sentences: list[tuple[int, int]],
                          benefits: list, rises: set[Decimal]) -> bool:
    """A price (per month, per use, per GB, ...) that matches no amount of the campaign, where it is not a
    rival's price, another currency's or a benefit; after `minimum spend`, any amount but the minimum spend."""
    if _MINIMUM_SPEND_BEFORE.search(text[max(0, money.start - 10):money.start]):
        return facts.spend is not None and money.amount != facts.spend  # 最低消费100元 while the minimum spend is 128
    if money.amount in facts.known or (money.period not in PRICE_PERIODS and not _stated_as_the_price(money, text, facts.names)):
        return False
    if any(s <= money.start < e for s, e in rival_sentences):
        return False
    if money.currencies and not (money.currencies & facts.currencies):
        return False
    if any(0 <= money.start - b.end <= 6 for b in benefits):
        return False  # 送10元/月, save £4/month: a benefit
    return not _derived(money, text, facts, rises)


def _price_facts(campaign: Campaign, known: set[Decimal]) -> _PriceFacts:
    currencies = {campaign.currency} | {f.currency for f in campaign.fees}
    monthly = tuple(a for f in campaign.fees if f.recurrence == "monthly" for a in (f.amount, f.promo_amount) if a)
    return _PriceFacts(known | _totals(campaign) | _per_period_equivalents(campaign), currencies,
                       _minimum_spend(campaign), monthly, fee_names(campaign))


@check("CNS-001")
def price_mismatch(campaign: Campaign, params: dict):
    known = known_amounts(campaign)
    facts = _price_facts(campaign, known)
    benefit = params["benefit_words"]
    # every material: a confirmation SMS that states another price misleads as much as an advert (C12)
    for material in campaign.materials:
        text = material.norm
        benefits = benefit.find(text)
        # A price in a sentence about a rival is the rival's price (judged by the competitor rules); a name that
        # is also an ordinary word (电信帐单, "telecom bill") does not make the sentence about a rival.
        rivals = [m for m in rival_mentions(campaign, material, params) if not m.entry.weak]
        rival_sentences = [sentence_bounds(text.text, m.start, m.end)
                           for m in rivals + generic_rivals(material, params)]
        mentions = written_money(text)
        rises = _rises(mentions, text.text)
        odd = [money for money in mentions
               if _price_is_unexplained(money, text.text, facts, rival_sentences, benefits, rises)]
        if odd:
            stated = ", ".join(text.original[slice(*text.span(m.start, m.end))] for m in odd[:3])
            table = ", ".join(fmt_amount(a) for a in sorted(known) if a > 0) or "none"
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` states a price ({stated}) that matches no amount in the fee "
                                "table ({table})", kind=T(material.kind), material=material.id, stated=stated,
                                table=table), text, [(m.start, m.end) for m in odd[:3]], material.id)


def _period(campaign: Campaign) -> tuple[dt.date, dt.date] | None:
    period = campaign.doc.get("period")
    start, end = (period.get("start"), period.get("end")) if isinstance(period, dict) else (None, None)
    if not isinstance(start, str) or not isinstance(end, str):
        return None
    try:
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return None


def _outside_window(mention, start: dt.date, end: dt.date) -> bool:
    """A date no day of which falls in the window: a date without a year is tried in the window's years."""
    years = [mention.year] if mention.year else sorted({start.year, end.year})
    for year in years:
        try:
            day = dt.date(year, mention.month, mention.day)
        except ValueError:
            continue
        if start <= day <= end:
            return False
    return True


@check("CNS-002")
def date_mismatch(campaign: Campaign, params: dict):
    window = _period(campaign)
    if window is None:
        return
    start, end = window
    for material in campaign.pre_signup_materials:
        text = material.norm
        cues = params["window_words"].find(text)
        if not cues:
            continue
        spans = {sentence_bounds(text.text, c.start, c.end) for c in cues}
        wrong = [mention for mention in find_dates(text, campaign.date_order)
                 if any(s <= mention.start < e for s, e in spans) and _outside_window(mention, start, end)]
        if wrong:
            shown = ", ".join(text.original[slice(*text.span(m.start, m.end))] for m in wrong)
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` gives the offer date(s) {dates}, outside the sign-up window "
                                "{start} to {end}", kind=T(material.kind), material=material.id, dates=shown,
                                start=start.isoformat(), end=end.isoformat()),
                              text, [(m.start, m.end) for m in wrong], material.id)


def _known_durations(campaign: Campaign) -> list[float]:
    """Known lengths in days."""
    out = []
    if campaign.term_days:
        out.append(float(campaign.term_days))
    months = campaign.commitment.get("months")
    if isinstance(months, int):
        out.append(months * 30.0)
    for _, limit in campaign.validity_limits:
        if isinstance(limit.get("days"), int):
            out.append(float(limit["days"]))
        if isinstance(limit.get("months"), int):
            out.append(limit["months"] * 30.0)
    out += [float(n.days_before) for n in campaign.notifications if n.days_before]
    return out


def _is_unknown_length(duration, text: str, cues: list, known: list[float]) -> bool:
    """A length given as the term (a cue in its sentence) that is none of the campaign's lengths (4% or two
    days either way)."""
    # One-character cues (前, 首, 头) count only right before the duration: 前12个月.
    if not any(len(c.entry.term) > 1 or c.end == duration.start for c in cues):
        return False
    if text[max(0, duration.start - 1):duration.start] == "第":
        return False  # 第13个月 is an ordinal, not a length
    return _is_unknown(duration, known)


def _unknown_term_lengths(text, cues: list, known: list[float]) -> list:
    durations = find_durations(text)
    if not durations:
        return []
    spans = sentences(text)
    starts = [span[0] for span in spans]
    wrong = []
    for duration in durations:
        index = bisect_right(starts, duration.start) - 1
        if index < 0 or duration.start >= spans[index][1]:
            continue
        left, right = spans[index]
        in_sentence = [c for c in cues if left <= c.start < right]
        if ((in_sentence and _is_unknown_length(duration, text.text, in_sentence, known))
                or ((_promotional_length(text, duration) or _length_of_the_plan(text.text, duration))
                    and _is_unknown(duration, known))):
            wrong.append(duration)
    return wrong


# "$5/mth for 6 months, then $10/mth", "9,99 € pendant 6 mois, puis 14,99 €": a price for a length of time and
# the price after it is a promotional term, whatever words stand around it
_FOR_BEFORE = lazy(r"(?<![a-z])(?:for(?: the first| your first)?|pendant(?: les)?|für(?: die ersten)?|durante(?: los)?"
                   r"|per(?: i primi)?|gedurende(?: de eerste)?)\s$")
_THEN_AFTER = lazy(r"[\s,;]{0,3}(?:then|thereafter|after that|puis|ensuite|danach|dann|luego|después|poi|daarna|depois)"
                   r"(?![a-z])")


# "on a 36-month plan", "24个月套餐": the length of the plan itself
_PLAN_AFTER = lazy(r"[- ]?(?:plan|deal|agreement|package)(?![a-z])|(?:的)?(?:套餐|计划|合约计划)")


def _length_of_the_plan(text: str, duration) -> bool:
    """"on a 36-month plan" (not "a 30-day plan", which names the billing cycle of a rolling plan)."""
    return duration.in_days() > 31 and bool(_PLAN_AFTER.match(text, duration.end))


def _promotional_length(normalized, duration) -> bool:
    """"$5/mth for 6 months, then ...", or a price right before it: "just $15/mo for 6 months + a doorbell"."""
    text = normalized.text
    before = _FOR_BEFORE.search(text, max(0, duration.start - 24), duration.start)
    if not before:
        return False
    if _THEN_AFTER.match(text, duration.end):
        return True
    return any(0 <= before.start() - m.end <= 2 for m in find_money(normalized))


def _is_unknown(duration, known: list[float]) -> bool:
    length = duration.in_days()
    return not any(abs(length - k) <= max(2.0, 0.04 * k) for k in known)


def _declared_term(term: dict) -> T:
    return T("{n} months", n=term["months"]) if "months" in term else T("{n} days", n=term.get("days"))


@check("CNS-003")
def term_mismatch(campaign: Campaign, params: dict):
    if not campaign.has_term:
        return
    known = _known_durations(campaign)
    for material in campaign.sign_up_materials:
        text = material.norm
        cues = params["term_words"].find(text)
        wrong = _unknown_term_lengths(text, cues, known)
        if wrong:
            shown = ", ".join(text.original[slice(*text.span(d.start, d.end))] for d in wrong[:3])
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` gives the promotional term as {shown}, but the campaign's "
                                "term is {declared}", kind=T(material.kind), material=material.id, shown=shown,
                                declared=_declared_term(campaign.term)), text, [(d.start, d.end) for d in wrong[:3]],
                              material.id)


@check("CNS-004")
def material_contradicts_behavior(campaign: Campaign, params: dict):
    if campaign.behavior is None:
        return
    for material in campaign.materials:
        if material.is_notification:
            continue  # notifications are judged by EXP-006
        found = contradiction(campaign, material.norm, params["phrases"])
        if found:
            claim, matches = found
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` says {claim}, but the campaign's end-of-term behavior is "
                                "`{behavior}`", kind=T(material.kind), material=material.id, claim=claim,
                                behavior=campaign.behavior), material.norm,
                              [(m.start, m.end) for m in matches[:3]], material.id)


def _lower_prices(campaign: Campaign, script, price: Decimal, increments: set[Decimal]) -> list[Decimal]:
    """Amounts below the new price in the offer summary and the script: the price the customer pays now (or a
    bound on it: 当前套餐月费低于50元), which shows that the change raises the price."""
    summary = campaign.offer.get("summary")
    texts = [script.norm] + ([normalize(summary)] if isinstance(summary, str) else [])
    return sorted({m.amount for text in texts for m in find_money(text)
                   if 0 < m.amount < price and m.amount not in increments})


@check("CNS-005")
def script_plays_down_price_change(campaign: Campaign, params: dict):
    change = plan_change_prices(campaign)
    if change is None:
        return
    prices, new_price = change
    for script in (m for m in campaign.materials if m.kind == "script"):
        text = script.norm
        if any(states_amount(text, amount, fee.currency) for fee, amount in prices):
            continue  # the new price was put to the customer
        increments = stated_increments(text)
        current = _lower_prices(campaign, script, new_price, {amount for amount, _ in increments})
        if not current:
            continue  # nothing shows that the price goes up
        # an increment is played down when no price the campaign shows plus it makes the new price
        understated = [span for amount, span in increments if all(c + amount != new_price for c in current)]
        spans = no_increase_claims(text.text) + vague_increase_claims(text.text) + understated
        if spans:
            yield hit_in_text(script.pointer,
                              T("the call script `{material}` plays the price change down and never states the new "
                                "monthly price ({price}); the campaign shows a lower price before the change "
                                "({current})", material=script.id, price=fmt_amount(new_price, prices[0][0].currency),
                                current=fmt_amount(current[-1], prices[0][0].currency)),
                              text, sorted(spans)[:3], script.id)


@check("CNS-006")
def commitment_mismatch(campaign: Campaign, params: dict):
    months = campaign.commitment_months
    if not months:
        return
    for material in campaign.customer_materials:
        text = material.norm
        wrong = [d for d in _commitment_lengths(text, params["commitment_words"]) if abs(d.in_months() - months) >= 0.5]
        if wrong:
            # a rival's contract ("BT 24-month contract price") is the rival's (a weak name too: here it only quiets)
            rival_sentences = [sentence_bounds(text.text, m.start, m.end)
                               for m in rival_mentions(campaign, material, params)]
            wrong = [d for d in wrong if not any(s <= d.start < e for s, e in rival_sentences)]
        if wrong:
            shown = ", ".join(text.original[slice(*text.span(d.start, d.end))] for d in wrong[:3])
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` gives the minimum contract period as {shown}, but the "
                                "campaign's is {months} months", kind=T(material.kind), material=material.id,
                                shown=shown, months=f"{months:g}"), text, [(d.start, d.end) for d in wrong[:3]],
                              material.id)


# what may stand between a commitment word and its length: "contract: 24 months", "contrat de 24 mois",
# "looptijd van 24 maanden", 合约期为24个月, "minimum term of 24 months"
_CUE_THEN_LENGTH = lazy(r"\s?(?:[:：]|of|for|de|van|von|di|da|is|为|是)?\s?")
# "24-month contract", "24 months' minimum term", 24个月合约
_LENGTH_THEN_CUE = lazy(r"\s?(?:'|’|s'|s’)?\s?(?:minimum\s)?")
_WITHIN_AFTER = lazy(r"\s?(?:内|以内|之内)")
_NOTICE_AFTER = lazy(r"(?:'|’)?\s?(?:(?:prior|written|advance)\s)*(?:notice|通知|kündigung|opzeg|préavis|preaviso|preavviso)")


def _commitment_lengths(text, commitment_words) -> list:
    """Lengths of months or years written right beside a word naming the minimum contract period (not a rolling
    month, not a notice in days). The lexicon is read only for a text with such a length (issue 20)."""
    lengths = [d for d in find_durations(text) if d.unit in ("months", "years") and d.in_months() >= 1.5]
    if not lengths:
        return []
    cues = commitment_words.find(text)
    return [d for d in lengths if _beside_a_cue(text.text, d, cues)
            # "3 months' prior written notice" is a notice; 合約3個月內到期, a window before the end
            and not _NOTICE_AFTER.match(text.text, d.end) and not _WITHIN_AFTER.match(text.text, d.end)]


def _beside_a_cue(text: str, duration, cues: list) -> bool:
    """A commitment word right before the length ("minimum term: 24 months") or right after it ("24-month
    contract")."""
    return any(c.end <= duration.start <= c.end + 6 and _CUE_THEN_LENGTH.fullmatch(text, c.end, duration.start)
               or duration.end <= c.start <= duration.end + 12 and _LENGTH_THEN_CUE.fullmatch(text, duration.end, c.start)
               for c in cues)
