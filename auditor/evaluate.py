"""Evaluate the rules on labelled corpora: recall, false alarms and precision, per rule and category.

    python -m auditor.evaluate [CORPUS_DIR ...]     (default: every labelled folder under tests/corpus)

A corpus folder holds campaign files and `expected.labels` (YAML, named so that auditing the folder does not
take it for a campaign), which says for each file whether it is compliant and which findings it must raise:
by `rule` or by `category`, optionally at a `pointer` (exactly there) or `where` (the element at fault: a
finding at, under or above it counts, for labels written without sight of the rules).

- Recall counts expected findings that were raised. A *lenient* recall also counts a finding of another
  category at the element named by `where` (the label's category was a judgement call).
- A false alarm is a high or critical finding on a compliant campaign; medium, low and info findings on
  compliant campaigns are counted per severity as notes.
- Precision per rule: true hits / (true hits + false alarms).

Folders whose labels say `# HELD OUT` are reported separately, with their figures only (`--show-held-out`
also lists their misses and false alarms): they are not looked at while tuning. Exit status 1 when a corpus
misses its target: recall 1.0 for the written-with-the-rules corpus, recall 0.97 with no false alarm for the
blind corpora (`--targets` prints them); 2 for a folder without labels.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from auditor.session import Session

# Run from a checkout: the corpus is tests/corpus of the working directory.
DEFAULT_CORPUS = Path("tests") / "corpus"
CAMPAIGN_SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")
BLIND_RECALL_TARGET = 0.97


@dataclass
class Evaluation:
    name: str = ""
    expected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caught: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caught_lenient: int = 0
    false_alarms: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)  # severity -> findings below high on compliant campaigns
    misses: list[str] = field(default_factory=list)
    rule_hits: Counter = field(default_factory=Counter)
    rule_false_alarms: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    campaigns: int = 0
    compliant: int = 0
    compliant_flagged: int = 0  # compliant campaigns with at least one false alarm
    errors: list[str] = field(default_factory=list)  # rules that could not be evaluated (AUD-E009)

    @property
    def total_expected(self) -> int:
        return sum(self.expected.values())

    @property
    def recall(self) -> float:
        total = self.total_expected
        return sum(self.caught.values()) / total if total else 1.0

    @property
    def recall_lenient(self) -> float:
        total = self.total_expected
        return self.caught_lenient / total if total else 1.0


def _related(pointer: str, where: str) -> bool:
    """A finding at `pointer` is about the element at `where`: the same, inside it, or its container."""
    a, b = pointer.rstrip("/"), where.rstrip("/")
    return a == b or a.startswith(b + "/") or b.startswith(a + "/") or a == ""


def _matches(finding, item: dict, rule_category=None, any_category: bool = False) -> bool:
    if not any_category:
        if "rule" in item and finding.rule != item["rule"]:
            return False
        if "category" in item and finding.category != item["category"]:
            return False
    if "pointer" in item and finding.location.pointer != item["pointer"]:
        return False
    return "where" not in item or _related(finding.location.pointer, item["where"])


def _evidence(finding) -> str:
    text = (finding.evidence or "").replace("\n", " ")
    return f" «{text[:100]}»" if text else ""


def _campaign_files(corpus: Path) -> set[str]:
    return {p.name for p in corpus.iterdir() if p.suffix in CAMPAIGN_SUFFIXES}


def _judge_compliant(result: Evaluation, name: str, active: list) -> None:
    result.compliant += 1
    flagged = False
    for f in active:
        if f.severity.rank >= 3:
            flagged = True
            result.rule_false_alarms[f.rule][f.severity.value] += 1
            result.false_alarms.append(f"{name}: {f.severity.value} {f.rule} {f.location.pointer}: "
                                       f"{f.message}{_evidence(f)}")
        else:
            result.notes[f.severity.value] += 1
    result.compliant_flagged += flagged


def _judge_expected(result: Evaluation, name: str, item: dict, category: str, active: list) -> None:
    result.expected[category] += 1
    hits = [f for f in active if _matches(f, item)]
    if hits:
        result.caught[category] += 1
        # credited to the first in the core order, whatever order the source lists them in (sheet order)
        result.rule_hits[min(hits, key=lambda f: f.sort_key()).rule] += 1
        return
    # a finding about the element in another risk category; not an input or schema finding (a rule that
    # crashed there, AUD-E009, found nothing)
    near = [f for f in active if f.category not in ("input", "schema") and _matches(f, item, any_category=True)
            ] if "where" in item else []
    result.caught_lenient += bool(near)
    why = f" ({item['why']})" if item.get("why") else ""
    place = item.get("where", item.get("pointer"))
    seen = ", ".join(sorted({f"{f.rule}@{f.location.pointer}" for f in active})) or "no finding"
    result.misses.append(f"{name}: expected {item.get('rule') or category}{' at ' + place if place else ''}{why}; "
                         f"raised: {seen}")


def evaluate(corpus: Path, session: Session | None = None) -> Evaluation:
    labels = yaml.safe_load((corpus / "expected.labels").read_text(encoding="utf-8"))
    session = session or Session(discover_config=False)
    rules = {r.id: r for r in session.ruleset.rules}
    result = Evaluation(name=str(corpus))
    unlabelled = sorted(_campaign_files(corpus) - set(labels))
    if unlabelled:
        raise SystemExit(f"unlabelled corpus files: {', '.join(unlabelled)}")
    for name, label in sorted(labels.items()):
        audited = session.audit_one(corpus / name, name)
        result.campaigns += 1
        # a rule that crashed (AUD-E009) raised nothing, which would read as a miss or a quiet campaign
        result.errors += [f"{name}: {f.message}" for f in audited.findings if f.rule == "AUD-E009"]
        active = [f for f in audited.findings if f.status.value == "fail"]
        if label.get("compliant"):
            _judge_compliant(result, name, active)
        for item in label.get("expect") or []:
            _judge_expected(result, name, item, item.get("category") or rules[item["rule"]].category, active)
    result.caught_lenient += sum(result.caught.values())  # strict hits count for the lenient figure too
    return result


def render(result: Evaluation, details: bool = True) -> str:
    """The figures, and with `details` each false alarm and miss with its evidence."""
    lines = [f"corpus: {result.name}: {result.campaigns} campaigns ({result.compliant} compliant)", "",
             f"{'category':<24}{'expected':>9}{'caught':>8}{'recall':>8}"]
    for category in sorted(result.expected):
        expected, caught = result.expected[category], result.caught[category]
        lines.append(f"{category:<24}{expected:>9}{caught:>8}{caught / expected:>8.2f}")
    lines.append(f"{'all':<24}{result.total_expected:>9}{sum(result.caught.values()):>8}{result.recall:>8.2f}")
    if result.caught_lenient != sum(result.caught.values()):
        lines.append(f"{'all, any category':<24}{result.total_expected:>9}{result.caught_lenient:>8}"
                     f"{result.recall_lenient:>8.2f}")
    lines += ["", f"false alarms (high/critical on compliant campaigns): {len(result.false_alarms)} "
                  f"on {result.compliant_flagged} of {result.compliant} compliant campaigns"]
    if result.notes:
        lines.append("lower findings on compliant campaigns: "
                     + ", ".join(f"{s} {n}" for s, n in sorted(result.notes.items())))
    if result.errors:
        lines += ["", f"RULES THAT CRASHED (AUD-E009): {len(result.errors)}"] + [f"  {x}" for x in result.errors]
    lines += _rule_table(result)
    if not details:
        if result.misses or result.false_alarms:
            lines += ["", f"missed: {len(result.misses)} (details not shown for a held-out folder)"]
        return "\n".join(lines)
    lines += [f"  {x}" for x in result.false_alarms]
    if result.misses:
        lines += ["", f"missed: {len(result.misses)}"] + [f"  {x}" for x in result.misses]
    return "\n".join(lines)


def _rule_table(result: Evaluation) -> list[str]:
    rules = sorted(set(result.rule_hits) | set(result.rule_false_alarms))
    if not rules:
        return []
    lines = ["", f"{'rule':<12}{'hits':>6}{'false alarms (high/critical)':>30}{'precision':>11}"]
    for rule in rules:
        hits = result.rule_hits[rule]
        alarms = result.rule_false_alarms.get(rule, Counter())
        total = sum(alarms.values())
        described = ", ".join(f"{n} {s}" for s, n in sorted(alarms.items())) or "0"
        lines.append(f"{rule:<12}{hits:>6}{described:>30}{hits / (hits + total) if hits + total else 1:>11.2f}")
    return lines


def labelled_folders(root: Path) -> list[Path]:
    return sorted({p.parent for p in root.rglob("expected.labels")})


def held_out(corpus: Path) -> bool:
    return "# HELD OUT" in (corpus / "expected.labels").read_text(encoding="utf-8")


def meets_target(corpus: Path, result: Evaluation) -> bool:
    if result.errors:
        return False
    if corpus.resolve() == DEFAULT_CORPUS.resolve():
        return result.recall == 1.0 and not result.false_alarms
    return result.recall >= BLIND_RECALL_TARGET and not result.false_alarms


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m auditor.evaluate",
        description="Recall, false alarms and precision of the rules on labelled corpora.")
    parser.add_argument("corpora", nargs="*", type=Path, metavar="CORPUS_DIR",
                        help="folders holding campaigns and expected.labels (default: every labelled folder "
                             "under tests/corpus)")
    parser.add_argument("--show-held-out", action="store_true",
                        help="also list each miss and false alarm of held-out folders (by default they print "
                             "their figures only, so that reading the report does not tune the rules to them)")
    parser.add_argument("--targets", action="store_true", help="print the targets each corpus is held to and exit")
    return parser


def _targets() -> str:
    return (f"{DEFAULT_CORPUS}: recall 1.00 and no false alarm (written with the rules)\n"
            f"blind corpora (every other labelled folder, tuning and held out): recall >= {BLIND_RECALL_TARGET:.2f} "
            f"and no false alarm (a high or critical finding on a compliant campaign)")


def _check_corpora(parser: argparse.ArgumentParser, folders: list[Path]) -> None:
    for folder in folders:
        if not (folder / "expected.labels").is_file():
            parser.error(f"{folder}: no expected.labels here (not a labelled corpus folder)")


def _held_out_total(results: list[Evaluation]) -> str:
    expected = sum(r.total_expected for r in results)
    caught = sum(sum(r.caught.values()) for r in results)
    alarms = sum(len(r.false_alarms) for r in results)
    flagged = sum(r.compliant_flagged for r in results)
    compliant = sum(r.compliant for r in results)
    recall = caught / expected if expected else 1.0
    lenient = sum(r.caught_lenient for r in results)
    return (f"ALL HELD OUT ({len(results)} folders): recall {caught}/{expected} = {recall:.2f} "
            f"({lenient}/{expected} = {lenient / expected if expected else 1.0:.2f} in any category at the element "
            f"at fault); false alarms {alarms} on {flagged} of {compliant} compliant campaigns")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.targets:
        print(_targets())
        return 0
    folders = args.corpora or labelled_folders(DEFAULT_CORPUS)
    _check_corpora(parser, folders)
    session = Session(discover_config=False)
    ok = True
    held: list[Evaluation] = []
    for corpus in sorted(folders, key=held_out):  # held-out folders last, each with its own figures
        result = evaluate(corpus, session)
        if held_out(corpus):
            held.append(result)
            print("HELD OUT " + render(result, details=args.show_held_out))
        else:
            print(render(result))
        print()
        ok = meets_target(corpus, result) and ok
    if len(held) > 1:
        print(_held_out_total(held))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
