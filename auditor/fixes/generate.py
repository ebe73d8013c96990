"""Candidate fixes for findings, from the campaign's own structure and the reviewed texts.

One function per rule turns a finding into candidate edits (RFC 6902 patches), best first; the caller
(auditor.fixes.compute) proves each by re-auditing and keeps the first that clears the finding. Rules
without a function get a `none` fix saying why no safe edit exists, and keep their advice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from auditor.campaign import Campaign, Fee, Material
from auditor.fixes.templates import Templates, money, template_language

if TYPE_CHECKING:
    from auditor.checklists import RuleSet

# kinds of fix
SENTENCE = "sentence"      # a sentence added to a named material (or a new material holding it)
REMINDER = "reminder"      # a reminder added to, or a sentence added to a reminder in, end_of_term.notifications
STRUCTURAL = "structural"  # a change to how the offer works: a business decision, never applied silently
NONE = "none"              # no safe edit: the advice stands


@dataclass
class Fix:
    rule: str
    kind: str
    patch: list = field(default_factory=list)
    text: str = ""            # the sentence or reminder to copy; for `none`, why no edit is safe
    target: str = ""          # pointer of the text or value changed (SARIF artifact change, workbook cell)
    material: str | None = None  # the material (id) a sentence goes into
    business_decision: bool = False
    verified: bool = False
    note: str = ""            # "fix verified", or why the candidate was not offered
    cells: list = field(default_factory=list)  # workbook cell edits, when the campaign is a workbook
    new_text: str | None = None  # the whole changed text at `target` (for artifact changes)
    old_text: str | None = None

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "verified": self.verified, "text": self.text, "patch": self.patch}
        if self.kind != NONE:
            out["business_decision"] = self.business_decision
        if self.material:
            out["material"] = self.material
        if self.target:
            out["target"] = self.target
        if self.note:
            out["note"] = self.note
        if self.cells:
            out["cells"] = self.cells
        return out


@dataclass
class Context:
    doc: dict
    campaign: Campaign
    templates: Templates
    ruleset: RuleSet
    jurisdiction: str | None
    findings: list = field(default_factory=list)  # the audit of `doc`, for generators that look at other findings

    @property
    def lang(self) -> str | None:
        return template_language(self.doc.get("language") if isinstance(self.doc.get("language"), str) else None)

    @property
    def operator(self) -> str:
        return self.campaign.operator or ""

    def t(self, name: str, lang: str, **values) -> str:
        return self.templates.text(name, lang, self.jurisdiction, **values)

    def sentence(self, name: str, lang: str | None, **values) -> str | None:
        """The template's text in `lang`, or None when there is no template language or no such template."""
        if lang is None:
            return None
        try:
            return self.t(name, lang, **values)
        except KeyError:
            return None

    def w(self, name: str, lang: str, **values) -> str:
        return self.templates.word(name, lang, **values)


GENERATORS: dict[str, Callable[[Context, object], Iterator[Fix]]] = {}
# Rules whose fix changes how the offer works (a business decision, never applied silently).
STRUCTURAL_RULES = frozenset({"CAN-001", "CAN-002", "CAN-003", "CAN-004", "CON-001", "CON-002", "CON-003",
                              "CON-004", "CON-006"})

NO_FIX_REASONS = {
    "CLM": "No safe automatic fix: the claim itself is the problem; reword or drop it (an editorial and legal "
           "decision).",
    "CMP": "No safe automatic fix: whether to remove or substantiate a competitor reference is legal's call.",
    "CNS": "No safe automatic fix: the material and the definition disagree, and which one is right cannot be "
           "told from the campaign.",
    "TER-003": "No safe automatic fix: how customers apply for the benefit is not in the campaign definition.",
    "CAN-005": "No safe automatic fix: the steps a customer follows are operational facts the campaign does not "
               "give.",
    "AUD": "No automatic fix: correct the file as the message says.",
    "EXP-007": "No safe automatic fix: the notice must name the provider's best tariffs with their prices, and the "
               "campaign definition names none.",
    "EXP-012": "No safe automatic fix: the notice period for ending the contract is a business term the campaign "
               "must change.",
}


def no_fix_reason(rule: str) -> str:
    return (NO_FIX_REASONS.get(rule) or NO_FIX_REASONS.get(rule.split("-")[0])
            or "No safe automatic fix: the facts this fix needs are not in the campaign definition.")


def generator(*rules: str):
    def register(function):
        for rule in rules:
            GENERATORS[rule] = function
        return function
    return register


# -- facts ------------------------------------------------------------------------------------------
def _fee_at(ctx: Context, pointer: str) -> Fee | None:
    parts = pointer.split("/")
    if len(parts) >= 3 and parts[1] == "fees" and parts[2].isdigit():
        index = int(parts[2])
        return ctx.campaign.fees[index] if index < len(ctx.campaign.fees) else None
    return None


def _index(pointer: str, position: int) -> int | None:
    parts = pointer.split("/")
    return int(parts[position]) if len(parts) > position and parts[position].isdigit() else None


def price(fee: Fee, amount: Decimal, lang: str) -> str:
    period = fee.period_word
    if fee.recurrence == "per_unit" and fee.unit:
        period = fee.unit
    return money(amount, fee.currency, lang, period)


