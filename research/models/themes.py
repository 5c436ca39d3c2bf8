"""What the text model makes of insights: their embeddings, the workspace's themes, and the
passages researchers highlight."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from alignment.tenancy import WorkspaceScopedModel
from research.models._common import MAX_TEXT_LENGTH
from research.models.insights import Insight
from research.models.insights import Tag
from research.models.personas import Persona


class InsightEmbedding(WorkspaceScopedModel):
    """An insight's vector (float32 bytes) under one model version; `text_hash` says which
    text it was computed from, so an unchanged insight is not embedded again."""

    insight = models.OneToOneField(Insight, on_delete=models.CASCADE, related_name="embedding")
    model_version = models.CharField(max_length=60)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Embedding of {self.insight_id} ({self.model_version})"


class Theme(WorkspaceScopedModel):
    """A group of insights about one thing. Recomputes keep a theme's id, its label once a PM
    renamed it (label_locked), its pin, and the insights placed in it by hand."""

    label = models.CharField(max_length=120)
    label_locked = models.BooleanField(default=False, help_text="Renamed by a person.")
    pinned = models.BooleanField(default=False, help_text="Kept even when empty.")
    terms = models.JSONField(default=list, blank=True)
    centroid = models.BinaryField(null=True, blank=True)
    insights = models.ManyToManyField(
        Insight, through="ThemeMembership", related_name="themes", blank=True
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pinned", "label", "id"]

    def __str__(self):
        return self.label


class ThemeMembership(WorkspaceScopedModel):
    """An insight in a theme: placed by the clustering, or by a person (manual), which a
    recompute keeps."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships")
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="theme_memberships")
    manual = models.BooleanField(default=False)
    score = models.FloatField(default=0.0, help_text="Similarity to the theme's centre.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["insight"], name="theme_membership_one_per_insight")
        ]

    def __str__(self):
        return f"{self.insight_id} in {self.theme_id}"


class Highlight(WorkspaceScopedModel):
    """A passage of an insight's body, saved with tags and optionally a persona or feature:
    evidence in its own right."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="highlights")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    tags = models.ManyToManyField(Tag, blank=True, related_name="highlights")
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="highlights"
    )
    feature = models.ForeignKey(
        "alignment.Feature",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="research_highlights",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["insight", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="highlight_not_empty"
            )
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return f"{self.insight.get_absolute_url()}#highlight-{self.pk}"
