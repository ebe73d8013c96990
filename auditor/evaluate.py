"""Evaluate the rules on a labelled corpus: recall per category and false alarms.

    python -m auditor.evaluate [CORPUS_DIR]

The corpus folder holds campaign files and `expected.labels` (YAML, named so
that auditing the folder does not take it for a campaign), which says for
each file whether it is compliant and which findings it must raise (by rule,
or by category, optionally at a pointer). Recall counts expected findings
that were raised; a false alarm is a high or critical finding on a compliant
campaign. Exit status 1 when recall is below 1.0 or any false alarm occurs.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from auditor.engine import AuditOptions, audit_file

# Run from a checkout: the corpus is tests/corpus of the working directory.
DEFAULT_CORPUS = Path("tests") / "corpus"


@dataclass
class Evaluation:
    expected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caught: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    false_alarms: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    campaigns: int = 0
    compliant: int = 0

    @property
    def recall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.caught.values()) / total if total else 1.0


def _matches(finding, item: dict) -> bool:
    if "rule" in item and finding.rule != item["rule"]:
        return False
    if "category" in item and finding.category != item["category"]:
        return False
    return "pointer" not in item or finding.location.pointer == item["pointer"]


def evaluate(corpus: Path) -> Evaluation:
    labels = yaml.safe_load((corpus / "expected.labels").read_text(encoding="utf-8"))
    options = AuditOptions(keep_documents=False)
    rules = {r.id: r for r in options.rules().rules}
    result = Evaluation()
    files = {p.name for p in corpus.iterdir() if p.suffix in (".json", ".yaml", ".yml", ".xlsx")}
    unlabelled = sorted(files - set(labels))
    if unlabelled:
        raise SystemExit(f"unlabelled corpus files: {', '.join(unlabelled)}")
    for name, label in sorted(labels.items()):
        audited = audit_file(corpus / name, name, options)
        result.campaigns += 1
        if label.get("compliant"):
            result.compliant += 1
            for f in audited.findings:
                if f.severity.rank >= 3:
                    result.false_alarms.append(f"{name}: {f.severity.value} {f.rule} {f.location.pointer}: {f.message}")
        for item in label.get("expect") or []:
            category = item.get("category") or rules[item["rule"]].category
            result.expected[category] += 1
            if any(_matches(f, item) for f in audited.findings):
                result.caught[category] += 1
            else:
                result.misses.append(f"{name}: expected {item}")
    return result


def render(result: Evaluation) -> str:
    lines = [f"corpus: {result.campaigns} campaigns ({result.compliant} compliant)", "",
             f"{'category':<24}{'expected':>9}{'caught':>8}{'recall':>8}"]
    for category in sorted(result.expected):
        expected, caught = result.expected[category], result.caught[category]
        lines.append(f"{category:<24}{expected:>9}{caught:>8}{caught / expected:>8.2f}")
    total = sum(result.expected.values())
    lines.append(f"{'all':<24}{total:>9}{sum(result.caught.values()):>8}{result.recall:>8.2f}")
    lines += ["", f"false alarms (high/critical on compliant campaigns): {len(result.false_alarms)}"]
    lines += [f"  {x}" for x in result.false_alarms]
    if result.misses:
        lines += ["", f"missed: {len(result.misses)}"] + [f"  {x}" for x in result.misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    result = evaluate(corpus)
    print(render(result))
    return 0 if result.recall == 1.0 and not result.false_alarms else 1


if __name__ == "__main__":
    sys.exit(main())
