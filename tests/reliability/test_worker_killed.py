"""A worker killed with SIGKILL half-way through a large import (issue 10, point 1).

The task is acknowledged late, so the broker still holds it when the worker dies: it is
delivered again and the import starts over from the stored file. Nothing of the killed
attempt was merged (the merge is one transaction after the staging load; a killed session
loses its temporary staging table), and the merge is an upsert on the natural key, so the
facts end equal to the file exactly, and the job's `attempts` shows the retry."""

import time

import pytest

from alignment.locks import SCOPES
from metrics import services
from metrics.importing.pipeline import CHUNK_ROWS
from metrics.models import BackgroundRun
from metrics.models import DashboardSnapshot
from metrics.models import Diagnosis
from metrics.models import ImportJob
from tests.metrics.diagnostics_helpers import campaign
from tests.metrics.diagnostics_helpers import fact
from tests.reliability.conftest import campaign_file
from tests.reliability.conftest import fact_totals
from tests.reliability.conftest import file_totals
from tests.reliability.conftest import producing_to
from tests.reliability.conftest import worker_env
from tests.workers import second_connection
from tests.workers import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
# Progress is written per chunk: "half-way" is after the first chunk and before the last.
# Four chunks keep that window about three quarters of the import long (75,000 rows took
# 0.4 s in all here: too short a window for a poll to land in reliably).
ROWS = CHUNK_ROWS * 4


def campaign_fact(workspace):
    """One day of a campaign that spends far more than it earns (a negative-ROI diagnosis)."""
    fact(workspace, campaign(workspace, "Spender"), 2, spend=2000, revenue=100)


def _upload(workspace, path):
    return services.import_job_create_from_path(
        path=path, actor=None, workspace=workspace, kind="campaign"
    )


def _halfway(job):
    def check():
        job.refresh_from_db()
        assert not job.is_finished, "the import finished before the worker could be killed"
        return job.status == ImportJob.Status.RUNNING and 0 < job.rows_read < ROWS

    return check


def _finished(job):
    def check():
        job.refresh_from_db()
        return job.is_finished

    return check


def _assert_exact(job, workspace, path):
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert job.attempts >= 2, "the job does not show that it was retried"
    assert "attempt" in job.message
    assert (job.rows_read, job.rows_imported, job.rows_rejected) == (ROWS, ROWS, 0)
    assert fact_totals(workspace) == file_totals(path)


def test_pool_process_killed_mid_import_is_redelivered(
    postgres_required, private_redis, worker_factory, workspace, media_root, queue, tmp_path
):
    path = campaign_file(tmp_path / "large.csv", ROWS)
    worker = worker_factory(
        env=worker_env(broker_url=private_redis.url, media_root=media_root, queue=queue),
        queue=queue,
        pool="prefork",
    )
    with producing_to(private_redis.url, queue):
        job = _upload(workspace, path)
    wait_for(_halfway(job), timeout=120, interval=0.05, what="the import to be half-way")
    worker.kill_child()  # reject_on_worker_lost: the main process puts the task back

    wait_for(_finished(job), timeout=180, what="the redelivered import")
    _assert_exact(job, workspace, path)


def test_whole_worker_killed_mid_import_finishes_within_two_minutes(
    postgres_required,
    private_redis,
    worker_factory,
    beat_factory,
    workspace,
    media_root,
    queue,
    tmp_path,
):
    """The container case, with the production defaults (the broker's visibility timeout
    stays an hour): the heartbeat stops with the worker, beat's sweeper re-queues the job
    once it is stale, and the restarted worker imports the file exactly once."""
    path = campaign_file(tmp_path / "large.csv", ROWS)
    env = worker_env(broker_url=private_redis.url, media_root=media_root, queue=queue)
    beat_factory(env=env)
    first = worker_factory(env=env, queue=queue, pool="solo")
    with producing_to(private_redis.url, queue):
        job = _upload(workspace, path)
    wait_for(_halfway(job), timeout=120, interval=0.05, what="the import to be half-way")
    first.kill()  # main process and all: no chance to reject, requeue or clean up
    killed_at = time.monotonic()
    worker_factory(env=env, queue=queue, pool="solo")  # the container restarts

    def shows_the_retry():
        job.refresh_from_db()
        return job.message == services.RETRYING_WORKER_STOPPED

    wait_for(shows_the_retry, timeout=120, what="the job to say its worker stopped")
    wait_for(_finished(job), timeout=120 - (time.monotonic() - killed_at), what="the import")
    _assert_exact(job, workspace, path)


@pytest.mark.parametrize("kind", ["dashboard", "diagnostics"])
def test_whole_worker_killed_mid_run_finishes_within_two_minutes(
    kind, postgres_required, private_redis, worker_factory, beat_factory, workspace, queue
):
    """A dashboard recompute or diagnostics run, with the production defaults: the run
    holds its lease with a heartbeat; killed, its worker stops beating, the sweeper puts the
    run back and the restarted worker completes it. The test holds the run's workspace lock
    so the run is caught inside it (running, not finished) when the worker dies, and lets
    go once the retry is under way."""
    campaign_fact(workspace)
    env = worker_env(broker_url=private_redis.url, media_root="/nonexistent", queue=queue)
    beat_factory(env=env)
    first = worker_factory(env=env, queue=queue, pool="solo")
    holder = second_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [SCOPES[kind], workspace.pk])
        with producing_to(private_redis.url, queue):
            run = services.background_run_request(workspace_id=workspace.pk, kind=kind)

        def state():
            return BackgroundRun.objects.filter(pk=run.pk).values_list("status", "attempts").first()

        wait_for(lambda: state() == ("running", 1), timeout=60, what="the run to start")
        first.kill()  # main process and all: no chance to reject, requeue or clean up
        killed_at = time.monotonic()
        worker_factory(env=env, queue=queue, pool="solo")  # the container restarts
        wait_for(
            lambda: state() == ("running", 2),
            timeout=120,
            what="the sweeper to hand the run to the new worker",
        )
        assert BackgroundRun.objects.get(pk=run.pk).message == services.RUN_WORKER_STOPPED
    finally:
        holder.close()  # the lock goes with the session

    wait_for(
        lambda: not BackgroundRun.objects.filter(pk=run.pk).exists(),
        timeout=120 - (time.monotonic() - killed_at),
        what="the run to complete",
    )
    if kind == "dashboard":
        snapshot = DashboardSnapshot.objects.get(workspace=workspace)
        assert snapshot.data["kpis"]["spend"] == "2000.00"
    else:
        assert Diagnosis.objects.filter(workspace=workspace, rule="negative_roi").exists()
