"""Moved to alignment.messaging.models (temporary: callers move with the restructure)."""

from alignment.messaging.models import *  # noqa: F403
