"""The reviewed fix texts of `checklists/fixes/templates.yaml`: loading, validation and filling in.

The texts are data (reviewed wording, one per language); this module only picks the language, fills in
the campaign's facts and formats amounts in the campaign's currency the way the materials write them.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from auditor.resources import data_dir


class TemplateError(Exception):
    """The template file is missing, not YAML, or does not match its schema."""


@dataclass(frozen=True)
class Templates:
    raw: dict

    @property
    def reminder_days(self) -> list[int]:
        return list(self.raw["reminder_days"])

    def reminder_parts(self, jurisdiction: str | None) -> list[str]:
        reminders = self.raw["reminders"]
        return list(reminders.get(jurisdiction or "", reminders.get(_parent(jurisdiction), reminders["default"])))

    def sentence_names(self) -> list[str]:
        return sorted(self.raw["sentences"])

    def sentence(self, name: str) -> dict:
        return self.raw["sentences"][name]

    def text(self, name: str, lang: str, jurisdiction: str | None = None, **values) -> str:
        """Sentence `name` in `lang` with the values filled in (KeyError for a missing value)."""
        entry = self.raw["sentences"][name]
        override = (entry.get("by_jurisdiction") or {}).get(jurisdiction or "", {})
        return string.Template(override.get(lang) or entry["text"][lang]).substitute(values)

    def word(self, name: str, lang: str, **values) -> str:
        return string.Template(self.raw["words"][name][lang]).substitute(values)


def _parent(jurisdiction: str | None) -> str:
    return jurisdiction.split("-")[0] if jurisdiction and "-" in jurisdiction else "default"


def template_language(tag: str | None) -> str | None:
    """The template language for a BCP 47 tag: zh-CN, zh-TW (traditional script) or en; None otherwise."""
    value = (tag or "zh-CN").strip().lower().replace("_", "-")
    if value == "zh" or value.startswith("zh-"):
        parts = value.split("-")[1:]
        return "zh-TW" if any(p in ("tw", "hk", "mo", "hant") for p in parts) else "zh-CN"
    if value == "en" or value.startswith("en-"):
        return "en"
    return None


def validate(raw) -> list[str]:
    """Problems of a template document against checklists/fixes/schema.json, and sentences a reminder
    names that do not exist."""
    from jsonschema import Draft202012Validator

    schema = json.loads((data_dir("checklists") / "fixes" / "schema.json").read_text(encoding="utf-8"))
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '/'}: {e.message}"
                for e in Draft202012Validator(schema).iter_errors(raw)]
    if problems:
        return problems
    for key, parts in raw["reminders"].items():
        for part in parts:
            if part != "consequence" and part not in raw["sentences"]:
                problems.append(f"reminders/{key}: no sentence named {part}")
    for name, entry in raw["sentences"].items():
        for lang, text in entry["text"].items():
            try:
                string.Template(text).get_identifiers()
            except ValueError as exc:  # pragma: no cover (a bad $ in a text)
                problems.append(f"sentences/{name}/{lang}: {exc}")
    return problems


@cache
def load() -> Templates:
    import yaml

    path = data_dir("checklists") / "fixes" / "templates.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: {exc}") from exc
    problems = validate(raw)
    if problems:
        raise TemplateError(f"{path}: " + "; ".join(problems))
    return Templates(raw)


# -- money --------------------------------------------------------------------------------------------
_EN_SYMBOL = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "$", "TWD": "NT$", "HKD": "HK$", "CNY": "¥"}
_ZH_SUFFIX = {"CNY": "元", "TWD": "元", "HKD": "港元"}
_ZH_PERIOD = {"month": "/月", "use": "/次", "message": "/条", "day": "/天"}
_EN_PERIOD = {"month": "/month", "use": " per use", "message": " per message", "day": "/day"}


def number(amount: Decimal) -> str:
    """12, 9.90, 0.29, 0.005: whole amounts without decimals, others with at least two."""
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    text = f"{value.normalize():f}"
    decimals = len(text.split(".")[1])
    return f"{value:.{max(2, decimals)}f}"


def money(amount: Decimal, currency: str, lang: str, period: str | None = None) -> str:
    """`10元/月`, `NT$50/月`... as the campaign's materials write prices (read back by auditor.text.money)."""
    figure = number(amount)
    if lang.startswith("zh"):
        if currency in _ZH_SUFFIX:
            text = figure + _ZH_SUFFIX[currency]
        else:
            text = _EN_SYMBOL.get(currency, currency + " ") + figure
        if period:
            text += _ZH_PERIOD.get(period, "/" + period)
        return text.replace("条", "條") if lang == "zh-TW" else text
    text = _EN_SYMBOL[currency] + figure if currency in _EN_SYMBOL else f"{currency} {figure}"
    if period:
        text += _EN_PERIOD.get(period, " per " + period)
    return text
