"""Cancellation method (cases C3, C4): a customer can stop paying, in time, by
the same kind of channel they signed up through."""

from __future__ import annotations

from decimal import Decimal

from auditor.campaign import Campaign
from auditor.checks._util import find, fmt_amount, hit_in_text, sentences, states_amount
from auditor.findings import Hit
from auditor.messages import T
from auditor.registry import check
from auditor.text.lazy import lazy
from auditor.text.normalize import normalize
from auditor.text.notice import long_termination_notices

ONLINE_SIGNUP = ("web", "app")
ONLINE_CANCEL = ("web", "app", "email")


def recurring(campaign: Campaign) -> bool:
    """The customer keeps paying unless they act."""
    if campaign.charges_after_term:
        return True
    if campaign.offer_type == "value_added_service":
        return True
    return any(f.recurrence == "monthly" and ((f.amount or 0) > 0 or (f.promo_amount or 0) > 0)
               for f in campaign.fees)


@check("CAN-001")
def no_cancellation_method(campaign: Campaign, params: dict):
    # a prepaid offer draws its charges from a balance the customer tops up: they stop paying by not topping up,
    # so "keeps paying unless they cancel" does not hold
    if campaign.offer_type == "prepaid_bonus":
        return
    if recurring(campaign) and not campaign.cancellation_methods:
        yield Hit("/cancellation", T("the customer keeps paying unless they cancel, but the campaign gives no way to cancel"))


@check("CAN-002")
def cancellation_only_after_term(campaign: Campaign, params: dict):
    methods = campaign.cancellation_methods
    if not campaign.charges_after_term or not methods:
        return
    if all(m.get("available") == "after_term" for _, m in methods):
        yield Hit("/cancellation/methods",
                  T("every cancellation method is available only after the term, so the customer cannot stop "
                    "`{behavior}` before the first paid period", behavior=campaign.behavior))


# California (AB 2863): online termination is a direct link or button, or a termination email the business
# formats and provides, which the customer sends without adding anything; writing an email is not that.
_PREPARED_EMAIL = lazy(r"pre-?(?:filled|formatted|written|populated)|ready-made|one[- ]click|link|button|mailto")


def _cancels_online(method: dict, params: dict) -> bool:
    channel = method.get("channel")
    if channel == "email" and not params.get("email_is_online", True):
        return bool(_PREPARED_EMAIL.search(str(method.get("instructions") or "").lower()))
    return channel in ONLINE_CANCEL


@check("CAN-003")
def online_signup_without_online_cancel(campaign: Campaign, params: dict):
    signup = [c for c in campaign.channels if c in ONLINE_SIGNUP]
    methods = campaign.cancellation_methods
    if not signup or not methods or not recurring(campaign):
        return
    if any(_cancels_online(m, params) for _, m in methods):
        return
    offered = ", ".join(sorted({str(m.get("channel")) for _, m in methods}))
    yield Hit("/cancellation/methods",
              T("customers sign up online ({signup}) but can cancel only by {offered}", signup=", ".join(signup),
                offered=offered))


@check("CAN-004")
def phone_only_cancellation(campaign: Campaign, params: dict):
    methods = campaign.cancellation_methods
    if not methods or not recurring(campaign):
        return
    if any(m.get("channel") != "phone" for _, m in methods):
        return
    if any(c in ONLINE_SIGNUP for c in campaign.channels):
        return  # online sign-up without online cancellation is CAN-003's finding
    elsewhere = [c for c in campaign.channels if c != "telemarketing"]
    if elsewhere:
        yield Hit("/cancellation/methods",
                  T("cancellation is by phone only, while customers sign up by {channels}",
                    channels=", ".join(elsewhere)))


@check("CAN-005")
def cancellation_instructions_missing(campaign: Campaign, params: dict):
    for i, method in campaign.cancellation_methods:
        instructions = method.get("instructions")
        if not isinstance(instructions, str) or len(instructions.strip()) < 4:
            yield Hit(f"/cancellation/methods/{i}",
                      T("the `{channel}` cancellation method has no instructions a customer could follow",
                        channel=method.get("channel")))


@check("CAN-006")
def cancellation_not_in_materials(campaign: Campaign, params: dict):
    subscription = (campaign.offer_type == "value_added_service"
                    or campaign.behavior in ("auto_renew", "convert_to_paid")
                    or any(f.charged_by == "third_party" for f in campaign.fees))
    if not subscription or not campaign.pre_signup_materials:
        return
    if any(find(params["cancel_words"], m.norm) for m in campaign.pre_signup_materials):
        return
    yield Hit("/materials", T("no material seen before sign-up tells the customer how to cancel or unsubscribe"))


@check("CAN-007")
def cancellation_fee_not_stated(campaign: Campaign, params: dict):
    fee = campaign.cancellation.get("fee")
    if isinstance(fee, bool) or not isinstance(fee, (int, float)) or fee <= 0:
        return
    amount = Decimal(str(fee))
    if any(states_amount(m.norm, amount, campaign.currency) for m in campaign.pre_signup_materials):
        return
    yield Hit("/cancellation/fee", T("cancelling costs {amount}, but no material seen before sign-up states it",
                                     amount=fmt_amount(amount, campaign.currency)))


def _first_instructions_with(campaign: Campaign, reader):
    """(index, method, normal form, spans) of the first way to cancel whose instructions `reader` finds spans in."""
    for i, method in campaign.cancellation_methods:
        instructions = method.get("instructions")
        if isinstance(instructions, str):
            text = normalize(instructions)
            spans = reader(text)
            if spans:
                return i, method, text, spans
    return None


