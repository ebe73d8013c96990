"""Expiry notification (cases C1, C2, C3): customers are told, in time and in
full, that the term is ending and what happens next."""

from __future__ import annotations

import re

from auditor.campaign import Campaign
from auditor.checks._util import find, fmt_amount, hit_in_text, quote, states_amount
from auditor.checks.fees import after_term_amounts
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.dates import find_dates, find_durations

# Template placeholders that stand for the customer's own end date.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|\$\{[^{}]*\}|\[[^\[\]]*\]|【[^【】]*(?:日|date)[^【】]*】|<[^<>]*>|#[a-z_]+#")
_DATE_WORDS = ("日", "期", "date", "day", "expir", "end")
_RELATIVE_DAY = ("明天", "明日", "今天", "今日", "tomorrow", "today", "tonight")


def needs_reminders(campaign: Campaign, params: dict) -> bool:
    if campaign.has_term:
        return True
    return bool(params.get("commitment_needs_notice")) and bool(campaign.commitment)


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
    if not needs_reminders(campaign, params) or campaign.notifications:
        return
    what = (T("the {months}-month term", months=f"{campaign.term_months:g}")
            if campaign.has_term and campaign.term_months else T("the minimum contract period"))
    after = {"auto_cancel": T("the benefit silently lapses"), "auto_renew": T("it renews and bills again"),
             "convert_to_paid": T("it turns into a paid service"),
             "revert_to_standard": T("the standard price applies")}
    consequence = after.get(campaign.behavior or "", T("the terms change"))
    yield Hit("/end_of_term" if campaign.has_term else "/offer/commitment",
              T("no reminder is sent before {what} ends, although {consequence}", what=what,
                consequence=consequence))


@check("EXP-002")
def reminder_outside_window(campaign: Campaign, params: dict):
    if not needs_reminders(campaign, params) or not campaign.notifications:
        return
    min_term = params.get("min_term_days")
    if min_term and (campaign.term_days or 0) < min_term:
        return
    if params.get("only_when_charging") and not campaign.charges_after_term:
        return
    days = [n.days_before for n in campaign.notifications if n.days_before is not None]
    for window in params.get("windows", []):
        low, high = window["min"], window["max"]
        if campaign.term_days and low >= campaign.term_days / 2:
            continue  # a window that opens in the first half of a short term cannot be meant for it
        if any(low <= d <= high for d in days):
            continue
        sent = ", ".join(f"{d}" for d in sorted(days)) or "-"
        yield Hit("/end_of_term/notifications",
                  T("no reminder falls {low}–{high} days before the end ({label}); reminders are sent {sent} days "
                    "before", low=low, high=high, label=T(window.get("label", "required window")), sent=sent),
                  key=f"{low}-{high}")


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
        if not states_price and not find(params["phrases"], n.norm):
            yield Hit(n.text_pointer,
                      T("the reminder does not say what happens when the term ends (renews, converts to paid, ends)"),
                      evidence=quote(n.norm))


@check("EXP-005")
def reminder_missing_after_term_price(campaign: Campaign, params: dict):
    later = after_term_amounts(campaign)
    if not campaign.charges_after_term or not later:
        return
    for n in campaign.notifications:
        if not n.text:
            continue
        if any(states_amount(n.norm, amount, fee.currency) for fee, amount in later):
            continue
        prices = Join([fmt_amount(a, f.currency) for f, a in later])
        yield Hit(n.text_pointer, T("the reminder does not state the price charged after the term ({prices})",
                                    prices=prices),
                  evidence=quote(n.norm))


_NEGATION_AFTER = re.compile(r"[\s,]{0,2}(?:there(?:'s| is| are| will be) )?(?:no|not|never|nothing|nor)(?![a-z])|"
                             r"[\s,，]{0,2}(?:不再|不会|无需|没有|无)")


def contradiction(campaign: Campaign, text_norm, phrases) -> tuple[str, list] | None:
    """(what the text claims, matches) when the text contradicts end_of_term.behavior."""
    matches = find(phrases, text_norm)
    ends = [m for m in matches if m.key == "ends"]
    # "after that there's no device payment": a negated continuation says the charge ends
    continues = [m for m in matches if m.key == "continues"
                 and not _NEGATION_AFTER.match(text_norm.text, m.end)]
    states_later_price = any(states_amount(text_norm, a, f.currency) for f, a in after_term_amounts(campaign))
    if campaign.charges_after_term and ends and not continues and not states_later_price:
        return T("the service ends (or must be renewed by the customer)"), ends
    if campaign.behavior == "auto_cancel" and continues and not ends:
        return T("the service continues or starts charging"), continues
    return None


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
    for material in campaign.materials:
        if not material.is_notification:
            continue
        found = contradiction(campaign, material.norm, params["phrases"])
        if found:
            claim, matches = found
            yield hit_in_text(material.pointer, T("the notification `{material}` says {claim}, but the campaign's "
                                                  "end-of-term behavior is `{behavior}`", material=material.id,
                                                  claim=claim, behavior=behavior),
                              material.norm, [(m.start, m.end) for m in matches[:3]], material.id)


@check("EXP-007")
def end_notice_missing_best_tariff(campaign: Campaign, params: dict):
    if not needs_reminders(campaign, params) or not campaign.notifications:
        return
    if any(find(params["best_tariff"], n.norm) for n in campaign.notifications if n.text):
        return
    yield Hit("/end_of_term/notifications",
              T("no end-of-term notice tells the customer about the provider's best tariffs "
                "(including a SIM-only deal for handset bundles)"))


@check("EXP-008")
def reminder_not_on_durable_medium(campaign: Campaign, params: dict):
    if not campaign.notifications:
        return
    if any(n.channel in ("sms", "email", "letter", "app") for n in campaign.notifications):
        return
    yield Hit("/end_of_term/notifications",
              T("end-of-term reminders are only given by phone call; they must also reach the customer on a durable "
                "medium (SMS, email, letter)"))
