"""Text understanding v3 (issue #16, second blind round): the classes the auditor misread on the blind
batches c and d of 30 November 2026, each with a campaign that must trigger and a twin that must not.

Every test here failed before the change it covers: EU materials in their own language (durations,
monthly prices, how to terminate, best-tariff advice), allowances valid for the calendar month, a porting
sentence that cites the porting rules by title, rivals put down with 不像…, "text"/"reply" as the service
rather than an instruction, and plural or fee-worded "no lock-in" claims."""

from __future__ import annotations

import pytest
from helpers import audit_document

from auditor.examples import build
from auditor.text.dates import find_durations
from auditor.text.money import find_money
from auditor.text.normalize import normalize


def rules(document: dict, tmp_path) -> set[str]:
    return {finding.rule for finding in audit_document(document, tmp_path).findings}


def material(base: str, text: str, kind: str = "advert", channel: str = "web") -> dict:
    return build({"base": base, "patch": {"/materials/-": {"id": "x", "kind": kind, "channel": channel,
                                                             "text": text}}})


# --- EU materials in their own language ----------------------------------------------------------------------

@pytest.mark.parametrize("text,value,unit", [
    ("Mindestvertragslaufzeit 24 Monate, danach monatlich kündbar", 24, "months"),
    ("durée d'engagement de 12 mois", 12, "months"),
    ("permanencia de 24 meses", 24, "months"),
    ("vincolo di 24 mesi", 24, "months"),
    ("minimale looptijd 12 maanden", 12, "months"),
    ("Widerruf binnen 14 Tagen", 14, "days"),
])
def test_durations_in_the_languages_of_eu_campaigns(text, value, unit):
    assert [(d.value, d.unit) for d in find_durations(normalize(text))] == [(value, unit)]


@pytest.mark.parametrize("text", ["alle 12 Monate", "tous les 12 mois", "cada 12 meses", "5 GB Datenvolumen"])
def test_frequencies_and_non_durations_are_no_term(text):
    assert find_durations(normalize(text)) == []


@pytest.mark.parametrize("text,period", [
    ("9,99 € monatlich", "month"), ("7,99 € pro Monat", "month"), ("15 € par mois", "month"),
    ("12,50 €/mes", "month"), ("20 euro al mese", "month"), ("19,99 € im Jahr", "year"),
    ("Anschlusspreis 19,99 € einmalig", None),
])
def test_billing_periods_in_the_languages_of_eu_campaigns(text, period):
    assert [m.period for m in find_money(normalize(text))] == [period]


def _german_eu_campaign() -> dict:
    doc = build({"base": "uk"})
    doc.update(jurisdiction="EU", currency="EUR", language="de-DE")
    doc["offer"]["summary"] = "5 GB für 9,99 € monatlich, 24 Monate Mindestvertragslaufzeit."
    doc["offer"]["commitment"] = {"months": 24}
    doc["offer"]["term"] = {"months": 24}
    return doc


def test_a_german_commitment_stated_in_german_is_stated(tmp_path):
    doc = _german_eu_campaign()
    for m in doc["materials"]:
        m["text"] = "5 GB für 9,99 € monatlich. Mindestvertragslaufzeit 24 Monate, danach monatlich kündbar."
    assert "TER-004" not in rules(doc, tmp_path)
    for m in doc["materials"]:
        m["text"] = "5 GB für 9,99 € monatlich. Danach monatlich kündbar."
    assert "TER-004" in rules(doc, tmp_path)


