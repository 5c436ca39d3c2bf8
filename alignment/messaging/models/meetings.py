"""Sync meetings and their action items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alignment.dates import date_span_validators
from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel


class SyncMeeting(WorkspaceScopedModel):
    title = models.CharField(max_length=200, default="Product & marketing sync")
    date = models.DateField(validators=date_span_validators())
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    updates = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return detail_url("messaging:meeting_detail", self)


class ActionItem(WorkspaceScopedModel):
    meeting = models.ForeignKey(SyncMeeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_date", "id"]
        indexes = [models.Index(fields=["workspace", "owner", "done"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    @property
    def overdue(self) -> bool:
        return not self.done and self.due_date is not None and self.due_date < timezone.localdate()