def term(ctx: Context, lang: str) -> str | None:
    t = ctx.campaign.term
    for unit in ("months", "days"):
        value = t.get(unit)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            name = ("term_" + unit) if value != 1 else ("term_" + unit[:-1])
            return ctx.w(name, lang, n=value)
    return None


def later_prices(ctx: Context, lang: str) -> str | None:
    from auditor.checks.fees import after_term_amounts

    later = after_term_amounts(ctx.campaign)
    if not later:
        return None
    return ctx.w("list_separator", lang).join(price(f, a, lang) for f, a in later)


def cancel_how(ctx: Context, lang: str) -> str | None:
    steps = []
    for _, method in ctx.campaign.cancellation_methods:
        text = method.get("instructions")
        if method.get("available") == "after_term" or not isinstance(text, str) or len(text.strip()) < 4:
            continue
        step = text.strip().rstrip("。.;；!！")
        if step and step not in steps:
            steps.append(step)
    return ctx.w("list_separator", lang).join(steps[:2]) if steps else None


# -- targets ----------------------------------------------------------------------------------------
_PROMOTIONAL = ("landing_page", "advert", "poster", "email", "sms")


def _editable(m: Material) -> bool:
    return not m.from_file and template_language(m.language) is not None


def materials_for(ctx: Context, preferred: tuple[str, ...] = (), kinds: tuple[str, ...] | None = None,
                  limit: int = 3) -> list[Material]:
    """Pre-sign-up materials a sentence may go into, best first: those the campaign names, then adverts
    and landing pages, then the terms; only texts held in the campaign (not `file`) in a template language."""
    pool = [m for m in ctx.campaign.pre_signup_materials if _editable(m) and (kinds is None or m.kind in kinds)]
    return _best_first(pool, preferred)[:limit]


def _best_first(pool: list[Material], preferred: tuple[str, ...]) -> list[Material]:
    """The materials named in `preferred`, then adverts and landing pages, then the terms, then the rest."""
    ordered = [m for i in preferred for m in pool if m.id == i]
    ordered += [m for m in pool if m.kind in _PROMOTIONAL and m not in ordered]
    ordered += [m for m in pool if m.kind in ("terms", "contract") and m not in ordered]
    ordered += [m for m in pool if m not in ordered]
    return ordered


def joined(old: str, sentence: str, lang: str) -> str:
    """`old` with `sentence` added as its last sentence."""
    body = old.rstrip()
    if not body:
        return sentence
    if lang.startswith("zh"):
        return body + ("" if body[-1] in "。！？!?；;）)」】" else "。") + sentence
    return body + ("" if body[-1] in ".!?" else ".") + " " + sentence


def add_to_material(ctx: Context, rule: str, material: Material, name: str, **values) -> Fix | None:
    lang = template_language(material.language)
    sentence = None if material.from_file else ctx.sentence(name, lang, **values)
    if lang is None or sentence is None:
        return None
    pointer = f"/materials/{material.index}/text"
    new = joined(material.text, sentence, lang)
    return Fix(rule, SENTENCE, [{"op": "test", "path": pointer, "value": material.text},
                                {"op": "replace", "path": pointer, "value": new}],
               text=sentence, target=pointer, material=material.id, new_text=new, old_text=material.text)


def append_to_material(ctx: Context, rule: str, material: Material, sentence: str) -> Fix | None:
    lang = template_language(material.language)
    if lang is None or material.from_file or not sentence:
        return None
    pointer = f"/materials/{material.index}/text"
    new = joined(material.text, sentence, lang)
    return Fix(rule, SENTENCE, [{"op": "test", "path": pointer, "value": material.text},
                                {"op": "replace", "path": pointer, "value": new}],
               text=sentence, target=pointer, material=material.id, new_text=new, old_text=material.text)


def fee_sentence(ctx: Context, fee: Fee, lang: str) -> str | None:
    """A fee's price as the customer must read it: the promotional price with its duration and the full
    price when there is a promotion, else the price with its period."""
    if fee.amount is None:
        return None
    promo = fee.promo_amount is not None and fee.promo_amount != fee.amount and fee.applies != "after_term"
    values = _promo_values(ctx, fee, lang) if promo and ctx.campaign.has_term else None
    if values:
        return ctx.t("fee_promo_price", lang, **values)
    amount = fee.promo_amount if promo else fee.amount
    return ctx.t("fee_price", lang, fee=fee.name, price=price(fee, amount, lang)) if amount else None


def add_to_materials(ctx: Context, rule: str, materials: list[Material], name: str, values_for) -> Iterator[Fix]:
    for material in materials:
        lang = template_language(material.language)
        if lang is None:
            continue
        values = values_for(lang)
        if values is None:
            continue
        fix = add_to_material(ctx, rule, material, name, **values)
        if fix:
            yield fix


def add_to_notification(ctx: Context, rule: str, index: int, name: str, **values) -> Fix | None:
    sentence = ctx.sentence(name, ctx.lang, **values)
    return append_to_notification(ctx, rule, index, sentence) if sentence is not None else None


