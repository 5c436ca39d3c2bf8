"""The stored files of import jobs (the upload, and the rejected rows' errors.csv).

They are kept `IMPORT_FILE_RETENTION_DAYS` after their job finished (0, the default: for as
long as the job exists); `import_files_prune` (a daily beat task) deletes older ones and
empties the job's file fields, keeping the job, its figures and its error sample. Deleting
a job (in the admin, or with its workspace) deletes its files too. A file name can be named
by more than one job (a re-upload of an identical file reuses the errors file; a workspace
restored on the same server names the same files), so a file is deleted only once no job
names it any more, after the transaction that released it committed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from metrics.models import ImportJob

logger = logging.getLogger(__name__)

PRUNED_NOTE = "The uploaded file and the rejected rows were deleted on {day} ({days} days kept)."


def _storage():
    return ImportJob._meta.get_field("file").storage


def _delete_unnamed(names) -> int:
    """Delete the stored files of `names` that no import job names any more."""
    names = {name for name in names if name}
    if not names:
        return 0
    named = ImportJob.objects.filter(Q(file__in=names) | Q(errors_file__in=names))
    still = set(named.values_list("file", flat=True)) | set(
        named.values_list("errors_file", flat=True)
    )
    storage = _storage()
    deleted = 0
    for name in sorted(names - still):
        try:
            storage.delete(name)
            deleted += 1
        except OSError:
            logger.warning("Could not delete the import file %s", name, exc_info=True)
    return deleted


def import_files_release(*, names) -> None:
    """Delete these files once the current transaction commits, if no job names them then."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_unnamed(names))


def import_files_prune(*, now=None) -> int:
    """Delete the files of jobs that finished more than IMPORT_FILE_RETENTION_DAYS ago;
    returns how many jobs lost their files (0 when the setting is 0: keep them)."""
    days = settings.IMPORT_FILE_RETENTION_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    due = (
        ImportJob.objects.filter(
            status__in=ImportJob.FINISHED, finished_at__lt=now - timedelta(days=days)
        )
        .exclude(file="", errors_file="")
        .values_list("pk", "file", "errors_file", "message")
    )
    note = PRUNED_NOTE.format(day=timezone.localdate(now).isoformat(), days=days)
    pruned = 0
    for pk, file, errors_file, message in due.iterator():
        with transaction.atomic():
            # Guarded: a failed job retried meanwhile is queued again and keeps its file.
            changed = ImportJob.objects.filter(pk=pk, status__in=ImportJob.FINISHED).update(
                file="", errors_file="", message=f"{message}\n{note}".strip()
            )
            if changed:
                import_files_release(names=[file, errors_file])
                pruned += changed
    return pruned
