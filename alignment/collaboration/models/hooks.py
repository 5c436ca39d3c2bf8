"""Webhooks: outbound subscriptions and their deliveries; the inbound secret and its log."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from alignment.tenancy import WorkspaceScopedModel


def new_secret() -> str:
    return secrets.token_hex(32)


class WebhookSubscription(WorkspaceScopedModel):
    """Where a workspace's events are POSTed: JSON signed with the secret, or Slack's shape."""

    class Format(models.TextChoices):
        JSON = "json", "JSON (signed)"
        SLACK = "slack", "Slack incoming webhook"

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event kinds to send.")
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.JSON)
    secret = models.CharField(max_length=64, default=new_secret)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.url


class WebhookDelivery(WorkspaceScopedModel):
    """One event sent to one subscription: its attempts and the last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("collaboration.Event", on_delete=models.CASCADE, related_name="+")
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event.kind} → {self.subscription.url} ({self.status})"


class InboundHook(WorkspaceScopedModel):
    """The workspace's inbound secret, which GitHub and Jira sign their posts with, and the
    signing secret Linear made for the workspace's Linear webhook, pasted by an admin (Linear
    posts are checked with it when set, with the inbound secret otherwise)."""

    secret = models.CharField(max_length=64, default=new_secret)
    rotated_at = models.DateTimeField(default=timezone.now)
    linear_secret = models.CharField(
        max_length=200,
        blank=True,
        help_text="Linear makes each webhook's signing secret itself: paste it here.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"], name="inbound_hook_once")]

    def __str__(self):
        return f"Inbound hooks of {self.workspace}"


class InboundDelivery(WorkspaceScopedModel):
    """The log of what came in and what it changed."""

    class Source(models.TextChoices):
        GITHUB = "github", "GitHub"
        JIRA = "jira", "Jira"
        LINEAR = "linear", "Linear"

    class Outcome(models.TextChoices):
        APPLIED = "applied", "Released features"
        IGNORED = "ignored", "Nothing to do"
        UNKNOWN = "unknown", "Unknown reference"

    source = models.CharField(max_length=8, choices=Source.choices)
    event = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    references = models.JSONField(default=list, blank=True)
    released_feature_ids = models.JSONField(default=list, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.source} {self.event}: {self.outcome}"
