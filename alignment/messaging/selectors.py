"""Reads of messaging. API viewsets and HTML views call the same functions."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from alignment import measures
from alignment.messaging.filters import ActionItemFilterSet
from alignment.messaging.filters import ActivityEventFilterSet
from alignment.messaging.filters import ClaimFilterSet
from alignment.messaging.filters import FeedbackFilterSet
from alignment.messaging.filters import HandoffDocumentFilterSet
from alignment.messaging.filters import ObjectiveFilterSet
from alignment.messaging.filters import PositioningFilterSet
from alignment.messaging.filters import SyncMeetingFilterSet
from alignment.messaging.models import ActionItem
from alignment.messaging.models import ActivityEvent
from alignment.messaging.models import Claim
from alignment.messaging.models import Feedback
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.models import SyncMeeting
from alignment.messaging.services import scope_model
from alignment.messaging.services import subject_model
from alignment.models import Feature
from alignment.models import Workspace


def url_of(obj) -> str:
    """The object's page, or "" while its app has no page for it yet."""
    try:
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    except NoReverseMatch:
        return ""


# --- Positioning ------------------------------------------------------------------------


def positioning_list(*, workspace: Workspace, filters=None) -> QuerySet[Positioning]:
    queryset = Positioning.objects.in_workspace(workspace).select_related(
        "workspace", "product", "persona"
    )
    return PositioningFilterSet.apply(filters, queryset, workspace=workspace)


def positioning_versions(*, positioning: Positioning) -> QuerySet[PositioningVersion]:
    return positioning.versions.select_related("author").order_by("-number")


# --- Claims and documents ---------------------------------------------------------------


def claim_list(*, workspace: Workspace, filters=None) -> QuerySet[Claim]:
    queryset = (
        Claim.objects.in_workspace(workspace)
        .select_related("workspace", "feature__product", "author", "reviewed_by")
        .prefetch_related("personas")
    )
    return ClaimFilterSet.apply(filters, queryset, workspace=workspace)


def unsupported_claims(*, workspace: Workspace) -> QuerySet[Claim]:
    """Claims about features that are not released (or retired): copy that oversells."""
    return claim_list(workspace=workspace).exclude(feature__status=Feature.Status.RELEASED)


def document_list(*, workspace: Workspace, filters=None) -> QuerySet[HandoffDocument]:
    queryset = HandoffDocument.objects.in_workspace(workspace).select_related(
        "workspace", "feature__product", "competitor", "author", "reviewed_by"
    )
    return HandoffDocumentFilterSet.apply(filters, queryset, workspace=workspace)


def review_history(*, instance) -> QuerySet:
    return instance.reviews.select_related("reviewer")


# --- Objectives -------------------------------------------------------------------------


def objective_list(*, workspace: Workspace, filters=None) -> QuerySet[Objective]:
    queryset = (
        Objective.objects.in_workspace(workspace)
        .select_related("workspace", "product", "product_owner", "marketing_owner")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=ObjectiveTarget.objects.select_related("workspace").order_by("id"),
            )
        )
    )
    return ObjectiveFilterSet.apply(filters, queryset, workspace=workspace)


def target_scope_labels(*, workspace: Workspace, targets) -> dict[tuple[str, int], str]:
    """(scope, scope_id) -> the product, feature or campaign's name, one query per scope.

    `scope_id` is a bare integer, not a ForeignKey: only rows of `workspace` are named, so an
    id pointing at another workspace's row shows as unknown rather than leaking its name."""

    wanted: dict[str, set[int]] = {}
    for target in targets:
        if target.scope_id is not None:
            wanted.setdefault(target.scope, set()).add(target.scope_id)
    labels = {}
    for scope, ids in wanted.items():
        model = apps.get_model(*scope_model(scope))
        queryset = model.objects.in_workspace(workspace).filter(pk__in=ids)
        if model is Feature:
            queryset = queryset.select_related("product")
        labels.update({(scope, obj.pk): str(obj) for obj in queryset})
    return labels


def target_scope_label(target: ObjectiveTarget, labels: dict) -> str:
    """What the target is measured over, by name: "Whole workspace", "Channel: email",
    "Feature: Insights / Funnels" (`labels` from target_scope_labels)."""
    if target.scope == ObjectiveTarget.Scope.WORKSPACE:
        return target.get_scope_display()
    name = target.scope_value or labels.get((target.scope, target.scope_id), "—")
    return f"{target.get_scope_display()}: {name}"


def kpi_current_value(target: ObjectiveTarget, today=None):
    """The target's KPI over the objective's period so far, in its scope; None before the
    period starts, without data, or for a KPI the scope can't have."""
    return measures.engine().target_value(target, today=today)


