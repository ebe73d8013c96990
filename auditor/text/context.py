"""Context around a matched word: is it a claim, a name, a citation or a plain fact?

A word list finds `最高`, `best` or `unlimited`; whether the text *claims* something depends on
what stands around it. These functions look at the normal form (lower case, simplified script):

- `in_name_or_citation`: inside a quoted title (《广告法》, 「…」, "…") or part of an institution's name
  (最高人民法院, 最高人民检察院, Supreme Court): a name, not a claim;
- `states_a_figure`: followed by a figure (最高480元, 最高可享100GB, 最高收费25元, 最低5元起, up to 1Gbps): a
  truthful cap or floor the customer can check, which SAMR's 2023 guideline on absolute terms excludes, unless
  scoped to a market (全网最低58元 compares the offer with everyone's);
- `substantiated`: the text cites the basis of a superlative (a survey, a test, a source, a date);
- `unlimited_claims`: "unlimited" said of data or internet use (`unlimited local data`, `无限流量`,
  `上网吃到饱`), with up to two words between; `states_a_limit`: the fair-use limit that qualifies it.
"""

from __future__ import annotations

from functools import lru_cache

from auditor.text.lazy import LazyPattern, lazy
from auditor.text.normalize import TEXTS_CACHED

_OPENING_QUOTES = "《「『“\"〈"
_CLOSING_QUOTES = {"《": "》", "「": "」", "『": "』", "“": "”", "\"": "\"", "〈": "〉"}
# What follows an absolute word when it is part of a name: 最高人民法院, 最高法, 最高检, supreme court.
_INSTITUTION_AFTER = lazy(r"\s?(?:人民法院|人民检察院|法院|检察院|法[^律规]|检[^查测]|court|people's court)")
# A figure right after the word, allowing what it is a figure of in between (a verb or noun of up to four
# characters: 最高可享100GB, 最高收费25元, 每日最高收费25元, 最多可绑定3条, 最低消费58元): a cap or floor of the offer
# itself, which the customer can check. 5G is a network, not a figure.
_FIGURE_AFTER = lazy(r"\s?(?:(?:可享|可达|可获|可返|可减|可抵|可|享|达|至|为|送|返|减|抵|优惠|折扣)?\s?"
                           r"(?:\d[\d.,]*|[一二两三四五六七八九十百千万]+)(?![\d.,])(?!\s?g(?!b))"
                           # with other words between, the figure must be an amount or a count: 最高收费25元,
                           # 最多可绑定3条; 最便宜的500M光纤 names a product, not a cap
                           r"|[\u4e00-\u9fff]{1,4}?\s?(?:\d[\d.,]*|[一二两三四五六七八九十百千万]+)\s?"
                           r"(?:元|块|角|分钟|条|个|张|次|%|折|倍|gb|mb|天|日|人|部|台)(?![a-z]))")
