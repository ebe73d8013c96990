"""Performance targets (issues 8 and 20), measured side by side in one run on a varied archive.

    python benchmarks/run.py            # full mode: every target of issue 20, writes benchmarks/RESULTS.md
    python benchmarks/run.py --small    # CI mode: small N, loose thresholds, CPU time (see below)
    python benchmarks/run.py --keep DIR # keep (and reuse) the generated campaigns

Every target is measured on *varied* archives (benchmarks/generate.py: no text repeats across
campaigns, as in a real archive). The pooled archive (a few dozen texts shared by every campaign, so
per-text caches hit almost always) appears once, as a labelled secondary figure.

Full mode times whole processes (the installed `auditor` and `check-jsonschema` console scripts of
this Python environment) by wall clock, best of several runs: the machine this was written on is
shared, and the best run is the one least disturbed by neighbours. It prints a table (figure, target,
measured, met / NOT MET) and writes benchmarks/RESULTS.md with the machine's CPU count.

`--small` is what the default test run executes (tests/test_benchmark_small.py), on machines that may
be busy: it uses CPU time (user + system of the process and its children), which a loaded machine
inflates far less than wall-clock time, checks only ratios with loose thresholds, and skips the
parallel speed-up below 4 CPUs (two workers on a busy 2-core machine can be slower than one process);
the parallel output must still be byte-identical. Exit status 1 when a target is missed. Requires
`pip install '.[bench]'`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
BIN = Path(sys.executable).parent
SCHEMA = HERE.parent / "schemas" / "campaign.schema.json"


@dataclass
class Figure:
    name: str
    target: str
    measured: str
    ok: bool
    info: bool = False  # recorded for the reader, not a target
    skipped: bool = False

    @property
    def result(self) -> str:
        return "skipped" if self.skipped else "info" if self.info else "met" if self.ok else "NOT MET"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: int
    code: int


def run(command: list[str], output: Path | None = None, extra_env: dict | None = None) -> Run:
    """Run a command; wall seconds, CPU seconds (user + system, with its children), peak RSS in MB."""
    stdout = open(output, "wb") if output else subprocess.DEVNULL
    env = dict(os.environ, **(extra_env or {}))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if output:
        stdout.close()
    # wait4 reports the process itself; its forked workers are in the children's usage of this process
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status))


class Timer:
    """Best of `repeat` runs, by wall clock (full mode) or CPU time (small mode)."""

    def __init__(self, cpu: bool):
        self.cpu = cpu

    def best(self, command: list[str], repeat: int, extra_env: dict | None = None,
             output: Path | None = None) -> float:
        values = []
        for _ in range(repeat):
            before = os.times()
            measured = run(command, output=output, extra_env=extra_env)
            after = os.times()
            if self.cpu:
                # the process and every worker it forked: all are children of this process
                values.append((after.children_user - before.children_user)
                              + (after.children_system - before.children_system))
            else:
                values.append(measured.wall)
        return min(values)


def alternating(first: list[str], second: list[str], repeat: int) -> tuple[float, float]:
    """Best wall-clock time of each of two commands, run in turn (first, second, first, ...), so that a
    neighbour's burst of load disturbs both alike; two series run minutes apart measured 1.3-2.0x between
    identical commands on a loaded machine."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for values, command in zip(times, (first, second)):
            values.append(run(command).wall)
    return min(times[0]), min(times[1])