def objective_target_progress(target: ObjectiveTarget, today=None) -> dict:
    """The target's verdict from the KPI engine (metrics judges and formats every KPI):
    {value, state, label, due, sample} as the API returns them, and the same as they read
    (value_display, target_display, due_display, detail) for pages."""
    return measures.engine().target_progress(target, today=today)


def target_display(target: ObjectiveTarget) -> str:
    """ "≥ 3.00%": the target as it reads (lists show it without measuring)."""
    return measures.engine().format_target_of(target)


# --- Feedback ---------------------------------------------------------------------------


def objectives_with_progress(objectives, *, workspace: Workspace, with_values: bool = True):
    """Attach (target, progress, scope label) rows to each objective for the templates.

    A value costs a KPI query per target: the objective's own page shows it, lists show
    the target alone ({"target_display"})."""
    objectives = list(objectives)
    targets = [target for objective in objectives for target in objective.targets.all()]
    labels = target_scope_labels(workspace=workspace, targets=targets)
    for objective in objectives:
        objective.target_rows = [
            (
                target,
                objective_target_progress(target)
                if with_values
                else {"target_display": target_display(target)},
                target_scope_label(target, labels),
            )
            for target in objective.targets.all()
        ]
    return objectives


def feedback_list(*, workspace: Workspace, filters=None) -> QuerySet[Feedback]:
    queryset = (
        Feedback.objects.in_workspace(workspace)
        .select_related("workspace", "author")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-id")
    )
    return FeedbackFilterSet.apply(filters, queryset, workspace=workspace)


def feedback_inbox(*, workspace: Workspace, team: str, include_resolved=False):
    """What other teams asked `team`: open and acknowledged items first, oldest first."""
    queryset = feedback_list(workspace=workspace).filter(to_team=team)
    if not include_resolved:
        queryset = queryset.exclude(status=Feedback.Status.RESOLVED)
    return queryset.order_by("status", "created_at")


def feedback_subject_labels(
    *, workspace: Workspace, items
) -> dict[tuple[str, int], tuple[str, str]]:
    """(subject_type, id) -> (label, url) for the given feedback, one query per type.

    `subject_id` is a bare integer: only subjects of `workspace` are named (as above)."""
    wanted: dict[str, set[int]] = {}
    for item in items:
        wanted.setdefault(item.subject_type, set()).add(item.subject_id)
    labels = {}
    for subject_type, ids in wanted.items():
        model = subject_model(subject_type)
        if model is None:
            continue
        queryset = model.objects.in_workspace(workspace).filter(pk__in=ids)
        queryset = queryset.select_related("workspace")
        if model is Feature:
            queryset = queryset.select_related("product")
        for obj in queryset:
            labels[(subject_type, obj.pk)] = (str(obj), url_of(obj))
    return labels


def feedback_comments(*, feedback: Feedback):
    return feedback.comments.select_related("author")


# --- Meetings and action items ----------------------------------------------------------


def meeting_list(*, workspace: Workspace, filters=None) -> QuerySet[SyncMeeting]:
    queryset = (
        SyncMeeting.objects.in_workspace(workspace)
        .select_related("workspace", "created_by")
        .prefetch_related("attendees")
        .annotate(open_items=Count("action_items", filter=Q(action_items__done=False)))
        .order_by("-date", "-id")
    )
    return SyncMeetingFilterSet.apply(filters, queryset, workspace=workspace)


def action_item_list(*, workspace: Workspace, filters=None) -> QuerySet[ActionItem]:
    queryset = ActionItem.objects.in_workspace(workspace).select_related(
        "workspace", "owner", "meeting__workspace"
    )
    return ActionItemFilterSet.apply(filters, queryset, workspace=workspace)


def open_action_items(*, workspace: Workspace, user) -> QuerySet[ActionItem]:
    """The user's open action items, the most urgent (overdue) first."""
    return (
        action_item_list(workspace=workspace)
        .filter(owner=user, done=False)
        .order_by("due_date", "id")
    )


def overdue_action_items(*, workspace: Workspace) -> QuerySet[ActionItem]:
    return action_item_list(workspace=workspace).filter(
        done=False, due_date__lt=timezone.localdate()
    )


# --- Activity ---------------------------------------------------------------------------


def activity_list(*, workspace: Workspace, filters=None) -> QuerySet[ActivityEvent]:
    queryset = ActivityEvent.objects.in_workspace(workspace).select_related("actor")
    return ActivityEventFilterSet.apply(filters, queryset, workspace=workspace)
