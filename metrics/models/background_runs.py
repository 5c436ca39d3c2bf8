"""Background runs: a requested dashboard recompute or diagnostics run of a workspace.

The row is the outbox and owns the status, as an import job does (metrics.services.
background_runs): at most one run of a kind waits per workspace, and it is widened.
"""

from django.db import models

from alignment.tenancy import WorkspaceScopedModel


class BackgroundRun(WorkspaceScopedModel):
    """A dashboard recompute or diagnostics run that was asked for and has not ended: the
    task's lease, the way ImportJob is an import's.

    Requesting a run writes a queued row (one per workspace and kind: a later request
    widens it instead, so a burst of imports costs one recompute); the worker that claims
    it marks it running and writes a heartbeat while it works; the row is deleted when the
    run ends. Beat's sweeper re-queues a running row whose heartbeat went stale (its worker
    was killed) and publishes a queued row the broker never got, so a dead worker costs
    about a minute, not the broker's visibility timeout.
    """

    class Kind(models.TextChoices):
        DASHBOARD = "dashboard", "Dashboard recompute"
        DIAGNOSTICS = "diagnostics", "Diagnostics run"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    date_from = models.DateField(
        null=True, blank=True, help_text="The changed range (empty: recompute everything)."
    )
    date_to = models.DateField(null=True, blank=True)
    changed_kind = models.CharField(max_length=16, blank=True)
    rows_changed = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind"],
                condition=models.Q(status="queued"),
                name="metrics_one_queued_run_per_workspace_and_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"
