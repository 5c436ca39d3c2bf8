"""Launch plans, their milestones and tasks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from alignment.dates import date_span_validators
from alignment.routing import detail_url
from alignment.teams import WORK_TEAM_CHOICES
from alignment.teams import Team
from alignment.tenancy import WorkspaceScopedModel
from launches.models.choices import Channel
from launches.models.choices import MilestoneKind
from launches.models.choices import Tier


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
        return detail_url("launches:launch_detail", self)


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