def test_a_german_end_of_contract_notice_with_best_tariff_and_how_to_terminate(tmp_path):
    doc = _german_eu_campaign()
    doc["end_of_term"]["notifications"] = [{
        "days_before": 35, "channel": "letter", "before": "commitment_end",
        "text": "Ihre Mindestvertragslaufzeit endet am 31.03.2028. Danach läuft Ihr Vertrag zu 9,99 € monatlich "
                "weiter. Sie können jederzeit mit einer Frist von einem Monat kündigen, online unter "
                "alpenfunk.de/kuendigen. Unser günstigster Tarif für Ihre Nutzung: Tarif S für 7,99 € monatlich."}]
    found = rules(doc, tmp_path)
    assert not found & {"EXP-007", "EXP-010"}
    doc["end_of_term"]["notifications"][0]["text"] = ("Ihre Mindestvertragslaufzeit endet am 31.03.2028. Danach "
                                                      "läuft Ihr Vertrag zu 9,99 € monatlich weiter.")
    assert {"EXP-007", "EXP-010"} <= rules(doc, tmp_path)


# --- validity bound to the calendar month ------------------------------------------------------------------

def _monthly_allowance(terms_text: str) -> dict:
    doc = build({"base": "cn", "patch": {"/materials/1/text": terms_text}})
    doc["validity_limits"] = [{"subject": "allowance", "months": 1, "disclosed_in": ["terms"]}]
    return doc


@pytest.mark.parametrize("text", [
    "前12个月5元/月，之后10元/月。套餐内流量当月有效，月底清零，不可结转至次月。如需取消，可随时通过APP办理。",
    "Unused data does not roll over: it expires at the end of each month. £8/month for 6 months, then £12/month.",
])
def test_an_allowance_valid_for_the_calendar_month_states_a_one_month_limit(text, tmp_path):
    assert "TER-001" not in rules(_monthly_allowance(text), tmp_path)


def test_a_one_month_allowance_never_limited_in_the_terms_is_flagged(tmp_path):
    doc = _monthly_allowance("前12个月5元/月，之后10元/月。如需取消，可随时通过APP办理。")
    assert "TER-001" in rules(doc, tmp_path)
    doc["validity_limits"][0] = {"subject": "allowance", "days": 90, "disclosed_in": ["terms"]}
    doc["materials"][1]["text"] = "前12个月5元/月，之后10元/月。套餐内流量当月有效。"
    assert "TER-001" in rules(doc, tmp_path)  # a monthly bound does not state a 90-day limit


# --- rivals -------------------------------------------------------------------------------------------------

def test_a_porting_sentence_citing_the_porting_rules_by_title_is_no_comparison(tmp_path):
    text = ("原号码归属中国联通、中国电信等运营商的用户，均可按照工业和信息化部《携号转网服务管理规定》申请转入。"
            "前12个月5元/月，之后10元/月。")
    assert "CMP-001" not in rules(material("cn", text, kind="terms"), tmp_path)
    other = "中国联通、中国电信的用户请注意《电信条例》的规定。前12个月5元/月，之后10元/月。"
    assert "CMP-001" in rules(material("cn", other, kind="terms"), tmp_path)


def test_generic_rivals_put_down_with_buxiang(tmp_path):
    text = "不像其他業者偷偷幫你開通又亂扣款，我們收費清清楚楚！前12个月5元/月，之后10元/月。"
    assert "CMP-002" in rules(material("cn", text), tmp_path)
    assert "CMP-002" not in rules(material("cn", "我們收費清清楚楚！前12个月5元/月，之后10元/月。"), tmp_path)


# --- opt-in instructions ------------------------------------------------------------------------------------

def _opt_in(text: str) -> dict:
    doc = build({"base": "uk", "patch": {"/materials/0/text": text}})
    doc["offer"]["requires_opt_in"] = True
    return doc


def test_talk_and_text_is_no_instruction_to_opt_in(tmp_path):
    text = "Bonus 20GB every month. Unlimited national talk & text. £8/month for 6 months, then £12/month."
    assert "TER-003" in rules(_opt_in(text), tmp_path)


def test_an_instruction_to_text_a_code_is_how_to_opt_in(tmp_path):
    text = "Bonus 20GB: text BONUS to 2020 to claim it. £8/month for 6 months, then £12/month."
    assert "TER-003" not in rules(_opt_in(text), tmp_path)


