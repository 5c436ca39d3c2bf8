"""Writes of the dashboard: recomputing a workspace's snapshot, and refreshing the
planner's statistics its queries depend on after a large import.
"""

from __future__ import annotations

import logging
import time
from datetime import date

from django.db import connection
from django.utils import timezone

from alignment.locks import workspace_lock
from alignment.models import Workspace
from metrics.models import DashboardSnapshot
from metrics.models import ImportKind

logger = logging.getLogger(__name__)
ANALYZE_AFTER_ROWS = 10_000
FACT_TABLES = {
    ImportKind.CAMPAIGN: "metrics_campaignmetric",
    ImportKind.USAGE: "metrics_usagemetric",
    ImportKind.SURVEY: "metrics_surveyresponse",
}


def dashboard_recompute(
    *, workspace: Workspace, date_from: date | str | None = None, date_to=None
) -> DashboardSnapshot:
    """Recompute the workspace's snapshot; the previous one stays if anything fails.

    Two recomputes of one workspace never interleave (advisory lock). After an import,
    `date_from`/`date_to` name the changed range: when it lies wholly outside the
    snapshot's window and the window does not move, the snapshot is still current.
    """
    from metrics.selectors import dashboard_compute
    from metrics.selectors import dashboard_window_start
    from metrics.selectors import latest_fact_date

    started = time.monotonic()
    try:
        with workspace_lock("dashboard", workspace.pk):
            snapshot, _ = DashboardSnapshot.objects.select_for_update().get_or_create(
                workspace=workspace
            )
            as_of = latest_fact_date(workspace=workspace)
            if (
                date_to is not None
                and snapshot.computed_at is not None
                and snapshot.as_of == as_of
                and as_of is not None
                and str(date_to) < dashboard_window_start(as_of).isoformat()
            ):
                return snapshot
            # Reuse the stored daily sums only after a successful recompute: a failed one
            # may have missed a range.
            cached = snapshot.daily_sums if snapshot.failed_at is None else None
            data, snapshot.daily_sums = dashboard_compute(
                workspace=workspace, as_of=as_of, cached=cached, changed=(date_from, date_to)
            )
            # The diagnostics own this key (metrics/diagnostics/snapshot.py): keep it.
            data["diagnostics"] = (snapshot.data or {}).get("diagnostics", [])
            snapshot.data = data
            snapshot.as_of = as_of
            snapshot.computed_at = timezone.now()
            snapshot.duration_ms = int(1000 * (time.monotonic() - started))
            snapshot.last_error = ""
            snapshot.failed_at = None
            snapshot.save()
            return snapshot
    except Exception as error:
        # The transaction rolled back: the last good snapshot is untouched. Record why.
        logger.exception("Dashboard recompute of workspace %s failed", workspace.pk)
        DashboardSnapshot.objects.filter(workspace=workspace).update(
            failed_at=timezone.now(), last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise


def facts_analyze_if_stale(*, kind: str, rows_changed: int) -> bool:
    """Fresh planner statistics after an import that changed a tenth of a fact table or
    more (autovacuum's own rule, applied at once): stale ones turn the KPI and dashboard
    queries into nested loops until autovacuum catches up. True when it analysed."""
    table = FACT_TABLES.get(kind)
    if table is None or rows_changed < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
        if row is None or row[0] <= 0 or rows_changed >= 0.1 * row[0]:
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - a constant table name
            return True
    return False
