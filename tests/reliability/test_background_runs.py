"""Dashboard recomputes and diagnostics runs as leased background runs: requested once,
widened while they wait, claimed once, kept alive by a heartbeat, re-queued by the sweeper
when their worker stops (unit tests: any database, no broker)."""

from datetime import date
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from metrics import services
from metrics import tasks
from metrics.models import BackgroundRun
from metrics.models import DashboardSnapshot
from tests.reliability.test_outbox import celery_conf

pytestmark = pytest.mark.django_db
DASHBOARD, DIAGNOSTICS = BackgroundRun.Kind.DASHBOARD, BackgroundRun.Kind.DIAGNOSTICS
QUEUED, RUNNING = BackgroundRun.Status.QUEUED, BackgroundRun.Status.RUNNING


@pytest.fixture
def broker():
    """Both tasks' publish, as if a real broker were configured (not eager)."""
    with (
        celery_conf(task_always_eager=False),
        mock.patch.object(tasks.recompute_dashboard, "apply_async") as recompute,
        mock.patch.object(tasks.run_diagnostics, "apply_async") as diagnose,
    ):
        yield {"dashboard": recompute, "diagnostics": diagnose}


def _request(workspace, **fields):
    return services.background_run_request(workspace_id=workspace.pk, **fields)


def test_requests_while_one_waits_widen_it(workspace, django_capture_on_commit_callbacks, broker):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(
            workspace,
            kind=DASHBOARD,
            date_from=date(2024, 3, 5),
            date_to=date(2024, 3, 9),
            changed_kind="campaign",
            rows_changed=10,
        )
        _request(
            workspace,
            kind=DASHBOARD,
            date_from=date(2024, 3, 1),
            date_to=date(2024, 3, 6),
            changed_kind="usage",
            rows_changed=500,
        )
        _request(workspace, kind=DIAGNOSTICS)
    runs = BackgroundRun.objects.filter(workspace=workspace)
    assert runs.count() == 2  # one per kind
    run = runs.get(kind=DASHBOARD)
    assert run.pk == first.pk
    assert (run.date_from, run.date_to) == (date(2024, 3, 1), date(2024, 3, 9))
    assert (run.changed_kind, run.rows_changed) == ("usage", 500)  # the larger change
    assert broker["dashboard"].call_count == 1  # the second request rode on the first
    assert broker["dashboard"].call_args.args[1]["run_id"] == run.pk
    assert run.enqueued_at is not None

    _request(workspace, kind=DASHBOARD)  # no dates: everything
    run.refresh_from_db()
    assert (run.date_from, run.date_to) == (None, None)
    _request(workspace, kind=DASHBOARD, date_from=date(2024, 1, 1), date_to=date(2024, 1, 2))
    run.refresh_from_db()
    assert (run.date_from, run.date_to) == (None, None)  # still everything


def test_a_request_while_one_runs_queues_another(workspace, broker):
    running = _request(workspace, kind=DASHBOARD)
    BackgroundRun.objects.filter(pk=running.pk).update(status=RUNNING)
    waiting = _request(workspace, kind=DASHBOARD)
    assert waiting.pk != running.pk and waiting.status == QUEUED


def test_a_run_is_claimed_once_and_ends_whatever_happens(workspace):
    run = _request(workspace, kind=DASHBOARD)
    with services.background_run_lease(run_id=run.pk, heartbeat=False) as claimed:
        assert claimed.pk == run.pk and claimed.attempts == 1
        assert BackgroundRun.objects.get(pk=run.pk).status == RUNNING
        with services.background_run_lease(run_id=run.pk, heartbeat=False) as again:
            assert again is None  # a redelivered message while it runs
    assert not BackgroundRun.objects.filter(pk=run.pk).exists()

    failing = _request(workspace, kind=DIAGNOSTICS)
    with (
        pytest.raises(RuntimeError),
        services.background_run_lease(run_id=failing.pk, heartbeat=False),
    ):
        raise RuntimeError("the rules failed")
    assert not BackgroundRun.objects.filter(pk=failing.pk).exists()


def test_a_redelivered_task_does_nothing(workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = _request(workspace, kind=DASHBOARD)  # in-process: runs at once
    assert DashboardSnapshot.objects.filter(workspace=workspace).exists()
    assert not BackgroundRun.objects.filter(pk=run.pk).exists()
    DashboardSnapshot.objects.all().delete()
    assert tasks.recompute_dashboard.delay(workspace.pk, run_id=run.pk).get() == "done"
    assert tasks.run_diagnostics.delay(workspace.pk, run_id=run.pk).get() == "done"
    assert not DashboardSnapshot.objects.exists()


def test_the_sweeper_requeues_runs_whose_worker_stopped(workspace, other_workspace, broker):
    old = timezone.now() - timedelta(minutes=5)
    silent = _request(workspace, kind=DASHBOARD, date_from=date(2024, 3, 1))
    alive = _request(other_workspace, kind=DASHBOARD)
    BackgroundRun.objects.filter(pk=silent.pk).update(
        status=RUNNING, attempts=1, enqueued_at=old, heartbeat_at=old
    )
    BackgroundRun.objects.filter(pk=alive.pk).update(
        status=RUNNING, attempts=1, enqueued_at=old, heartbeat_at=timezone.now()
    )
    assert services.background_runs_sweep() == 1
    silent.refresh_from_db()
    assert (silent.status, silent.message) == (QUEUED, services.RUN_WORKER_STOPPED)
    assert silent.enqueued_at is not None  # published again, at once
    assert broker["dashboard"].call_args.args[1]["run_id"] == silent.pk
    assert BackgroundRun.objects.get(pk=alive.pk).status == RUNNING


def test_a_stopped_run_folds_into_the_one_waiting(workspace, broker):
    old = timezone.now() - timedelta(minutes=5)
    lost = _request(workspace, kind=DASHBOARD, date_from=date(2024, 2, 1), date_to=date(2024, 2, 3))
    BackgroundRun.objects.filter(pk=lost.pk).update(status=RUNNING, heartbeat_at=old)
    waiting = _request(
        workspace, kind=DASHBOARD, date_from=date(2024, 3, 1), date_to=date(2024, 3, 3)
    )
    services.background_runs_sweep()
    assert list(BackgroundRun.objects.values_list("pk", flat=True)) == [waiting.pk]
    waiting.refresh_from_db()
    assert (waiting.date_from, waiting.date_to) == (date(2024, 2, 1), date(2024, 3, 3))


def test_a_run_the_broker_never_got_waits_for_the_sweeper(
    workspace, django_capture_on_commit_callbacks, broker
):
    broker["dashboard"].side_effect = BrokerError("Error 111 connecting")
    with django_capture_on_commit_callbacks(execute=True):
        run = _request(workspace, kind=DASHBOARD)
    run.refresh_from_db()
    assert (run.status, run.enqueued_at) == (QUEUED, None)
    assert services.background_runs_sweep() == 0  # within the grace period
    broker["dashboard"].side_effect = None
    BackgroundRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert services.background_runs_sweep() == 1
    assert BackgroundRun.objects.get(pk=run.pk).enqueued_at is not None


def test_the_beat_sweeper_covers_imports_and_runs(workspace, broker):
    run = _request(workspace, kind=DIAGNOSTICS)
    BackgroundRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    with mock.patch.object(tasks.run_import, "apply_async"):
        assert tasks.sweep_imports() == 1
    assert broker["diagnostics"].call_args.args[1] == {"run_id": run.pk}
