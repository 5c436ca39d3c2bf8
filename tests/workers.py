"""A real Celery worker on the real Redis, for integration tests.

Unit tests run tasks eagerly (tests/conftest.py). Tests marked `integration` use the
`celery_worker` fixture instead: a `celery -A alignment worker` subprocess on a private
queue, and a producer app that sends tasks to it by name over Redis. A worker that needs
the database sees the test database, so such tests use `transactional_db` and PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
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
