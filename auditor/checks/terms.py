"""Terms disclosure (cases C5, C6, C8, C10): the conditions that can take a
benefit away are stated where the customer decides."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from auditor.campaign import Campaign, Material
from auditor.checks._util import advertises_amount, find, fmt_amount, hit_in_text, sentence_bounds, states_amount
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.context import negated_in_chinese
from auditor.text.dates import find_durations
from auditor.text.lazy import lazy
from auditor.text.money import find_money
from auditor.text.normalize import norm, normalize
from auditor.text.numbers import ENGLISH_NUMBERS

CONTRACT_KINDS = ("contract", "terms")


def _durations_of(campaign_text_norm, days: int | None = None, months: int | None = None,
                  with_frequencies: bool = False) -> list:
    """The durations in the text of the given length."""
    def of_the_length(d) -> bool:
        if days is not None and (d.in_days() == days or (d.unit == "months" and d.value * 30 == days)
                                 # 365 days is a year, 12 months; 90 days three months: calendar lengths vary
                                 or (d.unit in ("months", "years") and abs(d.in_months() * 30.44 - days) <= 6)):
            return True
        return months is not None and abs(d.in_months() - months) < 0.01

    return [d for d in find_durations(campaign_text_norm, with_frequencies) if of_the_length(d)]


def _mentions_duration(campaign_text_norm, days: int | None = None, months: int | None = None,
                       with_frequencies: bool = False) -> bool:
    return bool(_durations_of(campaign_text_norm, days, months, with_frequencies))


# A reminder's lead time is no validity: "优惠到期前30日短信提醒", "30 days before your bonus expires"
_LEAD_BEFORE = lazy(r"(?:到期|届满|期满|结束|截止|失效)前\s?$")
_LEAD_AFTER = lazy(r"\s?(?:前|(?:before|prior to|ahead of)(?![a-z]))")


_NOTICE = lazy(r"提醒|通知|短信|(?<![a-z])(?:remind\w*|notif\w*|notice|warn\w*|tell you|text you|email you|message)"
               r"(?![a-z])")


def _a_reminders_lead_time(text: str, duration) -> bool:
    """"优惠到期前30日、7日短信提醒", "we'll text you 30 days before it expires": when a reminder goes out, not
    how long something is valid (a lead time, with a reminder word close after it)."""
    lead = (_LEAD_BEFORE.search(text, max(0, duration.start - 6), duration.start)
            or _LEAD_AFTER.match(text, duration.end))
    return bool(lead) and bool(_NOTICE.search(text, duration.end, duration.end + 40)
                               or _NOTICE.search(text, max(0, duration.start - 40), duration.start))


def _states_validity(text, days: int | None, months: int | None, params: dict) -> bool:
    """The text states the limit: its length (not a reminder's lead time) and a validity word, or, for one
    month, a validity bound to the calendar month (`当月有效，月底清零`, "unused data does not roll over")."""
    words = find(params["validity_words"], text)
    # "allowances expire at the end of each 30-day period": how often is how long each one is valid
    for d in _durations_of(text, days, months, with_frequencies=True) if words else []:
        if _a_reminders_lead_time(text.text, d):
            continue
        return True
    return (months == 1 or days in (30, 31)) and bool(find(params["month_bound"], text))


@check("TER-001")
def validity_limit_undisclosed(campaign: Campaign, params: dict):
    contracts = [m for m in campaign.customer_materials if m.kind in CONTRACT_KINDS]
    for i, limit in campaign.validity_limits:
        days, months = limit.get("days"), limit.get("months")
        days = days if isinstance(days, int) and not isinstance(days, bool) else None
        months = months if isinstance(months, int) and not isinstance(months, bool) else None
        subject = T(str(limit.get("subject", "prepaid_balance")).replace("_", " "))
        length = T("{n} days", n=days) if days else T("{n} months", n=months)
        if not contracts:
            # sold without terms (a prepaid pack bought at a checkout): the limit goes where the pack is sold
            if not any(_states_validity(m.norm, days, months, params) for m in campaign.pre_signup_materials):
                yield Hit(f"/validity_limits/{i}",
                          T("the {subject} expires after {length}, but the campaign has no contract or terms, and no "
                            "material seen before sign-up states that limit", subject=subject, length=length))
            continue
        if any(_states_validity(m.norm, days, months, params) for m in contracts):
            continue
        yield Hit(f"/validity_limits/{i}",
                  T("the {subject} expires after {length}, but no contract or terms material states that limit",
                    subject=subject, length=length))


_LATIN_UNIT = lazy(r"[a-z0-9]+")
_NOT_HAN = lazy(r"[^\u4e00-\u9fff]")


@lru_cache(maxsize=32)
def _grams(text: str) -> frozenset[str]:
    """Word-ish units: Latin words and digits, and character pairs of Chinese (which has no spaces).
    Cached for the campaign at hand (every condition is compared with the same material texts); a few dozen
    entries, as each holds thousands of pairs and no text repeats across campaigns (issue #20)."""
    units = set(_LATIN_UNIT.findall(text))
    han = _NOT_HAN.sub(" ", text).split()
    for run in han:
        units |= {run[i:i + 2] for i in range(len(run) - 1)} or {run}
    return frozenset(units)


_FIGURE = lazy(r"\d+(?:\.\d+)?")
# Words that carry no condition ("the line must be on the plan"): left out of the share of words matched.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "to", "on", "in", "at", "by", "for", "with", "from", "be", "is", "are", "was",
    "must", "when", "if", "your", "you", "it", "its", "this", "that", "as", "any", "all", "each", "per", "not", "no"})


