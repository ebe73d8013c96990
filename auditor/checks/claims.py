"""Claims: absolute terms, unqualified "unlimited", "no hidden fees", "free" where the customer pays,
"no lock-in" where a minimum period or exit fee binds, and unsubstantiated superlatives."""

from __future__ import annotations

import re
from decimal import Decimal

from auditor.campaign import Campaign
from auditor.checks._util import find, fmt_amount, hit_in_text, sentence_bounds, sentences, states_amount
from auditor.checks.consent import plan_change_prices
from auditor.checks.consistency import name_without_note, prices_of_the_offer
from auditor.checks.fees import after_amount, during_amount, is_mandatory, optional_by_name, staff_told_not_to_say
from auditor.checks.terms import CONTRACT_KINDS
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.context import (
    about_after_the_end,
    fixed_line_claim,
    in_name_or_citation,
    negated_in_chinese,
    no_expiry_claims,
    no_lock_in_claims,
    says_no_limit,
    states_a_cap,
    states_a_figure,
    states_a_limit,
    substantiated,
    superlative_claims,
    unlimited_claims,
)
from auditor.text.dates import find_dates, find_durations
from auditor.text.equipment import device_named, equipment_kinds, free_items, recovered_items
from auditor.text.lazy import lazy
from auditor.text.money import find_money
from auditor.text.normalize import normalize
from auditor.text.price_change import no_increase_claims, stated_increments
from auditor.text.price_lock import price_change_clauses, price_lock_claims
from auditor.text.services import CLAUSE_END, said_of_a_service_around
from auditor.text.tables import other_cells


def _claims(material, matches):
    """Matches that claim something: not part of a name or a quoted title, not a stated cap or floor."""
    text = material.norm.text
    return [m for m in matches
            if not in_name_or_citation(text, m.start, m.end) and not states_a_figure(text, m.start, m.end)]


# SAMR's 2023 enforcement guideline on absolute terms: a term that compares the advertiser with itself
# (本店最…, 我们最…), or states a truthful fact qualified by time and source (截至2026年6月…数据来源：…), is not an
# art 9(3) breach.
_SELF = lazy(r"(本店|本公司|本品牌|本网站|本产品|本系列|我们|我司|我店|自家|旗下)的?"
                   r"((所有|全部)?(套餐|产品|流量包|资费|业务|方案)中)?的?$")
# "畅联移动目前在售5G套餐中月费最低的一档": the advertiser's own range named a little before the term, with what is
# compared (月费) in between
_OWN_RANGE = lazy(r"(?:在售|在网|现有|旗下|本公司|本店|我们|我司|自家)[^，。！？,.!?]{0,14}?(?:套餐|产品|流量包|资费|业务|方案|档位)"
                  r"(?:中|里|之中|当中)[^，。！？,.!?]{0,6}$"
                  # "本公司目前提供的最高宽带速率档": the highest of what the advertiser itself offers
                  r"|(?:本店|本公司|本品牌|我们|我司|自家|旗下)[^，。！？,.!?]{0,6}?(?:提供|推出|在售|销售|开通)的?\s?$")
_WHEN = lazy(r"(截至|截止|截至到)|\d{4}\s*年")
_SOURCE = lazy(r"据|数据来源|来源[:：]|统计|检测|测评|认证|报告|公布")


def _excluded(text: str, start: int, sentence: tuple[int, int]) -> bool:
    """The absolute term at `start` is a self-comparison or part of a time- and source-qualified fact."""
    if _SELF.search(text[sentence[0]:start]) or _OWN_RANGE.search(text[sentence[0]:start]):
        return True
    clause = text[sentence[0]:sentence[1]]
    return bool(_WHEN.search(clause) and _SOURCE.search(clause))


def _samr_exclusions(material, matches):
    if not matches:
        return matches
    text = material.norm.text
    spans = sentences(material.norm)
    return [m for m in matches
            if not _excluded(text, m.start, next((sp for sp in spans if sp[0] <= m.start < sp[1]), (0, len(text))))]


@check("CLM-001")
def absolute_claim(campaign: Campaign, params: dict):
    for material in campaign.pre_signup_materials:
        matches = [m for m in _claims(material, find(params["absolute_terms"], material.norm))
                   if not negated_in_chinese(material.norm.text, m.start)]
        if params.get("samr_exclusions", True):
            matches = _samr_exclusions(material, matches)
        if matches:
            words = ", ".join(dict.fromkeys(material.norm.original[slice(*material.norm.span(m.start, m.end))]
                                            for m in matches))
            yield hit_in_text(material.pointer, T("the {kind} `{material}` uses absolute terms ({words})",
                                                  kind=T(material.kind), material=material.id, words=words),
                              material.norm, [(m.start, m.end) for m in matches[:4]], material.id)


def _has_a_limit(campaign: Campaign, params: dict, of_fixed_line: bool = False) -> bool:
    """Some text of the campaign states a fair-use limit or a speed cut: the offer summary, any material
    (a staff-only one too) or a notification. The format has no field for the limit; this is where it shows."""
    texts = [normalize(campaign.offer.get("summary") or "")] if isinstance(campaign.offer.get("summary"), str) else []
    texts += [m.norm for m in campaign.materials] + [n.norm for n in campaign.notifications if n.text]
    # the lexicon's fair-use words also hold policies that set no cap ("acceptable use policy"): a limit here is
    # one the construction reads (a fair-use allowance, a speed cut, a threshold)
    return any(states_a_cap(t.text, of_fixed_line) for t in texts)


def _unlimited_in(material, params: dict) -> tuple:
    """(material, its unlimited-lexicon matches, the spans where it claims unlimited use)."""
    matches = find(params["unlimited"], material.norm)
    claims = sorted({(m.start, m.end) for m in matches if m.key == "unlimited"} | set(unlimited_claims(material.norm.text)))
    return material, matches, claims


def _all_about_a_fixed_line(claimed: list) -> bool:
    """Every unlimited claim of the campaign is about a fixed line ("Unlimited NBN data")."""
    return all(fixed_line_claim(material.norm.text, *span) for material, _, claims in claimed for span in claims)


def _a_fixed_line_offer(campaign: Campaign) -> bool:
    """The offer sells a fixed line and no mobile service ("50Mb fibre broadband for £15.00 a month"): its
    "unlimited usage" is the line's."""
    summary = campaign.offer.get("summary")
    if not isinstance(summary, str):
        return False
    text = normalize(summary).text
    return bool(_FIXED_LINE_OFFER.search(text)) and not _MOBILE_OFFER.search(text)


_FIXED_LINE_OFFER = lazy(r"broadband|fibre|fiber|(?<![a-z])nbn(?![a-z])|home internet|landline|宽带|光纤|光纖|寬頻")
_MOBILE_OFFER = lazy(r"mobile|(?<![a-z])(?:sim|esim|5g|4g|phone|handset|data plan|airtime|roaming)(?![a-z])|手机|移动|流量")


def _truthfully_unlimited(campaign: Campaign, fixed_line: bool) -> bool:
    """With no cap shown anywhere: "no caps or shaping" said of the offer, or an unlimited fixed line ("unlimited
    home internet data" is how NBN and fibre plans are sold; a mobile allowance nearly always has a fair-use
    limit)."""
    return fixed_line or any(says_no_limit(m.norm.text) for m in campaign.customer_materials)


