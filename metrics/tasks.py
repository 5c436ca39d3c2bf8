"""Celery tasks of the metrics app: thin, ids in, one service call out."""

import random
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError
from django.db import OperationalError

from alignment.models import Workspace
from alignment.teams import WORK_TEAMS
from metrics import services
from metrics.models import BackgroundRun
from metrics.models import ImportJob

RunKind = BackgroundRun.Kind

QUEUE = {"queue": settings.METRICS_TASK_QUEUE} if settings.METRICS_TASK_QUEUE else {}


# Lost or refused database connections (a restart, a failover): worth another try.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def backoff_seconds(retries: int) -> float:
    """Exponential backoff with full jitter: 0..base*2**retries, capped."""
    ceiling = min(
        settings.RELIABILITY_RETRY_BACKOFF_MAX,
        settings.RELIABILITY_RETRY_BACKOFF * (2**retries),
    )
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not cryptography


@shared_task(
    bind=True,
    name="metrics.run_import",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.RELIABILITY_TASK_MAX_RETRIES,
    **QUEUE,
)
def run_import(self, job_id: int) -> str:
    try:
        job = ImportJob.objects.select_related("workspace", "mapping").filter(pk=job_id).first()
        if job is None:
            return "missing"
        services.import_job_run(job=job, heartbeat=not self.request.is_eager)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            reason = f"the database stayed unreachable ({type(error).__name__})"
            services.import_job_give_up(job_id=job_id, reason=reason)
            raise
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from error
    return job.status


@shared_task(name="metrics.prune_import_files", **QUEUE)
def prune_import_files() -> int:
    """The beat schedule's daily entry: delete import files past IMPORT_FILE_RETENTION_DAYS."""
    return services.import_files_prune()


@shared_task(name="metrics.sweep_imports", **QUEUE)
def sweep_imports() -> int:
    """The beat schedule's outbox sweeper: re-queue imports and background runs whose
    worker stopped, publish those the broker never got."""
    return services.import_jobs_sweep() + services.background_runs_sweep()


@shared_task(
    bind=True,
    name="metrics.recompute_dashboard",
    acks_late=True,
    reject_on_worker_lost=True,
    **QUEUE,
)
def recompute_dashboard(
    self,
    workspace_id: int,
    date_from=None,
    date_to=None,
    *,
    changed_kind=None,
    rows_changed=0,
    run_id: int | None = None,
) -> str:
    """A requested recompute (`run_id`: see services.background_run_request), after an
    import (`changed_kind`, `rows_changed`: fresh statistics first, when the import changed
    much of its fact table) or on the beat schedule; then a diagnostics run."""
    if run_id is None:
        return _recompute(workspace_id, date_from, date_to, changed_kind, rows_changed)
    with services.background_run_lease(run_id=run_id, heartbeat=not self.request.is_eager) as run:
        if run is None:
            return "done"  # ran already: a redelivered message
        return _recompute(
            run.workspace_id, run.date_from, run.date_to, run.changed_kind, run.rows_changed
        )


def _recompute(workspace_id, date_from, date_to, changed_kind, rows_changed) -> str:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "missing"
    if changed_kind:
        services.facts_analyze_if_stale(kind=changed_kind, rows_changed=rows_changed)
    services.dashboard_recompute(workspace=workspace, date_from=date_from, date_to=date_to)
    services.background_run_request(workspace_id=workspace_id, kind=RunKind.DIAGNOSTICS)
    return "ok"


@shared_task(name="metrics.recompute_all_dashboards", **QUEUE)
def recompute_all_dashboards() -> int:
    """The beat schedule's entry: one recompute per workspace."""
    return _request_for_every_workspace(RunKind.DASHBOARD)


def _request_for_every_workspace(kind: str) -> int:
    ids = list(Workspace.objects.values_list("pk", flat=True))
    for workspace_id in ids:
        services.background_run_request(workspace_id=workspace_id, kind=kind)
    return len(ids)


@shared_task(
    bind=True, name="metrics.run_diagnostics", acks_late=True, reject_on_worker_lost=True, **QUEUE
)
def run_diagnostics(self, workspace_id: int, *, run_id: int | None = None) -> str:
    """Run the diagnostic rules for one workspace (after each recompute, and on the beat)."""
    if run_id is None:
        return _diagnose(workspace_id)
    with services.background_run_lease(run_id=run_id, heartbeat=not self.request.is_eager) as run:
        return "done" if run is None else _diagnose(run.workspace_id)


def _diagnose(workspace_id: int) -> str:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "missing"
    result = services.diagnostics_run(workspace=workspace)
    return f"created {len(result.created)}, resolved {len(result.resolved)}"


@shared_task(name="metrics.run_all_diagnostics", **QUEUE)
def run_all_diagnostics() -> int:
    """The beat schedule's entry: one diagnostics run per workspace."""
    return _request_for_every_workspace(RunKind.DIAGNOSTICS)


@shared_task(
    name="metrics.diagnostics_digest",
    acks_late=True,
    reject_on_worker_lost=True,
    # A mail server down or refusing: the day stays unclaimed, try again later.
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
    **QUEUE,
)
def diagnostics_digest(workspace_id: int, team: str) -> int:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    return services.diagnostics_digest_send(workspace=workspace, team=team)


@shared_task(name="metrics.diagnostics_digest_all", **QUEUE)
def diagnostics_digest_all() -> int:
    """The beat schedule's daily entry: one digest task per workspace and team."""
    count = 0
    for workspace_id in Workspace.objects.values_list("pk", flat=True):
        for team in WORK_TEAMS:
            diagnostics_digest.delay(workspace_id, team)
            count += 1
    return count
