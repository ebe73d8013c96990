"""Disclosed fees (cases C1, C2, C7): every amount a customer can be charged is
stated, in words they see before signing up."""

from __future__ import annotations

from decimal import Decimal

from auditor.campaign import Campaign, Fee, Material, fee_sums
from auditor.checks._util import (
    advertises_amount,
    find,
    fmt_amount,
    hit_in_text,
    sentence_bounds,
    states_amount,
    written_money,
)
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.equipment import device_named
from auditor.text.lazy import lazy
from auditor.text.money import Money, find_money, period_of_unit
from auditor.text.normalize import norm, normalize
from auditor.text.services import said_of_a_service_around
from auditor.text.tables import column_header


# The prices are the campaign's domain semantics (auditor.campaign); rules and reports read the same ones.
def during_amount(campaign: Campaign, fee: Fee) -> Decimal | None:
    return campaign.price_during_term(fee)


def after_amount(campaign: Campaign, fee: Fee) -> Decimal | None:
    return campaign.price_after_term(fee)


def after_term_amounts(campaign: Campaign) -> list[tuple[Fee, Decimal]]:
    return list(campaign.after_term_prices)


def _describe(fee: Fee, amount: Decimal):
    period = fee.period_word
    if not period:
        return fmt_amount(amount, fee.currency)
    return T("{amount}/{period}", amount=fmt_amount(amount, fee.currency),
             period=T(period) if period in ("month", "use") else period)


def _stated_anywhere(campaign: Campaign, amount: Decimal, currency: str) -> bool:
    return any(states_amount(m.norm, amount, currency) for m in campaign.pre_signup_materials)


# The periods a mention may carry and still state a fee charged this way: a one-off $35 connection charge is
# not stated by "$35/mo.", the monthly price that happens to be the same number.
_PERIODS_FOR = {"one_time": (None,), "monthly": (None, "month")}
_HEADLINE_PERIODS_FOR = {"one_time": (None, "year"), "monthly": (None, "month")}


_NAME_WORD = lazy(r"[a-zà-ÿ]{4,}")


def _name_words(name: str) -> set[str]:
    text = norm(name)
    return set(_NAME_WORD.findall(text)) | {text[i:i + 2] for i in range(len(text) - 1) if "\u4e00" <= text[i] <= "\u9fff"}


# "FREE Wi-Fi 6 modem (worth A$240)", "建议零售价HK$899": what something is worth, not a price anyone pays
_A_VALUE_BEFORE = lazy(r"(?:worth|valued at|value(?: of)?|rrp|retail price|价值|建议零售价|零售价|市价|总值|im wert von"
                       r"|d'une valeur de|valorad[oa] en|del valore di|ter waarde van)[\s:]*(?:up to\s|of\s)?$")


def _stated_as(campaign: Campaign, fee, amount: Decimal, total: Decimal | None = None) -> bool:
    """Some material seen before sign-up states this fee's amount, as a price charged the way the fee is, or
    `total`, a sum that includes it (in any period). Where another fee has the same amount ($35 connection,
    $35/mo. plan; "$45 without AutoPay" is the $40 plan and a $5 non-AutoPay surcharge, not the $5 platform fee
    beside it), the mention's sentence must also name this one."""
    periods = _PERIODS_FOR.get(fee.recurrence) if total is None else None
    figure = amount if total is None else total
    own_words = _words_that_tell_it_apart(campaign, fee, amount)
    for material in campaign.pre_signup_materials:
        text = material.norm.text
        mentions = [money for money in find_money(material.norm) if money.matches(figure, fee.currency)
                    and (periods is None or money.period in periods)
                    and not _A_VALUE_BEFORE.search(text, max(0, money.start - 24), money.start)]
        if mentions and (not own_words or _names_it(material.norm.text, mentions, own_words)
                         or _by_its_unit(campaign, fee, amount, mentions)):
            return True
    return False


def _by_its_unit(campaign: Campaign, fee, amount: Decimal, mentions: list[Money]) -> bool:
    """"9 Cent/Min., 9 Cent/SMS": two rates of the same amount told apart by their units, when no other fee of
    that amount is charged per the same unit."""
    period = period_of_unit(fee.unit) if fee.recurrence == "per_unit" else None
    if period is None or not any(m.period == period for m in mentions):
        return False
    return not any(f is not fee and during_amount(campaign, f) == amount and period_of_unit(f.unit) == period
                   for f in campaign.fees)


def _words_that_tell_it_apart(campaign: Campaign, fee, amount: Decimal) -> set[str]:
    """The words of the fee's name that no other fee's name has, when another fee has the same amount (none
    otherwise: the amount alone then tells which fee it is)."""
    if not any(f is not fee and during_amount(campaign, f) == amount for f in campaign.fees):
        return set()
    return _name_words(fee.name) - {w for f in campaign.fees if f is not fee for w in _name_words(f.name)}


