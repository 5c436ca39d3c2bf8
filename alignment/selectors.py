"""Reads of the core domain. API viewsets and HTML views call the same functions."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models import Subquery

from alignment.filters import FeatureFilterSet
from alignment.filters import ProductFilterSet
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Workspace


def workspace_creation_allowed(*, user) -> bool:
    """Whether `user` may create a workspace (settings.WORKSPACE_CREATORS)."""
    if user is None or not user.is_authenticated:
        return False
    return settings.WORKSPACE_CREATORS == "anyone" or user.is_staff


def workspace_list_for_user(*, user) -> QuerySet[Workspace]:
    """The user's workspaces, each annotated with the user's `role` in it."""
    if user is None or not user.is_authenticated:
        return Workspace.objects.none()
    role = Membership.objects.filter(workspace=OuterRef("pk"), user=user).values("role")[:1]
    return Workspace.objects.for_user(user).annotate(role=Subquery(role)).order_by("name")


def membership_list(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.in_workspace(workspace).select_related("user").order_by("user__username")
    )


def invitation_list(*, workspace: Workspace) -> QuerySet[Invitation]:
    """The workspace's open invitations (pending, not expired), newest first."""
    return (
        Invitation.objects.in_workspace(workspace)
        .open()
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_list_for_invitee(*, user, open_only: bool = True) -> QuerySet[Invitation]:
    """The invitations addressed to `user`: the open ones, or all of them (any status)."""
    if user is None or not user.is_authenticated:
        return Invitation.objects.none()
    invitations = (
        Invitation.objects.filter(invitee=user)
        .select_related("workspace", "invited_by")
        .order_by("-created_at", "-pk")
    )
    return invitations.open() if open_only else invitations


def product_list(*, workspace: Workspace, filters=None) -> QuerySet[Product]:
    queryset = (
        Product.objects.in_workspace(workspace)
        .select_related("workspace")
        .annotate(feature_count=Count("features"))
        .order_by("name")
    )
    return ProductFilterSet.apply(filters, queryset, workspace=workspace)


def feature_list(*, workspace: Workspace, filters=None) -> QuerySet[Feature]:
    queryset = Feature.objects.in_workspace(workspace).select_related(
        "product__workspace", "workspace"
    )
    return FeatureFilterSet.apply(filters, queryset, workspace=workspace)
