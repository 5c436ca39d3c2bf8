"""Synthetic workspaces for measuring the rules: planted problems and healthy look-alikes.

`build(workspace, seed=...)` fills an empty workspace with 70 days of campaign and usage
facts ending `today`, plus objectives, launches, releases and claims, and returns the
truth: the set of (rule, subject_type, subject_id) the rules should find. Everything
else it makes is healthy, including the look-alikes that fool naive rules:

- small campaigns with no purchases and a loss (too few visits / too little spend);
- a weekly rhythm (weekends at half traffic and a lower rate) on every campaign;
- a seasonal dip: a campaign whose traffic halves in the window at the same rate;
- a mild, real but immaterial drop (-8%) on a large campaign;
- a drop on a campaign too small to test;
- a promoted feature a bit under the median, an unpromoted feature with low adoption,
  and a tiny product whose promoted feature nobody uses;
- an on-track objective, a launch far away with overdue work, a launch close by that is
  on time, a release of a feature nobody promotes, a released feature's claim and a draft
  claim.

Some planted problems trigger several rules at once (a checkout that collapses in the
window reads as a conversion drop, as traffic without conversion and as a negative ROI):
the truth names only the most specific rule, the one the others must fold into.
"""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from alignment.messaging.models import Claim
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import ReviewStatus
from alignment.models import Feature
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from launches.models import Campaign
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import Milestone
from launches.models import MilestoneKind
from launches.models import Release
from metrics.models import CampaignMetric
from metrics.models import UsageMetric

DAYS = 70  # the 14-day window and the 56-day baseline of the default settings
PRICE = 60


def _weekly(day: date) -> tuple[float, float]:
    """(traffic factor, rate factor) of a weekday: weekends are quiet and convert less."""
    return (0.5, 0.85) if day.weekday() >= 5 else (1.0, 1.0)