# What a condition requires comes after its gate word: "$5/mo. AutoPay discount requires AutoPay and paperless
# billing" requires AutoPay and paperless billing (the $5 is the benefit, said however the material likes:
# "$55, or $50 with AutoPay").
_GATE = lazy(r"(?<![a-z])(?:requires?|required|needs?|only (?:if|with|when|for)|subject to|conditional on"
                   r"|provided (?:that|you))(?![a-z])|须|需要|需|要求|仅限")
_AMOUNT = lazy(r"[$£€¥]\s?\d+(?:\.\d+)?|\d+(?:\.\d+)?\s?(?:元|块|eur|usd|gbp|aud|hkd|twd|cny)")


_WEB_ADDRESS = lazy(r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/[a-z0-9/_-]+")


def _points_to_its_page(wanted: str, material_text: str) -> bool:
    """"*Claim required within 60 days; see redwood.example/etf": a footnote that gives the condition's own page
    and one of its figures states it in short, the page holding the rest."""
    for address in _WEB_ADDRESS.findall(wanted):
        at = material_text.find(address.split("://")[-1])
        if at == -1:
            continue
        start, end = sentence_bounds(material_text, at, at + len(address))
        start = min(start, material_text.rfind("\n", 0, at) + 1)  # the footnote's line
        if set(_FIGURE.findall(wanted)) & set(_FIGURE.findall(material_text[start:end])):
            return True
    return False


def mentions_condition(material_text: str, condition: str) -> bool:
    """The condition is stated when its wording is there, exactly or mostly (a paraphrase keeping the
    threshold, the device binding, ...): at least 60% of its words or character pairs, or of the words after
    its gate word when the condition names one."""
    wanted = norm(condition)
    if wanted in material_text:
        return True
    if _points_to_its_page(wanted, material_text):
        return True
    if _mostly_there(wanted, material_text) or _same_threshold(wanted, material_text):
        return True
    # "Trade-in credit depends on the model and condition": "get up to £400 back" says the amount varies
    if _VARIES.search(wanted) and _UP_TO_AMOUNT.search(material_text):
        return True
    gate = _GATE.search(wanted)
    if gate is None:
        return False
    # the benefit's own amount before the gate is not part of what the customer must do
    figures_before = set(_FIGURE.findall(_AMOUNT.sub(" ", wanted[:gate.start()])))
    return figures_before <= set(_FIGURE.findall(material_text)) and _mostly_there(wanted[gate.end():], material_text)


_NUMBER_WORD = lazy(r"(?<![a-z])(?:" + "|".join(sorted(ENGLISH_NUMBERS, key=len, reverse=True)) + r")(?![a-z])")


def _figures(text: str) -> set[str]:
    return set(_FIGURE.findall(text)) | {str(ENGLISH_NUMBERS[w]) for w in _NUMBER_WORD.findall(text)}


# A threshold, however it is worded: "at least 5 lines", "a minimum of five lines", "5+ lines", "5 or more lines"
# (a floor); "up to 5 lines", "Maximum 5 additional lines", "no more than five lines" (a ceiling). A word that
# qualifies the counted noun ("5 continuous years", "5 additional lines") is passed over.
_COUNT = r"(\d+|" + "|".join(sorted((w for w in ENGLISH_NUMBERS if len(w) > 2), key=len, reverse=True)) + r")"
_QUALIFIER = r"(?:(?:additional|extra|further|other|more|eligible|continuous|consecutive|full|straight|mobile)\s)?"
_THRESHOLD = lazy(r"(?:at least|a minimum of|minimum of|no fewer than|not less than)\s" + _COUNT
                  + r"\s" + _QUALIFIER + r"([a-z]{3,})|" + _COUNT + r"\s?(?:\+|or more)\s" + _QUALIFIER
                  + r"([a-z]{3,})|(?<![a-z])(?:up to|a maximum of|maximum of|maximum|max\.?|no more than|not more than"
                  r"|at most)\s" + _COUNT + r"\s" + _QUALIFIER + r"([a-z]{3,})")
# the counted noun, abbreviated as people write it ("5+ yrs", "12 mths")
_NOUN_STEMS = {"yrs": "year", "yr": "year", "mths": "mont", "mth": "mont", "mos": "mont", "wks": "week", "wk": "week"}
_VARIES = lazy(r"(?<![a-z])(?:depends? on|varies|vary|based on|set by|subject to (?:assessment|valuation))"
                     r"(?![a-z])|取决于|视.{1,8}而定")
_UP_TO_AMOUNT = lazy(r"(?<![a-z])up to\s?[$£€¥]|最高(?:可)?(?:享|返|抵|得)?\d")


def _thresholds(text: str) -> set[tuple[str, str, str]]:
    """(floor or ceiling, the count, the counted noun's stem) of each threshold the text sets."""
    found = set()
    for m in _THRESHOLD.finditer(text):
        kind, count, noun = ("ceiling", m.group(5), m.group(6)) if m.group(5) else \
            ("floor", m.group(1), m.group(2)) if m.group(1) else ("floor", m.group(3), m.group(4))
        found.add((kind, str(ENGLISH_NUMBERS.get(count, count)), _NOUN_STEMS.get(noun, noun[:4])))
    return found


def _same_threshold(wanted: str, material_text: str) -> bool:
    """The condition is a threshold (a number of lines, of members), and the material states the same one."""
    needed = _thresholds(wanted)
    return bool(needed) and needed <= _thresholds(material_text)


def _mostly_there(wanted: str, material_text: str) -> bool:
    units = _grams(wanted) - _FUNCTION_WORDS
    if not units:
        return False
    found = _grams(material_text)
    # the figures are the condition (30户, $85/mo, 36 months): a paraphrase keeps every one of them, in figures
    # or in words ("at least 5 lines" is "a minimum of five lines")
    if not set(_FIGURE.findall(wanted)) <= _figures(material_text):
        return False
    return len(units & found) / len(units) >= 0.6


def _where_conditions_belong(campaign: Campaign) -> dict[str, Material]:
    """The materials a condition of the offer must be stated in: the promotional ones giving a promotional
    price, and the contract terms."""
    # the promotional prices, or where the offer has none, the prices it is advertised at
    promo_amounts = [(f.promo_amount, f.currency) for f in campaign.fees if f.promo_amount is not None] or [
        (f.amount, f.currency) for f in campaign.fees if f.amount and f.recurrence in ("monthly", "one_time", "per_use")]
    price_materials = [m for m in campaign.pre_signup_materials
                       if m.is_promotional and any(advertises_amount(m.norm, a, c) for a, c in promo_amounts)]
    contracts = [m for m in campaign.customer_materials if m.kind in CONTRACT_KINDS]
    return {m.id: m for m in price_materials + contracts}


def _gates_the_benefit(condition: str, params: dict, fee_amounts: frozenset = frozenset()) -> bool:
    """A condition that can forfeit the benefit or change the price (a threshold, a device binding, a
    discount lost: cases C5, C10) belongs beside every promotional price; a plain precondition of the
    service (the address in coverage, new customers only, an age, the sign-up window, an extra line needing the
    main one: "Extra medlemmar (99 kr/mån) kräver ett huvudabonnemang", whose amount is the extra line's own
    fee) says who may buy: it belongs before sign-up, not in the contract or its summary, which bind whoever
    did buy (a contract summary, a CIS or a key-facts statement leaving it out is complete)."""
    text = normalize(condition)
    # "返还期内号码销户或携号转出的，剩余未返还赠款不再返还": what leaving forfeits is an exit term of the contract
    if _ON_LEAVING.search(text.text):
        return False
    return bool(params["benefit_gates"].find(text) or any(m.amount not in fee_amounts for m in find_money(text)))


_ON_LEAVING = lazy(r"销户|携号转出|携出|转网|离网|拆机|(?<![a-z])(?:if you (?:cancel|leave|terminate|port out)|on (?:cancellation"
                   r"|termination|leaving)|when you (?:cancel|leave|port out))(?![a-z])")


_UNLOCKS = lazy(r"(?<![a-z])(?:for|to get|to receive|to qualify for|to pay|up to|refund of|worth)\s$")


def _advertising_what_it_gates(materials: dict[str, Material], condition: str, currency: str | None,
                               fee_amounts: frozenset) -> dict[str, Material]:
    """Where a condition naming what it gates must be stated: the contract documents, and the promotional
    materials that advertise it. What it gates is an amount it unlocks ("well-qualified credit for $0 down": a
    call script quoting the monthly instalments without "$0 down" makes no promise the condition qualifies) or
    another fee of the table ("Extra medlemmar (99 kr/mån) kräver ett huvudabonnemang": an advert for the main
    subscription alone says nothing of extra members)."""
    text = normalize(condition)
    # not a threshold it sets ("月租799型以上", "$60 or more"), which no fee of the table is
    amounts = [m.amount for m in find_money(text)
               if _UNLOCKS.search(text.text, max(0, m.start - 16), m.start) or m.amount in fee_amounts]
    if not amounts:
        return materials
    return {key: m for key, m in materials.items()
            if m.kind in CONTRACT_KINDS or any(advertises_amount(m.norm, a, currency) for a in amounts)}


def _not_stating(required: dict[str, Material], condition: str, disclosed_in) -> list[Material]:
    """The materials that should state the condition and do not: every promotional one giving the price, and
    the contract documents as a set (the summary or the terms; a condition in one of them is in the contract)."""
    def states(m: Material) -> bool:
        return m.id in disclosed_in or mentions_condition(m.norm.text, condition)

    contracts = [m for m in required.values() if m.kind in CONTRACT_KINDS]
    missing = [m for m in required.values() if m.kind not in CONTRACT_KINDS and not states(m)]
    if contracts and not any(states(m) for m in contracts):
        missing += contracts
    return missing


@check("TER-002")
def eligibility_not_disclosed(campaign: Campaign, params: dict):
    everywhere = _where_conditions_belong(campaign)
    fee_amounts = frozenset(a for f in campaign.fees for a in (f.amount, f.promo_amount) if a)
    for i, condition, disclosed_in in campaign.eligibility:
        required = (_advertising_what_it_gates(everywhere, condition, campaign.currency, fee_amounts)
                    if _gates_the_benefit(condition, params, fee_amounts) else {})
        missing = _not_stating(required, condition, disclosed_in)
        if missing:
            where = Join([T("{kind} `{material}`", kind=T(m.kind), material=m.id) for m in missing])
            yield Hit(f"/offer/eligibility/{i}",
                      T("the condition \u201c{condition}\u201d is not stated in {where} (where the promotional price "
                        "or the contract terms are given)", condition=condition, where=where))
        elif not required and not any(m.pre_signup for m in campaign.materials_named(disclosed_in)) and not any(
                mentions_condition(m.norm.text, condition) for m in campaign.pre_signup_materials):
            yield Hit(f"/offer/eligibility/{i}",
                      T("the condition \u201c{condition}\u201d is stated in no material seen before sign-up",
                        condition=condition))


# A path through an app or account menu is an instruction whatever language it is in: "Área de Cliente > Os
# meus serviços > Netflix > Ativar", "我的 → 权益中心 → 领取", "Account › Add-ons › Redeem".
_MENU_PATH = lazy(r"[^\s>›→»][^>›→»\n]{0,40}\s?[>›→»]\s?[^>›→»\n]{1,40}\s?[>›→»]\s?[^\s>›→»]"
                        # one step, named as a place in the app: "i Skagen-appen under Profil > Studierabat"
                        r"|(?:under|in|unter|dans|en|em|na|i|onder|sous|bajo|sotto|w)\s[^\s>›→»\d]{2,20}\s?[>›→»]\s?"
                        r"[^\s>›→»\d]")


# A way to apply, named in the sentence that says the customer must: a channel, a number or code to send, an
# address, an account page ("学生优惠须另行申请" alone says that, not how; "须在App内申请" says both).
_WAY = lazy(
    r"(?<![a-z])(?:app|online|website|web|portal|my account|account|store|shop|call|phone|ring|text|sms|email|e-mail|"
    r"form|code|log ?in|sign in|click|tap|scan|visit|counter|in person|hotline)(?![a-z])"
    r"|www\.|https?://|[a-z0-9-]+\.(?:example|com|net|org|co|hk|tw|cn|au|uk|eu|de|fr|es|it|nl)(?![a-z])|\d{5,}"
    r"|网站|官网|网上|线上|在线|网页|门市|门店|营业厅|专营店|服务中心|客服|热线|致电|拨打|电话|短信|发送|回复|编辑|邮件|"
    r"扫(?:qr ?)?码|二维码|登录|登入|点击|填写|表格|柜台|窗口|小程序|公众号"
    r"|(?<![a-zà-ÿ])(?:online|im shop|en boutique|en tienda|in negozio|in de winkel|per sms|par sms|por sms|per e-mail"
    r"|kundenservice|service client|atención al cliente|servizio clienti|klantenservice)(?![a-zà-ÿ])")


_NEGATED_APPLY = lazy(r"(?:不可|不能|无需|无须|不得|不用|毋须|免)\s?$|(?<![a-z])(?:no need to|don't need to|do not need to"
                     r"|not|never|cannot|can't)\s(?:[a-z]+\s)?$")


# A control on the page that is itself the opt-in: a button or an unticked box whose label names the step
# ("[Activate ReelBox]", "[Add pack]", "[ ] Activar AutoRecarga", "[申請免費試用]"); a generic "[Buy now]" or
# "[Confirm my new plan]" signs up to the offer and is no separate application for a benefit.
_CONTROL = lazy(r"\[\s?[x✓✔]?\s?\]\s?([^\n]{2,120})|\[([^\[\]\n]{2,60})\]")
_OPT_IN_LABEL = lazy(r"(?<![a-z])(?:activate|activar|activer|aktivieren|attivare|activeren|add|turn on|switch on"
                     r"|opt in|opt-in|apply|claim|redeem|enrol|enroll|register|sign me up for)(?![a-z])"
                     r"|申请|领取|开通|登记|兑换|报名|加购|订购")


def _an_opt_in_control(text: str) -> bool:
    for control in _CONTROL.finditer(text):
        label = control.group(1) or control.group(2)
        if _OPT_IN_LABEL.search(label) and not _CANCELLING.search(label):
            return True
    return False


def _says_how_to_apply(material, params: dict) -> bool:
    text = material.norm.text
    if any(not _CANCELLING.search(text, *sentence_bounds(text, m.start(), m.end())) for m in _MENU_PATH.finditer(text)):
        return True  # a path in the app, not the one to cancel by ("cancel online at My Account > Services")
    if _an_opt_in_control(text):
        return True
    for match in find(params["apply_words"], material.norm):
        if match.key == "how":
            if match.entry.term in ("text", "reply") and _PRICED_AFTER.match(text, match.end):
                continue  # "Talk 10¢/min · Text 5¢": the service and its price, not "text BONUS to 1234"
            return True
        if _NEGATED_APPLY.search(text, max(0, match.start - 12), match.start):
            continue  # 不可兑换现金, "no need to register": not a step the customer takes
        start, end = sentence_bounds(text, match.start, match.end)
        if _WAY.search(text, start, end):
            return True
    return False


_CANCELLING = lazy(r"(?<![a-z])(?:cancel\w*|terminat\w*|unsubscrib\w*|opt[- ]out|turn off|switch off|stop)(?![a-z])"
                   r"|取消|退订|退訂|终止|終止|解约|解約|关闭|關閉|kündig\w*|résili\w*|cancela\w*|disdett\w*|opzeg\w*")


# A price right after the word: "text 5¢", "text (5¢)", "text $0.05/message" name the service's rate
_PRICED_AFTER = lazy(r"\s?\(?\s?(?:[$£€]\s?\d|\d+(?:[.,]\d+)?\s?(?:¢|c(?![a-z])|p(?![a-z])|cents?|pence|/))")


@check("TER-003")
def opt_in_without_instructions(campaign: Campaign, params: dict):
    if not campaign.requires_opt_in:
        return
    if any(_says_how_to_apply(m, params) for m in campaign.pre_signup_materials):
        return
    yield Hit("/offer/requires_opt_in",
              T("customers must apply separately to get the benefit, but no material says so or how to apply"))


# "剩餘月數 × $90", "remaining months × HK$80", "每剩一個月收HK$30": a charge per month left of the minimum period
_PER_REMAINING_MONTH = lazy(r"(?<![a-z])(?:remaining|unexpired) (?:contract )?months|months? (?:remaining|left)"
                            r"|each (?:remaining|unexpired) month|per (?:remaining|unexpired) month|剩余(?:合约)?月数|剩余合约期"
                            r"|每剩(?:余)?(?:一|1)个?月|mois restants|meses restantes|restliche(?:n)? monate"
                            r"|mesi residui|resterende maanden|meses remanescentes")


def _per_remaining_month(campaign: Campaign, amount: Decimal, months: int) -> bool:
    """A material gives the exit charge as so much per month left ("remaining months × HK$80"), which over the
    whole minimum period comes to the early-termination fee."""
    for material in campaign.pre_signup_materials:
        text = material.norm.text
        for remaining in _PER_REMAINING_MONTH.finditer(text):
            # the amounts of its line (a window could cut "$599" to "99") within 30 characters of it
            start, end = text.rfind("\n", 0, remaining.start()) + 1, text.find("\n", remaining.end())
            line = text[start:len(text) if end < 0 else end]
            near = range(remaining.start() - start - 30, remaining.end() - start + 30)
            if any(m.start in near and abs(m.amount * months - amount) <= Decimal("0.05") * months
                   for m in find_money(normalize(line))):
                return True
    return False


def _the_remaining_months(campaign: Campaign, amount: Decimal, months: int) -> bool:
    """The early-termination fee is the whole minimum period's monthly price (the most a customer who leaves at
    once pays: the remaining months), at the promotional or the full price, and a material states that price."""
    for fee in campaign.fees:
        if fee.recurrence != "monthly":
            continue
        for price in (fee.promo_amount, fee.amount):
            if price and abs(price * months - amount) <= Decimal("0.05") * months and any(
                    states_amount(m.norm, price, fee.currency) for m in campaign.pre_signup_materials):
                return True
    return False


@check("TER-004")
def commitment_undisclosed(campaign: Campaign, params: dict):
    commitment = campaign.commitment
    months = commitment.get("months")
    if not isinstance(months, int) or isinstance(months, bool):
        return
    materials = campaign.pre_signup_materials
    if not any(_mentions_duration(m.norm, months=months) for m in materials):
        yield Hit("/offer/commitment/months",
                  T("the {months}-month minimum contract period is stated in no material seen before sign-up",
                    months=months))
    fee = commitment.get("early_termination_fee")
    if isinstance(fee, (int, float)) and not isinstance(fee, bool) and fee > 0:
        amount = Decimal(str(fee))
        # the exit cost is what the minimum period costs (24 × 39,99 €): a material giving the period and the
        # monthly price states it, as the contract summary of a German 24-month contract does
        if _the_remaining_months(campaign, amount, months) and any(
                _mentions_duration(m.norm, months=months) for m in materials):
            return
        if _per_remaining_month(campaign, amount, months):
            return
        if not any(states_amount(m.norm, amount, campaign.currency) for m in materials):
            yield Hit("/offer/commitment/early_termination_fee",
                      T("leaving early costs {amount}, but no material seen before sign-up states it",
                        amount=fmt_amount(amount, campaign.currency)))


@check("TER-006")
def commitment_over_24_months(campaign: Campaign, params: dict):
    """EECC art 105(1): no consumer commitment longer than 24 months."""
    months, limit = campaign.commitment_months, params.get("max_months", 24)
    if months and months > limit:
        yield Hit("/offer/commitment/months", T("the minimum contract period is {months} months, longer than the "
                                               "{limit} months allowed", months=months, limit=limit))


# A verb of giving up before a statutory right within a few characters, whatever words sit between them
# (同意拋棄契約審閱期間, 自愿放弃七日无理由退货的权利); the lexicon holds the English and fixed phrasings.
_WAIVES_A_RIGHT = lazy(r"(?:放弃|抛弃|舍弃|不(?:另行|再|得)?主张)[^。；;,，\n]{0,8}?(?:审阅期|审阅权|审阅|冷静期|犹豫期|无理由退|"
                             r"解约权|退货|撤回权|解除权)")


# "本公司不得要求消費者拋棄審閱期", "we will never ask you to give up": a promise not to ask for the waiver
_FORBIDS_ASKING = lazy(r"(?:不得|不会|不能|不可|不应|禁止|无须|毋须|不必|不需|不以任何方式)(?:要求|请求|让|强制|强迫|请)"
                       r"[^。；;，,\n]{0,8}$|(?<![a-z])(?:never|not|won't|cannot|can't|don't|do not|will not|may not)"
                       r" (?:ask|require|make|force) (?:you|customers?|the customer|consumers?)(?: to)?\s?$")


# "任何預先拋棄審閱期之約定均屬無效", "any waiver of these rights is void": the waiver named to say it has no effect
# (the law restated), in the waiver's own clause
_DECLARED_VOID = lazy(r"[^。；;.!?\n]{0,20}?(?:无效|不生效力|不发生效力|不构成(?:契约|合同)(?:之)?内容|(?<![a-z])(?:is|are|shall be"
                      r"|will be|would be|be)\s(?:null and\s|legally\s)?void|(?<![a-z])(?:has|have|shall have) no (?:legal )?"
                      r"effect|unenforceable|(?<![a-z])not (?:legally )?binding)")


@check("TER-005")
def waiver_of_statutory_rights(campaign: Campaign, params: dict):
    for material in campaign.customer_materials:
        if material.is_notification:
            continue
        text = material.norm.text
        matches = [(m.start, m.end) for m in find(params["rights_waivers"], material.norm)]
        matches += [m.span() for m in _WAIVES_A_RIGHT.finditer(text) if not any(s <= m.start() < e for s, e in matches)]
        matches = [span for span in matches if not negated_in_chinese(text, span[0])
                   and not _FORBIDS_ASKING.search(text, max(0, span[0] - 24), span[0])
                   and not _DECLARED_VOID.match(text, span[1])]
        if matches:
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` asks the customer to give up a right the law grants (a "
                                "review period, cooling-off or withdrawal right); such a clause is void and "
                                "misleads", kind=T(material.kind), material=material.id),
                              material.norm, sorted(matches)[:3], material.id)


# The summary names itself: "Critical Information Summary", "CIS" as a word.
_CIS = lazy(r"critical information summary|(?<![a-z])cis(?![a-z])")


# The contract summary's title in the languages of UK and EU campaigns, or the implementing regulation it cites
_CONTRACT_SUMMARY = lazy(r"contract summary|summary of (?:your|the) contract|vertragszusammenfassung|récapitulatif"
                         r" contractuel|résumé (?:du|de votre) contrat|resumen del contrato|sintesi contrattuale"
                         r"|contractsamenvatting|samenvatting van (?:het|uw|je) contract|podsumowanie umowy"
                         r"|resumo do contrato|avtalssammanfattning|shrnutí smlouvy|sopimustiivistelmä"
                         r"|rezumatul contractului|σύνοψη σύμβασης|kontraktoversigt|aftaleoversigt|szerződés"
                         r"(?:es)? összefoglaló|zhrnutie zmluvy|2019/2243")


@check("TER-008")
def contract_summary_missing(campaign: Campaign, params: dict):
    """EECC art 102(3) and Ofcom GC C1.3: a contract summary before the contract is concluded."""
    if campaign.offer_type in params.get("exempt_offer_types", ()):
        return
    if any(_CONTRACT_SUMMARY.search(m.norm.text) for m in campaign.customer_materials):
        return
    yield Hit("/materials", T("no material is the contract summary the customer must get before the contract is "
                              "concluded"))


@check("TER-007")
def au_critical_information_summary(campaign: Campaign, params: dict):
    """TCP Code C628:2019: a Critical Information Summary for each offer, before sign-up."""
    if campaign.offer_type in params.get("exempt_offer_types", ()):
        return
    if any(_CIS.search(m.norm.text) for m in campaign.pre_signup_materials):
        return
    yield Hit("/materials", T("no material seen before sign-up is the offer's Critical Information Summary"))

