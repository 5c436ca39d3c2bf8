"""The import outbox, retry accounting and the clear failure of an exhausted retry
(unit tests: any database, no broker)."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from metrics import services
from metrics import tasks
from metrics.models import BackgroundRun
from metrics.models import ImportJob
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import import_job
from tests.workers import wait_for

pytestmark = pytest.mark.django_db
CSV = csv_bytes(CAMPAIGN_HEADER, "2024-03-01,Spring Sale,email,100.00,1000,50,40,10,4,300.00")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _job(workspace, **fields) -> ImportJob:
    job = import_job(workspace, "campaign", CSV, name="c.csv")
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


@contextmanager
def celery_conf(**values):
    conf = tasks.run_import.app.conf
    saved = {key: conf[key] for key in values}
    conf.update(values)
    try:
        yield
    finally:
        conf.update(saved)


@pytest.fixture
def broker():
    """The task's publish, as if a real broker were configured (not eager)."""
    with (
        celery_conf(task_always_eager=False),
        mock.patch.object(tasks.run_import, "apply_async") as publish,
    ):
        yield publish


def test_broker_down_leaves_the_job_waiting_in_the_outbox(workspace, broker):
    job = _job(workspace)
    broker.side_effect = BrokerError("Error 111 connecting to 127.0.0.1:6379.")
    assert services.import_job_enqueue(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.enqueued_at) == (ImportJob.Status.QUEUED, None)
    assert job.message == services.WAITING_FOR_WORKER


def test_a_published_job_records_when_and_loses_the_waiting_note(workspace, broker):
    job = _job(workspace, message=services.WAITING_FOR_WORKER)
    assert services.import_job_enqueue(job_id=job.pk) is True
    broker.assert_called_once()
    assert broker.call_args.args[0] == (job.pk,)
    job.refresh_from_db()
    assert job.enqueued_at is not None and job.message == ""


def test_the_sweeper_publishes_waiting_and_lost_jobs_only(workspace, broker, settings):
    settings.RELIABILITY_SWEEP_GRACE_SECONDS = 10
    settings.RELIABILITY_REQUEUE_AFTER_SECONDS = 3600
    now = timezone.now()
    waiting = _job(workspace)
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(minutes=1))
    fresh = _job(workspace)  # its on-commit publish may still be under way
    lost = _job(workspace, enqueued_at=now - timedelta(hours=2))
    recent = _job(workspace, enqueued_at=now - timedelta(minutes=5))
    done = _job(workspace, status=ImportJob.Status.SUCCEEDED)
    ImportJob.objects.filter(pk=done.pk).update(created_at=now - timedelta(minutes=1))

    assert services.import_jobs_sweep() == 2
    published = sorted(call.args[0][0] for call in broker.call_args_list)
    assert published == sorted([waiting.pk, lost.pk])
    assert fresh.pk not in published and recent.pk not in published


def test_the_sweeper_requeues_running_jobs_whose_worker_went_silent(workspace, broker, settings):
    stale_after = settings.RELIABILITY_STALE_AFTER_SECONDS
    now = timezone.now()
    silent = _job(workspace, status=ImportJob.Status.RUNNING, enqueued_at=now)
    alive = _job(workspace, status=ImportJob.Status.RUNNING, enqueued_at=now)
    done = _job(workspace, status=ImportJob.Status.SUCCEEDED, enqueued_at=now)
    ImportJob.objects.filter(pk__in=[silent.pk, done.pk]).update(
        heartbeat_at=now - timedelta(seconds=stale_after + 1), started_at=now - timedelta(hours=1)
    )
    ImportJob.objects.filter(pk=alive.pk).update(
        heartbeat_at=now - timedelta(seconds=stale_after - 5), started_at=now - timedelta(hours=1)
    )

    assert services.import_jobs_sweep() == 1
    assert [call.args[0][0] for call in broker.call_args_list] == [silent.pk]
    silent.refresh_from_db()
    assert silent.status == ImportJob.Status.QUEUED
    assert silent.message == services.RETRYING_WORKER_STOPPED
    assert ImportJob.objects.get(pk=alive.pk).status == ImportJob.Status.RUNNING
    assert ImportJob.objects.get(pk=done.pk).status == ImportJob.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)  # the heartbeat's own connection sees committed rows
