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


class Bench:
    """One run of the targets: the sizes, limits and clock of the mode, the archives, the figures."""

    def __init__(self, small: bool, root: Path):
        self.small = small
        self.root = root
        self.timer = Timer(cpu=small)
        self.clock = "CPU" if small else "wall"
        self.n_throughput = (300,) if small else (1000, 10_000)
        self.n_scale = (300, 1200) if small else (10_000, 100_000)
        self.n_parallel = 1200 if small else 10_000
        self.n_workbooks = 40 if small else 200
        self.repeat = 2 if small else 3
        # (full target, CI threshold). The CI thresholds sit about twice above an idle run so that only a
        # large regression fails: the throughput ratio measured 3.3 idle and 4.9 with the machine's load at
        # 4 on 2 CPUs (CPU time also grows under load: shared caches and cores), and failed CI at 4.0.
        self.limits = {
            "ratio": 0.3 if not small else 8.0,
            "startup": 0.15 if not small else 0.6,
            "flat": 0.20 if not small else 0.6,
            "memory": 300,
            "parallel": 1.6,
            "auto": 1.05,  # automatic workers: at most 5% over one process (the noise of a shared machine)
            "xlsx": 3.0 if not small else 6.0,
        }
        self.cpus = usable_cpus()
        self.figures: list[Figure] = []

    def archive(self, name: str, count: int, seed: int = 7, fmt: str = "json", texts: str = "varied") -> Path:
        """The generated archive, made once by a child process: generating 100,000 campaigns in this process
        would leave it large, and Linux carries the resident size of the process that spawns a command into
        that command's peak-RSS figure (the maximum survives fork and exec), so every memory figure
        measured after it would include this harness."""
        folder = self.root / name
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(folder), "--count", str(count),
                            "--seed", str(seed), "--format", fmt, "--texts", texts],
                           check=True, stdout=subprocess.DEVNULL)
            (folder / ".complete").write_text("", encoding="ascii")
        return folder

    def throughput(self) -> None:
        """Against check-jsonschema, on the same files and schema, in the same run."""
        timer, limits, repeat = self.timer, self.limits, self.repeat
        for n in self.n_throughput:
            folder = self.archive(f"varied{n}", n)
            files = sorted(str(p) for p in folder.glob("*.json"))
            run(auditor("check", str(folder), "--format", "json"))  # warm the file and bytecode caches
            runs = repeat if n < 10_000 else 2
            ours = timer.best(auditor("check", str(folder), "--format", "json"), runs)
            reference = timer.best(check_jsonschema(files), runs)
            self.figures.append(Figure(
                f"throughput: {n:,} varied JSON campaigns, auditor / check-jsonschema ({self.clock})",
                f"<= {limits['ratio']}", f"{ours:.2f}s / {reference:.2f}s = {ours / reference:.2f}",
                ours / reference <= limits["ratio"]))
        if not self.small:
            folder = self.archive("pooled1000", 1000, texts="pooled")
            files = sorted(str(p) for p in folder.glob("*.json"))
            ours = timer.best(auditor("check", str(folder), "--format", "json"), repeat)
            reference = timer.best(check_jsonschema(files), repeat)
            self.figures.append(Figure(
                "secondary, pooled texts: 1,000 JSON campaigns sharing a few dozen texts, auditor / check-jsonschema",
                "(for information: not a real archive)", f"{ours:.2f}s / {reference:.2f}s = {ours / reference:.2f}",
                True, info=True))
            self.figures.extend(per_text_figures())

    def startup(self) -> None:
        """`--version` and one file, cache on and off, minus a bare interpreter."""
        n = self.n_throughput[0]
        one = sorted(self.archive(f"varied{n}", n).glob("*.json"))[0]
        starts = 5 if self.small else 10
        baseline = self.timer.best([sys.executable, "-c", "pass"], starts)
        # a cache folder of this run's own, filled by a first run: the user's folder is shared by every
        # environment (venvs, worktrees) of the machine, whose entries may evict this one between runs
        own_cache = {"AUDITOR_CACHE_DIR": str(self.root / "cache")}
        for label, command in (("auditor --version", auditor("--version")),
                               ("auditor check ONE.json --format json", auditor("check", str(one), "--format", "json"))):
            run(command, extra_env=own_cache)
            for cache, env in (("cache on", own_cache), ("cache off", {"AUDITOR_NO_CACHE": "1"})):
                value = self.timer.best(command, starts, extra_env=env) - baseline
                self.figures.append(Figure(f"start-up ({cache}): {label} minus python -c pass ({self.clock})",
                                           f"<= {self.limits['startup']}s", f"{value:.3f}s",
                                           value <= self.limits["startup"]))

    def scaling(self) -> dict[int, tuple[float, int]]:
        """Time per campaign and peak RSS with --jobs 1; returns campaigns -> (best time, peak RSS in MB)."""
        alone: dict[int, tuple[float, int]] = {}
        for n in self.n_scale:
            folder = self.archive(f"varied{n}", n)
            # best of two (of `repeat` for the smaller batch; one run of the 100,000): one long run on a shared
            # machine can lose seconds to a neighbour, which would read as a scaling problem
            runs = 1 if n >= 100_000 else self.repeat if n == self.n_scale[0] else 2
            best_time, peak = float("inf"), 0
            for _ in range(runs):
                measured = run(auditor("check", str(folder), "--format", "json", "--jobs", "1"),
                               output=self.root / f"jobs1-{n}.json")
                best_time = min(best_time, measured.cpu if self.small else measured.wall)
                peak = max(peak, measured.peak_mb)
            alone[n] = (best_time, peak)
        (n1, (t1, peak1)), (n2, (t2, peak2)) = sorted(alone.items())
        t1, t2 = t1 / n1, t2 / n2
        drift = abs(t2 - t1) / t1
        self.figures.append(Figure(f"scaling: time per varied campaign at {n1:,} vs {n2:,} ({self.clock}, --jobs 1)",
                                   f"within {self.limits['flat']:.0%}",
                                   f"{t1 * 1000:.2f} ms vs {t2 * 1000:.2f} ms ({drift:.0%})",
                                   drift <= self.limits["flat"]))
        self.figures.append(Figure(
            f"memory: peak RSS auditing {n2:,} varied campaigns (--jobs 1)", f"< {self.limits['memory']} MB",
            f"{peak2} MB ({peak1} MB at {n1:,}: {(peak2 - peak1) * 1024 / (n2 - n1):.2f} KB more per campaign)",
            peak2 < self.limits["memory"]))
        return alone

    def parallel(self, alone: dict[int, tuple[float, int]]) -> None:
        """--jobs 2 against --jobs 1 (byte-identical output), and the automatic choice against --jobs 1."""
        small, repeat, n = self.small, self.repeat, self.n_parallel
        folder = self.archive(f"varied{n}", n)
        out1, out2 = self.root / f"jobs1-{n}.json", self.root / "jobs2.json"
        wall = Timer(cpu=False)
        judged = self.cpus >= (4 if small else 2)  # else only the output is compared: one run each
        if small or n not in alone:
            j1 = wall.best(auditor("check", str(folder), "--format", "json", "--jobs", "1"), repeat if judged else 1,
                           output=out1)
        else:
            j1 = alone[n][0]
        j2 = wall.best(auditor("check", str(folder), "--format", "json", "--jobs", "2"),
                       (2 if not small else repeat) if judged else 1, output=out2)
        self.figures.extend(parallel_figures(n, j1, j2, out1.read_bytes() == out2.read_bytes(), self.cpus, small,
                                             self.limits["parallel"]))
        if small:
            return
        from auditor.parallel import auto_jobs

        for count in (200, 1000):
            folder = self.archive(f"varied{count}", count)
            single, chosen = alternating(auditor("check", str(folder), "--format", "json", "--jobs", "1"),
                                         auditor("check", str(folder), "--format", "json"), repeat + 2)
            self.figures.append(Figure(
                f"parallelism: automatic choice ({auto_jobs(count)} processes) vs --jobs 1 on {count:,} varied "
                "campaigns (wall)", f"never slower (<= {self.limits['auto']}x)",
                f"{chosen:.2f}s / {single:.2f}s = {chosen / single:.2f}x", chosen / single <= self.limits["auto"]))

    def workbooks(self) -> None:
        n = self.n_workbooks
        xlsx_dir = self.archive(f"xlsx{n}", n, seed=11, fmt="xlsx")
        twin_dir = self.archive(f"xlsxjson{n}", n, seed=11, fmt="json")
        t_xlsx = self.timer.best(auditor("check", str(xlsx_dir), "--format", "json"), self.repeat)
        t_json = self.timer.best(auditor("check", str(twin_dir), "--format", "json"), self.repeat)
        self.figures.append(Figure(f"workbooks: {n} varied workbooks vs the same campaigns as JSON ({self.clock})",
                                   f"<= {self.limits['xlsx']}x", f"{t_xlsx:.2f}s / {t_json:.2f}s = {t_xlsx / t_json:.2f}x",
                                   t_xlsx / t_json <= self.limits["xlsx"]))


