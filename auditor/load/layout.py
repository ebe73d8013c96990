"""The spreadsheet layout of campaign-format.md section 2, as data.

Shared by the workbook loader and (later) the template and converter, so the
sheet names and column orders are written down once.
"""

from __future__ import annotations

CAMPAIGN_SHEET = "Campaign"

# sheet name -> (JSON path of the list, column order)
LIST_SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Fees": (("fees",), ("id", "name", "amount", "currency", "recurrence", "unit", "promo_amount", "applies",
                         "charged_by", "provider", "disclosed_in")),
    "Notifications": (("end_of_term", "notifications"), ("days_before", "channel", "text", "before")),
    "Cancellation": (("cancellation", "methods"), ("channel", "instructions", "available")),
    "Materials": (("materials",), ("id", "kind", "channel", "language", "text", "file")),
    "Eligibility": (("offer", "eligibility"), ("condition", "disclosed_in")),
    "ValidityLimits": (("validity_limits",), ("subject", "days", "months", "disclosed_in")),
}

# Separators accepted in comma-separated list cells (ASCII and CJK punctuation).
LIST_SEPARATORS = ",，、;；"

# Scalar fields of the Campaign sheet, in the order the template lists them.
CAMPAIGN_FIELDS = (
    "format", "id", "name", "operator", "operator_aliases", "jurisdiction", "language", "currency",
    "owner.team", "owner.contact", "channels", "period.start", "period.end", "offer.type", "offer.summary",
    "offer.term.months", "offer.term.days", "offer.requires_opt_in", "offer.commitment.months",
    "offer.commitment.early_termination_fee", "minimum_spend.amount", "minimum_spend.period",
    "minimum_spend.disclosed_in", "end_of_term.behavior", "cancellation.fee", "cancellation.effective",
    "consent.method", "consent.pre_checked",
)

# What each field means, for the template's header notes (translated through the report catalogues).
FIELD_NOTES = {
    "format": "Always campaign/v1.",
    "id": "Campaign identifier: letters, digits, dot, underscore or hyphen (at most 64).",
    "name": "Human name of the campaign, any language.",
    "operator": "The brand running the campaign; never counted as a competitor.",
    "operator_aliases": "Other names of the same brand, comma-separated.",
    "jurisdiction": "Where the campaign runs: selects the regulation packs.",
    "language": "Main language of the materials, e.g. zh-CN, zh-TW, en.",
    "currency": "ISO 4217 code of all amounts (default by jurisdiction), e.g. CNY, TWD, GBP.",
    "owner.team": "Team that answers for the campaign.",
    "owner.contact": "Contact person or mailbox of that team.",
    "channels": "Where customers can sign up, comma-separated: sms, web, app, store, telemarketing, print, tv, social, email.",
    "period.start": "First day customers can sign up (a date).",
    "period.end": "Last day customers can sign up (a date).",
    "offer.type": "Kind of offer.",
    "offer.summary": "One-paragraph description of the offer.",
    "offer.term.months": "How many months the benefit lasts for each customer (leave empty if open-ended).",
    "offer.term.days": "Or: how many days the benefit lasts (give months or days, not both).",
    "offer.requires_opt_in": "TRUE if the customer must apply separately to receive the benefit.",
    "offer.commitment.months": "Minimum contract period in months, if any.",
    "offer.commitment.early_termination_fee": "Fee for leaving before the minimum period ends.",
    "minimum_spend.amount": "Monthly minimum spend; a shortfall is charged.",
    "minimum_spend.period": "Period of the minimum spend, e.g. monthly.",
    "minimum_spend.disclosed_in": "Material ids that state the minimum spend, comma-separated.",
    "end_of_term.behavior": "What happens when the term ends (required when there is a term).",
    "cancellation.fee": "Fee for cancelling (0 if free).",
    "cancellation.effective": "When a cancellation takes effect.",
    "consent.method": "How the customer agrees to the charges.",
    "consent.pre_checked": "TRUE if a consent box is ticked in advance for the customer.",
    "fees.id": "Unique id of the fee within the campaign.",
    "fees.name": "Name of the fee as customers see it.",
    "fees.amount": "The regular price (a number).",
    "fees.currency": "Currency of this fee, if not the campaign's.",
    "fees.recurrence": "How often it is charged.",
    "fees.unit": "Unit of a per-unit fee, e.g. MB, message, minute.",
    "fees.promo_amount": "Price during the term (0 for a free trial).",
    "fees.applies": "When the fee is charged: during the term, after it, or always.",
    "fees.charged_by": "Who bills it: the operator or a third party.",
    "fees.provider": "The third party's name, for third-party fees.",
    "fees.disclosed_in": "Material ids that state this fee, comma-separated.",
    "notifications.days_before": "How many days before the term ends the reminder is sent.",
    "notifications.channel": "How the reminder is sent.",
    "notifications.text": "The exact words of the reminder.",
    "notifications.before": "Which end the days count back from: term_end (the promotion) or commitment_end "
                            "(the minimum contract period).",
    "cancellation.channel": "Where the customer can cancel.",
    "cancellation.instructions": "The steps the customer follows.",
    "cancellation.available": "When this method can be used.",
    "materials.id": "Unique id of the material; referenced by disclosed_in.",
    "materials.kind": "What the material is.",
    "materials.channel": "Where it is shown: a sign-up channel, or notification for messages to customers.",
    "materials.language": "Language of this material, if not the campaign's.",
    "materials.text": "The words the customer sees or hears, exactly.",
    "materials.file": "Or: a UTF-8 text file beside the workbook holding the words.",
    "eligibility.condition": "A condition the customer must meet (threshold, device binding, ...).",
    "eligibility.disclosed_in": "Material ids that state the condition, comma-separated.",
    "validitylimits.subject": "What expires.",
    "validitylimits.days": "After how many days it expires.",
    "validitylimits.months": "Or: after how many months it expires.",
    "validitylimits.disclosed_in": "Material ids that state the limit, comma-separated.",
}