class Builder:
    def __init__(self, workspace, seed: int, today: date):
        self.workspace = workspace
        self.random = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.today = today
        self.days = [today - timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
        self.window_start = today - timedelta(days=13)
        self.facts: list[CampaignMetric] = []
        self.usage: list[UsageMetric] = []
        self.truth: set[tuple[str, str, int]] = set()
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix} {self.count}"

    def binomial(self, n: int, p: float) -> int:
        # Normal approximation, clipped: fast and good enough at these volumes.
        if n <= 0 or p <= 0:
            return 0
        mean, sd = n * p, (n * p * (1 - p)) ** 0.5
        return max(0, min(n, round(self.random.gauss(mean, sd))))

    def campaign(
        self,
        prefix,
        channel,
        visits,
        rate,
        *,
        window_visits=None,
        window_rate=None,
        roi=1.0,
        spend=None,
        only_window=False,
        start=None,
        end=None,
        features=(),
    ) -> Campaign:
        campaign = Campaign.objects.create(
            workspace=self.workspace,
            name=self.name(prefix),
            channel=channel,
            start_date=start or self.days[0],
            end_date=end,
        )
        if features:
            campaign.features.set(features)
        for day in self.days:
            in_window = day >= self.window_start
            if (only_window and not in_window) or day < campaign.start_date:
                continue
            traffic, rate_factor = _weekly(day)
            base_visits = window_visits if in_window and window_visits is not None else visits
            base_rate = window_rate if in_window and window_rate is not None else rate
            n = max(0, round(self.random.gauss(base_visits, base_visits * 0.05) * traffic))
            purchases = self.binomial(n, base_rate * rate_factor)
            revenue = Decimal(purchases * PRICE)
            if spend is not None:
                cost = Decimal(spend) * Decimal(traffic)
            else:
                # Spend set from the baseline's expected revenue and the wanted ROI.
                cost = Decimal(
                    round(base_visits * rate * rate_factor * PRICE * traffic / (1 + roi), 2)
                )
            self.facts.append(
                CampaignMetric(
                    workspace=self.workspace,
                    campaign=campaign,
                    date=day,
                    channel=channel,
                    spend=cost.quantize(Decimal("0.01")),
                    impressions=n * 20,
                    clicks=n * 2,
                    visits=n,
                    leads=n // 10,
                    purchases=purchases,
                    revenue=revenue,
                )
            )
        return campaign

    def product(self, name, daily_users, adoption: dict[str, float]) -> dict[str, Feature]:
        product = Product.objects.create(workspace=self.workspace, name=self.name(name))
        features = {}
        for label in adoption:
            feature = Feature.objects.create(
                workspace=self.workspace,
                product=product,
                name=self.name(label),
                status=Feature.Status.RELEASED,
            )
            features[label] = feature
        for day in self.days:
            traffic, _ = _weekly(day)
            users = max(1, round(self.random.gauss(daily_users, daily_users * 0.03) * traffic))
            self._usage(product, None, day, users)
            for label, share in adoption.items():
                active = self.binomial(users, share)
                self._usage(product, features[label], day, active)
        return features

    def _usage(self, product, feature, day, active_users: int) -> None:
        """A day of usage of `product` (or of one of its features); half the users retained."""
        self.usage.append(
            UsageMetric(
                workspace=self.workspace,
                product=product,
                feature=feature,
                date=day,
                active_users=active_users,
                retained_users=active_users // 2,
            )
        )

    def objective(self, title, users, kpi, target) -> Objective:
        """An objective of the 90 days around today with one target on the email channel."""
        objective = Objective.objects.create(
            workspace=self.workspace,
            title=title,
            product_owner=users[Role.PM],
            marketing_owner=users[Role.PMM],
            period_start=self.today - timedelta(days=30),
            period_end=self.today + timedelta(days=60),
        )
        ObjectiveTarget.objects.create(
            workspace=self.workspace,
            objective=objective,
            kpi=kpi,
            target=target,
            scope=ObjectiveTarget.Scope.CHANNEL,
            scope_value="email",
        )
        return objective

    def launch(self, prefix, product, days_out: int) -> Launch:
        return Launch.objects.create(
            workspace=self.workspace,
            name=self.name(prefix),
            product=product,
            launch_date=self.today + timedelta(days=days_out),
        )

    def milestone(self, launch, kind, team, days_out: int) -> None:
        Milestone.objects.create(
            workspace=self.workspace,
            launch=launch,
            kind=kind,
            team=team,
            due_date=self.today + timedelta(days=days_out),
        )

    def task(self, launch, title, team, days_out: int, **fields) -> None:
        LaunchTask.objects.create(
            workspace=self.workspace,
            launch=launch,
            title=title,
            team=team,
            due_date=self.today + timedelta(days=days_out),
            **fields,
        )

    def release(self, product, version, days_out: int, features) -> None:
        Release.objects.create(
            workspace=self.workspace,
            product=product,
            version=version,
            date=self.today + timedelta(days=days_out),
        ).features.set(features)

    def beta_claim(self, product, name, headline, status, author) -> Feature:
        """A beta feature of `product` and a claim about it; returns the feature."""
        beta = Feature.objects.create(
            workspace=self.workspace,
            product=product,
            name=self.name(name),
            status=Feature.Status.BETA,
        )
        Claim.objects.create(
            workspace=self.workspace,
            headline=headline,
            feature=beta,
            status=status,
            author=author,
        )
        return beta

    def plant(self, rule: str, subject_type: str, subject) -> None:
        self.truth.add((rule, subject_type, subject.pk))

    def save(self) -> None:
        CampaignMetric.objects.bulk_create(self.facts, batch_size=2000)
        UsageMetric.objects.bulk_create(self.usage, batch_size=2000)


def _users(workspace):
    User = get_user_model()
    users = {}
    for role in (Role.PM, Role.PMM):
        user, _ = User.objects.get_or_create(
            username=f"synthetic-{role}-{workspace.pk}",
            defaults={"email": f"{role}-{workspace.pk}@example.com"},
        )
        Membership.objects.get_or_create(workspace=workspace, user=user, defaults={"role": role})
        users[role] = user
    return users


