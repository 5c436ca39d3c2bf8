"""Publishing Celery tasks when the broker may be down.

A request that already committed its rows must not fail because the task queue is
unreachable: the publish is logged and reported, and a sweeper or a periodic task
catches up (metrics' import outbox, launches' daily digest).
"""

import contextlib
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def broker_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the broker is unreachable", whatever the transport."""
    from kombu.exceptions import OperationalError as BrokerError

    errors: list[type[BaseException]] = [BrokerError, ConnectionError, TimeoutError]
    with contextlib.suppress(ImportError):
        import redis

        errors.extend([redis.exceptions.ConnectionError, redis.exceptions.TimeoutError])
    return tuple(errors)


def publish(task, *args, **kwargs) -> bool:
    """Send `task` with a short retry; False (and a warning) when the broker is unreachable.
    In-process (eager) mode runs the task here and lets its errors propagate."""
    if task.app.conf.task_always_eager:
        task.delay(*args, **kwargs)
        return True
    try:
        task.apply_async(
            args, kwargs, retry=True, retry_policy=settings.RELIABILITY_PUBLISH_RETRY_POLICY
        )
    except broker_errors() as error:
        logger.warning("Task %s not published, the broker is unreachable: %s", task.name, error)
        return False
    return True
