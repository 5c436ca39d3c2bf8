"""Comments on the work (claims, documents, insights, opportunities, launches, diagnoses)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alignment.tenancy import WorkspaceScopedModel


class Comment(WorkspaceScopedModel):
    """A comment in the thread of one subject (a type registered in subjects.py and an id)."""

    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=10_000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "subject_type", "subject_id", "created_at"])]

    def __str__(self):
        return f"Comment by {self.author} on {self.subject_type} #{self.subject_id}"
