"""Running an import job (the Celery task's body): claim it, read and merge the file,
finish it and tell its creator; or give it up when the task's retries are exhausted.

Idempotent and safe to retry: `_claim` and `_finish` are status-guarded UPDATEs, so a
redelivered task does nothing once the job has finished, and the merge is one transaction
and an upsert on the natural keys.
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.core.files import File
from django.db import OperationalError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.services.events import event_record
from metrics.importing.pipeline import Importer
from metrics.importing.reader import PRESETS
from metrics.importing.reader import ImportFileError
from metrics.importing.reader import open_table
from metrics.models import BackgroundRun
from metrics.models import ImportJob
from metrics.services._common import _heartbeat
from metrics.services.background_runs import background_run_request

logger = logging.getLogger(__name__)
Status = ImportJob.Status
RunKind = BackgroundRun.Kind


@transaction.atomic
def import_job_give_up(*, job_id: int, reason: str) -> None:
    """The task's retries are exhausted: the job fails with a clear status (retryable)."""
    failed = ImportJob.objects.filter(pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        message=f"The import did not complete: {reason}. Nothing of it was applied; retry it.",
    )
    if failed:
        _tell_creator(ImportJob.objects.select_related("workspace").get(pk=job_id))


def _claim(job: ImportJob) -> bool:
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(
        status=Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        attempts=F("attempts") + 1,
    )
    if claimed:
        job.status = Status.RUNNING
        job.attempts = ImportJob.objects.values_list("attempts", flat=True).get(pk=job.pk)
    return bool(claimed)


def _attempt_note(job: ImportJob) -> str:
    if job.attempts > 1:
        return f" Completed on attempt {job.attempts} (retried after an interruption)."
    return ""


@transaction.atomic
def _finish(job: ImportJob, **fields) -> bool:
    """The status-guarded end of a running job; the one that ends it tells its creator."""
    fields.setdefault("finished_at", timezone.now())
    done = ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(**fields)
    if done:
        for name, value in fields.items():
            setattr(job, name, value)
        _tell_creator(job)
    return bool(done)


def _tell_creator(job: ImportJob) -> None:
    """import.finished or import.failed, to whoever uploaded the file (the actor is the
    system, so the creator hears of their own import's end)."""
    name = f"{job.get_kind_display()} import “{job.original_name}”"
    if job.status == Status.FAILED:
        kind = EventKind.IMPORT_FAILED
        message = f"The {name} failed: {job.message}"
    else:
        kind = EventKind.IMPORT_FINISHED
        message = (
            f"The {name} finished: {job.rows_imported} rows imported"
            + (f", {job.rows_rejected} rejected" if job.rows_rejected else "")
            + "."
        )
    event_record(
        workspace=job.workspace,
        kind=kind,
        subject=job,
        recipients=[job.created_by_id],
        message=message,
        data={
            "status": job.status,
            "rows_read": job.rows_read,
            "rows_imported": job.rows_imported,
            "rows_rejected": job.rows_rejected,
        },
    )


def _previous_identical(job: ImportJob) -> ImportJob | None:
    """The latest finished import of this kind, if it had exactly this file and mapping.

    Only the latest counts: if anything was imported since, the same file may restore
    values and must run."""
    latest = (
        ImportJob.objects.in_workspace(job.workspace)
        .filter(kind=job.kind, status__in=[Status.SUCCEEDED, Status.SUCCEEDED_WITH_ERRORS])
        .exclude(pk=job.pk)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if (
        latest is not None
        and latest.checksum == job.checksum
        and latest.mapping_id == job.mapping_id
        and latest.preset == job.preset
    ):
        return latest
    return None


def import_job_run(
    *, job: ImportJob, force: bool = False, on_progress=None, heartbeat: bool = False
) -> ImportJob:
    """Run a queued import (the Celery task's body). Idempotent and safe to retry.

    `heartbeat`: a worker process marks the job alive while it runs (see `_heartbeat`);
    in-process (eager) runs have no worker to lose."""
    if not _claim(job):
        return job  # finished already: a redelivered task does nothing
    alive = ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING)
    with _heartbeat(alive, f"import-{job.pk}") if heartbeat else contextlib.nullcontext():
        return _run_claimed(job, force=force, on_progress=on_progress)


