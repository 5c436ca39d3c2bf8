"""Opportunities, the evidence for and against them, and their status history."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel
from alignment.tenancy import unique_per_workspace
from research.markdown import render_markdown
from research.markdown import validate_safe_markdown
from research.models._common import MAX_BODY_LENGTH
from research.models._common import MAX_TEXT_LENGTH
from research.models.insights import Insight
from research.models.personas import Persona


class Horizon(models.TextChoices):
    """The roadmap's columns."""

    NOW = "now", "Now"
    NEXT = "next", "Next"
    LATER = "later", "Later"


class Opportunity(WorkspaceScopedModel):
    """A customer problem worth solving, stated as a hypothesis and validated by evidence."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        VALIDATING = "validating", "Validating"
        VALIDATED = "validated", "Validated"
        INVALIDATED = "invalidated", "Invalidated"

    # identified -> validating -> validated | invalidated; a decided one can be reopened.
    TRANSITIONS = {
        Status.IDENTIFIED: {Status.VALIDATING},
        Status.VALIDATING: {Status.VALIDATED, Status.INVALIDATED, Status.IDENTIFIED},
        Status.VALIDATED: {Status.VALIDATING},
        Status.INVALIDATED: {Status.VALIDATING},
    }

    title = models.CharField(max_length=200)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    problem = models.TextField(
        blank=True, help_text="…has <problem>", validators=[MaxLengthValidator(MAX_TEXT_LENGTH)]
    )
    reason = models.TextField(
        blank=True, help_text="…because <reason>", validators=[MaxLengthValidator(MAX_TEXT_LENGTH)]
    )
    signal = models.TextField(
        blank=True,
        help_text="…we will know we are right when <signal>",
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
    )
    description = models.TextField(
        blank=True,
        help_text="Markdown.",
        validators=[MaxLengthValidator(MAX_BODY_LENGTH), validate_safe_markdown],
    )
    features = models.ManyToManyField(
        "alignment.Feature", blank=True, related_name="research_opportunities"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDENTIFIED)
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    insights = models.ManyToManyField(
        Insight, through="Evidence", blank=True, related_name="opportunities"
    )
    # The hypothesis as written, when it is not in the "We believe … has … because …; we will
    # know we are right when …" shape (the parts above are then empty).
    hypothesis_text = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    # RICE: reach and confidence default to what the evidence shows (research.scoring); a
    # value here overrides it, with the reason.
    reach = models.PositiveIntegerField(null=True, blank=True)
    reach_reason = models.CharField(max_length=300, blank=True)
    impact = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    confidence = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    confidence_reason = models.CharField(max_length=300, blank=True)
    effort = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    horizon = models.CharField(  # noqa: DJ001 - null: not on the roadmap (API.md)
        max_length=5, choices=Horizon.choices, null=True, blank=True
    )
    roadmap_position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "opportunities"
        constraints = [unique_per_workspace("opportunity", "title")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("research:opportunity_detail", self)

    @property
    def hypothesis(self) -> str:
        """'We believe <persona> has <problem> because <reason>; we will know ... <signal>',
        or the hypothesis as written when it was kept as free text (hypothesis_text)."""
        if self.hypothesis_text:
            return self.hypothesis_text
        persona = self.persona.name if self.persona_id else "our customers"
        problem = self.problem.strip() or "…"
        reason = self.reason.strip() or "…"
        signal = self.signal.strip() or "…"
        return (
            f"We believe {persona} has {problem} because {reason}; "
            f"we will know we are right when {signal}"
        )

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class Evidence(WorkspaceScopedModel):
    """An insight supporting or contradicting an opportunity's hypothesis."""

    class Stance(models.TextChoices):
        SUPPORTING = "supporting", "Supporting"
        CONTRADICTING = "contradicting", "Contradicting"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="evidence")
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="evidence_links")
    # A highlighted passage of the insight, when the evidence is that passage.
    highlight = models.ForeignKey(
        "research.Highlight",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    stance = models.CharField(max_length=14, choices=Stance.choices, default=Stance.SUPPORTING)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stance", "-created_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "insight"],
                condition=models.Q(highlight__isnull=True),
                name="evidence_unique_insight_per_opportunity",
                violation_error_message="This insight is already evidence for the opportunity.",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "highlight"],
                condition=models.Q(highlight__isnull=False),
                name="evidence_unique_highlight_per_opportunity",
                violation_error_message="This highlight is already evidence for the opportunity.",
            ),
        ]

    def __str__(self):
        return f"{self.insight} ({self.stance}) → {self.opportunity}"


class OpportunityStatusChange(WorkspaceScopedModel):
    """Who moved an opportunity from one status to another, when and why."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=Opportunity.Status.choices)
    to_status = models.CharField(max_length=12, choices=Opportunity.Status.choices)
    reason = models.TextField(validators=[MaxLengthValidator(MAX_TEXT_LENGTH)])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.opportunity}: {self.from_status} → {self.to_status}"
