"""Consistency (cases C3, C12): every material tells the same story as the
campaign definition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditor.campaign import Campaign
from auditor.checks._util import fmt_amount, hit_in_text, sentence_bounds, sentences
from auditor.checks.competitors import rival_mentions
from auditor.checks.expiry import contradiction
from auditor.messages import T
from auditor.registry import check
from auditor.text.dates import find_dates, find_durations
from auditor.text.money import find_money

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


_MINIMUM_SPEND_BEFORE = __import__("re").compile(
    r"(?:最低消费|保底消费|月最低消费|最低月消费|低消|minimum (?:monthly )?spend(?: of)?|minimum monthly charge(?: of)?)"
    r"\s?[:：]?\s?(?:为|是|of)?\s?$")


@check("CNS-001")
def price_mismatch(campaign: Campaign, params: dict):
    known = known_amounts(campaign)
    currencies = {campaign.currency} | {f.currency for f in campaign.fees}
    benefit = params["benefit_words"]
    spend = campaign.minimum_spend.get("amount")
    spend = Decimal(str(spend)) if isinstance(spend, (int, float)) and not isinstance(spend, bool) else None
    # every material: a confirmation SMS that states another price misleads as much as an advert (C12)
    for material in campaign.materials:
        text = material.norm
        benefits = benefit.find(text)
        # A price in a sentence about a rival is the rival's price (judged by the competitor rules).
        rival_sentences = [sentence_bounds(text.text, m.start, m.end)
                           for m in rival_mentions(campaign, material, params) + params["generic_rivals"].find(text)]
        odd = []
        for money in find_money(text):
            if _MINIMUM_SPEND_BEFORE.search(text.text[max(0, money.start - 10):money.start]):
                if spend is not None and money.amount != spend:
                    odd.append(money)  # 最低消费100元 while the minimum spend is 128
                continue
            if money.period not in PRICE_PERIODS or money.amount in known:
                continue
            if any(s <= money.start < e for s, e in rival_sentences):
                continue
            if money.currencies and not (money.currencies & currencies):
                continue
            if any(0 <= money.start - b.end <= 6 for b in benefits):
                continue  # 送10元/月, save £4/month: a benefit, not a price
            odd.append(money)
        if odd:
            stated = ", ".join(text.original[slice(*text.span(m.start, m.end))] for m in odd[:3])
            table = ", ".join(fmt_amount(a) for a in sorted(known) if a > 0) or "none"
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` states a price ({stated}) that matches no amount in the fee "
                                "table ({table})", kind=T(material.kind), material=material.id, stated=stated,
                                table=table), text, [(m.start, m.end) for m in odd[:3]], material.id)


def _period(campaign: Campaign) -> tuple[dt.date, dt.date] | None:
    period = campaign.doc.get("period") if isinstance(campaign.doc.get("period"), dict) else {}
    try:
        return dt.date.fromisoformat(period.get("start")), dt.date.fromisoformat(period.get("end"))
    except (TypeError, ValueError):
        return None


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
        wrong = []
        for mention in find_dates(text, campaign.date_order):
            if not any(s <= mention.start < e for s, e in spans):
                continue
            years = [mention.year] if mention.year else sorted({start.year, end.year})
            inside = False
            for year in years:
                try:
                    day = dt.date(year, mention.month, mention.day)
                except ValueError:
                    continue
                inside = inside or start <= day <= end
            if not inside:
                wrong.append(mention)
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


@check("CNS-003")
def term_mismatch(campaign: Campaign, params: dict):
    if not campaign.has_term:
        return
    known = _known_durations(campaign)
    for material in campaign.pre_signup_materials:
        text = material.norm
        cues = params["term_words"].find(text)
        if not cues:
            continue
        wrong = []
        for span in sentences(text):
            in_sentence = [c for c in cues if span[0] <= c.start < span[1]]
            if not in_sentence:
                continue
            for duration in find_durations(text):
                if not span[0] <= duration.start < span[1]:
                    continue
                # One-character cues (前, 首, 头) count only right before the duration: 前12个月.
                if not any(len(c.entry.term) > 1 or c.end == duration.start for c in in_sentence):
                    continue
                if text.text[max(0, duration.start - 1):duration.start] == "第":
                    continue  # 第13个月 is an ordinal, not a length
                length = duration.in_days()
                if any(abs(length - k) <= max(2.0, 0.04 * k) for k in known):
                    continue
                wrong.append(duration)
        if wrong:
            shown = ", ".join(text.original[slice(*text.span(d.start, d.end))] for d in wrong[:3])
            term = campaign.term
            declared = T("{n} months", n=term["months"]) if "months" in term else T("{n} days", n=term.get("days"))
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` gives the promotional term as {shown}, but the campaign's "
                                "term is {declared}", kind=T(material.kind), material=material.id, shown=shown,
                                declared=declared), text, [(d.start, d.end) for d in wrong[:3]],
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