@check("CLM-002")
def unlimited_without_limit(campaign: Campaign, params: dict):
    claimed = [found for material in campaign.pre_signup_materials
               for found in [_unlimited_in(material, params)] if found[2]]
    if not claimed:
        return  # the campaign-wide reading below is done only for a campaign that claims unlimited use
    # "no caps or shaping" said of an offer whose texts state no limit anywhere is a truthful unlimited claim;
    # where the summary, the terms or a staff note shows a limit, every unlimited claim must carry it
    fixed_line = _all_about_a_fixed_line(claimed) or _a_fixed_line_offer(campaign)
    has_a_limit = _has_a_limit(campaign, params, fixed_line)
    if not has_a_limit and _truthfully_unlimited(campaign, fixed_line):
        return
    for material, matches, claims in claimed:
        text = material.norm.text
        # "no data cap", "no excess charges" qualify a claim only while nothing in the campaign shows a cap
        qualifiers = [m for m in matches if m.key == "fair use"
                      and not (has_a_limit and says_no_limit(text[max(0, m.start - 3):m.end]))]
        if not qualifiers and not states_a_limit(text):
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` promises unlimited use without stating its fair-use limit",
                                kind=T(material.kind), material=material.id), material.norm, claims[:3], material.id)


def _unstated_fees(campaign: Campaign) -> list[str]:
    unstated = []
    for fee in campaign.fees:
        for amount in {during_amount(campaign, fee), after_amount(campaign, fee)}:
            if amount is None or amount <= 0:
                continue
            if not any(states_amount(m.norm, amount, fee.currency) for m in campaign.pre_signup_materials):
                unstated.append(f"{fee.name} {fmt_amount(amount, fee.currency)}")
    return unstated


@check("CLM-003")
def no_hidden_fees_claim(campaign: Campaign, params: dict):
    unstated = _unstated_fees(campaign)
    if not unstated:
        return
    for material in campaign.pre_signup_materials:
        matches = find(params["no_hidden_fees"], material.norm)
        if matches:
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` claims there are no hidden or extra fees, but these charges "
                                "are stated nowhere: {charges}", kind=T(material.kind), material=material.id,
                                charges=", ".join(unstated)),
                              material.norm, [(m.start, m.end) for m in matches[:2]], material.id)


def _what_free_must_not_hide(campaign: Campaign) -> list[tuple]:
    """What everyone pays to have the offer (the plan, the bundle, a set-up fee); a rate per MB or per call is
    the price of using it beyond the offer and belongs in the price list (unless it is all there is)."""
    # a charge only some customers pay (for leaving, for equipment not returned, an option) is not what
    # "free" hides from everyone
    charged = [(fee, amount) for fee in campaign.fees for amount in [during_amount(campaign, fee)]
               if amount is not None and amount > 0 and (fee.recurrence not in ("monthly", "one_time")
                                                          or is_mandatory(campaign, fee))]
    fixed = [(fee, amount) for fee, amount in charged if fee.recurrence in ("monthly", "one_time")]
    return fixed or charged


@check("CLM-004")
def free_claim_with_charges(campaign: Campaign, params: dict):
    charged = _what_free_must_not_hide(campaign)
    if not charged:
        return
    upfront = _upfront_charges(campaign) if params.get("upfront_charge_is_not_free") else []
    # what advertising calls free: a key-facts table saying the SIM is "supplied at no charge" makes no offer
    for material in (m for m in campaign.pre_signup_materials if m.is_promotional):
        text = material.norm.text
        # "we'll port your numbers for free": moving the number over is a step of switching, not a gift that the
        # offer's set-up or monthly charges pay for
        matches = [m for m in find(params["free_words"], material.norm) if not said_of_a_service_around(text, m.start, m.end)
                   and not _said_of_porting(text, m.start, m.end) and not _a_schedule_cell(text, m.start)]
        if matches:
            hit = _free_claim_hit(campaign, material, matches, charged, upfront, params)
            if hit is not None:
                yield hit


def _a_schedule_cell(text: str, start: int) -> bool:
    """A table cell in a row that prices the same item in its other cells ("| Lumen 12 device plan | £27.50 |
    £27.50 | £0 – it's yours |"): a price of nothing there is the item's price at another time (the phone paid
    off), not an offer of something free."""
    return any(any(m.amount > 0 for m in find_money(normalize(cell))) for cell in other_cells(text, start, 4))


def _free_claim_hit(campaign: Campaign, material, matches, charged: list[tuple], upfront: list[tuple],
                    params: dict) -> Hit | None:
    # what advertising calls free (a price table in the terms saying "£0" for an exit fee describes no gift)
    paid_for = _charges_for_what_is_free(material, matches, upfront) if material.is_promotional else []
    if paid_for:
        return _free_but_paid_upfront(material, matches, paid_for)
    recovered = (_free_but_recovered(campaign, material, matches)
                 if material.is_promotional and params.get("recovered_cost_is_not_free") else None)
    if recovered:
        return recovered
    if all(states_amount(material.norm, amount, fee.currency) for fee, amount in charged):
        return None
    if _only_the_sim_is_free(campaign, material, matches, charged):
        return None
    costs = ", ".join(f"{fee.name} {fmt_amount(amount, fee.currency)}" for fee, amount in charged)
    return hit_in_text(material.pointer,
                       T("the {kind} `{material}` calls something free while the customer pays ({costs}) and "
                         "does not say so", kind=T(material.kind), material=material.id, costs=costs),
                       material.norm, [(m.start, m.end) for m in matches[:3]], material.id)


def _recovered_equipment(campaign: Campaign) -> set[str]:
    """Equipment whose cost the campaign charges to a customer who leaves: read in the fee names, the offer
    summary and every material (the terms say it as often as the fee table does)."""
    summary = campaign.offer.get("summary")
    texts = [normalize(fee.name).text for fee in campaign.fees if fee.name]
    texts += [normalize(summary).text] if isinstance(summary, str) else []
    texts += [m.norm.text for m in campaign.materials]
    return {kind for text in texts for kind in recovered_items(text)}


def _free_but_recovered(campaign: Campaign, material, matches) -> Hit | None:
    """The TCP Code's test: equipment called free whose cost is recovered from customers who leave."""
    said = free_items(material.norm.text, [(m.start, m.end) for m in matches])
    if not said:
        return None
    recovered = _recovered_equipment(campaign)
    spans = [span for kind, span in said if kind in recovered]
    if not spans:
        return None
    return hit_in_text(material.pointer,
                       T("the {kind} `{material}` calls the {item} free, but its cost is recovered from customers "
                         "who leave early; what is paid for over the contract may not be called free",
                         kind=T(material.kind), material=material.id,
                         item=next(kind for kind, span in said if span == spans[0])),
                       material.norm, spans[:3], material.id)


def _only_the_sim_is_free(campaign: Campaign, material, matches, charged: list[tuple]) -> bool:
    """"Free SIM, free delivery" on pay-as-you-go: every free word is said of the SIM card, nothing charged pays
    for it and nothing must be bought to get it (with a plan to sign up to, CAP 3.24 wants that commitment said)."""
    spans = [(m.start, m.end) for m in matches]
    said = free_items(material.norm.text, spans)
    return bool(said) and len(said) == len(spans) and {kind for kind, _ in said} == {"sim"} and not any(
        "sim" in equipment_kinds(normalize(fee.name).text) or is_mandatory(campaign, fee) for fee, _ in charged)


def _charges_for_what_is_free(material, matches, upfront: list[tuple]) -> list[tuple]:
    """The upfront charges that pay for what the material calls free: a charge for a piece of equipment ("TV box
    one-off fee") only where that equipment is what is called free, not beside "free installation"."""
    text = material.norm.text
    said = {kind for kind, _span in free_items(text, [(m.start, m.end) for m in matches])}
    installation_free = any(_INSTALLATION.search(text, max(0, m.start - 24), m.end + 24) for m in matches)
    out = []
    for fee, amount in upfront:
        name = normalize(fee.name).text
        kinds = equipment_kinds(name)
        if kinds and not kinds & said:
            continue  # a charge for equipment that is not what is called free
        if not kinds and said and said <= _ACCESSORIES:
            continue  # "FREE Galaxy Buds3 with this plan" beside the phone's "Upfront cost": not the earbuds' price
        if installation_free and not said and not _INSTALLATION.search(name):
            continue  # "Darmowa instalacja" beside an activation fee: the installation is free
        out.append((fee, amount))
    return out


