"""The project's closed vocabularies, spelled out once.

Jurisdictions, severities (and their rank), risk levels, finding categories and report languages are
part of the report contract (campaign-format.md, sections 1 and 3) and of every command's choices. The
CLI, configuration, checklists, i18n, reporters and the annotator all take them from here, so adding a
jurisdiction or a language is one edit. This module imports nothing from the package: it is the bottom
layer.
"""

from __future__ import annotations

# campaign-format.md, section 1: `jurisdiction`.
JURISDICTIONS: tuple[str, ...] = ("CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU")
# A jurisdiction inherits parameters from its parent before its own overrides.
PARENT_JURISDICTION: dict[str, str] = {"US-CA": "US"}

# Worst first, as the report contract lists them.
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
# Higher is worse: critical=4 ... info=0.
SEVERITY_RANK: dict[str, int] = {name: len(SEVERITIES) - 1 - i for i, name in enumerate(SEVERITIES)}
# `--fail-on` takes a severity or `none` (never fail on findings).
FAIL_ON: tuple[str, ...] = (*SEVERITIES, "none")

# A campaign's risk level, best first: `none` when nothing unwaived was found, else the worst severity
# (info findings do not raise the level).
RISK_LEVELS: tuple[str, ...] = ("none", "low", "medium", "high", "critical")

# The categories of the report contract (campaign-format.md, section 3), exactly.
CATEGORIES: tuple[str, ...] = (
    "input",
    "schema",
    "fee_disclosure",
    "expiry_notification",
    "cancellation",
    "competitor_comparison",
    "terms_disclosure",
    "consent",
    "claims",
    "consistency",
)

# Languages the reports and messages are written in; the first is the source language of the catalogues.
REPORT_LANGUAGES: tuple[str, ...] = ("en", "zh-CN", "zh-TW")
SOURCE_LANGUAGE = REPORT_LANGUAGES[0]
TRANSLATED_LANGUAGES: tuple[str, ...] = REPORT_LANGUAGES[1:]

