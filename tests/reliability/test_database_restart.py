"""The database restarts under a running web process and a worker busy with an import
(issue 10, point 3). A private PostgreSQL cluster (initdb + pg_ctl on a free port) is
restarted with `pg_ctl stop -m fast` (every session terminated) and started again.

The web process reconnects by itself (CONN_HEALTH_CHECKS); the worker's task fails with a
named transient error, retries with backoff and jitter, and the import completes with the
file's exact totals: the interrupted attempt applied nothing (its merge never committed)."""

import subprocess
import sys
from decimal import Decimal

import psycopg2
import pytest
import requests

from metrics.importing.pipeline import CHUNK_ROWS
from tests.reliability.conftest import campaign_file
from tests.reliability.conftest import file_totals
from tests.workers import ROOT
from tests.workers import WebServer
from tests.workers import wait_for

pytestmark = [pytest.mark.integration]
# Four chunks: the import is "half-way" (progress written, not finished) for about three
# quarters of its run, a window a poll every 0.05 s lands in whatever the machine's speed.
ROWS = CHUNK_ROWS * 4

SEED = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from alignment.services import workspace_create
user = get_user_model().objects.create_user("restart-pm", password="unused-password-1")
workspace = workspace_create(actor=user, name="Restart", slug="restart")
print(json.dumps({"token": Token.objects.create(user=user).key}))
"""


def _manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _query(url: str, sql: str, params=()):
    try:
        connection = psycopg2.connect(url, connect_timeout=2)
    except psycopg2.OperationalError:
        return None  # down or restarting
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    except psycopg2.OperationalError:
        return None
    finally:
        connection.close()


def _get(url: str, **kwargs) -> int | None:
    try:
        return requests.get(url, timeout=5, **kwargs).status_code
    except requests.RequestException:
        return None


def test_web_and_worker_reconnect_and_the_import_completes(
    private_postgres, private_redis, worker_factory, tmp_path, queue
):
    import json
    import os

    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": private_postgres.url,
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_RESULT_BACKEND": private_redis.url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "METRICS_TASK_QUEUE": queue,
        "RELIABILITY_RETRY_BACKOFF": "1",
    }
    _manage(env, "migrate", "--noinput", "-v0")
    token = json.loads(_manage(env, "shell", "-c", SEED).strip().splitlines()[-1])["token"]
    headers = {"Authorization": f"Token {token}"}
    web = WebServer(env=env, log=tmp_path / "gunicorn.log")
    try:
        web.wait_ready()
        worker_factory(env=env, queue=queue, pool="solo")
        path = campaign_file(tmp_path / "large.csv", ROWS)
        api = f"{web.url}/api/v1/workspaces/restart/"
        with path.open("rb") as handle:
            response = requests.post(
                f"{api}imports/",
                headers=headers,
                data={"kind": "campaign"},
                files={"file": ("large.csv", handle, "text/csv")},
                timeout=60,
            )
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        job_sql = "SELECT status, rows_read, attempts, message FROM metrics_importjob WHERE id=%s"

        def halfway():
            row = _query(private_postgres.url, job_sql, [job_id])
            assert row is None or row[0] in ("queued", "running"), row
            return row is not None and row[0] == "running" and 0 < row[1] < ROWS

        wait_for(halfway, timeout=120, interval=0.05, what="the import to be half-way")
        private_postgres.restart()

        def finished():
            row = _query(private_postgres.url, job_sql, [job_id])
            return row if row is not None and row[0] not in ("queued", "running") else None

        status, rows_read, attempts, message = wait_for(
            finished, timeout=180, what="the retried import"
        )
        assert status == "succeeded", message
        assert attempts >= 2 and "attempt" in message
        assert rows_read == ROWS
        count, spend, clicks = _query(
            private_postgres.url,
            "SELECT COUNT(*), SUM(spend), SUM(clicks) FROM metrics_campaignmetric",
        )
        expected = file_totals(path)
        assert (count, Decimal(spend), clicks) == (
            expected["rows"],
            expected["spend"],
            expected["clicks"],
        )

        # The web process reconnected by itself: no restart, no error.
        assert _get(f"{web.url}/readyz") == 200
        assert _get(f"{api}imports/{job_id}/", headers=headers) == 200
        assert _get(f"{api}dashboard/", headers=headers) == 200
    finally:
        web.stop()
