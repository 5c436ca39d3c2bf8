"""Checks every messaging service shares: membership, same workspace, validated save."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from alignment.models import Membership
from alignment.models import Workspace


def _membership(user, workspace_id: int) -> Membership | None:
    if user is None:
        return None
    return Membership.objects.filter(user=user, workspace_id=workspace_id).first()


def _require_members(workspace: Workspace, field: str, users: Iterable) -> None:
    users = [user for user in users if user is not None]
    member_ids = set(
        Membership.objects.filter(workspace=workspace, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in member_ids for user in users):
        raise ValidationError({field: ["Only members of this workspace can be chosen."]})
