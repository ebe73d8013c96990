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


# --- superlatives scoped over a place, and over a whole market with the thing measured in between ---------------


def test_best_vpn_in_a_state_is_a_superlative(tmp_path):
    doc = with_material("uk", "The best VPN in California, now on your bill! $59.99/year.", jurisdiction="US-CA",
                        language="en-US", currency="USD")
    assert "CLM-006" in rules(doc, tmp_path)


def test_best_vpn_with_its_source_passes(tmp_path):
    doc = with_material("uk", "The best VPN in California (source: VPN Review survey, March 2026). $59.99/year.",
                        jurisdiction="US-CA", language="en-US", currency="USD")
    assert "CLM-006" not in rules(doc, tmp_path)


def test_market_scoped_superlative_with_the_measure_between_is_a_claim(tmp_path):
    doc = with_material("uk", "影城月租199元，全台片量最多的線上影城！", jurisdiction="TW", language="zh-TW",
                        currency="TWD")
    assert "CLM-006" in rules(doc, tmp_path)


def test_market_scoped_delivery_time_is_no_superlative(tmp_path):
    doc = with_material("uk", "月租199元，全台門市最快當天取貨。", jurisdiction="TW", language="zh-TW",
                        currency="TWD")
    assert "CLM-006" not in rules(doc, tmp_path)
