"""No competitor comparisons (case C11): rival operators are neither named nor
compared against in promotional material without review."""

from __future__ import annotations

from auditor.campaign import Campaign, Material
from auditor.checks._util import hit_in_text, sentences
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.context import groups_of_rivals
from auditor.text.lazy import lazy
from auditor.text.lexicon import Entry, Lexicon, LexMatch
from auditor.text.normalize import norm

# (lexicon, own names) -> own groups: a batch has few operators, so this is computed a few times per run.
_OWN_KEYS: dict[tuple, frozenset[str]] = {}


def own_keys(campaign: Campaign, competitors: Lexicon) -> frozenset[str]:
    """Competitor groups that are really the campaign's own brand."""
    key = (competitors, campaign.own_names)
    found = _OWN_KEYS.get(key)
    if found is None:
        if len(_OWN_KEYS) > 4096:
            _OWN_KEYS.clear()
        found = _OWN_KEYS[key] = _own_keys(campaign.own_names, competitors)
    return found


def _own_keys(own_names: tuple[str, ...], competitors: Lexicon) -> frozenset[str]:
    names = [norm(n) for n in own_names if n and n.strip()]
    own = set()
    for entry in competitors.entries:
        form = norm(entry.term)
        for name in names:
            if form == name or (not entry.weak and len(form) >= 3 and form in name):
                own.add(entry.key)
    return frozenset(own)


def _own_spans(text: str, campaign: Campaign) -> list[tuple[int, int]]:
    spans = []
    for name in campaign.own_names:
        form = norm(name or "")
        if len(form) < 2:
            continue
        start = text.find(form)
        while start != -1:
            spans.append((start, start + len(form)))
            start = text.find(form, start + 1)
    return spans


# Languages that glue case endings to names (Elisan, Telekomnál, Orange'a, Vodafonu, T-Mobileom).
_DECLINING = frozenset({"fi", "et", "hu", "pl", "cs", "sk", "sl", "hr", "lt", "lv", "tr"})


def declines_names(language: str | None) -> bool:
    return language is not None and language.split("-")[0].lower() in _DECLINING


def rival_mentions(campaign: Campaign, material: Material, params: dict) -> list[LexMatch]:
    """Competitor-name matches in a material, the campaign's own brand excluded (several rules ask)."""
    competitors: Lexicon = params["competitors"]
    key = ("rivals", material.index, competitors)
    found = campaign.memo.get(key)
    if found is None:
        found = campaign.memo[key] = _rival_mentions(campaign, material, competitors)
    return list(found)


def _rival_mentions(campaign: Campaign, material: Material, competitors: Lexicon) -> tuple[LexMatch, ...]:
    own = own_keys(campaign, competitors)
    own_spans = _own_spans(material.norm.text, campaign)
    out = []
    for match in competitors.find(material.norm, inflected=declines_names(material.language)):
        if match.key in own:
            continue
        if any(s < match.end and match.start < e for s, e in own_spans):
            continue
        out.append(match)
    return tuple(out)


def comparative_in(span: tuple[int, int], comparatives: list[LexMatch]) -> list[LexMatch]:
    start, end = span
    inside = [m for m in comparatives if start <= m.start and m.end <= end]
    direct = [m for m in inside if m.key in ("comparative", "disparaging")]
    bis = [m for m in inside if m.key == "bi"]
    gradable = [m for m in inside if m.key == "gradable"]
    # 比 + a gradable word after it (比联通便宜, 比友商快) is a comparison
    paired = [b for b in bis if any(0 < g.start - b.end <= 14 for g in gradable)]
    return direct + paired


def comparison_sentences(campaign: Campaign, material: Material, params: dict):
    """(sentence span, rival matches, comparative matches) for sentences comparing with a rival."""
    key = ("comparisons", material.index, params["competitors"], params["generic_rivals"], params["comparatives"])
    found = campaign.memo.get(key)
    if found is None:
        found = campaign.memo[key] = _comparison_sentences(campaign, material, params)
    return found


def _comparison_sentences(campaign: Campaign, material: Material, params: dict) -> tuple:
    rivals = rival_mentions(campaign, material, params) + generic_rivals(material, params)
    if not rivals:
        return ()
    # a gradable word inside a name is no comparison: 台湾大哥大 (Taiwan Mobile) holds 大
    comparatives = [c for c in params["comparatives"].find(material.norm)
                    if not any(r.start <= c.start and c.end <= r.end for r in rivals)]
    porting = porting_sentences(material, params)
    partners = partner_sentences(material)  # the networks the customer roams on: partners, not rivals
    out = []
    for span in sentences(material.norm):
        in_sentence = [r for r in rivals if span[0] <= r.start < span[1]]
        if not in_sentence or _within(span, partners):
            continue
        cues = comparative_in(span, comparatives)
        if not cues and span not in porting:
            cues = rated_rivals(in_sentence, comparatives, span)
        if cues:
            out.append((span, in_sentence, cues))
    return tuple(out)


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b + 1 for a, b in spans)


# How far after a rival a gradable word still describes it: 别家月费要贵一半 (6), 友商网速慢 (3).
_RATED_WITHIN = 8


def rated_rivals(rivals: list[LexMatch], comparatives: list[LexMatch], span: tuple[int, int]) -> list[LexMatch]:
    """Gradable words said of a rival without 比 (别家月费要贵一半, 友商的网速慢), and "still" (友商的彩铃还在“嘟嘟嘟”,
    "other networks are still charging"): the rival is the subject of the sentence and is rated against the
    offer, which is a comparison."""
    gradable = [m for m in comparatives if m.key in ("gradable", "still") and span[0] <= m.start < span[1]]
    return [g for g in gradable if any(0 <= g.start - r.end <= _RATED_WITHIN for r in rivals)]


