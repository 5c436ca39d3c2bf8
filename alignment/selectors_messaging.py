"""Reads of messaging. API viewsets and HTML views call the same functions."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from alignment.filters_messaging import (
    ActionItemFilterSet,
    ActivityEventFilterSet,
    ClaimFilterSet,
    FeedbackFilterSet,
    HandoffDocumentFilterSet,
    ObjectiveFilterSet,
    PositioningFilterSet,
    SyncMeetingFilterSet,
)
from alignment.models import Feature, Workspace
from alignment.models_messaging import (
    ActionItem,
    ActivityEvent,
    Claim,
    Feedback,
    HandoffDocument,
    Objective,
    ObjectiveTarget,
    Positioning,
    PositioningVersion,
    SyncMeeting,
)
from alignment.services_messaging import scope_model, subject_model


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
        .prefetch_related(Prefetch("targets", queryset=ObjectiveTarget.objects.order_by("id")))
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


# How far from the target a value may be and still count as "at risk" (not off track).
AT_RISK_MARGIN = Decimal("0.10")


def evaluate_target(target: ObjectiveTarget, value) -> str | None:
    """on_track / at_risk / off_track for a value against the target; None without a value.

    Direction up: at or above the target is on track, within 10% below it at risk.
    Direction down (e.g. CPA): at or below is on track, within 10% above it at risk.
    """
    if value is None:
        return None
    value = Decimal(str(value))
    goal = Decimal(target.target)
    margin = abs(goal) * AT_RISK_MARGIN
    if target.direction == ObjectiveTarget.Direction.UP:
        if value >= goal:
            return "on_track"
        return "at_risk" if value >= goal - margin else "off_track"
    if value <= goal:
        return "on_track"
    return "at_risk" if value <= goal + margin else "off_track"


STATE_LABELS = {
    None: "no data yet",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
}


def kpi_current_value(target: ObjectiveTarget, today=None):
    """The target's KPI over the objective's period so far, in its scope, from the metrics
    engine; None before the period starts, without data, or for a KPI the scope can't have."""
    from metrics.kpis import kpi_value  # metrics builds on alignment

    objective = target.objective
    today = today or timezone.localdate()
    if today < objective.period_start:
        return None
    scope = {}
    model_key = scope_model(target.scope)
    if model_key is not None:
        model = apps.get_model(*model_key)
        row = model.objects.in_workspace(target.workspace_id).filter(pk=target.scope_id).first()
        if row is None:
            return None
        scope[target.scope] = row
    elif target.scope == ObjectiveTarget.Scope.CHANNEL:
        scope["channel"] = target.scope_value
    try:
        return kpi_value(
            objective.workspace,
            target.kpi,
            objective.period_start,
            min(objective.period_end, today),
            **scope,
        )
    except ValidationError:
        return None  # e.g. adoption without a feature: the form says so; here, no value


def objective_target_progress(target: ObjectiveTarget) -> dict:
    """{value, state, label} of one target: the one place that asks metrics for a value."""
    value = kpi_current_value(target)
    state = evaluate_target(target, value)
    return {"value": value, "state": state, "label": STATE_LABELS[state]}


# --- Feedback ---------------------------------------------------------------------------


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
