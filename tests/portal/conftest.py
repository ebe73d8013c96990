"""Portal fixtures: an app on a temporary data folder, with a marketing and a legal account.

Every portal test runs on SQLite, and again on PostgreSQL when one is available:
`AUDITOR_TEST_POSTGRES_URL`, or a throw-away cluster started from the
PostgreSQL binaries when they are installed.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile

import pytest
from portal_helpers import PASSWORD, login


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_cluster():
    """(url, stop) of a temporary PostgreSQL cluster, or None when PostgreSQL is not installed."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        return None
    bindir = os.path.dirname(initdb[-1])
    folder = tempfile.mkdtemp(prefix="auditor-pg-")
    data, sockets = os.path.join(folder, "data"), os.path.join(folder, "sockets")
    os.makedirs(sockets)
    # PostgreSQL refuses to run as root: run it as the `postgres` system user when we are root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = str(_free_port())  # never a fixed port: a cluster left by an interrupted run would take it
    steps = [[os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "auditor"],
             [os.path.join(bindir, "pg_ctl"), "-D", data, "-o", f"-k {sockets} -p {port} -h 127.0.0.1",
              "-l", os.path.join(folder, "log"), "-w", "start"]]
    for step in steps:
        if subprocess.run(prefix + step, capture_output=True, timeout=120).returncode != 0:
            return None

    def stop():
        subprocess.run(prefix + [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql+psycopg://auditor@127.0.0.1:{port}/postgres", stop


@pytest.fixture(scope="session")
def postgres_url():
    url = os.environ.get("AUDITOR_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        yield None
        return
    started = _start_cluster()
    if started is None:
        yield None
        return
    url, stop = started
    yield url
    stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, postgres_url):
    if request.param == "sqlite":
        return None
    if not postgres_url:
        problem = "no PostgreSQL server (install postgresql, or set AUDITOR_TEST_POSTGRES_URL)"
        if os.environ.get("CI") and glob.glob("/usr/lib/postgresql/*/bin/initdb"):
            # PostgreSQL is installed but the throw-away cluster did not start: on CI that is a failure, never a
            # quiet skip of half the portal tests
            pytest.fail(problem + ": the installed PostgreSQL could not start a cluster")
        pytest.skip(problem)
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:  # a clean database for every test
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return postgres_url


@pytest.fixture
def app(tmp_path, database):
    from auditor.portal import create_app

    application = create_app(tmp_path / "data", database_url=database, secret_key="test-secret", testing=True)
    application.store.add_user("mia", "marketing", PASSWORD)
    application.store.add_user("lee", "legal", PASSWORD)
    yield application
    application.store.engine.dispose()


@pytest.fixture
def marketing(app):
    return login(app.test_client(), "mia")


@pytest.fixture
def legal(app):
    return login(app.test_client(), "lee")
