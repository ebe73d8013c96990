"""The stable API for organisation rule plugins (entry point group `auditor.rules`).

    from auditor.api import check, Hit, T, find, hit_in_text, states_amount

A rule function takes `(campaign, params)` and yields `Hit`s; its metadata
lives in the plugin's checklist YAML (see examples/custom-rules/).
"""

from auditor.campaign import Campaign, Fee, Material, Notification
from auditor.checks._util import excerpt, find, fmt_amount, hit_in_text, money_in, states_amount
from auditor.findings import Hit
from auditor.messages import Join, T
from auditor.registry import check

__all__ = ["Campaign", "Fee", "Material", "Notification", "Hit", "T", "Join", "check", "excerpt", "find",
           "fmt_amount", "hit_in_text", "money_in", "states_amount"]
