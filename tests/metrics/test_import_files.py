"""Import files (the upload and errors.csv): kept IMPORT_FILE_RETENTION_DAYS after their job
ended, then deleted with the job kept; deleted with their job unless another names them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from metrics import services
from metrics.models import ImportJob
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import import_job
from tests.metrics.helpers import run_import

pytestmark = pytest.mark.django_db

GOOD = "2026-01-05,Spring,email,10,100,10,5,1,1,20"
BAD = "2026-01-06,Spring,email,not-a-number,100,10,5,1,1,20"
WITH_A_REJECTED_ROW = csv_bytes(CAMPAIGN_HEADER, GOOD, BAD)


def stored(name: str) -> bool:
    return ImportJob._meta.get_field("file").storage.exists(name)


def ended_days_ago(job, days: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=days))


def test_files_past_the_retention_are_deleted_and_the_job_kept(
    workspace, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    old = run_import(workspace, "campaign", WITH_A_REJECTED_ROW)
    recent = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, GOOD))
    waiting = import_job(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, BAD), name="waiting.csv")
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=90))
    ended_days_ago(old, 31)
    ended_days_ago(recent, 29)
    old_names = (old.file.name, old.errors_file.name)
    assert old.rows_rejected == 1 and all(stored(name) for name in old_names)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_files_prune() == 1

    old.refresh_from_db()
    assert not old.file and not old.errors_file
    assert not any(stored(name) for name in old_names)
    # The job itself, its figures and its sample of rejected rows stay.
    assert (old.status, old.rows_imported, old.rows_rejected) == ("succeeded_with_errors", 1, 1)
    assert old.error_sample and "were deleted on" in old.message
    assert stored(recent.file.name) and stored(waiting.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_files_prune() == 0


def test_zero_keeps_every_file(workspace, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 0
    job = run_import(workspace, "campaign", WITH_A_REJECTED_ROW)
    ended_days_ago(job, 3650)
    assert services.import_files_prune() == 0
    job.refresh_from_db()
    assert stored(job.file.name) and stored(job.errors_file.name)


def test_a_failed_import_whose_file_was_deleted_asks_for_it_again(
    workspace, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    job = run_import(workspace, "campaign", b"these,are,not,the,columns\n1,2,3,4,5\n")
    assert job.status == ImportJob.Status.FAILED
    ended_days_ago(job, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_files_prune() == 1
    job.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.import_job_retry(actor=None, job=job)
    assert "upload it again" in str(refused.value.message_dict["file"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_a_deleted_job_takes_its_files_unless_another_job_names_them(
    workspace, django_capture_on_commit_callbacks
):
    first = run_import(workspace, "campaign", WITH_A_REJECTED_ROW)
    # The same file again: nothing to import, the first job's errors.csv is named again.
    again = run_import(workspace, "campaign", WITH_A_REJECTED_ROW)
    assert again.errors_file.name == first.errors_file.name
    assert again.file.name != first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert not stored(first.file.name)
    assert stored(again.errors_file.name)  # still named by the second job

    with django_capture_on_commit_callbacks(execute=True):
        workspace.delete()  # the jobs go with their workspace, and so do their files
    assert not stored(again.file.name) and not stored(again.errors_file.name)
