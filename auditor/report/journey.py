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


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


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
    channel: str = ""  # a reminder's channel
    days: int | None = None  # a reminder's days before the end
    row: int = 0
    anchor: str = "start"  # the label starts at its marker line ("start") or ends at it ("end")
    text_width: float = 0.0


@dataclass
class Journey:
    events: list[Event]
    start: dt.date
    end: dt.date
    behavior: str
    after_price: list  # (amount with currency, period word or "") of each price after the term
    width: int = 900
    signup: tuple[float, float] = (0.0, 0.0)
    term: tuple[float, float] | None = None
    ticks: list[tuple[float, str]] = field(default_factory=list)
    rows: int = 1
    axis_end: float = 860.0

    @property
    def view_width(self) -> float:
        """Wide enough for every label (one near the right edge may run past the axis)."""
        rights = [e.x + 6 + e.text_width for e in self.events if e.anchor == "start"]
        return max([float(self.width), *[r + 4 for r in rights]])

    @property
    def axis(self) -> float:
        """y of the time axis: below every row of labels."""
        return TOP + self.rows * ROW_HEIGHT + 8

    @property
    def height(self) -> float:
        return self.axis + 78

    def label_y(self, event: Event) -> float:
        return self.axis - 14 - event.row * ROW_HEIGHT

    def line_top(self, event: Event) -> float:
        return self.label_y(event) + 4


