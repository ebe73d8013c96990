"""Text understanding v7 (issue #16, sixth round, 30 November 2026): classes the auditor still misread on the
tuning parts of the blind batches, each with a campaign that must trigger and a twin that must not. Every test
here failed before the change it covers."""

from __future__ import annotations

from helpers import rule_ids as rules
from helpers import with_material

# --- "puis" in the sentence before a no-commitment claim is said of the price, not of the claim ------------------


def test_no_commitment_claim_after_a_sentence_with_puis_is_still_a_claim(tmp_path):
    doc = with_material("uk", "30 Go : 8 €/mois pendant 6 mois, puis 12 €/mois. Sans engagement !",
                        jurisdiction="EU", language="fr-FR", currency="EUR")
    assert "CLM-005" in rules(doc, tmp_path)


def test_no_commitment_said_of_the_time_after_the_period_in_its_own_sentence_passes(tmp_path):
    doc = with_material("uk", "30 Go : 8 €/mois pendant 12 mois, puis 12 €/mois sans engagement.",
                        jurisdiction="EU", language="fr-FR", currency="EUR")
    assert "CLM-005" not in rules(doc, tmp_path)
