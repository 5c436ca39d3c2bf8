"""The metrics pages: dashboard, upload with progress, result, errors.csv, mappings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment.models import Role
from metrics import services
from metrics.models import ImportJob
from tests.metrics.factories import ImportJobFactory
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import import_and_recompute

pytestmark = pytest.mark.django_db


def page(name, workspace, *args):
    return reverse(f"metrics:{name}", args=[workspace.slug, *args])


def test_dashboard_page_empty_then_with_snapshot(web, workspace, django_assert_max_num_queries):
    response = web.get(page("index", workspace))
    assert response.status_code == 200
    assert b"No dashboard yet" in response.content
    import_and_recompute(workspace, "Winner", 150)
    with django_assert_max_num_queries(10):
        response = web.get(page("index", workspace) + "?period=7")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Winner" in content and "chart.umd.min.js" in content
    assert 'id="dashboard-series"' in content


def test_dashboard_body_is_rendered_once_per_snapshot_version(
    web, workspace, django_assert_max_num_queries
):
    import_and_recompute(workspace, "Winner", 150)
    first = web.get(page("index", workspace)).content.decode()
    assert "Winner" in first
    # At most: session, user, the user's memberships, the snapshot's version, the product
    # filter's choices, the bell's unread count.
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(6):
        again = web.get(page("index", workspace)).content.decode()
    assert again.split("<main")[1] == first.split("<main")[1]  # the header has a CSRF token
    snapshot_reads = [q["sql"] for q in queries if "metrics_dashboardsnapshot" in q["sql"]]
    assert len(snapshot_reads) == 1 and '"data"' not in snapshot_reads[0]
    # A recompute is shown at once, in every period.
    import_and_recompute(workspace, "Newcomer", 900)
    for period in ("7", "30", "90"):
        content = web.get(page("index", workspace) + f"?period={period}").content.decode()
        assert "Newcomer" in content


def test_upload_page_stores_the_file_and_shows_the_result(
    web, workspace, django_capture_on_commit_callbacks
):
    data = csv_bytes(
        CAMPAIGN_HEADER, "2024-03-01,A,email,1,1,1,1,1,1,1", "2024-03-01,B,email,x,1,1,1,1,1,1"
    )
    assert web.get(page("import_create", workspace)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            page("import_create", workspace),
            {"kind": "campaign", "file": SimpleUploadedFile("c.csv", data)},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    detail = web.get(job.get_absolute_url())
    assert b"Succeeded with errors" in detail.content
    assert b"errors.csv" in detail.content and b"Created 1 campaigns:</strong> A" in detail.content
    download = web.get(page("import_errors", workspace, job.pk))
    assert download.status_code == 200
    assert b"is not an amount" in b"".join(download.streaming_content)


def test_progress_is_polled_with_htmx_until_finished(web, workspace):
    job = ImportJobFactory(workspace=workspace, status=ImportJob.Status.RUNNING, progress=40)
    partial = web.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    content = partial.content.decode()
    assert 'hx-trigger="every 1s"' in content and 'value="40"' in content
    assert "<html" not in content
    job.status = ImportJob.Status.SUCCEEDED
    job.save()
    assert b"hx-trigger" not in web.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content


def test_an_upload_over_the_limit_is_a_413_naming_it(web, workspace, settings):
    settings.METRICS_IMPORT_MAX_SIZE = 3
    response = web.post(
        page("import_create", workspace),
        {"kind": "campaign", "file": SimpleUploadedFile("c.csv", b"0123456")},
    )
    assert response.status_code == 413
    assert b"The file is larger than the 3 bytes limit." in response.content
    assert not ImportJob.objects.exists()


def test_viewer_cannot_upload_and_other_workspaces_are_404(
    client, workspace, other_workspace, member
):
    client.force_login(member(Role.VIEWER))
    assert client.get(page("import_create", workspace)).status_code == 403
    assert client.get(page("import_list", workspace)).status_code == 200
    assert client.get(page("index", other_workspace)).status_code == 404
    job = ImportJobFactory(workspace=other_workspace)
    assert client.get(page("import_detail", workspace, job.pk)).status_code == 404


def test_import_list_and_mappings(web, workspace, django_assert_max_num_queries):
    for _ in range(3):
        ImportJobFactory(workspace=workspace)
    with django_assert_max_num_queries(10):
        assert web.get(page("import_list", workspace)).status_code == 200
    response = web.post(
        page("mapping_create", workspace),
        {
            "name": "Partner",
            "kind": "campaign",
            "columns": "When = date\nName = campaign",
            "defaults": "channel = partner",
        },
    )
    assert response.status_code == 302
    listing = web.get(page("mapping_list", workspace)).content.decode()
    assert "Partner" in listing and "When → date" in listing
    bad = web.post(
        page("mapping_create", workspace),
        {"name": "Bad", "kind": "campaign", "columns": "no equals sign"},
    )
    assert bad.status_code == 200 and b"header = field" in bad.content


@pytest.mark.django_db(transaction=True)  # the upload really commits, as in the app
def test_an_import_that_already_ran_shows_its_result_not_that_it_is_running(web, workspace):
    """In-process tasks (no worker configured): the import ran when the upload committed,
    before the redirect."""
    data = csv_bytes(CAMPAIGN_HEADER, "2024-03-01,A,email,1,1,1,1,1,1,1")
    response = web.post(
        page("import_create", workspace),
        {"kind": "campaign", "file": SimpleUploadedFile("c.csv", data)},
        follow=True,
    )
    content = response.content.decode()
    assert "Succeeded" in content and "Rows imported" in content
    assert "is running" not in content
    assert "<progress" not in content and "hx-trigger" not in content


def test_an_import_a_worker_runs_shows_live_progress(
    web, workspace, django_capture_on_commit_callbacks, monkeypatch
):
    # A worker's queue: the job is handed over and stays queued (patched where it is called).
    monkeypatch.setattr(services.imports, "import_job_enqueue", lambda *, job_id: True)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            page("import_create", workspace),
            {"kind": "campaign", "file": SimpleUploadedFile("c.csv", b"date,campaign,spend\n")},
            follow=True,
        )
    content = response.content.decode()
    assert "File received: the import is running." in content
    assert 'hx-trigger="every 1s"' in content and "<progress" not in content  # not started
    assert "Waiting for a worker to start the import" in content
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, progress=30)
    running = web.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'value="30"' in running and 'hx-trigger="every 1s"' in running


def test_import_form_preselects_the_kind_an_empty_chart_asks_for(web, workspace):
    url = page("import_create", workspace)
    assert web.get(url, {"kind": "survey"}).context["form"]["kind"].value() == "survey"
    assert web.get(url, {"kind": "nope"}).context["form"]["kind"].value() is None
