"""Diagnostics tasks: chained after each recompute, on the beat, and the daily digest."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail

from alignment.models import Role
from metrics import tasks
from metrics.models import Diagnosis
from metrics.models import DiagnosticDigest
from metrics.services import diagnostics_digest_send
from tests.collaboration.servers import free_port
from tests.collaboration.servers import smtp_server
from tests.metrics.diagnostics_helpers import campaign
from tests.metrics.diagnostics_helpers import fact
from tests.metrics.factories import DiagnosisFactory

pytestmark = pytest.mark.django_db


def test_recompute_task_runs_the_rules_after_it(workspace, django_capture_on_commit_callbacks):
    fact(workspace, campaign(workspace, "Spender"), 2, spend=2000, revenue=100)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recompute_dashboard.delay(workspace.pk).get() == "ok"
    assert Diagnosis.objects.filter(workspace=workspace, rule="negative_roi").exists()


def test_beat_runs_every_workspace(workspace, other_workspace, django_capture_on_commit_callbacks):
    fact(workspace, campaign(workspace, "Spender"), 2, spend=2000, revenue=100)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_all_diagnostics.delay().get() == 2
    assert Diagnosis.objects.filter(workspace=workspace).count() == 1
    assert tasks.run_diagnostics.delay(10**9).get() == "missing"


def test_beat_schedule_declares_the_diagnostics_tasks():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"metrics.run_all_diagnostics", "metrics.diagnostics_digest_all"} <= names


def test_digest_once_per_team_per_day(workspace, member):
    member(Role.PMM, email="pmm@example.com")
    member(Role.MARKETING, email="mkt@example.com")
    member(Role.PM, email="pm@example.com")
    DiagnosisFactory(workspace=workspace, message="Spends too much", severity="high")
    DiagnosisFactory(workspace=workspace, state="resolved", message="Old news")
    DiagnosisFactory(workspace=workspace, team="product", message="Product's problem")
    assert diagnostics_digest_send(workspace=workspace, team="marketing") == 1
    [message] = mail.outbox
    assert sorted(message.to) == ["mkt@example.com", "pmm@example.com"]
    assert "Spends too much" in message.body and "Old news" not in message.body
    assert "Product's problem" not in message.body
    assert "(Negative ROI)" in message.body and "negative_roi" not in message.body
    assert diagnostics_digest_send(workspace=workspace, team="marketing") == 0
    assert len(mail.outbox) == 1
    assert diagnostics_digest_send(workspace=workspace, team="product") == 1
    assert mail.outbox[1].to == ["pm@example.com"]


def test_no_digest_without_diagnoses(workspace, member):
    member(Role.PMM, email="pmm@example.com")
    assert diagnostics_digest_send(workspace=workspace, team="marketing") == 0
    assert mail.outbox == [] and not DiagnosticDigest.objects.exists()


def test_a_digest_the_mail_server_refused_is_sent_by_the_next_try(workspace, member, settings):
    member(Role.PMM, email="pmm@example.com")
    DiagnosisFactory(workspace=workspace, message="Spends too much")
    # Nothing listens on this port of 127.0.0.1: the connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with pytest.raises(OSError):
        diagnostics_digest_send(workspace=workspace, team="marketing")
    assert not DiagnosticDigest.objects.exists()  # the day is not claimed by a failed send
    with smtp_server(settings) as inbox:
        assert diagnostics_digest_send(workspace=workspace, team="marketing") == 1
        assert diagnostics_digest_send(workspace=workspace, team="marketing") == 0
    [(_, recipients, message)] = inbox.messages
    assert recipients == ["pmm@example.com"] and "Spends too much" in message.get_content()
    assert DiagnosticDigest.objects.get(workspace=workspace).diagnosis_count == 1


def test_the_digest_task_retries_a_mail_server_error():
    task = tasks.diagnostics_digest
    assert OSError in task.autoretry_for and task.max_retries >= 3 and task.retry_backoff


def test_digest_all_task_fans_out(workspace, member):
    member(Role.PMM, email="pmm@example.com")
    DiagnosisFactory(workspace=workspace)
    assert tasks.diagnostics_digest_all.delay().get() == 4
    assert len(mail.outbox) == 1


@pytest.mark.integration
def test_digest_through_a_real_worker(db_worker, workspace, member):
    member(Role.PMM, email="pmm@example.com")
    DiagnosisFactory(workspace=workspace)
    assert (
        db_worker.send("metrics.diagnostics_digest", workspace.pk, "marketing").get(timeout=90) == 1
    )
    digest = DiagnosticDigest.objects.get(workspace=workspace)
    assert (digest.team, digest.sent_on, digest.diagnosis_count) == ("marketing", date.today(), 1)
    # A second run the same day (a retry, or beat firing twice) sends nothing.
    assert (
        db_worker.send("metrics.diagnostics_digest", workspace.pk, "marketing").get(timeout=90) == 0
    )
    assert DiagnosticDigest.objects.count() == 1
    # And the rules run in the worker too.
    fact(workspace, campaign(workspace, "Spender"), 2, spend=2000, revenue=100)
    result = db_worker.send("metrics.run_diagnostics", workspace.pk).get(timeout=90)
    assert result.startswith("created 1")
    assert db_worker.process.poll() is None
