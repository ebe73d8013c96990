"""ACME house rules for campaign-auditor (entry point group `auditor.rules`)."""

from __future__ import annotations

from pathlib import Path

from auditor.api import check, find, hit_in_text

CHECKLISTS = Path(__file__).resolve().parent / "checklists"


@check("ACME-001")
def guarantee_promise(campaign, params):
    """Customer-facing text promises a guarantee the brand does not give."""
    for material in campaign.pre_signup_materials:
        matches = find(params["guarantee_words"], material.norm)
        if matches:
            yield hit_in_text(material.pointer, f"the {material.kind} `{material.id}` promises a guarantee",
                              material.norm, [(m.start, m.end) for m in matches[:3]], material.id)
