"""Writes of import jobs: storing an upload as a queued job, and importing rows sent as
JSON through the same pipeline.

An import is stored first (`import_job_create`), then handed to a worker
(`import_queue.py`) and run by a Celery task (`import_runs.py`: `import_job_run`), so no
web request ever parses a large file. Every transition of a job is a conditional UPDATE on
its status, so a retried or redelivered task changes nothing once the job has finished,
and the merge itself is idempotent on the natural keys.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from alignment.models import Workspace
from alignment.tenancy import INVALID_CHOICE
from metrics.importing.reader import CONTRACTS
from metrics.importing.reader import PRESETS
from metrics.models import ColumnMapping
from metrics.models import ImportJob
from metrics.models import ImportKind
from metrics.services.import_queue import import_job_enqueue
from metrics.services.import_runs import import_job_run


def max_import_size() -> int:
    return getattr(settings, "METRICS_IMPORT_MAX_SIZE", settings.MAX_UPLOAD_SIZE)


def _validate_choice(kind: str, mapping: ColumnMapping | None, preset: str, workspace) -> None:
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(ImportKind.values)}."]})
    if mapping is not None and (mapping.workspace_id != workspace.pk or mapping.kind != kind):
        raise ValidationError({"mapping": [INVALID_CHOICE]})
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


def import_job_create_from_path(*, path: Path, **options) -> ImportJob:
    """`import_job_create` of a file on this server's disk (the import_data command, the load
    and benchmark runs), under its own name."""
    path = Path(path)
    with path.open("rb") as handle:
        return import_job_create(file=File(handle, name=path.name), **options)


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
