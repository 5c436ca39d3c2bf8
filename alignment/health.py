"""Readiness checks: can this process reach what it needs to serve requests?"""

from django.conf import settings
from django.db import connections
from kombu import Connection


def check_database() -> str | None:
    """None when every configured database answers, else the reason."""
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as error:  # any driver error means "not ready"
            return f"{alias}: {error.__class__.__name__}"
    return None


def check_broker() -> str | None:
    """None when the Celery broker accepts a connection (or tasks run in-process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # kombu raises a variety of transport errors
        return error.__class__.__name__
    return None


def readiness() -> dict[str, str]:
    """{'database': 'ok' | reason, 'broker': 'ok' | reason}."""
    checks = {"database": check_database(), "broker": check_broker()}
    return {name: failure or "ok" for name, failure in checks.items()}
