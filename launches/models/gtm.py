"""The workspace's GTM settings and calendar feeds, campaigns and releases."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from alignment.dates import date_span_validators
from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel
from alignment.tenancy import unique_per_workspace


class GtmSettings(WorkspaceScopedModel):
    """Per-workspace go-to-market settings (one row per workspace, created on first use)."""

    conflict_window_days = models.PositiveSmallIntegerField(
        default=3,
        db_default=3,
        help_text="A release within this many days before a campaign promoting its feature "
        "(or during it) is a conflict.",
    )

    class Meta:
        verbose_name = "GTM settings"
        verbose_name_plural = "GTM settings"
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="gtmsettings_one_per_workspace")
        ]

    def __str__(self):
        return f"GTM settings of {self.workspace}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(WorkspaceScopedModel):
    """The secret in a user's calendar.ics URL: calendar apps cannot send auth headers.

    It only reads the calendar of one workspace, and only while the user is a member.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="calendarfeed_one_per_user")
        ]

    def __str__(self):
        return f"Calendar feed of {self.user} in {self.workspace}"


class Campaign(WorkspaceScopedModel):
    """A marketing campaign: the unit imported campaign data attaches to, by name."""

    name = models.CharField(max_length=200)
    channel = models.CharField(
        max_length=60, blank=True, help_text="Main channel, e.g. email, paid_search, social."
    )
    features = models.ManyToManyField(
        "alignment.Feature", blank=True, related_name="campaigns", help_text="Promoted features."
    )
    start_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    end_date = models.DateField(null=True, blank=True, validators=date_span_validators())
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            # Imported rows find their campaign by name, so names are unique per workspace.
            unique_per_workspace("campaign"),
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
        return detail_url("launches:campaign_detail", self)

    def clean(self):
        super().clean()
        # The same rules as the constraints, named after their field for forms and the API.
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ["A campaign cannot end before it starts."]
        if self.budget is not None and self.budget < 0:
            errors["budget"] = ["The budget cannot be negative."]
        if errors:
            raise ValidationError(errors)


class Release(WorkspaceScopedModel):
    """A product release: the features it changes, on its date."""

    product = models.ForeignKey(
        "alignment.Product", on_delete=models.CASCADE, related_name="releases"
    )
    version = models.CharField(max_length=60)
    date = models.DateField(validators=date_span_validators())
    features = models.ManyToManyField("alignment.Feature", blank=True, related_name="releases")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "version"]
        constraints = [
            models.UniqueConstraint(
                "product",
                Lower("version"),
                name="release_unique_version_per_product",
                violation_error_message="This product already has a release with this version.",
            )
        ]

    def __str__(self):
        return f"{self.product.name} {self.version}"

    def get_absolute_url(self):
        return detail_url("launches:release_detail", self)
