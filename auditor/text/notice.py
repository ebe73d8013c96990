"""How much notice the terms ask of a customer who wants to leave.

"須於終止日前最少三個月以書面通知本公司", "with at least 3 months' written notice", "préavis de 2 mois",
"Kündigungsfrist von 3 Monaten", "cancel at least 90 days before the end of the term": a length of time that
the customer's notice to end the contract must cover. Hong Kong's industry code lets customers give no more
than one month's notice, and the EECC (art 105(3)) no more than one month after a contract prolongs. Notice the
operator gives the customer ("we will give you 60 days' notice of any change", "本公司將提前兩個月通知閣下")
is another matter. Read in the normal form (lower case, simplified script).
"""

from __future__ import annotations

from auditor.text.context import between_stops
from auditor.text.dates import find_durations
from auditor.text.lazy import lazy
from auditor.text.normalize import Normalized

# a notice period, or how far ahead of the end the customer must act
_NOTICE = lazy(r"notice|通知|告知|préavis|kündigungsfrist|preaviso|preavviso|opzegtermijn|aviso prévio|pré-aviso"
               r"|okres wypowiedzenia|uppsägningstid|opsigelsesvarsel|výpovědní lhůt|in advance|ahead|prior to"
               r"|before the end|before (?:your|the) (?:contract|term|minimum)|提前|之前|届满前|期满前|到期前|结束前"
               r"|vor (?:ablauf|ende)"
               r"|avant (?:la fin|l'échéance|le terme)|antes del? (?:fin|vencimiento)|prima della scadenza")
# the customer ending the contract
_LEAVING = lazy(r"terminat|cancel|leave|end (?:the|your|this) (?:contract|agreement|service)|终止|解约|取消|退网|退租"
                r"|停用|kündig|résili|rescind|rescisi|disdett|recesso|opzeg|cancela|dar de baja|baja|wypowiedz"
                r"|uppsäg|opsig|beëindig|denuncia|výpověď")
# the operator notifying the customer
_OPERATOR_NOTIFIES = lazy(r"(?<![a-z])(?:we (?:will|shall|may|must|'ll)|we'll|we give|we send)(?: [a-z]+){0,2} "
                          r"(?:give|notify|tell|send|inform|let|remind)|(?:notify|tell|inform|remind) you"
                          r"|通知(?:您|你|阁下|客户|用户|閣下)|(?:向|给)(?:您|你|阁下|客户|用户)|本公司(?:将|会|须)"
                          r"|nous vous|wir (?:werden )?(?:sie|ihnen)|le (?:informaremos|avisaremos)|vi (?:informeremo"
                          r"|avviseremo)|wij (?:informeren|laten) u")
# a sentence here also ends at a semicolon or a line break: a clause of the terms
_SENTENCE_END = lazy(r"\.(?:\s|$)|[!?;。！？；\n]")
_NEAR = 25  # characters between the length of time and the notice word
# ...and the length is the notice's own: "3 months' written notice", "3 mois avant la fin", "三個月以書面通知", or
# "préavis de 2 mois", "Kündigungsfrist von 3 Monaten", "提前三个月" (not "before the end of your 24-month contract")
_NOTICE_AFTER = lazy(r"(?:'s?|’s?)?\s?(?:(?:written|prior|advance|of|the|your)\s){0,2}(?:notice|before|ahead|in advance"
                     r"|prior|前|以?书面|通知|告知|avant|antes|vor |prima|voor|før|innan)")
_NOTICE_BEFORE = lazy(r"(?:notice(?: period)?(?: of)?|préavis(?: de)?|kündigungsfrist(?: von)?|preaviso(?: de)?"
                      r"|preavviso(?: di)?|opzegtermijn(?: van)?|aviso prévio(?: de)?|提前|至少|最少|不少于|at least"
                      r"|minimum of|no less than|not less than|au moins|mindestens|al menos|almeno|ten minste)\s?"
                      # the length in words with its figures after it: "最少九十(90)日"
                      r"(?:[一二三四五六七八九十百两〇零]+\s?\()?$")


def long_termination_notices(normalized: Normalized, months: float = 1.05) -> list[tuple[int, int]]:
    """Spans of the lengths of time, longer than `months`, that a customer's notice to leave must cover."""
    text = normalized.text
    out = []
    for duration in find_durations(normalized):
        if duration.in_months() <= months:
            continue
        near = text[max(0, duration.start - _NEAR):duration.end + _NEAR]
        if not _NOTICE.search(near):
            continue
        if not (_NOTICE_AFTER.match(text, duration.end)
                or _NOTICE_BEFORE.search(text, max(0, duration.start - _NEAR), duration.start)):
            continue
        left, right = between_stops(text, duration.start, duration.end, _SENTENCE_END)
        if _LEAVING.search(text, left, right) and not _OPERATOR_NOTIFIES.search(text, left, right):
            out.append((duration.start, duration.end))
    return out
