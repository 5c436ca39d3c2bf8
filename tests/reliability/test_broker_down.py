"""The broker is down (issue 10, point 2): the site keeps serving from the database, an
upload is stored and waits for a worker, /readyz names the broker, and when Redis is back
the beat's outbox sweeper hands the job to a worker without anyone uploading again."""

import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import ImportJob
from metrics.services import WAITING_FOR_WORKER
from tests.reliability.conftest import campaign_file
from tests.reliability.conftest import fact_totals
from tests.reliability.conftest import file_totals
from tests.reliability.conftest import producing_to
from tests.reliability.conftest import worker_env
from tests.workers import ROOT
from tests.workers import _stop
from tests.workers import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def beat(tmp_path):
    """A celery beat process (file scheduler) sending the sweeper every second."""
    started = []

    def start(env):
        command = [
            sys.executable, "-m", "celery", "-A", "alignment", "beat", "--loglevel=INFO",
            "-S", "celery.beat:PersistentScheduler", "-s", str(tmp_path / "beat-schedule"),
            "--pidfile=",
        ]  # fmt: skip
        log = (tmp_path / "beat.log").open("ab")
        started.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        )

    try:
        yield start
    finally:
        for process in started:
            _stop(process)


def test_upload_waits_for_the_broker_and_runs_when_it_returns(
    postgres_required,
    private_redis,
    worker_factory,
    beat,
    settings,
    api,
    web,
    workspace,
    media_root,
    queue,
    tmp_path,
):
    env = worker_env(
        broker_url=private_redis.url,
        media_root=media_root,
        queue=queue,
        RELIABILITY_SWEEP_SECONDS=1,
        RELIABILITY_SWEEP_GRACE_SECONDS=0,
    )
    worker_factory(env=env, queue=queue, pool="solo")
    beat(env)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # /readyz checks the real broker
    settings.CELERY_BROKER_URL = private_redis.url
    path = campaign_file(tmp_path / "upload.csv", 2000)
    base = f"/api/v1/workspaces/{workspace.slug}/"

    private_redis.stop()
    with producing_to(private_redis.url, queue):
        started = time.monotonic()
        response = api.post(
            f"{base}imports/",
            {"kind": "campaign", "file": SimpleUploadedFile("upload.csv", path.read_bytes())},
            format="multipart",
        )
        assert response.status_code == 202, response.content
        assert time.monotonic() - started < 10, "the upload hung on the broker"
        job = ImportJob.objects.get(pk=response.json()["id"])
        assert job.status == ImportJob.Status.QUEUED
        assert job.enqueued_at is None
        assert job.message == WAITING_FOR_WORKER
        assert job.file and job.file.size == path.stat().st_size  # stored, not lost

        detail = api.get(f"{base}imports/{job.pk}/").json()
        assert detail["message"].startswith("Waiting for a worker")
        for url in (f"{base}imports/", f"{base}kpis/?kpi=spend", f"{base}dashboard/"):
            assert api.get(url).status_code == 200, url
        for name in ("metrics:index", "metrics:import_list"):
            page = web.get(reverse(name, kwargs={"workspace_slug": workspace.slug}))
            assert page.status_code == 200, name
        page = web.get(job.get_absolute_url())
        assert b"Waiting for a worker" in page.content

        ready = web.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["failing"] == ["broker"]

        private_redis.start()  # same port, empty: the job was never in it
        assert web.get("/readyz").status_code == 200

    wait_for(lambda: _finished(job), timeout=90, what="the swept job to run")
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert job.enqueued_at is not None
    assert job.attempts == 1
    assert fact_totals(workspace) == file_totals(path)


def _finished(job) -> bool:
    job.refresh_from_db()
    return job.is_finished


def test_assigning_a_launch_task_with_the_broker_down_still_saves(workspace, member, queue):
    """The assignment email is best effort: the task is saved, the daily digest lists it."""
    from launches.models import LaunchTask
    from launches.services import launch_task_update
    from tests.launches.factories import LaunchTaskFactory
    from tests.workers import free_port

    task = LaunchTaskFactory(workspace=workspace, assignee=None)
    assignee = member(email="pmm@example.com")
    with producing_to(f"redis://127.0.0.1:{free_port()}/0", queue):  # nobody listens there
        launch_task_update(actor=assignee, task=task, assignee=assignee)
    assert LaunchTask.objects.get(pk=task.pk).assignee == assignee
