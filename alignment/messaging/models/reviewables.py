"""Claims and handoff documents, which go through review, and their reviews."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from alignment.messaging.models.choices import ReviewStatus
from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel


class Reviewable(WorkspaceScopedModel):
    """Shared fields of what goes through review: draft -> in_review -> approved, or
    changes_requested (back to the author, who edits and submits again)."""

    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def supported(self) -> bool:
        """False while the feature it talks about is not released (or is retired)."""
        feature = getattr(self, "feature", None)
        return feature is None or feature.is_released


class Claim(Reviewable):
    headline = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    proof_point = models.TextField(blank=True, help_text="The evidence that backs the claim.")
    feature = models.ForeignKey(
        "alignment.Feature", on_delete=models.CASCADE, related_name="claims"
    )
    personas = models.ManyToManyField("research.Persona", blank=True, related_name="claims")

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return detail_url("messaging:claim_detail", self)


class HandoffDocument(Reviewable):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", "Internal press release"
        FEATURE_DEFINITION = "feature_definition", "Feature definition"
        DEMO_SCRIPT = "demo_script", "Demo script"
        USER_SCENARIO = "user_scenario", "User scenario"
        FAQ = "faq", "FAQ"
        BATTLECARD = "battlecard", "Battlecard"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    feature = models.ForeignKey(
        "alignment.Feature", on_delete=models.CASCADE, related_name="handoff_documents"
    )
    competitor = models.ForeignKey(
        "research.Competitor",
        # Deleting a competitor in research must not fail there; the battlecard then asks
        # for another competitor when it is next edited.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="battlecards",
        help_text="Battlecards only: the competitor it argues against.",
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("messaging:document_detail", self)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.BATTLECARD and self.competitor_id is None:
            raise ValidationError({"competitor": ["A battlecard needs the competitor it is for."]})
        if self.kind != self.Kind.BATTLECARD and self.competitor_id is not None:
            raise ValidationError({"competitor": ["Only battlecards name a competitor."]})


class Review(WorkspaceScopedModel):
    """One review decision, kept as history for a claim or a document."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        REQUEST_CHANGES = "request_changes", "Request changes"

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    document = models.ForeignKey(
        HandoffDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claim__isnull=False, document__isnull=True)
                | models.Q(claim__isnull=True, document__isnull=False),
                name="review_of_claim_or_document",
            )
        ]
