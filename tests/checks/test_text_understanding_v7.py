"""Text understanding v7 (issue #16, sixth round, 30 November 2026): classes the auditor still misread on the
tuning parts of the blind batches, each with a campaign that must trigger and a twin that must not. Every test
here failed before the change it covers."""

from __future__ import annotations

import pytest
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


# --- CAN-008: more than a month's notice to leave (HK industry code; EECC art 105(3)) ---------------------------

HK = {"jurisdiction": "HK", "language": "zh-HK", "currency": "HKD"}
EU_DE = {"jurisdiction": "EU", "language": "de-DE", "currency": "EUR"}


@pytest.mark.parametrize("text, changes", [
    ("客戶如欲終止服務，須於終止日前最少三個月以書面通知本公司，並親臨門市遞交。", HK),
    ("To terminate, you must give us at least 3 months' written notice.", HK),
    ("Der Vertrag verlängert sich um 12 Monate, wenn er nicht mit einer Kündigungsfrist von 3 Monaten gekündigt "
     "wird.", EU_DE),
    ("Le contrat se renouvelle par périodes de 12 mois sauf résiliation au moins 3 mois avant la fin.", EU_DE),
])
def test_notice_to_leave_longer_than_a_month(text, changes, tmp_path):
    assert "CAN-008" in rules(with_material("uk", text, kind="terms", **changes), tmp_path)


@pytest.mark.parametrize("text, changes", [
    # the operator's notice to the customer, said without a subject or with one
    ("合約屆滿前30至60日通知；屆滿後按月HK$238，1個月通知可終止。", HK),
    ("本公司將提前兩個月通知閣下終止服務。", HK),
    ("We will give you 60 days' notice before we end or change the service. To cancel, call us.", HK),
    # the length is the contract's, not the notice's
    ("You can cancel before the end of your 24-month contract by paying the early termination fee.", HK),
    ("To terminate, give us one month's notice (30 days' notice online).", HK),
    # not a jurisdiction whose law caps the notice here
    ("To terminate, you must give us at least 3 months' written notice.", {"jurisdiction": "US",
                                                                           "currency": "USD"}),
])
def test_operator_notice_contract_length_or_one_month_passes(text, changes, tmp_path):
    assert "CAN-008" not in rules(with_material("uk", text, kind="terms", **changes), tmp_path)
