"""The customer journey and first-year bill behind a campaign (pure data for the HTML report).

A typical customer signs up on the first day of the sign-up window; the term,
reminders and prices follow from the definition. These pictures are what
would have shown cases C1 (silent lapse to pay-per-use) and C3 (renewal
announced as an ending) before launch.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.campaign import Campaign
from auditor.text.money import fmt_amount



def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]
    return dt.date(year, month, min(day.day, last))


@dataclass
class Event:
    day: dt.date
    kind: str  # signup_start, signup_end, term_start, reminder, term_end, commitment_end
    label: str
    detail: str = ""
    x: float = 0.0
    row: int = 0


@dataclass
class Journey:
    events: list[Event]
    start: dt.date
    end: dt.date
    behavior: str
    after_price: str
    width: int = 900
    signup: tuple[float, float] = (0.0, 0.0)
    term: tuple[float, float] | None = None
    ticks: list[tuple[float, str]] = field(default_factory=list)


def journey(campaign: Campaign) -> Journey | None:
    period = campaign.doc.get("period") if isinstance(campaign.doc.get("period"), dict) else {}
    signup_start, signup_end = _date(period.get("start")), _date(period.get("end"))
    if signup_start is None:
        return None
    events = [Event(signup_start, "signup_start", "sign-up opens")]
    if signup_end:
        events.append(Event(signup_end, "signup_end", "sign-up closes"))
    term_end = None
    if isinstance(campaign.term.get("months"), int):
        term_end = add_months(signup_start, campaign.term["months"])
    elif isinstance(campaign.term.get("days"), int):
        term_end = signup_start + dt.timedelta(days=campaign.term["days"])
    after = [f"{fmt_amount(f.amount, f.currency)}" + (f"/{f.period_word}" if f.period_word else "")
             for f in campaign.fees if f.applies in ("after_term", "always") and f.amount and
             (f.applies == "after_term" or (f.promo_amount is not None and f.promo_amount != f.amount))]
    months = campaign.commitment.get("months")
    commitment_end = add_months(signup_start, months) if isinstance(months, int) else None
    if term_end:
        events.append(Event(term_end, "term_end", "term ends", campaign.behavior or ""))
    for n in campaign.notifications:
        # a notice counts back from the promotional end, or from the minimum contract period's end when it says so
        anchor = commitment_end if (n.before == "commitment_end" or not term_end) else term_end
        if n.days_before is not None and anchor:
            events.append(Event(anchor - dt.timedelta(days=n.days_before), "reminder", "reminder",
                                f"{n.channel or ''} · {n.days_before}d"))
    if commitment_end:
        events.append(Event(commitment_end, "commitment_end", "minimum contract ends"))
    first = min(e.day for e in events)
    last = max(e.day for e in events)
    last = max(last, (term_end or last) + dt.timedelta(days=45))
    span = max((last - first).days, 1)
    width, margin = 900, 40

    def x(day: dt.date) -> float:
        return round(margin + (day - first).days / span * (width - 2 * margin), 1)

    rows: list[float] = []
    for event in sorted(events, key=lambda e: (e.day, e.kind)):
        event.x = x(event.day)
        # stagger labels that would overlap
        row = 0
        while row < len(rows) and event.x - rows[row] < 110:
            row += 1
        if row == len(rows):
            rows.append(event.x)
        else:
            rows[row] = event.x
        event.row = min(row, 3)
    result = Journey(events=sorted(events, key=lambda e: (e.day, e.kind)), start=first, end=last,
                     behavior=campaign.behavior or "", after_price=", ".join(after), width=width)
    result.signup = (x(signup_start), x(signup_end or signup_start))
    if term_end:
        result.term = (x(signup_start), x(term_end))
    tick = dt.date(first.year, first.month, 1)
    while tick <= last:
        if tick >= first:
            result.ticks.append((x(tick), tick.strftime("%Y-%m")))
        tick = add_months(tick, 3 if span > 400 else 1)
    return result


@dataclass
class BillMonth:
    month: int
    items: list[tuple[str, Decimal]]
    top_up: Decimal
    total: Decimal
    usage: list[str]
    in_term: bool
    jump: bool = False


def first_year_bill(campaign: Campaign) -> list[BillMonth]:
    """Month by month what a customer who joins on day one pays in the first year.

    Usage-priced fees (per use, per unit) cannot be totalled without a usage
    assumption, so they are listed as "plus usage at ..." instead.
    """
    term_months = math.ceil(campaign.term_months) if campaign.term_months else None
    minimum = campaign.minimum_spend.get("amount")
    minimum = Decimal(str(minimum)) if isinstance(minimum, (int, float)) and not isinstance(minimum, bool) else None
    months: list[BillMonth] = []
    # The first year, extended past the end of a long term so the change after it shows.
    horizon = min(max(12, (term_months or 0) + 3), 36)
    for month in range(1, horizon + 1):
        in_term = term_months is None or month <= term_months
        items: list[tuple[str, Decimal]] = []
        usage: list[str] = []
        for fee in campaign.fees:
            if fee.amount is None:
                continue
            if in_term:
                if fee.applies == "after_term" and term_months is not None:
                    continue
                price = campaign.price_during_term(fee) if term_months is not None else (
                    fee.promo_amount if fee.promo_amount is not None else fee.amount)
            else:
                if fee.applies == "during_term":
                    continue
                if fee.applies == "always" and campaign.behavior == "auto_cancel":
                    continue
                price = fee.amount
            if price is None:
                continue
            label = fee.name + (f" ({fee.provider})" if fee.charged_by == "third_party" and fee.provider else "")
            if fee.recurrence == "one_time":
                if month == 1:
                    items.append((label, price))
            elif fee.recurrence == "monthly":
                items.append((label, price))
            else:
                unit = fee.unit if fee.recurrence == "per_unit" else "use"
                usage.append(f"{label}: {fmt_amount(price, fee.currency)}/{unit}")
        subtotal = sum((p for _, p in items), Decimal(0))
        recurring = sum((p for (name, p) in items if not (month == 1 and _one_time(campaign, name))), Decimal(0))
        top_up = max(minimum - recurring, Decimal(0)) if minimum is not None else Decimal(0)
        months.append(BillMonth(month, items, top_up, subtotal + top_up, usage, in_term))
    for previous, current in zip(months, months[1:]):
        grew = current.total > previous.total * Decimal("1.2") if previous.total else current.total > 0
        new_usage = bool(set(current.usage) - set(previous.usage))
        current.jump = grew or new_usage
    return months


def _one_time(campaign: Campaign, label: str) -> bool:
    return any(f.recurrence == "one_time" and label.startswith(f.name) for f in campaign.fees)
