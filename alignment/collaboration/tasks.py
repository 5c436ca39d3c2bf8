"""Celery tasks of collaboration: thin, ids in, one service call out. Each is safe to run
twice (the rows they act on are claimed with a conditional UPDATE)."""

from celery import shared_task

from alignment.collaboration import services
from alignment.queueing import publish

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="collaboration.fan_out", **RELIABLE)
def fan_out(event_id: int) -> int:
    """Notify, mail and deliver one event (after the change that recorded it committed)."""
    done = services.event_fan_out(event_id=event_id)
    return len(done["notifications"]) + len(done["deliveries"])


@shared_task(name="collaboration.email_notification", **RELIABLE)
def email_notification(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@shared_task(bind=True, name="collaboration.deliver_webhook", **RELIABLE)
def deliver_webhook(self, delivery_id: int) -> str:
    """One attempt; a failure that has attempts left is retried after the delivery's backoff."""
    delay = services.webhook_deliver(delivery_id=delivery_id)
    if delay is None:
        return "done"
    if self.request.is_eager:
        # In-process tasks (no broker) would retry at once, inside the request that
        # committed the event: the delivery stays pending with its next_attempt_at, and the
        # sweep (or a worker, once one runs) sends it then.
        return "pending"
    raise self.retry(countdown=delay, max_retries=None)


@shared_task(name="collaboration.email_digests")
def email_digests() -> int:
    """The daily digest of notifications members chose to read once a day."""
    return services.notification_digests_send()


@shared_task(name="collaboration.sweep")
def sweep() -> int:
    """Publish again what lost its task: events never fanned out, due webhook deliveries,
    immediate emails still pending."""
    swept = 0
    for event_id in services.events_sweep_unsent():
        swept += publish(fan_out, event_id)
    for delivery_id in services.webhook_deliveries_due():
        swept += publish(deliver_webhook, delivery_id)
    for notification_id in services.notification_emails_due():
        swept += publish(email_notification, notification_id)
    return swept