# --- "no lock-in" -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["No contracts, cancel anytime with no fees. £8/month for 6 months, then £12/month.",
                                  "Sans engagement ! 8 € par mois pendant 6 mois, puis 12 € par mois."])
def test_plural_and_fee_worded_no_lock_in_claims_are_contradicted_by_a_commitment(text, tmp_path):
    assert "CLM-005" in rules(material("uk", text), tmp_path)
    doc = material("uk", text)
    del doc["offer"]["commitment"]
    assert "CLM-005" not in rules(doc, tmp_path)


# --- a bare price followed by the next item ---------------------------------------------------------------

@pytest.mark.parametrize("text,amounts", [
    ("・主號：月租999，5G 60GB，網內外通話各300分鐘", ["999"]),  # the comma starts the next item
    ("光纖300M 月付699（牌價NT$999）", ["699", "999"]),
    ("月租 9,99 €", ["9.99"]),  # a decimal comma is still a decimal
    ("月租999,50元", ["999.50"]),
])
def test_a_bare_price_before_a_comma_and_monthly_payment_words(text, amounts):
    assert [str(m.amount) for m in find_money(normalize(text))] == amounts


# --- what happens at the end of the term -------------------------------------------------------------------

def _cn_reminder(text: str, behavior: str) -> dict:
    doc = build({"base": "cn"})
    doc["end_of_term"]["behavior"] = behavior
    doc["end_of_term"]["notifications"] = [{"days_before": 7, "channel": "sms", "text": text}]
    return doc


@pytest.mark.parametrize("text,behavior", [
    ("【星桥移动】您的赠送话费将于2026年12月31日到期，到期后未使用部分自动清零。", "auto_cancel"),
    ("【晨星行動】提醒：贈送通話金將於民國116年7月31日到期。", "auto_cancel"),  # a lapse: expiring is the end
    ("【江澜电信】您的承诺期将于2028年8月31日届满，届满后套餐按原资费继续提供。", "revert_to_standard"),
])
def test_a_reminder_that_says_what_lapses_or_goes_on_states_the_consequence(text, behavior, tmp_path):
    assert "EXP-004" not in rules(_cn_reminder(text, behavior), tmp_path)


def test_an_expiry_date_alone_does_not_say_that_the_service_renews(tmp_path):
    doc = _cn_reminder("【星桥移动】您的流量包将于2026年12月31日到期。", "auto_renew")
    assert "EXP-004" in rules(doc, tmp_path)


# --- prices that follow from the fee table (CNS-001) -------------------------------------------------------

def _uk_with(fees: list[dict], text: str) -> dict:
    """The UK base campaign (its own plan at £8, then £12 a month) with more fees and an advert."""
    doc = build({"base": "uk", "patch": {"/materials/-": {"id": "x", "kind": "advert", "channel": "web",
                                                             "text": text}}})
    doc["fees"] += fees
    return doc


def _monthly(amount) -> dict:
    return {"id": f"m{amount}", "name": f"Add-on {amount}", "amount": amount, "recurrence": "monthly",
            "disclosed_in": ["x"]}


@pytest.mark.parametrize("fees,text", [
    ([_monthly(22.5)], "Pixel 10 for £34.50 a month: £12 airtime plus £22.50 device plan."),
    ([_monthly(30)], "£30 a line with 4 lines: £120/mo in all."),
    ([_monthly(15)], "Europe for £15 per 30 days. That's 50p a day."),
    ([{"id": "y", "name": "Annual plan", "amount": 99, "recurrence": "one_time", "disclosed_in": ["x"]}],
     "One payment of £99 a year: just £8.25/mo."),
    ([_monthly(7.5)], "£7.50 p/m. Every April the price goes up by £1.25 a month (so £8.75 p/m)."),
])
def test_a_price_that_follows_from_the_fee_table_is_consistent(fees, text, tmp_path):
    assert "CNS-001" not in rules(_uk_with(fees, text), tmp_path)


