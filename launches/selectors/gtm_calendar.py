"""The GTM calendar: release-campaign conflicts and the events of a date range."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from django.db.models import Prefetch
from django.db.models import Q
from django.urls import reverse

from alignment.models import Feature
from alignment.models import Workspace
from alignment.teams import Team
from launches.models import Campaign
from launches.models import Milestone
from launches.models import Release
from launches.selectors.health import launch_health
from launches.selectors.lists import gtm_settings_get
from launches.selectors.lists import launch_list

# --- Conflicts ---------------------------------------------------------------------------


@dataclass
class Conflict:
    release: Release
    campaign: Campaign
    feature: Feature
    days_apart: int  # days from the release to the campaign start: <= 0 means during it
    window: int

    @property
    def position(self) -> str:
        return "before" if self.days_apart > 0 else "during"

    @property
    def advice(self) -> str:
        campaign, release, n = self.campaign, self.release, self.window
        when = (
            f"{self.days_apart} day{'s' if self.days_apart != 1 else ''} before"
            if self.days_apart > 0
            else "during"
        )
        latest = campaign.start_date - timedelta(days=n)
        hold = (
            f"hold the release until the campaign ends ({campaign.end_date:%b %-d, %Y})"
            if campaign.end_date
            else "hold the release until the campaign ends"
        )
        return (
            f"Release {release.version} of {release.product.name} changes “{self.feature.name}” "
            f"{when} the campaign “{campaign.name}” that promotes it. Release at least {n} "
            f"day{'s' if n != 1 else ''} before the campaign starts (by {latest:%b %-d, %Y}) "
            f"so new customers get the improvement, or {hold}."
        )

    def as_dict(self) -> dict:
        return {
            "release": self.release.pk,
            "campaign": self.campaign.pk,
            "feature": self.feature.pk,
            "days_apart": self.days_apart,
            "advice": self.advice,
            "position": self.position,
            "release_version": self.release.version,
            "release_date": self.release.date,
            "product": self.release.product_id,
            "campaign_name": self.campaign.name,
            "campaign_start": self.campaign.start_date,
            "campaign_end": self.campaign.end_date,
            "feature_name": self.feature.name,
        }


def is_conflict(release_date: date, start: date, end: date | None, window: int) -> int | None:
    """Days from the release to the campaign start when it is a conflict, else None.

    A conflict is a release fewer than `window` days before the start, or during the
    campaign (an open-ended campaign runs on). Exactly `window` days before is fine: that
    is what the advice asks for.
    """
    days_apart = (start - release_date).days
    if 0 < days_apart < window:
        return days_apart
    if days_apart <= 0 and (end is None or release_date <= end):
        return days_apart
    return None


def calendar_conflicts(
    *,
    workspace: Workspace,
    date_from: date | None = None,
    date_to: date | None = None,
    product_id: int | None = None,
    feature_ids=None,
) -> list[Conflict]:
    """Releases that change a feature within the window before, or during, a campaign
    promoting it. Bounded by the release date when `date_from`/`date_to` are given."""
    window = gtm_settings_get(workspace=workspace).conflict_window_days
    releases = Release.objects.in_workspace(workspace).select_related("product")
    if date_from:
        releases = releases.filter(date__gte=date_from)
    if date_to:
        releases = releases.filter(date__lte=date_to)
    if product_id:
        releases = releases.filter(product_id=product_id)
    feature_filter = Feature.objects.in_workspace(workspace)
    if feature_ids is not None:
        feature_filter = feature_filter.filter(pk__in=list(feature_ids))
    releases = list(releases.prefetch_related(Prefetch("features", queryset=feature_filter)))
    released_ids = {feature.pk for release in releases for feature in release.features.all()}
    if not released_ids:
        return []
    campaigns = (
        Campaign.objects.in_workspace(workspace)
        .filter(features__in=released_ids, start_date__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch(
                "features",
                queryset=Feature.objects.in_workspace(workspace).filter(pk__in=released_ids),
            )
        )
    )
    promoted = defaultdict(list)
    for campaign in campaigns:
        for feature in campaign.features.all():
            promoted[feature.pk].append(campaign)
    conflicts = []
    for release in releases:
        for feature in release.features.all():
            for campaign in promoted[feature.pk]:
                days = is_conflict(release.date, campaign.start_date, campaign.end_date, window)
                if days is not None:
                    conflicts.append(Conflict(release, campaign, feature, days, window))
    conflicts.sort(key=lambda c: (c.release.date, c.campaign.start_date, c.release.pk))
    return conflicts


# --- The GTM calendar --------------------------------------------------------------------


@dataclass
class CalendarEvent:
    type: str  # launch, milestone, campaign, release
    id: int
    title: str
    start: date
    end: date
    url: str = ""
    product: int | None = None
    team: str = ""
    conflict: bool = False
    at_risk: bool = False
    detail: str = ""

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "url": self.url,
            "product": self.product,
            "team": self.team,
            "conflict": self.conflict,
            "at_risk": self.at_risk,
        }


def calendar_events(
    *,
    workspace: Workspace,
    date_from: date,
    date_to: date,
    product_id: int | None = None,
    team: str = "",
    today: date | None = None,
) -> list[CalendarEvent]:
    """Launches, milestones, campaigns and releases between two dates (inclusive).

    `team` keeps the milestones of that team; campaigns belong to marketing and releases
    to product, so other teams do not see them. Launches are everybody's, each with its
    readiness, schedule status and at-risk state from `launch_health`.
    """
    slug = workspace.slug
    events: list[CalendarEvent] = []

    launches = launch_list(workspace=workspace).filter(launch_date__range=(date_from, date_to))
    milestones = Milestone.objects.in_workspace(workspace).filter(
        due_date__range=(date_from, date_to)
    )
    campaigns = Campaign.objects.in_workspace(workspace).filter(
        start_date__isnull=False, start_date__lte=date_to
    )
    campaigns = campaigns.filter(Q(end_date__gte=date_from) | Q(end_date__isnull=True))
    releases = Release.objects.in_workspace(workspace).filter(date__range=(date_from, date_to))
    if product_id:
        launches = launches.filter(product_id=product_id)
        milestones = milestones.filter(launch__product_id=product_id)
        campaigns = campaigns.filter(features__product_id=product_id).distinct()
        releases = releases.filter(product_id=product_id)
    if team:
        milestones = milestones.filter(team=team)
        if team != Team.MARKETING:
            campaigns = campaigns.none()
        if team != Team.PRODUCT:
            releases = releases.none()

    conflicts = calendar_conflicts(
        workspace=workspace,
        date_from=date_from - timedelta(days=366),
        date_to=date_to,
        product_id=product_id,
    )
    conflicting_releases = {c.release.pk for c in conflicts}
    conflicting_campaigns = {c.campaign.pk for c in conflicts}

    for launch in launches:
        health = launch_health(launch, today=today)
        events.append(
            CalendarEvent(
                "launch",
                launch.pk,
                f"Launch: {launch.name}",
                launch.launch_date,
                launch.launch_date,
                url=reverse("launches:launch_detail", args=[slug, launch.pk]),
                product=launch.product_id,
                at_risk=health.at_risk,
                detail=(
                    f"Tier {launch.tier} · {launch.get_status_display()} · "
                    f"{health.readiness}% ready · {health.schedule}"
                    + (" · at risk" if health.at_risk else "")
                ),
            )
        )
    for milestone in milestones.select_related("launch"):
        events.append(
            CalendarEvent(
                "milestone",
                milestone.pk,
                f"{milestone.label} ({milestone.launch.name})",
                milestone.due_date,
                milestone.due_date,
                url=reverse("launches:launch_detail", args=[slug, milestone.launch_id]),
                product=milestone.launch.product_id,
                team=milestone.team,
                detail="Done" if milestone.done else "Open",
            )
        )
    for campaign in campaigns:
        events.append(
            CalendarEvent(
                "campaign",
                campaign.pk,
                f"Campaign: {campaign.name}",
                campaign.start_date,
                campaign.end_date or campaign.start_date,
                url=reverse("launches:campaign_detail", args=[slug, campaign.pk]),
                team=Team.MARKETING,
                conflict=campaign.pk in conflicting_campaigns,
                detail=campaign.channel,
            )
        )
    for release in releases.select_related("product"):
        events.append(
            CalendarEvent(
                "release",
                release.pk,
                f"Release: {release.product.name} {release.version}",
                release.date,
                release.date,
                url=reverse("launches:release_detail", args=[slug, release.pk]),
                product=release.product_id,
                team=Team.PRODUCT,
                conflict=release.pk in conflicting_releases,
            )
        )
    order = {"release": 0, "launch": 1, "milestone": 2, "campaign": 3}
    events.sort(key=lambda e: (e.start, order[e.type], e.title))
    return events


def calendar_weeks(*, events: list[CalendarEvent], date_from: date, date_to: date):
    """Rows of 7 days (Monday first) from date_from to date_to, each day with its events."""
    start = date_from - timedelta(days=date_from.weekday())
    end = date_to + timedelta(days=6 - date_to.weekday())
    by_day = defaultdict(list)
    for event in events:
        day = max(event.start, start)
        last = min(event.end, end)
        while day <= last:
            by_day[day].append(event)
            day += timedelta(days=1)
    weeks, day = [], start
    while day <= end:
        weeks.append(
            [
                {
                    "date": day + timedelta(days=i),
                    "events": by_day[day + timedelta(days=i)],
                    "outside": not (date_from <= day + timedelta(days=i) <= date_to),
                }
                for i in range(7)
            ]
        )
        day += timedelta(days=7)
    return weeks