@check("CAN-008")
def termination_notice_over_a_month(campaign: Campaign, params: dict):
    # the way to cancel may say it itself: "须于合约届满前最少90日以书面形式亲临门市递交"
    found = _first_instructions_with(campaign, long_termination_notices)
    if found:
        i, method, text, spans = found
        yield hit_in_text(f"/cancellation/methods/{i}/instructions",
                          T("the `{channel}` way to cancel asks the customer for more than a month's notice",
                            channel=method.get("channel")), text, spans[:2])
        return
    # the terms and contract hold the notice period, but an advert or script asking for it binds as much
    for material in campaign.materials:
        spans = long_termination_notices(material.norm)
        if spans:
            yield hit_in_text("/cancellation",
                              T("the {kind} `{material}` asks the customer for more than a month's notice to leave",
                                kind=T(material.kind), material=material.id),
                              material.norm, spans[:2], material.id)
            return


# Steps put between the customer and leaving: an exit survey, offers to stay they must hear, a chat or an agent
# as the only way, a form requested and returned by post (UK GC C1: no disincentive; California's ARL: no
# interfering content, online cancellation for an online sign-up; HK code: no unreasonable steps).
_OBSTACLE = lazy(
    r"(?<![a-z])(?:(?:exit |cancellation )?survey|questionnaire|exit interview|retention (?:offers?|team|specialist|call)"
    r"|save offers?|offers? to (?:stay|keep you)|(?:hear|listen to) (?:our |two |some |the )?(?:retention |special )?offers?"
    r"|(?:live )?chat (?:only|agent)|only (?:via|through|by|in) (?:live )?chat|(?:speak|talk) (?:to|with) (?:an?|our) "
    r"(?:agent|adviser|advisor|representative|specialist)|request (?:a|the|our) (?:cancellation |termination )?form"
    r"|signed (?:cancellation )?(?:form|letter)|(?:by|via) (?:post|registered mail|recorded delivery|fax)"
    r"|in writing only|only in writing|in (?:a )?live chat|live chat with|tell us why|reasons? for (?:leaving|cancell\w*)"
    r"|why you(?:'re| are) leaving)(?![a-z])"
    r"|问卷|挽留|书面申请|邮寄|挂号信|传真")
# The step is required: "must", "before we can cancel", "only", 须, 才能
_OBLIGED = lazy(r"(?<![a-z])(?:must|required|have to|has to|need to|needs to|only|before (?:you|we|the agent) (?:can|will)"
                r"|until|cannot be cancelled|can't be cancelled|we do not accept|we don't accept|not accepted"
                r"|then (?:complete|finish|review|answer|speak|chat)|(?:is|are|will be) completed (?:by|in)"
                r"|finish (?:the|your) cancellation)(?![a-z])"
                r"|须|必须|需先|才能|方可|方能|不接受")
# ...or the customer may skip it: "an optional survey", "you don't have to accept"
_OPTIONAL_STEP = lazy(r"(?<![a-z])(?:optional|you can skip|skip it|no need|don't have to|do not have to|not required"
                      r"|without having to|never have to|if you like|if you wish)(?![a-z])|无需|不需要|毋须|可略过|自愿")
_CANCEL_WORD = lazy(r"(?<![a-z])(?:cancel\w*|terminat\w*|unsubscrib\w*|end (?:your|the) (?:plan|contract|service|subscription)"
                    r"|leave|leaving|cancelar|cancelación|baja|résili\w*|kündig\w*)(?![a-z])|取消|退订|解约|终止|销户|停机")


# A step the sentence says is not there: "no retention call required", "without a survey", 无需问卷
_NEGATED_STEP = lazy(r"(?:(?<![a-z])(?:no|without(?: an?| any)?|never an?|not an?)|无需|不用|不设|没有)\s*$")


def _required_obstacle(sentence: str) -> bool:
    return any(not _NEGATED_STEP.search(sentence[max(0, m.start() - 14):m.start()])
               for m in _OBSTACLE.finditer(sentence))


def _obstructed_sentences(normalized) -> list[tuple[int, int]]:
    """The sentences that make leaving wait on a step: a cancel word, an obstacle and an obligation, no opt-out."""
    text = normalized.text
    out = []
    for start, end in sentences(normalized):
        sentence = text[start:end]
        if (_CANCEL_WORD.search(sentence) and _required_obstacle(sentence) and _OBLIGED.search(sentence)
                and not _OPTIONAL_STEP.search(sentence)):
            out.append((start, end))
    return out


@check("CAN-009")
def cancellation_obstructed(campaign: Campaign, params: dict):
    found = _first_instructions_with(campaign, _obstructed_sentences)
    if found:
        _i, method, text, spans = found
        yield hit_in_text("/cancellation",
                          T("the `{channel}` way to cancel makes the customer go through a step first (a survey, "
                            "offers to stay, a chat or a form by post)", channel=method.get("channel")),
                          text, spans[:2])
        return
    for material in campaign.customer_materials:
        spans = _obstructed_sentences(material.norm)
        if spans:
            yield hit_in_text("/cancellation",
                              T("the {kind} `{material}` makes the customer go through a step before they can cancel "
                                "(a survey, offers to stay, a chat or a form by post)", kind=T(material.kind),
                                material=material.id), material.norm, spans[:2], material.id)
            return