# Gifts that come with a plan, as opposed to the device or the SIM the plan is sold with: an upfront charge that
# names no equipment is the device's or the plan's, and pays for none of these (a SIM called free while an
# activation charge is paid is not free: the charge is what gets the SIM working)
_ACCESSORIES = frozenset({"earbuds"})


# Moving the customer's number over ("port", "keep your number", 携号转网, portabilité)
_PORTING = lazy(r"(?<![a-z])(?:port(?:ing|ed)?|number transfer|keep your (?:existing )?numbers?)(?![a-z])|携号|转网"
                r"|portabilit|rufnummernmitnahme|portabilidad|portabilità|nummerbehoud")


_CLAUSE_MARK = lazy(r"[.,;:!?，。；：！？\n]")


def _said_of_porting(text: str, start: int, end: int) -> bool:
    """The free word and a porting word in one clause: "we'll port them for free", "free number transfer",
    "携号转网免费" (not "Free router, and we'll port your number")."""
    left, right = max(0, start - 30), min(len(text), end + 20)
    marks_before = [m.end() for m in _CLAUSE_MARK.finditer(text, left, start)]
    mark_after = _CLAUSE_MARK.search(text, end, right)
    if _PORTING.search(text, marks_before[-1] if marks_before else left, mark_after.start() if mark_after else right):
        return True
    # a line's label and its value: "Rufnummernmitnahme von Telekom, Vodafone oder jedem anderen Anbieter: kostenlos"
    line_start = text.rfind("\n", 0, start) + 1
    label_end = text.rfind(":", line_start, start)
    return label_end >= 0 and not text[label_end + 1:start].strip() and bool(_PORTING.search(text, line_start, label_end))


# Installation, said free ("Darmowa instalacja", "Free installation", "免费安装"), or named by a fee (set-up)
_INSTALLATION = lazy(r"instal\w*|montaż\w*|montage|set-?up|einrichtung|安装|安裝")


def _free_but_paid_upfront(material, matches, upfront: list[tuple]):
    names = Join([f"{fee.name} {fmt_amount(amount, fee.currency)}" for fee, amount in upfront], ", ")
    return hit_in_text(material.pointer,
                       T("the {kind} `{material}` calls something free, but the customer pays {charges} to get it; "
                         "beyond the cost of delivery nothing may be charged for what is called free",
                         kind=T(material.kind), material=material.id, charges=names),
                       material.norm, [(m.start, m.end) for m in matches[:3]], material.id)


# Delivery and postage are the one charge "free" may leave to the customer (UCPD Annex I item 20).
# CAP 3.24: no packing, handling or administration charge beside "free"; only the unavoidable cost of delivery.
# A charge for delivery *and* activation or set-up ("Versand- und Aktivierungspauschale") is more than delivery.
_HANDLING = lazy(r"handling|packing|packaging|admin|processing|bearbeitung|manutention|gestión|gestione|verwerking"
                 r"|activat|aktivier|set-?up|einrichtung|bereitstellung|anschluss|connection|mise en service"
                 r"|attivazione|activación|(?<![a-z])alta(?![a-z])|手续费|处理费|开通|激活|安装|开户")
_DELIVERY = lazy(r"deliver|postage|shipping|p&p|livraison|versand|lieferung|envío|envio|spedizione|verzending"
                       r"|bezorg|运费|快递|邮费|運費|郵費")


def _upfront_charges(campaign: Campaign) -> list[tuple]:
    """One-off charges every customer pays at sign-up (activation, set-up, a token device price), other than
    delivery, an option or a charge for leaving."""
    return [(fee, amount) for fee in campaign.fees if fee.recurrence == "one_time" and is_mandatory(campaign, fee)
            and not (_DELIVERY.search(fee.name.lower()) and not _HANDLING.search(fee.name.lower()))
            for amount in [during_amount(campaign, fee)] if amount is not None and amount > 0]


def _minimum_period(campaign: Campaign) -> list:
    """The minimum period that keeps the customer, as a reason a "no contract" claim is untrue."""
    months = campaign.commitment.get("months")
    if not months:
        return []
    return [T("a {months}-month minimum period", months=f"{months:g}" if isinstance(months, (int, float)) else months)]


def _exit_charges(campaign: Campaign) -> list:
    """What leaving costs: an early-termination fee, a cancellation fee."""
    charges = campaign.exit_charges
    reasons = []
    if "early_termination" in charges:
        reasons.append(T("an early-termination fee of {amount}",
                         amount=fmt_amount(charges["early_termination"], campaign.currency)))
    if "cancellation" in charges:
        reasons.append(T("a cancellation fee of {amount}", amount=fmt_amount(charges["cancellation"], campaign.currency)))
    return reasons


# A claim about what leaving costs ("no exit fees", 0违约金, 冇罰款) is untrue only when leaving costs something;
# a minimum period without an exit charge does not contradict it. A claim about the contract itself ("no
# lock-in", 免綁約, "no contract") is untrue when either binds.
_ABOUT_A_CHARGE = lazy(r"fee|charge|penalt|cost|pay|owe|违约金|罚|费")

_AFTER_THE_PERIOD = lazy(r"from month|after (?:month|the (?:first|minimum|initial|contract|expiry|commitment|fixed|lock-in)"
                               r"|expiry|your (?:first|minimum|initial|commitment|fixed)|"
                               r"\d+ months|(?:the|your) \d+[- ]months?)|once (?:the|your) (?:minimum|contract|initial|\d+)"
                               r"|(?:contract|minimum term|commitment) (?:ends|has ended|is over)|(?:at|after) the end of "
                               r"(?:the|your) (?:contract|minimum|term|commitment)|when (?:the|your) (?:contract|minimum"
                               r" term|commitment) ends|期满|到期后|合约期后|届满|约满|nach ablauf|à la fin de"
                               r"|au terme de|al termine|al finalizar|na afloop|após o fim"
                               # "Após a fidelização o contrato continua sem fidelização", "Depois: 49,99 €/mês, sem
                               # fidelização", "then rolling monthly, no contract": said of the time after the period
                               r"|após (?:a |o )?(?:fidelização|período)|terminad[ao] (?:a|o) "
                               r"(?:fidelização|período)|findo (?:o|este|esse) período|no (?:fim|termo|final) d[ao] "
                               r"(?:fidelização|período)|tras la permanencia|finalizada la permanencia"
                               r"|après (?:l'engagement|la période)|à l'issue d|nach der mindest|dopo il vincolo"
                               r"|po (?:okresie|zakończeniu)|à l'issue"
                               # "Et après 12 mois ? Le forfait continue…", "nach 24 Monaten", "después de 12 meses"
                               r"|après \d+ mois|nach \d+ monaten|después de \d+ meses|dopo \d+ mesi|na \d+ maanden"
                               # "A los 24 meses: sigues con tu tarifa, sin permanencia", "al cabo de 24 meses"
                               r"|a los \d+ meses|al cabo de (?:los )?\d+ meses|trascorsi (?:i )?\d+ mesi"
                               r"|após \d+ meses|po \d+ miesiącach"
                               # "¿Qué pasa al terminar los 12 meses?", "al acabar la permanencia", "alla fine dei 24 mesi"
                               r"|al (?:terminar|acabar|finalizar|vencer) (?:los|la|el) |alla fine de|am ende de[rs]"
                               # "12-month contract. Leave any time after that": after the period just named
                               r"|(?:any ?time|whenever you like) (?:after that|thereafter|afterwards)")