def _names_it(text: str, mentions: list[Money], words: set[str]) -> bool:
    """A mention's sentence names the fee by one of its own words."""
    # a compound name is named by its first part: "Oprettelsesgebyr" by "Oprettelse 99 kr.", "Bereitstellungspreis"
    # by "Bereitstellung"
    stems = {word[:max(6, len(word) // 2)] for word in words}
    for money in mentions:
        left, right = sentence_bounds(text, money.start, money.end)
        # or the heading line just above it: "365日本地數據年咭\n售價 HK$198（一次性）"
        above = text.rfind("\n", 0, max(0, text.rfind("\n", 0, left + 1)))
        if any(stem in text[left:right] or stem in text[above + 1:left] for stem in stems):
            return True
    return False


@check("FEE-001")
def fee_amount_not_stated(campaign: Campaign, params: dict):
    for fee in campaign.fees:
        amount = during_amount(campaign, fee)
        if amount is None or amount <= 0 or _stated_as(campaign, fee, amount):
            continue
        # a total that includes it tells the customer what they pay, as FEE-002 accepts: "$35/line without
        # AutoPay" states the $30 plan and its $5 surcharge; HK$238 states the HK$220 plan and its HK$18 admin fee
        if any(_stated_as(campaign, fee, amount, total) for total in totals_with(campaign, fee)):
            continue
        field = "promo_amount" if fee.promo_amount is not None and fee.applies != "after_term" else "amount"
        yield Hit(f"{fee.pointer}/{field}",
                  T("the fee `{name}` ({price}) is stated in no material customers see before signing up",
                    name=fee.name, price=_describe(fee, amount)))


def totals_with(campaign: Campaign, fee) -> set[Decimal]:
    """Totals a material may give instead of the fee itself: the fee plus other fees charged the same way (a
    monthly plan and its monthly admin fee, a SIM and its activation), each at its full or its promotional
    amount (the first five such fees)."""
    others = [f for f in campaign.fees if f is not fee and f.recurrence == fee.recurrence]
    totals = {own + rest for own in fee.amounts for rest in fee_sums(others, 5)} - set(fee.amounts)
    return {t for t in totals if t > 0}


@check("FEE-002")
def disclosure_without_amount(campaign: Campaign, params: dict):
    for fee in campaign.fees:
        amounts = {a for a in (fee.amount, fee.promo_amount) if a is not None and a > 0}
        if not amounts:
            continue
        for j, material_id in enumerate(fee.disclosed_in):
            material = campaign.material(material_id)
            if material is None:
                continue  # a dangling reference is reported by the engine (AUD-E004)
            if any(states_amount(material.norm, a, fee.currency) for a in amounts | totals_with(campaign, fee)):
                continue  # the amount itself, or a total that includes it (HK$220 + HK$18 admin fee = HK$238)
            yield Hit(f"{fee.pointer}/disclosed_in/{j}",
                      T("the fee `{name}` is said to be disclosed in `{material}`, but that {kind} never states "
                        "{amounts}", name=fee.name, material=material.id, kind=T(material.kind),
                        amounts=Join([fmt_amount(a, fee.currency) for a in sorted(amounts)], " or ")),
                      evidence=material.text[:160] + ("…" if len(material.text) > 160 else ""),
                      material=material.id)


@check("FEE-003")
def after_term_price_not_stated(campaign: Campaign, params: dict):
    if not campaign.has_term:
        yield from _full_price_of_an_open_promotion(campaign)
        return
    after = [(fee, amount) for fee in campaign.fees for amount in [after_amount(campaign, fee)]
             if amount is not None and amount > 0]
    if campaign.charges_after_term and not after_term_amounts(campaign):
        yield Hit("/end_of_term/behavior",
                  T("the offer ends in `{behavior}`, but no fee says what the customer pays after the term",
                    behavior=campaign.behavior))
    for fee, amount in after:
        if not any(_stated_anywhere(campaign, total, fee.currency) for total in price_or_totals(campaign, fee, amount)):
            yield Hit(f"{fee.pointer}/amount",
                      T("after the term the customer pays `{name}` at {price}, but no material seen before "
                        "sign-up states that price", name=fee.name, price=_describe(fee, amount)))


def _full_price_of_an_open_promotion(campaign: Campaign):
    """A promotional price with no term set ("推廣期內HK$38/日", the regular HK$68 nowhere): the full price is what
    follows the promotion, whenever it ends, and no material seen before sign-up tells the customer what it is."""
    for fee in campaign.fees:
        if fee.promo_amount is None or not fee.amount or fee.promo_amount >= fee.amount or fee.applies == "after_term":
            continue
        if not any(_stated_anywhere(campaign, total, fee.currency) for total in price_or_totals(campaign, fee, fee.amount)):
            yield Hit(f"{fee.pointer}/amount",
                      T("`{name}` is sold at a promotional price with no term set, and no material seen before "
                        "sign-up states its full price ({price})", name=fee.name, price=_describe(fee, fee.amount)))


_BILLING_WORDS = ("包月", "按次", "按条", "每条", "每次", "每月", "月租", "按月", "按量", "per message", "per text",
                  "per month", "monthly", "per use", "each", "a month", "per minute", "/次", "/条", "/月",
                  "per claim", "each claim", "per incident", "per repair",
                  # German, French, Spanish, Italian, Dutch, Polish, Portuguese
                  "pro monat", "monatlich", "pro nutzung", "je schadensfall", "pro schadensfall", "par mois", "mensuel",
                  "par utilisation", "par sinistre", "al mes", "mensual", "por uso", "por siniestro", "al mese",
                  "mensile", "per uso", "per sinistro", "a sinistro", "per maand", "per gebruik", "per schadegeval",
                  "miesięcznie", "za szkodę", "por mês", "mensal", "por sinistro")


@check("FEE-004")
def third_party_fee_incomplete(campaign: Campaign, params: dict):
    for fee in campaign.fees:
        if fee.charged_by != "third_party":
            continue
        amounts = [a for a in (fee.amount, fee.promo_amount) if a is not None and a > 0]
        if not amounts:
            continue
        missing = _third_party_gaps(campaign, fee, amounts)
        if missing:
            yield Hit(fee.pointer, T("the third-party fee `{name}` is charged without the materials stating {missing}",
                                     name=fee.name, missing=Join(missing)))


def _third_party_gaps(campaign: Campaign, fee: Fee, amounts: list[Decimal]) -> list[T]:
    """What the materials seen before sign-up leave out of a third-party charge: who charges it, how much,
    and how it is billed (said next to the amount, or anywhere in a material stating it)."""
    materials = campaign.pre_signup_materials
    provider = (fee.provider or "").strip()
    amount_mentions = [(m, money) for m in materials for a in amounts
                       if (money := states_amount(m.norm, a, fee.currency))]
    missing = []
    if not (provider and any(_contains(m.norm.text, provider) for m in materials)):
        missing.append(T("the provider ({provider})", provider=provider) if provider
                       else T("the provider (not named in the fee table)"))
    if not amount_mentions:
        missing.append(T("the amount ({amounts})",
                         amounts=Join([fmt_amount(a, fee.currency) for a in amounts], " or ")))
    elif not _billing_stated(amount_mentions):
        missing.append(T("how it is billed (per message, per use, monthly)"))
    return missing


def _billing_stated(amount_mentions: list[tuple[Material, Money]]) -> bool:
    return any(money.period is not None or any(w in m.norm.text for w in _BILLING_WORDS)
               for m, money in amount_mentions)


_COMPANY_WORDS = lazy(
    r"(股份有限公司|有限责任公司|有限公司|股份|公司|集团|科技|信息技术|信息|网络|技术|文化|传媒|通信"
    r"|\b(?:ltd|limited|inc|llc|plc|gmbh|ag|sa|bv|pty|co|corp|corporation|company|technologies|technology"
    r"|versicherung|insurance|services|group)\b\.?)")


_SPACES = lazy(r"\s+")


def _contains(text: str, needle: str) -> bool:
    """True when the provider's name, or its core without company words, appears in the text."""
    from auditor.text.normalize import norm

    name = norm(needle)
    if name in text:
        return True
    core = _COMPANY_WORDS.sub(" ", name).strip(" ,.")
    core = _SPACES.sub(" ", core)
    if len(core) >= 2 and core in text:
        return True
    # "Allsecure" for "Allsecure Versicherung AG": the distinctive first word is enough.
    first = core.split(" ")[0] if " " in core else ""
    return len(first) >= 4 and first in text


@check("FEE-005")
def stacked_fees_total_missing(campaign: Campaign, params: dict):
    per_use = [f for f in campaign.fees if f.recurrence == "per_use" and f.amount and f.amount > 0]
    if len(per_use) < 2:
        return
    currency = per_use[0].currency
    total = sum((during_amount(campaign, f) or f.amount for f in per_use), Decimal(0))
    if _stated_anywhere(campaign, total, currency):
        return
    parts = " + ".join(f"{f.name} {fmt_amount(during_amount(campaign, f) or f.amount)}" for f in per_use)
    yield Hit("/fees", T("each use costs {parts} = {total} in all, but no material states that total for one "
                         "complete use", parts=parts, total=fmt_amount(total, currency)))


@check("FEE-006")
def minimum_spend_not_stated(campaign: Campaign, params: dict):
    spend = campaign.minimum_spend
    amount = spend.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
        return
    if _stated_anywhere(campaign, Decimal(str(amount)), campaign.currency):
        return
    yield Hit("/minimum_spend/amount",
              T("a monthly minimum spend of {amount} applies (a shortfall is charged), but no material seen "
                "before sign-up states it", amount=fmt_amount(Decimal(str(amount)), campaign.currency)))


# "Installation ....... £0", "安装费：0元", "the gift card is free": a one-off item at no cost has no price after a
# free period
_ONE_OFF_ITEM_BEFORE = lazy(r"(?:installation|install|set-?up|activation|connection|delivery|sim card|sim|gift card|gift"
                            r"|voucher|安装|初装|开户|激活|调测|入网|礼品卡|礼券|赠品"
                            # the EU languages: "Aansluitkosten: €0", "Anschlusspreis 0 €", "frais de mise en service"
                            r"|aansluitkosten|aansluiting|activeringskosten|anschlusspreis|anschlussgebühr|bereitstellung\w*"
                            r"|einrichtung\w*|frais de mise en service|frais d'activation|frais de raccordement"
                            r"|cuota de alta|alta|instalación|costo di attivazione|attivazione|installazione"
                            r"|taxa de ativação|instalação|opłata aktywacyjna|aktywacja)(?:\s?(?:fee|charge|costs?|费))?"
                            # a table row: "| Set-up fee | £0 |"
                            r"(?:\s(?:is|are)\s)?\s?[.:：…|\s]*$")


def _says_the_offer_is_free(text: str, match) -> bool:
    """Not free said of the helpline, porting or usage messages, of a one-off item ("Aansluitkosten: €0"), or in
    an instruction to staff not to say it."""
    return not (said_of_a_service_around(text, match.start, match.end)
                or _ONE_OFF_ITEM_BEFORE.search(text, max(0, match.start - 40), match.start)
                or staff_told_not_to_say(text, (match.start, match.end)))


def _free_now(campaign: Campaign, later: list[tuple[Fee, Decimal]], text: str, matches) -> list[tuple[Fee, Decimal]]:
    """The later prices of the fees that cost nothing during the term and that a free word's sentence names by
    a word of their own ("Get StreamCo Premium FREE for 3 months" names the "StreamCo Premium add-on")."""
    sentences_said = [text[slice(*sentence_bounds(text, m.start, m.end))] for m in matches]
    others = {w for f, _ in later for w in _name_words(f.name) if during_amount(campaign, f) != 0}
    return [(fee, amount) for fee, amount in later if during_amount(campaign, fee) == 0
            and any(w in sentence for w in _name_words(fee.name) - others for sentence in sentences_said)]


def _states_a_later_price(campaign: Campaign, material, owed: list[tuple[Fee, Decimal]],
                          later: list[tuple[Fee, Decimal]]) -> bool:
    """The material gives the later price of what is free ("StreamCo FREE for 3 months when you join 80GB — $62/mth":
    the $62 plan is paid from the start; StreamCo's $14.99 is what the free months turn into), or what everything
    costs together afterwards."""
    if any(states_amount(material.norm, amount, fee.currency) for fee, amount in owed):
        return True
    total = sum((a for _, a in later), Decimal(0))
    return len(later) > 1 and states_amount(material.norm, total, campaign.currency) is not None


@check("FEE-007")
def free_claim_without_later_price(campaign: Campaign, params: dict):
    later = after_term_amounts(campaign)
    if not later and not campaign.charges_after_term:
        return
    # what advertising calls free (terms that call a gift card free describe it, they do not sell a free period)
    for material in (m for m in campaign.pre_signup_materials if m.is_promotional):
        text = material.norm.text
        # free said of the helpline, porting, usage messages says nothing of what the offer costs afterwards
        matches = [m for m in find(params["free_words"], material.norm) if _says_the_offer_is_free(text, m)]
        if not matches:
            continue
        owed = _free_now(campaign, later, text, matches) or later
        if _states_a_later_price(campaign, material, owed, later):
            continue
        price = Join([_describe(fee, amount) for fee, amount in owed]) if owed else T("not in the fee table")
        yield hit_in_text(material.pointer,
                          T("the {kind} `{material}` says the offer is free but not what it costs after the free "
                            "period ({price})", kind=T(material.kind), material=material.id, price=price),
                          material.norm, [(m.start, m.end) for m in matches[:3]], material.id)


# "Never describe the new plan as free", 禁止说免费: an instruction to staff, not a claim
_STAFF_TOLD_NOT_TO = lazy(r"(?<![a-z])(?:never|don't|do not|must not|mustn't|should not|shouldn't)\s(?:say|describe|call|tell"
                          r"|promise|claim|present|mention|refer to|use)(?![a-z])|不得(?:说|称|宣传|承诺|表述)|禁止(?:说|称|使用)"
                          r"|严禁|切勿|不要说|不能说|不可说")


def staff_told_not_to_say(text: str, span: tuple[int, int]) -> bool:
    """The words stand in an instruction to staff not to say them."""
    return bool(_STAFF_TOLD_NOT_TO.search(text, sentence_bounds(text, *span)[0], span[0]))


# A fee the customer may leave out is no part of the headline price (可选 = optional).
_OPTIONAL = lazy(r"可选|可選|选配|选购|自选|optional|add-on|if you choose|按需|opcional|optionnel|facoltativ|opzional"
                       r"|wahlweise|optioneel|opcjonaln|valfri|volitelný"
                       # charged only in some case: "if AutoPay is turned off", "in store (waived online)"
                       # "Option décodeur TV 4K", "Option TV": a fee named as an option
                       r"|(?<![a-z])(?:if|unless|option|only when|only for|waived|without autopay|without auto pay"
                       r"|without paperless|only where|where applicable|if applicable|premises only|where it applies"
                       # a price tier for another number of lines: "Per-line price with 2 lines"
                       r"|with \d+ lines|for \d+ lines|in[- ]store only|in shops? only|store only"
                       r"|uniquement si|seulement si|nur wenn|falls|si activée|si activé|si vous l'activez|wenn aktiviert"
                       # charged only at some addresses: "nbn New Development Charge (new estates only)"
                       r"|(?:estates?|developments?|properties|buildings?|areas?|sites?|locations?) only|only (?:in|at|where)"
                       r"|solo si|solo se|alleen als)(?![a-z])|如未|若未|仅限"
                       # a bill on paper is the customer's choice where bills are sent electronically
                       r"|paper bill|paper invoice|printed bill|bill by post|postal bill|纸质账单|纸质帐单|纸本账单|纸本帐单"
                       r"|papierrechnung|facture papier|factura (?:en )?papel|bolletta cartacea|papieren (?:factuur|rekening)"
                       r"|fatura em papel|faktura papierowa|pappersfaktura")


# A fee charged only to a customer who leaves early or breaks a rule (an exit or cancellation charge, a
# penalty, a late-payment fee) is not part of what everyone pays for the offer.
# A refundable security deposit (押金, 保证金) comes back: no price either.
_CONTINGENT = lazy(r"terminat|cancel|exit|penalt|late payment|not returned|unreturned|non-return|non return|damage|lost or|replacement"
                         r"|refundable|security deposit|押金|保证金|caution remboursable|kaution"
                         r"|non-restitution|non restitution|non restitu|non rendu|non retourn|não devolvid|no devuelt|mancata restituzione|nicht zurück"
                         r"|niet geretourneerd|niet teruggestuurd|ej retur|ikke returner|nie zwrócon"
                         r"|违约|違約|解约|解約|终止|終止|退租|罚|罰|滞纳|滯納|未归还|未歸還|未退还|未退還|未交还|未交還|未交回"
                         r"|未退回|损毁|損毀|赔偿|賠償|遗失|遺失"
                         r"|kündigung|résiliation|rescisi|cancelaci|recesso|disdett|opzeg|beëindig")


# A monthly price for a line beyond those the offer includes, which the customer may add ("Additional VoIP line",
# "extra SIM", 副卡): how many lines to take is the customer's choice. Not one counted into the offer ("£20 for
# each of 3 additional SIMs" is what the four-SIM offer costs).
_LINE_THE_CUSTOMER_MAY_ADD = lazy(r"(?<![\d一二三四五六七八九十] )(?<!three )(?<!two )(?<!four )(?:additional|extra)"
                                  r" (?:[a-z]+ )?(?:lines?|sims?|users?|members?)(?![a-z])|副卡"
                                  # ligne supplémentaire, línea adicional, linea aggiuntiva, zusätzliche Karte
                                  r"|lignes? supplémentaires?|líneas? adicional(?:es)?|line[ae] aggiuntiv[ae]"
                                  r"|zusätzliche (?:karte|sim|leitung)|extra (?:lijn|simkaart)")


# A charge per line, SIM or device is paid for every line the customer takes: part of the offer's price.
_PER_SUBSCRIPTION = lazy(r"(?:new |additional |each |per )?(?:line|sim|sim card|device|connection|user|member|handset"
                         r"|phone|account)s?|线|線|门号|門號|号码|號碼|卡|户|戶|ligne|linea|línea|leitung|anschluss")


def optional_by_name(fee: Fee) -> bool:
    """The fee's name says the customer may leave it out or pays it only in some case ("Option TV (si activée par
    le client)", "optional", 可选)."""
    return bool(_OPTIONAL.search(fee.name.lower()))


# "l'option Ciné+", "Option TV": an option named in a fee's name
_NAMED_OPTION = lazy(r"(?<![a-z])option\s+(?:de\s+|d'|l')?([^\s,()]+)")


def _without_the_offered_option(campaign: Campaign, name: str) -> str:
    """The fee's name without the option it names when the campaign is that option's offer ("Frais de mise en
    service de l'option Ciné+" in the campaign "Option Ciné+ – 3 mois offerts"): everyone who takes the offer
    pays it, so the word "option" there marks nothing optional. Any other mark of an option stays."""
    title = norm(str(campaign.doc.get("name") or ""))
    for match in _NAMED_OPTION.finditer(name):
        if len(match.group(1)) > 2 and f"option {match.group(1)}" in title:
            name = name[:match.start()] + name[match.end():]
    return name


def is_mandatory(campaign: Campaign, fee: Fee) -> bool:
    """Charged to everyone who takes the offer: a monthly or one-off fee during the term, not an option, not a
    charge for leaving (the fee-table row that repeats the early-termination fee) and not a penalty."""
    if fee.applies == "after_term":
        return False
    if fee.recurrence == "per_unit" and not _PER_SUBSCRIPTION.fullmatch((fee.unit or "").strip().lower()):
        return False  # per MB, per minute: what the customer uses, not what the offer costs
    if fee.recurrence not in ("monthly", "one_time", "per_unit"):
        return False
    name = _without_the_offered_option(campaign, fee.name.lower())
    if _OPTIONAL.search(name) or _CONTINGENT.search(name):
        return False
    if fee.recurrence == "monthly" and _LINE_THE_CUSTOMER_MAY_ADD.search(name):
        return False
    return not (fee.recurrence == "one_time" and fee.amount in campaign.exit_charges.values())


# "A$10 off", "€5 de descuento", "£5 less": the amount taken off a price
_OFF_AFTER = lazy(r"\s?(?:off|discount|rebate|less|de descuento|de réduction|de remise|rabatt|korting|di sconto"
                  r"|de desconto)(?![a-zà-ÿ])")


# A table column of amounts paid to the customer: a trade-in grid's values and bonuses ("Valeur de reprise",
# "Total versé", 回收價, "Trade-in value")
_PAID_TO_CUSTOMER = lazy(r"(?<![a-zà-ÿ])(?:trade-?in|reprise|vers[ée]s?|paid to you|we pay|you get|you receive"
                         r"|inzahlungnahme|ankauf|inruil|permuta|recompra|rachat)(?![a-zà-ÿ])|回收|折抵|补贴|返还|返现")


def _is_benefit(money, material, params: dict) -> bool:
    """`save £4/month`, `送10元`, `A$10 off`, a cell under "Trade-in value": a benefit, not a price."""
    if _OFF_AFTER.match(material.norm.text, money.end):
        return True
    header = column_header(material.norm.text, money.start)
    if header and (_PAID_TO_CUSTOMER.search(header) or params["benefit_words"].find(normalize(header))):
        return True
    return any(0 <= money.start - b.end <= 6 for b in params["benefit_words"].find(material.norm))


def _headline(campaign: Campaign, material, with_spoken: bool = False) -> list[tuple[Fee, Decimal, Money]]:
    """The campaign's prices that a material advertises: (fee, amount, money mention); `with_spoken`, also those
    it says in words without a currency, which state a fee but advertise none (see `advertises_amount`)."""
    mentions = find_money(material.norm) if with_spoken else written_money(material.norm)
    out: list[tuple[Fee, Decimal, Money]] = []
    for fee in campaign.fees:
        amount = during_amount(campaign, fee)
        if amount is None:
            continue
        # a one-off £60 connection charge is not stated by "£60/month", the plan's price that happens to match
        # (the schema has no yearly recurrence: a charge "billed every 12 months" is one_time, stated "a year")
        periods = _HEADLINE_PERIODS_FOR.get(fee.recurrence)
        money = next((m for m in mentions if m.matches(amount, fee.currency)
                      and (periods is None or m.period in periods)), None)
        if money is not None:
            out.append((fee, amount, money))
    return out


def _mandatory_prices(campaign: Campaign) -> list[tuple[Fee, Decimal]]:
    return [(fee, amount) for fee in campaign.fees if is_mandatory(campaign, fee)
            for amount in [during_amount(campaign, fee)] if amount and amount > 0]


def _advertised_fees(campaign: Campaign, material, headline, mandatory) -> set[str]:
    """Fees whose price the material states, counting a stated total of the monthly parts (airtime + device)."""
    advertised = {fee.id for fee, _, _ in headline}
    monthly_fees = [(f, a) for f, a in mandatory if f.recurrence == "monthly"]
    if _states_the_monthly_total(campaign, material, mandatory, monthly_fees):
        advertised |= {f.id for f, _ in monthly_fees}
    for fee, amount in mandatory:
        # "$10 off your $55 mobile plan": the full price and the discount give the price paid; "Ensuite ce sera 20
        # euros par mois": the fee at its full price is not left out of a material that gives it
        if fee.amount and amount != fee.amount and states_amount(material.norm, fee.amount, fee.currency) \
                or _said_to_leave_out(material.norm.text, fee):
            advertised.add(fee.id)
    return advertised


def _states_the_monthly_total(campaign: Campaign, material, mandatory, monthly_fees) -> bool:
    """The material gives what the monthly fees come to together: their sum (airtime + device), that sum with the
    lines the customer may add ("main line + extra line: €30 a month"), or a total of several lines."""
    if not monthly_fees:
        return False
    monthly = sum((a for _, a in monthly_fees), Decimal(0))
    if len(mandatory) > 1 and states_amount(material.norm, monthly, campaign.currency):
        return True
    added = sum((a for f in campaign.fees if f.recurrence == "monthly" and _LINE_THE_CUSTOMER_MAY_ADD.search(f.name.lower())
                 for a in [during_amount(campaign, f)] if a), Decimal(0))
    if added and states_amount(material.norm, monthly + added, campaign.currency):
        return True
    return _states_a_total_of_lines(material, monthly_fees, campaign.currency)


# A count of lines the material names: "4 líneas", "3 phones + 1 tablet", "four lines"
_COUNT = lazy(r"(?<![\d.,$€£])(?:[1-9]|10)(?![\d.,%])|(?<![a-z])(?:one|two|three|four|five|six)(?![a-z])")
_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _states_a_total_of_lines(material, monthly: list[tuple[Fee, Decimal]], currency: str | None) -> bool:
    """The material gives the monthly total of several lines at a per-line price ("4 líneas por 60 €/mes" for
    15 € a line; "3 phones + 1 tablet, $100 a month" for $30 a phone line and $10 a tablet line), with each
    count it multiplies by named in the text."""
    text = material.norm.text
    counts = {_COUNT_WORDS.get(m.group(), 0) or int(m.group()) for m in _COUNT.finditer(text)}
    if len(monthly) > 3 or not any(k >= 2 for k in counts):
        return False
    totals = {Decimal(0)}
    for _fee, amount in monthly:
        totals = {total + k * amount for total in totals for k in counts | {1}}
    stated = {money.amount for money in find_money(material.norm)}
    multiples = {total for total in totals if total not in {a for _, a in monthly}}
    return bool(stated & multiples)


_EXCLUDING = lazy(r"(?<![a-z])(?:excluding|excludes|excl\.|not including|without (?:the|a|any)?|not included"
                  r"|ohne|hors|sin|senza|exclusief)(?![a-z])|不含|不包括|不计|未含")


_DEVICE_FEE = lazy(r"handset|device|phone|手机|手機|机款|終端|终端|gerät|appareil|terminal")


def _said_to_leave_out(text: str, fee) -> bool:
    """A SIM-only price said to exclude the handset ("excluding handset", 不含手机款): the device's instalment
    is not in that price by design (a price said to exclude a fee every customer pays is still drip pricing)."""
    if not _DEVICE_FEE.search(fee.name.lower()):
        return False
    stems = {word[:max(5, len(word) // 2)] for word in _name_words(fee.name)}
    return any(any(stem in text[m.end():m.end() + 30] or stem in text[max(0, m.start() - 30):m.start()]
                   for stem in stems) for m in _EXCLUDING.finditer(text))


# A tax or fee a government imposes on the sale ("California 911 and state regulatory surcharges (variable,
# pass-through)", "Federal Universal Service Fee"): US advertised prices may leave it out, Cal. Civ. Code
# 1770(a)(29)(A)(i) in terms (SB 478 requires every other mandatory fee in the price)
_GOVERNMENT_LEVY = lazy(r"(?<![a-z])(?:tax|taxes|e?911|government|governmental|universal service|usf|pass-through"
                        r"|impuestos?)(?![a-z])")
_TAXES_APART = ("US", "US-CA")
# A fee priced by example ("Device installment (example Galaxy S26 Ultra $999.99 / 24)"): what the customer pays
# depends on a choice the advert leaves open, so no one amount belongs beside its headline
_BY_EXAMPLE = lazy(r"(?<![a-z])(?:example|e\.g\.|for instance|z\.\s?b\.|p\. ?ex\.|por ejemplo|ad esempio|bijvoorbeeld"
                   r"|zum beispiel|par exemple|por exemplo)(?![a-z])|例如|举例|舉例|示例|範例|范例")


# A fee whose name says it is charged once the contract is over ("合約期滿後按月月費", "out-of-contract price"):
# what the customer pays after the headline's period, not a part of the headline price
_AFTER_THE_CONTRACT = lazy(r"期满后|合约期满|到期后|约满后|(?<![a-z])(?:after (?:the )?(?:contract|minimum term|commitment)"
                           r"|out[- ]of[- ]contract|post-?contract)(?![a-z])")


def _left_out_by_design(campaign: Campaign, fee: Fee) -> bool:
    name = fee.name.lower()
    return bool(_BY_EXAMPLE.search(name)) or (campaign.jurisdiction in _TAXES_APART
                                              and bool(_GOVERNMENT_LEVY.search(name))) or bool(
        _AFTER_THE_CONTRACT.search(norm(fee.name)))


@check("FEE-008")
def headline_price_omits_mandatory_fee(campaign: Campaign, params: dict):
    mandatory = [(fee, amount) for fee, amount in _mandatory_prices(campaign) if not _left_out_by_design(campaign, fee)]
    if not mandatory:
        return
    for material in (m for m in campaign.pre_signup_materials if m.is_promotional):
        left_out, spans = _left_out_of_price(campaign, material, params, mandatory)
        if not left_out:
            continue
        fees = Join([T("{name} ({price})", name=f.name, price=_describe(f, a)) for f, a in left_out])
        yield hit_in_text(material.pointer,
                          T("the {kind} `{material}` advertises a price but leaves out the mandatory {fees}; state "
                            "every fee the customer must pay (or the total) next to the headline price",
                            kind=T(material.kind), material=material.id, fees=fees),
                          material.norm, spans, material.id)


_RISE_BEFORE = lazy(r"(?<![a-z])(?:(?:goes|go|going|will go|is going) up by|rises? by|rising by|increases? by|increasing by"
                    r"|(?:an? )?(?:increase|rise) of|steigt um|erhöht sich um|augmente de|aumenta de|sube|aumenta en"
                    r"|stijgt met)\s?$|(?:上涨|上调|调高|增加|涨)\s?$")


def _a_rise(text: str, money: Money) -> bool:
    return bool(_RISE_BEFORE.search(text, max(0, money.start - 24), money.start))


def _of_the_markets_stated(mandatory: list[tuple[Fee, Decimal]], prices: list[Money]) -> list[tuple[Fee, Decimal]]:
    """One campaign sold in several markets, each with its own currency (9 PLN in Poland, 49 Kč in Czechia): a
    material priced in some of them leaves out nothing of the others."""
    stated_in = {currency for money in prices for currency in money.currencies}
    if not stated_in or len({fee.currency for fee, _ in mandatory}) < 2:
        return mandatory
    return [(fee, amount) for fee, amount in mandatory if fee.currency in stated_in]


def _left_out_of_price(campaign: Campaign, material, params: dict, mandatory: list[tuple[Fee, Decimal]]
                       ) -> tuple[list[tuple[Fee, Decimal]], list[tuple[int, int]]]:
    """(the mandatory fees a material's advertised price leaves out, where that price is stated); none when the
    material advertises no price, since no price can then be incomplete."""
    headline = _headline(campaign, material)
    text = material.norm.text
    # "Airtime goes up by two pounds each April": a rise states the rise's fee, but is no price the material
    # advertises (a script that says its prices in words advertises none that can be read)
    prices = [m for m in written_money(material.norm) if not _is_benefit(m, material, params) and not _a_rise(text, m)]
    if not prices and not any(not _a_rise(text, money) for _, _, money in headline):
        return [], []
    if _only_a_one_off_charge(headline, prices, mandatory):
        return [], []
    mandatory = _of_the_markets_stated(mandatory, prices)
    # a fee said in words ("seventy-five a month with AutoPay") is not left out, though it advertises nothing
    advertised = _advertised_fees(campaign, material, _headline(campaign, material, with_spoken=True), mandatory)
    left_out = [(fee, amount) for fee, amount in mandatory if fee.id not in advertised]
    spans = [(money.start, money.end) for money in ([m for _, _, m in headline] or prices)[:3]]
    return left_out, spans


def _only_a_one_off_charge(headline: list[tuple[Fee, Decimal, Money]], prices: list[Money],
                           mandatory: list[tuple[Fee, Decimal]]) -> bool:
    """A trade-in grid that mentions "(SIM card €10)", a store card giving the activation fee: every price the
    material states is a one-off charge of the campaign, while what the customer pays for the service is a
    monthly price it does not give. It states a charge, but advertises no price of the offer to leave a fee out
    of (a material giving the monthly price, or any other price, is read as usual)."""
    # not a price of nothing nor a device's price: "$0 upfront" and "the phone for £49 upfront" are headlines
    # (ACCC v Telstra), which the monthly charges must stand beside
    one_off = {(m.start, m.end) for fee, amount, m in headline if fee.recurrence == "one_time" and amount > 0
               and not device_named(norm(fee.name))}
    return (bool(one_off) and all((m.start, m.end) in one_off for m in prices)
            and any(fee.recurrence == "monthly" for fee, _ in mandatory))


def _states_duration(campaign: Campaign, material) -> bool:
    from auditor.text.dates import find_dates, find_durations

    if find_dates(material.norm, campaign.date_order):
        return True
    wanted = campaign.term_months
    for duration in find_durations(material.norm):
        if wanted is None or abs(duration.in_months() - wanted) < 0.5 or duration.unit in ("days", "weeks"):
            return True
    return False


def price_or_totals(campaign: Campaign, fee: Fee, amount: Decimal) -> list[Decimal]:
    """A later price as a material may give it: alone, or as the monthly total it is part of ("then €59.98 a
    month" for the €49.99 plan and its €9.99 TV option)."""
    return [amount] + sorted(amount + other for other in _other_monthly_sums(campaign, fee))


def _other_monthly_sums(campaign: Campaign, fee: Fee) -> set[Decimal]:
    """What the other monthly fees add up to at their full amounts (the first five), for a stated total."""
    others = [f for f in campaign.fees if f is not fee and f.recurrence == fee.recurrence == "monthly"
              and f.applies != "during_term" and f.amount]
    return {total for total in _full_sums(others, 5) if total > 0}


def _full_sums(fees: list[Fee], limit: int) -> set[Decimal]:
    """Every sum of the full amounts of some of the first `limit` fees."""
    sums = {Decimal(0)}
    for fee in fees[:limit]:
        if fee.amount is not None:
            sums |= {s + fee.amount for s in sums}
    return sums


def _promo_gaps(campaign: Campaign, material: Material, fee: Fee, params: dict) -> list:
    """What a material giving `fee`'s promotional price leaves out: how long it lasts, the full price."""
    missing = []
    if not _states_duration(campaign, material):
        missing.append(T("how long it lasts"))
    elif not params.get("price_after_the_contract", True) and _lasts_the_whole_contract(campaign):
        # a price that runs for the whole minimum period is the contract's price; what follows the contract is
        # for the end-of-contract notice (Ofcom GC C1), not the advert
        return missing
    # the full price alone, or the full monthly total it is part of ("then €59.98 a month" for the €49.99 plan
    # and its €9.99 TV option)
    full = {fee.amount} | {fee.amount + other for other in _other_monthly_sums(campaign, fee) if fee.amount}
    if not any(states_amount(material.norm, amount, fee.currency) for amount in full):
        missing.append(T("the full price ({price})", price=_describe(fee, fee.amount or Decimal(0))))
    return missing


def _lasts_the_whole_contract(campaign: Campaign) -> bool:
    months = campaign.commitment_months
    return bool(months and campaign.term_months and campaign.term_months >= months)


@check("FEE-009")
def promo_price_without_duration_or_full_price(campaign: Campaign, params: dict):
    # with or without an offer term: a promotional price below the full one is a promotion either way, and one
    # that runs "during the promotion" with no term set says even less about how long it lasts
    promos = [f for f in campaign.fees
              if f.promo_amount is not None and f.amount and f.promo_amount < f.amount and f.applies != "after_term"]
    for material in campaign.pre_signup_materials:
        if not material.is_promotional:
            continue
        for fee in promos:
            money = advertises_amount(material.norm, fee.promo_amount, fee.currency) if fee.promo_amount else None
            if money is None:
                continue
            missing = _promo_gaps(campaign, material, fee, params)
            if missing:
                yield hit_in_text(material.pointer,
                                  T("the {kind} `{material}` gives the promotional price of `{name}` without {what}",
                                    kind=T(material.kind), material=material.id, name=fee.name,
                                    what=Join(missing, " and ")),
                                  material.norm, [(money.start, money.end)], material.id)
