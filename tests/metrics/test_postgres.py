"""The PostgreSQL data path: COPY into staging, MERGE, advisory locks. Skipped on SQLite
(with the reason shown); CI runs them with DATABASE_URL=postgres://..."""

import threading

import pytest
from django.db import connection

from alignment.locks import SCOPES
from alignment.locks import workspace_lock
from metrics.models import CampaignMetric
from metrics.models import ImportJob
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import
from tests.workers import second_connection
from tests.workers import wait_for

pytestmark = pytest.mark.usefixtures("postgres_only")


@pytest.mark.django_db
def test_copy_carries_awkward_text_exactly(workspace):
    name = 'Tab\there, back\\slash, "quote"\nnew line'
    data = (
        CAMPAIGN_HEADER.encode()
        + b"\n"
        + ('2024-03-01,"' + name.replace('"', '""') + '",email,1,1,1,1,1,1,1\n').encode()
    )
    job = run_import(workspace, "campaign", data)
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert CampaignMetric.objects.select_related("campaign").get().campaign.name == name


@pytest.mark.django_db
def test_staging_tables_are_dropped(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'metrics_stage_%%'")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_merge_writes_only_changed_rows(workspace, campaign_csv):
    run_import(workspace, "campaign", campaign_csv)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM metrics_campaignmetric ORDER BY id")
        before = dict(cursor.fetchall())
    corrected = csv_bytes(CAMPAIGN_HEADER, "2024-03-02,Spring Sale,email,55,500,20,10,5,1,80")
    run_import(workspace, "campaign", corrected)
    run_import(workspace, "campaign", campaign_csv.replace(b"50.00,500", b"55,500"), force=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM metrics_campaignmetric ORDER BY id")
        after = dict(cursor.fetchall())
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert len(changed) == 1  # only the corrected row got a new version


@pytest.mark.django_db(transaction=True)
def test_advisory_lock_is_per_workspace(workspace, other_workspace):
    holder = second_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [SCOPES["dashboard"], workspace.pk])
        with workspace_lock("dashboard", workspace.pk, wait=False) as acquired:
            assert acquired is False
        with workspace_lock("dashboard", other_workspace.pk, wait=False) as acquired:
            assert acquired is True
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SCOPES["dashboard"], workspace.pk])
    finally:
        holder.close()
    with workspace_lock("dashboard", workspace.pk, wait=False) as acquired:
        assert acquired is True


def _waiting_for_an_advisory_lock(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_the_workspace_lock(workspace, campaign_csv):
    holder = second_connection()
    finished = threading.Event()
    outcome = {}

    def run():
        from django.db import connections

        try:
            outcome["job"] = run_import(workspace, "campaign", campaign_csv)
        finally:
            connections.close_all()
            finished.set()

    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [SCOPES["import"], workspace.pk])
        thread = threading.Thread(target=run)
        thread.start()
        wait_for(lambda: _waiting_for_an_advisory_lock(holder), timeout=30, what="the wait")
        assert not finished.is_set()  # parsed and staged, waiting to merge
        assert not CampaignMetric.objects.exists()
    finally:
        holder.close()  # releases the lock
    thread.join(timeout=30)
    assert outcome["job"].status == ImportJob.Status.SUCCEEDED
    assert CampaignMetric.objects.count() == 3


@pytest.mark.django_db
def test_statistics_are_refreshed_after_a_large_import_by_the_follow_up_task(
    workspace, django_capture_on_commit_callbacks
):
    """ANALYZE of the fact table runs in the recompute task that follows the import (fresh
    statistics for the snapshot's queries), not inside the import's own time."""
    from django.test.utils import CaptureQueriesContext

    rows = [
        f"2024-01-{day:02d},C{n},email,1,1,1,1,0,0,0" for day in range(1, 29) for n in range(400)
    ]
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=False) as follow_ups,
    ):
        job = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *rows))
    assert job.rows_changed == 11_200
    assert not [q for q in queries.captured_queries if q["sql"] == "ANALYZE metrics_campaignmetric"]
    with CaptureQueriesContext(connection) as queries:
        for callback in follow_ups:
            callback()
    analysed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert analysed == ["ANALYZE metrics_campaignmetric"]

    small = run_import(workspace, "campaign", csv_bytes(CAMPAIGN_HEADER, *rows[:50]), force=True)
    assert small.rows_changed == 0
