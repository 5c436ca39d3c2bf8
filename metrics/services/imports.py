"""Writes of import jobs: storing an upload, handing it to a worker, running it.

An import is stored first (`import_job_create`), then run by a Celery task
(`import_job_run`), so no web request ever parses a large file. Every transition of a job
is a conditional UPDATE on its status, so a retried or redelivered task changes nothing
once the job has finished, and the merge itself is idempotent on the natural keys.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.services.events import event_record
from alignment.models import Workspace
from alignment.queueing import publish
from metrics.importing.pipeline import Importer
from metrics.importing.reader import CONTRACTS, PRESETS, ImportFileError, open_table
from metrics.models import BackgroundRun, ColumnMapping, ImportJob, ImportKind
from metrics.services._common import _heartbeat, _publish_outbox
from metrics.services.background_runs import background_run_request

logger = logging.getLogger(__name__)
Status = ImportJob.Status
RunKind = BackgroundRun.Kind


def max_import_size() -> int:
    return getattr(settings, "METRICS_IMPORT_MAX_SIZE", settings.MAX_UPLOAD_SIZE)


# --- Import jobs ----------------------------------------------------------------------------


def _validate_choice(kind: str, mapping: ColumnMapping | None, preset: str, workspace) -> None:
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(ImportKind.values)}."]})
    if mapping is not None and (mapping.workspace_id != workspace.pk or mapping.kind != kind):
        raise ValidationError({"mapping": ["Select a valid choice. That choice does not exist."]})
    if preset and (preset not in PRESETS or PRESETS[preset]["kind"] != kind):
        raise ValidationError({"preset": ["Unknown column preset for this kind of file."]})


@transaction.atomic
def import_job_create(
    *,
    actor,
    workspace: Workspace,
    kind: str,
    file,
    mapping: ColumnMapping | None = None,
    preset: str = "",
    source: str = ImportJob.Source.UPLOAD,
    enqueue: bool = True,
) -> ImportJob:
    """Store an uploaded file as a queued import job; the task runs once this commits."""
    _validate_choice(kind, mapping, preset, workspace)
    if file is None:
        raise ValidationError({"file": ["No file was submitted."]})
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    if size > max_import_size():
        limit_mb = max_import_size() // (1024 * 1024)
        raise ValidationError({"file": [f"The file is larger than the {limit_mb} MB limit."]})
    if size == 0:
        raise ValidationError({"file": ["The submitted file is empty."]})
    digest = hashlib.sha256()
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    for chunk in chunks:
        digest.update(chunk)
    file.seek(0)
    name = getattr(file, "name", "") or f"{kind}.csv"
    job = ImportJob(
        workspace=workspace,
        kind=kind,
        source=source,
        original_name=name.rsplit("/", 1)[-1][:255],
        size=size,
        checksum=digest.hexdigest(),
        mapping=mapping,
        preset=preset,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    job.file.save(job.original_name, file if isinstance(file, File) else File(file), save=False)
    job.full_clean(exclude=["file", "errors_file"])
    job.save()
    if enqueue:
        transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    return job


# --- The outbox: a committed job always reaches a worker -------------------------------
#
# The job row is the outbox. `enqueued_at` stays empty until the broker accepted the task;
# when the broker is down the upload is still stored and the job says it waits for a
# worker, and `import_jobs_sweep` (a beat task) publishes it once the broker is back.

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
    retried = ImportJob.objects.filter(pk=job.pk, status=Status.FAILED).update(
        status=Status.QUEUED, progress=0, finished_at=None, enqueued_at=None, message=""
    )
    if not retried:
        raise ValidationError({"status": ["Only a failed import can be retried."]})
    job.refresh_from_db()
    transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    return job


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


JSON_MAX_ROWS = getattr(settings, "METRICS_JSON_MAX_ROWS", 10_000)


def import_rows(*, actor, workspace: Workspace, kind: str, rows) -> ImportJob:
    """Import a list of row objects (the API's JSON endpoints) through the same pipeline,
    synchronously: same validation, same idempotency, same result object."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": ["Unknown kind."]})
    if not isinstance(rows, list) or not rows:
        raise ValidationError({"rows": ["Send a non-empty JSON list of row objects."]})
    if len(rows) > JSON_MAX_ROWS:
        raise ValidationError({"rows": [f"At most {JSON_MAX_ROWS} rows per request."]})
    contract = CONTRACTS[kind]
    # Only the fields some row sends become columns: a measure no row names is kept on
    # the existing keys, as with a file that leaves the column out.
    sent = {name for row in rows if isinstance(row, dict) for name in row}
    fields = [name for name in contract.fields if name in sent or name in contract.required]
    buffer = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 - becomes the file
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(fields)
    for position, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationError({"rows": [f"Item {position} is not an object."]})
        unknown = sorted(set(row) - set(contract.fields))
        if unknown:
            raise ValidationError(
                {"rows": [f"Item {position}: unknown field(s) {', '.join(map(str, unknown))}."]}
            )
        writer.writerow(["" if row.get(name) is None else str(row[name]) for name in fields])
    text.flush()
    text.detach()
    buffer.seek(0)
    job = import_job_create(
        actor=actor,
        workspace=workspace,
        kind=kind,
        file=File(buffer, name=f"{kind}-rows.csv"),
        source=ImportJob.Source.API,
        enqueue=False,
    )
    return import_job_run(job=job)
