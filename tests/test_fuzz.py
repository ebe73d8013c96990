"""Bounded fuzzing in CI (the long run is `python -m tests.fuzz --minutes 10`)."""

from __future__ import annotations

import os

from fuzz import property_test


def test_mutated_campaigns_never_crash_and_meet_the_contract():
    run = property_test(int(os.environ.get("AUDITOR_FUZZ_EXAMPLES", "120")))
    run()
    assert run.count >= 1
