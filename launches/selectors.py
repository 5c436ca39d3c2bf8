"""Reads of the go-to-market domain: lists, launch health, the calendar and its conflicts.

The API and the HTML views call the same functions. Health and conflicts are computed in
Python over prefetched rows, so a page of launches or a calendar month costs a fixed
number of queries whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from alignment.models import Feature, Workspace
from launches.filters import (
    CampaignFilterSet,
    LaunchFilterSet,
    LaunchTaskFilterSet,
    LaunchTemplateFilterSet,
    MilestoneFilterSet,
    ReleaseFilterSet,
)
from launches.models import (
    Campaign,
    GtmSettings,
    Launch,
    LaunchTask,
    LaunchTemplate,
    LaunchTemplateItem,
    Milestone,
    MilestoneKind,
    Release,
    Team,
)

# --- Settings ----------------------------------------------------------------------------


def gtm_settings_get(*, workspace: Workspace) -> GtmSettings:
    """The workspace's settings; the defaults (unsaved) when never changed."""
    return GtmSettings.objects.filter(workspace=workspace).first() or GtmSettings(
        workspace=workspace, conflict_window_days=3
    )


# --- Lists -------------------------------------------------------------------------------


def launch_list(*, workspace: Workspace, filters=None, detail=False) -> QuerySet[Launch]:
    tasks = LaunchTask.objects.select_related("milestone")
    if detail:
        tasks = tasks.select_related("assignee").prefetch_related(
            Prefetch("depends_on", queryset=LaunchTask.objects.only("id", "title", "due_date"))
        )
    queryset = (
        Launch.objects.in_workspace(workspace)
        .select_related("product", "workspace")
        .prefetch_related(
            Prefetch(
                "features",
                queryset=Feature.objects.prefetch_related(
                    Prefetch("releases", queryset=Release.objects.only("id", "date"))
                ),
            ),
            Prefetch("tasks", queryset=tasks),
            "milestones",
        )
    )
    return LaunchFilterSet(filters, queryset, workspace=workspace).qs


def launch_task_list(*, workspace: Workspace, launch_id=None, filters=None) -> QuerySet[LaunchTask]:
    queryset = (
        LaunchTask.objects.in_workspace(workspace)
        .select_related("assignee", "milestone", "launch")
        .prefetch_related(Prefetch("depends_on", queryset=LaunchTask.objects.only("id", "title")))
    )
    if launch_id is not None:
        queryset = queryset.filter(launch_id=launch_id)
    return LaunchTaskFilterSet(filters, queryset, workspace=workspace).qs


def milestone_list(*, workspace: Workspace, launch_id=None, filters=None) -> QuerySet[Milestone]:
    queryset = Milestone.objects.in_workspace(workspace).select_related("launch")
    if launch_id is not None:
        queryset = queryset.filter(launch_id=launch_id)
    return MilestoneFilterSet(filters, queryset, workspace=workspace).qs


def launch_template_list(*, workspace: Workspace, filters=None) -> QuerySet[LaunchTemplate]:
    queryset = LaunchTemplate.objects.in_workspace(workspace).prefetch_related(
        Prefetch("items", queryset=LaunchTemplateItem.objects.order_by("offset_days", "position"))
    )
    return LaunchTemplateFilterSet(filters, queryset, workspace=workspace).qs


def campaign_list(*, workspace: Workspace, filters=None) -> QuerySet[Campaign]:
    queryset = Campaign.objects.in_workspace(workspace).prefetch_related(
        Prefetch("features", queryset=Feature.objects.select_related("product"))
    )
    return CampaignFilterSet(filters, queryset, workspace=workspace).qs.distinct()


def release_list(*, workspace: Workspace, filters=None) -> QuerySet[Release]:
    queryset = (
        Release.objects.in_workspace(workspace)
        .select_related("product")
        .prefetch_related(Prefetch("features", queryset=Feature.objects.only("id", "name")))
    )
    return ReleaseFilterSet(filters, queryset, workspace=workspace).qs.distinct()