def append_to_notification(ctx: Context, rule: str, index: int, sentence: str) -> Fix | None:
    notes = ctx.campaign.notifications
    lang = ctx.lang
    if index >= len(notes) or lang is None:
        return None
    pointer = f"/end_of_term/notifications/{index}/text"
    old = notes[index].text
    new = joined(old, sentence, lang)
    ops = ([{"op": "test", "path": pointer, "value": old}] if old else []) + [
        {"op": "replace" if old else "add", "path": pointer, "value": new}]
    return Fix(rule, REMINDER, ops, text=sentence, target=pointer, new_text=new, old_text=old)


# -- reminders --------------------------------------------------------------------------------------
def _commitment_only(ctx: Context) -> bool:
    return not ctx.campaign.has_term and bool(ctx.campaign.commitment)


def consequence(ctx: Context, lang: str, commitment: bool = False) -> str | None:
    behavior = ctx.campaign.behavior
    if commitment or _commitment_only(ctx):
        monthly = [f for f in ctx.campaign.fees if f.recurrence == "monthly" and f.amount and f.amount > 0]
        if not monthly:
            return None
        monthly_prices = ctx.w("list_separator", lang).join(price(f, f.amount, lang) for f in monthly)
        return ctx.t("consequence_commitment", lang, price=monthly_prices)
    if behavior is None:
        return None
    prices = later_prices(ctx, lang)
    if behavior == "auto_cancel":  # the benefit ends; usage may then be charged (case C1)
        return ctx.t("consequence_auto_cancel_then", lang, price=prices) if prices else \
            ctx.t("consequence_auto_cancel", lang)
    if prices is None:
        return None
    return ctx.t("consequence_" + behavior, lang, price=prices)


def reminder_text(ctx: Context, commitment: bool = False) -> str | None:
    """A whole reminder in the campaign's language, from the parts the jurisdiction's reminder lists (before
    the minimum contract period ends when `commitment`)."""
    lang = ctx.lang
    commitment = commitment or _commitment_only(ctx)
    if lang is None:
        return None
    parts = []
    for part in ctx.templates.reminder_parts(ctx.jurisdiction):
        if part == "consequence":
            text = consequence(ctx, lang, commitment)
            if text is None and (ctx.campaign.has_term or commitment):
                return None
        elif part in ("reminder_cancel",):
            how = cancel_how(ctx, lang)
            text = ctx.t(part, lang, how=how) if how else None
        elif part == "reminder_intro" and commitment:
            text = ctx.t("reminder_intro_commitment", lang, operator=ctx.operator)
        else:
            text = ctx.t(part, lang, operator=ctx.operator)
        if text:
            parts.append(text)
    return (" " if lang == "en" else "").join(parts)


def windows(ctx: Context, end: str | None = None) -> list[tuple[int, int]]:
    """The notice windows of rule EXP-002 for the jurisdiction (its parameters), counted back from `end`
    ("term" or "commitment"; None: the end the campaign's reminders count back from by default)."""
    return [(low, high) for low, high, _key in keyed_windows(ctx, end)]


def keyed_windows(ctx: Context, end: str | None = None) -> list[tuple[int, int, str]]:
    """`windows`, each with the key its EXP-002 finding carries (the window's own `key`, or "low-high")."""
    try:
        rule = ctx.ruleset.rule("EXP-002")
    except KeyError:
        return []
    params = rule.params_for(ctx.jurisdiction)
    wanted = end or ("term" if ctx.campaign.has_term else "commitment")
    length = ctx.campaign.term_days if wanted == "term" else (_commitment_months(ctx) or 0) * 30
    out = []
    for window in params.get("windows") or []:
        low, high = window.get("min"), window.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or window.get("end", "term") != wanted:
            continue
        if length and low >= length / 2:
            continue
        out.append((low, high, str(window.get("key") or f"{low}-{high}")))
    return out


def _commitment_months(ctx: Context) -> int | None:
    months = ctx.campaign.commitment.get("months")
    return months if isinstance(months, int) and not isinstance(months, bool) and months > 0 else None


def _ends_coincide(ctx: Context) -> bool:
    months = _commitment_months(ctx)
    return not ctx.campaign.has_term or not months or (
        ctx.campaign.term_months is not None and abs(ctx.campaign.term_months - months) < 0.5)


def reminder_day(ctx: Context, low: int | None = None, high: int | None = None, end: str = "term") -> int | None:
    term_days = ctx.campaign.term_days if end == "term" else (_commitment_months(ctx) or 0) * 30 or None
    for day in ctx.templates.reminder_days:
        if low is not None and high is not None and not (low <= day <= high):
            continue
        if term_days and day >= term_days:
            continue
        return day
    if low is not None and (not term_days or low < term_days):
        return low
    return None


def _add_notifications(ctx: Context, items: list) -> list:
    """JSON Patch adding notifications, creating `end_of_term` or its list when absent."""
    end = ctx.doc.get("end_of_term")
    if not isinstance(end, dict):
        return [{"op": "add", "path": "/end_of_term", "value": {"notifications": items}}]
    if not isinstance(end.get("notifications"), list):
        return [{"op": "add", "path": "/end_of_term/notifications", "value": items}]
    return [{"op": "add", "path": "/end_of_term/notifications/-", "value": item} for item in items]


