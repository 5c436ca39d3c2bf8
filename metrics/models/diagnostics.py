"""Diagnostics: the workspace's thresholds for the rules (metrics/diagnostics/), the
diagnoses the rules file, and the daily digest that mails them once a day per team."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel


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
        return detail_url("metrics:diagnosis_detail", self)


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
