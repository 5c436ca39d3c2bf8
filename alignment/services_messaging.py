"""Moved to alignment.messaging.services (temporary: callers move with the restructure)."""

from alignment.messaging.services import *  # noqa: F403