# "then rolling monthly, no contract", "Depois: 49,99 €/mês, sem fidelização", "danach ohne Vertragsbindung": a
# word of sequence BEFORE the claim puts it after the period ("No exit fees - £8/month, then £12/month" does not)
_THEN = lazy(r"(?<![a-z])(?:then|thereafter|afterwards|depois|después|ensuite|puis|danach|anschließend|daarna|därefter"
             r"|trascors[io]|sen jälkeen"
             # "L'offre devient sans engagement": what the offer becomes, after the period
             r"|devient|deviendra|becomes|will become|wird|diventa|se convierte en|pasa a ser|wordt"
             # "o contrato mantém-se sem fidelização", "the contract continues with no minimum term": what stays on
             r"|continua|continue|continues|mantém-se|continúa|se mantiene|reste|bleibt|blijft|rimane"
             # "La tarifa sigue sin permanencia a 39,90 €/mes": goes on, after the period
             r"|sigue|seguirá|segue|prosegue)(?![a-z])")
# "sans engagement ensuite", "no contract thereafter": the word of sequence right after the claim
_THEN_AFTER = lazy(r"[\s,]{0,2}(?:then|thereafter|afterwards|ensuite|danach|después|dopo|daarna|depois)(?![a-z])")


def _said_of_after_the_period(text: str, span: tuple[int, int]) -> bool:
    around = _sentence_and_line(text, span)
    if _AFTER_THE_PERIOD.search(around):
        return True
    # the claim's own sentence: a "puis" in the sentence before ("24,99 €/mois pendant 12 mois, puis 34,99 €/mois.
    # Sans engagement !") is said of the price, not of the claim
    left = sentence_bounds(text, *span)[0]
    return bool(_THEN.search(text, left, span[0]) or _THEN_AFTER.match(text, span[1]))


# Leaving without a fee within a first window (a cooling-off right, a satisfaction guarantee) is true while a
# minimum period binds afterwards: "30日内无条件退租，不收违约金", "cancel within 14 days at no cost".
_COOLING_OFF = lazy(r"\d+\s?(?:日|天|个工作日)内|(?:within|in the first|during the first) (?:\d+|fourteen|thirty)"
                          r" (?:calendar |working )?(?:days?|weeks?)|冷静期|猶豫期|犹豫期|鉴赏期|cooling[- ]off|widerruf"
                          r"|rétractation|desistimiento|ripensamento|bedenktijd|change your mind|money[- ]back"
                          r"|satisfaction guarantee|\d+[- ]day (?:returns?|trial|guarantee)")


# The start of a numbered or lettered clause, or a bullet: "4.2 ", "(b) ", "• ", "第三条", "三、".
_CLAUSE_START = lazy(r"(?m)^[ \t]*(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|[-•*·▪]|第[一二三四五六七八九十百\d]+条|[一二三四五六七八九十]+、)"
                           r"[ \t\u3000]?")


def _sentence_and_line(text: str, span: tuple[int, int]) -> str:
    """The sentence holding `span`, from the start of its line, or of its numbered clause when the clause runs
    over several lines: a heading such as "After the minimum period:" or a clause opening "4.2 After the Minimum
    Term you may leave ..." governs what follows it ("30 days' notice; no termination charge", "No exit fee.")."""
    left, right = sentence_bounds(text, *span)
    start = min(left, text.rfind("\n", 0, span[0]) + 1)
    clauses = [m.start() for m in _CLAUSE_START.finditer(text, max(0, start - 400), start + 1)]
    if clauses and not _CLAUSE_START.match(text, start):
        start = clauses[-1]
    return text[start:right]


# A part of a bundle named right before the claim: "Mobile: no contract", "Móvil sin permanencia", "la ligne
# mobile est sans engagement".
_PART_BEFORE = lazy(r"(?<![a-zà-ÿ])(?:mobile?|móvil|movil|móvel|mobiel|mobilfunk|handy|sim|line|línea|linea|plan|service"
                          r"|ligne|landline|fijo|tv|télé|television|router|la (?:ligne|línea|linea) mobile)"
                          r"(?: line| (?:est|es|is|è|ist))?\s?[:：,-]?\s?$")


# "...save as required by law, in which case you may leave without an early termination charge", "if we raise
# the price, you can cancel at no cost": a right to leave that the operator's own change triggers
_ON_THE_OPERATORS_CHANGE = lazy(r"(?<![a-z])(?:in which case|in that case|if we (?:raise|increase|change|make|vary|break"
                                r"|fail|don't keep|do not keep|breach)"
                                r"|where we (?:raise|increase|change|vary)|should we|if (?:the|your) price (?:goes up|rises"
                                r"|increases)|if we (?:can't|cannot|are unable)|dans ce cas|si nous (?:augmentons|modifions)"
                                r"|in diesem fall|falls wir|en ese caso|si (?:subimos|modificamos)|in tal caso|se (?:aumentiamo"
                                r"|modifichiamo)|in dat geval|als wij)(?![a-z])")


_FAILED = r"(?:仍|还|尚)?(?:未|没有?|不)(?:达标|达到|满|能|足)|无法"
# "如活動截止時仍未達標，用戶得免違約金退租", "if we can't connect you by the date": a right to leave that an event
# outside the customer's choice triggers (the offer's condition failing)
_ON_A_FAILED_CONDITION = lazy(r"(?:如|若|倘若|假如|如果)[^。；;！!?？\n]{0,40}?" + _FAILED
                              + r"|" + _FAILED + r"[^。；;，,\n]{0,6}者"
                              r"|(?<![a-z])if (?:the (?:service|installation|connection|threshold|minimum)|we|your address)"
                              r"[^.;!?\n]{0,30}?(?:can't|cannot|isn't|is not|aren't|are not|doesn't|does not|fails?|unable"
                              r"|not met|not reached)(?![a-z])")
# "You're currently on our 30GB plan at £15 a month, with no minimum term", 您现在的套餐无合约: the customer's
# present plan, which the call describes before offering the new one
_THE_CURRENT_PLAN = lazy(r"(?<![a-z])(?:currently (?:on|with|have|pay)|you're on|you are on|your (?:current|existing|present)"
                         r" (?:plan|contract|tariff|deal)|at the moment you"
                         # "You're free to say no and stay as you are, no contract": keeping the present plan
                         r"|stay (?:as you are|where you are|on (?:your|the) (?:current|present|existing) plan)"
                         r"|keep (?:your|the) (?:current|present|existing) plan)(?![a-z])"
                         r"|您?(?:目前|现在|现时)(?:的|用的|使用的)?(?:套餐|计划|月费计划|合约|计划是)"
                         # 而家用紧无合约月费 (Cantonese: now on the no-contract monthly price)
                         r"|(?:而家|目前|现在|现时)(?:用紧|用着|使用紧|使用中的)")
def _untrue_claims(campaign: Campaign, material, spans, binding: list, exits: list, device: list,
                   params: dict) -> list:
    text = material.norm.text
    # "from month 13 you can leave any time": true once the minimum period is over
    claims = sorted(span for span in spans if not _said_of_after_the_period(text, span)
                    and not _COOLING_OFF.search(text, *sentence_bounds(text, *span))
                    and not _ON_THE_OPERATORS_CHANGE.search(text, sentence_bounds(text, *span)[0], span[0])
                    and not _qualified_or_said_of_another(campaign, text, span)
                    and not _beside_a_variant_without_commitment(campaign, text, span, params)
                    and not staff_told_not_to_say(text, span)
                    and _contradicted(text[span[0]:span[1]], binding, exits, device,
                                      campaign.commitment.get("early_termination_fee") == 0))
    # "Permanencia de 12 meses en la fibra. Móvil sin permanencia.": said of one part of a bundle, beside the
    # minimum period of the other, which the same material states
    if claims and _states_the_commitment(campaign, material):
        claims = [span for span in claims if not _PART_BEFORE.search(text, max(0, span[0] - 24), span[0])
                  and not _PART_AFTER.match(text, span[1])]
    return claims