def add_reminders(ctx: Context, rule: str, days: list[int], channel: str = "sms", end: str = "term") -> Fix | None:
    commitment = end == "commitment"
    text = reminder_text(ctx, commitment)
    if not text or not days:
        return None
    items = [{"days_before": d, "channel": channel, "text": text} for d in sorted(set(days), reverse=True)]
    if commitment and ctx.campaign.has_term and not _ends_coincide(ctx):
        for item in items:  # counted back from the minimum contract period's end, not the promotion's
            item["before"] = "commitment_end"
    ops = _add_notifications(ctx, items)
    when = ", ".join(str(d) for d in sorted(set(days), reverse=True))
    return Fix(rule, REMINDER, ops, text=text, target="/end_of_term/notifications",
               note=f"send {when} days before the end by {channel}")


# -- generators -------------------------------------------------------------------------------------
@generator("FEE-001", "FEE-002")
def fee_not_stated(ctx: Context, finding) -> Iterator[Fix]:
    fee = _fee_at(ctx, finding.location.pointer)
    if fee is None or fee.amount is None:
        return
    promo = fee.promo_amount is not None and fee.promo_amount != fee.amount and fee.applies != "after_term"

    def values(lang):
        span = term(ctx, lang)
        if promo and span and ctx.campaign.has_term:
            return {"fee": fee.name, "term": span, "promo_price": price(fee, fee.promo_amount, lang),
                    "price": price(fee, fee.amount, lang)}
        amount = fee.promo_amount if promo else fee.amount
        return {"fee": fee.name, "price": price(fee, amount, lang)}

    j = _index(finding.location.pointer, 4) if "/disclosed_in/" in finding.location.pointer else None
    if j is not None and j < len(fee.disclosed_in):
        named = [m for m in ctx.campaign.materials if m.id == fee.disclosed_in[j] and _editable(m)]
    else:
        named = materials_for(ctx, fee.disclosed_in)
    for material in named:
        lang = template_language(material.language)
        vals = values(lang)
        fix = add_to_material(ctx, finding.rule, material, "fee_promo_price" if "promo_price" in vals else "fee_price",
                              **vals)
        if fix:
            yield fix


def _material_at(ctx: Context, pointer: str) -> Material | None:
    index = _index(pointer, 2)
    materials = ctx.campaign.materials
    return materials[index] if index is not None and index < len(materials) else None


def _promo_values(ctx: Context, fee: Fee, lang: str) -> dict | None:
    span = term(ctx, lang)
    if not span or fee.promo_amount is None or fee.amount is None:
        return None
    return {"fee": fee.name, "term": span, "promo_price": price(fee, fee.promo_amount, lang),
            "price": price(fee, fee.amount, lang)}


@generator("FEE-008")
def mandatory_fees(ctx: Context, finding) -> Iterator[Fix]:
    """The mandatory fees the advert leaves out, each with its price, added next to the advertised price."""
    from auditor.checks._util import states_amount
    from auditor.checks.fees import during_amount, is_mandatory

    material = _material_at(ctx, finding.location.pointer)
    if material is None or not _editable(material):
        return
    left_out = [(f, a) for f in ctx.campaign.fees if is_mandatory(ctx.campaign, f)
                and (a := during_amount(ctx.campaign, f)) and a > 0 and not states_amount(material.norm, a, f.currency)]
    if not left_out:
        return

    def values(lang):
        items = [ctx.w("fee_item", lang, fee=f.name, price=price(f, a, lang))
                 + (ctx.w("one_off", lang) if f.recurrence == "one_time" else "") for f, a in left_out]
        return {"fees": ctx.w("list_and", lang).join(items)}

    yield from add_to_materials(ctx, finding.rule, [material], "mandatory_fees", values)


@generator("FEE-009")
def promo_duration(ctx: Context, finding) -> Iterator[Fix]:
    """The promotional price with how long it lasts and the full price, in the material that advertises it."""
    from auditor.checks._util import states_amount

    material = _material_at(ctx, finding.location.pointer)
    if material is None or not _editable(material):
        return
    for fee in ctx.campaign.fees:
        if fee.promo_amount and fee.amount and fee.promo_amount < fee.amount and fee.applies != "after_term" \
                and states_amount(material.norm, fee.promo_amount, fee.currency):
            yield from add_to_materials(ctx, finding.rule, [material], "fee_promo_price",
                                        lambda lang, fee=fee: _promo_values(ctx, fee, lang))


@generator("CLM-003", "CLM-004")
def disclose_charges(ctx: Context, finding) -> Iterator[Fix]:
    """\"Free\" or \"no hidden fees\" stands once every charge is stated in the same material (the claim
    itself is kept; whether to drop it instead is the author's choice)."""
    material = _material_at(ctx, finding.location.pointer)
    if material is None or not _editable(material):
        return
    lang = template_language(material.language)
    if lang is None:
        return
    unstated = _unstated_fees(ctx, material, finding.rule)
    text = _run_on([fee_sentence(ctx, fee, lang) for fee in unstated], lang)
    if not unstated or text is None:
        return
    fix = append_to_material(ctx, finding.rule, material, text)
    if fix:
        yield fix


