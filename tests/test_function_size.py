"""scripts/check_function_size.py, which .ci/run uses to hold the package's functions to complexity <= 15 and
80 lines (issue #14), finds what it must: a long branchy function, a method of a nested class."""

from __future__ import annotations

import subprocess
import sys

from helpers import REPO


def run(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "check_function_size.py"), *map(str, paths)],
                          capture_output=True, text=True)


def test_oversized_functions_and_nested_methods_are_reported(tmp_path):
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(20))
    nested = "\n".join(f"            if x == {i}:\n                return {i}" for i in range(16))
    (tmp_path / "big.py").write_text(f"def f(x):\n{branches}\n    return -1\n\n\nclass A:\n    class B:\n"
                                     f"        def g(self, x):\n{nested}\n", encoding="utf-8")
    done = run(tmp_path)
    assert done.returncode == 1
    assert "big.py:1: f: complexity 21, 42 lines" in done.stdout
    assert "B.g: complexity 17, 33 lines" in done.stdout


def test_the_package_is_within_the_limits():
    done = run(REPO / "auditor")
    assert done.returncode == 0, done.stdout
