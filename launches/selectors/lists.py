"""Querysets of launches data, filtered by their FilterSets, prefetched for display."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.db.models import QuerySet

from alignment.models import Feature
from alignment.models import Membership
from alignment.models import Workspace
from launches.filters import CampaignFilterSet
from launches.filters import LaunchFilterSet
from launches.filters import LaunchTaskFilterSet
from launches.filters import LaunchTemplateFilterSet
from launches.filters import MilestoneFilterSet
from launches.filters import ReleaseFilterSet
from launches.models import CalendarFeed
from launches.models import Campaign
from launches.models import GtmSettings
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import LaunchTemplate
from launches.models import LaunchTemplateItem
from launches.models import Milestone
from launches.models import Release

# --- Settings ----------------------------------------------------------------------------


def gtm_settings_get(*, workspace: Workspace) -> GtmSettings:
    """The workspace's settings; the defaults (unsaved) when never changed."""
    return GtmSettings.objects.filter(workspace=workspace).first() or GtmSettings(
        workspace=workspace, conflict_window_days=3
    )


# --- Lists -------------------------------------------------------------------------------


# What a task's row and its health need of the tasks it depends on.
PREREQUISITE_FIELDS = ("id", "title", "due_date", "status")


def launch_list(*, workspace: Workspace, filters=None, detail=False) -> QuerySet[Launch]:
    tasks = LaunchTask.objects.select_related("milestone").prefetch_related(
        Prefetch("depends_on", queryset=LaunchTask.objects.only(*PREREQUISITE_FIELDS))
    )
    if detail:
        tasks = tasks.select_related("assignee")
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
            "objectives",
        )
    )
    return LaunchFilterSet.apply(filters, queryset, workspace=workspace)


def launch_task_list(*, workspace: Workspace, launch_id=None, filters=None) -> QuerySet[LaunchTask]:
    queryset = (
        LaunchTask.objects.in_workspace(workspace)
        .select_related("assignee", "milestone", "launch")
        .prefetch_related(
            Prefetch("depends_on", queryset=LaunchTask.objects.only(*PREREQUISITE_FIELDS))
        )
    )
    if launch_id is not None:
        queryset = queryset.filter(launch_id=launch_id)
    return LaunchTaskFilterSet.apply(filters, queryset, workspace=workspace)


def milestone_list(*, workspace: Workspace, launch_id=None, filters=None) -> QuerySet[Milestone]:
    queryset = Milestone.objects.in_workspace(workspace).select_related("launch")
    if launch_id is not None:
        queryset = queryset.filter(launch_id=launch_id)
    return MilestoneFilterSet.apply(filters, queryset, workspace=workspace)


def launch_template_list(*, workspace: Workspace, filters=None) -> QuerySet[LaunchTemplate]:
    queryset = LaunchTemplate.objects.in_workspace(workspace).prefetch_related(
        Prefetch("items", queryset=LaunchTemplateItem.objects.order_by("offset_days", "position"))
    )
    return LaunchTemplateFilterSet.apply(filters, queryset, workspace=workspace)


def campaign_list(*, workspace: Workspace, filters=None) -> QuerySet[Campaign]:
    queryset = Campaign.objects.in_workspace(workspace).prefetch_related(
        Prefetch("features", queryset=Feature.objects.select_related("product"))
    )
    return CampaignFilterSet.apply(filters, queryset, workspace=workspace).distinct()


def release_list(*, workspace: Workspace, filters=None) -> QuerySet[Release]:
    queryset = (
        Release.objects.in_workspace(workspace)
        .select_related("product")
        .prefetch_related(Prefetch("features", queryset=Feature.objects.only("id", "name")))
    )
    return ReleaseFilterSet.apply(filters, queryset, workspace=workspace).distinct()


def overdue_tasks_for_user(*, workspace_id: int, user, today: date) -> QuerySet[LaunchTask]:
    return (
        LaunchTask.objects.filter(workspace_id=workspace_id, assignee=user, due_date__lt=today)
        .exclude(status=LaunchTask.Status.DONE)
        .exclude(launch__status__in=[Launch.Status.LAUNCHED, Launch.Status.REVIEWED])
        .select_related("launch", "workspace")
        .order_by("due_date", "id")
    )


def calendar_feed_is_current(feed: CalendarFeed) -> bool:
    """A feed opens the calendar only within the membership it was made in: removing a
    member kills their feed URL for good, also when they are added back later."""
    return Membership.objects.filter(
        workspace_id=feed.workspace_id, user_id=feed.user_id, created_at__lte=feed.created_at
    ).exists()
