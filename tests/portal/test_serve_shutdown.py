"""`auditor serve` stops on SIGTERM within 5 seconds (a service manager's or a container's stop)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sigterm_stops_serve_within_five_seconds(tmp_path):
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--port", str(port), "--data",
                                str(tmp_path / "data")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                               cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "the portal did not start"
                time.sleep(0.2)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
        elapsed = time.monotonic() - started
        output = process.stdout.read().decode()
        assert elapsed < 5, f"took {elapsed:.1f} s"
        assert code == 0, output
        assert "stopping" in output
        # and nothing listens on the port any more (SO_REUSEADDR: the test's own connection may linger)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            s.listen()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
