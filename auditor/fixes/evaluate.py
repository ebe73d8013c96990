"""How many findings get a verified fix, per rule, on a corpus (default: tests/corpus, every folder).

    python -m auditor.fixes.evaluate [PATH ...] [--markdown]
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from auditor.findings import Status


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
    total = Counter()
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
    counts, files = tally(args or [str(Path("tests") / "corpus")])
    print(f"{files} campaign files")
    print(table(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
