"""The embedded default's path: staging table + INSERT ... ON CONFLICT DO UPDATE WHERE
<changed>. Skipped on PostgreSQL, which takes the COPY/MERGE path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.models import CampaignMetric
from metrics.models import UsageMetric
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import USAGE_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sqlite_only")]


def test_upsert_writes_only_changed_rows(workspace, campaign_csv):
    first = run_import(workspace, "campaign", campaign_csv)
    corrected = csv_bytes(CAMPAIGN_HEADER, "2024-03-02,Spring Sale,email,55,500,20,10,5,1,80")
    with CaptureQueriesContext(connection) as captured:
        second = run_import(workspace, "campaign", corrected)
    assert any("ON CONFLICT" in q["sql"] for q in captured.captured_queries)
    assert not any("MERGE" in q["sql"] for q in captured.captured_queries)
    writers = CampaignMetric.objects.values_list("import_job_id", flat=True)
    assert sorted(writers) == [first.pk, first.pk, second.pk]


def test_product_totals_use_the_partial_unique_index(workspace):
    data = csv_bytes(USAGE_HEADER, "2024-03-01,P,,10,0,0,0")
    run_import(workspace, "usage", data)
    run_import(workspace, "usage", data.replace(b",10,", b",12,"))
    assert list(UsageMetric.objects.values_list("active_users", flat=True)) == [12]
