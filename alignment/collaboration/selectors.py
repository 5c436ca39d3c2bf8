"""Reads of collaboration, shared by the API, the pages and the services."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from alignment.collaboration.models import Notification
from alignment.filters import WorkspaceFilterSet

# Notifications


class NotificationFilterSet(WorkspaceFilterSet):
    # `?unread=true` / `false`; any other value filters nothing, like every boolean filter.
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Unread"
    )

    class Meta:
        model = Notification
        fields = ["unread"]


def notification_list(*, user, workspace, filters=None) -> QuerySet[Notification]:
    """The user's notifications in the workspace, newest first, with their event and its
    actor (one query per page)."""
    queryset = (
        Notification.objects.in_workspace(workspace)
        .filter(recipient=user)
        .select_related("event", "event__actor")
        .order_by("-created_at", "-id")
    )
    return NotificationFilterSet.apply(filters, queryset, workspace=workspace)


def notification_unread_count(*, user, workspace) -> int:
    """How many of the user's notifications in the workspace (or workspace id) are unread:
    one COUNT over the partial index `notification_unread`."""
    return (
        Notification.objects.in_workspace(workspace)
        .filter(recipient=user, read_at__isnull=True)
        .count()
    )


def notification_get(*, user, workspace, pk) -> Notification | None:
    """One of the user's notifications in the workspace; None for anybody else's."""
    return notification_list(user=user, workspace=workspace).filter(pk=pk).first()


# Comments


def comment_list(*, workspace, subject_type: str | None = None, subject_id=None) -> QuerySet:
    """The workspace's comments, oldest first, each with its author and mentions (one
    query per page, one for the mentions); one subject's thread when both are given."""
    from alignment.collaboration.models import Comment

    queryset = (
        Comment.objects.in_workspace(workspace)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "id")
    )
    if subject_type is not None and subject_id is not None:
        queryset = queryset.filter(subject_type=subject_type, subject_id=subject_id)
    return queryset


def mention_candidates(*, workspace, query: str, limit: int = 10) -> QuerySet:
    """Up to `limit` members of the workspace whose username, first or last name or full
    name starts with `query` (case-insensitive), by username: who `@` can name."""
    from django.contrib.auth import get_user_model
    from django.db.models import CharField
    from django.db.models import Q
    from django.db.models import Value
    from django.db.models.functions import Concat

    query = (query or "").strip().lstrip("@")
    users = get_user_model().objects.filter(memberships__workspace=workspace)
    if query:
        users = users.annotate(
            full_name=Concat("first_name", Value(" "), "last_name", output_field=CharField())
        ).filter(
            Q(username__istartswith=query)
            | Q(first_name__istartswith=query)
            | Q(last_name__istartswith=query)
            | Q(full_name__istartswith=query)
        )
    return users.order_by("username")[:limit]


# Webhooks


def webhook_list(*, workspace) -> QuerySet:
    """The workspace's webhook subscriptions, newest first."""
    from alignment.collaboration.models import WebhookSubscription

    return (
        WebhookSubscription.objects.in_workspace(workspace)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def webhook_delivery_list(*, webhook) -> QuerySet:
    """A subscription's deliveries, newest first, with their event."""
    from alignment.collaboration.models import WebhookDelivery

    return (
        WebhookDelivery.objects.in_workspace(webhook.workspace_id)
        .filter(subscription=webhook)
        .select_related("event")
        .order_by("-created_at", "-id")
    )


def inbound_delivery_list(*, workspace) -> QuerySet:
    """What came in by inbound hook, newest first."""
    from alignment.collaboration.models import InboundDelivery

    return InboundDelivery.objects.in_workspace(workspace).order_by("-received_at", "-id")
