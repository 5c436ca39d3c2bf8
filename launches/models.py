from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from alignment.tenancy import WorkspaceScopedModel


class Campaign(WorkspaceScopedModel):
    """A marketing campaign: the unit imported campaign data attaches to, by name."""

    name = models.CharField(max_length=200)
    channel = models.CharField(
        max_length=60, blank=True, help_text="Main channel, e.g. email, paid_search, social."
    )
    features = models.ManyToManyField(
        "alignment.Feature", blank=True, related_name="campaigns", help_text="Promoted features."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            # Imported rows find their campaign by name, so names are unique per workspace.
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="campaign_unique_name_per_workspace",
                violation_error_message="A campaign with this name already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="campaign_ends_after_start",
                violation_error_message="A campaign cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="campaign_budget_not_negative",
                violation_error_message="The budget cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "launches:campaign_detail",
            kwargs={"workspace_slug": self.workspace.slug, "pk": self.pk},
        )