# ...unless the word is scoped to a market, which makes it a comparison with everyone else: 全网最低58元.
_MARKET_BEFORE = lazy(r"(?:全网|全国|全球|全港|全台|全城|全省|全市|全区|全行业|业界|业内|行业|市场|同行|同类|史上|网内外)\s?$")
_UP_TO_BEFORE = lazy(r"(?:up to|as low as|from just|from only)\s?$")
# The long alternations below start with a lookahead naming the characters a match can start with, so
# that the engine skips every other position instead of trying each alternative there (tests compare them
# with the plain patterns: tests/test_text_fast_paths.py).
_BASIS = lazy(
    "(?=[abefgilnoqrstuvé根依据来调测统数报截])(?:"
    r"according to|source:|sources:|based on|survey|independent test|tested by|test results?|"
    r"ookla|opensignal|rootmetrics|umlaut|ofcom (?:data|report)|as of \d|report(?:ed)? by|awarded by|"
    r"根据|依据|据.{0,12}(?:调查|测试|报告|统计|数据)|来源[:：]|调查|测试结果|测评|统计|数据显示|报告显示|截至\d|截止\d"
    # the EU languages: laut/gemäß, Netztest, Testsieger, Quelle; selon, source, étude; según, fuente, estudio;
    # secondo, fonte, studio; volgens, bron, onderzoek
    r"|laut |gemäß|netztest|testsieger|quelle:|studie|umfrage|selon |étude|enquête|según|fuente:|estudio|encuesta"
    r"|secondo |fonte:|indagine|volgens |bron:|onderzoek)"
)
_UNLIMITED = lazy(
    "(?=[deulnwzisodfkg无不唔吃流上数])(?:"
    # in a list ending with data: "unlimited talk, text & data", "unlimited calls, texts and data" (not "unlimited
    # minutes and texts and 5G", which names the network)
    r"(?<![a-z])(?:unlimited|limitless|endless)(?:,?\s(?:&\s|and\s)?[a-z]+){1,3}?(?:,\s|\s&\s|,?\sand\s)"
    r"(?:data|internet)(?![a-z])|"
    r"(?<![a-z])(?:unlimited|limitless|endless)(?:\s[a-z0-9-]+){0,2}?\s(?:data|internet|broadband|browsing|streaming|"
    r"downloads?|usage|5g|4g|gb)(?![a-z])|data without limits"
    # said by negation: "No caps. No slowdowns.", "no data limits", "without throttling", 不限速, 不降速, 不封顶
    r"|(?<![a-z])(?:no|zero|without(?: any)?)\s(?:data\s)?(?:caps?|limits?|slowdowns?|throttling|speed limits?)(?![a-z])"
    r"|(?:无限|不限)量?(?:畅享|畅玩)?(?:流量|上网|数据)|无限量|[不唔]限量|无限畅享|吃到饱|[不唔]限速|[不唔]降速|不封顶"
    r"|(?:流量|上网|数据)(?:不限量|不限|无限|吃到饱|无上限)"
    # the EU languages, in either order: unbegrenztes Datenvolumen, internet illimité, datos ilimitados,
    # internet illimitato, onbeperkt internet, nielimitowany internet, dados ilimitados, obegränsad surf
    r"|(?<![a-zà-ÿ])(?:unbegrenzte?[snm]?|unlimitierte?[snm]?|illimitée?s?|ilimitad[oa]s?|illimitat[oi]|onbeperkte?"
    r"|nielimitowan[yea]|obegränsad|ubegrænset|korlátlan|neomezen[ýáé])\s(?:[a-zà-ÿ]+\s)?(?:surfen|daten\w*|internet"
    r"|data|données|datos|dati|dane|dados|surf|adat\w*)(?![a-zà-ÿ])"
    # said as a predicate: "i Giga sono illimitati", "your data is unlimited", "los datos son ilimitados"
    r"|(?<![a-zà-ÿ])(?:giga|dati|data|datos|données|daten|internet|gb)\s(?:sono|is|are|son|sont|sind|zijn|är|er)\s"
    r"(?:illimitat[io]|unlimited|ilimitad[oa]s|illimitée?s|unbegrenzt|onbeperkt|obegränsad|ubegrænset)(?![a-zà-ÿ])"
    r"|(?<![a-zà-ÿ])(?:internet|data|données|datos|dati|dane|dados|surf|datenvolumen|date)\s(?:[a-zà-ÿ]+\s)?"
    r"(?:illimitée?s?|ilimitad[oa]s?|illimitat[oi]|onbeperkt|unbegrenzt|nielimitowan[yea]|obegränsad|nelimitat[ăe]?)"
    r"(?![a-zà-ÿ]))"
)
# The limit that qualifies an "unlimited" claim: a fair-use policy, a speed reduction, a threshold.
_LIMIT = lazy(
    r"(?=[\dabcdeflmorstuvgdsé限降公合达超减首])(?:"
    r"fair us(?:e|age)|(?:fair go|reasonable use|responsible use) polic|(?:speeds?|data) (?:is |are |will be |gets? )?(?:reduced|limited|slowed|capped|throttled|shaped)|"
    r"(?:reduced|limited|slowed|capped|throttled|shaped) (?:to|speeds?|after)|"
    r"(?:after|over|beyond|above|exceed(?:ing)?|once you(?:'ve)? used) (?:your |the )?(?:first )?\d+\s?gb|"
    r"(?:capped at|limited to|up to) \d+\s?gb(?: a| per| each)? (?:month|day|billing)|"
    r"(?:at|reduced to|slowed to|capped at) (?:up to )?[\d.]+\s?[mk]bps|maximum speed after|"
    r"(?<![不无免唔冇没])限速|(?<![不无免唔冇没])降速|公平使用"
    # the EU languages: gedrosselt, Drosselung, débit réduit, velocidad reducida, velocità ridotta, snelheid
    # verlaagd, redelijk gebruik, uso razonable, utilisation raisonnable, prędkość obniżona, velocidade reduzida
    r"|gedrosselt|(?<!ohne )(?<!keine )drosselung|reduziert|danach (?:max\.? |maximal |nur )?[\d.,]+\s?[mk]bit|débit réduit|réduit à|velocidad reducida|se reduce|velocità ridotta|"
    r"ridotta a|verlaagd|vertraagd|redelijk gebruik|uso razonable|utilisation raisonnable|uso corretto|"
    r"obniżon|velocidade reduzida|strypt|合理使用|达量|超过\d+\s?gb|超出\d+\s?gb|\d+\s?gb(?:后|以上)"
    # a speed cut said in Chinese: 其后降至128kbps, 减速至1mbps, 首1gb为高速数据 (the first N GB at full speed)
    r"|(?:降至|降到|降为|减至|减到|减速至|限速至|限速为)\s?[\d.]+\s?[mk]bps|首\s?\d+\s?gb\s?(?:为|是)?\s?高速)"
)


