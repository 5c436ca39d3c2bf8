"""The periodic tasks (Celery beat), declared once: settings.CELERY_BEAT_SCHEDULE is this
table, and django-celery-beat's DatabaseScheduler syncs it to the database. Hours and
intervals come from the environment (docs/operations.md)."""

from datetime import timedelta

from celery.schedules import crontab

from alignment.env import env_int


def periodic_tasks(*, sweep_seconds: int) -> dict:
    """Beat entries by name; `sweep_seconds` is the import sweeper's interval
    (RELIABILITY_SWEEP_SECONDS, which the reliability settings also use)."""
    return {
        "launches-overdue-digest": {
            "task": "launches.overdue_digest",
            "schedule": crontab(hour=env_int("OVERDUE_DIGEST_HOUR", 7), minute=0),
        },
        "metrics-recompute-dashboards": {
            "task": "metrics.recompute_all_dashboards",
            "schedule": timedelta(minutes=env_int("METRICS_DASHBOARD_EVERY_MINUTES", 30)),
        },
        "metrics-sweep-imports": {
            "task": "metrics.sweep_imports",
            "schedule": timedelta(seconds=sweep_seconds),
        },
        "metrics-prune-import-files": {
            "task": "metrics.prune_import_files",
            "schedule": crontab(hour=env_int("IMPORT_FILE_PRUNE_HOUR", 3), minute=15),
        },
        "metrics-run-diagnostics": {
            "task": "metrics.run_all_diagnostics",
            "schedule": timedelta(minutes=env_int("METRICS_DIAGNOSTICS_EVERY_MINUTES", 60)),
        },
        "metrics-diagnostics-digest": {
            "task": "metrics.diagnostics_digest_all",
            "schedule": crontab(hour=env_int("DIAGNOSTICS_DIGEST_HOUR", 8), minute=0),
        },
        "collaboration-sweep": {
            "task": "collaboration.sweep",
            "schedule": timedelta(seconds=env_int("COLLABORATION_SWEEP_SECONDS", 60)),
        },
        "collaboration-email-digests": {
            "task": "collaboration.email_digests",
            "schedule": crontab(hour=env_int("NOTIFICATION_DIGEST_HOUR", 7), minute=30),
        },
        # Insights without a vector of the current text model (a model upgrade, a lost enqueue).
        "research-embed-catch-up": {
            "task": "research.embed_catch_up",
            "schedule": timedelta(minutes=env_int("EMBED_CATCH_UP_EVERY_MINUTES", 60)),
        },
    }
