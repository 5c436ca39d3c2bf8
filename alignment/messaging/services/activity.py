"""The activity feed: every tracked change of messaging writes one event."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from alignment.messaging.models import ActivityEvent


def activity_record(*, actor, instance, verb: str) -> ActivityEvent:
    url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    return ActivityEvent.objects.create(
        workspace_id=instance.workspace_id,
        actor=actor,
        verb=verb,
        target_type=instance._meta.verbose_name,
        target_id=instance.pk,
        target_label=str(instance)[:200],
        target_url=url,
    )


def tracked(verb: str | Callable[[Any], str | None], target: Callable[[Any], Any] | None = None):
    """Record an ActivityEvent for the service's result: `verb` is a string, or a function
    of the result giving the verb (None: nothing worth telling); `target`, when given,
    maps the result to the object the event is about (a comment -> its feedback)."""

    def decorator(service):
        @functools.wraps(service)
        def wrapper(*, actor, **kwargs):
            result = service(actor=actor, **kwargs)
            said = verb(result) if callable(verb) else verb
            if said:
                instance = target(result) if target else result
                activity_record(actor=actor, instance=instance, verb=said)
            return result

        return wrapper

    return decorator