def overdue_tasks_for_user(*, workspace_id: int, user, today: date) -> QuerySet[LaunchTask]:
    return (
        LaunchTask.objects.filter(workspace_id=workspace_id, assignee=user, due_date__lt=today)
        .exclude(status=LaunchTask.Status.DONE)
        .exclude(launch__status__in=[Launch.Status.LAUNCHED, Launch.Status.REVIEWED])
        .select_related("launch", "workspace")
        .order_by("due_date", "id")
    )


# --- Launch health: readiness and risk ---------------------------------------------------


@dataclass
class TeamReadiness:
    team: str
    done: int = 0
    due: int = 0
    done_due: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        """Done against due: 100 when nothing is due yet."""
        return round(100 * self.done_due / self.due) if self.due else 100

    @property
    def label(self) -> str:
        return Team(self.team).label

    def as_dict(self) -> dict:
        return {
            "team": self.team,
            "readiness": self.percent,
            "done": self.done,
            "due": self.due,
            "done_of_due": self.done_due,
            "total": self.total,
        }


@dataclass
class LaunchHealth:
    readiness: int
    by_team: list[TeamReadiness]
    at_risk: bool
    risk_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0


def launch_health(launch: Launch, *, today: date | None = None) -> LaunchHealth:
    """Readiness per team and overall, at-risk reasons and warnings, from prefetched rows.

    Readiness is done against due: of the tasks and milestones due by `today`, the share
    that is done. A planning or ready launch is at risk when a task or milestone is
    overdue, or when a blocked task leads to a milestone that is not done.
    """
    today = today or timezone.localdate()
    tasks = list(launch.tasks.all())
    milestones = list(launch.milestones.all())
    teams = {team: TeamReadiness(team) for team in Team.values}
    overall = TeamReadiness("overall")
    items = [(task.team, task.status == LaunchTask.Status.DONE, task.due_date) for task in tasks]
    items += [(m.team, m.done, m.due_date) for m in milestones]
    for team, done, due_date in items:
        for bucket in (teams[team], overall):
            bucket.total += 1
            bucket.done += done
            if due_date <= today:
                bucket.due += 1
                bucket.done_due += done

    reasons: list[str] = []
    if launch.status in (Launch.Status.PLANNING, Launch.Status.READY):
        for milestone in milestones:
            if not milestone.done and milestone.due_date < today:
                reasons.append(
                    f"Milestone “{milestone.label}” was due on {milestone.due_date:%b %-d}."
                )
        for task in tasks:
            if task.status != LaunchTask.Status.DONE and task.due_date < today:
                reasons.append(
                    f"Task “{task.title}” ({task.get_team_display()}) was due on "
                    f"{task.due_date:%b %-d}."
                )
            if (
                task.status == LaunchTask.Status.BLOCKED
                and task.milestone_id
                and not task.milestone.done
            ):
                reasons.append(
                    f"Task “{task.title}” is blocked and holds up milestone "
                    f"“{task.milestone.label}”."
                )

    warnings: list[str] = []
    for milestone in milestones:
        if milestone.kind in MilestoneKind.pre_launch() and milestone.due_date > launch.launch_date:
            warnings.append(
                f"Milestone “{milestone.label}” is due after the launch date "
                f"({milestone.due_date:%b %-d})."
            )
    for feature in launch.features.all():
        if not any(release.date <= launch.launch_date for release in feature.releases.all()):
            warnings.append(
                f"Feature “{feature.name}” is in no release on or before the launch date."
            )

    return LaunchHealth(
        readiness=overall.percent,
        by_team=[teams[team] for team in Team.values],
        at_risk=bool(reasons),
        risk_reasons=reasons,
        warnings=warnings,
        done=overall.done,
        total=overall.total,
    )


def launch_with_health(launches, *, today: date | None = None) -> list[Launch]:
    """Attach `.health` to each launch (prefetched by launch_list)."""
    launches = list(launches)
    for launch in launches:
        launch.health = launch_health(launch, today=today)
    return launches


def launches_upcoming(*, workspace: Workspace, today: date | None = None, limit: int = 10):
    today = today or timezone.localdate()
    queryset = (
        launch_list(workspace=workspace)
        .filter(status__in=[Launch.Status.PLANNING, Launch.Status.READY])
        .order_by("launch_date", "name")
    )
    return launch_with_health(queryset[:limit], today=today)


