"""Fanning an event out, once, after the change that recorded it committed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alignment.collaboration.kinds import Delivery
from alignment.collaboration.kinds import default_delivery
from alignment.collaboration.models import Event
from alignment.collaboration.models import Notification
from alignment.collaboration.models import NotificationPreference
from alignment.collaboration.models import WebhookDelivery
from alignment.collaboration.models import WebhookSubscription
from alignment.collaboration.recipients import member_ids

# An event still not fanned out this long after it was recorded lost its task (broker down,
# worker killed before the claim committed): the sweep publishes it again.
SWEEP_AFTER = timedelta(minutes=2)


def _email_state(delivery: str, has_email: bool) -> str:
    if not has_email or delivery == Delivery.OFF:
        return Notification.Email.OFF
    if delivery == Delivery.DIGEST:
        return Notification.Email.DIGEST
    return Notification.Email.PENDING


@transaction.atomic
def event_fan_out(*, event_id: int) -> dict[str, list[int]]:
    """Notify the event's recipients and queue its webhook deliveries. The conditional
    UPDATE claims the event: a second run (a retry, the sweep, a redelivered message)
    finds it claimed and does nothing, so nobody hears of it twice."""
    now = timezone.now()
    done = {"notifications": [], "emails": [], "deliveries": []}
    if not Event.objects.filter(pk=event_id, fanned_out_at__isnull=True).update(fanned_out_at=now):
        return done
    event = Event.objects.select_related("workspace").get(pk=event_id)
    recipients = [
        pk for pk in member_ids(event.workspace_id, event.recipient_ids) if pk != event.actor_id
    ]
    if recipients:
        chosen = dict(
            NotificationPreference.objects.filter(
                user_id__in=recipients, kind=event.kind
            ).values_list("user_id", "delivery")
        )
        emails = dict(get_user_model().objects.filter(pk__in=recipients).values_list("pk", "email"))
        Notification.objects.bulk_create(
            [
                Notification(
                    workspace_id=event.workspace_id,
                    event=event,
                    recipient_id=pk,
                    email=_email_state(
                        chosen.get(pk, default_delivery(event.kind)), bool(emails.get(pk))
                    ),
                    created_at=event.occurred_at,
                )
                for pk in recipients
            ],
            ignore_conflicts=True,
        )
        made = Notification.objects.filter(event=event).values_list("pk", "email")
        done["notifications"] = [pk for pk, _ in made]
        done["emails"] = [pk for pk, email in made if email == Notification.Email.PENDING]
    subscriptions = [
        subscription.pk
        for subscription in WebhookSubscription.objects.in_workspace(event.workspace).filter(
            active=True
        )
        if event.kind in subscription.events
    ]
    if subscriptions:
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    workspace_id=event.workspace_id,
                    subscription_id=pk,
                    event=event,
                    next_attempt_at=now,
                )
                for pk in subscriptions
            ],
            ignore_conflicts=True,
        )
        done["deliveries"] = list(
            WebhookDelivery.objects.filter(event=event).values_list("pk", flat=True)
        )
    transaction.on_commit(lambda: _enqueue_sends(done["emails"], done["deliveries"]))
    return done


def _enqueue_sends(notification_ids: list[int], delivery_ids: list[int]) -> None:
    from alignment.collaboration.tasks import deliver_webhook
    from alignment.collaboration.tasks import email_notification
    from alignment.queueing import publish

    for pk in notification_ids:
        publish(email_notification, pk)
    for pk in delivery_ids:
        publish(deliver_webhook, pk)


def events_sweep_unsent(*, now=None) -> list[int]:
    """The ids of events recorded more than SWEEP_AFTER ago and never fanned out."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(fanned_out_at__isnull=True, occurred_at__lt=now - SWEEP_AFTER)
        .order_by("occurred_at")
        .values_list("pk", flat=True)[:1000]
    )
