"""Reading notifications and choosing how they are mailed."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.collaboration.kinds import SUBSCRIBABLE
from alignment.collaboration.kinds import Delivery
from alignment.collaboration.kinds import default_delivery
from alignment.collaboration.models import Notification
from alignment.collaboration.models import NotificationPreference

# How many ids one call may mark read (the API and the page refuse more).
MARK_MAX = 1000


@transaction.atomic
def notifications_mark_read(
    *, actor, workspace, ids: Iterable[int] | None = None, all: bool = False
) -> int:
    """Mark the actor's notifications in the workspace read (the given ids, or all of them);
    ids that are not the actor's are ignored. Returns how many changed. Every member,
    viewers too, may: it is their own state, not the workspace's content."""
    unread = Notification.objects.in_workspace(workspace).filter(
        recipient=actor, read_at__isnull=True
    )
    if not all:
        ids = list(ids or [])
        if len(ids) > MARK_MAX:
            raise ValidationError({"ids": [f"At most {MARK_MAX} at a time."]})
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notification_preferences(*, user) -> dict[str, str]:
    """Every subscribable kind with how the user has it mailed (defaults filled in)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, default_delivery(kind)) for kind in SUBSCRIBABLE}


@transaction.atomic
def notification_preferences_update(*, user, choices: dict[str, str]) -> dict[str, str]:
    errors = {}
    for kind, delivery in choices.items():
        if kind not in SUBSCRIBABLE:
            errors[kind] = ["Unknown event kind."]
        elif delivery not in Delivery.values:
            errors[kind] = [f"Choose one of {', '.join(Delivery.values)}."]
    if errors:
        raise ValidationError(errors)
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    return notification_preferences(user=user)