def launches_at_risk(*, workspace: Workspace, today: date | None = None) -> list[Launch]:
    today = today or timezone.localdate()
    queryset = launch_list(workspace=workspace).filter(
        status__in=[Launch.Status.PLANNING, Launch.Status.READY]
    )
    # Only launches with something overdue or blocked can be at risk: narrow in SQL first.
    queryset = queryset.filter(
        Q(tasks__due_date__lt=today, tasks__status__in=["todo", "doing", "blocked"])
        | Q(milestones__due_date__lt=today, milestones__done=False)
        | Q(tasks__status=LaunchTask.Status.BLOCKED)
    ).distinct()
    return [launch for launch in launch_with_health(queryset, today=today) if launch.health.at_risk]


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
    feature_filter = Feature.objects.all()
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
            Prefetch("features", queryset=Feature.objects.filter(pk__in=released_ids))
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
    to product, so other teams do not see them. Launches are everybody's.
    """
    slug = workspace.slug
    events: list[CalendarEvent] = []

    launches = Launch.objects.in_workspace(workspace).filter(
        launch_date__range=(date_from, date_to)
    )
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

    for launch in launches.select_related("product"):
        events.append(
            CalendarEvent(
                "launch",
                launch.pk,
                f"Launch: {launch.name}",
                launch.launch_date,
                launch.launch_date,
                url=reverse("launches:launch_detail", args=[slug, launch.pk]),
                product=launch.product_id,
                detail=f"Tier {launch.tier} · {launch.get_status_display()}",
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


# --- The launch page's timeline ----------------------------------------------------------


def launch_timeline(launch: Launch, *, today: date | None = None) -> dict:
    """Rows for a Gantt-like chart: positions in percent of the plan's span.

    A task has no start date: its bar starts when its last prerequisite is due (else two
    days before its own due date) and ends on its due date. Milestones are points.
    """
    today = today or timezone.localdate()
    tasks = list(launch.tasks.all())
    milestones = list(launch.milestones.all())
    by_id = {task.pk: task for task in tasks}
    starts = {}
    for task in tasks:
        prerequisites = [by_id[dep.pk].due_date for dep in task.depends_on.all() if dep.pk in by_id]
        start = max(prerequisites) if prerequisites else task.due_date - timedelta(days=2)
        starts[task.pk] = min(start, task.due_date)
    dates = [launch.launch_date, today, *starts.values()]
    dates += [task.due_date for task in tasks] + [m.due_date for m in milestones]
    first, last = min(dates) - timedelta(days=1), max(dates) + timedelta(days=1)
    span = (last - first).days or 1

    def pct(day: date) -> float:
        return round(100 * (day - first).days / span, 2)

    rows = []
    for team in Team.values:
        for milestone in (m for m in milestones if m.team == team):
            overdue = not milestone.done and milestone.due_date < today
            rows.append(
                {
                    "kind": "milestone",
                    "object": milestone,
                    "team": team,
                    "left": pct(milestone.due_date),
                    "width": 0,
                    "state": "done" if milestone.done else ("overdue" if overdue else "open"),
                }
            )
        for task in (t for t in tasks if t.team == team):
            done = task.status == LaunchTask.Status.DONE
            overdue = not done and task.due_date < today
            rows.append(
                {
                    "kind": "task",
                    "object": task,
                    "team": team,
                    "left": pct(starts[task.pk]),
                    "width": max(pct(task.due_date) - pct(starts[task.pk]), 0.8),
                    "state": "overdue" if overdue else task.status,
                }
            )
    rows.sort(key=lambda row: (Team.values.index(row["team"]), row["left"]))
    months, day = [], first.replace(day=1)
    while day <= last:
        if day >= first:
            months.append({"label": f"{day:%b %-d}", "left": pct(day)})
        day = (day + timedelta(days=32)).replace(day=1)
    return {
        "first": first,
        "last": last,
        "rows": rows,
        "today": pct(today) if first <= today <= last else None,
        "launch": pct(launch.launch_date),
        "ticks": months,
    }


def launch_detail_queryset(*, workspace: Workspace) -> QuerySet[Launch]:
    """What the launch page needs: launch_list's rows plus dependencies and assignees."""
    return launch_list(workspace=workspace, detail=True)