def _unstated_fees(ctx: Context, material: Material, rule: str) -> list[Fee]:
    """Fees charged with a price stated nowhere it must be: in the claiming material (CLM-004); for "no hidden
    fees" (CLM-003), in any material seen before sign-up, the price after the term included."""
    from auditor.checks._util import states_amount
    from auditor.checks.fees import after_amount, during_amount

    pool = ctx.campaign.pre_signup_materials if rule == "CLM-003" else (material,)
    unstated = []
    for fee in ctx.campaign.fees:
        amounts = {during_amount(ctx.campaign, fee)}
        if rule == "CLM-003":
            amounts.add(after_amount(ctx.campaign, fee))
        if any(a and a > 0 and not any(states_amount(m.norm, a, fee.currency) for m in pool) for a in amounts):
            unstated.append(fee)
    return unstated


def _run_on(sentences: list[str | None], lang: str) -> str | None:
    """Sentences as one text (no space between Chinese sentences); None when there are none or one is missing."""
    present = [sentence for sentence in sentences if sentence]
    if not sentences or len(present) != len(sentences):
        return None
    return ("" if lang.startswith("zh") else " ").join(present)


@generator("FEE-003")
def after_term_not_stated(ctx: Context, finding) -> Iterator[Fix]:
    fee = _fee_at(ctx, finding.location.pointer)
    if fee is None or fee.amount is None:
        yield Fix(finding.rule, NONE, text="No safe automatic fix: no fee says what the customer pays after the "
                                           "term; add that fee to `fees` first (its price is a business decision).")
        return

    def values(lang):
        span = term(ctx, lang)
        return {"fee": fee.name, "term": span, "price": price(fee, fee.amount, lang)} if span else None

    yield from add_to_materials(ctx, finding.rule, materials_for(ctx, fee.disclosed_in), "after_term_price", values)


@generator("FEE-004")
def third_party(ctx: Context, finding) -> Iterator[Fix]:
    fee = _fee_at(ctx, finding.location.pointer)
    if fee is None or not fee.provider or fee.amount is None or fee.recurrence == "one_time":
        return
    amount = fee.promo_amount if fee.promo_amount else fee.amount
    yield from add_to_materials(ctx, finding.rule, materials_for(ctx, fee.disclosed_in), "third_party_fee",
                                lambda lang: {"fee": fee.name, "provider": fee.provider,
                                              "price": price(fee, amount, lang)})


@generator("FEE-005")
def stacked(ctx: Context, finding) -> Iterator[Fix]:
    from auditor.checks.fees import during_amount

    per_use = [f for f in ctx.campaign.fees if f.recurrence == "per_use" and f.amount and f.amount > 0]
    if len(per_use) < 2:
        return
    amounts = [(f, during_amount(ctx.campaign, f) or f.amount) for f in per_use]
    total = sum((a for _, a in amounts), Decimal(0))
    currency = per_use[0].currency

    def values(lang):
        sep = " + " if lang == "en" else "+"
        parts = sep.join(f"{f.name}{' ' if lang == 'en' else ''}{money(a, f.currency, lang)}" for f, a in amounts)
        return {"total": money(total, currency, lang), "parts": parts}

    preferred = tuple(i for f in per_use for i in f.disclosed_in)
    yield from add_to_materials(ctx, finding.rule, materials_for(ctx, preferred), "stacked_total", values)


@generator("FEE-006")
def minimum_spend(ctx: Context, finding) -> Iterator[Fix]:
    spend = ctx.campaign.minimum_spend
    amount = spend.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return
    preferred = tuple(x for x in spend.get("disclosed_in") or () if isinstance(x, str))
    yield from add_to_materials(ctx, finding.rule, materials_for(ctx, preferred), "minimum_spend",
                                lambda lang: {"amount": money(Decimal(str(amount)), ctx.campaign.currency, lang)})


@generator("FEE-007")
def free_claim(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 2)
    if index is None or index >= len(ctx.campaign.materials):
        return
    material = ctx.campaign.materials[index]

    def values(lang):
        span, prices = term(ctx, lang), later_prices(ctx, lang)
        return {"term": span, "price": prices} if span and prices else None

    # "free for the term" is said only of a real free period: a fee charging nothing during the term
    free_period = any(f.promo_amount == 0 and (f.amount or 0) > 0 and f.applies != "after_term"
                      for f in ctx.campaign.fees)
    if free_period:
        yield from add_to_materials(ctx, finding.rule, [material], "free_later_price", values)
        return
    # something else is free (a phone, a month): state what is paid, as the fee table says it
    from auditor.checks.fees import after_term_amounts

    lang = template_language(material.language)
    if lang is None:
        return
    text = _run_on([fee_sentence(ctx, fee, lang) for fee, _ in after_term_amounts(ctx.campaign)], lang)
    if text is not None:
        fix = append_to_material(ctx, finding.rule, material, text)
        if fix:
            yield fix


@generator("CAN-006")
def cancel_in_materials(ctx: Context, finding) -> Iterator[Fix]:
    if ctx.lang and not cancel_how(ctx, ctx.lang):
        yield Fix(finding.rule, NONE, text="No safe automatic fix: the campaign gives no cancellation method with "
                                           "instructions to describe; add one first (see CAN-001, CAN-005).")
        return
    yield from add_to_materials(ctx, finding.rule, materials_for(ctx), "cancel_how",
                                lambda lang: {"how": how} if (how := cancel_how(ctx, lang)) else None)