def test_a_worker_process_keeps_its_job_alive_while_it_runs(workspace, settings):
    # The heartbeat thread writes on its own connection (what a long merge does not block).
    settings.RELIABILITY_HEARTBEAT_SECONDS = 0.05
    job = _job(workspace, status=ImportJob.Status.RUNNING, enqueued_at=timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=None)
    with services._heartbeat(ImportJob.objects.filter(pk=job.pk), "import"):
        wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).heartbeat_at is not None,
            timeout=10,
            what="a heartbeat",
        )


def test_the_sweeper_stops_while_the_broker_is_down(workspace, broker):
    for _ in range(3):
        job = _job(workspace)
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    broker.side_effect = BrokerError("down")
    assert services.import_jobs_sweep() == 0
    assert broker.call_count == 1  # no point hammering a broker that is down


def test_each_start_of_a_job_is_counted_and_a_retry_says_so(workspace):
    job = _job(workspace, status=ImportJob.Status.RUNNING, attempts=1)  # a killed attempt
    services.import_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.attempts == 2
    assert "Completed on attempt 2" in job.message


def test_a_finished_job_is_not_started_again(workspace):
    job = _job(workspace)
    services.import_job_run(job=job)
    services.import_job_run(job=ImportJob.objects.get(pk=job.pk))  # redelivered
    job.refresh_from_db()
    assert job.attempts == 1


def test_exhausted_retries_fail_clearly_and_the_job_can_be_retried(
    workspace, monkeypatch, django_capture_on_commit_callbacks
):
    job = _job(workspace)
    monkeypatch.setattr(tasks, "backoff_seconds", lambda retries: 0)
    with (
        mock.patch.object(
            services, "import_job_run", side_effect=OperationalError("server closed")
        ) as run,
        celery_conf(task_eager_propagates=False),  # eager retries re-run in place
    ):
        result = tasks.run_import.apply((job.pk,))
    assert result.state == "FAILURE" and isinstance(result.result, OperationalError)
    assert run.call_count == tasks.run_import.max_retries + 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "did not complete" in job.message and "retry" in job.message

    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_retry(actor=None, job=job)  # eager: runs at once
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.attempts == 1  # the failing attempts never claimed it (mocked run)


def test_only_a_failed_job_can_be_retried(workspace):
    job = _job(workspace, status=ImportJob.Status.SUCCEEDED)
    with pytest.raises(ValidationError) as error:
        services.import_job_retry(actor=None, job=job)
    assert "status" in error.value.message_dict


def test_retry_action_of_the_api(api, workspace, django_capture_on_commit_callbacks):
    failed = _job(workspace, status=ImportJob.Status.FAILED)
    done = _job(workspace, status=ImportJob.Status.SUCCEEDED)
    base = f"/api/v1/workspaces/{workspace.slug}/imports/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{base}{failed.pk}/retry/")
    assert response.status_code == 202, response.content
    assert ImportJob.objects.get(pk=failed.pk).status == ImportJob.Status.SUCCEEDED
    response = api.post(f"{base}{done.pk}/retry/")
    assert response.status_code == 400 and "status" in response.json()


def test_backoff_grows_with_jitter_and_a_cap(settings):
    settings.RELIABILITY_RETRY_BACKOFF = 2
    settings.RELIABILITY_RETRY_BACKOFF_MAX = 60
    first = {tasks.backoff_seconds(0) for _ in range(20)}
    assert all(1 <= value <= 2 for value in first) and len(first) > 1
    assert all(30 <= tasks.backoff_seconds(10) <= 60 for _ in range(20))


def test_an_import_succeeds_when_its_follow_up_cannot_be_published(
    workspace, django_capture_on_commit_callbacks
):
    """The import has committed when its dashboard follow-up is published: a broker that
    went down meanwhile costs a warning (the beat schedule recomputes), not an error."""
    job = _job(workspace)
    with (
        celery_conf(task_always_eager=False),
        mock.patch.object(
            tasks.recompute_dashboard, "apply_async", side_effect=BrokerError("Error 111")
        ) as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.import_job_run(job=job)
    assert publish.call_count == 1
    assert publish.call_args.args[1]["changed_kind"] == "campaign"
    assert publish.call_args.args[1]["rows_changed"] == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    # The recompute waits in the outbox for the sweeper.
    run = BackgroundRun.objects.get(workspace=workspace)
    assert (run.kind, run.status, run.enqueued_at) == ("dashboard", "queued", None)
