"""Where a run's time goes, per stage, on a generated archive (for docs/performance.md).

    python benchmarks/stages.py FOLDER [--repeat 3]

Audits every campaign of FOLDER in this process (`audit_file`, as `--jobs 1` does) with a timer around
each stage: reading and parsing, validation, normalisation, the money, date and duration scans, the
lexicon scans, locating findings, encoding the report line; "rules" is what the rules do besides
those. Times are exclusive (a scan called from a rule counts as the scan) and CPU time of this process
(`time.process_time`), so a busy machine inflates them less than wall-clock figures; the table is the
best of `--repeat` runs per stage. Caches are cleared between runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

_clock = time.process_time
_totals: dict[str, float] = {}
_stack: list[list] = []  # [stage, started, time spent in nested stages]


def _timed(stage: str, function):
    def wrapper(*args, **kwargs):
        _stack.append([stage, _clock(), 0.0])
        try:
            return function(*args, **kwargs)
        finally:
            name, started, nested = _stack.pop()
            spent = _clock() - started
            _totals[name] = _totals.get(name, 0.0) + spent - nested
            if _stack:
                _stack[-1][2] += spent
    wrapper.__wrapped__ = function
    return wrapper


def _instrument() -> None:
    import auditor.engine as engine
    import auditor.load as load
    import auditor.sourcemap as sourcemap
    import auditor.text.dates as dates
    import auditor.text.lexicon as lexicon
    import auditor.text.money as money
    import auditor.text.normalize as normalize

    engine.load_path = _timed("read and parse", load.load_path)
    engine._schema_findings = _timed("validate", engine._schema_findings)
    engine.run_rules = _timed("rules", engine.run_rules)
    normalize._fold = _timed("normalise: fold", normalize._fold)
    normalize._simplify = _timed("normalise: simplified script", normalize._simplify)
    normalize._origin = _timed("normalise: position map", normalize._origin)
    money._find_money = _lru(money, "_find_money", "scan: money")
    dates._date_matches = _lru(dates, "_date_matches", "scan: dates")
    dates._find_dates = _lru(dates, "_find_dates", "scan: dates")
    dates._find_durations = _lru(dates, "_find_durations", "scan: durations")
    lexicon.Lexicon._find = _timed("scan: lexicons", lexicon.Lexicon._find)
    for name in ("locate",):
        setattr(sourcemap.SourceMap, name, _timed("locate findings", getattr(sourcemap.SourceMap, name)))


def _lru(module, name: str, stage: str):
    from functools import lru_cache

    cached = getattr(module, name)
    return lru_cache(maxsize=cached.cache_info().maxsize)(_timed(stage, cached.__wrapped__))


def measure(folder: Path) -> tuple[dict[str, float], float, int]:
    from auditor.engine import AuditOptions, audit_file, discover
    from auditor.report.json_report import encode_line
    from auditor.text import dates, money, normalize

    for function in (normalize.normalize, normalize.norm, money._find_money, dates._find_dates,
                     dates._date_matches, dates._find_durations):
        function.cache_clear()
    # as `check --format json` streams: each campaign's report line encoded where it is audited
    options = AuditOptions(keep_documents=False, encoder=_timed("report line", encode_line))
    options.rules()
    files = discover([str(folder)])
    _totals.clear()
    started = _clock()
    for path, shown in files:
        audit_file(path, shown, options)
    return dict(_totals), _clock() - started, len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _instrument()
    best: dict[str, float] = {}
    total = float("inf")
    for _ in range(args.repeat):
        stages, elapsed, count = measure(args.folder)
        total = min(total, elapsed)
        for stage, spent in stages.items():
            best[stage] = min(best.get(stage, spent), spent)
    best["other (engine)"] = max(0.0, total - sum(best.values()))
    print(f"{count} campaigns, {total:.2f} s CPU in all ({total / count * 1000:.2f} ms per campaign)\n")
    print("| stage | CPU s | share | per campaign |\n|---|---|---|---|")
    for stage, spent in sorted(best.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {spent:.3f} | {spent / total:.0%} | {spent / count * 1e6:.0f} µs |")


if __name__ == "__main__":
    main()