# Label geometry in SVG units: the timeline is 900 units wide and prints about 180 mm wide, so a 15-unit
# label prints at about 8.5 pt; rows of labels are 22 units apart.
LABEL_SIZE = 15
ROW_HEIGHT = 22
TOP = 8


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """A generous estimate of the rendered width: CJK characters are square, Latin ones at most 0.62 em."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return (wide * 1.0 + (len(text) - wide) * 0.62) * size + 6


def label_text(event: Event, word=lambda w: w, plural=None) -> str:
    """The label as the report writes it: `word` translates the label, the end-of-term behaviour and a reminder's
    channel, `plural("day", n)` says how many days before the end a reminder goes out."""
    detail = word(event.detail) if event.kind == "term_end" else event.detail
    if event.kind == "reminder" and event.days is not None:
        days = plural("day", event.days) if plural else f"{event.days} days"
        detail = f"{word(event.channel)} · {days}" if event.channel else days
    return f"{word(event.label)} {event.day.isoformat()}" + (f" ({detail})" if detail else "")


def _label_spans(event: Event, width: float, waiting: list[float]) -> list[tuple[str, float, float]]:
    """Where the label may go: (anchor, left, right), starting at its line first, else ending at it."""
    start = ("start", event.x, event.x + 6 + event.text_width)
    end = ("end", event.x - 6 - event.text_width, event.x)
    spans = []
    if start[2] <= width:
        spans.append(start)
    if end[1] >= 0 and not any(end[1] <= x < end[2] for x in waiting):
        spans.append(end)
    return spans or [start]  # runs past the right edge; the picture widens to hold it


def _fitting(spans, row: int, x: float, placed: list[tuple[int, float, float, float]]):
    """The first span that fits in `row`: beside the labels there, across no line rising higher, covering no
    line of a label above; None when none does."""
    for anchor, left, right in spans:
        clash = any(r == row and not (right <= pl or left >= pr) for r, pl, pr, _ in placed)
        crossed = any(r < row and pl < x < pr for r, pl, pr, _ in placed)
        covers = any(r > row and left <= px <= right for r, _, _, px in placed)
        if not (clash or crossed or covers):
            return anchor, left, right
    return None


def place_labels(events: list[Event], width: float, measure=None) -> int:
    """Rows and anchors for the labels so that no two overlap and no marker line crosses a label; the rows used.

    Row 0 is nearest the axis; an event's marker line rises from the axis to its label, through every lower row
    at its x. Events are placed right to left, each in the lowest row where its label fits beside the labels
    already there and lies across no line rising higher. A label ends at its line (reads leftwards) only when
    it covers no line still to be placed; otherwise it starts at its line, so no label placed later can lie
    across a line placed earlier.
    """
    measure = measure or (lambda event: text_width(label_text(event)))
    ordered = sorted(events, key=lambda e: (e.x, e.kind))
    placed: list[tuple[int, float, float, float]] = []  # (row, left, right, x of the line)
    for index in range(len(ordered) - 1, -1, -1):
        event = ordered[index]
        event.text_width = measure(event)
        spans = _label_spans(event, width, [e.x for e in ordered[:index]])
        row = 0
        fits = _fitting(spans, row, event.x, placed)
        while fits is None and row <= len(ordered):  # a row above every label is free: never loop forever
            row += 1
            fits = _fitting(spans, row, event.x, placed) if row <= len(ordered) else None
        anchor, left, right = fits or spans[0]
        event.row, event.anchor = row, anchor
        placed.append((row, left, right, event.x))
    return max((r for r, *_ in placed), default=0) + 1


def _term_end(campaign: Campaign, signup_start: dt.date) -> dt.date | None:
    if isinstance(campaign.term.get("months"), int):
        return add_months(signup_start, campaign.term["months"])
    if isinstance(campaign.term.get("days"), int):
        return signup_start + dt.timedelta(days=campaign.term["days"])
    return None


def _after_prices(campaign: Campaign) -> list[tuple[str, str]]:
    """(amount with currency, period word or "") of each price charged after the term."""
    return [(fmt_amount(f.amount, f.currency), f.period_word or "")
            for f in campaign.fees if f.applies in ("after_term", "always") and f.amount and
            (f.applies == "after_term" or (f.promo_amount is not None and f.promo_amount != f.amount))]


def _events(campaign: Campaign, signup_start: dt.date, signup_end: dt.date | None,
            term_end: dt.date | None) -> list[Event]:
    events = [Event(signup_start, "signup_start", "sign-up opens")]
    if signup_end:
        events.append(Event(signup_end, "signup_end", "sign-up closes"))
    months = campaign.commitment.get("months")
    commitment_end = add_months(signup_start, months) if isinstance(months, int) else None
    if term_end:
        events.append(Event(term_end, "term_end", "term ends", campaign.behavior or ""))
    for n in campaign.notifications:
        # a notice counts back from the promotional end, or from the minimum contract period's end when it says so
        anchor = commitment_end if (n.before == "commitment_end" or not term_end) else term_end
        if n.days_before is not None and anchor:
            events.append(Event(anchor - dt.timedelta(days=n.days_before), "reminder", "reminder",
                                channel=n.channel or "", days=n.days_before))
    if commitment_end:
        events.append(Event(commitment_end, "commitment_end", "minimum contract ends"))
    return events


def _lay_out(events: list[Event], first: dt.date, span: int, width: int, margin: int, measure) -> tuple[int, float]:
    """Place the events on the axis and their labels in rows: (rows, usable axis length).

    A label that fits on neither side of its line near the right edge would widen the picture (and shrink
    every label in print): shorten the axis instead so that it fits, and lay the labels out again."""
    usable = float(width - 2 * margin)
    rows = 1
    for _attempt in range(4):
        for event in events:
            event.x = _x(event.day, first, span, margin, usable)
        rows = place_labels(events, width, measure)
        overflow = [(e.x, e.text_width) for e in events if e.anchor == "start" and e.x + 6 + e.text_width > width]
        if not overflow:
            break
        usable *= min((width - 10 - w - margin) / max(ex - margin, 1) for ex, w in overflow)
        if usable < width / 3:
            break
    return rows, usable


def _x(day: dt.date, first: dt.date, span: int, margin: int, usable: float) -> float:
    return round(margin + (day - first).days / span * usable, 1)


def journey(campaign: Campaign, measure=None) -> Journey | None:
    """The timeline; `measure(event)` gives a label's width (default: an estimate)."""
    period = _mapping(campaign.doc.get("period"))
    signup_start, signup_end = _date(period.get("start")), _date(period.get("end"))
    if signup_start is None:
        return None
    term_end = _term_end(campaign, signup_start)
    events = _events(campaign, signup_start, signup_end, term_end)
    first = min(e.day for e in events)
    last = max(e.day for e in events)
    last = max(last, (term_end or last) + dt.timedelta(days=45))
    span = max((last - first).days, 1)
    width, margin = 900, 40
    rows, usable = _lay_out(events, first, span, width, margin, measure)

    def x(day: dt.date) -> float:
        return _x(day, first, span, margin, usable)

    result = Journey(events=sorted(events, key=lambda e: (e.day, e.kind)), start=first, end=last,
                     behavior=campaign.behavior or "", after_price=_after_prices(campaign), width=width,
                     rows=rows, axis_end=round(margin + usable, 1))
    result.signup = (x(signup_start), x(signup_end or signup_start))
    if term_end:
        result.term = (x(signup_start), x(term_end))
    tick = dt.date(first.year, first.month, 1)
    while tick <= last:
        if tick >= first:
            result.ticks.append((x(tick), tick.strftime("%Y-%m")))
        tick = add_months(tick, 3 if span > 400 else 1)
    return result


