"""Free words said of a service around the offer rather than of the offer itself.

"Ist die Hotline kostenlos?", "la portabilité est gratuite", "Free next-day delivery", "Informační SMS o čerpání
jsou zdarma": the helpline, moving a number, delivery, cancelling, usage messages are free to every customer
whatever the offer costs, so a free word said of one of them calls nothing of the offer free (UCPD Annex I
item 20 and CAP 3.23 are about what the customer is told is free to get the offer). Read in the normal form.
"""

from __future__ import annotations

from auditor.text.lazy import lazy

# Services around the offer that are free to everyone, whatever the offer costs: the helpline, moving a number
# in or out, cancelling, returns ("Ist die Hotline kostenlos?", "la portabilità è gratuita", "Freephone 0800").
# A free word said of one of them, in its clause, calls nothing of the offer free.
_SERVICE_AROUND = lazy(
    r"(?<![a-zà-ÿ])(?:hotline|helpline|help line|customer (?:service|support|care)|support line|service line|call centre"
    r"|call center|kundenservice|kundendienst|service client|atención al cliente|servizio clienti|klantenservice"
    r"|number (?:porting|transfer)|porting|port (?:your|my) number|keep (?:your|my|the) number|pac code|stac code|portabilit[àaéy]"
    r"|portabilidad|portabilidade|rufnummernmitnahme|nummerportering|nummerbehoud|przeniesienie numeru|mitnehmen"
    r"|cancell?ation|cancelling|canceling|kündigung|widerruf|résiliation|disdetta|recesso|rescisi[oó]n|rescisão|opzegging"
    r"|wypowiedzenie|uppsägning|opsige\w*|opsigelse|výpověď|nummerflytning|rio|to leave|to cancel|to switch|returns?"
    r"|(?:send|get|have|ask for|return) (?:[a-z]+ ){0,3}back"
    # usage and information messages ("Informační SMS o čerpání jsou zdarma", "usage alerts are free")
    r"|informa\w* sms|info sms|sms (?:alerts?|notifications?|reminders?)|usage (?:alerts?|notifications?)"
    r"|freephone|0800|1800|toll-free"
    # the free number to call, named in the EU languages ("numero verde gratuito 800 123 456", "numéro vert")
    r"|numero verde|numéro vert|número gratuito|número verde|linha gratuita|gratisnummer|gratis nummer"
    r"|kostenlose (?:ruf)?nummer|kostenfreie (?:ruf)?nummer|servicenummer|infolinia|numer bezpłatny"
    # delivery, which UCPD Annex I item 20 itself allows to be charged beside "free"
    r"|deliver\w*|shipping|postage|versand|lieferung|livraison|envío|envio|spedizione|verzending|bezorging|levering"
    r"|dostawa|doručení)(?![a-zà-ÿ])|客服|热线|携号转网|转网|退订|销户|包邮|免运费|运费")
_SENTENCE_CLOSES = lazy(r"\s*(?:[.!?\n。！？]|$)")
# What ends a clause, in English and Chinese punctuation (also read by CLM-008 for the subject of a claim)
CLAUSE_END = lazy(r"[.!?;,:()\n。！？；，：（）]")


def said_of_a_service_around(text: str, start: int, end: int) -> bool:
    """The free word's clause is about a service around the offer (see `_SERVICE_AROUND`)."""
    left, right = _clause(text, start, end)
    if _SERVICE_AROUND.search(text, left, right):
        return True
    # the free word closing its sentence is said of the sentence's subject, across a list's commas:
    # "Rufnummernmitnahme von Magenta, A1 oder Drei kostenlos."
    if _SENTENCE_CLOSES.match(text, end):
        opened = max(text.rfind(mark, 0, start) for mark in ".!?\n。！？") + 1
        if _SERVICE_AROUND.search(text, opened, start):
            return True
    # an answer in a FAQ ("Yes - it's free.") is about what its question asked
    question = text.rfind("?", max(0, left - 120), left + 1)
    return question >= 0 and left - question <= 12 and bool(_SERVICE_AROUND.search(text, max(0, question - 100),
                                                                                    question))


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of [start, end): from the clause break before it to the one after it, a parenthesis read with
    the clause around it."""
    breaks = list(CLAUSE_END.finditer(text, max(0, start - 60), start))
    last = breaks[-1].group() if breaks else ""
    left = _left_of(text, start, breaks)
    right_cut = CLAUSE_END.search(text, end, end + 60)
    if right_cut and right_cut.group() in ")）" and last in "(（" and last:
        # "(appel gratuit) pour obtenir votre code RIO": the parenthesis also belongs to what follows it
        right_cut = CLAUSE_END.search(text, right_cut.end(), right_cut.end() + 60)
    return left, right_cut.start() if right_cut else min(len(text), end + 60)


def _left_of(text: str, start: int, breaks: list) -> int:
    if not breaks:
        return max(0, start - 60)
    last = breaks[-1]
    if last.group() in "(（":
        # "call 3179 (free call)": the parenthesis is said of the clause before it
        return breaks[-2].end() if len(breaks) > 1 else max(0, start - 60)
    if last.group() in ":：" and not text[last.end():start].strip(" -–—"):
        # "Rufnummernmitnahme: kostenlos": the free word right after a label is said of the label
        earlier = list(CLAUSE_END.finditer(text, max(0, last.start() - 60), last.start()))
        return earlier[-1].end() if earlier else max(0, last.start() - 60)
    if last.group() in ")）":
        # "SMS o čerpání (při 80 % dat) jsou zdarma": a parenthesis inside the clause does not end it
        opening = text.rfind("（" if last.group() == "）" else "(", max(0, start - 120), last.start())
        if opening < 0:
            return last.end()
        earlier = list(CLAUSE_END.finditer(text, max(0, opening - 60), opening))
        return earlier[-1].end() if earlier else max(0, opening - 60)
    return last.end()