def build(workspace, *, seed: int = 1, today: date | None = None, healthy_only: bool = False):
    """Fill `workspace` (empty) and return the planted truth {(rule, subject_type, id)}."""
    today = today or date.today()
    b = Builder(workspace, seed, today)
    users = _users(workspace)
    r = b.random

    # Healthy campaigns: several per channel, so one campaign never dominates its channel.
    for channel, rate in (("email", 0.04), ("paid_search", 0.03), ("social", 0.015)):
        for _ in range(6):
            b.campaign(f"{channel} evergreen", channel, r.randint(700, 1100), rate, roi=1.5)
    # Look-alikes.
    b.campaign("Tiny test", "social", 25, 0.0, spend=40)  # no sales, too small to judge
    b.campaign("Seasonal", "email", 1200, 0.04, window_visits=600, roi=1.2)  # traffic dip
    b.campaign("Slight dip", "paid_search", 3000, 0.03, window_rate=0.0276, roi=1.5)  # -8%
    b.campaign("Small dropper", "email", 40, 0.05, window_rate=0.01, roi=2.0)  # too small
    b.campaign("Thin margin", "paid_search", 800, 0.03, roi=0.3)  # thin but positive

    # Products and features: adoption shares per feature.
    core = b.product(
        "Core",
        2000,
        {"Reports": 0.30, "Alerts": 0.25, "Sharing": 0.20, "Search": 0.28, "Export": 0.18},
    )
    tiny = b.product("Side project", 30, {"Widget": 0.5, "Gadget": 0.01})
    legacy = b.product("Legacy", 800, {"Import": 0.3, "Old sync": 0.02, "Admin": 0.25})
    live_start = today - timedelta(days=20)
    b.campaign(
        "Export push", "email", 900, 0.04, roi=1.0, start=live_start, features=[core["Export"]]
    )
    b.campaign(
        "Gadget push", "social", 900, 0.015, roi=1.0, start=live_start, features=[tiny["Gadget"]]
    )

    # Objectives: one on track (revenue well ahead of its pro-rated target).
    b.objective("Grow signups", users, "conversion_rate", Decimal("0.01"))

    # Launches: far away with overdue work (not yet a risk), close by and on time.
    reports = core["Reports"].product
    far = b.launch("Q3 launch", reports, 60)
    b.task(far, "Draft brief", "marketing", -3)
    near_ok = b.launch("On-time launch", reports, 10)
    b.milestone(near_ok, MilestoneKind.CONTENT_READY, "marketing", 5)
    # A release of a feature nobody promotes; claims that are fine.
    b.release(reports, "9.1", 1, [core["Search"]])
    Claim.objects.create(
        workspace=workspace,
        headline="Reports in one click",
        feature=core["Reports"],
        status=ReviewStatus.APPROVED,
        author=users[Role.PMM],
    )
    b.beta_claim(
        reports, "AI summary", "Summaries written for you", ReviewStatus.DRAFT, users[Role.PMM]
    )

    if not healthy_only:
        _plant(b, core, legacy, users)
    b.save()
    return b.truth


def _plant(b: Builder, core, legacy, users) -> None:
    today = b.today
    # traffic_without_conversion: a new campaign with lots of visits and almost no sales.
    leaky = b.campaign("Leaky landing", "paid_search", 900, 0.002, spend=0, only_window=True)
    b.plant("traffic_without_conversion", "campaign", leaky)
    # negative_roi: spends three times what it earns, at a normal conversion rate.
    costly = b.campaign("Costly display", "social", 900, 0.015, roi=-0.65)
    b.plant("negative_roi", "campaign", costly)
    # conversion_drop: a large campaign whose rate halves in the window.
    dropping = b.campaign("Broken checkout", "email", 1500, 0.04, window_rate=0.02, roi=2.0)
    b.plant("conversion_drop", "campaign", dropping)
    # One change, several rules: conversion collapses in the window (a drop, traffic that
    # does not buy, and an ROI turned negative): one diagnosis, conversion_drop.
    collapsed = b.campaign("Collapsed checkout", "paid_search", 600, 0.03, window_rate=0.003)
    b.plant("conversion_drop", "campaign", collapsed)
    # promoted_feature_low_adoption: promoted now, used by almost nobody.
    start = today - timedelta(days=20)
    b.campaign("Sync push", "email", 900, 0.04, roi=1.0, start=start, features=[legacy["Old sync"]])
    b.plant("promoted_feature_low_adoption", "feature", legacy["Old sync"])
    # kpi_off_target: revenue far behind its pro-rated target.
    objective = b.objective("Revenue push", users, "revenue", Decimal("100000000"))
    b.plant("kpi_off_target", "objective", objective)
    # launch_at_risk: ten days out with an overdue milestone and a blocked task.
    risky = b.launch("Risky launch", core["Reports"].product, 10)
    b.milestone(risky, MilestoneKind.SALES_TRAINED, "sales", -2)
    b.task(risky, "Pricing page", "product", 3, status=LaunchTask.Status.BLOCKED)
    b.plant("launch_at_risk", "launch", risky)
    # release_campaign_conflict: a release changes a feature its running campaign promotes.
    promoted = b.campaign(
        "Alerts spring",
        "email",
        900,
        0.04,
        roi=1.0,
        start=today - timedelta(days=5),
        features=[core["Alerts"]],
    )
    b.release(core["Alerts"].product, "9.2", 2, [core["Alerts"]])
    b.plant("release_campaign_conflict", "campaign", promoted)
    # unsupported_claim: approved copy about a beta feature a live campaign promotes.
    reports = core["Reports"].product
    beta = b.beta_claim(
        reports, "Live sync", "Always in sync", ReviewStatus.APPROVED, users[Role.PMM]
    )
    b.campaign(
        "Sync ads", "social", 900, 0.015, roi=1.0, start=today - timedelta(days=7), features=[beta]
    )
    b.plant("unsupported_claim", "feature", beta)
