"""Feedback between the teams and its comments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from alignment.routing import detail_url
from alignment.teams import WORK_TEAM_CHOICES
from alignment.tenancy import WorkspaceScopedModel


class Feedback(WorkspaceScopedModel):
    """An item from one team to the other about a feature, campaign or launch."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    class SubjectType(models.TextChoices):
        FEATURE = "feature", "Feature"
        CAMPAIGN = "campaign", "Campaign"
        LAUNCH = "launch", "Launch"

    from_team = models.CharField(max_length=12, choices=WORK_TEAM_CHOICES)
    to_team = models.CharField(max_length=12, choices=WORK_TEAM_CHOICES)
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    subject_id = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_team=models.F("to_team")),
                name="feedback_between_two_teams",
                violation_error_message="Feedback goes from one team to another.",
            )
        ]
        indexes = [models.Index(fields=["workspace", "to_team", "status"])]

    def __str__(self):
        return self.title or self.body[:60]

    def get_absolute_url(self):
        return detail_url("messaging:feedback_detail", self)

    def clean(self):
        super().clean()
        if self.from_team and self.from_team == self.to_team:
            raise ValidationError({"to_team": ["Feedback goes to the other team."]})


class FeedbackComment(WorkspaceScopedModel):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]
