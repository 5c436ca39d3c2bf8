"""Shared pieces of the fault tests: deterministic files, their exact totals, the facts'
totals, and switching this process's Celery producer onto a private broker."""

from __future__ import annotations

import csv
import os
import uuid
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models import Sum

from alignment.celery import app
from metrics.models import CampaignMetric
from tests.perf.bench import campaign_rows
from tests.perf.bench import write
from tests.workers import _test_database_url

FIELDS = ("spend", "impressions", "clicks", "revenue")


def campaign_file(path: Path, rows: int, *, bump: int = 0, start_day: int = 0) -> Path:
    return write(path, campaign_rows(rows, bump=bump, start_day=start_day))


def file_totals(*paths: Path) -> dict:
    """What the facts must hold after importing `paths` in this order: the last file to
    carry a key wins, as in the merge."""
    facts: dict = {}
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                facts[(row["date"], row["campaign"], row["channel"])] = row
    return {
        "rows": len(facts),
        "spend": sum((Decimal(r["spend"]) for r in facts.values()), Decimal(0)),
        "impressions": sum(int(r["impressions"]) for r in facts.values()),
        "clicks": sum(int(r["clicks"]) for r in facts.values()),
        "revenue": sum((Decimal(r["revenue"]) for r in facts.values()), Decimal(0)),
    }


def fact_totals(workspace) -> dict:
    totals = CampaignMetric.objects.filter(workspace=workspace).aggregate(
        rows=Count("pk"), **{name: Sum(name) for name in FIELDS}
    )
    return {name: value if value is not None else 0 for name, value in totals.items()}


@pytest.fixture
def postgres_required():
    if connection.vendor != "postgresql":
        pytest.skip("Fault tests run a real worker on the test database: set DATABASE_URL")


def worker_env(*, broker_url: str, media_root: Path, queue: str, **extra) -> dict:
    env = {
        **os.environ,
        "DEBUG": "true",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "MEDIA_ROOT": str(media_root),
        "METRICS_TASK_QUEUE": queue,
    }
    database_url = _test_database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def _reset_connections() -> None:
    """Forget this app's broker connections. Not force_close_all(): kombu shares pools per
    broker URL between apps, and a closed one breaks every later producer of that URL."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def producing_to(broker_url: str, queue: str):
    """This process (the web side) publishes real messages to `broker_url`, as gunicorn
    does in production, instead of running tasks eagerly."""
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_connection_timeout")
    saved = {key: app.conf[key] for key in keys}
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration (as
    # CI sets it), so the environment must name the private broker too while this lasts.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = broker_url
    _reset_connections()
    app.conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_default_queue=queue,
        broker_connection_timeout=1,
    )
    try:
        yield
    finally:
        _reset_connections()
        app.conf.update(saved)
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def queue() -> str:
    return f"reliability-{uuid.uuid4().hex[:8]}"