@generator("CAN-007")
def cancel_fee(ctx: Context, finding) -> Iterator[Fix]:
    fee = ctx.campaign.cancellation.get("fee")
    if isinstance(fee, bool) or not isinstance(fee, (int, float)):
        return
    yield from add_to_materials(ctx, finding.rule, materials_for(ctx), "cancel_fee",
                                lambda lang: {"amount": money(Decimal(str(fee)), ctx.campaign.currency, lang)})


@generator("TER-001")
def validity(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 2)
    limits = dict(ctx.campaign.validity_limits)
    limit = limits.get(index) if index is not None else None
    if not limit:
        return
    subject = str(limit.get("subject", "prepaid_balance"))
    preferred = tuple(x for x in limit.get("disclosed_in") or () if isinstance(x, str))

    def values(lang):
        try:
            name = ctx.w("subject_" + subject, lang)
        except KeyError:
            return None
        days, months = limit.get("days"), limit.get("months")
        if isinstance(days, int) and not isinstance(days, bool):
            length = ctx.w("term_days" if days != 1 else "term_day", lang, n=days)
        elif isinstance(months, int) and not isinstance(months, bool):
            length = ctx.w("term_months" if months != 1 else "term_month", lang, n=months)
        else:
            return None
        return {"subject": name, "length": length}

    yield from add_to_materials(ctx, finding.rule, materials_for(ctx, preferred, kinds=("contract", "terms")),
                                "validity", values)


@generator("TER-002")
def condition(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 3)
    conditions = {i: (c, d) for i, c, d in ctx.campaign.eligibility}
    if index not in conditions:
        return
    text, disclosed_in = conditions[index]
    missing = _materials_missing_condition(ctx, text, disclosed_in)
    if not missing or not all(_editable(m) for m in missing):
        return
    fixes = [add_to_material(ctx, finding.rule, m, "condition", condition=text.strip().rstrip("。.")) for m in missing]
    made = [f for f in fixes if f is not None]
    if len(made) != len(fixes):
        return
    if len(made) == 1:
        yield made[0]
        return
    yield Fix(finding.rule, SENTENCE, [op for f in made for op in f.patch], text=made[0].text,
              target=made[0].target, material=", ".join(f.material or "" for f in made))


def _materials_missing_condition(ctx: Context, text: str, disclosed_in) -> list[Material]:
    """Where a condition must be added (as TER-002 requires it: promotional materials giving a promotional
    price, and the contract terms); when no material requires it, the best material seen before sign-up."""
    from auditor.checks._util import states_amount
    from auditor.checks.terms import CONTRACT_KINDS, mentions_condition

    promo = [(f.promo_amount, f.currency) for f in ctx.campaign.fees if f.promo_amount is not None]
    required = [m for m in ctx.campaign.pre_signup_materials
                if m.is_promotional and any(states_amount(m.norm, a, c) for a, c in promo)]
    required += [m for m in ctx.campaign.materials if m.kind in CONTRACT_KINDS and m not in required]
    if not required:
        return materials_for(ctx, limit=1)
    return [m for m in required if m.id not in disclosed_in and not mentions_condition(m.norm.text, text)]


@generator("TER-004")
def commitment(ctx: Context, finding) -> Iterator[Fix]:
    c = ctx.campaign.commitment
    months = c.get("months")
    if not isinstance(months, int) or isinstance(months, bool):
        return
    fee = c.get("early_termination_fee")
    has_fee = isinstance(fee, (int, float)) and not isinstance(fee, bool) and fee > 0

    def values(lang):
        out = {"months": months}
        if has_fee:
            out["fee"] = money(Decimal(str(fee)), ctx.campaign.currency, lang)
        return out

    yield from add_to_materials(ctx, finding.rule, materials_for(ctx), "commitment" if has_fee else "commitment_no_fee",
                                values)


# -- reminders --------------------------------------------------------------------------------------
@generator("EXP-001")
def no_reminder(ctx: Context, finding) -> Iterator[Fix]:
    yield from _reminders_for(ctx, finding.rule, "term")


@generator("EXP-011")
def renewal_notice(ctx: Context, finding) -> Iterator[Fix]:
    """China's statutory notice before an automatic renewal: reminders in the term windows (the C1 practice of
    30 and 7 days also meets the 5 days before an online renewal)."""
    yield from _reminders_for(ctx, finding.rule, "term")


@generator("EXP-009")
def no_commitment_notice(ctx: Context, finding) -> Iterator[Fix]:
    yield from _reminders_for(ctx, finding.rule, "commitment")


def _reminders_for(ctx: Context, rule: str, end: str) -> Iterator[Fix]:
    """Reminders before `end`, and before the other end too when the campaign also lacks those (EXP-001 and
    EXP-009 together): one edit, so neither half is judged without the other."""
    fixes = []
    for each in _ends_lacking_reminders(ctx, rule, end):
        fix = add_reminders(ctx, rule, _reminder_days(ctx, each), end=each)
        if fix is None:
            return
        fixes.append(fix)
    if len(fixes) == 1:
        yield fixes[0]
        return
    yield Fix(rule, REMINDER, _add_notifications(ctx, _added_notifications(fixes)),
              text="\n".join(f.text for f in fixes), target="/end_of_term/notifications",
              note="; ".join(f.note for f in fixes))