def _qualified_or_said_of_another(campaign: Campaign, text: str, span: tuple[int, int]) -> bool:
    """The claim is not the offer's promise: asked in a question, qualified in its own sentence by the device
    balance due on leaving, triggered by a failed condition, said of the customer's present plan, or said of
    another version of the offer priced differently ("Also available without commitment (54,99 €/mês)")."""
    left, right = sentence_bounds(text, *span)
    # "Early termination: no plan exit fee; the outstanding device balance becomes payable": this sentence or the next
    following = sentence_bounds(text, right, right + 1)[1] if right < len(text) else right
    if _in_a_question(text, span) or _BALANCE_DUE.search(text, left, following):
        return True
    if _ON_A_FAILED_CONDITION.search(text, max(left, span[0] - 60), span[0]):
        return True
    if _THE_CURRENT_PLAN.search(text, max(left, span[0] - 80), span[0]) or _a_column_beside_the_committed_one(
            campaign, text, span):
        return True
    return said_of_another_price(campaign, text, span)


def _a_column_beside_the_committed_one(campaign: Campaign, text: str, span: tuple[int, int]) -> bool:
    """A table row whose cells are the versions of the offer: "| | Avec engagement 12 mois | Sans engagement |"
    heads the column of the version without commitment, beside the one with the campaign's minimum period."""
    months = campaign.commitment_months
    return bool(months) and any(any(abs(d.in_months() - months) < 0.5 for d in find_durations(normalize(cell)))
                                for cell in other_cells(text, span[0], 3))


# a fee the table names as the version of the offer without a minimum period ("– 1-month rolling", "Flex")
_ROLLING = lazy(r"(?<![a-z])(?:rolling|flex|month[- ]to[- ]month|no minimum|monthly plan(?! (?:charge|fee|price|cost))|30-day)(?![a-z])|sans engagement"
                r"|ohne (?:mindest)?laufzeit|sin permanencia|senza vincol|zonder looptijd|sem fidelização|无合约|無合約")


def _beside_a_variant_without_commitment(campaign: Campaign, text: str, span: tuple[int, int], params: dict) -> bool:
    """The price in the claim's clause is that of a fee the table names as the version without commitment
    ("Forfait 100 Go – formule sans engagement", 14,99 €): "ou 14,99 €/mois sans engagement" describes it."""
    variants = {fee.amount for fee in campaign.fees if fee.amount and fee.name
                and (find(params["no_lock_in"], normalize(fee.name)) or no_lock_in_claims(normalize(fee.name).text)
                     or _ROLLING.search(normalize(fee.name).text))}
    nearest = _nearest_price(text, span)
    return bool(variants) and nearest is not None and nearest.amount in variants


def _nearest_price(text: str, span: tuple[int, int]):
    """The monthly (or unqualified) price nearest the claim in its clause: the stretch of its line between full
    stops, where semicolons, commas, brackets and a table row's bars do not part a price from what it is the price
    of ("2. 1-month rolling option: £55.00 a month; £20.00 set-up fee; no minimum term", "sem fidelização
    (54,99 €/mês)", "at £15 a month, with no minimum term", "| Sem fidelização | 54,99 €/mês |")."""
    line_start, line_end = text.rfind("\n", 0, span[0]) + 1, text.find("\n", span[1])
    line_end = len(text) if line_end < 0 else line_end
    stops = [m.end() for m in _CLAIM_CLAUSE_MARK.finditer(text, max(line_start, span[0] - 60), span[0])]
    after = _CLAIM_CLAUSE_MARK.search(text, span[1], min(line_end, span[1] + 80))
    lo = stops[-1] if stops else max(line_start, span[0] - 60)
    hi = after.start() if after else min(line_end, span[1] + 80)
    # read in the whole line (a window could cut "$599" to "99"), kept where they lie in the clause
    stated = [m for m in find_money(normalize(text[line_start:line_end])) if m.period in (None, "month")
              and m.amount > 0 and lo - line_start <= m.start and m.end <= hi - line_start]
    if not stated:
        return None
    at = span[0] - line_start, span[1] - line_start
    return min(stated, key=lambda m: at[0] - m.end if m.end <= at[0] else m.start - at[1])


def said_of_another_price(campaign: Campaign, text: str, span: tuple[int, int]) -> bool:
    """A price in the claim's clause that none of the campaign's facts accounts for: the claim describes another
    offer ("our social tariff at £15 a month with no set-up fee", "| Sem fidelização | 54,99 €/mês |")."""
    nearest = _nearest_price(text, span)
    if nearest is None:
        return False
    known = prices_of_the_offer(campaign)
    if nearest.amount in known or nearest.alternative in known:
        return False
    # another offer beside this one: the text gives this offer's own price too (a text whose only price is
    # not the fee table's states the offer wrongly, which is no reason to read its claim as another's)
    return any(m.amount in known for m in find_money(normalize(text)) if m.amount > 0)


# a full stop that ends a sentence within a line (not the one in £55.00)
_CLAIM_CLAUSE_MARK = lazy(r"[。！？!?]|\.(?=\s|$)")


# "24-month device plan (A$40/mth) + 80GB plan (A$55/mth, no lock-in on the plan)": the part named after it
_PART_AFTER = lazy(r"\s?(?:on|for|with) (?:the|your|this) (?:plan|service|sim|airtime|mobile plan|data plan"
                   r"|sim plan|line)(?![a-z])")


def _states_the_commitment(campaign: Campaign, material) -> bool:
    months = campaign.commitment_months
    return bool(months) and any(abs(d.in_months() - months) < 0.5 for d in find_durations(material.norm))


# "If you cancel ... your remaining device balance is due" beside "the bill credits stop": leaving makes the rest of
# the device payable at once, which a claim that leaving costs nothing ("nothing more to pay", "you owe nothing")
# leaves out. An instalment plan alone is a loan; "no annual contract" stays true of the service.
_BALANCE_DUE = lazy(r"(?<![a-z])(?:remaining|unpaid|outstanding|rest of (?:the|your)) (?:device |phone |handset "
                    r"|equipment )?(?:balance|instal?lments?|payments)(?![a-z])|剩余(?:分期|机款|款项|期数)|未缴(?:机款|分期)")
_CREDITS_STOP = lazy(r"(?<![a-z])credits? (?:will )?(?:stop|end|cease|are forfeited|no longer)|(?:lose|forfeit) (?:the |any "
                     r"|your )?(?:remaining )?(?:bill )?credits?|(?:返还|赠款)(?:停止|终止|取消)|停止返还|不再返还")
_LEAVES = lazy(r"(?<![a-z])(?:cancel\w*|leav\w*|terminat\w*|switch\w* away|port\w* out|close)(?![a-z])"
               r"|解约|退网|销户|携号转出|提前终止")


_INSTALMENTS = lazy(r"instal?lments?|device payment|repayments?|financing|分期|机款")


def _sentences_about_leaving(campaign: Campaign):
    """(text, start, end) of each sentence of the summary and the materials that speaks of leaving."""
    summary = campaign.offer.get("summary")
    texts = ([normalize(summary)] if isinstance(summary, str) else []) + [m.norm for m in campaign.materials]
    for normalized in texts:
        for start, end in sentences(normalized):
            if _LEAVES.search(normalized.text, start, end):
                yield normalized.text, start, end


def _device_balance(campaign: Campaign) -> list:
    """The device instalments that fall due when the customer leaves while the bill credits stop."""
    device = [f for f in campaign.fees if f.recurrence == "monthly" and f.applies == "during_term" and f.name
              and (device_named(normalize(f.name).text) or _INSTALMENTS.search(normalize(f.name).text))]
    if not device:
        return []
    leaving = list(_sentences_about_leaving(campaign))
    if not (any(_BALANCE_DUE.search(text, a, b) for text, a, b in leaving)
            and any(_CREDITS_STOP.search(text, a, b) for text, a, b in leaving)):
        return []
    return [T("the remaining {name} payments, due at once if the customer leaves, while the bill credits stop",
              name=device[0].name)]


