"""The dashboard snapshot: what the dashboard shows, precomputed per workspace, and the
daily sums the next recompute starts from."""

from django.db import models

from alignment.tenancy import WorkspaceScopedModel


class DashboardSnapshot(WorkspaceScopedModel):
    """The workspace's dashboard, precomputed: pages and the API read this one row."""

    computed_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The window's per-day sums behind `data`: an import's recompute re-reads its own days.
    daily_sums = models.JSONField(default=dict, blank=True, editable=False)
    duration_ms = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # One more at every save: what readers make from `data` is cached under the version
    # (metrics.selectors.dashboard_cache_key), so a new snapshot is never shown stale.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], name="dashboardsnapshot_one_per_workspace"
            )
        ]

    def __str__(self):
        return f"Dashboard of {self.workspace_id} at {self.computed_at}"

    def save(self, *args, update_fields=None, **kwargs):
        # Writers hold the row (select_for_update), so counting here cannot race.
        self.version += 1
        if update_fields is not None:
            update_fields = {*update_fields, "version"}
        super().save(*args, update_fields=update_fields, **kwargs)
