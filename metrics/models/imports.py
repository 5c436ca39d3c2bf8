"""Import jobs and the column mappings they may use.

A job row owns its status and progress: every transition is a conditional UPDATE in
metrics.services (import_queue, import_runs), so a retried or redelivered task changes
nothing once it ended.
"""

from django.conf import settings
from django.db import models

from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel


class ImportKind(models.TextChoices):
    CAMPAIGN = "campaign", "Campaign metrics"
    USAGE = "usage", "Product usage"
    SURVEY = "survey", "Survey responses"


class ImportJob(WorkspaceScopedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        SUCCEEDED_WITH_ERRORS = "succeeded_with_errors", "Succeeded with errors"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        UPLOAD = "upload", "File upload"
        API = "api", "API rows"
        COMMAND = "command", "Command line"

    FINISHED = (Status.SUCCEEDED, Status.SUCCEEDED_WITH_ERRORS, Status.FAILED)

    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.UPLOAD)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(default=0)
    checksum = models.CharField(max_length=64, db_index=True)
    mapping = models.ForeignKey(
        "metrics.ColumnMapping", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preset = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker started this job (2+ means it was retried)."
    )
    enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the task was handed to the broker; empty while it waits (the outbox).",
    )
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last sign of life of the worker running it; a stale one is re-queued.",
    )
    message = models.TextField(blank=True, help_text="Why a whole file failed, or a note.")
    errors_file = models.FileField(upload_to="imports/errors/%Y/%m/", blank=True)
    error_sample = models.JSONField(default=list, blank=True)
    created_dimensions = models.JSONField(default=dict, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "kind", "-finished_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} import #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def get_absolute_url(self):
        return detail_url("metrics:import_detail", self)


class ColumnMapping(WorkspaceScopedModel):
    """A saved mapping of an export's headers onto the import contract.

    `columns` maps a source header (matched case-insensitively) to a contract field;
    `defaults` gives constant values for contract fields the export lacks.
    """

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    columns = models.JSONField(default=dict)
    defaults = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "name"], name="columnmapping_unique_name"
            )
        ]

    def __str__(self):
        return self.name