_GROUP_ENTRY = Entry(term="", key="generic rival")


def generic_rivals(material: Material, params: dict) -> list[LexMatch]:
    """Rivals referred to as a group: the lexicon's fixed forms, and the constructions `groups_of_rivals`
    reads ("the big carriers", "andere Anbieter")."""
    found = list(params["generic_rivals"].find(material.norm))
    taken = [(m.start, m.end) for m in found]
    found += [LexMatch(_GROUP_ENTRY, a, b) for a, b in groups_of_rivals(material.norm.text)
              if not any(s < b and a < e for s, e in taken)]
    return found


def porting_sentences(material: Material, params: dict) -> list[tuple[int, int]]:
    """Sentences that only tell customers how to bring their number over (携号转网, "keep your number when you
    move from X"): a rival named there is not compared with."""
    porting = params.get("porting")
    if porting is None:
        return []
    cues = porting.find(material.norm)  # titles count: 《携号转网服务管理规定》 (the lexicon reads them)
    if not cues:
        return []
    spans = _with_the_clauses_after(material, _sentences_holding(material, [c.start for c in cues]))
    return _with_the_question_answered(material, spans)


def _with_the_clauses_after(material: Material, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clauses a semicolon joins to a porting sentence go with it: "获取授权码（例如原为中国移动用户可发送…至10086；
    原为中国联通用户发送至10010）" names the second operator after the semicolon, in the same instruction."""
    return _with_neighbours(material, spans, ("；", ";"), following=True)


def _with_the_question_answered(material: Material, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An answer's question with it: "问：我现在用的是中国移动的号码，能办吗？答：可以，通过携号转网转入…" names the rival
    in the question that the porting answer answers."""
    return _with_neighbours(material, spans, ("?", "？"), following=False)


def _with_neighbours(material: Material, spans: list[tuple[int, int]], endings: tuple[str, ...], following: bool
                     ) -> list[tuple[int, int]]:
    """`spans` with the sentence after each (`following`) or before each that the first of the two ends with one of
    `endings` (a semicolon joining a clause on, a question the next sentence answers)."""
    every = sentences(material.norm)
    text = material.norm.text
    out = list(spans)
    for before, after in zip(every, every[1:], strict=False):
        held, added = (before, after) if following else (after, before)
        if held in (out if following else spans) and added not in out \
                and text[before[0]:before[1]].rstrip().endswith(endings):
            out.append(added)
    return out


def _sentences_holding(material: Material, starts: list[int]) -> list[tuple[int, int]]:
    """The sentences in which one of `starts` lies."""
    if not starts:
        return []
    return [span for span in sentences(material.norm) if any(span[0] <= start < span[1] for start in starts)]


def with_policy(message, params: dict):
    """Outside the jurisdictions whose law bans the practice, the finding is house policy and says so."""
    if not params.get("house_policy"):
        return message
    return T("{message} (house policy: comparisons go to legal review; lawful here if {conditions})",
             message=message, conditions=T(params.get("lawful_if") or "it is true and not misleading"))


# Operators named as the networks the customer uses abroad ("在香港可接入CSL、3香港等合作网络", "top speeds depend on
# the local partner network, e.g. CSL or 3HK"): partners of the offer, not its rivals.
_PARTNER = lazy(r"合作网络|合作运营商|合作伙伴网络|漫游伙伴|(?<![a-z])(?:partner (?:network|operator|carrier)s?"
                      r"|roaming partners?|local partners?|partner networks?)(?![a-z])")


def partner_sentences(material: Material) -> list[tuple[int, int]]:
    """The sentence of each partner word, and the rest of its line: "合作网络：香港 CSL、3香港；台湾 远传电信、台湾大哥大；"
    lists the partners after the heading, across the semicolons that end its sentences."""
    text = material.norm.text
    starts = [m.start() for m in _PARTNER.finditer(text)]
    ends = [text.find("\n", start) for start in starts]
    return _sentences_holding(material, starts) + [(start, len(text) if end < 0 else end)
                                                   for start, end in zip(starts, ends, strict=True)]


@check("CMP-001")
def competitor_named(campaign: Campaign, params: dict):
    for material in campaign.customer_materials:
        compared = {(r.start, r.end) for _, rivals, _ in comparison_sentences(campaign, material, params)
                    for r in rivals}
        porting = porting_sentences(material, params) + partner_sentences(material)
        named = [m for m in rival_mentions(campaign, material, params)
                 if not m.entry.weak and (m.start, m.end) not in compared
                 and not any(start <= m.start < end for start, end in porting)]
        if not named:
            continue
        names = sorted({m.key for m in named})
        yield hit_in_text(material.pointer,
                          with_policy(T("the {kind} `{material}` names a competitor ({names})", kind=T(material.kind),
                                        material=material.id, names=", ".join(names)), params),
                          material.norm, [(m.start, m.end) for m in named[:3]], material.id)


@check("CMP-002")
def competitor_comparison(campaign: Campaign, params: dict):
    for material in campaign.customer_materials:
        for _span, rivals, cues in comparison_sentences(campaign, material, params):
            names = sorted({r.key for r in rivals})
            spans = sorted({(m.start, m.end) for m in rivals + cues})
            yield hit_in_text(material.pointer,
                              with_policy(T("the {kind} `{material}` compares the offer with {names}",
                                            kind=T(material.kind), material=material.id,
                                            names=Join([T(n) if n == "generic rival" else n for n in names])),
                                          params),
                              material.norm, spans, material.id)
