"""The view of a finished run that the HTML report shows, computed once after scoring: per campaign the
findings by what they do to the gate, the coverage, the customer journey, the first-year bill, the materials
with their marked passages and the sign-off status. Reporters only format it.
"""

from __future__ import annotations

from collections import defaultdict

from auditor.findings import Severity, Status
from auditor.report import UNWAIVED, AuditRun
from auditor.vocabulary import RISK_LEVELS

RISK_ORDER = list(RISK_LEVELS)


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


def campaign_views(run: AuditRun, verdict, paths: dict, label, summary) -> list[dict]:
    """One view per campaign, riskiest first. `verdict`: the approval's worth (auditor.approval.Verdict);
    `paths`: each source's path in the campaign repository; `label(event)`: a timeline label as the report
    writes it (its width lays out the journey); `summary(document)`: the campaign's summary in the report
    language."""
    # What blocks launch: the gate's threshold, or high findings when the report was made without a gate.
    threshold = Severity(run.fail_on if run.fail_on != "none" else "high").rank
    rules = {r.id: r for r in run.rules}
    ordered = sorted(run.campaigns, key=lambda r: (-RISK_ORDER.index(r.risk_level), -r.risk_score,
                                                   r.id or "", r.source))
    accepted_by_approval: dict = {}
    if verdict.state not in ("invalid", "not_approved"):
        for item in verdict.approval.get("accepted", []) or []:
            if isinstance(item, dict):
                accepted_by_approval.setdefault(item.get("path"), []).append(item)
    views: list[dict] = []
    for result in ordered:
        path = paths.get(result.source, result.source)
        view = {"result": result, "path": path, "anchor": f"c{len(views) + 1}",
                "accepted": accepted_by_approval.get(path, []),
                "signoff": verdict.for_campaign(path),
                "problems": verdict.problems_for(path) if verdict.state == "stale" else [],
                "summary": summary(result.document), "materials": _materials(result),
                "fixes": result.fixes}  # with `check --fixes` (auditor.fixes)
        view.update(_findings_view(result, rules, threshold))
        view.update(_customer_view(result, run.usage_per_month, label))
        views.append(view)
    return views


def _findings_view(result, rules: dict, threshold: int) -> dict:
    # failing, then baselined, then waived; within each, the order the findings come in (the core order,
    # or the workbook's sheet order)
    findings = sorted(result.findings, key=lambda f: {"fail": 0, "baselined": 1}.get(f.status.value, 2))
    unwaived = [f for f in findings if f.status in UNWAIVED]
    crops = _crops(result)
    return {
        "findings": findings,
        "unwaived": unwaived,
        "baselined": [f for f in findings if f.status is Status.BASELINED],
        "waived": [f for f in findings if f.status is Status.WAIVED],
        "blocking": [f for f in unwaived if f.severity.rank >= threshold],
        "passed": _rules_ending(result, rules, Status.PASS),
        "unknown": _rules_ending(result, rules, Status.UNKNOWN),
        # by the index in `findings` (sorted above), not in result.findings
        "crops": {j: uri for j, f in enumerate(findings) for i, uri in crops.items() if result.findings[i] is f},
    }


def _rules_ending(result, rules: dict, status: Status) -> list:
    """The rules (metadata) whose outcome on this campaign was `status` (coverage)."""
    return [rules[o.rule] for o in result.outcomes if o.status is status and o.rule in rules]


def _customer_view(result, usage_per_month: dict, label) -> dict:
    """What a customer who signs up meets: the journey, the first-year bill, the reminders."""
    from auditor.campaign import Campaign
    from auditor.report.journey import bill_rows, first_year_bill, journey, text_width

    model = Campaign(result.document, file_texts=result.material_texts) if result.document else None
    bill = (_safe(lambda m: first_year_bill(m, usage_per_month), model) or []) if model and model.fees else []
    return {
        "journey": _safe(lambda m: journey(m, measure=lambda e: text_width(label(e))), model),
        "bill": bill,
        "bill_rows": bill_rows(model, bill) if bill else [],
        "currency": model.currency if model else "",
        "reminders": bool(model and model.notifications),
    }
