"""Celery tasks (eager here) and the import_data command."""

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from metrics import tasks
from metrics.models import BackgroundRun
from metrics.models import CampaignMetric
from metrics.models import DashboardSnapshot
from metrics.models import ImportJob
from tests.metrics.helpers import CAMPAIGN_HEADER
from tests.metrics.helpers import csv_bytes
from tests.metrics.helpers import import_job

pytestmark = pytest.mark.django_db


def test_run_import_task_and_redelivery(workspace, campaign_csv):
    job = import_job(workspace, "campaign", campaign_csv, name="c.csv")
    assert tasks.run_import.delay(job.pk).get() == "succeeded"
    CampaignMetric.objects.all().delete()
    assert tasks.run_import.delay(job.pk).get() == "succeeded"  # a redelivered message
    assert not CampaignMetric.objects.exists()  # ...changes nothing
    assert tasks.run_import.delay(999999).get() == "missing"


def test_import_enqueues_the_dashboard_recompute(
    workspace, campaign_csv, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job(workspace, "campaign", campaign_csv, name="c.csv", enqueue=True)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.SUCCEEDED
    snapshot = DashboardSnapshot.objects.get(workspace=workspace)
    assert snapshot.data["kpis"]["spend"] == "150.00"


def test_beat_entry_recomputes_every_workspace(
    workspace, other_workspace, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_all_dashboards.delay().get() == 2
    assert DashboardSnapshot.objects.count() == 2
    assert not BackgroundRun.objects.exists()  # each run ended
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "metrics.recompute_all_dashboards" in names


def test_import_data_command(workspace, tmp_path, capsys):
    path = tmp_path / "campaign.csv"
    path.write_bytes(
        csv_bytes(CAMPAIGN_HEADER, "2024-03-01,A,email,1,1,1,1,1,1,1", "x,A,,1,1,1,1,1,1,1")
    )
    call_command("import_data", "campaign", str(path), "--workspace", workspace.slug)
    out, err = capsys.readouterr()
    assert "succeeded_with_errors: 2 read, 1 imported" in out
    assert "Created 1 campaigns: A" in out and "100%" in err
    call_command("import_data", "campaign", str(path), "--workspace", workspace.slug)
    assert "Identical to import" in capsys.readouterr()[0]
    with pytest.raises(CommandError, match="No workspace"):
        call_command("import_data", "campaign", str(path), "--workspace", "nope")
    path.write_bytes(b"not,a,table\n1,2,3\n")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("import_data", "campaign", str(path), "--workspace", workspace.slug)


def test_demo_seed_is_idempotent(workspace):
    from metrics.demo import seed

    seed(workspace)
    counts = [CampaignMetric.objects.count(), ImportJob.objects.filter(rows_changed__gt=0).count()]
    seed(workspace)
    assert [
        CampaignMetric.objects.count(),
        ImportJob.objects.filter(rows_changed__gt=0).count(),
    ] == counts
    assert counts[0] > 300
    assert not ImportJob.objects.filter(rows_rejected__gt=0).exists()
    assert DashboardSnapshot.objects.get(workspace=workspace).data["feature_adoption"]
