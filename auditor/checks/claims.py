"""Claims: absolute terms, unqualified "unlimited", "no hidden fees" and "free"
where the customer pays."""

from __future__ import annotations

from auditor.campaign import Campaign
from auditor.checks._util import find, fmt_amount, hit_in_text, states_amount
from auditor.checks.fees import after_amount, during_amount
from auditor.messages import T
from auditor.registry import check


@check("CLM-001")
def absolute_claim(campaign: Campaign, params: dict):
    for material in campaign.pre_signup_materials:
        matches = find(params["absolute_terms"], material.norm)
        if matches:
            words = ", ".join(dict.fromkeys(material.norm.original[slice(*material.norm.span(m.start, m.end))]
                                            for m in matches))
            yield hit_in_text(material.pointer, T("the {kind} `{material}` uses absolute terms ({words})",
                                                  kind=T(material.kind), material=material.id, words=words),
                              material.norm, [(m.start, m.end) for m in matches[:4]], material.id)


@check("CLM-002")
def unlimited_without_limit(campaign: Campaign, params: dict):
    for material in campaign.pre_signup_materials:
        matches = find(params["unlimited"], material.norm)
        claims = [m for m in matches if m.key == "unlimited"]
        if claims and not any(m.key == "fair use" for m in matches):
            yield hit_in_text(material.pointer,
                              T("the {kind} `{material}` promises unlimited use without stating its fair-use limit",
                                kind=T(material.kind), material=material.id), material.norm, [(m.start, m.end) for m in claims[:3]], material.id)


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


@check("CLM-004")
def free_claim_with_charges(campaign: Campaign, params: dict):
    charged = []
    for fee in campaign.fees:
        amount = during_amount(campaign, fee)
        if amount is not None and amount > 0:
            charged.append((fee, amount))
    if not charged:
        return
    for material in campaign.pre_signup_materials:
        matches = find(params["free_words"], material.norm)
        if not matches:
            continue
        if all(states_amount(material.norm, amount, fee.currency) for fee, amount in charged):
            continue
        costs = ", ".join(f"{fee.name} {fmt_amount(amount, fee.currency)}" for fee, amount in charged)
        yield hit_in_text(material.pointer,
                          T("the {kind} `{material}` calls something free while the customer pays ({costs}) and "
                            "does not say so", kind=T(material.kind), material=material.id, costs=costs),
                          material.norm, [(m.start, m.end) for m in matches[:3]], material.id)
