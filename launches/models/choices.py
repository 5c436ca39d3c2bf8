"""The choices several launches models share: channels, tiers and milestone kinds."""

from django.db import models

from alignment.teams import Team


class Channel(models.TextChoices):
    BLOG = "blog", "Blog"
    SOCIAL = "social", "Social"
    EMAIL = "email", "Email"
    PR = "pr", "PR"
    WEBINAR = "webinar", "Webinar"
    DOCS = "docs", "Docs"
    IN_APP = "in_app", "In-app"


class Tier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1 (major)"
    TIER_2 = 2, "Tier 2"
    TIER_3 = 3, "Tier 3 (minor)"


class MilestoneKind(models.TextChoices):
    CONTENT_READY = "content_ready", "Content ready"
    SALES_TRAINED = "sales_trained", "Sales trained"
    SUPPORT_ENABLED = "support_enabled", "Support enabled"
    CUSTOMERS_CONTACTED = "customers_contacted", "Customers contacted"
    GENERAL_AVAILABILITY = "general_availability", "General availability"
    CUSTOM = "custom", "Custom"

    @classmethod
    def default_team(cls, kind: str) -> str:
        return {
            cls.CONTENT_READY: Team.MARKETING,
            cls.SALES_TRAINED: Team.SALES,
            cls.SUPPORT_ENABLED: Team.SUPPORT,
            cls.CUSTOMERS_CONTACTED: Team.MARKETING,
            cls.GENERAL_AVAILABILITY: Team.PRODUCT,
        }.get(kind, Team.PRODUCT)

    @classmethod
    def pre_launch(cls) -> frozenset[str]:
        """Milestones that belong before the launch date: due later is allowed but flagged."""
        return frozenset({cls.CONTENT_READY, cls.SALES_TRAINED, cls.SUPPORT_ENABLED})
