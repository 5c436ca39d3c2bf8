"""Imported data: import jobs, the fact tables, survey answers and dashboard snapshots.

Fact tables reference their dimensions (campaigns, products, features) with
`db_constraint=False`: a foreign-key trigger per row costs more than the whole rest of an
import (DESIGN.md, "The data path"). The import creates dimension rows first, in the same
transaction, and tests/metrics/test_services.py checks that no fact is orphaned. Each fact
table has exactly one index besides its primary key: the unique natural key, led by
(workspace, date) so it also serves the KPI engine's date-range scans.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

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
        return reverse(
            "metrics:import_detail", kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk}
        )


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


def _fact_fk(to, **kwargs):
    """A reference from a fact to a dimension: no database constraint and no index of its
    own (the natural key is the index); deleting the dimension still deletes its facts."""
    return models.ForeignKey(
        to,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
        **kwargs,
    )


class CampaignMetric(WorkspaceScopedModel):
    """One campaign's numbers for one day on one channel (natural key)."""

    workspace = _fact_fk("alignment.Workspace")
    campaign = _fact_fk("launches.Campaign")
    date = models.DateField()
    channel = models.CharField(max_length=60, blank=True, default="")
    spend = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    visits = models.BigIntegerField(default=0)
    leads = models.BigIntegerField(default=0)
    purchases = models.BigIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "campaign_id", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "date", "campaign", "channel"],
                name="campaignmetric_natural_key",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.date} {self.channel}"


class UsageMetric(WorkspaceScopedModel):
    """A feature's usage for one day; with no feature, the product's own totals.

    NULL never equals NULL in a plain unique index, so the product-total rows have their
    own partial unique index (works on PostgreSQL and SQLite alike).
    """

    workspace = _fact_fk("alignment.Workspace")
    product = _fact_fk("alignment.Product")
    feature = _fact_fk("alignment.Feature", null=True, blank=True)
    date = models.DateField()
    active_users = models.BigIntegerField(default=0)
    events = models.BigIntegerField(default=0)
    new_users = models.BigIntegerField(default=0)
    retained_users = models.BigIntegerField(default=0)
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "product_id", "feature_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "date", "product", "feature"],
                name="usagemetric_natural_key",
            ),
            models.UniqueConstraint(
                fields=["workspace", "date", "product"],
                condition=models.Q(feature__isnull=True),
                name="usagemetric_product_total_key",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}/{self.feature_id or '-'} {self.date}"


class SurveyResponse(WorkspaceScopedModel):
    workspace = _fact_fk("alignment.Workspace")

    class Scale(models.TextChoices):
        NPS = "nps", "NPS (0-10)"
        CSAT = "csat", "CSAT (1-5)"

    survey = models.CharField(max_length=200)
    respondent = models.CharField(max_length=200)
    submitted_at = models.DateTimeField()
    scale = models.CharField(max_length=8, choices=Scale.choices, default=Scale.NPS)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True, default="")
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "submitted_at", "survey", "respondent"],
                name="surveyresponse_natural_key",
            )
        ]

    def __str__(self):
        return f"{self.survey} / {self.respondent} ({self.score})"


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


# --- Diagnostics ----------------------------------------------------------------------------