# "Cancel anytime, no fees", "nothing more to pay": leaving costs nothing at all ("no early termination fee" says
# only that there is no such fee, which stays true beside a device balance)
_EXIT_FEES = lazy(r"exit fees?|exit charges?")
_NOTHING_AT_ALL = lazy(r"nothing (?:more |else |further )?to pay|owe nothing|no fees|no charges|no costs")


_LOANED_KINDS = frozenset({"modem", "set-top box", "dongle"})


def _contradicted(claim: str, binding: list, exits: list, other: list, free_to_leave: bool = False) -> bool:
    """A claim that leaving costs nothing is untrue when it costs something (an exit charge, equipment recovered
    or a device balance due); a claim about the contract, when a minimum period or an exit charge binds."""
    if _ABOUT_A_CHARGE.search(claim):
        return bool(exits) or bool(other and (_NOTHING_AT_ALL.search(claim) or _EXIT_FEES.search(claim)))
    if free_to_leave and _ABOUT_LEAVING.search(claim) and not _ABOUT_THE_CONTRACT.search(claim):
        # "leave any time with 30 days' notice": true of a minimum period whose exit fee is set at nothing
        return bool(other)
    return bool(binding)


# A claim about the customer's freedom to go ("leave any time", "cancel whenever you like", 随时退), not about the
# contract itself ("no contract", "no lock-in", 免绑约), which a minimum period contradicts however little it costs
_ABOUT_LEAVING = lazy(r"(?<![a-z])(?:leave|leaving|cancel\w*|quit|walk away|terminat\w*|kündbar|kündigen|résili\w*"
                      r"|cancela\w*|disdic\w*|opzegbaar)(?![a-z])|随时退|随时走|随时取消|随时解约")
_ABOUT_THE_CONTRACT = lazy(r"contract|lock-?in|commitment|tie-?in|minimum|合约|绑约|承诺期|engagement|bindung|laufzeit"
                           r"|permanencia|vincol|fidelizaç|looptijd")


def _about_an_optional_extra(campaign: Campaign, material) -> bool:
    """The material's title names an extra the customer may leave out ("Insurance Product Information Document –
    Harbour Phone Cover" for the optional cover): what it says of cancelling is the extra's."""
    if "\n" not in material.norm.text.strip():
        return False  # a one-line text has no title
    title = material.norm.text.split("\n", 1)[0]
    return any(len(name) >= 6 and name in title for fee in campaign.fees if optional_by_name(fee)
               for name in [name_without_note(fee.name)])


@check("CLM-005")
def no_lock_in_claim_contradicted(campaign: Campaign, params: dict):
    found = [(material, spans) for material in campaign.sign_up_materials
             if not _about_an_optional_extra(campaign, material)
             and (spans := {(m.start, m.end) for m in find(params["no_lock_in"], material.norm)}
                 | set(no_lock_in_claims(material.norm.text)))]
    if not found:
        return  # what leaving costs is read only for a campaign that claims it costs nothing
    exits = _exit_charges(campaign)
    # the modem's or box's cost charged to a customer who leaves early is a charge for leaving (not the phone's
    # instalments, which a device balance reads with the credits)
    recovered = [T("a charge for the {item} if the customer leaves early", item=kind)
                 for kind in sorted(_recovered_equipment(campaign) & _LOANED_KINDS)]
    device = recovered + _device_balance(campaign)
    binding = _minimum_period(campaign) + exits
    reasons = binding + device
    if not reasons:
        return
    for material, spans in found:
        claims = _untrue_claims(campaign, material, spans, binding, exits, device, params)
        if claims:
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` says the customer is free to leave, but the offer has {what}",
                                kind=T(material.kind), material=material.id, what=Join(reasons, " and ")),
                              material.norm, claims[:3], material.id)


@check("CLM-006")
def unsubstantiated_superlative(campaign: Campaign, params: dict):
    for material in campaign.pre_signup_materials:
        if not material.is_promotional or substantiated(material.norm.text):
            continue
        text = material.norm.text
        spans = {(m.start, m.end) for m in _claims(material, find(params["superlatives"], material.norm))}
        spans |= {span for span in superlative_claims(text)
                  if not in_name_or_citation(text, *span) and not states_a_figure(text, *span)}
        claims = _outermost(spans)
        if claims:
            words = ", ".join(dict.fromkeys(material.norm.original[slice(*material.norm.span(*span))]
                                            for span in claims))
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` makes a superlative claim ({words}) without saying what it "
                                "rests on (a survey, a test, a source and its date)", kind=T(material.kind),
                                material=material.id, words=words),
                              material.norm, claims[:4], material.id)


