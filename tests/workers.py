"""A real Celery worker on the real Redis, for integration tests.

Unit tests run tasks eagerly (tests/conftest.py). Tests marked `integration` use the
`celery_worker` fixture instead: a `celery -A alignment worker` subprocess on a private
queue, and a producer app that sends tasks to it by name over Redis. A worker that needs
the database sees the test database, so such tests use `transactional_db` and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(reason: str):
    """In CI a missing service is a failure, never a silent skip."""
    if _ci():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require_service(f"Redis is not reachable at {url}: {error}")
    return url


def _test_database_url() -> str | None:
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        return None
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def db_worker(request, transactional_db):
    """A worker that works on the test database: committed rows only, PostgreSQL only
    (an in-memory SQLite test database cannot be shared with another process)."""
    if connection.vendor != "postgresql":
        require_service("A worker sharing the test database needs PostgreSQL (DATABASE_URL).")
    return request.getfixturevalue("celery_worker")


@dataclass
class WorkerHandle:
    queue: str
    producer: Celery
    process: subprocess.Popen

    def send(self, name: str, *args, **kwargs):
        return self.producer.send_task(name, args=args, kwargs=kwargs, queue=self.queue)


@pytest.fixture
def celery_worker(redis_url, request):
    """A worker subprocess consuming a private queue; yields a WorkerHandle."""
    from django.conf import settings

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DEBUG": "true",
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        # Tasks the worker itself enqueues stay on the private queue too.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    database_url = _test_database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alignment",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Not the current app: unit tests after this one must keep running tasks in-process.
    producer = Celery("tandem-tests", broker=redis_url, backend=redis_url, set_as_current=False)
    handle = WorkerHandle(queue=queue, producer=producer, process=process)
    try:
        yield handle
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(output)  # the worker's log, shown with the failing test
        # Not producer.close(): it would close kombu's connection pool for this broker URL,
        # which the next test's producer shares.


# --- Private services for fault tests (tests/reliability/) ---------------------------------
#
# A fault test owns what it breaks: its own redis-server, its own PostgreSQL cluster and its
# own worker processes, on free loopback ports in a temporary directory, all stopped at the
# end even when the test fails.

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def second_connection():
    """A connection of its own to the test database (PostgreSQL): to hold a lock the code
    under test must wait for."""
    import psycopg2
    from django.db import connection

    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def _stop(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


class PrivateRedis:
    """A redis-server of our own (no persistence) that a test may stop and start again."""

    def __init__(self, directory: Path):
        import shutil

        self.binary = shutil.which("redis-server")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: self._ping(client), timeout=10, what="redis-server")

    @staticmethod
    def _ping(client) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        _stop(self.process)


@pytest.fixture
def private_redis(tmp_path_factory):
    import shutil

    if shutil.which("redis-server") is None:
        require_service("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl) on a free port; restartable."""

    def __init__(self, bin_dir: Path, directory: Path):
        self.bin = bin_dir
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/tandem"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as `postgres`
            self.as_user = ["runuser", "-u", "postgres", "--"]
            subprocess.run(["chown", "-R", "postgres", str(directory)], check=True)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_user, *args], check=check, capture_output=True, text=True, timeout=120
        )

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", "tandem")  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "pg.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                  check=False)  # fmt: skip

    def restart(self) -> None:
        self.stop("fast")  # terminates every session, like a crash or failover
        self.start()


@pytest.fixture
def private_postgres(tmp_path_factory):
    import glob
    import shutil

    candidates = sorted(glob.glob(PG_BIN_GLOB))
    if not candidates or not Path(candidates[-1], "initdb").exists():
        require_service(f"PostgreSQL server binaries not found ({PG_BIN_GLOB}/initdb)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        require_service("running as root without runuser: initdb refuses root")
    directory = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
    cluster = PrivatePostgres(Path(candidates[-1]), directory)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


class Worker:
    """A `celery worker` subprocess that a test may kill -9; logs go to a file."""

    def __init__(self, *, env: dict, queue: str, log: Path, pool: str = "prefork"):
        self.log = log
        command = [
            sys.executable, "-m", "celery", "-A", "alignment", "worker", "-Q", queue,
            f"--pool={pool}", "--concurrency=1", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel=INFO", "-n", f"{uuid.uuid4().hex[:8]}@%h",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 reaches the children
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill_child(self) -> int:
        """SIGKILL the pool process running the task (what the OOM killer does)."""
        import signal

        child = wait_for(self.children, timeout=10, what="a pool process")[0]
        os.kill(child, signal.SIGKILL)
        return child

    def kill(self) -> None:
        """SIGKILL the whole worker: main process and pool, no chance to clean up."""
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # orphaned pool processes, if any
            os.killpg(self.process.pid, signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def _started(request, tmp_path, kind):
    """Yields start(**kwargs) -> kind: a process (Worker, Beat) logging to a file of its own;
    every one started is stopped at the end and its log printed when the test failed."""
    started: list = []

    def start(**kwargs):
        process = kind(log=tmp_path / f"{kind.__name__.lower()}-{len(started)}.log", **kwargs)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.stop()
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            for process in started:
                print(f"--- {process.log.name} ---\n{process.output()[-20000:]}")


@pytest.fixture
def worker_factory(request, tmp_path):
    """start(env=..., queue=...) -> Worker; every worker started is stopped at the end and
    its log printed when the test failed."""
    with _started(request, tmp_path, Worker) as start:
        yield start


class Beat:
    """`celery beat` with the production schedule (django-celery-beat's database scheduler,
    CELERY_BEAT_SCHEDULE); logs go to a file."""

    def __init__(self, *, env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "alignment", "beat", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        _stop(self.process)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def beat_factory(request, tmp_path):
    """start(env=...) -> Beat; stopped at the end, its log printed when the test failed."""
    with _started(request, tmp_path, Beat) as start:
        yield start


class WebServer:
    """gunicorn serving the app on a free loopback port, configured like production
    (gunicorn.conf.py in the repository root: gthread workers)."""

    def __init__(self, *, env: dict, log: Path, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "alignment.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--timeout", "60", "--access-logfile", "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.log = log

    def wait_ready(self, timeout: float = 30) -> None:
        import requests

        def up() -> bool:
            assert self.process.poll() is None, self.log.read_text()[-5000:]
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(up, timeout=timeout, what="gunicorn")

    def stop(self) -> None:
        _stop(self.process)