class DiagnosticSettings(WorkspaceScopedModel):
    """The workspace's thresholds for the diagnostic rules (metrics/diagnostics/).

    One row per workspace, created with the defaults on first use. Each field is read by
    the rule named in its prefix.
    """

    window_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days each rule looks back over (the current window)."
    )
    baseline_days = models.PositiveSmallIntegerField(
        default=56, help_text="Days before the window that form the trailing baseline."
    )
    # traffic_without_conversion
    twc_min_visits = models.PositiveIntegerField(
        default=500, help_text="Visits a campaign needs in the window before it is judged."
    )
    twc_max_ratio = models.DecimalField(
        max_digits=5,
        decimal_places=3,
        default=0.25,
        help_text="Flag when the conversion rate is below this share of its channel's.",
    )
    # promoted_feature_low_adoption
    adoption_min_users = models.PositiveIntegerField(
        default=200, help_text="Product active users (per day, on average) before judging."
    )
    adoption_max_ratio = models.DecimalField(
        max_digits=5,
        decimal_places=3,
        default=0.5,
        help_text="Flag when adoption is below this share of the product's median feature.",
    )
    # negative_roi
    roi_min_spend = models.DecimalField(
        max_digits=14, decimal_places=2, default=1000, help_text="Spend before ROI is judged."
    )
    roi_threshold = models.DecimalField(
        max_digits=6, decimal_places=3, default=0, help_text="Flag when ROI is below this."
    )
    # conversion_drop
    drop_min_visits = models.PositiveIntegerField(
        default=1000, help_text="Visits needed in the window and in the baseline each."
    )
    drop_z = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=3.0,
        help_text="z score of the two-proportion test below which the drop is flagged (-z).",
    )
    drop_min_relative = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0.2,
        help_text="And the rate must have fallen by at least this share of the baseline.",
    )
    # launch_at_risk
    launch_days_ahead = models.PositiveSmallIntegerField(
        default=21, help_text="Only launches this close (in days) are flagged."
    )

    class Meta:
        verbose_name_plural = "diagnostic settings"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], name="diagnosticsettings_one_per_workspace"
            )
        ]

    def __str__(self):
        return f"Diagnostic settings of {self.workspace_id}"

    def clean(self):
        super().clean()
        errors = {}
        if self.window_days is not None and not 1 <= self.window_days <= 180:
            errors["window_days"] = ["Between 1 and 180 days."]
        if self.baseline_days is not None and not 7 <= self.baseline_days <= 365:
            errors["baseline_days"] = ["Between 7 and 365 days."]
        for name in ("twc_max_ratio", "adoption_max_ratio", "drop_min_relative"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                errors[name] = ["A share between 0 and 1."]
        if self.drop_z is not None and self.drop_z <= 0:
            errors["drop_z"] = ["A positive z score (e.g. 3)."]
        if errors:
            raise ValidationError(errors)


class Diagnosis(WorkspaceScopedModel):
    """Something a rule found wrong, handed to the team that can fix it.

    At most one diagnosis per (workspace, rule, subject) is live (open or acknowledged):
    the next run updates it instead of adding another, and resolves it when the rule no
    longer holds. A dismissed one stays dismissed unless its `level` grows past
    `dismissed_level` (the evidence got worse).
    """

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        DISMISSED = "dismissed", "Dismissed"
        RESOLVED = "resolved", "Resolved"

    class SubjectType(models.TextChoices):
        CAMPAIGN = "campaign", "Campaign"
        FEATURE = "feature", "Feature"
        LAUNCH = "launch", "Launch"
        OBJECTIVE = "objective", "Objective"
        CHANNEL = "channel", "Channel"
        WORKSPACE = "workspace", "Workspace"
        CLAIM = "claim", "Claim"

    SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
    LIVE = (State.OPEN, State.ACKNOWLEDGED)

    rule = models.CharField(max_length=40)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    team = models.CharField(max_length=12, help_text="The team it is handed to.")
    informed_team = models.CharField(max_length=12, blank=True, help_text="Kept informed.")
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    subject_id = models.PositiveIntegerField(default=0)
    subject_key = models.CharField(
        max_length=80, blank=True, help_text="For subjects without an id (a channel's name)."
    )
    subject_label = models.CharField(max_length=200, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    level = models.FloatField(default=0, help_text="How bad, on the rule's own scale.")
    message = models.TextField()
    next_step = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=14, choices=State.choices, default=State.OPEN)
    detected_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was dismissed or acknowledged.")
    dismissed_level = models.FloatField(null=True, blank=True)
    feedback_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "diagnoses"
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "rule", "subject_type", "subject_id", "subject_key"],
                condition=models.Q(state__in=["open", "acknowledged", "dismissed"]),
                name="diagnosis_one_live_per_subject",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "state", "rule"]),
            models.Index(fields=["workspace", "subject_type", "subject_id"]),
        ]

    def __str__(self):
        return f"{self.rule_label}: {self.subject_label or self.subject_id}"

    @property
    def rule_label(self) -> str:
        """The rule as people read it ("Negative ROI"), not its snake_case name."""
        from metrics.diagnostics import rule_label  # the rules import this module

        return rule_label(self.rule)

    def get_absolute_url(self):
        kwargs = {"workspace_slug": self.workspace.slug, "pk": self.pk}
        return reverse("metrics:diagnosis_detail", kwargs=kwargs)


class DiagnosticDigest(WorkspaceScopedModel):
    """A daily digest sent to one team: its row claims the day, so it goes out once."""

    team = models.CharField(max_length=12)
    sent_on = models.DateField()
    diagnosis_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "team", "sent_on"], name="diagnosticdigest_once_a_day"
            )
        ]

    def __str__(self):
        return f"Digest to {self.team} on {self.sent_on}"