@pytest.mark.parametrize("fees,text", [([_monthly(22.5)], "Just £15.50 a month!"),
                                       ([_monthly(30)], "£30 a line: £150/mo.")])
def test_a_price_that_does_not_follow_is_still_a_mismatch(fees, text, tmp_path):
    assert "CNS-001" in rules(_uk_with(fees, text), tmp_path)


# --- batch e: preconditions, redeeming, waiving by any wording, one-off prices --------------------------------

def _with_condition(condition: str) -> dict:
    return build({"base": "cn", "patch": {"/offer/eligibility": [{"condition": condition, "disclosed_in": ["terms"]}],
                                          "/fees/0/promo_amount": 5}})


def test_a_plain_precondition_belongs_in_the_contract_not_beside_every_price(tmp_path):
    doc = _with_condition("安装地址须在本公司光宽带已覆盖区域")
    doc["materials"][1]["text"] += "安装地址须在本公司光宽带已覆盖区域。"
    assert "TER-002" not in rules(doc, tmp_path)


@pytest.mark.parametrize("condition", ["须使用绑定手机（IMEI）上网，否则不享受优惠", "同一社区申办户数须达30户，未达门槛按牌价计收"])
def test_a_condition_that_can_forfeit_the_benefit_belongs_beside_the_price(condition, tmp_path):
    doc = _with_condition(condition)
    doc["materials"][1]["text"] += condition + "。"
    assert "TER-002" in rules(doc, tmp_path)  # stated in the terms, missing from the advert with the price


def test_redeeming_in_the_app_says_how_to_apply(tmp_path):
    doc = build({"base": "cn", "patch": {"/materials/0/text": "2000积分换10GB流量。兑换方式：打开APP-积分商城，选择流量包并确认兑换。"
                                                             "前12个月5元/月，之后10元/月。"}})
    doc["offer"]["requires_opt_in"] = True
    assert "TER-003" not in rules(doc, tmp_path)
    doc["materials"][0]["text"] = "2000积分换10GB流量。前12个月5元/月，之后10元/月。"
    doc["materials"][1]["text"] = "前12个月5元/月，之后10元/月。"
    assert "TER-003" in rules(doc, tmp_path)


@pytest.mark.parametrize("clause", ["立约人已详阅本契约全部条款，同意拋棄契約審閱期間。", "本人自愿放弃七日无理由退货的权利。"])
def test_a_waiver_of_a_statutory_right_in_any_wording(clause, tmp_path):
    assert "TER-005" in rules(material("cn", clause, kind="contract"), tmp_path)


def test_giving_up_something_else_is_no_waiver_of_rights(tmp_path):
    assert "TER-005" not in rules(material("cn", "用户可随时放弃赠送的流量包，不影响审阅期。", kind="contract"), tmp_path)


def test_a_one_off_price_said_to_be_the_price_must_match(tmp_path):
    doc = build({"base": "uk", "patch": {"/fees/-": {"id": "sim", "name": "Travel SIM", "amount": 30,
                                                     "recurrence": "one_time", "disclosed_in": ["web"]}}})
    doc["materials"][0]["text"] += " Travel SIM: only £35."
    assert "CNS-001" in rules(doc, tmp_path)
    doc["materials"][0]["text"] = doc["materials"][0]["text"].replace("only £35", "only £30 (£5 call credit incl.)")
    assert "CNS-001" not in rules(doc, tmp_path)


# --- batch f: the West in its own languages ---------------------------------------------------------------

def test_a_condition_is_stated_only_with_its_figures(tmp_path):
    condition = "Line must be on the Unlimited Ultra plan ($85/mo) throughout the 36 months, or bill credits stop"
    doc = build({"base": "uk", "patch": {"/offer/eligibility": [{"condition": condition, "disclosed_in": []}]}})
    doc["materials"][1]["text"] += " Bill credits: applied over 36 months; if you cancel the line, credits stop."
    assert "TER-002" in rules(doc, tmp_path)  # the $85 plan the credits depend on is in no material
    for stated in doc["materials"]:  # beside the promotional price and in the terms
        stated["text"] += " The line must stay on the Unlimited Ultra plan ($85/mo) for the 36 months."
    assert "TER-002" not in rules(doc, tmp_path)


