"""The web server's configuration (gunicorn.conf.py), checked on a real gunicorn."""

import os
import sys
from pathlib import Path

import pytest

from tests.reliability.load import _processes
from tests.workers import WebServer

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc (Linux only)")


def _listening_sockets(port: int) -> set[str]:
    """Inodes of the TCP sockets listening on `port` (/proc/net/tcp: hex port, state 0A)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                inodes.add(fields[9])
    return inodes


def _sockets_of(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def test_each_worker_listens_on_its_own_socket(tmp_path):
    # One socket per worker lets the kernel spread connections over the workers; on a
    # shared socket, kept-alive clients pile up on whichever worker was awake.
    web = WebServer(env={**os.environ, "DEBUG": "true"}, log=tmp_path / "gunicorn.log", workers=2)
    try:
        web.wait_ready()
        workers = [pid for pid, process in _processes().items() if process[1] == web.process.pid]
        listening = _listening_sockets(web.port)
        owners = {pid: _sockets_of(pid) & listening for pid in workers}
    finally:
        web.stop()
    assert len(workers) == 2, (workers, (tmp_path / "gunicorn.log").read_text()[-3000:])
    assert len(listening) == 2
    assert all(len(sockets) == 1 for sockets in owners.values()), owners
    assert owners[workers[0]] != owners[workers[1]]
