"""Moved to alignment.messaging.selectors (temporary: callers move with the restructure)."""

from alignment.messaging.selectors import *  # noqa: F403