# Cells holding these prefixes are template examples still waiting to be replaced.
PLACEHOLDER_PREFIXES = ("e.g. ", "e.g.", "例：", "例:", "例如：", "示例：")

# Labels in the marketer's language, written beside the key in a zh-CN / zh-TW template: `费用（Fees）`,
# `金额（amount）`, `开始日期（period.start）`. The English label is the catalogue's message id. Reading takes
# the key in the brackets, so a labelled workbook reads like a plain one (split_label).
SHEET_LABELS = {
    "Campaign": "Campaign", "Fees": "Fees", "Notifications": "Reminders", "Cancellation": "Cancellation",
    "Materials": "Materials", "Eligibility": "Eligibility", "ValidityLimits": "Validity limits",
}
HEADER_LABELS = {"field": "Field", "value": "Value"}
FIELD_LABELS = {
    "format": "Format", "id": "Campaign id", "name": "Campaign name", "operator": "Operator",
    "operator_aliases": "Operator's other names", "jurisdiction": "Jurisdiction", "language": "Language",
    "currency": "Currency", "owner.team": "Owner team", "owner.contact": "Owner contact",
    "channels": "Sign-up channels", "period.start": "Sign-up opens", "period.end": "Sign-up closes",
    "offer.type": "Offer type", "offer.summary": "Offer summary", "offer.term.months": "Term (months)",
    "offer.term.days": "Term (days)", "offer.requires_opt_in": "Customer must apply",
    "offer.commitment.months": "Minimum contract (months)",
    "offer.commitment.early_termination_fee": "Early termination fee",
    "minimum_spend.amount": "Minimum spend", "minimum_spend.period": "Minimum spend period",
    "minimum_spend.disclosed_in": "Minimum spend stated in", "end_of_term.behavior": "When the term ends",
    "cancellation.fee": "Cancellation fee", "cancellation.effective": "Cancellation takes effect",
    "consent.method": "Consent method", "consent.pre_checked": "Consent box pre-ticked",
    "fees.id": "Fee id", "fees.name": "Fee name", "fees.amount": "Regular price", "fees.currency": "Currency",
    "fees.recurrence": "Charged", "fees.unit": "Unit", "fees.promo_amount": "Price during the term",
    "fees.applies": "Charged when", "fees.charged_by": "Billed by", "fees.provider": "Third party",
    "fees.disclosed_in": "Stated in",
    "notifications.days_before": "Days before the end", "notifications.channel": "Sent by",
    "notifications.text": "Reminder text", "notifications.before": "Counted back from",
    "cancellation.channel": "Cancel by", "cancellation.instructions": "How to cancel",
    "cancellation.available": "Available",
    "materials.id": "Material id", "materials.kind": "Material kind", "materials.channel": "Shown on",
    "materials.language": "Language", "materials.text": "Text", "materials.file": "Text file",
    "eligibility.condition": "Condition", "eligibility.disclosed_in": "Stated in",
    "validitylimits.subject": "What expires", "validitylimits.days": "Days", "validitylimits.months": "Months",
    "validitylimits.disclosed_in": "Stated in",
}
# The FIELD_NOTES / FIELD_LABELS prefix of each list sheet's columns.
NOTE_PREFIX = {"Fees": "fees", "Notifications": "notifications", "Cancellation": "cancellation",
               "Materials": "materials", "Eligibility": "eligibility", "ValidityLimits": "validitylimits"}

_LABELLED = __import__("re").compile(r"^(.*?)\s*[（(]\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*[)）]\s*$", __import__("re").S)


def labelled(label: str, key: str) -> str:
    """`费用（Fees）`: the label in the marketer's language beside its key (the key alone when they are equal)."""
    return key if label == key else f"{label}（{key}）"


def split_label(text: str) -> str:
    """The key of a cell written as `label（key）` or `label (key)`, else the text itself (stripped)."""
    text = text.strip()
    match = _LABELLED.match(text)
    return match.group(2) if match and match.group(1) else text
