"""Celery tasks of launches: thin, ids in, one service call out.

A task assignment is an event recorded by the service that assigns it
(launch_task.assigned): the collaboration tasks notify and mail the assignee."""

from celery import shared_task

from launches import services


@shared_task(name="launches.overdue_digest", acks_late=True, reject_on_worker_lost=True)
def send_overdue_digests() -> int:
    """Daily: each assignee hears once per workspace and day of their overdue launch tasks
    (one launch_task.overdue event per task, mailed in their daily digest by default)."""
    return services.overdue_digest_send_all()
