"""Consent (cases C9, C12): customers agree to what they pay for, actively and
provably."""

from __future__ import annotations

from auditor.campaign import Campaign
from auditor.checks._util import fmt_amount, states_amount
from auditor.checks.fees import during_amount
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check
from auditor.text.dates import find_durations
from auditor.text.lazy import lazy
from auditor.text.normalize import normalize

WRITTEN_KINDS = ("sms", "email")
WRITTEN_CHANNELS = ("sms", "email", "notification")


def monthly_prices(campaign: Campaign):
    out = []
    for fee in campaign.fees:
        if fee.recurrence != "monthly":
            continue
        amount = during_amount(campaign, fee)
        if amount is None and fee.amount is not None:
            amount = fee.amount
        if amount is not None and amount > 0:
            out.append((fee, amount))
    return out


def plan_change_prices(campaign: Campaign):
    """(the monthly prices of a plan change, the new monthly price), or None when the campaign is no plan change
    or charges nothing monthly (read by CNS-005 and CLM-011, case C9)."""
    if campaign.offer_type != "plan_change":
        return None
    prices = monthly_prices(campaign)
    if not prices:
        return None
    return prices, max(amount for _, amount in prices)


def _vas(campaign: Campaign) -> bool:
    return campaign.offer_type == "value_added_service" or any(
        f.charged_by == "third_party" and (f.amount or 0) > 0 for f in campaign.fees)


def _paid_as_bought(campaign: Campaign) -> bool:
    """A prepaid offer whose every charge is a purchase the customer makes (a recharge, a pack, calls from the
    balance), with nothing billed on a schedule, renewed or billed by a third party: each purchase is the
    customer's agreement, and `method: none` records that no separate consent is collected."""
    if campaign.offer_type != "prepaid_bonus" or campaign.behavior in ("auto_renew", "convert_to_paid"):
        return False
    return all(f.recurrence in ("per_use", "per_unit") and f.charged_by != "third_party"
               for f in campaign.fees if (f.amount or 0) > 0 or (f.promo_amount or 0) > 0)


@check("CON-001")
def no_consent_on_chargeable_service(campaign: Campaign, params: dict):
    if campaign.consent.get("method") == "none" and campaign.chargeable and not _paid_as_bought(campaign):
        yield Hit("/consent/method", T("customers are charged, but the campaign records no consent (`method: none`)"))


@check("CON-002")
def pre_ticked_consent(campaign: Campaign, params: dict):
    if campaign.consent.get("pre_checked") is True:
        yield Hit("/consent/pre_checked", T("the consent box is ticked in advance for the customer"))


@check("CON-003")
def vas_without_double_confirmation(campaign: Campaign, params: dict):
    method = campaign.consent.get("method")
    if not _vas(campaign) or method in ("double_confirmation", "none"):
        return
    shown = f"`{method}`" if method else T("not stated")
    yield Hit("/consent/method" if method else "/consent",
              T("a value-added or third-party service is charged with consent {shown}, not a double confirmation",
                shown=shown))


@check("CON-004")
def telemarketing_plan_change_unconfirmed(campaign: Campaign, params: dict):
    if "telemarketing" not in campaign.channels:
        return
    plan_change = campaign.offer_type == "plan_change"
    if not plan_change and not params.get("every_phone_sale"):
        return
    missing = []
    # the recording is what case C9 lacked for a plan change; Hong Kong's code asks every phone sale for the
    # written confirmation
    if plan_change and campaign.consent.get("method") != "recorded_call":
        missing.append(T("a recorded call (`consent.method: recorded_call`)"))
    unconfirmed = not _confirmed_in_writing(campaign, plan_change)
    if unconfirmed:
        prices = monthly_prices(campaign)
        price = (Join([T("{amount}/{period}", amount=fmt_amount(a, f.currency), period=T("month")) for f, a in prices])
                 if prices else T("the new monthly price"))
        missing.append(T("a written (SMS or email) confirmation stating {price}", price=price))
    # when the recording is there and a confirmation message was sent without the price, that message is what
    # to fix; a missing recording (or no message at all) is about how consent is collected
    confirmation = _unpriced_confirmation(campaign) if unconfirmed and len(missing) == 1 else None
    pointer = confirmation.pointer if confirmation is not None else "/consent"
    if missing and plan_change:
        yield Hit(pointer, T("a plan change sold by phone lacks {missing}", missing=Join(missing, " and ")))
    elif missing:
        yield Hit(pointer, T("a contract sold by phone lacks {missing}", missing=Join(missing, " and ")))