def load_average() -> str:
    try:
        return "/".join(f"{value:.1f}" for value in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def auditor(*args: str) -> list[str]:
    return [str(BIN / "auditor"), *args]


def check_jsonschema(files: list[str]) -> list[str]:
    return [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *files]


def usable_cpus() -> int:
    from auditor.parallel import usable_cpus as usable

    return usable()


def per_text_figures() -> list[Figure]:
    """Normalising and scanning one 5,000-character terms text (every lexicon, money, dates and
    durations, caches bypassed), as a multiple of one pass of str.lower and of str.translate over it."""
    import random
    import timeit

    from generate import _EN, _HANS, _Texts

    from auditor.engine import AuditOptions
    from auditor.text import dates, money, normalize

    ruleset = AuditOptions().rules()
    lexicons = [lexicon.find_ready() for lexicon in ruleset.compiled_lexicons.values()]
    table = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})  # full width to ASCII
    figures = []
    for label, language, currency in (("Chinese", "zh-CN", "CNY"), ("English", "en-GB", "GBP")):
        texts = _Texts({"language": language, "currency": currency, "operator": "Northwind"}, random.Random(3), 1)
        assert texts.bank is (_EN if language.startswith("en") else _HANS)
        text = texts.extend("", "terms", 5000, 5400)[:5000]

        def analyse(text=text):
            dates._date_matches.cache_clear()  # the raw date matches, shared by the date and duration scans
            normalized = normalize.normalize.__wrapped__(text)
            folded = normalized.text
            money._find_money.__wrapped__(folded)
            dates._find_dates.__wrapped__(folded)
            dates._find_durations.__wrapped__(folded)
            for lexicon in lexicons:
                lexicon._find(folded)

        def best(statement, number):
            return min(timeit.repeat(statement, number=number, repeat=7)) / number

        ours = best(analyse, 20)
        lower = best(text.lower, 2000)
        translate = best(lambda: text.translate(table), 200)
        figures.append(Figure(
            f"per text: normalise + scan a 5,000-character {label} terms text", "(report the multiple)",
            f"{ours * 1e3:.2f} ms = {ours / lower:.0f}x str.lower ({lower * 1e6:.1f} µs), "
            f"{ours / translate:.1f}x str.translate ({translate * 1e6:.0f} µs)", True, info=True))
    return figures


def parallel_figures(count: int, j1: float, j2: float, identical: bool, cpus: int, small: bool,
                     limit: float) -> list[Figure]:
    """The output of --jobs 2 must be byte-identical to --jobs 1 everywhere; its speed is judged with 2 CPUs
    or more in full mode, and only from 4 CPUs in small mode (on a busy 2-core machine two workers
    measured 0.67x of one process: a CI flake, not a regression)."""
    same = Figure(f"parallelism: --jobs 2 output on {count:,} varied campaigns", "byte-identical to --jobs 1",
                  "identical" if identical else "DIFFERENT", identical)
    speed = Figure(f"parallelism: --jobs 2 vs --jobs 1 on {count:,} varied campaigns (wall)",
                   f">= {limit}x with 2 CPUs", f"{j1:.2f}s / {j2:.2f}s = {j1 / j2:.2f}x ({cpus} CPUs)", j1 / j2 >= limit)
    if cpus < (4 if small else 2):
        speed.skipped = True
        speed.measured += f"; not judged below {4 if small else 2} CPUs"
    return [same, speed]


