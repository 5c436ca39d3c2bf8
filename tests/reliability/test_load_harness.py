"""The CPU accounting of `make load` (tests/reliability/load.py), read from /proc."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.reliability import load
from tests.reliability.load import _measured
from tests.reliability.load import _processes
from tests.reliability.load import _server_cpu_seconds
from tests.workers import wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc (Linux only)")

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
# A stand-in for gunicorn: its worker says it is ready, idles until the phase starts, then
# spends 0.3 s of CPU and exits, as a database connection closed during a phase does.
WORKER = (
    "import os, sys, time\nopen(sys.argv[1] + '.ready', 'w').close()\n"
    "while not os.path.exists(sys.argv[1]): time.sleep(0.01)\n" + BURN
)
MASTER = (
    "import subprocess, sys, time\n"
    "worker = subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]])\n"
    "worker.wait()\n"
    "open(sys.argv[2] + '.done', 'w').close()\n"
    "time.sleep(60)\n"
)


def test_the_cpu_of_the_masters_workers_is_counted_per_request(tmp_path):
    go = tmp_path / "go"
    master = subprocess.Popen([sys.executable, "-c", MASTER, WORKER, str(go)])
    try:
        # Both interpreters started (their start-up CPU is before the phase) and idle.
        wait_for((tmp_path / "go.ready").exists, timeout=30, what="the worker")

        def phase():
            go.touch()
            # CPU spent outside the server (wrk's, here) is not the server's.
            subprocess.run([sys.executable, "-c", BURN], check=True)
            wait_for((tmp_path / "go.done").exists, timeout=10, what="the worker")
            return {"requests": 10}

        result = _measured(phase, master.pid)
    finally:
        master.kill()
    assert result["requests"] == 10
    # The exited worker's 0.3 s over 10 requests; not the 0.3 s of the other process.
    assert 28 <= result["web_cpu_ms"] < 50
    assert result["db_cpu_ms"] >= 0


@pytest.mark.django_db
def test_a_query_counts_as_postgresqls_cpu():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL on this machine (make test on CI)")
    _, before = _server_cpu_seconds(master=os.getpid())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 5000000)")
    _, after = _server_cpu_seconds(master=os.getpid())
    assert sum(after[pid] - before[pid] for pid in before.keys() & after.keys()) >= 0.1


# A stand-in postmaster: a process named "postgres" (as /proc shows it) that spends
# `argv[1]` seconds of CPU, then idles until `argv[2]` exists.
POSTMASTER = (
    "import os, sys, time\n"
    "open('/proc/self/comm', 'w').write('postgres')\n"
    "end = time.process_time() + float(sys.argv[1])\n"
    "while time.process_time() < end: pass\n"
    "while not os.path.exists(sys.argv[2]): time.sleep(0.01)\n"
)


def _postmaster(tmp_path, seconds: float, until: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", POSTMASTER, str(seconds), str(tmp_path / until)]
    )
    wait_for(
        lambda: _processes().get(process.pid, ("", 0, 0.0))[2] >= seconds,
        timeout=20,
        what="the stand-in postmaster's CPU",
    )
    return process


def test_a_process_named_postgres_is_counted_as_a_cluster(tmp_path):
    # What /proc shows of a postmaster is its name; its CPU is the cluster's.
    standin = _postmaster(tmp_path, 0.5, until="stop")
    try:
        _, clusters = _server_cpu_seconds(master=os.getpid())
    finally:
        standin.kill()
        standin.wait()
    assert clusters[standin.pid] >= 0.5


def test_a_cluster_that_stops_or_starts_during_a_phase_is_not_counted(monkeypatch):
    """A fault test's private cluster can stop or start while `make load` measures: its
    CPU so far must not leave the sum (a negative figure) nor enter it. Readings of three
    clusters: 101 is up throughout, 102 stops and 103 starts during the phase."""
    readings = iter([(2.0, {101: 5.0, 102: 30.0}), (2.5, {101: 5.2, 103: 8.0})])
    monkeypatch.setattr(load, "_server_cpu_seconds", lambda master: next(readings))
    result = load._measured(lambda: {"requests": 10}, master=1)
    assert result["web_cpu_ms"] == pytest.approx(50.0)
    assert result["db_cpu_ms"] == pytest.approx(20.0)
