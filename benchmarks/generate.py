"""Seeded generator of realistic campaigns for the benchmarks.

    python benchmarks/generate.py OUT_DIR --count 1000 [--seed 7] [--format json|yaml|xlsx|mixed]
                                  [--texts varied|pooled]

Campaigns are built from the evaluation corpus and the compliant bases (all
eight jurisdictions, every offer type, simplified and traditional Chinese and
English texts), with seeded variations of ids, prices, terms and reminder
days, and a realistic share (about 60%) carrying the defects of the complaint
cases.

Texts (`--texts`):

- `varied` (the default, and what every benchmark target is measured on): as
  in a real archive, no text repeats across campaigns. Every material, notice,
  summary and instruction gets its own wording, plan names, amounts, dates,
  shop names and phone numbers, in the campaign's language and script, with
  lengths drawn per kind: adverts and posters 80-600 characters, SMS and
  notices 40-200, landing pages and e-mails 150-1,500, terms and contracts
  500-5,000, call scripts 300-2,500 (a third of the campaigns gain one). The
  generator checks the promise: a repeated text gets a reference number.
- `pooled`: the corpus texts as they are, so thousands of campaigns share a
  few dozen texts and per-text caches hit on almost every campaign. Kept only
  as a labelled secondary figure: real archives are not like that.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JURISDICTIONS = ["CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU"]


def seeds() -> list[dict]:
    from auditor.examples import base
    from auditor.load import load_path

    docs = [base("cn"), base("uk")]
    for path in sorted((ROOT / "tests" / "corpus").glob("*.*")):
        if path.suffix in (".json", ".yaml", ".xlsx"):
            document = load_path(path).document
            if isinstance(document, dict) and not any(
                    isinstance(m, dict) and "file" in m for m in document.get("materials", [])):
                docs.append(document)
    return docs


DEFECTS = [
    lambda d, r: d.get("end_of_term", {}).pop("notifications", None),
    lambda d, r: d.setdefault("consent", {}).update(pre_checked=True),
    lambda d, r: d["materials"][0].update(text=d["materials"][0].get("text", "") + " 全网最低！比友商便宜！"),
    lambda d, r: d["fees"][0].update(amount=round(d["fees"][0].get("amount", 1) * 1.5 + 1, 2)) if d["fees"] else None,
    lambda d, r: d.update(cancellation={"methods": [{"channel": "phone", "instructions": "Call us",
                                                     "available": "after_term"}]}),
    lambda d, r: d["materials"].append({"id": f"extra{r.randint(1, 9)}", "kind": "advert", "channel": "web",
                                        "text": "FREE for 3 months! Unlimited data! No hidden fees!"}),
]


def variant(seed_doc: dict, rng: random.Random, index: int) -> dict:
    doc = copy.deepcopy(seed_doc)
    doc["id"] = f"GEN-{index:06d}"
    doc["name"] = f"{doc.get('name', 'campaign')} #{index}"
    if rng.random() < 0.3:
        doc["jurisdiction"] = rng.choice(JURISDICTIONS)
    for fee in doc.get("fees", []):
        if isinstance(fee.get("amount"), (int, float)) and rng.random() < 0.2:
            fee["amount"] = round(fee["amount"] * rng.choice([1, 1, 2]), 2)
    for n in doc.get("end_of_term", {}).get("notifications", []) or []:
        n["days_before"] = max(0, n.get("days_before", 7) + rng.choice([0, 0, -2, 3]))
    if rng.random() < 0.6:
        rng.choice(DEFECTS)(doc, rng)
    return doc


# Phrase banks for the varied texts. Slots: {plan} a plan name made for the campaign, {amount} {amount2}
# prices, {gb} data, {n} months, {d} days, {date} a date, {shop} a place, {phone} a number, {code} an SMS code.
_EN = {
    "marketing": [
        "Get {gb}GB on the {plan} plan for just {cur}{amount} a month.",
        "Switch to {plan} today and keep your number, with {gb}GB of data every month.",
        "{plan}: calls and texts to every UK and EU network, plus {gb}GB, from {cur}{amount}.",
        "Offer ends {date}. Visit us at {shop} or order online.",
        "New customers only, subject to a credit check; ask in store at {shop}.",
        "Bring a friend before {date} and you both get {gb}GB extra on {plan}.",
        "Stream music and video on {plan} with our {gb}GB data pass.",
        "Roam in 40 destinations with {plan}, {cur}{amount2} a day when you travel.",
        "Questions? Call {phone} from 8am to 8pm, seven days a week.",
        "Upgrade on {plan} after {n} months at no extra cost.",
    ],
    "terms": [
        "{plan} is available to customers aged 18 or over who pass a credit check at {shop} or online.",
        "The monthly charge for {plan} is {cur}{amount} and is billed in advance on the day your plan started.",
        "Data allowances of {gb}GB apply per billing month; unused data does not carry over to the next month.",
        "Calls to numbers starting 084, 087, 09 and 118 are charged at {cur}{amount2} a minute plus the service charge.",
        "We may change these terms on {d} days' notice; if a change is to your material detriment you may leave without charge.",
        "Roaming outside the listed destinations is charged at the rates published at northwind.example/roaming on {date}.",
        "Fair use: we may contact you if your use of {plan} exceeds {gb}GB in a month for {n} months in a row.",
        "Your statutory rights are not affected. Complaints: call {phone} or write to Customer Relations, {shop}.",
        "Handsets bought with {plan} remain ours until paid in full; device plan reference {code}.",
        "Prices include VAT at the current rate; a paper bill costs {cur}{amount2} a month if you ask for one.",
        "Personal data is processed as described in our privacy notice, version {code}, published {date}.",
        "The minimum term is {n} months from the date your service is connected, or {d} days for a rolling plan.",
    ],
    "sms": [
        "{plan}: your {gb}GB pass renews {date}.", "Reply {code} to stop offers. Help: {phone}.",
        "Thanks for choosing {plan}.", "Your bill of {cur}{amount} is ready.", "Info: {phone}, ref {code}.",
    ],
    "script": [
        "Hello, this is {name} calling from {op}. Am I speaking with the account holder?",
        "I'm calling about our {plan} plan: {gb}GB of data for {cur}{amount} a month.",
        "Before we go on, this call is recorded for training and quality purposes.",
        "Can I confirm the last three digits of your postcode, please?",
        "If you agree today, your plan changes on {date}; you'll get a text with the details from {phone}.",
        "The minimum term is {n} months; you have 14 days to change your mind.",
        "Is there anything else I can help you with today? Thank you for your time.",
    ],
    "names": ["Flex", "Max", "Go", "Plus", "Lite", "Family", "Unlimited", "Student", "Travel", "Essentials",
              "Smart", "Pro", "Value", "Connect", "Starter"],
    "people": ["Sam", "Alex", "Priya", "Tom", "Grace", "Leo", "Maya", "Omar", "Chloe", "Ravi"],
    "shops": ["12 High Street", "Riverside Mall", "Station Road", "Market Square", "Harbour Centre",
              "Queen Street", "the Arcade", "Westfield"],
    "reference": " Reference {code}.",
}
_HANS = {
    "marketing": [
        "{plan}每月仅需{amount}元，含国内流量{gb}GB。", "即日起至{date}，到{shop}办理{plan}，送{gb}GB流量。",
        "老用户升级{plan}，前{n}个月享受优惠。", "全国通用流量{gb}GB，通话{m}分钟，月费{amount}元。",
        "详情请咨询{phone}或到{shop}营业厅。", "新入网用户办理{plan}可获赠视频会员{n}个月。",
        "家庭共享{gb}GB，副卡每张{amount2}元/月。", "扫码关注公众号，回复{code}查看活动细则。",
    ],
    "terms": [
        "{plan}月功能费{amount}元，按自然月收取，当月办理当月生效，费用按日折算。",
        "套餐内国内通用流量{gb}GB，超出部分按{amount2}元/GB收取，当月有效，不可结转。",
        "本活动办理截止日期为{date}，办理地点：{shop}及网上营业厅。",
        "用户在协议期{n}个月内不得办理销户、过户及降档，违约需支付违约金。",
        "套餐外国内语音主叫{amount2}元/分钟，被叫免费；短信0.1元/条。",
        "如对本活动有疑问，请拨打客服热线{phone}，或前往{shop}咨询。",
        "赠送流量自办理之日起{d}天内有效，逾期自动失效，不予退还。",
        "本业务须经用户二次确认后方可开通，确认码{code}，有效期{d}天。",
        "用户个人信息依照《个人信息保护法》处理，详见隐私政策第{n}版。",
        "运营商保留在法律允许范围内对本活动进行调整的权利，调整前将提前{d}天公告。",
        "宽带融合用户另享{gb}GB家庭流量，宽带安装费{amount2}元一次性收取。",
    ],
    "sms": ["【{op}】{plan}已生效。", "回复{code}退订。", "客服{phone}。", "本月已用{gb}GB。", "详询{shop}。"],
    "script": [
        "您好，我是{op}客服{name}，工号{code}，请问是机主本人吗？", "本次通话将被录音，用于服务质量检查。",
        "向您推荐{plan}：每月{amount}元，含流量{gb}GB，通话{m}分钟。", "优惠期{n}个月，到期后恢复标准资费。",
        "如您同意办理，我们会发送确认短信，请回复{code}确认。", "如需取消，可拨打{phone}或到{shop}办理。",
        "请问您还有其他问题吗？感谢您的接听，祝您生活愉快。",
    ],
    "names": ["畅享", "尊享", "悦享", "畅游", "青春", "家庭", "融合", "极速", "智慧", "乐享", "无忧", "星级"],
    "people": ["小王", "小李", "小张", "小刘", "小陈", "小杨", "小赵", "小黄"],
    "shops": ["人民路营业厅", "中山路营业厅", "万达广场店", "火车站营业厅", "解放路旗舰店", "新区服务中心"],
    "reference": "（编号{code}）",
}
_HANT = {
    "marketing": [
        "{plan}每月只要{amount}元，享上網{gb}GB。", "即日起至{date}，到{shop}申辦{plan}，加贈{gb}GB。",
        "舊客戶升級{plan}，前{n}個月享優惠。", "網內互打免費，網外{m}分鐘，月租{amount}元。",
        "詳情請洽{phone}或{shop}門市。", "新申辦{plan}送影音會員{n}個月。",
        "家庭共享{gb}GB，副卡每張每月{amount2}元。", "掃描條碼輸入{code}查看活動辦法。",
    ],
    "terms": [
        "{plan}月租費{amount}元，依帳單週期收取，首月費用按日計算。",
        "上網量{gb}GB，超過部分依每GB {amount2}元計費，當期有效，不得遞延。",
        "本活動申辦期限至{date}止，申辦地點：{shop}及網路門市。",
        "合約期間{n}個月內如申請退租、降轉，須依約支付專案補貼款。",
        "網外語音每分鐘{amount2}元，市話每分鐘1.5元，簡訊每則1.5元。",
        "如對本活動有疑問，請撥打客服專線{phone}，或至{shop}洽詢。",
        "贈送之上網量自開通日起{d}天內有效，逾期失效，恕不退費。",
        "本服務須經用戶確認後始得開通，確認碼{code}，有效{d}天。",
        "個人資料依《個人資料保護法》蒐集、處理及利用，詳見隱私權政策第{n}版。",
        "本公司保留修改活動內容之權利，修改前{d}天公告於官網。",
        "光纖寬頻用戶另享{gb}GB，安裝費{amount2}元一次收取。",
    ],
    "sms": ["【{op}】{plan}已開通。", "回覆{code}取消。", "客服{phone}。", "本期已用{gb}GB。", "詳洽{shop}。"],
    "script": [
        "您好，我是{op}客服{name}，員工編號{code}，請問是本人嗎？", "本通電話將錄音以確保服務品質。",
        "為您介紹{plan}：月租{amount}元，上網{gb}GB，網外{m}分鐘。", "優惠期間{n}個月，期滿恢復原資費。",
        "如您同意申辦，我們將發送確認簡訊，請回覆{code}。", "如需取消，請撥{phone}或至{shop}辦理。",
        "請問還有其他問題嗎？謝謝您的接聽，祝您順心。",
    ],
    "names": ["暢享", "尊榮", "樂活", "極速", "青春", "家庭", "雙享", "智慧", "無限", "星級", "悠遊", "超值"],
    "people": ["小王", "小林", "小陳", "小黃", "小吳", "小蔡", "小許", "小鄭"],
    "shops": ["中山門市", "信義門市", "台中公益門市", "高雄站前門市", "旺角旗艦店", "銅鑼灣門市"],
    "reference": "（編號{code}）",
}
# Lengths in characters per material kind (min, max).
_LENGTHS = {"advert": (80, 600), "poster": (80, 600), "sms": (40, 200), "landing_page": (150, 1500),
            "email": (150, 1500), "terms": (500, 5000), "contract": (500, 5000), "script": (300, 2500)}
_CURRENCY_SIGN = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "HKD": "HK$", "TWD": "NT$", "CNY": "¥"}


def _bank(doc: dict) -> dict:
    language = str(doc.get("language") or "zh-CN")
    if language.startswith("en"):
        return _EN
    return _HANT if language in ("zh-TW", "zh-HK", "zh-Hant") else _HANS


class _Texts:
    """Fresh sentences for one campaign, in its language, with values drawn for it."""

    def __init__(self, doc: dict, rng: random.Random, index: int):
        self.rng, self.bank = rng, _bank(doc)
        english = self.bank is _EN
        stem = rng.choice(self.bank["names"])
        self.plan = (f"{stem} {rng.randint(5, 300)}GB" if english
                     else f"{stem}{rng.randint(5, 300)}G{'套餐' if self.bank is _HANS else '方案'}")
        self.operator = str(doc.get("operator") or "")
        self.cur = _CURRENCY_SIGN.get(str(doc.get("currency") or "GBP"), "£")
        self.index = index

    def slots(self) -> dict:
        r = self.rng
        return {"plan": self.plan, "amount": f"{r.randint(5, 399)}", "amount2": f"{r.randint(1, 99) / 10:g}",
                "gb": r.choice([1, 2, 5, 8, 10, 15, 20, 30, 50, 60, 100, 120]), "n": r.randint(2, 36),
                "d": r.randint(3, 90), "m": r.choice([100, 200, 300, 500, 1000]),
                "date": f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", "shop": r.choice(self.bank["shops"]),
                "phone": f"{r.randint(100, 999)}{r.randint(1000, 9999)}", "code": f"{r.randint(1000, 99999)}",
                "op": self.operator, "name": r.choice(self.bank["people"]), "cur": self.cur}

    def sentence(self, style: str) -> str:
        text = self.rng.choice(self.bank[style]).format(**self.slots())
        return text if self.bank is not _EN else text + " "

    def extend(self, text: str, style: str, low: int, high: int) -> str:
        """`text` followed by fresh sentences up to a length drawn in [low, high] (never cut)."""
        target = self.rng.randint(low, high)
        text = text.rstrip() + (" " if self.bank is _EN and text.strip() else "")
        while len(text) < target:
            piece = self.sentence(style)
            if len(text) + len(piece) > high and len(text) >= low:
                break
            text += piece
        return text.rstrip()

    def reference(self) -> str:
        return self.bank["reference"].format(code=f"{self.index}-{self.rng.randint(100, 999)}")


def vary_texts(doc: dict, rng: random.Random, index: int, seen: set[str]) -> dict:
    """Give every text of the campaign its own wording (see the module docstring)."""
    texts = _Texts(doc, rng, index)
    doc["name"] = f"{texts.plan} {doc.get('name', '')}".strip()
    fields = list(_text_fields(doc))
    for holder, key, (style, low, high) in fields[:1]:
        if key == "summary":
            holder[key] = texts.extend(holder[key], style, low, high)
    materials = doc.get("materials") or []
    if rng.random() < 0.33 and all(m.get("id") != "call" for m in materials if isinstance(m, dict)):
        materials.append({"id": "call", "kind": "script", "text": ""})
    for holder, key, (style, low, high) in _text_fields(doc):
        if key != "summary":
            holder[key] = texts.extend(holder[key], style, low, high)
    for holder, key, _ in _text_fields(doc):
        while holder[key] in seen:
            holder[key] += texts.reference()
        seen.add(holder[key])
    return doc


_STYLES = {"sms": "sms", "terms": "terms", "contract": "terms", "script": "script"}


def _text_fields(doc: dict):
    """(container, key, (style, shortest, longest)) of every free text of a campaign, in document order."""
    offer = doc.get("offer")
    if isinstance(offer, dict) and isinstance(offer.get("summary"), str):
        yield offer, "summary", ("marketing", 40, 300)
    for material in _dicts(doc.get("materials"), "text"):
        kind = material.get("kind")
        yield material, "text", (_STYLES.get(kind, "marketing"), *_LENGTHS.get(kind, (80, 600)))
    for notice in _dicts((doc.get("end_of_term") or {}).get("notifications"), "text"):
        yield notice, "text", ("sms", 40, 200)
    for method in _dicts((doc.get("cancellation") or {}).get("methods"), "instructions"):
        yield method, "instructions", ("sms", 10, 80)


def _dicts(items, key: str) -> list[dict]:
    """The mappings of a list (None: none) whose `key` is text."""
    return [item for item in items or [] if isinstance(item, dict) and isinstance(item.get(key), str)]


def write(doc: dict, path: Path) -> None:
    from auditor.convert import json_bytes, xlsx_bytes, yaml_bytes

    data = {".json": json_bytes, ".yaml": yaml_bytes, ".xlsx": xlsx_bytes}[path.suffix](doc)
    path.write_bytes(data)


def generate(out: Path, count: int, seed: int = 7, fmt: str = "json", texts: str = "varied") -> list[Path]:
    rng = random.Random(seed)
    pool = seeds()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    seen: set[str] = set()
    for i in range(count):
        doc = variant(pool[i % len(pool)], rng, i)
        if texts == "varied":
            doc = vary_texts(doc, rng, i, seen)
        suffix = {"json": ".json", "yaml": ".yaml", "xlsx": ".xlsx"}.get(fmt) or rng.choice([".json", ".yaml"])
        path = out / f"campaign-{i:06d}{suffix}"
        write(doc, path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["json", "yaml", "xlsx", "mixed"], default="json")
    parser.add_argument("--texts", choices=["varied", "pooled"], default="varied",
                        help="varied: no text repeats across campaigns (default); pooled: the corpus texts as they are")
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed, args.format, args.texts)
    print(f"wrote {len(paths)} campaigns to {args.out}")


if __name__ == "__main__":
    main()