# What a customer is assumed to use a month of a usage-priced fee, by unit, when the campaign does not say
# (`x-usage-per-month: {KB: 30720}` in the campaign sets its own, e.g. the size of its bundle). 30 MB a
# month was the bundle of case C1.
DEFAULT_USAGE = {"KB": Decimal(30720), "MB": Decimal(30), "GB": Decimal(1), "message": Decimal(30),
                 "SMS": Decimal(30), "minute": Decimal(100), "use": Decimal(1)}
PREPAY_WORDS = ("预存", "預存", "prepa", "deposit", "top-up", "top up", "充值", "儲值", "储值")


@dataclass
class UsageLine:
    label: str
    price: Decimal
    unit: str
    quantity: Decimal | None  # None: no assumption for this unit, listed but not totalled
    cost: Decimal | None


@dataclass
class BillMonth:
    month: int
    items: list[tuple[str, Decimal]]  # charges
    top_up: Decimal
    total: Decimal  # charges + top-up + assumed usage (never prepayments)
    usage: list[UsageLine]
    in_term: bool
    prepayments: list[tuple[str, Decimal]] = field(default_factory=list)  # credit paid in advance, not a charge
    jump: bool = False

    def same_as(self, other: BillMonth) -> bool:
        def usage(m):
            return [(u.label, u.price, u.unit, u.quantity) for u in m.usage]

        return (self.items, self.top_up, self.total, usage(self), self.in_term, self.prepayments) == (
            other.items, other.top_up, other.total, usage(other), other.in_term, other.prepayments)


@dataclass
class BillRow:
    """Consecutive identical months, shown once."""

    first: int
    last: int
    month: BillMonth
    jump: bool

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def usage_assumptions(campaign: Campaign, configured: dict | None = None) -> dict[str, Decimal]:
    """Assumed monthly usage by unit: the defaults, then `usage-per-month` of auditor.toml (units for every
    campaign, and tables per offer type), then the campaign's own `x-usage-per-month` (e.g. its bundle size)."""
    table = dict(DEFAULT_USAGE)
    configured = configured or {}
    layers = [{k: v for k, v in configured.items() if not isinstance(v, dict)},
              _mapping(configured.get(campaign.offer_type or "")),
              _mapping(campaign.doc.get("x-usage-per-month"))]
    for layer in layers:
        for unit, quantity in layer.items():
            if isinstance(quantity, (int, float)) and not isinstance(quantity, bool) and quantity >= 0:
                table[str(unit)] = Decimal(str(quantity))
    return table


def is_prepayment(campaign: Campaign, fee) -> bool:
    """A one-time payment that becomes credit on the account (prepaid balance), not a charge."""
    if fee.recurrence != "one_time":
        return False
    name = f"{fee.id} {fee.name}".lower()
    return any(w in name for w in PREPAY_WORDS)


def _price_in_month(campaign: Campaign, fee, in_term: bool, term_months: int | None) -> Decimal | None:
    """What the fee costs in a month of the term or after it (None: not charged then)."""
    if fee.amount is None:
        return None
    if in_term:
        if fee.applies == "after_term" and term_months is not None:
            return None
        if term_months is None:
            return fee.promo_amount if fee.promo_amount is not None else fee.amount
        return campaign.price_during_term(fee)
    if fee.applies == "during_term" or (fee.applies == "always" and campaign.behavior == "auto_cancel"):
        return None
    return fee.amount


