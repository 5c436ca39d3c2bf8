"""The record of overdue digests sent, so a rerun sends nothing twice."""

from django.conf import settings
from django.db import models

from alignment.tenancy import WorkspaceScopedModel


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
