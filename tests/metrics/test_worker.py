"""An import through a real Celery worker on PostgreSQL and Redis (marked integration).

A worker subprocess consumes a private queue on the test database; the test enqueues by
committing an upload, exactly as the web request does, and polls the job row."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from alignment.celery import app
from metrics import services
from metrics.models import CampaignMetric, DashboardSnapshot, ImportJob

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _reset_connections():
    """Forget broker connections made under the eager/in-memory settings of unit tests."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql":
        pytest.skip("Real-worker test: needs PostgreSQL (DATABASE_URL) and Redis")
    if not _reachable(BROKER):
        pytest.skip(f"No Redis at {BROKER}")
    db = connection.settings_dict
    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "METRICS_TASK_QUEUE": queue,
    }
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
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
    )
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    _reset_connections()
    app.conf.update(broker_url=BROKER, task_always_eager=False, task_default_queue=queue)
    try:
        yield process
    finally:
        _reset_connections()
        app.conf.update(saved)
        process.terminate()
        process.wait(timeout=20)


def test_upload_is_imported_by_the_worker(worker, workspace, campaign_csv):
    job = services.import_job_create(
        actor=None,
        workspace=workspace,
        kind="campaign",
        file=ContentFile(campaign_csv, name="c.csv"),
    )  # commits, then enqueues on the broker
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished and DashboardSnapshot.objects.filter(workspace=workspace).exists():
            break
        time.sleep(0.3)
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert CampaignMetric.objects.filter(workspace=workspace).count() == 3
    snapshot = DashboardSnapshot.objects.get(workspace=workspace)
    assert snapshot.data["kpis"]["spend"] == "150.00"