def _spans(pattern: LazyPattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def in_name_or_citation(text: str, start: int, end: int) -> bool:
    """True when [start, end) is inside a quoted title or is part of an institution's name."""
    if _INSTITUTION_AFTER.match(text, end):
        return True
    for opening in _OPENING_QUOTES:
        left = text.rfind(opening, 0, start)
        if left < 0:
            continue
        closing = _CLOSING_QUOTES[opening]
        if opening == closing:
            # a straight quote opens when an odd number of them stand before it
            right = text.find(closing, end)
            if text.count(opening, 0, start) % 2 == 1 and right >= 0 and _title_like(opening, text[left + 1:right]):
                return True
            continue
        close_before = text.rfind(closing, left, start)
        right = text.find(closing, end)
        if close_before < 0 and right >= 0 and _title_like(opening, text[left + 1:right]):
            return True
    return False


# Quoted speech (a voice-over, a testimonial: "Ironbark. Australia's fastest 5G network.") is the advertiser's
# claim; a quoted title or name is short and holds no full stop. 《》 and 〈〉 mark titles whatever their length.
_SENTENCE_INSIDE = lazy(r"[.!?。！？]\s")


def _title_like(opening: str, quoted: str) -> bool:
    if opening in "《〈":
        return True
    return len(quoted) <= 60 and not _SENTENCE_INSIDE.search(quoted)


def states_a_figure(text: str, start: int, end: int) -> bool:
    """True when the word states a checkable cap or floor: a figure follows it, or `up to` precedes it."""
    if _MARKET_BEFORE.search(text[max(0, start - 4):start]) or _MARKET_BEFORE.search(text[start:end - 1]):
        return False  # 全网最低58元, and the word itself scoped (全台最 as one match)
    return bool(_FIGURE_AFTER.match(text, end)) or bool(_UP_TO_BEFORE.search(text[max(0, start - 14):start]))


def substantiated(text: str) -> bool:
    """True when the text cites the basis of its claims (survey, test, source, date)."""
    return bool(_BASIS.search(text))


def unlimited_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text promises unlimited data or internet use."""
    return _spans(_UNLIMITED, text)


def states_a_limit(text: str) -> bool:
    """True when the text states the limit behind an unlimited claim (fair use, a speed cut, a threshold)."""
    return bool(_LIMIT.search(text))


_DIGIT = lazy(r"\d")
# "Fair use: the service must be used for personal, non-commercial purposes": a policy on how, not how much
_USE_POLICY_ONLY = lazy(r"personal|non-commercial|lawful|acceptable use|resale|commercial purposes")


_FIXED_LINE = lazy(r"nbn|broadband|fibre|fiber|home internet|fixed|landline|宽带|光纤|固网")
_MOBILE_SERVICE = lazy(r"mobile|(?<![a-z])sim(?![a-z])|cellular|手机|移动数据")


def _between(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    """From after the last of `marks` before `start` to the first one after `end` (or the text's ends)."""
    left = max(text.rfind(mark, 0, start) for mark in marks) + 1
    right = min((i for i in (text.find(mark, end) for mark in marks) if i != -1), default=len(text))
    return left, right


def between_stops(text: str, start: int, end: int, stops: LazyPattern) -> tuple[int, int]:
    """From the end of the last match of `stops` before `start` to the start of the first one after `end`."""
    ends = [m.end() for m in stops.finditer(text, 0, start)]
    after = stops.search(text, end)
    return (ends[-1] if ends else 0), (after.start() if after else len(text))


def sentence_across_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end), across the line breaks of a wrapped paragraph ("your airtime continues
    month to month\nat £23.60.")."""
    return between_stops(text, start, end, _SENTENCE_STOP)


# a full stop that ends a sentence (not the one in £23.60), or a Chinese one
_SENTENCE_STOP = lazy(r"[.!?](?=\s|$)|[。！？]")


def fixed_line_claim(text: str, start: int, end: int) -> bool:
    """An unlimited claim about a fixed line ("Unlimited NBN data"), read in its sentence or line."""
    return bool(_FIXED_LINE.search(text, *_between(text, start, end, ".\n")))


def _of_a_mobile_service(text: str, at: int) -> bool:
    window = text[max(0, at - 160):at]
    return bool(_MOBILE_SERVICE.search(window)) and not _FIXED_LINE.search(window)


# Another use than the one claimed unlimited: sharing the connection (tethering, a hotspot) or using it abroad
# (roaming). "Unlimited data ...; tethering limited to 50GB a month" caps the sharing, not the data on the phone.
_OTHER_USE = lazy(r"(?<![a-z])(?:tethering|tether|hotspot|hot-spot|personal hotspot|roaming|abroad|overseas|in the eu"
                  r"|in europe|while travell?ing)(?![a-z])|热点|漫游|境外|海外")
_CLAUSE_MARKS = ".;\n"
_CLAUSE_SPLIT = lazy(r"[;\n]")


def _of_another_use(text: str, start: int, end: int) -> bool:
    """The cap is said of another use than the one the claim makes unlimited (see `_OTHER_USE`): its subject, in
    its clause just before it ("tethering limited to 50GB", "Tethering is limited to 50GB")."""
    left = max(_between(text, start, end, _CLAUSE_MARKS + ",")[0], start - 30)
    return bool(_OTHER_USE.search(text, left, start))


def _fair_use_scope(text: str, start: int, end: int) -> tuple[int, int]:
    """What a fair-use mention is read with: the brackets it stands in ("unlimited UK data (fair use; tethering
    50GB a month), ..."), else its sentence, across the line breaks of a wrapped paragraph and past the full stops
    of a web address ("Fair Use Policy (brackenwood.co.uk/fairuse): we won't slow you for normal personal use")."""
    opened, closed = text.rfind("(", 0, start), text.find(")", end)
    if opened != -1 and closed != -1 and text.rfind(")", opened, start) == -1 and text.find("(", end, closed) == -1 \
            and closed - opened < 160:
        return opened + 1, closed
    return sentence_across_lines(text, start, end)


# A fair-use policy by its names (Australia's "Fair Go Policy"): a cap only where its sentence sets one
_FAIR_USE_POLICIES = ("fair us", "fair go", "reasonable use", "responsible use")


def states_a_cap(text: str, of_fixed_line: bool = False) -> bool:
    """Like `states_a_limit`, but a fair-use mention counts only where its sentence sets a figure or a cut
    rather than only a policy on how the service is used (the campaign-wide reading of CLM-002); for a
    claim about a fixed line, not a cap said of the mobile service bundled with it ("Usage costs (mobile): ...
    data over 40GB: speed limited"); and not a cap on another use (tethering, roaming)."""
    for match in _LIMIT.finditer(text):
        if of_fixed_line and _of_a_mobile_service(text, match.start()):
            continue
        if _of_another_use(text, match.start(), match.end()):
            continue
        if not match.group().startswith(_FAIR_USE_POLICIES):
            return True
        # the sentence, across the line breaks of a wrapped paragraph
        sentence = text[slice(*_fair_use_scope(text, match.start(), match.end()))]
        # "(fair use; tethering 50GB a month)": the figure that explains the policy is another use's
        clauses = _CLAUSE_SPLIT.split(sentence)
        own = [c for c in clauses if not _OTHER_USE.search(c)]
        if _DIGIT.search(";".join(own)):
            return True
        if len(own) == len(clauses) and not _USE_POLICY_ONLY.search(sentence):
            return True
    return False


# Words that put a clause after the end of the term: "from 1 April 2028 you'll pay", "after that",
# "thereafter", "从2027年4月1日起", "到期后", "ab dem 1. April", "à partir du", "a partir del", "dal", "vanaf".
_AFTER_THE_END = lazy(
    r"(?<![a-z])(?:from (?:then|that date|the \d|\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul"
    r"|aug|sep|oct|nov|dec|your next|the next|the end)|after (?:that|this|it ends|the (?:term|contract|promotion|offer|"
    r"trial|minimum)|\d{1,2}\s?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,2}/\d{1,2})"
    r"|continues? (?:month to month|monthly|on a rolling)|afterwards|thereafter|then (?:on|you(?:'ll| will))|once (?:it|the \w+|your \w+) ends"
    r"|ab (?:dem|\d)|danach|anschließend|à partir d[eu]|ensuite|a partir del?|después|dopo|a partire da|in seguito"
    r"|vanaf|daarna|na afloop"
    # what carries on past the end: "your plan carries on at £23.60 a month", "reverts to", "rolls onto"
    r"|carr(?:y|ies) on|continues? (?:at|on)|rolls? (?:on|over)(?:to)?|moves? (?:on)?to|reverts? to|goes up to"
    r"|rises to|will (?:then )?(?:cost|be charged|go up)|läuft weiter|weiterhin|passe à|pasa a|passa a"
    r"|gaat over)(?![a-z])"
    r"|之后|以后|届时|到期后|期满后|继续|恢复|转为|起[，,]?(?:按|恢复|月费|资费|每月|将|收取)|起(?=\s?\d)")


def about_after_the_end(text: str, start: int, end: int) -> bool:
    """True when the clause [start, end) speaks of the time after the term ends (see `_AFTER_THE_END`)."""
    return bool(_AFTER_THE_END.search(text, start, end))



# "Free to leave", however it is worded: a negation before a lock-in word (唔使再綁約, 冇任何罰款, 0违约金, 免绑约,
# no exit fees, without any contract, zero cancellation charges; "no other", 无额外 admit that there is one).
# "Cancel any time" alone (随时可以取消) says how to cancel, which a campaign with an exit fee may truthfully say
# beside it. Read in the normal form (simplified script, lower case).
_NO_LOCK_IN = lazy(
    r"(?:不用|无需|无须|毋须|免|唔使|唔驶|唔需|冇|没有|零|(?<![\d.])0|不必|不需)(?:再|任何|签|需){0,2}"
    # 冇合約綁住, 没有合约: no contract (not 没有合约的客户, customers without one)
    r"(?:绑约|合约期|违约金|罚款|罚金|解约费|承诺期|上台|约束|最低消费期|合约(?:绑住|绑)?(?![期内中的]))"
    r"|(?<![a-z])(?:no|zero|without(?: any)?|free of|never any|nothing to pay to)\s"
    r"(?!other|further|additional|extra|new )(?:[a-z-]+\s){0,2}?"
    r"(?:lock-?ins?|contracts?|commitments?|tie-?ins?|exit fees?|exit charges?|cancell?ation (?:fees?|charges?)"
    r"|termination (?:fees?|charges?)|penalt(?:y|ies))(?![a-z])"
)


# "New customers only (no Northwind contract in the last 12 months)": the customer's history, an eligibility
# condition, not a promise about this contract
_HISTORY_AFTER = lazy(r"(?:\s(?:with|at) [a-z]+)?\s(?:(?:in|within|during|for|over) the (?:last|past|previous)"
                            r"|before|previously|in the past)(?![a-z])")
_NEW_CUSTOMERS = lazy(r"new customers?|not (?:be |been )?(?:an? )?existing|新客户|新用户|首次")


def no_lock_in_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text tells the customer they are free to leave (see `_NO_LOCK_IN`); not an eligibility
    condition about the customer's past contracts."""
    return [m.span() for m in _NO_LOCK_IN.finditer(text)
            if not _HISTORY_AFTER.match(text, m.end())
            and not _NEW_CUSTOMERS.search(text, max(0, m.start() - 60), m.start())]


# Superlatives however they are worded: an English superlative said of what a network sells (`the biggest
# music catalogue`, `the most reliable 5G`), one scoped over every rival (`fastest ... of any UK network`),
# and the superlative constructions of the EU languages (`la red más rápida`, `le réseau le plus rapide`, `das
# beste Netz`, `la rete più veloce`, `het snelste netwerk`). A word list cannot hold every adjective; the
# construction can.
_EN_SUPERLATIVE = (r"(?:best|fastest|cheapest|largest|biggest|widest|strongest|lowest|quickest|greatest|most (?:reliable|"
                   r"generous|advanced|affordable|popular|trusted|complete|extensive))")
_WHAT_IS_SOLD = (r"(?:network|coverage|signal|5g|4g|speeds?|broadband|fibre|fiber|service|value|prices?|deals?|"
                 r"vpn|internet|wi-?fi|streaming|tv|"
                 r"catalogue|catalog|range|selection|library|data|connection|operator|provider|carrier|telco|"
                 r"red|cobertura|precio|rede|preço|réseau|couverture|prix|netz|mobilfunknetz|tarif|preis|rete|"
                 r"copertura|prezzo|netwerk|dekking|prijs)")
_SUPERLATIVE = lazy(
    r"(?<![a-z])(?:" + _EN_SUPERLATIVE + r"\s(?:[a-z0-9'&-]+\s){0,3}?" + _WHAT_IS_SOLD + r"s?(?![a-z])"
    r"|" + _EN_SUPERLATIVE + r"\s(?:[a-z0-9'&-]+\s){0,5}?(?:of any|than any|in the (?:uk|us|country|nation|market"
    r"|world|industry|state|city)|on the market|anywhere in|in (?:california|australia|america|britain|england"
    r"|scotland|wales|ireland|europe|hong kong|taiwan|town))(?![a-z])"
    # scoped over a whole market, with the thing measured between: 全台片量最多, 全港网速最快 (not 全台门市最快当天取货,
    # a delivery time)
    r"|(?:全台|全港|全网|全国|全球|全城|全省|全市|业界|业内|史上)[\u4e00-\u9fff]{1,4}?最[\u4e00-\u9fff]"
    r"(?!次日|当天|当日|明天|[\d一两三半几])"
    r"|(?:más|mais|plus|più)\s(?:rápid[oa]s?|rapides?|velocee?|veloci|barat[oa]s?|económic[oa]s?|economic[oa]|"
    r"amplia?o?s?|fiables?|affidabile|grandes?|larges?|étendue?|complet[oa]s?|completi|complètes?|seguros?|sicur[oa])"
    # scoped over a country: "De goedkoopste van Nederland!", "das günstigste Netz Deutschlands" reads as above
    r"|(?<![a-zà-ÿ])(?:goedkoopste|snelste|beste|grootste|günstigste[nrs]?|schnellste[nrs]?|billigste[nrs]?)"
    r"\s(?:van|in|im|in der|aus)\s(?:nederland|belgië|belgie|vlaanderen|deutschland|österreich|der schweiz|europa)"
    # the superlative prefix of Polish, Czech, Slovak and Hungarian: najszybszy, nejrychlejší, leggyorsabb
    r"|(?<![a-zà-ÿ])(?:naj|nej)(?:szybsz|tańsz|lepsz|większ|rychlejš|levnějš|lepš|větš|rýchlejš|lacnejš|väčš)\w*"
    r"|(?<![a-zà-ÿ])leg(?:gyorsabb|olcsóbb|jobb|nagyobb)\w*"
    # an absolute promise of what a service does: "blocks 100% of robocalls", "stops every scam call"
    r"|(?<![a-z])(?:blocks?|stops?|catches?|filters?|removes?)\s(?:100\s?%|all|every)(?:\sof)?\s(?:(?:the|your)\s)?"
    r"(?:robocalls?|spam|scams?|spam calls?|scam calls?|threats?|viruses|malware)(?![a-z])"
    r"|(?:mejor(?:es)?|melhor(?:es)?|meilleure?s?|migliore?|beste[nmrs]?|schnellste[nmrs]?|günstigste[nmrs]?"
    r"|größte[nmrs]?|snelste|goedkoopste|grootste)\s(?:[a-zà-ÿ]+\s){0,2}?" + _WHAT_IS_SOLD + r"(?![a-zà-ÿ]))"
)


def superlative_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text makes a superlative claim about the offer or the network (see `_SUPERLATIVE`)."""
    return _spans(_SUPERLATIVE, text)


# "It never expires", however it is worded; a claim followed by its limit ("does not expire for 365 days",
# "won't expire until 31 March") states the limit instead. 不清零 alone (月底不清零) says it rolls over once.
_NO_EXPIRY = lazy(
    r"(?<![a-z])(?:never expires?|never runs? out|(?:does|do|will)(?: not|n't) expire|won't expire|no expiry"
    r"(?: date)?|no expiration(?: date)?|never lose (?:your |any )?(?:data|credit|balance|minutes)|keep (?:it|them) "
    r"forever|verfällt nie|verfällt nicht|läuft nie ab|n'expire jamais|sans date d'expiration|no caduca|nunca caduca"
    r"|non scade mai|verloopt nooit|nie wygasa|nunca expira)(?![a-z])"
    r"|永不过期|永久有效|永不清零|无有效期限制|不设有效期|不限有效期|终身有效")
_LIMIT_AFTER = lazy(r"\s?(?:for|until|within|before|unless|as long as|while|during|in the first|for up to|"
                          # "no caduca mientras la línea esté activa": while the line stays active
                          r"mientras|tant que|solange|finché|zolang|enquanto|"
                          r"für|pendant|durante|per|voor|前|内|之内)(?![a-z])")


# "she never runs out", "you'll never run out of data": a person who does not use up an allowance, not a
# balance that never expires
_PERSON_BEFORE = lazy(r"(?<![a-z])(?:she|he|i|we|they|you|you'll|you will|i'll|we'll|they'll|she'll|he'll)\s$")


def no_expiry_claims(text: str) -> list[tuple[int, int]]:
    """Spans where the text says a balance or allowance never expires (see `_NO_EXPIRY`)."""
    return [m.span() for m in _NO_EXPIRY.finditer(text) if not _LIMIT_AFTER.match(text, m.end())
            and not (m.group().startswith("never run") and _PERSON_BEFORE.search(text, max(0, m.start() - 12),
                                                                                  m.start()))]


# Rivals referred to as a group, in English and the EU languages: "other networks", "the big carriers", "most
# providers", "traditional telcos", "andere Anbieter", "autres opérateurs", "otros operadores", "altri
# operatori", "andere aanbieders", "innych operatorów", "outras operadoras", "andra operatörer". The lexicon
# holds the fixed and Chinese forms.
_GROUP_OF_RIVALS = lazy(
    "(?=[abcilmorst])"  # the letters its words start with: the engine skips every other position
    r"(?:(?<![a-z])(?:other|rival|competing|most|many|some|the big(?:gest)?|big|the major|major|leading|the leading"
    r"|traditional|typical|legacy|the old)\s(?:(?:mobile|broadband|internet|phone|wireless|cell|fibre|fiber|uk|us|"
    r"australian|aussie|american)\s)?(?:networks|operators|carriers|providers|telcos|isps|brands|companies)(?![a-z])"
    r"|(?<![a-zà-ÿ])(?:andere[nr]?|anderen|autres|otros|otras|altri|altre|andere|innych|outras|outros|andra)\s"
    r"(?:(?:mobilfunk|mobile|móviles|mobili|mobiele)\s?)?(?:anbieter[n]?|netzbetreiber[n]?|opérateurs|fournisseurs"
    r"|operadores|operadoras|compañías|operatori|gestori|aanbieders|providers|operatorów|operatörer)(?![a-zà-ÿ]))")


@lru_cache(maxsize=TEXTS_CACHED)
def groups_of_rivals(text: str) -> tuple[tuple[int, int], ...]:
    """Spans where the text refers to rivals as a group (see `_GROUP_OF_RIVALS`); asked by the comparison rules
    and by CNS-001 of every material, so found once per text."""
    return tuple(_spans(_GROUP_OF_RIVALS, text))


# The text says there is no limit at all: "no caps or shaping", "no fair use limit", "keine Fair-Use-Grenze".
_NO_LIMIT = lazy(
    r"(?<![a-z])(?:no (?:data |speed )?(?:caps?|limits?)(?: or (?:shaping|throttling|slowdowns?))?|no (?:speed )?(?:shaping|"
    r"throttling)|no traffic management|no excess(?: usage| data)? charges|no fair[- ]use (?:limit|cap|policy)|without (?:any )?(?:caps?|limits?|fair[- ]use)|not (?:shaped|"
    r"throttled|capped)|keine fair[- ]use|keine drosselung|sans limite|sans bridage|sin límite|sin reducción|"
    r"senza limiti|zonder limiet|geen fair use"
    # "we won't slow or restrict you for normal personal use", "we never slow your speed"
    r"|(?:won't|will not|never|don't|do not) (?:slow|throttle|restrict|limit|cap)(?: (?:or|and) (?:slow|throttle|restrict"
    r"|limit|cap))?(?: you| your (?:data|speeds?|connection|service))?)(?![a-z])"
    r"|[不唔]限速|[不唔]降速|[不唔]限量|无上限|不封顶")


def says_no_limit(text: str) -> bool:
    """True when the text says the use has no limit at all (see `_NO_LIMIT`)."""
    return bool(_NO_LIMIT.search(text))


# A Chinese negation right before a phrase says the opposite of it: "本活动不是全网最低价宣传" (this is not a
# lowest-price claim), "本公司契约并无任何放弃审阅期之约定" (the contract has no clause waiving the review period).
_CN_NEGATION_BEFORE = lazy(r"(?:不是|并非|并无|并没有|没有|绝非|不属于|不含)(?:任何)?\s?$")


def negated_in_chinese(text: str, start: int) -> bool:
    """True when a Chinese negation stands right before `start` (in the normal form: simplified script)."""
    return bool(_CN_NEGATION_BEFORE.search(text, max(0, start - 6), start))
