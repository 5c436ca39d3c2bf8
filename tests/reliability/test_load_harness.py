"""The CPU accounting of `make load` (tests/reliability/load.py), read from /proc."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.reliability.load import _measured, _processes, _server_cpu_seconds
from tests.workers import wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc (Linux only)")

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
# A stand-in for gunicorn: its worker idles until the phase starts, then spends 0.3 s of
# CPU and exits, as a database connection closed during a phase does.
WORKER = "import os, sys, time\nwhile not os.path.exists(sys.argv[1]): time.sleep(0.01)\n" + BURN
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
        wait_for(
            lambda: any(parent == master.pid for _, parent, _, _ in _processes().values()),
            timeout=10,
            what="the worker",
        )
        time.sleep(0.5)

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
    before = _server_cpu_seconds(master=os.getpid())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 5000000)")
    after = _server_cpu_seconds(master=os.getpid())
    assert after["db"] - before["db"] >= 0.1
