"""The register of legal sources (checklists/references.yaml) and what findings cite from it."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from helpers import audit_document

from auditor.checklists import ChecklistError, default_ruleset, load_checklist_dirs
from auditor.engine import AuditOptions
from auditor.examples import build
from auditor.resources import data_dir

RULESET = default_ruleset()
REGISTER = RULESET.register


def test_every_rule_reference_resolves_and_every_entry_has_a_source_and_date():
    for rule in RULESET.rules:
        for ident in rule.references + rule.context_references:
            assert ident in REGISTER, (rule.id, ident)
    for entry in REGISTER.values():
        assert entry.source.strip() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.last_checked), entry.id
        if entry.status == "in_force":
            assert entry.in_force, entry.id


def test_no_rule_cites_a_source_not_in_force_as_binding():
    for rule in RULESET.rules:
        for ident in rule.references:
            assert REGISTER[ident].status == "in_force", (rule.id, ident)


def _copy_checklists(tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(data_dir("checklists"), target)
    return target


def test_unknown_reference_id_fails_at_load(tmp_path):
    folder = _copy_checklists(tmp_path)
    path = folder / "fees.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cn-ad-law-8,", "cn-ad-law-88,", 1), encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"FEE-001: reference `cn-ad-law-88` is not in the register"):
        load_checklist_dirs([folder])


@pytest.mark.parametrize("ident", ["cn-miit-sms-voice-2020-draft", "us-ftc-negative-option-rule-2024",
                                   "uk-dmcca-2024-subscriptions", "cn-aucl-2019-8"])
def test_citing_a_draft_vacated_repealed_or_future_source_as_binding_fails(tmp_path, ident):
    folder = _copy_checklists(tmp_path)
    path = folder / "fees.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cn-ad-law-8,", f"{ident},", 1), encoding="utf-8")
    with pytest.raises(ChecklistError, match=rf"FEE-001: cites `{ident}` \(.*\) as binding"):
        load_checklist_dirs([folder])


def test_a_draft_may_be_cited_as_context(tmp_path):
    rule = RULESET.rule("CON-004")
    assert "cn-miit-sms-voice-2020-draft" in rule.context_references
    assert "cn-miit-sms-voice-2020-draft" not in rule.references


def test_register_is_validated_against_its_schema(tmp_path):
    folder = _copy_checklists(tmp_path)
    path = folder / "references.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: statute, status: in_force", "kind: statute, status: pending", 1),
                    encoding="utf-8")
    line = 1 + path.read_text(encoding="utf-8").splitlines().index(
        next(l for l in path.read_text(encoding="utf-8").splitlines() if "status: pending" in l))
    # located like a campaign's schema errors: the file, the line, the entry and the key
    with pytest.raises(ChecklistError, match=rf"references.yaml:{line}: reference cn-ad-law-8: `status` must be one of "
                                             rf"in_force, .*, not 'pending'"):
        load_checklist_dirs([folder])


def test_stale_citations_are_gone():
    cited = {i for r in RULESET.rules for i in r.references + r.context_references}
    labels = " ".join(REGISTER[i].label() for i in cited)
    assert "C1.10" not in labels and "C1.21-C1.36" in labels          # Ofcom's current numbering
    assert "cn-aucl-2025-9" in RULESET.rule("CLM-001").references     # 反不正当竞争法 2025 art 9, not art 8
    assert "cn-aucl-2025-12" in RULESET.rule("CMP-001").references    # art 12, not art 11
    assert "us-47cfr-64-2401" not in RULESET.rule("FEE-004").references  # bills, not a pre-sale duty
    assert not any(REGISTER[i].id.startswith("uk-ofcom") for i in RULESET.rule("CAN-003").references)
    # the TCP Code in force is C628:2019 (the 2025 draft was refused registration); no clause numbers of 2012
    tcp = {i for r in RULESET.rules for i in r.references if i.startswith("au-tcp")}
    assert tcp and all("C628:2019" in REGISTER[i].instrument and "cl." not in REGISTER[i].article for i in tcp)
    assert REGISTER["au-tcp-c628-2025-draft"].status == "draft"


def _findings(document, tmp_path, rule_id):
    return [f for f in audit_document(document, tmp_path).findings if f.rule == rule_id]


def test_findings_cite_only_their_jurisdiction_and_the_cases(tmp_path):
    tw = build({"base": "cn", "patch": {"jurisdiction": "TW", "currency": "TWD", "/end_of_term/notifications": []}})
    [finding] = _findings(tw, tmp_path, "EXP-001")
    for source in finding.sources:
        assert source["jurisdiction"] in ("TW", "ALL") or source["id"].startswith("case:"), source
    cn = build({"base": "cn", "patch": {"/end_of_term/notifications": []}})
    [finding] = _findings(cn, tmp_path, "EXP-001")
    assert not any(s["jurisdiction"] in ("US-CA", "AU", "UK", "EU", "HK") for s in finding.sources)


def test_us_ca_inherits_federal_sources(tmp_path):
    doc = build({"base": "uk", "patch": {"jurisdiction": "US-CA", "currency": "USD",
                                          "/cancellation/methods": [{"channel": "phone", "instructions": "Call 611",
                                                                      "available": "anytime"}]}})
    findings = _findings(doc, tmp_path, "CAN-003")
    assert findings
    jurisdictions = {s["jurisdiction"] for s in findings[0].sources}
    assert {"US", "US-CA"} <= jurisdictions and not jurisdictions & {"UK", "EU", "CN"}


def test_report_references_are_readable_and_sources_carry_kind_and_status(tmp_path):
    doc = build({"base": "uk", "patch": {"/end_of_term/notifications/0/days_before": 5}})
    [finding] = _findings(doc, tmp_path, "EXP-002")
    out = finding.to_dict()
    assert all(isinstance(r, str) for r in out["references"])
    assert any(r.startswith("UK · Ofcom General Conditions") and r.endswith("(regulator code, in force)")
               for r in out["references"]), out["references"]
    assert {"id": "uk-ofcom-gc-c1-ecn", "kind": "regulator_code", "status": "in_force"}.items() <= \
        next(s for s in out["sources"] if s["id"] == "uk-ofcom-gc-c1-ecn").items()


def test_finding_resting_on_practice_says_so(tmp_path):
    doc = build({"base": "cn", "patch": {"/end_of_term/notifications/0": None}})
    [finding] = _findings(doc, tmp_path, "EXP-002")
    assert finding.message.endswith("(basis: operator practice, not law)")


def test_finding_with_no_local_law_says_it_is_house_policy(tmp_path):
    doc = build({"base": "cn", "patch": {"jurisdiction": "TW", "currency": "TWD", "/end_of_term/notifications": []}})
    [finding] = _findings(doc, tmp_path, "EXP-001")
    assert "basis: house policy" in finding.message
    assert any(s["kind"] == "house_policy" for s in finding.sources)


def test_finding_resting_on_law_has_no_basis_note(tmp_path):
    doc = build({"base": "uk", "patch": {"/end_of_term/notifications/0/days_before": 5}})
    [finding] = _findings(doc, tmp_path, "EXP-002")
    assert "basis:" not in finding.message


def test_json_report_stays_valid_against_the_contract(tmp_path):
    import jsonschema
    from helpers import REPO

    schema = json.loads((REPO / "tests" / "contract" / "report.schema.json").read_text(encoding="utf-8"))
    doc = build({"base": "cn", "patch": {"jurisdiction": "TW", "currency": "TWD", "/end_of_term/notifications": []}})
    result = audit_document(doc, tmp_path)
    finding = result.findings[0].to_dict()
    item = schema["properties"]["campaigns"]["items"]["properties"]["findings"]["items"]
    jsonschema.validate(finding, item)


def test_explain_shows_kind_and_status():
    from click.testing import CliRunner

    from auditor.cli import main

    page = CliRunner().invoke(main, ["explain", "CON-004"]).output
    assert "(regulation, draft)" in page and "context only, not the basis" in page
    assert "(industry code, in force)" in page


def test_options_switch_house_policy_per_jurisdiction():
    options = AuditOptions(house_policy={"competitor-review": {"EU": False}})
    assert not options.house_policy_on("competitor-review", "EU")
    assert options.house_policy_on("competitor-review", "UK")


def test_legal_basis_document_is_up_to_date():
    from helpers import REPO

    from auditor.legal import legal_basis_markdown

    committed = (REPO / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    assert committed == legal_basis_markdown(RULESET), "docs/legal-basis.md is stale: run `python -m auditor.legal`"


def test_legal_basis_lists_obligation_rule_source_and_gaps_per_jurisdiction():
    from auditor.legal import legal_basis_markdown

    text = legal_basis_markdown(RULESET)
    assert "Not legal advice. Sources last checked on 2026-11-30" in text
    uk = text.split("## UK", 1)[1].split("\n## ", 1)[0]
    assert "| EXP-002, EXP-003, EXP-004, EXP-005, EXP-007, EXP-008, EXP-009, EXP-010 |" in uk
    assert "regulator code | in force since 2020-02-15" in uk
    assert "Not covered yet:" in uk and "uk-dmcca-2024-subscriptions" in uk
    cn = text.split("## CN", 1)[1].split("\n## ", 1)[0]
    assert "| draft |" in cn and "CON-004 (context)" in cn
    assert "EXP-002 (operator practice)" in cn


def test_legal_basis_check_mode_reports_a_stale_file(tmp_path):
    from auditor.legal import main

    stale = tmp_path / "legal-basis.md"
    stale.write_text("old\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main([str(stale)]) == 0 and main(["--check", str(stale)]) == 0


def test_html_report_shows_kind_and_status_of_each_source(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from auditor.cli import main

    monkeypatch.chdir(tmp_path)
    doc = build({"base": "uk", "patch": {"/end_of_term/notifications/0/days_before": 5}})
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    CliRunner().invoke(main, ["check", "c.json", "--html", "r.html", "--fail-on", "none"])
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Ofcom General Conditions of Entitlement, Condition C1, C1.21-C1.36 (regulator code, in force)" in html
