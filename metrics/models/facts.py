"""The fact tables: campaign metrics, product usage and survey answers.

Fact tables reference their dimensions (campaigns, products, features) with
`db_constraint=False`: a foreign-key trigger per row costs more than the whole rest of an
import (DESIGN.md, "The data path"). The import creates dimension rows first, in the same
transaction, and tests/metrics/test_services.py checks that no fact is orphaned. Each fact
table has exactly one index besides its primary key: the unique natural key, led by
(workspace, date) so it also serves the KPI engine's date-range scans.
"""

from django.db import models

from alignment.tenancy import WorkspaceScopedModel


def _fact_fk(to, **kwargs):
    """A reference from a fact to a dimension: no database constraint and no index of its
    own (the natural key is the index); deleting the dimension still deletes its facts."""
    return models.ForeignKey(
        to,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
        **kwargs,
    )


class CampaignMetric(WorkspaceScopedModel):
    """One campaign's numbers for one day on one channel (natural key)."""

    workspace = _fact_fk("alignment.Workspace")
    campaign = _fact_fk("launches.Campaign")
    date = models.DateField()
    channel = models.CharField(max_length=60, blank=True, default="")
    spend = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    visits = models.BigIntegerField(default=0)
    leads = models.BigIntegerField(default=0)
    purchases = models.BigIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "campaign_id", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "date", "campaign", "channel"],
                name="campaignmetric_natural_key",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.date} {self.channel}"


class UsageMetric(WorkspaceScopedModel):
    """A feature's usage for one day; with no feature, the product's own totals.

    NULL never equals NULL in a plain unique index, so the product-total rows have their
    own partial unique index (works on PostgreSQL and SQLite alike).
    """

    workspace = _fact_fk("alignment.Workspace")
    product = _fact_fk("alignment.Product")
    feature = _fact_fk("alignment.Feature", null=True, blank=True)
    date = models.DateField()
    active_users = models.BigIntegerField(default=0)
    events = models.BigIntegerField(default=0)
    new_users = models.BigIntegerField(default=0)
    retained_users = models.BigIntegerField(default=0)
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "product_id", "feature_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "date", "product", "feature"],
                name="usagemetric_natural_key",
            ),
            models.UniqueConstraint(
                fields=["workspace", "date", "product"],
                condition=models.Q(feature__isnull=True),
                name="usagemetric_product_total_key",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}/{self.feature_id or '-'} {self.date}"


class SurveyResponse(WorkspaceScopedModel):
    workspace = _fact_fk("alignment.Workspace")

    class Scale(models.TextChoices):
        NPS = "nps", "NPS (0-10)"
        CSAT = "csat", "CSAT (1-5)"

    survey = models.CharField(max_length=200)
    respondent = models.CharField(max_length=200)
    submitted_at = models.DateTimeField()
    scale = models.CharField(max_length=8, choices=Scale.choices, default=Scale.NPS)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True, default="")
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "submitted_at", "survey", "respondent"],
                name="surveyresponse_natural_key",
            )
        ]

    def __str__(self):
        return f"{self.survey} / {self.respondent} ({self.score})"
