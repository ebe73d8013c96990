"""Hold every function of the package to complexity <= 15 and length <= 80 lines (issue #14).

    python scripts/check_function_size.py auditor [--max-complexity 15] [--max-lines 80]

Uses radon's cyclomatic complexity (the figure `radon cc` prints) and each block's first and last line.
Prints each function over a limit with its file and line, and exits 1 if there is any; run by .ci/run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function


def blocks(items) -> Iterator[Function]:
    """Every function, method and closure (classes are containers, not blocks to measure)."""
    for item in items:
        if isinstance(item, Class):
            yield from blocks(item.methods)
            yield from blocks(item.inner_classes)
            continue
        yield item
        yield from blocks(item.closures)


def oversized(path: Path, max_complexity: int, max_lines: int) -> list[str]:
    source = path.read_text(encoding="utf-8")
    out = []
    for block in blocks(cc_visit(source)):
        lines = block.endline - block.lineno + 1
        if block.complexity > max_complexity or lines > max_lines:
            out.append(f"{path}:{block.lineno}: {block.fullname}: complexity {block.complexity}, {lines} lines")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--max-complexity", type=int, default=15)
    parser.add_argument("--max-lines", type=int, default=80)
    args = parser.parse_args()
    files = sorted(f for root in args.roots for f in ([root] if root.is_file() else root.rglob("*.py")))
    problems = [p for f in files for p in oversized(f, args.max_complexity, args.max_lines)]
    for problem in problems:
        print(problem)
    print(f"{len(files)} files, {len(problems)} functions over complexity {args.max_complexity} "
          f"or {args.max_lines} lines", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