def report(bench: Bench, started: str, load_before: str) -> None:
    """Print the table, and in full mode write benchmarks/RESULTS.md with the machine and the conditions."""
    figures, cpus = bench.figures, bench.cpus
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
    if bench.small:
        return
    rows = "\n".join(f"| {f.name} | {f.target} | {f.measured} | {f.result} |" for f in figures)
    (HERE / "RESULTS.md").write_text(
        "# Benchmark results\n\n"
        f"Machine: {machine}. Command: `python benchmarks/run.py` (wall clock, best of {bench.repeat} runs per "
        "figure, 2 for batches of 10,000, 1 for 100,000, 10 for start-up; whole processes; the machine is "
        "shared with other jobs, so the best run is the least disturbed one). Archives: `benchmarks/generate.py`, "
        "varied texts (no text repeats across campaigns) unless a figure says pooled.\n\n"
        "| figure | target | measured | result |\n|---|---|---|---|\n" + rows + "\n\n" + conditions + "\n",
        encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description="campaign-auditor performance targets")
    parser.add_argument("--small", action="store_true", help="CI mode: small N, loose thresholds, CPU time")
    parser.add_argument("--keep", type=Path, help="keep the generated campaigns in this folder (and reuse them)")
    args = parser.parse_args()
    started, load_before = time.strftime("%d %b %Y %H:%M UTC", time.gmtime()), load_average()
    bench = Bench(args.small, args.keep or Path(tempfile.mkdtemp(prefix="auditor-bench-")))
    try:
        bench.throughput()
        bench.startup()
        bench.parallel(bench.scaling())  # the --jobs 1 run of the parallel batch is the scaling run's
        bench.workbooks()
    finally:
        if not args.keep:
            shutil.rmtree(bench.root, ignore_errors=True)
    report(bench, started, load_before)
    return 0 if all(f.ok or f.info or f.skipped for f in bench.figures) else 1


if __name__ == "__main__":
    sys.exit(main())
