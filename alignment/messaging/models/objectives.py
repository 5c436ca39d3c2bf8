"""Objectives and their KPI targets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from alignment.dates import date_span_validators
from alignment.messaging.models.choices import Kpi
from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel


class Objective(WorkspaceScopedModel):
    """A goal owned jointly by one product owner and one marketing owner."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    product = models.ForeignKey(
        "alignment.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    # Recommended, not required: a goal is often set before both owners are named.
    product_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marketing_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(validators=date_span_validators())
    period_end = models.DateField(validators=date_span_validators())
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="objective_ends_after_start",
                violation_error_message="The period cannot end before it starts.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("messaging:objective_detail", self)

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": ["The period cannot end before it starts."]})


class ObjectiveTarget(WorkspaceScopedModel):
    class Direction(models.TextChoices):
        UP = "up", "At least (higher is better)"
        DOWN = "down", "At most (lower is better)"

    class Scope(models.TextChoices):
        WORKSPACE = "workspace", "Whole workspace"
        PRODUCT = "product", "Product"
        FEATURE = "feature", "Feature"
        CAMPAIGN = "campaign", "Campaign"
        CHANNEL = "channel", "Channel"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(max_length=24, choices=Kpi.choices)
    target = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="The value to reach, as the API carries the KPI: a fraction for rates "
        "(0.035 is 3.5%), a ratio for ROAS, an amount in the workspace's currency for money, "
        "a score for NPS. For totals (spend, revenue, visits, purchases) the whole period's: "
        "while it runs, the share of it gone is due.",
    )
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    scope = models.CharField(
        max_length=10,
        choices=Scope.choices,
        default=Scope.WORKSPACE,
        help_text="What the KPI is measured over: the whole workspace (the default), a "
        "product, a feature, a campaign or a channel.",
    )
    scope_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The product, feature or campaign id, for those scopes.",
    )
    scope_value = models.CharField(
        max_length=60,
        blank=True,
        help_text="The channel's name, for a channel scope: one seen in the workspace's data.",
    )

    class Meta:
        ordering = ["objective", "id"]

    def __str__(self):
        from alignment.measures import engine  # the KPI engine formats the target

        return f"{self.get_kpi_display()} {engine().format_target_of(self)}"
