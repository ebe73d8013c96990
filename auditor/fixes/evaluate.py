"""How many findings get a verified fix, per rule, on a corpus (default: tests/corpus, every folder).

    python -m auditor.fixes.evaluate [PATH ...] [--markdown]
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from auditor.findings import Status


def campaigns(paths: list[str]) -> Counter:
    """Risky campaigns (a finding at medium or above) and what `auditor fix` makes of them."""
    from auditor.findings import Severity
    from auditor.fixes import Fixer, fixable_document
    from auditor.fixes.corrected import fix_document
    from auditor.load import load_path
    from auditor.session import Session

    session = Session(discover_config=False)
    out: Counter[str] = Counter()
    for path, _ in session.discover(paths):
        loaded = load_path(path)
        document = fixable_document(loaded, session.options)
        if document is None:
            continue
        fixer = Fixer(document, path.parent, session.options)
        serious = [f for f in fixer.findings if f.severity.rank >= Severity.MEDIUM.rank]
        if not serious:
            continue
        out["risky"] += 1
        fixes = [fixer.fix_for(f) for f in serious]
        if all(f.verified for f in fixes):
            out["all fixable"] += 1
            if all(not f.business_decision for f in fixes):
                out["all fixable without a business decision"] += 1
        for decisions in (False, True):
            outcome = fix_document(document, path.parent, session.options, business_decisions=decisions)
            if not outcome.remaining():
                out["cleaned by auditor fix" + (" --business-decisions" if decisions else "")] += 1
    return out


def tally(paths: list[str]) -> tuple[dict, int]:
    from auditor.fixes import attach_fixes, fix_of
    from auditor.session import Session

    session = Session(discover_config=False)
    files = session.discover(paths)
    counts: dict[str, Counter] = defaultdict(Counter)
    for result in session.audit(files):
        path = next(p for p, shown in files if shown == result.source)
        attach_fixes(result, path, session.options)
        for finding in result.findings:
            if finding.status is not Status.FAIL:
                continue
            fix = fix_of(result, finding)
            row = counts[finding.rule]
            row["findings"] += 1
            if fix is not None and fix.verified:
                row["structural" if fix.business_decision else "verified"] += 1
            elif fix is not None and fix.kind == "none" and not fix.text.startswith("a candidate"):
                row["no safe fix"] += 1
            else:
                row["not verified"] += 1
    return counts, len(files)


def table(counts: dict) -> str:
    lines = ["| rule | findings | verified fix | verified (business decision) | candidate rejected | no safe fix |",
             "|---|---:|---:|---:|---:|---:|"]
    total: Counter[str] = Counter()
    for rule in sorted(counts):
        row = counts[rule]
        total.update(row)
        lines.append(f"| {rule} | {row['findings']} | {row['verified']} | {row['structural']} | "
                     f"{row['not verified']} | {row['no safe fix']} |")
    lines.append(f"| **all** | {total['findings']} | {total['verified']} | {total['structural']} | "
                 f"{total['not verified']} | {total['no safe fix']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = [a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("--")]
    paths = args or [str(Path("tests") / "corpus")]
    counts, files = tally(paths)
    print(f"{files} campaign files")
    print(table(counts))
    print()
    for key, value in campaigns(paths).items():
        print(f"- {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
