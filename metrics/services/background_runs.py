"""Writes of background runs: dashboard recomputes and diagnostics runs, requested after
a change and run by a worker.

The run row is the outbox and owns the status, as an import job does: a burst of requests
widens the one waiting run, a redelivered message finds it claimed, and a run whose worker
went silent is put back by the sweeper.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alignment.queueing import publish
from metrics.models import BackgroundRun
from metrics.services._common import _heartbeat
from metrics.services._common import _publish_outbox

logger = logging.getLogger(__name__)
RunKind = BackgroundRun.Kind
RunStatus = BackgroundRun.Status
RUN_WORKER_STOPPED = "Retrying: its worker stopped."


def background_run_request(
    *,
    workspace_id: int,
    kind: str,
    date_from: date | None = None,
    date_to: date | None = None,
    changed_kind: str = "",
    rows_changed: int = 0,
) -> BackgroundRun:
    """Ask for a dashboard recompute or a diagnostics run of a workspace; its task is
    published once the caller's transaction commits. A run of that kind already waiting for
    a worker is widened instead (a burst of imports costs one recompute); a running one is
    left alone and a new one queued, so no change made meanwhile is missed. A dashboard run
    without dates recomputes everything."""
    fields = {
        "date_from": date_from,
        "date_to": date_to if date_from is not None else None,
        "changed_kind": changed_kind or "",
        "rows_changed": rows_changed,
    }
    while True:
        with transaction.atomic():
            run = (
                BackgroundRun.objects.select_for_update()
                .filter(workspace_id=workspace_id, kind=kind, status=RunStatus.QUEUED)
                .first()
            )
            if run is not None:
                _widen(run, date_from, date_to, changed_kind, rows_changed)
                return run
            try:
                with transaction.atomic():
                    run = BackgroundRun.objects.create(
                        workspace_id=workspace_id, kind=kind, **fields
                    )
                break
            except IntegrityError:
                continue  # another request queued one meanwhile: widen that one
    run_id = run.pk
    transaction.on_commit(lambda: background_run_enqueue(run_id=run_id))
    return run


def _widen(run: BackgroundRun, date_from, date_to, changed_kind: str, rows_changed: int) -> None:
    if run.date_from is not None:
        if date_from is None:
            run.date_from = run.date_to = None  # everything
        else:
            run.date_from = min(run.date_from, _as_date(date_from))
            run.date_to = max(run.date_to, _as_date(date_to or date_from))
    if rows_changed > run.rows_changed:  # statistics follow the larger change
        run.changed_kind, run.rows_changed = changed_kind or "", rows_changed
    run.save(update_fields=["date_from", "date_to", "changed_kind", "rows_changed"])


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def background_run_enqueue(*, run_id: int) -> bool:
    """Publish a queued run's task; False when the broker is unreachable (it stays in the
    outbox for the sweeper)."""
    from metrics import tasks

    run = BackgroundRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is None:
        return True  # claimed or ended meanwhile
    if run.kind == RunKind.DASHBOARD:
        published = publish(
            tasks.recompute_dashboard,
            run.workspace_id,
            run.date_from,
            run.date_to,
            changed_kind=run.changed_kind or None,
            rows_changed=run.rows_changed,
            run_id=run_id,
        )
    else:
        published = publish(tasks.run_diagnostics, run.workspace_id, run_id=run_id)
    if published:
        BackgroundRun.objects.filter(
            pk=run_id, status=RunStatus.QUEUED, enqueued_at__isnull=True
        ).update(enqueued_at=timezone.now())
    return published


@contextlib.contextmanager
def background_run_lease(*, run_id: int, heartbeat: bool):
    """Claim a requested run for the block: yields the run (its range as widened until the
    claim), or None when it ended or another worker has it (a redelivered message). While
    the block runs, `heartbeat` marks it alive; when the block ends, however it ends, the
    run is over and its row goes (a failed recompute waits for the next request or the
    beat schedule instead of looping)."""
    with transaction.atomic():
        run = (
            BackgroundRun.objects.select_for_update()
            .filter(pk=run_id, status=RunStatus.QUEUED)
            .first()
        )
        if run is not None:
            now = timezone.now()
            run.status, run.started_at, run.heartbeat_at = RunStatus.RUNNING, now, now
            run.attempts += 1
            run.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
    if run is None:
        yield None
        return
    alive = BackgroundRun.objects.filter(pk=run_id, status=RunStatus.RUNNING)
    try:
        with _heartbeat(alive, f"{run.kind}-{run_id}") if heartbeat else contextlib.nullcontext():
            yield run
    finally:
        alive.delete()


def background_runs_sweep() -> int:
    """Re-queue runs whose worker went silent (no heartbeat for
    RELIABILITY_STALE_AFTER_SECONDS), then publish queued runs the broker never got or
    lost. Returns how many were published."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.RELIABILITY_STALE_AFTER_SECONDS)
    requeued = 0
    for run in BackgroundRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=stale):
        # A newer request may be queued already: fold the lost run into it.
        with transaction.atomic():
            waiting = (
                BackgroundRun.objects.select_for_update()
                .filter(workspace_id=run.workspace_id, kind=run.kind, status=RunStatus.QUEUED)
                .first()
            )
            lost = BackgroundRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING)
            if waiting is not None:
                _widen(waiting, run.date_from, run.date_to, run.changed_kind, run.rows_changed)
                requeued += lost.delete()[0]
            else:
                requeued += lost.update(
                    status=RunStatus.QUEUED, enqueued_at=None, message=RUN_WORKER_STOPPED
                )
    if requeued:
        logger.warning("Re-queued %s background run(s) whose worker stopped", requeued)
    return _publish_outbox(
        BackgroundRun.objects.filter(status=RunStatus.QUEUED),
        retried=Q(attempts__gt=0),
        enqueue=lambda pk: background_run_enqueue(run_id=pk),
    )
