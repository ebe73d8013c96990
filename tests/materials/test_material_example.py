"""The example campaign whose materials are files (examples/files-campaign): a PDF poster, an HTML landing page
and Word terms, in Chinese and English; the report the README shows."""

from __future__ import annotations

from helpers import REPO

from auditor.engine import audit_file

EXAMPLE = REPO / "examples" / "files-campaign" / "cn-5g-files.yaml"


def test_the_example_reads_all_three_files_and_flags_the_poster_where_it_says_it():
    result = audit_file(EXAMPLE, "cn-5g-files.yaml")
    assert result.risk_level == "high"
    assert not [f for f in result.findings if f.category == "input"]
    assert "59元/月" in result.material_texts[1] and "¥59 a month" in result.material_texts[1]  # the HTML page
    assert "按59元/月收费" in result.material_texts[2] and "59元/月" in result.material_texts[2]  # the Word terms
    spots = {f.rule: f.location.to_dict() for f in result.findings}
    assert set(spots) == {"CLM-001", "FEE-007", "FEE-002"}
    for rule in ("CLM-001", "FEE-007"):
        assert spots[rule]["file"] == "cn-5g-files/poster.pdf" and spots[rule]["page"] == 1
        assert spots[rule]["paragraph"] == 2 and len(spots[rule]["box"]) == 4
    # what the poster lacks (the price) has no spot in it: the file is the place
    assert spots["FEE-002"]["file"] == "cn-5g-files/poster.pdf" and "box" not in spots["FEE-002"]


def test_the_readme_shows_the_report_on_the_example():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "examples/files-campaign" in readme
    assert "cn-5g-files/poster.pdf, page 1, paragraph 2" in readme
