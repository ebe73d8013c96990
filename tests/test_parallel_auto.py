"""Automatic worker processes (issue 20): only where they make the run faster on the machine at hand."""

from __future__ import annotations

import pytest

from auditor import parallel


@pytest.fixture
def machine(monkeypatch):
    def set_machine(cpus: int, load: float):
        monkeypatch.setattr(parallel, "usable_cpus", lambda: cpus)
        monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    return set_machine


def test_small_batches_stay_in_one_process(machine):
    machine(cpus=8, load=0.0)
    assert parallel.auto_jobs(1) == 1
    assert parallel.auto_jobs(2 * parallel.FILES_PER_WORKER - 1) == 1


def test_an_idle_machine_gets_a_worker_per_cpu_up_to_the_batch_and_the_cap(machine):
    machine(cpus=2, load=0.1)
    assert parallel.auto_jobs(10_000) == 2
    machine(cpus=16, load=0.0)
    assert parallel.auto_jobs(10_000) == parallel.MAX_AUTO_JOBS
    assert parallel.auto_jobs(3 * parallel.FILES_PER_WORKER) == 3  # every worker gets enough campaigns


def test_a_busy_machine_or_a_single_cpu_gets_one_process(machine):
    machine(cpus=2, load=6.5)  # measured: two workers ran at 0.67-0.85x of one process
    assert parallel.auto_jobs(10_000) == 1
    machine(cpus=1, load=0.0)
    assert parallel.auto_jobs(10_000) == 1
    machine(cpus=4, load=2.2)  # two CPUs idle
    assert parallel.auto_jobs(10_000) == 2


def test_usable_cpus_honour_the_cgroup_quota(monkeypatch, tmp_path):
    quota = tmp_path / "cpu.max"
    quota.write_text("150000 100000\n", encoding="ascii")
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    monkeypatch.setattr(parallel, "CGROUP_CPU_MAX", str(quota))
    assert parallel.usable_cpus() == 2
    quota.write_text("max 100000\n", encoding="ascii")
    assert parallel.usable_cpus() == 8
    monkeypatch.setattr(parallel, "CGROUP_CPU_MAX", str(tmp_path / "missing"))
    assert parallel.usable_cpus() == 8


def test_the_cli_default_uses_the_automatic_choice(monkeypatch):
    from auditor.cli import common

    monkeypatch.setattr(parallel, "auto_jobs", lambda files: 3 if files > 500 else 1)
    assert common.auto_jobs(1000) == 3 and common.auto_jobs(10) == 1
