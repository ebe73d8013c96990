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
    "Notifications": (("end_of_term", "notifications"), ("days_before", "channel", "text")),
    "Cancellation": (("cancellation", "methods"), ("channel", "instructions", "available")),
    "Materials": (("materials",), ("id", "kind", "channel", "language", "text", "file")),
    "Eligibility": (("offer", "eligibility"), ("condition", "disclosed_in")),
    "ValidityLimits": (("validity_limits",), ("subject", "days", "months", "disclosed_in")),
}

# Separators accepted in comma-separated list cells (ASCII and CJK punctuation).
LIST_SEPARATORS = ",，、;；"
