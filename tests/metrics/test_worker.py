"""An import through a real Celery worker on PostgreSQL and Redis (marked integration)."""

import pytest

from metrics.models import CampaignMetric
from metrics.models import DashboardSnapshot
from metrics.models import ImportJob
from tests.metrics.helpers import import_job

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(_media, db_worker):
    """The worker starts after the test's MEDIA_ROOT is set, so it finds the upload."""
    return db_worker


def test_upload_is_imported_by_the_worker(worker, workspace, campaign_csv):
    # Not enqueued: sent below to the test's private worker, as the web request would.
    job = import_job(workspace, "campaign", campaign_csv, name="c.csv")
    assert worker.send("metrics.run_import", job.pk).get(timeout=90) == "succeeded"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.message
    assert (job.rows_read, job.rows_imported, job.rows_rejected) == (3, 3, 0)
    assert CampaignMetric.objects.filter(workspace=workspace).count() == 3
    # The import enqueued the dashboard recompute, which the same worker ran.
    worker.send("alignment.ping").get(timeout=60)  # the queue is drained up to here
    snapshot = DashboardSnapshot.objects.get(workspace=workspace)
    assert snapshot.data["kpis"]["spend"] == "150.00"
