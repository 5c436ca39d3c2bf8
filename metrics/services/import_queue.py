"""The queue of import jobs: a committed job always reaches a worker.

The job row is the outbox. `enqueued_at` stays empty until the broker accepted the task;
when the broker is down the upload is still stored and the job says it waits for a
worker, and `import_jobs_sweep` (a beat task) publishes it once the broker is back. A
running job whose worker went silent is put back in the queue, and a failed one can be
retried by hand. Every change of status is a conditional UPDATE.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alignment.queueing import publish
from metrics.models import ImportJob
from metrics.services._common import _publish_outbox

logger = logging.getLogger(__name__)
Status = ImportJob.Status


WAITING_FOR_WORKER = (
    "Waiting for a worker: the task queue is unreachable. The file is stored and the "
    "import starts by itself when the queue is back."
)


def import_job_enqueue(*, job_id: int) -> bool:
    """Hand the job's task to the broker (after its row committed). True when accepted;
    False when the broker is unreachable, which leaves the job waiting for the sweeper."""
    from metrics.tasks import run_import

    if not publish(run_import, job_id):
        ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            enqueued_at=None, message=WAITING_FOR_WORKER
        )
        return False
    ImportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    ImportJob.objects.filter(pk=job_id, status=Status.QUEUED, message=WAITING_FOR_WORKER).update(
        message=""
    )
    return True


RETRYING_WORKER_STOPPED = "Retrying: its worker stopped. The import starts over by itself."


def import_jobs_requeue_stale() -> int:
    """Put back in the queue every running job whose worker went silent (no heartbeat for
    RELIABILITY_STALE_AFTER_SECONDS: killed, out of memory, its container gone). Nothing of
    the lost attempt was merged (the merge is one transaction), so the job starts over;
    `attempts` counts the tries. Status-guarded: a job that finished meanwhile stays so."""
    stale = timezone.now() - timedelta(seconds=settings.RELIABILITY_STALE_AFTER_SECONDS)
    return (
        ImportJob.objects.filter(status=Status.RUNNING)
        .filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale))
        .update(status=Status.QUEUED, enqueued_at=None, message=RETRYING_WORKER_STOPPED)
    )


def import_jobs_sweep() -> int:
    """Re-queue running jobs whose worker stopped, then publish every queued job the broker
    never accepted (or lost: a broker restarted without persistence). Idempotent: a job
    published twice runs once (`_claim`), and its merge is an upsert. Returns how many jobs
    were published."""
    requeued = import_jobs_requeue_stale()
    if requeued:
        logger.warning("Re-queued %s import(s) whose worker stopped", requeued)
    return _publish_outbox(
        ImportJob.objects.filter(status=Status.QUEUED),
        retried=Q(message=RETRYING_WORKER_STOPPED),
        enqueue=lambda pk: import_job_enqueue(job_id=pk),
    )


@transaction.atomic
def import_job_retry(*, actor, job: ImportJob) -> ImportJob:
    """Put a failed import back in the queue (same stored file); status-guarded."""
    if job.status == Status.FAILED and not job.file:
        raise ValidationError(
            {
                "file": [
                    "The file of this import is no longer stored (import files are kept "
                    f"{settings.IMPORT_FILE_RETENTION_DAYS} days after an import ends): "
                    "upload it again."
                ]
            }
        )
    retried = (
        ImportJob.objects.filter(pk=job.pk, status=Status.FAILED)
        .exclude(file="")
        .update(status=Status.QUEUED, progress=0, finished_at=None, enqueued_at=None, message="")
    )
    if not retried:
        raise ValidationError({"status": ["Only a failed import can be retried."]})
    job.refresh_from_db()
    transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    return job