def _unpriced_confirmation(campaign: Campaign):
    """The SMS or email sent to confirm the phone sale (which, here, does not state the price): the one that
    reads as a confirmation, else the only one there is."""
    messages = [m for m in campaign.customer_materials if m.kind in WRITTEN_KINDS]
    confirming = [m for m in messages if _CONFIRMS.search(m.norm.text)]
    if confirming:
        return confirming[0]
    return messages[0] if len(messages) == 1 else None


# "we have changed your plan", "已为您办理", "您已成功订购", "confirmation of your order"
_CONFIRMS = lazy(r"(?<![a-z])(?:confirm\w*|(?:we(?:'ve| have)|has been|have been) (?:changed|upgraded|moved|switched|"
                 r"activated|added)|your (?:new )?(?:plan|order) (?:is|has)|welcome to)(?![a-z])"
                 r"|已为您|已成功|成功办理|成功订购|已办理|已开通|已生效|确认|办理成功|已升级|已变更")


def _confirmed_in_writing(campaign: Campaign, plan_change: bool) -> bool:
    """An SMS or email states the monthly price; for a phone sale other than a plan change a signed contract
    confirms it too (terms published on the website are not sent to the customer and confirm nothing)."""
    if not plan_change and campaign.consent.get("method") in ("signed_contract", "double_confirmation"):
        return True
    prices = monthly_prices(campaign)
    written = [m for m in campaign.customer_materials if m.kind in WRITTEN_KINDS or m.channel in WRITTEN_CHANNELS
               # the contract document handed or sent to the customer (not terms on a web page) for a new sale
               # (a contract with no channel given is the customer's own copy, not a page on the website)
               or (not plan_change and m.kind == "contract" and m.channel not in ("web", "app"))]
    return any(states_amount(m.norm, a, f.currency) for m in written for f, a in prices)


@check("CON-005")
def telemarketing_script_missing_price(campaign: Campaign, params: dict):
    if "telemarketing" not in campaign.channels:
        return
    prices = monthly_prices(campaign)
    if not prices:
        return
    scripts = [m for m in campaign.materials if m.kind == "script"]
    if any(states_amount(m.norm, a, f.currency) for m in scripts for f, a in prices):
        return
    price = Join([T("{amount}/{period}", amount=fmt_amount(a, f.currency), period=T("month")) for f, a in prices])
    if scripts:
        yield Hit(scripts[0].pointer, T("the call script never states the monthly price ({price})", price=price),
                  evidence=scripts[0].text[:160], material=scripts[0].id)
    else:
        yield Hit("/materials", T("the campaign is sold by phone but has no call script stating the monthly price "
                                  "({price})", price=price))


@check("CON-006")
def consent_method_missing(campaign: Campaign, params: dict):
    if campaign.chargeable and not campaign.consent.get("method"):
        yield Hit("/consent", T("the campaign does not say how customers agree to the charges"))


# The customer's agreement asked for at renewal: "reply YES to renew", "如需續約請回覆", "confirm to continue".
_ASKS_TO_AGREE = lazy(
    r"reply (?:yes|y|renew)|confirm (?:to|that you want|your)|agree to renew|opt in to renew|choose to renew|"
    r"(?:回复|回覆|确认|同意|选择).{0,8}(?:续约|续期|续订|续用|继续)|(?:续约|续期|续订).{0,8}(?:请回复|请回覆|请确认|须经您同意|需您同意)")


# Renewing for a new fixed period: "renews for a further 12 months", "自動續期12個月" (simplified in the normal form)
_RENEWS = lazy(r"(?<![a-z])(?:renew(?:s|ed|al)?|roll(?:s)? over|extend(?:s|ed)?)(?![a-z])|续约|续期|续订|自动延续")


def _renews_for_a_fixed_term(campaign: Campaign) -> bool:
    """The contract renews into a new minimum period: it has one, or the offer or its texts say the renewal
    runs for a further number of months (a 12-month pass that "renews for a further 12 months")."""
    if campaign.commitment:
        return True
    summary = campaign.offer.get("summary")
    texts = [normalize(summary)] if isinstance(summary, str) else []
    texts += [n.norm for n in campaign.notifications if n.text] + [m.norm for m in campaign.materials]
    for text in texts:
        durations = [d for d in find_durations(text) if d.in_months() >= 2]
        for cue in _RENEWS.finditer(text.text):
            if any(0 <= d.start - cue.end() <= 30 for d in durations):
                return True
    return False


@check("CON-007")
def auto_renewal_without_agreement(campaign: Campaign, params: dict):
    if campaign.behavior != "auto_renew" or not _renews_for_a_fixed_term(campaign):
        return
    if any(n.text and _ASKS_TO_AGREE.search(n.norm.text) for n in campaign.notifications):
        return
    yield Hit("/consent",
              T("the contract renews automatically for a new fixed term, and no reminder asks the customer to agree "
                "to the renewal"))
