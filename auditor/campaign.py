"""A read-only view of a loaded campaign document for the rules.

The view tolerates documents that failed the schema (a wrong type reads as
missing), so rules can still run and say what they can; the schema findings
already tell the marketer what is malformed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from auditor.text.lazy import lazy
from auditor.text.normalize import Normalized, normalize

DEFAULT_CURRENCY = {"CN": "CNY", "TW": "TWD", "HK": "HKD", "EU": "EUR", "UK": "GBP", "US": "USD",
                    "US-CA": "USD", "AU": "AUD"}
# Behaviours after which the customer keeps paying (so the price after the term matters).
CHARGING_BEHAVIORS = ("convert_to_paid", "auto_renew", "revert_to_standard")
# Material kinds a customer sees before signing up (anything not sent as a notification).


class computed_once:  # noqa: N801 (a decorator, named like functools.cached_property)
    """functools.cached_property without the lock Python 3.11 takes on every first read.

    A campaign is read by one thread, and each of ~25 views is computed once per campaign, so the
    lock was a measurable share of the rules' time. Stores the value in the instance's __dict__ (which
    frozen dataclasses allow, as functools does); later reads never reach this descriptor.
    """

    def __init__(self, function):
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _str(value) -> str | None:
    return value if isinstance(value, str) else None


def _num(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _strings(value) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str)]


@dataclass(frozen=True)
class Fee:
    """One entry of `fees`, its amounts as Decimal (None when not stated)."""

    index: int
    id: str
    name: str
    amount: Decimal | None
    currency: str
    recurrence: str | None
    unit: str | None
    promo_amount: Decimal | None
    applies: str
    charged_by: str
    provider: str | None
    disclosed_in: tuple[str, ...]

    @property
    def pointer(self) -> str:
        return f"/fees/{self.index}"

    @property
    def period_word(self) -> str | None:
        return {"monthly": "month", "per_use": "use", "per_unit": self.unit}.get(self.recurrence or "")

    @property
    def amounts(self) -> tuple[Decimal, ...]:
        """The amounts a customer may be told: the full one, then the promotional one (those that are set)."""
        return tuple(a for a in (self.amount, self.promo_amount) if a is not None)


def fee_sums(fees, limit: int) -> set[Decimal]:
    """Every total of some of `fees` (none, one or several; the first `limit` with an amount), each fee at its
    full or its promotional amount: what a material may give for fees charged together."""
    sums = {Decimal(0)}
    for choices in [fee.amounts for fee in fees if fee.amounts][:limit]:
        sums |= {total + amount for total in sums for amount in choices}
    return sums


# How a message sent after the purchase opens: a welcome, thanks for the order, the order or activation
# confirmed; in the normal form (lower case, simplified script). Compiled when an SMS or e-mail is first read
# (re's own cache): a campaign without one never needs it.
_CONFIRMATION = (
    r"(?<![a-z])(?:welcome to|welcome aboard|thanks? (?:you )?for (?:joining|signing up|your (?:order|purchase)|buying|purchasing|choosing|"
    r"subscribing|activating)|your order (?:is|has been) confirmed|order confirmation|you(?:'ve| have) (?:joined|"
    r"signed up|subscribed)|(?:is|has been) (?:now )?activated|bienvenue chez|willkommen bei|bienvenido a"
    r"|benvenuto in|welkom bij|merci pour votre (?:commande|souscription)|vielen dank für ihre bestellung"
    r"|gracias por (?:tu|su) (?:compra|pedido))"
    r"|(?:感谢|多谢|谢谢)(?:您|你)?(?:办理|订购|选择|选用|加入|购买|申办|申请|登记|签约)|(?:您|你|阁下)?已成功(?:办理|订购|开通|申办|加入|登记|申请|订阅|注册|购买|签约|激活)"
    r"|已为您(?:开通|办理)|欢迎(?:加入|成为)|订购成功|办理成功|开通成功|订单确认|确认(?:您|你)的(?:订单|申请)"
    r"|申请已(?:确认|受理)")


# A one-off charge for getting connected is paid once, at sign-up: not again when the offer renews
# (an annual subscription billed once per term is)
_ONCE_AT_SIGN_UP = lazy(r"activat|connection|set-?up|install|aktivierung|anschluss|bereitstellung|activación|(?<![a-z])alta(?![a-z])"
                        r"|mise en service|attivazione|aansluit|开通|开户|安装|初装|入网|開通|安裝")
_INTERNAL = lazy(r"(?<![a-z])(?:internal use only|for internal use|internal only|staff only|not for (?:customers|"
                 r"distribution|external)|do not (?:share|forward|distribute) (?:with|to) customers|nur für den "
                 r"internen gebrauch|usage interne|uso interno|alleen voor intern)"
                 r"|内部使用|内部资料|内部培训|仅供内部|请勿外传|请勿转发|不得外传|对内口径")


@dataclass(frozen=True)
class Material:
    """One entry of `materials`: what customers or staff are shown, with its text (or its file's)."""

    index: int
    id: str
    kind: str
    channel: str | None
    language: str | None
    text: str
    from_file: bool = False

    @property
    def pointer(self) -> str:
        return f"/materials/{self.index}/{'file' if self.from_file else 'text'}"

    @property
    def is_notification(self) -> bool:
        return self.channel == "notification"

    @property
    def pre_signup(self) -> bool:
        """Seen before sign-up: every material except notifications sent to existing customers and the
        messages that confirm a purchase already made."""
        return not self.is_notification and not self.confirms_a_purchase and not self.internal

    @property
    def is_promotional(self) -> bool:
        # a call script pitches a price to the customer as an advert does ("月費$188全包" with the handset
        # instalments left out is drip pricing however it is delivered)
        return self.kind in ("advert", "poster", "landing_page", "email", "sms", "script") and self.pre_signup

    @computed_once
    def internal(self) -> bool:
        """Marked for staff only ("内部使用，请勿转发客户", "internal use only"): listed with the materials, but
        customers never see it, so nothing it states is disclosed to them."""
        # a call script is read out to customers whatever its header says (外呼话术，内部使用)
        return self.kind != "script" and bool(_INTERNAL.search(self.norm.text[:160]))

    @computed_once
    def confirms_a_purchase(self) -> bool:
        """An SMS or email that opens by welcoming a new customer or confirming the order ("Welcome to Kestrel",
        "Thanks for your order", "您已成功办理"): sent after sign-up, so what only it states was not disclosed
        before. The format has no field for when a material is sent; its first words say so."""
        return self.kind in ("sms", "email") and bool(re.search(_CONFIRMATION, self.norm.text[:160]))

    @computed_once
    def norm(self) -> Normalized:
        return normalize(self.text)


@dataclass(frozen=True)
class Notification:
    """One end-of-term notification: when it is sent, by which channel, and its text."""

    index: int
    days_before: int | None
    channel: str | None
    text: str
    before: str | None = None  # `term_end` or `commitment_end`; None: the default for the campaign

    @property
    def pointer(self) -> str:
        return f"/end_of_term/notifications/{self.index}"

    @property
    def text_pointer(self) -> str:
        return self.pointer + "/text"

    @computed_once
    def norm(self) -> Normalized:
        return normalize(self.text)


@dataclass
class Campaign:
    """Views of the document, each computed once: the document is never changed after loading, and
    some 40 rules read the same few fields."""

    doc: dict
    # Material texts read from `materials[].file`, by material index.
    file_texts: dict[int, str] = field(default_factory=dict)
    # Extra own-brand names from configuration.
    extra_own_names: tuple[str, ...] = ()
    # Per-campaign memo for values several rules need (own-brand groups, ...).
    memo: dict = field(default_factory=dict)

    @computed_once
    def id(self) -> str | None:
        return _str(self.doc.get("id"))

    @computed_once
    def jurisdiction(self) -> str | None:
        return _str(self.doc.get("jurisdiction"))

    @computed_once
    def language(self) -> str | None:
        return _str(self.doc.get("language"))

    @computed_once
    def date_order(self) -> str:
        """How this campaign's numeric dates are read (`03/04/2027`): see auditor.text.dates.date_order."""
        from auditor.text.dates import date_order

        return date_order(self.jurisdiction, self.language)

    @computed_once
    def currency(self) -> str:
        return _str(self.doc.get("currency")) or DEFAULT_CURRENCY.get(self.jurisdiction or "", "CNY")

    @computed_once
    def operator(self) -> str | None:
        return _str(self.doc.get("operator"))

    @computed_once
    def own_names(self) -> tuple[str, ...]:
        names = [self.operator] if self.operator else []
        return tuple(names + _strings(self.doc.get("operator_aliases")) + list(self.extra_own_names))

    @computed_once
    def channels(self) -> tuple[str, ...]:
        return tuple(_strings(self.doc.get("channels")))

    @computed_once
    def offer(self) -> dict:
        return _dict(self.doc.get("offer"))

    @computed_once
    def offer_type(self) -> str | None:
        return _str(self.offer.get("type"))

    @computed_once
    def term(self) -> dict:
        return _dict(self.offer.get("term"))

    @computed_once
    def term_months(self) -> float | None:
        if _int(self.term.get("months")):
            return float(self.term["months"])
        if _int(self.term.get("days")):
            return self.term["days"] / 30
        return None

    @computed_once
    def term_days(self) -> int | None:
        if _int(self.term.get("days")):
            return self.term["days"]
        if _int(self.term.get("months")):
            return self.term["months"] * 30
        return None

    @computed_once
    def has_term(self) -> bool:
        return bool(self.term)

    @computed_once
    def behavior(self) -> str | None:
        return _str(_dict(self.doc.get("end_of_term")).get("behavior"))

    @computed_once
    def charges_after_term(self) -> bool:
        return self.behavior in CHARGING_BEHAVIORS

    def price_during_term(self, fee: Fee) -> Decimal | None:
        """What the customer pays for `fee` at sign-up (during the term, if any); None when it is charged only
        after the term."""
        if fee.applies == "after_term":
            return None
        return fee.promo_amount if fee.promo_amount is not None else fee.amount

    def price_after_term(self, fee: Fee) -> Decimal | None:
        """What the customer pays for `fee` once the term has ended, when that differs from the sign-up price."""
        if not self.has_term or fee.applies == "during_term":
            return None
        if fee.applies == "after_term":
            return fee.amount
        if fee.promo_amount is not None and fee.promo_amount != fee.amount:
            return fee.amount
        return None

    @computed_once
    def after_term_prices(self) -> tuple[tuple[Fee, Decimal], ...]:
        """Every fee charged once the term has ended, at its regular amount (empty without a term)."""
        if not self.has_term:
            return ()
        # a one-off charge (the upfront device cost, a connection fee) was paid at sign-up and is not charged
        # again when the term ends, unless the fee table says it is charged then or the offer renews (an annual
        # subscription billed once per term is billed again at each renewal)
        again = self.behavior == "auto_renew"
        return tuple((fee, fee.amount) for fee in self.fees
                     if (fee.applies == "after_term"
                         or (fee.applies == "always" and (fee.recurrence != "one_time"
                                                          or (again and not _ONCE_AT_SIGN_UP.search(fee.name.lower())))))
                     and fee.amount and fee.amount > 0)

    @computed_once
    def requires_opt_in(self) -> bool:
        return self.offer.get("requires_opt_in") is True

    @computed_once
    def eligibility(self) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
        out = []
        for i, item in enumerate(_list(self.offer.get("eligibility"))):
            item = _dict(item)
            condition = _str(item.get("condition"))
            if condition:
                out.append((i, condition, tuple(_strings(item.get("disclosed_in")))))
        return tuple(out)

    @computed_once
    def commitment(self) -> dict:
        return _dict(self.offer.get("commitment"))

    @computed_once
    def exit_charges(self) -> dict[str, Decimal]:
        """What leaving costs, by kind (`early_termination`, `cancellation`): the positive amounts the campaign
        gives in `offer.commitment.early_termination_fee` and `cancellation.fee`."""
        given = {"early_termination": self.commitment.get("early_termination_fee"),
                 "cancellation": self.cancellation.get("fee")}
        return {kind: Decimal(str(value)) for kind, value in given.items()
                if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0}

    @computed_once
    def commitment_months(self) -> int | None:
        """The minimum contract period in months (None without one)."""
        months = _int(self.commitment.get("months"))
        return months if months and months > 0 else None

    @computed_once
    def fees(self) -> list[Fee]:
        out = []
        for i, raw in enumerate(_list(self.doc.get("fees"))):
            raw = _dict(raw)
            out.append(Fee(
                index=i,
                id=_str(raw.get("id")) or f"#{i + 1}",
                name=_str(raw.get("name")) or _str(raw.get("id")) or f"fee #{i + 1}",
                amount=_num(raw.get("amount")),
                currency=_str(raw.get("currency")) or self.currency,
                recurrence=_str(raw.get("recurrence")),
                unit=_str(raw.get("unit")),
                promo_amount=_num(raw.get("promo_amount")),
                applies=_str(raw.get("applies")) or "always",
                charged_by=_str(raw.get("charged_by")) or "operator",
                provider=_str(raw.get("provider")),
                disclosed_in=tuple(_strings(raw.get("disclosed_in"))),
            ))
        return out

    @computed_once
    def minimum_spend(self) -> dict:
        return _dict(self.doc.get("minimum_spend"))

    @computed_once
    def validity_limits(self) -> tuple[tuple[int, dict], ...]:
        return tuple((i, _dict(v)) for i, v in enumerate(_list(self.doc.get("validity_limits"))))

    @computed_once
    def notifications(self) -> list[Notification]:
        out = []
        for i, raw in enumerate(_list(_dict(self.doc.get("end_of_term")).get("notifications"))):
            raw = _dict(raw)
            out.append(Notification(i, _int(raw.get("days_before")), _str(raw.get("channel")),
                                    _str(raw.get("text")) or "", _str(raw.get("before"))))
        return out

    @computed_once
    def cancellation(self) -> dict:
        return _dict(self.doc.get("cancellation"))

    @computed_once
    def cancellation_methods(self) -> tuple[tuple[int, dict], ...]:
        return tuple((i, _dict(m)) for i, m in enumerate(_list(self.cancellation.get("methods"))))

    @computed_once
    def consent(self) -> dict:
        return _dict(self.doc.get("consent"))

    @computed_once
    def materials(self) -> list[Material]:
        out = []
        default_language = _str(self.doc.get("language")) or "zh-CN"
        for i, raw in enumerate(_list(self.doc.get("materials"))):
            raw = _dict(raw)
            from_file = i in self.file_texts
            text = self.file_texts.get(i) if from_file else _str(raw.get("text"))
            out.append(Material(
                index=i,
                id=_str(raw.get("id")) or f"#{i + 1}",
                kind=_str(raw.get("kind")) or "advert",
                channel=_str(raw.get("channel")),
                language=_str(raw.get("language")) or default_language,
                text=text or "",
                from_file=from_file,
            ))
        return out

    def material(self, material_id: str) -> Material | None:
        return next((m for m in self.materials if m.id == material_id), None)

    def materials_named(self, ids) -> list[Material]:
        return [m for m in (self.material(i) for i in ids) if m is not None]

    @computed_once
    def pre_signup_materials(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.pre_signup)

    @computed_once
    def sign_up_materials(self) -> tuple[Material, ...]:
        """What restates the deal to the customer around sign-up: the materials seen before it, and the welcome or
        order confirmation sent when the minimum period has just begun (not the notices sent later). A misleading
        statement after the sale is still one (UCPD art 3(1): "before, during and after a commercial
        transaction"), and a confirmation that states other terms is case C12."""
        return self.pre_signup_materials + tuple(m for m in self.customer_materials
                                                 if m.confirms_a_purchase and not m.pre_signup)

    @computed_once
    def customer_materials(self) -> tuple[Material, ...]:
        """The materials customers see or hear at any time (all but those marked for staff only)."""
        return tuple(m for m in self.materials if not m.internal)

    @computed_once
    def chargeable(self) -> bool:
        """Any fee with a positive price, now or after the term."""
        return any((f.amount or 0) > 0 or (f.promo_amount or 0) > 0 for f in self.fees)