def _run_claimed(job: ImportJob, *, force: bool, on_progress) -> ImportJob:
    previous = None if force else _previous_identical(job)
    if previous is not None:
        _finish(
            job,
            status=previous.status,
            progress=100,
            rows_read=previous.rows_read,
            rows_imported=previous.rows_imported,
            rows_rejected=previous.rows_rejected,
            rows_changed=0,
            errors_file=previous.errors_file.name,
            error_sample=previous.error_sample,
            message=f"Identical to import #{previous.pk}: nothing changed.{_attempt_note(job)}",
        )
        return job

    def progress(percent: int, rows: int) -> None:
        ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            progress=percent, rows_read=rows, heartbeat_at=timezone.now()
        )
        if on_progress is not None:
            on_progress(percent, rows)

    columns, defaults = _mapping_of(job)
    started = time.monotonic()
    try:
        with job.file.open("rb") as handle:
            table = open_table(
                handle, job.kind, name=job.original_name, columns=columns, defaults=defaults
            )
            importer = Importer(
                workspace_id=job.workspace_id, kind=job.kind, job_id=job.pk, on_progress=progress
            )
            outcome = importer.run(table)
            if outcome.rows_read == 0:
                raise ImportFileError("The file has a header but no data rows.")
    except ImportFileError as error:
        _finish(job, status=Status.FAILED, message=str(error), progress=100)
        return job
    except OperationalError:
        # Lost database connection or the like: nothing was merged (the merge is one
        # transaction), so put the job back for the task's retry.
        with contextlib.suppress(OperationalError):
            ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(status=Status.QUEUED)
        raise
    except Exception as error:
        _finish(job, status=Status.FAILED, message=f"The import failed unexpectedly: {error}")
        raise
    logger.info(
        "Import job %s: %s rows read, timings %s", job.pk, outcome.rows_read, outcome.timings
    )
    errors_name = ""
    if outcome.errors_file is not None:
        with outcome.errors_file as handle:
            errors_name = job.errors_file.storage.save(
                f"imports/errors/job-{job.pk}-errors.csv", File(handle)
            )
    preset = table.mapping.preset or job.preset
    with transaction.atomic():  # the follow-up is requested with the result, or neither
        _finish_succeeded(job, outcome, errors_name, preset, started)
    return job


def _finish_succeeded(job, outcome, errors_name: str, preset: str, started: float) -> None:
    _finish(
        job,
        status=Status.SUCCEEDED_WITH_ERRORS if outcome.rows_rejected else Status.SUCCEEDED,
        progress=100,
        rows_read=outcome.rows_read,
        rows_imported=outcome.rows_imported,
        rows_rejected=outcome.rows_rejected,
        rows_changed=outcome.rows_changed,
        errors_file=errors_name,
        error_sample=outcome.error_sample,
        created_dimensions=outcome.created,
        date_from=outcome.date_from,
        date_to=outcome.date_to,
        preset=preset,
        message=" ".join(
            [
                f"Read {outcome.rows_read} rows in {time.monotonic() - started:.1f} s.",
                *outcome.notes,
            ]
        )
        + _attempt_note(job),
    )
    if outcome.rows_changed and outcome.date_from:
        # The follow-up task refreshes the planner's statistics first (off the import's own
        # time: ANALYZE of 1M facts takes 0.3-0.4 s), then recomputes the snapshot with them.
        background_run_request(
            workspace_id=job.workspace_id,
            kind=RunKind.DASHBOARD,
            date_from=outcome.date_from,
            date_to=outcome.date_to,
            changed_kind=job.kind,
            rows_changed=outcome.rows_changed,
        )


def _mapping_of(job: ImportJob):
    if job.mapping_id:
        return job.mapping.columns, job.mapping.defaults
    if job.preset:
        return PRESETS[job.preset]["columns"], PRESETS[job.preset]["defaults"]
    return None, None