def _outermost(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside another one ("fastest" inside "fastest 5g network of any"), in text order."""
    return sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))


_NEGATED_BEFORE = lazy(r"(?<![a-z])(?:no|never|not|without|nor|zero|don't|won't|isn't|aren't|free from|"
                             r"instead of|rather than|kein(?:e|en)?|nicht|pas de|sans|sin|senza|geen)\s(?:[a-z-]+[\s,]+){0,4}"
                             # we don't use "CPI + 3.9%": the negated link quoted
                             r"[\"'“‘«]?$")
# The verb denied further back in the clause: "We will not increase your price by reference to CPI, RPI or any
# other index" (a colon or semicolon ends the clause: "No fixed price: it rises by CPI" is not denied)
_DENIED_IN_CLAUSE = lazy(r"(?<![a-z])(?:never|not|won't|will not|cannot|can't|don't|do not|does not|doesn't)\s"
                         r"(?:[a-z0-9&'-]+[\s,]+){1,9}[\"'“‘«]?$")
_CLAUSE_BREAK = lazy(r"[.!?;:\n。！？；：]")
# "Contracts agreed before 17 January 2025 were linked to CPI + 3.9%": the old practice, dated before the ban
_BEFORE_THE_DATE = lazy(r"(?<![a-z])(?:before|prior to|until|up to)\s$")


def _not_this_offers_rise(campaign: Campaign, text: str, start: int, since: str) -> bool:
    """The inflation link is denied ("No inflation-linked rises", "We will not increase your price by reference to
    CPI") or said of contracts agreed before the ban."""
    if _NEGATED_BEFORE.search(text[max(0, start - 30):start]):
        return True
    clause = max([m.end() for m in _CLAUSE_BREAK.finditer(text, max(0, start - 120), start)], default=max(0, start - 120))
    if _DENIED_IN_CLAUSE.search(text, clause, start):
        return True
    left, right = sentence_bounds(text, start, start + 1)
    sentence = normalize(text[left:right])
    return any(d.year and f"{d.year:04d}-{d.month:02d}-{d.day:02d}" <= since
               and _BEFORE_THE_DATE.search(sentence.text[max(0, d.start - 12):d.start])
               for d in find_dates(sentence, campaign.date_order))


@check("CLM-007")
def inflation_linked_price_rise(campaign: Campaign, params: dict):
    """Ofcom (from 2025-01-17): a mid-contract price rise is set out in pounds and pence, not as CPI + x%."""
    since = params.get("since", "2025-01-17")
    period = campaign.doc.get("period")
    end = period.get("end") if isinstance(period, dict) else None
    if isinstance(end, str) and len(end) == 10 and end < since:
        return  # every contract of this sign-up window predates the ban
    for material in campaign.pre_signup_materials:
        text = material.norm.text
        # "No inflation-linked rises", "it is not linked to inflation": the opposite of the practice
        matches = [m for m in find(params["inflation_rises"], material.norm)
                   if not _not_this_offers_rise(campaign, text, m.start, since)]
        if matches:
            words = ", ".join(dict.fromkeys(material.norm.original[slice(*material.norm.span(m.start, m.end))]
                                            for m in matches))
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` ties mid-contract price rises to inflation ({words}); "
                                "since {since} a rise must be set out in pounds and pence at the point of sale",
                                kind=T(material.kind), material=material.id, words=words, since=since),
                              material.norm, [(m.start, m.end) for m in matches[:3]], material.id)


# What each validity_limits subject is called, in the normal form: a claim about one of them ("本金不设有效期",
# the principal never expires) says nothing about another (the bonus credit that does).
_SUBJECT_WORDS = {
    # 您自己充的100元: what the customer tops up; saldo, Guthaben, solde, tegoed: the balance in the EU languages
    "prepaid_balance": re.compile(r"balance|credit|top-?up|saldo|guthaben|solde|tegoed|本金|余额|话费|储值|预存|充值"
                                  r"|充的|自充|实充"),
    "bonus_credit": re.compile(r"bonus|bono|free credit|赠送|赠费|赠额|回馈|奖励"),
    "allowance": re.compile(r"data|minutes|texts|allowance|gb|流量|分钟|通话|短信"),
    "points": re.compile(r"points|积分|点数"),
}


def _about_a_limited_subject(text: str, span: tuple[int, int], limited: set[str]) -> bool:
    """The claim's clause (or, when the clause names no subject, its sentence) names a subject whose validity is
    limited, or names none (said of the offer): in "赠费12个月内有效，预存款不设有效期" the claim is the deposit's."""
    left, right = sentence_bounds(text, *span)
    breaks = [m.end() for m in CLAUSE_END.finditer(text, left, span[0])]
    after = CLAUSE_END.search(text, span[1], right)
    for part in (text[breaks[-1] if breaks else left:after.start() if after else right], text[left:right]):
        named = {subject for subject, words in _SUBJECT_WORDS.items() if words.search(part)}
        if named:
            return bool(named & limited)
    return True


def _limit_in_days(limit: dict) -> int | None:
    for key, days in (("days", 1), ("months", 30)):
        value = limit.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return round(value * days)
    return None


def _limit_stated_beside(text: str, span: tuple[int, int], limits_in_days: set[int]) -> bool:
    """The rest of the claim's sentence or the next states the limit's length: "Topped-up credit does not expire.
    If your SIM has no chargeable use for 180 days we may disconnect it" tells the limit with the claim."""
    right = sentence_bounds(text, *span)[1]
    following = sentence_bounds(text, right, right + 1)[1] if right < len(text) else right
    # after the claim: a length before it ("首年宽带0元…积分永久有效") is another fact's
    return any(abs(d.in_days() - days) <= max(1, days // 40) for d in find_durations(normalize(text[span[1]:following]))
               for days in limits_in_days)


def _in_a_question(text: str, span: tuple[int, int]) -> bool:
    right = sentence_bounds(text, *span)[1]
    return text[span[1]:right].rstrip().endswith("?")


@check("CLM-008")
def no_expiry_claim_contradicted(campaign: Campaign, params: dict):
    limited = {str(limit.get("subject", "prepaid_balance")) for _, limit in campaign.validity_limits}
    if not limited:
        return
    limits_in_days = {days for _, limit in campaign.validity_limits if (days := _limit_in_days(limit)) is not None}
    for material in campaign.pre_signup_materials:
        text = material.norm.text
        # "問：卡內餘額是否永久有效？": a FAQ's question asks, its answer tells
        claims = [span for span in no_expiry_claims(text) if _about_a_limited_subject(text, span, limited)
                  and not _in_a_question(text, span) and not _limit_stated_beside(text, span, limits_in_days)]
        if claims:
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` says it never expires, but the campaign sets a validity limit",
                                kind=T(material.kind), material=material.id), material.norm, claims[:3], material.id)



