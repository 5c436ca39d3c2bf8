"""Go-to-market: launch plans, their milestones and tasks, templates per tier, campaigns,
releases and the workspace's GTM settings (conflict window, calendar feeds)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from alignment.dates import date_span_validators
from alignment.models_messaging import WORK_TEAM_CHOICES, Team
from alignment.tenancy import WorkspaceScopedModel


class Channel(models.TextChoices):
    BLOG = "blog", "Blog"
    SOCIAL = "social", "Social"
    EMAIL = "email", "Email"
    PR = "pr", "PR"
    WEBINAR = "webinar", "Webinar"
    DOCS = "docs", "Docs"
    IN_APP = "in_app", "In-app"


class Tier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1 (major)"
    TIER_2 = 2, "Tier 2"
    TIER_3 = 3, "Tier 3 (minor)"


class MilestoneKind(models.TextChoices):
    CONTENT_READY = "content_ready", "Content ready"
    SALES_TRAINED = "sales_trained", "Sales trained"
    SUPPORT_ENABLED = "support_enabled", "Support enabled"
    CUSTOMERS_CONTACTED = "customers_contacted", "Customers contacted"
    GENERAL_AVAILABILITY = "general_availability", "General availability"
    CUSTOM = "custom", "Custom"

    @classmethod
    def default_team(cls, kind: str) -> str:
        return {
            cls.CONTENT_READY: Team.MARKETING,
            cls.SALES_TRAINED: Team.SALES,
            cls.SUPPORT_ENABLED: Team.SUPPORT,
            cls.CUSTOMERS_CONTACTED: Team.MARKETING,
            cls.GENERAL_AVAILABILITY: Team.PRODUCT,
        }.get(kind, Team.PRODUCT)

    @classmethod
    def pre_launch(cls) -> frozenset[str]:
        """Milestones that belong before the launch date: due later is allowed but flagged."""
        return frozenset({cls.CONTENT_READY, cls.SALES_TRAINED, cls.SUPPORT_ENABLED})


class GtmSettings(WorkspaceScopedModel):
    """Per-workspace go-to-market settings (one row per workspace, created on first use)."""

    conflict_window_days = models.PositiveSmallIntegerField(
        default=3,
        db_default=3,
        help_text="A release within this many days before a campaign promoting its feature "
        "(or during it) is a conflict.",
    )

    class Meta:
        verbose_name = "GTM settings"
        verbose_name_plural = "GTM settings"
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="gtmsettings_one_per_workspace")
        ]

    def __str__(self):
        return f"GTM settings of {self.workspace}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(WorkspaceScopedModel):
    """The secret in a user's calendar.ics URL: calendar apps cannot send auth headers.

    It only reads the calendar of one workspace, and only while the user is a member.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="calendarfeed_one_per_user")
        ]

    def __str__(self):
        return f"Calendar feed of {self.user} in {self.workspace}"


class Campaign(WorkspaceScopedModel):
    """A marketing campaign: the unit imported campaign data attaches to, by name."""

    name = models.CharField(max_length=200)
    channel = models.CharField(
        max_length=60, blank=True, help_text="Main channel, e.g. email, paid_search, social."
    )
    features = models.ManyToManyField(
        "alignment.Feature", blank=True, related_name="campaigns", help_text="Promoted features."
    )
    start_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    end_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            # Imported rows find their campaign by name, so names are unique per workspace.
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="campaign_unique_name_per_workspace",
                violation_error_message="A campaign with this name already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="campaign_ends_after_start",
                violation_error_message="A campaign cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="campaign_budget_not_negative",
                violation_error_message="The budget cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "launches:campaign_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )

    def clean(self):
        super().clean()
        # The same rules as the constraints, named after their field for forms and the API.
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ["A campaign cannot end before it starts."]
        if self.budget is not None and self.budget < 0:
            errors["budget"] = ["The budget cannot be negative."]
        if errors:
            raise ValidationError(errors)


