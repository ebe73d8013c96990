"""The HTML risk report: one self-contained file rendered by Jinja2.

Campaign text is untrusted: autoescaping is on, the template never marks
campaign data safe, and a Content-Security-Policy forbids scripts and remote
loads.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from auditor.findings import Status
from auditor.messages import T
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


def _material_marks(result) -> dict[int, list[tuple[int, int]]]:
    """Spans to highlight in each material's full text, found by quoting the findings' evidence."""
    marks: dict[int, list] = defaultdict(list)
    for finding in result.findings:
        pointer = finding.location.pointer
        if not pointer.startswith("/materials/") or not finding.evidence or not finding.spans:
            continue
        try:
            index = int(pointer.split("/")[2])
        except (IndexError, ValueError):
            continue
        text = _material_text(result, index)
        for start, end in finding.spans:
            piece = finding.evidence[start:end]
            if not piece:
                continue
            position = text.find(piece)
            while position != -1:
                marks[index].append((position, position + len(piece)))
                position = text.find(piece, position + len(piece))
    return marks


def _material_text(result, index: int) -> str:
    if index in result.material_texts:
        return result.material_texts[index]
    materials = (result.document or {}).get("materials")
    if isinstance(materials, list) and index < len(materials) and isinstance(materials[index], dict):
        text = materials[index].get("text")
        return text if isinstance(text, str) else ""
    return ""


def _materials(result) -> list[dict]:
    materials = (result.document or {}).get("materials")
    if not isinstance(materials, list):
        return []
    marks = _material_marks(result)
    out = []
    for i, material in enumerate(materials):
        if not isinstance(material, dict):
            continue
        text = _material_text(result, i)
        out.append({"index": i, "id": str(material.get("id", f"#{i + 1}")), "kind": str(material.get("kind", "")),
                    "channel": str(material.get("channel", "")), "text": text, "marks": sorted(set(marks.get(i, [])))})
    return out


def _summary(doc: dict | None, gettext) -> dict:
    doc = doc or {}
    offer = doc.get("offer") if isinstance(doc.get("offer"), dict) else {}
    term = offer.get("term") if isinstance(offer.get("term"), dict) else {}
    period = doc.get("period") if isinstance(doc.get("period"), dict) else {}
    end = doc.get("end_of_term") if isinstance(doc.get("end_of_term"), dict) else {}

    def s(value) -> str:
        return "" if value is None else str(value)

    return {
        "name": s(doc.get("name")),
        "operator": s(doc.get("operator")),
        "jurisdiction": s(doc.get("jurisdiction")),
        "offer_type": s(offer.get("type")),
        "summary": s(offer.get("summary")),
        "period": f"{s(period.get('start'))} – {s(period.get('end'))}" if period else "",
        "term": (T("{n} months", n=term["months"]).render(gettext) if "months" in term
                 else T("{n} days", n=term["days"]).render(gettext) if "days" in term else ""),
        "behavior": s(end.get("behavior")),
        "channels": ", ".join(str(c) for c in doc.get("channels", []) if isinstance(c, str))
        if isinstance(doc.get("channels"), list) else "",
    }


def _safe(function, model):
    """Summaries are best effort: a malformed campaign (already reported) gets none rather than a crash."""
    if model is None:
        return None
    try:
        return function(model)
    except Exception:  # noqa: BLE001 - the findings already say what is malformed
        return None


def _crops(result) -> dict[int, str]:
    """Renderings of the region of a PDF page or an image where a finding's words are (materials as files)."""
    if not getattr(result, "material_readings", None):
        return {}
    from auditor.load.materials.crop import crops_for

    return _safe(crops_for, result) or {}


def _fmt(amount) -> str:
    from auditor.text.money import fmt_amount

    return fmt_amount(amount)


def render(run: AuditRun, lang: str = "en", approval: dict | None = None) -> bytes:
    from auditor.approval import status_for
    from auditor.campaign import Campaign
    from auditor.i18n import gettext_for
    from auditor.report.json_report import to_dict
    from auditor.report.journey import first_year_bill, journey

    gettext = gettext_for(lang)
    rules = {r.id: r for r in run.rules}
    campaigns = []
    for result in run.campaigns:
        model = Campaign(result.document, file_texts=result.material_texts) if result.document else None
        findings = [f for f in result.findings]
        passed = [rules[o.rule] for o in result.outcomes if o.status is Status.PASS and o.rule in rules]
        unknown = [rules[o.rule] for o in result.outcomes if o.status is Status.UNKNOWN and o.rule in rules]
        campaigns.append({
            "result": result,
            "anchor": f"c{len(campaigns) + 1}",
            "findings": findings,
            "passed": passed,
            "unknown": unknown,
            "summary": _summary(result.document, gettext),
            "materials": _materials(result),
            "crops": _crops(result),
            "journey": _safe(journey, model),
            "bill": (_safe(first_year_bill, model) or []) if model and model.fees else [],
            "currency": model.currency if model else "",
            "reminders": bool(model and model.notifications),
            "fixes": result.fixes,  # with `check --fixes` (auditor.fixes)
        })
    html = _environment().get_template("report.html.j2").render(
        run=run,
        campaigns=campaigns,
        rules=rules,
        generated=run.generated.strftime("%Y-%m-%d %H:%M UTC") if run.generated else None,
        lang=lang,
        _=gettext,
        gettext=gettext,
        fmt=_fmt,
        signoff=status_for(approval, to_dict(run)),
    )
    return html.encode("utf-8")