def _bill_label(fee) -> str:
    return fee.name + (f" ({fee.provider})" if fee.charged_by == "third_party" and fee.provider else "")


def _usage_line(fee, label: str, price: Decimal, assumed: dict[str, Decimal]) -> UsageLine:
    unit = (fee.unit or "unit") if fee.recurrence == "per_unit" else "use"
    quantity = assumed.get(unit)
    return UsageLine(label, price, unit, quantity,
                     (price * quantity).quantize(Decimal("0.01")) if quantity is not None else None)


def _bill_month(campaign: Campaign, month: int, in_term: bool, term_months: int | None, minimum: Decimal | None,
                assumed: dict[str, Decimal]) -> BillMonth:
    items: list[tuple[str, Decimal]] = []
    prepayments: list[tuple[str, Decimal]] = []
    usage: list[UsageLine] = []
    one_time = Decimal(0)
    for fee in campaign.fees:
        price = _price_in_month(campaign, fee, in_term, term_months)
        if price is None:
            continue
        label = _bill_label(fee)
        if fee.recurrence == "one_time":
            if month == 1 and is_prepayment(campaign, fee):
                prepayments.append((label, price))
            elif month == 1:
                items.append((label, price))
                one_time += price
        elif fee.recurrence == "monthly":
            items.append((label, price))
        else:
            usage.append(_usage_line(fee, label, price, assumed))
    charges = sum((p for _, p in items), Decimal(0))
    usage_cost = sum((u.cost for u in usage if u.cost is not None), Decimal(0))
    spent = charges - one_time + usage_cost
    top_up = max(minimum - spent, Decimal(0)) if minimum is not None else Decimal(0)
    return BillMonth(month, items, top_up, charges + top_up + usage_cost, usage, in_term, prepayments)


def first_year_bill(campaign: Campaign, configured_usage: dict | None = None) -> list[BillMonth]:
    """Month by month what a customer who joins on day one is charged in the first year (and just after a
    long term).

    Charges are kept apart from prepayments (credit paid in advance, spent by later charges). Usage-priced
    fees are priced with a stated assumption of monthly usage (`usage_assumptions`), so a lapse to pay-per-use
    shows its monthly cost; the minimum-spend top-up counts that usage as spending.
    """
    term_months = math.ceil(campaign.term_months) if campaign.term_months else None
    stated = campaign.minimum_spend.get("amount")
    minimum = Decimal(str(stated)) if isinstance(stated, (int, float)) and not isinstance(stated, bool) else None
    assumed = usage_assumptions(campaign, configured_usage)
    horizon = min(max(12, (term_months or 0) + 3), 36)
    months = [_bill_month(campaign, month, term_months is None or month <= term_months, term_months, minimum,
                          assumed) for month in range(1, horizon + 1)]
    for previous, current in zip(months, months[1:]):
        grew = current.total > previous.total * Decimal("1.2") if previous.total else current.total > 0
        new_usage = bool({u.label for u in current.usage} - {u.label for u in previous.usage})
        current.jump = grew or new_usage
    return months


def bill_rows(_campaign, months: list[BillMonth]) -> list[BillRow]:
    """The months with runs of identical months collapsed into one row ("2–12")."""
    rows: list[BillRow] = []
    for month in months:
        if rows and not month.jump and rows[-1].month.same_as(month):
            rows[-1].last = month.month
        else:
            rows.append(BillRow(month.month, month.month, month, month.jump))
    return rows


def usage_note(months: list[BillMonth]) -> list[tuple[str, str, str]]:
    """(unit, quantity, price) of each usage assumption the bill relies on."""
    seen = {}
    for month in months:
        for line in month.usage:
            if line.quantity is not None:
                seen[(line.unit, line.quantity)] = (line.unit, fmt_amount(line.quantity), fmt_amount(line.price))
    return list(seen.values())