def _ends_lacking_reminders(ctx: Context, rule: str, end: str) -> list[str]:
    """`end`, and the other end when the audit also found no notice before it (EXP-001 with EXP-009)."""
    other = {"EXP-001": ("EXP-009", "commitment"), "EXP-009": ("EXP-001", "term")}.get(rule)
    return [end] + ([other[1]] if other and any(f.rule == other[0] for f in ctx.findings) else [])


def _reminder_days(ctx: Context, end: str) -> list[int]:
    """A day in each notice window before `end`; with no window, the templates' usual reminder day."""
    days = [reminder_day(ctx, low, high, end) for low, high in windows(ctx, end)]
    return [d for d in days if d is not None] or [d for d in [reminder_day(ctx, end=end)] if d is not None]


def _added_notifications(fixes: list[Fix]) -> list:
    """The notifications each reminder fix adds, whichever of the three shapes its patch takes."""
    items = [op["value"] for f in fixes for op in f.patch if op["path"].endswith("/-")]
    items += [v for f in fixes for op in f.patch if op["path"] == "/end_of_term/notifications" for v in op["value"]]
    items += [v for f in fixes for op in f.patch if op["path"] == "/end_of_term" for v in op["value"]["notifications"]]
    return items


@generator("EXP-002")
def outside_window(ctx: Context, finding) -> Iterator[Fix]:
    for end in ("term", "commitment"):
        wanted = [(low, high) for low, high, key in keyed_windows(ctx, end) if finding.key.split("#")[0] == key]
        days = [d for low, high in wanted if (d := reminder_day(ctx, low, high, end)) is not None]
        if days:
            fix = add_reminders(ctx, finding.rule, days, end=end)
            if fix:
                yield fix
            return


@generator("EXP-003")
def missing_end_date(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 3)
    fix = add_to_notification(ctx, finding.rule, index, "end_date") if index is not None else None
    if fix:
        yield fix


@generator("EXP-004", "EXP-005")
def missing_consequence(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 3)
    lang = ctx.lang
    if index is None or lang is None:
        return
    if any(f.rule == "EXP-006" and f.location.pointer == finding.location.pointer for f in ctx.findings):
        # the reminder also says the opposite of what happens: adding the price would leave it contradicting
        # itself (EXP-006 accepts a stated later price), so it is rewritten instead
        yield from contradicts(ctx, finding)
        return
    sentence = consequence(ctx, lang)
    fix = append_to_notification(ctx, finding.rule, index, sentence) if sentence else None
    if fix:
        yield fix


@generator("EXP-006")
def contradicts(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 3)
    if not finding.location.pointer.startswith("/end_of_term/notifications/") or index is None:
        return  # a notification material: rewriting it is the author's job
    text = reminder_text(ctx)
    notes = ctx.campaign.notifications
    if not text or index >= len(notes):
        return
    pointer = f"/end_of_term/notifications/{index}/text"
    yield Fix(finding.rule, REMINDER, [{"op": "test", "path": pointer, "value": notes[index].text},
                                       {"op": "replace", "path": pointer, "value": text}],
              text=text, target=pointer, new_text=text, old_text=notes[index].text,
              note="the reminder is rewritten from the campaign's end-of-term behaviour")


@generator("EXP-010")
def how_to_terminate(ctx: Context, finding) -> Iterator[Fix]:
    index = _index(finding.location.pointer, 3)
    how = cancel_how(ctx, ctx.lang) if ctx.lang else None
    if index is None or not how:
        return
    fix = add_to_notification(ctx, finding.rule, index, "reminder_cancel", how=how)
    if fix:
        yield fix


@generator("EXP-008")
def durable_medium(ctx: Context, finding) -> Iterator[Fix]:
    days = [n.days_before for n in ctx.campaign.notifications if n.days_before is not None][:1]
    fix = add_reminders(ctx, finding.rule, days)
    if fix:
        yield fix


# -- structural: business decisions -----------------------------------------------------------------
def _decision(fix: Fix, note: str) -> Fix:
    fix.kind, fix.business_decision, fix.note = STRUCTURAL, True, note
    return fix


def _online_method(ctx: Context, rule: str, channel: str) -> Fix | None:
    lang = ctx.lang
    if lang is None:
        return None
    channel_word = ctx.w("channel_" + channel, lang)
    instructions = ctx.t("online_cancel_instructions", lang, operator=ctx.operator, channel=channel_word)
    method = {"channel": channel, "instructions": instructions, "available": "anytime"}
    cancellation = ctx.doc.get("cancellation")
    ops: list[dict[str, Any]]
    if not isinstance(cancellation, dict):
        ops = [{"op": "add", "path": "/cancellation", "value": {"methods": [method]}}]
    elif not isinstance(cancellation.get("methods"), list):
        ops = [{"op": "add", "path": "/cancellation/methods", "value": [method]}]
    else:
        ops = [{"op": "add", "path": "/cancellation/methods/-", "value": method}]
    return _decision(Fix(rule, STRUCTURAL, ops, text=instructions, target="/cancellation/methods"),
                     f"business decision: offer cancellation by {channel} at any time (the operator must provide it)")


