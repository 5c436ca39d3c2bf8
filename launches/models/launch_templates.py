"""Launch templates per tier and their items (tasks and milestones at day offsets)."""

from django.db import models

from alignment.routing import detail_url
from alignment.teams import WORK_TEAM_CHOICES
from alignment.teams import Team
from alignment.tenancy import WorkspaceScopedModel
from alignment.tenancy import unique_per_workspace
from launches.models.choices import Channel
from launches.models.choices import MilestoneKind
from launches.models.choices import Tier


class LaunchTemplate(WorkspaceScopedModel):
    """Tasks and milestones at day offsets from a launch date, for one tier."""

    name = models.CharField(max_length=200)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.TIER_2)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tier", "name"]
        constraints = [unique_per_workspace("launchtemplate", noun="launch template")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("launches:template_detail", self)


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
