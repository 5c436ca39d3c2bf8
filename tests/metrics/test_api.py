"""The metrics API: imports (202 then poll), errors.csv, JSON rows, kpis/, dashboard/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alignment.models import Role
from metrics import services
from metrics.models import CampaignMetric
from metrics.models import ImportJob
from tests.contract import FIELDS as CONTRACT
from tests.factories import ProductFactory
from tests.metrics.factories import ColumnMappingFactory
from tests.metrics.factories import ImportJobFactory
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import import_and_recompute

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workspaces/{}/"


def url(workspace, path):
    return BASE.format(workspace.slug) + path


def upload(api, workspace, data, **extra):
    return api.post(
        url(workspace, "imports/"),
        {"kind": "campaign", "file": SimpleUploadedFile("c.csv", data), **extra},
        format="multipart",
    )


def test_import_is_accepted_then_polled(api, workspace, django_capture_on_commit_callbacks):
    data = csv_bytes(
        CAMPAIGN_HEADER, "2024-03-01,A,email,1,1,1,1,1,1,1", "bad,A,email,1,1,1,1,1,1,1"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(api, workspace, data)
    assert response.status_code == 202
    assert response.json() == {"id": mock_id(response), "status": "queued"}
    assert len(callbacks) >= 1  # the Celery task, enqueued once the job row committed
    job = api.get(url(workspace, f"imports/{mock_id(response)}/")).json()
    for field in CONTRACT["imports/"]:
        assert field in job
    assert (job["status"], job["rows_read"], job["rows_imported"], job["rows_rejected"]) == (
        "succeeded_with_errors",
        2,
        1,
        1,
    )
    assert job["errors_url"].endswith(f"/imports/{job['id']}/errors.csv")
    errors = api.get(job["errors_url"])
    assert errors.status_code == 200
    body = b"".join(errors.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("3,date,")


def mock_id(response):
    return response.json()["id"]


def test_errors_csv_of_a_clean_import_is_404(api, workspace):
    job = ImportJobFactory(workspace=workspace)
    assert api.get(url(workspace, f"imports/{job.pk}/errors.csv")).status_code == 404


def test_errors_csv_of_another_workspace_is_404(api, other_workspace):
    job = ImportJobFactory(workspace=other_workspace, rows_rejected=1)
    assert api.get(url(other_workspace, f"imports/{job.pk}/errors.csv")).status_code == 404


@pytest.mark.parametrize(
    "extra, field",
    [({"kind": "sales"}, "kind"), ({"preset": "tiktok"}, "preset")],
)
def test_bad_upload_fields_are_400(api, workspace, extra, field):
    response = upload(api, workspace, b"date\n", **extra)
    assert response.status_code == 400
    assert field in response.json()


def test_foreign_mapping_is_400(api, workspace, other_workspace):
    mapping = ColumnMappingFactory(workspace=other_workspace)
    response = upload(api, workspace, b"date\n", mapping=mapping.pk)
    assert response.status_code == 400 and "mapping" in response.json()


def test_upload_over_the_limit_is_413(api, workspace, settings):
    settings.METRICS_IMPORT_MAX_SIZE = 5
    response = upload(api, workspace, b"0123456789")
    assert response.status_code == 413
    assert response.json() == {"file": ["The file is larger than the 5 bytes limit."]}


def test_viewer_cannot_import(api_client, workspace, member):
    api_client.force_authenticate(member(Role.VIEWER))
    assert upload(api_client, workspace, b"date\n").status_code == 403
    rows = [{"date": "2024-03-01", "campaign": "A", "spend": 1}]
    assert (
        api_client.post(url(workspace, "metrics/campaign/"), rows, format="json").status_code == 403
    )
    assert api_client.get(url(workspace, "kpis/?kpi=roi")).status_code == 200


def test_import_list_query_count(api, workspace, django_assert_max_num_queries):
    for _ in range(5):
        ImportJobFactory(workspace=workspace, mapping=ColumnMappingFactory(workspace=workspace))
    with django_assert_max_num_queries(6):
        response = api.get(url(workspace, "imports/"))
    assert response.json()["count"] == 5


def test_json_campaign_rows(api, workspace):
    rows = [
        {"date": "2024-03-01", "campaign": "API", "channel": "email", "spend": "9.5", "visits": 3},
        {"date": "2024-03-01", "campaign": "API", "channel": "social", "spend": -1},
    ]
    response = api.post(url(workspace, "metrics/campaign/"), rows, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["rows_imported"], body["rows_rejected"]) == (
        "succeeded_with_errors",
        1,
        1,
    )
    assert body["error_sample"][0] == {
        "line": 3,
        "column": "spend",
        "reason": "cannot be negative ('-1')",
    }
    assert body["created_dimensions"] == {"campaigns": ["API"]}
    again = api.post(url(workspace, "metrics/campaign/"), rows, format="json").json()
    assert again["rows_changed"] == 0 and CampaignMetric.objects.count() == 1


def test_json_usage_rows_and_bad_payloads(api, workspace):
    rows = [{"date": "2024-03-01", "product": "P", "feature": None, "active_users": 10}]
    assert api.post(url(workspace, "metrics/usage/"), rows, format="json").status_code == 201
    assert api.post(url(workspace, "metrics/usage/"), {"a": 1}, format="json").status_code == 400
    assert api.post(url(workspace, "metrics/usage/"), [], format="json").status_code == 400
    response = api.post(url(workspace, "metrics/usage/"), [{"x": 1}], format="json")
    assert response.status_code == 400 and "unknown field(s) x" in response.json()["rows"][0]
    response = api.post(url(workspace, "metrics/usage/"), [{"feature": ""}], format="json")
    assert response.status_code == 400  # no data at all: the import fails as a whole
    assert response.json()["status"] == "failed"


def test_non_member_and_anonymous(api, api_client, other_workspace):
    for path in ("kpis/?kpi=roi", "dashboard/", "imports/"):
        assert api.get(url(other_workspace, path)).status_code == 404
    assert api.post(url(other_workspace, "metrics/campaign/"), [], format="json").status_code == 404
    assert APIClientAnon(api_client, other_workspace) == 401


def APIClientAnon(client, workspace):  # noqa: N802 - reads as a check
    client.force_authenticate(None)
    return client.get(url(workspace, "kpis/?kpi=roi")).status_code


def test_kpis_endpoint(api, workspace):
    services.import_rows(
        actor=None,
        workspace=workspace,
        kind="campaign",
        rows=[{"date": "2024-03-01", "campaign": "A", "spend": 100, "revenue": 150}],
    )
    response = api.get(
        url(workspace, "kpis/?kpi=roi&from=2024-03-01&to=2024-03-02&granularity=day")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["kpi"] == "roi" and body["value"] == 0.5
    assert body["series"] == [
        {"period": "2024-03-01", "value": 0.5},
        {"period": "2024-03-02", "value": None},
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("kpi=nope", "kpi"),
        ("kpi=roi&from=yesterday", "from"),
        ("kpi=roi&granularity=year", "granularity"),
        ("kpi=roi&from=2024-03-02&to=2024-03-01", "to"),
        ("kpi=adoption", "feature"),
    ],
)
def test_kpis_bad_queries_are_400(api, workspace, query, field):
    response = api.get(url(workspace, f"kpis/?{query}"))
    assert response.status_code == 400
    assert field in response.json()


def test_kpis_foreign_product_is_400(api, workspace, other_workspace):
    product = ProductFactory(workspace=other_workspace)
    response = api.get(url(workspace, f"kpis/?kpi=spend&product={product.pk}"))
    assert response.status_code == 400 and "product" in response.json()


def test_dashboard_reads_the_snapshot(api, workspace, django_assert_max_num_queries):
    empty = api.get(url(workspace, "dashboard/")).json()
    assert empty["computed_at"] is None and empty["kpis"] == {}
    import_and_recompute(workspace, "A", 150)
    with django_assert_max_num_queries(4):
        body = api.get(url(workspace, "dashboard/")).json()
    assert set(body) >= {
        "computed_at",
        "kpis",
        "series",
        "diagnostics",
        "headline",
        "top_campaigns",
    }
    assert body["kpis"]["roi"] == 0.5
    # Read again: the payload made from this snapshot version is reused, the data not read.
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url(workspace, "dashboard/")).json() == body
    snapshot_reads = [q["sql"] for q in queries if "metrics_dashboardsnapshot" in q["sql"]]
    assert len(snapshot_reads) == 1 and '"data"' not in snapshot_reads[0]
    # A recompute is answered at once.
    import_and_recompute(workspace, "A", 300)
    assert api.get(url(workspace, "dashboard/")).json()["kpis"]["roi"] == 2.0


def test_mappings_crud(api, workspace):
    response = api.post(
        url(workspace, "mappings/"),
        {"name": "Partner", "kind": "campaign", "columns": {"When": "date"}, "defaults": {}},
        format="json",
    )
    assert response.status_code == 201, response.content
    bad = api.post(
        url(workspace, "mappings/"),
        {"name": "Bad", "kind": "campaign", "columns": {"When": "someday"}},
        format="json",
    )
    assert bad.status_code == 400 and "columns" in bad.json()
    missing = api.post(
        url(workspace, "mappings/"), {"name": "X", "kind": "campaign"}, format="json"
    )
    assert missing.status_code == 400 and "columns" in missing.json()
    pk = response.json()["id"]
    patched = api.patch(url(workspace, f"mappings/{pk}/"), {"name": "Partner 2"}, format="json")
    assert patched.status_code == 200 and patched.json()["name"] == "Partner 2"
    assert ImportJob.objects.count() == 0