def main() -> int:
    parser = argparse.ArgumentParser(description="campaign-auditor performance targets")
    parser.add_argument("--small", action="store_true", help="CI mode: small N, loose thresholds, CPU time")
    parser.add_argument("--keep", type=Path, help="keep the generated campaigns in this folder (and reuse them)")
    args = parser.parse_args()
    from generate import generate

    small = args.small
    timer = Timer(cpu=small)
    n_throughput = (300,) if small else (1000, 10_000)
    n_scale = (300, 1200) if small else (10_000, 100_000)
    n_parallel = 1200 if small else 10_000
    n_workbooks = 40 if small else 200
    repeat = 2 if small else 3
    limits = {  # (full target, CI threshold)
        "ratio": 0.3 if not small else 4.0,
        "startup": 0.15 if not small else 0.6,
        "flat": 0.20 if not small else 0.6,
        "memory": 300,
        "parallel": 1.6,
        "auto": 1.05,  # automatic workers: at most 5% over one process (the noise of a shared machine)
        "xlsx": 3.0 if not small else 6.0,
    }
    cpus = usable_cpus()
    started, load_before = time.strftime("%d %b %Y %H:%M UTC", time.gmtime()), load_average()
    root = args.keep or Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    figures: list[Figure] = []
    clock = "CPU" if small else "wall"

    def archive(name: str, count: int, **options) -> Path:
        folder = root / name
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            generate(folder, count, **options)
            (folder / ".complete").write_text("", encoding="ascii")
        return folder

    try:
        # --- throughput against check-jsonschema, on the same files and schema, in the same run
        for n in n_throughput:
            folder = archive(f"varied{n}", n)
            files = sorted(str(p) for p in folder.glob("*.json"))
            run(auditor("check", str(folder), "--format", "json"))  # warm the file and bytecode caches
            runs = repeat if n < 10_000 else 2
            ours = timer.best(auditor("check", str(folder), "--format", "json"), runs)
            reference = timer.best(check_jsonschema(files), runs)
            figures.append(Figure(f"throughput: {n:,} varied JSON campaigns, auditor / check-jsonschema ({clock})",
                                  f"<= {limits['ratio']}", f"{ours:.2f}s / {reference:.2f}s = {ours / reference:.2f}",
                                  ours / reference <= limits["ratio"]))
        if not small:
            folder = archive("pooled1000", 1000, texts="pooled")
            files = sorted(str(p) for p in folder.glob("*.json"))
            ours = timer.best(auditor("check", str(folder), "--format", "json"), repeat)
            reference = timer.best(check_jsonschema(files), repeat)
            figures.append(Figure("secondary, pooled texts: 1,000 JSON campaigns sharing a few dozen texts, auditor / "
                                  "check-jsonschema", "(for information: not a real archive)",
                                  f"{ours:.2f}s / {reference:.2f}s = {ours / reference:.2f}", True, info=True))

        # --- per text
        if not small:
            figures.extend(per_text_figures())

        # --- start-up, cache on and off
        one = sorted(archive(f"varied{n_throughput[0]}", n_throughput[0]).glob("*.json"))[0]
        starts = 5 if small else 10
        baseline = timer.best([sys.executable, "-c", "pass"], starts)
        # a cache folder of this run's own, filled by a first run: the user's folder is shared by every
        # environment (venvs, worktrees) of the machine, whose entries may evict this one between runs
        own_cache = {"AUDITOR_CACHE_DIR": str(root / "cache")}
        for label, command in (("auditor --version", auditor("--version")),
                               ("auditor check ONE.json --format json", auditor("check", str(one), "--format", "json"))):
            run(command, extra_env=own_cache)
            for cache, env in (("cache on", own_cache), ("cache off", {"AUDITOR_NO_CACHE": "1"})):
                value = timer.best(command, starts, extra_env=env)
                figures.append(Figure(f"start-up ({cache}): {label} minus python -c pass ({clock})",
                                      f"<= {limits['startup']}s", f"{value - baseline:.3f}s",
                                      value - baseline <= limits["startup"]))

        # --- scaling and memory (--jobs 1; the run on the parallel batch is also the parallel figure's baseline)
        alone: dict[int, tuple[float, int]] = {}  # campaigns -> (best time, peak RSS)
        for n in n_scale:
            folder = archive(f"varied{n}", n)
            # best of two (of `repeat` for the smaller batch; one run of the 100,000): one long run on a shared
            # machine can lose seconds to a neighbour, which would read as a scaling problem
            runs = 1 if n >= 100_000 else repeat if n == n_scale[0] else 2
            best_time, peak = float("inf"), 0
            for _ in range(runs):
                measured = run(auditor("check", str(folder), "--format", "json", "--jobs", "1"),
                               output=root / f"jobs1-{n}.json")
                best_time = min(best_time, measured.cpu if small else measured.wall)
                peak = max(peak, measured.peak_mb)
            alone[n] = (best_time, peak)
        (n1, (t1, peak1)), (n2, (t2, peak2)) = sorted(alone.items())
        t1, t2 = t1 / n1, t2 / n2
        drift = abs(t2 - t1) / t1
        figures.append(Figure(f"scaling: time per varied campaign at {n1:,} vs {n2:,} ({clock}, --jobs 1)",
                              f"within {limits['flat']:.0%}",
                              f"{t1 * 1000:.2f} ms vs {t2 * 1000:.2f} ms ({drift:.0%})", drift <= limits["flat"]))
        figures.append(Figure(f"memory: peak RSS auditing {n2:,} varied campaigns (--jobs 1)", f"< {limits['memory']} MB",
                              f"{peak2} MB ({peak1} MB at {n1:,}: {(peak2 - peak1) * 1024 / (n2 - n1):.2f} KB more per "
                              "campaign)", peak2 < limits["memory"]))

        # --- parallelism: --jobs 2 against --jobs 1, byte-identical output
        folder = archive(f"varied{n_parallel}", n_parallel)
        out1, out2 = root / f"jobs1-{n_parallel}.json", root / "jobs2.json"
        wall = Timer(cpu=False)
        judged = cpus >= (4 if small else 2)  # else only the output is compared: one run each
        if small or n_parallel not in alone:
            j1 = wall.best(auditor("check", str(folder), "--format", "json", "--jobs", "1"), repeat if judged else 1,
                           output=out1)
        else:
            j1 = alone[n_parallel][0]
        j2 = wall.best(auditor("check", str(folder), "--format", "json", "--jobs", "2"),
                       (2 if not small else repeat) if judged else 1, output=out2)
        figures.extend(parallel_figures(n_parallel, j1, j2, out1.read_bytes() == out2.read_bytes(), cpus, small,
                                        limits["parallel"]))
        if not small:
            from auditor.parallel import auto_jobs

            for n in (200, 1000):
                folder = archive(f"varied{n}", n)
                alone, chosen = alternating(auditor("check", str(folder), "--format", "json", "--jobs", "1"),
                                            auditor("check", str(folder), "--format", "json"), repeat + 2)
                figures.append(Figure(f"parallelism: automatic choice ({auto_jobs(n)} processes) vs --jobs 1 on {n:,} "
                                      "varied campaigns (wall)", f"never slower (<= {limits['auto']}x)",
                                      f"{chosen:.2f}s / {alone:.2f}s = {chosen / alone:.2f}x",
                                      chosen / alone <= limits["auto"]))

        # --- workbooks
        xlsx_dir = archive(f"xlsx{n_workbooks}", n_workbooks, seed=11, fmt="xlsx")
        twin_dir = archive(f"xlsxjson{n_workbooks}", n_workbooks, seed=11, fmt="json")
        t_xlsx = timer.best(auditor("check", str(xlsx_dir), "--format", "json"), repeat)
        t_json = timer.best(auditor("check", str(twin_dir), "--format", "json"), repeat)
        figures.append(Figure(f"workbooks: {n_workbooks} varied workbooks vs the same campaigns as JSON ({clock})",
                              f"<= {limits['xlsx']}x", f"{t_xlsx:.2f}s / {t_json:.2f}s = {t_xlsx / t_json:.2f}x",
                              t_xlsx / t_json <= limits["xlsx"]))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    width = max(len(f.name) for f in figures)
    lines = [f"{'figure':<{width}}  {'target':<32}  {'measured':<48}  result"]
    for f in figures:
        lines.append(f"{f.name:<{width}}  {f.target:<32}  {f.measured:<48}  {f.result}")
    print("\n".join(lines))
    conditions = (f"Conditions: started {started}, load average (1/5/15 min) {load_before} at the start and "
                  f"{load_average()} at the end, on {cpus} usable CPUs; above a load of about {cpus}, wall-clock "
                  "figures measure the neighbours as much as the auditor.")
    machine = (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
               f"({cpus} usable), {platform.processor() or platform.machine()}")
    print(f"\n{machine}\n{conditions}")
    if not small:
        rows = "\n".join(f"| {f.name} | {f.target} | {f.measured} | {f.result} |" for f in figures)
        (HERE / "RESULTS.md").write_text(
            "# Benchmark results\n\n"
            f"Machine: {machine}. Command: `python benchmarks/run.py` (wall clock, best of {repeat} runs per "
            "figure, 2 for batches of 10,000, 1 for 100,000, 10 for start-up; whole processes; the machine is "
            "shared with other jobs, so the best run is the least disturbed one). Archives: `benchmarks/generate.py`, varied texts (no text repeats across "
            "campaigns) unless a figure says pooled.\n\n"
            "| figure | target | measured | result |\n|---|---|---|---|\n" + rows + "\n\n" + conditions + "\n",
            encoding="utf-8")
    return 0 if all(f.ok or f.info or f.skipped for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
