"""The activity feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alignment.tenancy import WorkspaceScopedModel


class ActivityEvent(WorkspaceScopedModel):
    """One line of the workspace's activity feed, written by the @tracked services."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveIntegerField()
    target_label = models.CharField(max_length=200)
    target_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"{self.actor} {self.verb} {self.target_type} {self.target_label}"