class Release(WorkspaceScopedModel):
    """A product release: the features it changes, on its date."""

    product = models.ForeignKey(
        "alignment.Product", on_delete=models.CASCADE, related_name="releases"
    )
    version = models.CharField(max_length=60)
    date = models.DateField(validators=date_span_validators())
    features = models.ManyToManyField("alignment.Feature", blank=True, related_name="releases")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "version"]
        constraints = [
            models.UniqueConstraint(
                "product",
                Lower("version"),
                name="release_unique_version_per_product",
                violation_error_message="This product already has a release with this version.",
            )
        ]

    def __str__(self):
        return f"{self.product.name} {self.version}"

    def get_absolute_url(self):
        return reverse(
            "launches:release_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )


class LaunchTemplate(WorkspaceScopedModel):
    """Tasks and milestones at day offsets from a launch date, for one tier."""

    name = models.CharField(max_length=200)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.TIER_2)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tier", "name"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="launchtemplate_unique_name_per_workspace",
                violation_error_message="A launch template with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "launches:template_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )


class LaunchTemplateItem(WorkspaceScopedModel):
    class Kind(models.TextChoices):
        TASK = "task", "Task"
        MILESTONE = "milestone", "Milestone"

    template = models.ForeignKey(LaunchTemplate, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(max_length=200)
    team = models.CharField(max_length=16, choices=WORK_TEAM_CHOICES, default=Team.PRODUCT)
    offset_days = models.IntegerField(
        default=0, help_text="Days from the launch date: negative is before the launch."
    )
    milestone_kind = models.CharField(
        max_length=32,
        choices=MilestoneKind.choices,
        blank=True,
        help_text="For a milestone: its kind. For a task: the milestone it leads to.",
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    depends_on = models.JSONField(
        default=list,
        blank=True,
        help_text="For a task: the titles of the template's tasks it comes after. Applying "
        "the template links the launch's tasks the same way.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "offset_days", "position", "id"]

    def __str__(self):
        return f"{self.title} ({self.offset_days:+d} days)"


class Launch(WorkspaceScopedModel):
    """A joint launch plan of product and marketing."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        READY = "ready", "Ready"
        LAUNCHED = "launched", "Launched"
        REVIEWED = "reviewed", "Reviewed"

    # Allowed moves: forward one step, or back from ready to planning.
    TRANSITIONS = {
        Status.PLANNING: {Status.READY},
        Status.READY: {Status.PLANNING, Status.LAUNCHED},
        Status.LAUNCHED: {Status.REVIEWED},
        Status.REVIEWED: set(),
    }

    name = models.CharField(max_length=200)
    product = models.ForeignKey(
        "alignment.Product", on_delete=models.CASCADE, related_name="launches"
    )
    features = models.ManyToManyField("alignment.Feature", blank=True, related_name="launches")
    objectives = models.ManyToManyField(
        "alignment.Objective",
        blank=True,
        related_name="launches",
        help_text="The shared objectives this launch serves.",
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.TIER_2)
    launch_date = models.DateField(validators=date_span_validators())
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNING)
    goals = models.TextField(blank=True, help_text="What this launch must achieve.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["launch_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__gte=1, tier__lte=3), name="launch_tier_1_to_3"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "launches:launch_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )


class Milestone(WorkspaceScopedModel):
    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=32, choices=MilestoneKind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="Shown instead of the kind.")
    team = models.CharField(max_length=16, choices=WORK_TEAM_CHOICES, default=Team.PRODUCT)
    due_date = models.DateField(validators=date_span_validators())
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return self.launch.get_absolute_url()

    @property
    def label(self) -> str:
        return self.title or self.get_kind_display()

    def clean(self):
        super().clean()
        if self.kind == MilestoneKind.CUSTOM and not self.title:
            raise ValidationError({"title": ["A custom milestone needs a title."]})


class LaunchTask(WorkspaceScopedModel):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        DOING = "doing", "Doing"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"

    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    team = models.CharField(max_length=16, choices=WORK_TEAM_CHOICES, default=Team.PRODUCT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="launch_tasks",
    )
    due_date = models.DateField(validators=date_span_validators())
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TODO)
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        help_text="The milestone this task leads to: blocking it blocks the milestone.",
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.launch.get_absolute_url()

    def clean(self):
        super().clean()
        if self.milestone_id and self.launch_id and self.milestone.launch_id != self.launch_id:
            raise ValidationError({"milestone": ["Pick a milestone of the same launch."]})


class OverdueDigest(WorkspaceScopedModel):
    """One row per user and day a digest was sent: a rerun of the beat task sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    task_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user", "sent_on"], name="overduedigest_once_a_day"
            )
        ]