@check("CLM-009")
def no_exceptions_claim(campaign: Campaign, params: dict):
    """Australia's TCP Code: "no exceptions", "no catches" only where the offer has none, or with the
    exceptions disclosed beside the claim."""
    exceptions = _exceptions(campaign)
    if not exceptions:
        return
    for material in campaign.pre_signup_materials:
        if not material.is_promotional:
            continue
        claims = find(params["no_exceptions"], material.norm)
        if not claims:
            continue
        unsaid = [label for label, said in exceptions if not said(material)]
        if unsaid:
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` says the offer has no exceptions or catches, but it has "
                                "{exceptions}, which the {kind} does not state", kind=T(material.kind),
                                material=material.id, exceptions=Join(unsaid, "; ")),
                              material.norm, [(m.start, m.end) for m in claims[:3]], material.id)


def _exceptions(campaign: Campaign) -> list[tuple]:
    """(what the exception is, whether a material states it) for each exception the offer has: usage charged
    outside the offer, a charge for leaving, a condition of eligibility, a validity limit."""
    out: list[tuple] = []
    for fee in campaign.fees:
        if fee.recurrence == "per_unit" and fee.amount and not is_mandatory(campaign, fee):
            out.append((T("{name} ({amount} per {unit})", name=fee.name, amount=fmt_amount(fee.amount, fee.currency),
                          unit=fee.unit or "unit"), _states(fee.amount, fee.currency)))
    for amount in campaign.exit_charges.values():
        out.append((T("a charge of {amount} for leaving", amount=fmt_amount(amount, campaign.currency)),
                    _states(amount, campaign.currency)))
    for _index, condition, _disclosed in campaign.eligibility:
        out.append((T("the condition “{condition}”", condition=condition), _states_condition(condition)))
    return out


def _states(amount, currency):
    return lambda material: states_amount(material.norm, amount, currency) is not None


def _states_condition(condition: str):
    from auditor.checks.terms import mentions_condition

    return lambda material: mentions_condition(material.norm.text, condition)


# "NO ACTIVATION FEES!", "£0 set-up", "sin cuota de alta", "keine Anschlussgebühr", "免开户费": a claim that a named
# kind of charge is not made. The kinds, each with the words a fee's name uses for it.
_NO_FEE_OF_KIND = lazy(
    r"(?<![a-z])(?:no|zero|[$£€]0|free|without)\s(activation|set-?up|connection|installation|joining|sign-?up|admin\w*)"
    r"\s?(?:fees?|charges?|costs?)(?![a-z])"
    r"|(?<![a-zà-ÿ])(?:sin|sans|senza|ohne|keine|geen|bez)\s(?:cuota de |frais d'|frais de |costi di |costo di )?"
    r"(alta|activation|attivazione|anschluss\w*|aktivierung\w*|aansluit\w*|activering\w*|aktywac\w*|installation|instalación"
    r"|installazione|instalacji)"
    r"|(?:免|无|零|0元?)(开户|开通|激活|入网|安装|初装)费")
_FEE_OF_KIND = {kind: lazy(words) for kind, words in {
    "activation": r"activat|aktivier|attivaz|activaci|activer|aktywac|开通|激活|開通",
    "connection": r"connect|anschluss|aansluit|入网|開戶|开户",
    "set-up": r"set-?up|installation|einricht|mise en service|安装|初装|安裝",
    "installation": r"install|instalac|montaż|安装|初装|安裝",
    "joining": r"join|sign-?up|alta|开户|開戶",
    "admin": r"admin",
}.items()}
_KIND_OF = {"activation": "activation", "attivazione": "activation", "aktivierung": "activation",
            "activering": "activation", "aktywac": "activation", "alta": "joining", "set-up": "set-up",
            "setup": "set-up", "connection": "connection", "anschluss": "connection", "aansluit": "connection",
            "installation": "installation", "instalación": "installation", "installazione": "installation",
            "instalacji": "installation", "joining": "joining", "sign-up": "joining", "signup": "joining",
            "开户": "joining", "开通": "activation", "激活": "activation", "入网": "connection", "安装": "installation",
            "初装": "installation"}


def _claimed_kind(word: str) -> str | None:
    word = word.lower()
    if word.startswith("admin"):
        return "admin"
    return next((kind for stem, kind in _KIND_OF.items() if word.startswith(stem)), None)


@check("CLM-010")
def no_fee_claim_contradicted(campaign: Campaign, params: dict):
    """A material says a kind of charge (activation, connection, set-up) is not made while the fee table makes
    one that every customer pays."""
    charged = [(fee, amount) for fee in campaign.fees if is_mandatory(campaign, fee)
               for amount in [during_amount(campaign, fee)] if amount and amount > 0]
    if not charged:
        return
    for material in campaign.pre_signup_materials:
        text = material.norm.text
        for match in _NO_FEE_OF_KIND.finditer(text):
            fees = _fees_the_claim_denies(campaign, charged, text, match)
            if fees:
                fee, amount = fees[0]
                yield hit_in_text(material.pointer,
                                  T("the {kind} `{material}` says there is no {charge} fee, but every customer pays "
                                    "{fee} ({amount})", kind=T(material.kind), material=material.id,
                                    charge=_claimed_kind(next(g for g in match.groups() if g)),
                                    fee=fee.name, amount=fmt_amount(amount, fee.currency)),
                                  material.norm, [match.span()], material.id)
                break


def _fees_the_claim_denies(campaign: Campaign, charged: list, text: str, match) -> list:
    """The charged fees of the kind a no-fee claim names, unless the claim describes another offer ("our social
    tariff at £15 a month with no set-up fee") or the fee belongs to another sign-up channel."""
    kind = _claimed_kind(next(g for g in match.groups() if g))
    if not kind or said_of_another_price(campaign, text, match.span()):
        return []
    return [(f, a) for f, a in charged if _a_fee_of_kind(f, kind, text, match)
            and not _charged_in_another_channel(f, text, match.span())]


# Where a customer signs up: a fee named for one channel ("In-store activation charge") is not what a claim about
# another ("No activation charge for orders on cobaltwireless.com", 网上办理免开户费) denies.
_CHANNELS = {
    "online": lazy(r"(?<![a-z])(?:online|on (?:our |the )?(?:website|web|app)|on [a-z0-9-]+\.(?:com|co\.uk|com\.au|example)"
                   r"|web orders?|in the app|via the app)(?![a-z])|网上|线上|官网|网厅|app内"),
    "store": lazy(r"(?<![a-z])(?:in[- ]store|in (?:a |our )?(?:store|shop)s?|retail|over the counter)(?![a-z])"
                  r"|门店|门市|营业厅|实体店"),
    "phone": lazy(r"(?<![a-z])(?:by phone|over the phone|telesales|phone orders?)(?![a-z])|电话办理|电话订购"),
}


def _charged_in_another_channel(fee, text: str, span: tuple[int, int]) -> bool:
    """The fee's name ties it to a sign-up channel and the claim's sentence names another one."""
    name = normalize(fee.name).text
    fee_channels = {c for c, words in _CHANNELS.items() if words.search(name)}
    if not fee_channels:
        return False
    left, right = sentence_bounds(text, *span)
    said = {c for c, words in _CHANNELS.items() if words.search(text, left, right)}
    return bool(said) and not said & fee_channels


def _a_fee_of_kind(fee, kind: str, text: str, match) -> bool:
    """The fee is a charge of the kind the claim denies: named so, one-off (an admin fee may be monthly), and not
    a charge for equipment the claim's sentence does not speak of ("No set-up fee for broadband" beside a TV
    box's set-up charge)."""
    name = normalize(fee.name).text
    if not _FEE_OF_KIND[kind].search(name) or (kind != "admin" and fee.recurrence != "one_time"):
        return False
    kinds = equipment_kinds(name) - {"sim"}
    if kinds:
        start, end = sentence_bounds(text, *match.span())
        return bool(kinds & equipment_kinds(text[start:end]))
    return True


# A monthly price in the words around it: "29元/月", "月费29元", "your $45 plan"
_MONTHLY_WORD_BEFORE = lazy(r"(?:月费|月租|月付|套餐费|套餐|资费|plan|bill|monthly)\s?(?:是|为|只要|仅)?\s?$")


def _monthly_prices_below(campaign: Campaign, material, price: Decimal) -> list[Decimal]:
    """Monthly amounts below the new price in the material and the offer summary: what the customer pays now."""
    summary = campaign.offer.get("summary")
    texts = [material.norm] + ([normalize(summary)] if isinstance(summary, str) else [])
    # "the price goes up by £1 a month": an increase, not a price
    rises = {amount for text in texts for amount, _ in stated_increments(text)}
    return sorted({m.amount for text in texts for m in find_money(text) if 0 < m.amount < price
                   and m.amount not in rises
                   and (m.period == "month" or _MONTHLY_WORD_BEFORE.search(text.text, max(0, m.start - 8), m.start))})


# "禁止：不得使用“免费升级”等表述", "never say 'no extra cost'": an instruction to staff, not a claim
_FORBIDDEN_BEFORE = lazy(r"(?:不得|禁止|严禁|切勿|不要说|不能说|don't say|do not say|never say|avoid|must not say)[^.。!！?？]{0,12}$")


def _said_of_the_change(text: str, span: tuple[int, int], prices: list, currency: str) -> bool:
    """The claim is made to the customer about the change: not quoted, forbidden, said of the time after the
    minimum period ("After the minimum period: same price"), or beside the new price in its sentence."""
    if in_name_or_citation(text, *span) or _FORBIDDEN_BEFORE.search(text, max(0, span[0] - 20), span[0]):
        return False
    if about_after_the_end(text, *span) or _said_of_after_the_period(text, span):
        return False
    sentence = normalize(text[slice(*sentence_bounds(text, *span))])
    return not any(states_amount(sentence, amount, currency) for _, amount in prices)


@check("CLM-011")
def plan_change_said_to_cost_nothing_more(campaign: Campaign, params: dict):
    """Case C9: a plan change sold as free (免费升级, 月费不变, "no extra cost") while the new plan costs more a month
    than the customer pays now; the sentence that says so does not give the new price."""
    change = plan_change_prices(campaign)
    if change is None:
        return
    prices, new_price = change
    currency = prices[0][0].currency
    for material in campaign.materials:
        text = material.norm.text
        claims = [span for span in no_increase_claims(text) if _said_of_the_change(text, span, prices, currency)]
        if not claims:
            continue
        current = _monthly_prices_below(campaign, material, new_price)
        if current:
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` says the change costs nothing more, but the new plan costs "
                                "{price} a month against {current} now", kind=T(material.kind), material=material.id,
                                price=fmt_amount(new_price, currency), current=fmt_amount(current[-1], currency)),
                              material.norm, claims[:3], material.id)


@check("CLM-012")
def price_lock_contradicted(campaign: Campaign, params: dict):
    promised = [(material, spans) for material in campaign.sign_up_materials
                if (spans := price_lock_claims(material.norm.text))]
    if not promised:
        return  # the terms are read only for a campaign that promises the price will not go up
    if any(m.kind in CONTRACT_KINDS and price_lock_claims(m.norm.text) for m in campaign.customer_materials):
        return  # the contract makes the promise itself: its own price-lock clause governs the general one
    clauses = [(material, span) for material in campaign.customer_materials
               for span in price_change_clauses(material.norm.text, sentence_bounds)]
    if not clauses:
        return
    where, span = clauses[0]
    clause = where.norm.original[slice(*where.norm.span(*span))]
    for material, spans in promised:
        yield hit_in_text(material.pointer,
                          T("the {kind} `{material}` promises that the price will not go up, but the {other_kind} "
                            "`{other}` lets the operator change it (\"{clause}\")", kind=T(material.kind),
                            material=material.id, other_kind=T(where.kind), other=where.id, clause=clause),
                          material.norm, spans[:3], material.id)
