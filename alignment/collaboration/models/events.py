"""Events, the notifications they fan out to, and each member's email preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alignment.collaboration.kinds import Delivery
from alignment.collaboration.kinds import EventKind
from alignment.tenancy import WorkspaceScopedModel


class Event(WorkspaceScopedModel):
    """A change worth hearing about, recorded once by the service that made it (in its
    transaction) and fanned out after commit by a Celery task (fanned_out_at guards twice)."""

    kind = models.CharField(max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True, help_text="The subject's page.")
    message = models.CharField(max_length=400)
    data = models.JSONField(default=dict, blank=True)
    recipient_ids = models.JSONField(default=list, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-occurred_at"]),
            models.Index(
                fields=["occurred_at"],
                name="event_pending_fan_out",
                condition=models.Q(fanned_out_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.message


class Notification(WorkspaceScopedModel):
    """One member's copy of an event: read or not, mailed or not."""

    class Email(models.TextChoices):
        PENDING = "pending", "To send now"
        DIGEST = "digest", "In the next digest"
        SENT = "sent", "Sent"
        OFF = "off", "Not mailed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "workspace", "-created_at"]),
            models.Index(
                fields=["recipient", "workspace"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["email", "recipient"],
                name="notification_email_due",
                condition=models.Q(email__in=["pending", "digest"]),
            ),
        ]

    def __str__(self):
        return f"{self.recipient} ← {self.event}"


class NotificationPreference(models.Model):
    """How a member wants one kind of event mailed; absent rows mean kinds.default_delivery."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.delivery}"