@pytest.mark.parametrize("text", ["DARMOWY miesiąc! Potem 8 € par mois.", "Ein Monat kostenlos, danach 12 € monatlich."])
def test_free_in_the_languages_of_eu_campaigns_while_the_customer_pays(text, tmp_path):
    doc = material("uk", text)
    doc["fees"].append({"id": "act", "name": "Activation", "amount": 19.99, "recurrence": "one_time",
                        "disclosed_in": ["summary"]})
    doc["materials"][1]["text"] += " Activation £19.99."
    assert "CLM-004" in rules(doc, tmp_path)


def test_unlimited_calls_abroad_without_their_limit(tmp_path):
    assert "CLM-002" in rules(material("uk", "UNLIMITED calls to 30 countries. £8/month for 6 months, then £12/month."),
                              tmp_path)
    text = "Unlimited data for normal personal use: no data cap. £8/month for 6 months, then £12/month."
    assert "CLM-002" not in rules(material("uk", text), tmp_path)


def test_rivals_put_down_in_french(tmp_path):
    text = "Contrairement à Orange, qui vous noie sous les frais cachés, nous restons clairs. 8 € par mois pendant 6 mois."
    assert "CMP-002" in rules(material("uk", text), tmp_path)


def test_a_best_tariff_priced_per_line_is_stated(tmp_path):
    doc = build({"base": "uk"})
    doc["end_of_term"]["notifications"][0]["text"] = (
        "Your contract ends on 31/03/2029. Then your lines cost £19.50 a line each month. Best tariffs available to "
        "you now: Fleet 30GB on a new contract at £16.80 a line. To leave, give 30 days' notice online.")
    assert "EXP-007" not in rules(doc, tmp_path)


def test_a_spanish_validity_is_stated(tmp_path):
    doc = build({"base": "uk", "patch": {"/materials/1/text": "Precio: $30.00 por 30 días. Vigencia: 30 días desde la "
                                                              "activación; el saldo no usado vence con el plan."}})
    doc["validity_limits"] = [{"subject": "allowance", "days": 30, "disclosed_in": ["summary"]}]
    assert "TER-001" not in rules(doc, tmp_path)


@pytest.mark.parametrize("text", ["你嘅合約將於{DD/MM/YYYY}屆滿，之後按月$298繼續。", "Your contract ends on {DD Mon YYYY}.",
                                  "您的合約將於民國{YYY}年{M}月{D}日屆滿。"])
def test_a_date_format_placeholder_states_the_end_date(text, tmp_path):
    doc = build({"base": "cn"})
    doc["end_of_term"]["notifications"] = [{"days_before": 30, "channel": "sms", "text": text}]
    assert "EXP-003" not in rules(doc, tmp_path)
    doc["end_of_term"]["notifications"][0]["text"] = "你嘅合約即將屆滿，{name}請留意。"
    assert "EXP-003" in rules(doc, tmp_path)


def test_a_fee_given_inside_a_total_is_stated(tmp_path):
    doc = build({"base": "uk"})
    doc["fees"].append({"id": "admin", "name": "Admin fee", "amount": 2, "recurrence": "monthly",
                        "disclosed_in": ["web", "summary"]})
    doc["materials"][1]["text"] += " Admin fee £2/month."
    doc["materials"][0]["text"] = doc["materials"][0]["text"].replace("£8/month", "£10/month (incl. £2 admin fee)")
    doc["materials"][0]["text"] = doc["materials"][0]["text"].replace("then £12/month", "then £14/month in all")
    assert not {f for f in rules(doc, tmp_path)} & {"FEE-002"}
    doc["materials"][0]["text"] = "30GB SIM-only: great value. Cancel any time online."
    assert "FEE-002" in rules(doc, tmp_path)
