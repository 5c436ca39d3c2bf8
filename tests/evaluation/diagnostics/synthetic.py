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
            self.usage.append(
                UsageMetric(
                    workspace=self.workspace,
                    product=product,
                    feature=None,
                    date=day,
                    active_users=users,
                    retained_users=users // 2,
                )
            )
            for label, share in adoption.items():
                active = self.binomial(users, share)
                self.usage.append(
                    UsageMetric(
                        workspace=self.workspace,
                        product=product,
                        feature=features[label],
                        date=day,
                        active_users=active,
                        retained_users=active // 2,
                    )
                )
        return features

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
    period_start, period_end = today - timedelta(days=30), today + timedelta(days=60)
    healthy_objective = Objective.objects.create(
        workspace=workspace,
        title="Grow signups",
        product_owner=users[Role.PM],
        marketing_owner=users[Role.PMM],
        period_start=period_start,
        period_end=period_end,
    )
    ObjectiveTarget.objects.create(
        workspace=workspace,
        objective=healthy_objective,
        kpi="conversion_rate",
        target=Decimal("0.01"),
        scope=ObjectiveTarget.Scope.CHANNEL,
        scope_value="email",
    )

    # Launches: far away with overdue work (not yet a risk), close by and on time.
    far = Launch.objects.create(
        workspace=workspace,
        name=b.name("Q3 launch"),
        product=core["Reports"].product,
        launch_date=today + timedelta(days=60),
    )
    LaunchTask.objects.create(
        workspace=workspace,
        launch=far,
        title="Draft brief",
        team="marketing",
        due_date=today - timedelta(days=3),
    )
    near_ok = Launch.objects.create(
        workspace=workspace,
        name=b.name("On-time launch"),
        product=core["Reports"].product,
        launch_date=today + timedelta(days=10),
    )
    Milestone.objects.create(
        workspace=workspace,
        launch=near_ok,
        kind=MilestoneKind.CONTENT_READY,
        team="marketing",
        due_date=today + timedelta(days=5),
    )
    # A release of a feature nobody promotes; claims that are fine.
    Release.objects.create(
        workspace=workspace,
        product=core["Reports"].product,
        version="9.1",
        date=today + timedelta(days=1),
    ).features.set([core["Search"]])
    Claim.objects.create(
        workspace=workspace,
        headline="Reports in one click",
        feature=core["Reports"],
        status=ReviewStatus.APPROVED,
        author=users[Role.PMM],
    )
    beta = Feature.objects.create(
        workspace=workspace,
        product=core["Reports"].product,
        name=b.name("AI summary"),
        status=Feature.Status.BETA,
    )
    Claim.objects.create(
        workspace=workspace,
        headline="Summaries written for you",
        feature=beta,
        status=ReviewStatus.DRAFT,
        author=users[Role.PMM],
    )

    if not healthy_only:
        _plant(b, core, legacy, users)
    b.save()
    return b.truth


def _plant(b: Builder, core, legacy, users) -> None:
    workspace, today = b.workspace, b.today
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
    objective = Objective.objects.create(
        workspace=workspace,
        title="Revenue push",
        product_owner=users[Role.PM],
        marketing_owner=users[Role.PMM],
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=60),
    )
    ObjectiveTarget.objects.create(
        workspace=workspace,
        objective=objective,
        kpi="revenue",
        target=Decimal("100000000"),
        scope=ObjectiveTarget.Scope.CHANNEL,
        scope_value="email",
    )
    b.plant("kpi_off_target", "objective", objective)
    # launch_at_risk: ten days out with an overdue milestone and a blocked task.
    risky = Launch.objects.create(
        workspace=workspace,
        name=b.name("Risky launch"),
        product=core["Reports"].product,
        launch_date=today + timedelta(days=10),
    )
    Milestone.objects.create(
        workspace=workspace,
        launch=risky,
        kind=MilestoneKind.SALES_TRAINED,
        team="sales",
        due_date=today - timedelta(days=2),
    )
    LaunchTask.objects.create(
        workspace=workspace,
        launch=risky,
        title="Pricing page",
        team="product",
        due_date=today + timedelta(days=3),
        status=LaunchTask.Status.BLOCKED,
    )
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
    Release.objects.create(
        workspace=workspace,
        product=core["Alerts"].product,
        version="9.2",
        date=today + timedelta(days=2),
    ).features.set([core["Alerts"]])
    b.plant("release_campaign_conflict", "campaign", promoted)
    # unsupported_claim: approved copy about a beta feature a live campaign promotes.
    beta = Feature.objects.create(
        workspace=workspace,
        product=core["Reports"].product,
        name=b.name("Live sync"),
        status=Feature.Status.BETA,
    )
    Claim.objects.create(
        workspace=workspace,
        headline="Always in sync",
        feature=beta,
        status=ReviewStatus.APPROVED,
        author=users[Role.PMM],
    )
    b.campaign(
        "Sync ads", "social", 900, 0.015, roi=1.0, start=today - timedelta(days=7), features=[beta]
    )
    b.plant("unsupported_claim", "feature", beta)
