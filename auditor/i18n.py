"""Report languages: gettext catalogues in `reports/locale/<lang>.po`, read with Babel.

English is the source language (message ids). `python -m auditor.i18n check`
lists message ids missing from a catalogue; `extract` writes the template
`reports/locale/messages.pot`; `derive` writes zh-TW.po from zh-CN.po with
OpenCC's Taiwan conversion (s2twp), keeping any entry already reviewed by hand
in zh-TW.po.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from auditor.resources import data_dir
from auditor.vocabulary import REPORT_LANGUAGES

LANGUAGES = REPORT_LANGUAGES
PACKAGE = Path(__file__).resolve().parent

# Message ids built from data values at run time (T(material.kind) and the like).
DYNAMIC_MSGIDS = (
    "advert", "sms", "landing_page", "contract", "terms", "script", "poster", "email",
    "month", "use", "generic rival", "required window",
    "prepaid balance", "bonus credit", "allowance", "points",
    "critical", "high", "medium", "low", "info", "none",
    "input", "schema", "fee_disclosure", "expiry_notification", "cancellation", "competitor_comparison",
    "terms_disclosure", "consent", "claims", "consistency",
    "auto_cancel", "auto_renew", "convert_to_paid", "revert_to_standard",
    "bundle", "free_trial", "discount", "prepaid_bonus", "device_subsidy", "plan_change", "value_added_service",
    ", ", " or ", " and ",
    "sign-up opens", "sign-up closes", "term ends", "reminder", "minimum contract ends",
    "pending", "approved", "returned", "marketing", "legal", "admin",
)
_TEMPLATE_CALL = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")


def catalogue_path(language: str) -> Path:
    return data_dir("reports") / "locale" / f"{language}.po"


@cache
def gettext_for(language: str) -> Callable[[str], str]:
    """A gettext function for the language; English (or an unknown id) returns the id itself."""
    if language == "en":
        return lambda message: message
    from babel.messages.pofile import read_po

    with open(catalogue_path(language), "rb") as fh:
        catalog = read_po(fh, locale=language.replace("-", "_"))
    # plural entries (a tuple of ids) are never looked up: the reports' plurals are messages of their own
    table = {m.id: m.string for m in catalog
             if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string and not m.fuzzy}
    return lambda message: table.get(message, message)


def _python_templates() -> set[str]:
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("T", "_", "gettext", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def _template_strings() -> set[str]:
    found = set()
    for path in sorted(data_dir("reports").rglob("*.j2")):
        for match in _TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            found.add(text.encode().decode("unicode_escape") if "\\" in text else text)
    return found


def _checklist_strings() -> set[str]:
    from auditor.checklists import default_ruleset

    ruleset = default_ruleset()
    found = {c.title for c in ruleset.checklists}
    for rule in ruleset.rules:
        found |= {rule.title, rule.fix, rule.rationale}
        for params in rule.params.values():
            for window in params.get("windows", []) or []:
                if "label" in window:
                    found.add(window["label"])
            if params.get("lawful_if"):  # conditions under which a house-policy finding is lawful (competitors)
                found.add(params["lawful_if"])
    return found


def _layout_notes() -> set[str]:
    """The workbook's words: notes, labels of sheets, headers and fields, the names of every choice, and the
    schema's own messages."""
    from auditor.load.choices import choices
    from auditor.load.layout import CAMPAIGN_FIELDS, FIELD_LABELS, FIELD_NOTES, HEADER_LABELS, LIST_SHEETS, SHEET_LABELS
    from auditor.schema import _TYPE_WORDS, schema_message_ids

    found = set(FIELD_NOTES.values()) | set(FIELD_LABELS.values()) | set(SHEET_LABELS.values())
    found |= set(HEADER_LABELS.values()) | schema_message_ids() | set(_TYPE_WORDS.values())
    paths = [tuple(f.split(".")) for f in CAMPAIGN_FIELDS]
    paths += [path + (column,) for path, columns in LIST_SHEETS.values() for column in columns]
    for path in paths:
        found.update(choices(path) or ())
    return found


def message_ids() -> set[str]:
    return {m for m in (_python_templates() | _template_strings() | _checklist_strings() | _layout_notes()
                        | set(DYNAMIC_MSGIDS)) if m}


def missing(language: str) -> list[str]:
    from babel.messages.pofile import read_po

    with open(catalogue_path(language), "rb") as fh:
        catalog = read_po(fh)
    have = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    return sorted(message_ids() - have)


def _write_po(path: Path, entries: dict[str, str], language: str) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale=language.replace("-", "_"), project="campaign-auditor", charset="utf-8")
    for msgid in sorted(entries):
        catalog.add(msgid, entries[msgid])
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=0, omit_header=True, sort_output=True)


def _derive_zh_tw() -> None:
    """zh-TW from zh-CN through OpenCC, keeping the entries marked `reviewed`."""
    import opencc
    from babel.messages.pofile import read_po

    converter = opencc.OpenCC("s2twp")
    with open(catalogue_path("zh-CN"), "rb") as fh:
        source = {m.id: m.string for m in read_po(fh)
                  if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string}
    reviewed: dict[str, str] = {}
    target = catalogue_path("zh-TW")
    if target.exists():
        with open(target, "rb") as fh:
            reviewed = {m.id: m.string for m in read_po(fh)
                        if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string
                        and "reviewed" in m.flags}
    # Taiwan writes quotations with corner brackets.
    entries = {k: reviewed.get(k) or converter.convert(v).replace("“", "「").replace("”", "」")
               for k, v in source.items()}
    _write_po(target, entries, "zh-TW")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        _write_po(data_dir("reports") / "locale" / "messages.pot", {m: "" for m in message_ids()}, "en")
        return 0
    if command == "derive":
        _derive_zh_tw()
        return 0
    status = 0
    for language in LANGUAGES[1:]:
        gaps = missing(language)
        for msgid in gaps:
            print(f"{language}: missing {msgid!r}")
        status |= bool(gaps)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