@generator("CAN-001", "CAN-003", "CAN-004")
def add_cancel_method(ctx: Context, finding) -> Iterator[Fix]:
    online = [c for c in ctx.campaign.channels if c in ("web", "app")]
    fix = _online_method(ctx, finding.rule, online[0] if online else "web")
    if fix:
        yield fix


@generator("CAN-002")
def cancel_anytime(ctx: Context, finding) -> Iterator[Fix]:
    ops = [{"op": "replace", "path": f"/cancellation/methods/{i}/available", "value": "anytime"}
           for i, m in ctx.campaign.cancellation_methods if m.get("available") == "after_term"]
    if ops:
        yield _decision(Fix(finding.rule, STRUCTURAL, ops, text="available: anytime", target="/cancellation/methods"),
                        "business decision: let customers cancel at any time, before the first paid period")


@generator("CON-002")
def unticked(ctx: Context, finding) -> Iterator[Fix]:
    yield _decision(Fix(finding.rule, STRUCTURAL, [{"op": "replace", "path": "/consent/pre_checked", "value": False}],
                        text="pre_checked: false", target="/consent/pre_checked"),
                    "business decision: the consent box starts unticked, so fewer customers may opt in")


def _set_consent(ctx: Context, rule: str, method: str, note: str) -> Fix:
    consent = ctx.doc.get("consent")
    ops: list[dict[str, Any]]
    if isinstance(consent, dict):
        op = "replace" if "method" in consent else "add"
        ops = [{"op": op, "path": "/consent/method", "value": method}]
    else:
        ops = [{"op": "add", "path": "/consent", "value": {"method": method}}]
    return _decision(Fix(rule, STRUCTURAL, ops, text=f"consent.method: {method}", target="/consent/method"), note)


@generator("CON-001", "CON-003", "CON-006")
def consent_method(ctx: Context, finding) -> Iterator[Fix]:
    from auditor.checks.consent import _vas

    if ctx.jurisdiction == "CN" or _vas(ctx.campaign):
        method = "double_confirmation"
    elif "telemarketing" in ctx.campaign.channels:
        method = "recorded_call"
    elif any(c in ("web", "app") for c in ctx.campaign.channels):
        method = "web_checkbox"
    else:
        method = "signed_contract"
    yield _set_consent(ctx, finding.rule, method,
                       f"business decision: collect and keep consent by `{method}` before the first charge")


def _monthly(ctx: Context) -> tuple[Fee, Decimal] | None:
    from auditor.checks.consent import monthly_prices

    prices = monthly_prices(ctx.campaign)
    return prices[0] if prices else None


def _new_material(ctx: Context, rule: str, kind: str, channel: str, name: str, **values) -> Fix | None:
    text = ctx.sentence(name, ctx.lang, **values)
    if text is None:
        return None
    ids = {m.id for m in ctx.campaign.materials}
    ident = next(f"{kind}-fix" + ("" if n == 1 else f"-{n}") for n in range(1, 100)
                 if f"{kind}-fix" + ("" if n == 1 else f"-{n}") not in ids)
    material: dict[str, Any] = {"id": ident, "kind": kind, "channel": channel, "text": text}
    return Fix(rule, SENTENCE, [{"op": "add", "path": "/materials/-", "value": material}], text=text,
               target=f"/materials/{len(ctx.campaign.materials)}/text", material=ident, new_text=text)


@generator("CON-005")
def script_price(ctx: Context, finding) -> Iterator[Fix]:
    found = _monthly(ctx)
    lang = ctx.lang
    if found is None or lang is None:
        return
    fee, amount = found
    scripts = [m for m in ctx.campaign.materials if m.kind == "script" and _editable(m)]
    # a promotional price is said with how long it lasts and the full price after it, as in any promotion
    promo = _promo_values(ctx, fee, lang) if amount == fee.promo_amount else None
    name, values = ("script_promo_price", promo) if promo else ("script_price", {"fee": fee.name,
                                                                                   "price": price(fee, amount, lang)})
    if scripts:
        fix = add_to_material(ctx, finding.rule, scripts[0], name, **values)
    else:
        fix = _new_material(ctx, finding.rule, "script", "telemarketing", name, **values)
    if fix:
        yield fix


@generator("CON-004")
def phone_plan_change(ctx: Context, finding) -> Iterator[Fix]:
    found = _monthly(ctx)
    lang = ctx.lang
    if found is None or lang is None:
        return
    fee, amount = found
    ops = []
    if ctx.campaign.consent.get("method") != "recorded_call":
        ops += _set_consent(ctx, finding.rule, "recorded_call", "").patch
    sms = _new_material(ctx, finding.rule, "sms", "notification", "confirmation_sms", operator=ctx.operator,
                        offer=ctx.campaign.doc.get("name") or "", fee=fee.name, price=price(fee, amount, lang))
    if sms is None:
        return
    how = cancel_how(ctx, lang)
    if how:  # how to undo it, from the campaign's own cancellation methods
        sms.text = joined(sms.text, ctx.t("reminder_cancel", lang, how=how), lang)
        sms.patch[0]["value"]["text"] = sms.text
        sms.new_text = sms.text
    yield _decision(Fix(finding.rule, STRUCTURAL, ops + sms.patch, text=sms.text, target=sms.target,
                        material=sms.material),
                    "business decision: record every sales call and send this confirmation before the change")
