"""Recording an event: one row, written in the transaction of the change it tells of."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from alignment.collaboration import subjects
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event


def event_record(
    *,
    workspace,
    kind: str,
    actor=None,
    subject=None,
    recipients: Iterable[int | None] = (),
    message: str,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record that `actor` did `kind` to `subject`; after commit a Celery task fans it out to
    the `recipients` (user ids; the actor and non-members are left out there), to email per
    their preferences and to the workspace's webhook subscriptions. Call it from the service
    that makes the change, inside its transaction: a rolled-back change tells nobody."""
    EventKind(kind)  # an unknown kind is a programming error, not bad input
    event = Event.objects.create(
        workspace=workspace,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=subjects.name_of(subject) if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        subject_label=str(subject)[:200] if subject is not None else "",
        url=_url_of(subject),
        message=message[:400],
        data=data or {},
        recipient_ids=sorted({pk for pk in recipients if pk}),
    )
    transaction.on_commit(lambda: _enqueue_fan_out(event.pk))
    return event


def _url_of(subject) -> str:
    if subject is None or not hasattr(subject, "get_absolute_url"):
        return ""
    return subject.get_absolute_url()[:300]


def _enqueue_fan_out(event_id: int) -> None:
    from alignment.collaboration.tasks import fan_out
    from alignment.queueing import publish

    # Unpublished (broker down): events_sweep_unsent catches up from the row.
    publish(fan_out, event_id)


def actor_name(actor) -> str:
    """How an event's message names who did it."""
    if actor is None:
        return "Tandem"
    return actor.get_full_name() or actor.get_username()
