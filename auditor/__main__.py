"""The `auditor` program: its console script (`auditor.__main__:run`) and `python -m auditor`.

`run` is `auditor.cli.main` with the cyclic garbage collector set for a program whose start-up builds what it
keeps to the end: modules, classes, compiled patterns, the rule set (about 40,000 container objects in a
one-file run). Embedding code calls `auditor.cli.main` and keeps its own collector settings.

- At the default threshold (700) the collector went over those objects some 60 times during a one-file run
  (8-11 ms). With a young generation of 100,000, set before click and the auditor are imported, start-up runs
  without a collection; a batch still collects its garbage, every 100,000 objects instead of every 700 (the
  time and peak memory of a 1,000-campaign batch are unchanged).
- At exit the collector is frozen: collecting everything at the interpreter's end took 15-20 ms of a one-file
  run, and the operating system frees it with the process. Only the collector skips it: atexit handlers still
  run, standard streams are still flushed, objects outside reference cycles are still released, and every
  report is written and closed before `main` returns.

A SIGTERM raises `SystemExit` wherever the program is (auditor.interrupt). Where that is the creation of a
class in a module imported on demand, Python 3.11 wraps it: "RuntimeError: Error calling __set_name__ on
'Field' instance" (a CI run printed that traceback). Once the signal has arrived, whatever exception the exit
was turned into ends the program the same way: exit status 128 + signal, no traceback.
"""

from __future__ import annotations

import atexit
import gc


def run() -> None:
    gc.set_threshold(100_000, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)
    from auditor.cli import main
    from auditor.cli.common import TERMINATED

    try:
        main()
    except Exception:
        if not TERMINATED:
            raise
        raise SystemExit(128 + TERMINATED[0]) from None


if __name__ == "__main__":
    run()
