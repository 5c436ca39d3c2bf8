"""Choices and helpers messaging models share: review states, KPI names, page URLs."""

from __future__ import annotations

from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class Kpi(models.TextChoices):
    """The KPI names of API.md; the metrics engine computes each of them."""

    ROI = "roi", "ROI"
    ROAS = "roas", "ROAS"
    CONVERSION_RATE = "conversion_rate", "Conversion rate"
    LEAD_CONVERSION_RATE = "lead_conversion_rate", "Lead conversion rate"
    CTR = "ctr", "CTR"
    CPA = "cpa", "CPA"
    SPEND = "spend", "Spend"
    REVENUE = "revenue", "Revenue"
    VISITS = "visits", "Visits"
    PURCHASES = "purchases", "Purchases"
    ADOPTION = "adoption", "Adoption"
    RETENTION = "retention", "Retention"
    ACTIVE_USERS = "active_users", "Active users"
    NPS = "nps", "NPS"
    CSAT = "csat", "CSAT"
