"""Moved to metrics.services.diagnostics (temporary: callers outside metrics/ move with
the restructure)."""

from metrics.services.diagnostics import *  # noqa: F403
