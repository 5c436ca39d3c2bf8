"""The web server's configuration (gunicorn.conf.py), checked on a real gunicorn, and how
`make load` counts the clients each worker holds."""

import http.client
import os
import re
import sys

import pytest

from tests.reliability.load import clients_per_worker
from tests.reliability.load import sockets_of
from tests.reliability.load import tcp_sockets
from tests.reliability.load import workers_of
from tests.workers import WebServer
from tests.workers import wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc (Linux only)")


@pytest.fixture
def web(tmp_path):
    server = WebServer(
        env={**os.environ, "DEBUG": "true"}, log=tmp_path / "gunicorn.log", workers=2
    )
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_each_worker_listens_on_its_own_socket(web):
    # One socket per worker lets the kernel spread connections over the workers; on a
    # shared socket, kept-alive clients pile up on whichever worker was awake.
    workers = workers_of(web.process.pid)
    listening = tcp_sockets(web.port, "0A")
    owners = {pid: sockets_of(pid) & listening for pid in workers}
    assert len(workers) == 2, web.log.read_text()[-3000:]
    assert len(listening) == 2
    assert all(len(sockets) == 1 for sockets in owners.values()), owners
    assert owners[workers[0]] != owners[workers[1]]


def test_each_worker_freezes_the_loaded_app_out_of_garbage_collection(web):
    # Full collections would otherwise walk Django's and the app's start-up objects, a
    # pause of tens of milliseconds for every request the worker holds.
    def frozen():
        return re.findall(r"Froze (\d+) start-up objects", web.log.read_text())

    wait_for(lambda: len(frozen()) == 2, timeout=30, what="both workers' start-up")
    assert all(int(count) > 50_000 for count in frozen()), frozen()


def test_no_management_socket_is_opened(web):
    assert "Listening at" in web.log.read_text()
    assert "Control socket" not in web.log.read_text()


def test_the_kept_alive_clients_of_every_worker_are_counted(web):
    assert clients_per_worker(web.process.pid, web.port) == [0, 0]
    clients = [http.client.HTTPConnection("127.0.0.1", web.port, timeout=10) for _ in range(6)]
    try:
        for client in clients:
            client.request("GET", "/healthz")
            response = client.getresponse()
            assert response.status == 200
            response.read()  # the connection stays open for the next request
        spread = clients_per_worker(web.process.pid, web.port)
    finally:
        for client in clients:
            client.close()
    assert len(spread) == 2
    assert sum(spread) == 6
    assert spread == sorted(spread, reverse=True)
