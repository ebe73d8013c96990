"""`auditor rules`: every rule with its severity in each jurisdiction, or the rules of one jurisdiction."""

from __future__ import annotations

from auditor.checklists import JURISDICTIONS

_SHORT = {"critical": "crit", "high": "high", "medium": "med", "low": "low", "info": "info"}


def chosen(ruleset, jurisdiction: str | None) -> list:
    return [r for r in ruleset.rules if jurisdiction is None or r.applies_to(jurisdiction)]


def as_data(ruleset, jurisdiction: str | None = None) -> list[dict]:
    """For tooling: `severity_by_jurisdiction` names every jurisdiction where the rule applies; with a
    jurisdiction, `severity` is the rule's severity there."""
    data = []
    for r in chosen(ruleset, jurisdiction):
        item = {"id": r.id, "name": r.name, "category": r.category, "severity": r.severity.value,
                "jurisdictions": list(r.jurisdictions), "title": r.title, "checklist": r.checklist,
                "severity_by_jurisdiction": {j: r.severity_for(j).value for j in JURISDICTIONS if r.applies_to(j)}}
        if jurisdiction:
            item["jurisdiction"], item["severity"] = jurisdiction, r.severity_for(jurisdiction).value
        data.append(item)
    return data


def as_text(ruleset, jurisdiction: str | None = None) -> str:
    if jurisdiction:
        lines = [f"{'rule':<9} {'severity':<8} {'category':<22} title  (in {jurisdiction})"]
        lines += [f"{r.id:<9} {r.severity_for(jurisdiction).value:<8} {r.category:<22} {r.title}"
                  for r in chosen(ruleset, jurisdiction)]
        return "\n".join(lines)
    lines = [f"{'rule':<9} {'default':<8} " + " ".join(f"{j:<5}" for j in JURISDICTIONS) + f" {'category':<22} title"]
    for r in ruleset.rules:
        cells = " ".join(f"{(_SHORT[r.severity_for(j).value] if r.applies_to(j) else '-'):<5}" for j in JURISDICTIONS)
        lines.append(f"{r.id:<9} {r.severity.value:<8} {cells} {r.category:<22} {r.title}")
    lines.append("(severity per jurisdiction; - : the rule does not apply there)")
    return "\n".join(lines)
