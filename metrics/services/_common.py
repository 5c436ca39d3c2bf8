"""What the import jobs and the background runs share: the outbox sweep that publishes
rows the broker never got, and the heartbeat that tells slow work from a dead worker.

Both kinds of row own their status (a conditional UPDATE per transition), so these helpers
only publish and mark alive; they never decide an outcome.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def _publish_outbox(queued, *, retried: Q, enqueue) -> int:
    """Publish, oldest first, the queued rows the broker never got (past a grace period, or
    at once when `retried`: their worker stopped) or lost (published an hour ago and still
    waiting). Stops at the first refusal: the broker is still down, the next sweep tries
    again. Returns how many were published."""
    now = timezone.now()
    grace = timedelta(seconds=settings.RELIABILITY_SWEEP_GRACE_SECONDS)
    lost = timedelta(seconds=settings.RELIABILITY_REQUEUE_AFTER_SECONDS)
    pending = queued.filter(
        Q(enqueued_at__isnull=True, created_at__lt=now - grace)
        | (Q(enqueued_at__isnull=True) & retried)
        | Q(enqueued_at__lt=now - lost)
    )
    published = 0
    for pk in pending.order_by("created_at").values_list("pk", flat=True)[:500]:
        if not enqueue(pk):
            break
        published += 1
    return published


@contextlib.contextmanager
def _heartbeat(rows, name: str):
    """While the block runs, a thread marks `rows` (a queryset of the one running job or
    run) alive every RELIABILITY_HEARTBEAT_SECONDS on a connection of its own (a long merge
    holds the main one), so the sweeper tells slow work from work whose worker died."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.RELIABILITY_HEARTBEAT_SECONDS):
                try:
                    rows.update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("%s: heartbeat not written", name, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"{name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
