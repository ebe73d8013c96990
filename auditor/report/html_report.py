"""The HTML risk report: one self-contained file rendered by Jinja2.

Campaign text is untrusted: autoescaping is on, the template never marks
campaign data safe, and a Content-Security-Policy forbids scripts and remote
loads.
"""

from __future__ import annotations

from functools import cache

from auditor.report import AuditRun
from auditor.resources import data_dir


def highlight(text: str | None, spans) -> str:
    """Escape `text` and wrap the given spans in <mark>."""
    from markupsafe import Markup, escape

    if not text:
        return Markup("")
    out = []
    cursor = 0
    for start, end in sorted(spans or ()):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out.append(escape(text[cursor:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


@cache
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("reports"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = lambda pair: highlight(pair[0], pair[1])
    return env


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _summary(doc: dict | None, gettext, plural) -> dict:
    doc = doc or {}
    offer = _mapping(doc.get("offer"))
    term = _mapping(offer.get("term"))
    period = _mapping(doc.get("period"))
    end = _mapping(doc.get("end_of_term"))

    def s(value) -> str:
        return "" if value is None else str(value)

    return {
        "name": s(doc.get("name")),
        "operator": s(doc.get("operator")),
        "jurisdiction": s(doc.get("jurisdiction")),
        "offer_type": s(offer.get("type")),
        "summary": s(offer.get("summary")),
        "period": f"{s(period.get('start'))} – {s(period.get('end'))}" if period else "",
        "term": (plural("month", term["months"]) if isinstance(term.get("months"), int)
                 else plural("day", term["days"]) if isinstance(term.get("days"), int) else ""),
        "behavior": s(end.get("behavior")),
        "channels": [str(c) for c in doc.get("channels", []) if isinstance(c, str)]
        if isinstance(doc.get("channels"), list) else [],
    }


def _fmt(amount) -> str:
    from auditor.text.money import fmt_amount

    return fmt_amount(amount)


def N_(message: str) -> str:
    """Marks a message for the catalogues; translated where it is shown."""
    return message


# Words for the values of the format's enumerations, in English (the catalogues translate the raw value).
ENGLISH_WORDS = {
    "fee_disclosure": "fee disclosure", "expiry_notification": "expiry notification",
    "competitor_comparison": "competitor comparison", "terms_disclosure": "terms disclosure",
    "auto_cancel": "ends automatically", "auto_renew": "renews automatically", "convert_to_paid": "becomes paid",
    "revert_to_standard": "returns to the standard price", "free_trial": "free trial",
    "prepaid_bonus": "prepaid bonus", "device_subsidy": "device subsidy", "plan_change": "plan change",
    "value_added_service": "value-added service", "landing_page": "landing page",
}

# Channels of the format, as words (the catalogues translate them; material kinds are translated already).
CHANNEL_WORDS = (N_("web"), N_("app"), N_("store"), N_("telemarketing"), N_("print"), N_("tv"), N_("social"),
                 N_("phone"), N_("letter"), N_("call"), N_("notification"))

# Plural forms (Babel decides which form a number takes in each language).
PLURALS = {
    "finding": (N_("{n} finding"), N_("{n} findings")),
    "campaign": (N_("{n} campaign"), N_("{n} campaigns")),
    "day": (N_("{n} day"), N_("{n} days")),
    "month": (N_("{n} month"), N_("{n} months")),
}


def plural_for(lang: str, gettext):
    """plural(word, n): "1 finding", "2 findings"; the form each language gives a number comes from Babel's
    CLDR plural rules (English's rule, one for exactly 1, is applied without importing Babel)."""
    if lang == "en":
        def form(n: int) -> str:
            return "one" if n == 1 else "other"
    else:
        from babel import Locale

        form = Locale.parse({"zh-CN": "zh_Hans_CN", "zh-TW": "zh_Hant_TW"}.get(lang, "en")).plural_form

    def plural(word: str, n: int) -> str:
        one, other = PLURALS[word]
        return gettext(one if form(n) == "one" else other).format(n=n)

    return plural


def word_for(gettext):
    def word(value) -> str:
        value = "" if value is None else str(value)
        translated = gettext(value)
        return translated if translated != value else ENGLISH_WORDS.get(value, value)

    return word


def prose_for(lang: str):
    """Messages quote campaign values in backticks (for terminals); a legal document uses quotation marks."""
    import re

    left, right = {"zh-TW": ("「", "」")}.get(lang, ("“", "”"))
    pattern = re.compile(r"`([^`]*)`")
    return lambda text: pattern.sub(lambda m: f"{left}{m.group(1)}{right}", str(text))


def waiver_note_for(gettext):
    """A waived finding's note in the report language: the waiver's own reason (written by its reviewer, shown
    as written), then who approved it and until when."""
    import re

    pattern = re.compile(r"^(.*) \(approved by (.*), expires (\d{4}-\d{2}-\d{2})\)$", re.S)

    def note(text) -> str:
        match = pattern.match(str(text or ""))
        if not match:
            return str(text or "")
        reason, who, expires = match.groups()
        return f"{reason} ({gettext('approved by {who}, expires {date}').format(who=who, date=expires)})"

    return note


def css_string(text: str) -> str:
    """A CSS string literal that no campaign text can break out of (everything but plain letters hex-escaped)."""
    out = []
    for ch in str(text):
        # a space ends a hex escape (and is consumed by it), so every escape carries its own
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in " .-_:") else f"\\{ord(ch):06x} ")
    return '"' + "".join(out) + '"'


def page_counter_css(gettext) -> str:
    """`content:` of the page number box: the translated "Page {page} of {pages}" around CSS counters."""
    import re

    template = gettext("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


STATE_LABELS = {
    "approved": N_("approved"),
    "approved_with_risk": N_("approved with accepted risks"),
    "stale": N_("approval does not match"),
    "invalid": N_("invalid approval record"),
    "not_approved": N_("not approved"),
}

SEVERITY_MEANINGS = {
    "critical": N_("Likely unlawful or a repeat of a known case: do not launch until fixed."),
    "high": N_("A regulator or a court would probably object: fix or get legal's reasoned waiver before launch."),
    "medium": N_("Misleading or incomplete for some customers: fix before launch where possible."),
    "low": N_("Good practice not followed: fix when convenient."),
    "info": N_("For information; does not count in the score."),
}


def report_id(run: AuditRun, generated) -> str:
    import hashlib

    key = "|".join([str(run.checklist_digest), generated.isoformat(), *sorted(c.sha256 for c in run.campaigns)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def render(run: AuditRun, lang: str = "en", verdict=None, paths: dict | None = None) -> bytes:
    """The report; `verdict` is what an approval record is worth (auditor.approval.verify), `paths` maps each
    source to its path in the campaign repository (how approvals name campaigns)."""
    import datetime as dt

    from markupsafe import Markup

    from auditor.approval import Verdict
    from auditor.findings import Severity
    from auditor.i18n import gettext_for
    from auditor.report.journey import label_text
    from auditor.report.view import campaign_views
    from auditor.scoring import WEIGHTS

    gettext = gettext_for(lang)
    gettext_plural = plural_for(lang, gettext)
    word = word_for(gettext)
    verdict = verdict or Verdict("not_approved")
    generated = run.generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    rid = report_id(run, generated)
    campaigns = campaign_views(run, verdict, paths or {}, lambda event: label_text(event, word, gettext_plural),
                               lambda doc: _summary(doc, gettext, gettext_plural))
    html = _environment().get_template("report.html.j2").render(
        run=run,
        campaigns=campaigns,
        rules={r.id: r for r in run.rules},
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        report_id=rid,
        page_css=Markup(_page_css(campaigns, gettext, rid)),  # built from css_string only: no campaign text unescaped
        weights=[(s.value, WEIGHTS[s]) for s in Severity],
        held=run.held_counts,
        baseline_date=(run.baseline or {}).get("created"),
        lang=lang,
        _=gettext,
        gettext=gettext,
        plural=gettext_plural,
        word=word,
        state_label=lambda state: gettext(STATE_LABELS[state]),
        severity_meanings=SEVERITY_MEANINGS,
        prose=prose_for(lang),
        waiver_note=waiver_note_for(gettext),
        timeline_label=lambda event: label_text(event, word, gettext_plural),
        fmt=_fmt,
        signoff=verdict,
    )
    return html.encode("utf-8")


def _page_css(campaigns: list[dict], gettext, rid: str) -> str:
    """Running heads and page numbers for print: the report's, then each campaign's."""
    page_css = [f"@page {{ @top-left {{ content: {css_string(gettext('Campaign risk report') + ' · ' + rid)}; }}"
                f" @bottom-right {{ content: {page_counter_css(gettext)}; }} }}"]
    for c in campaigns:
        name = c["result"].id or c["result"].source
        page_css.append(f"@page {c['anchor']} {{ @top-left {{ content: {css_string(name + ' · ' + rid)}; }} }}"
                        f" #{c['anchor']} {{ page: {c['anchor']}; }}")
    return "\n".join(page_css)
