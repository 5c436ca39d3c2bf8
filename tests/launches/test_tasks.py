"""Celery tasks of launches: eagerly in unit tests, and the digest through a real worker
(marked integration: Redis and PostgreSQL, see tests/workers.py)."""

from datetime import date
from datetime import timedelta

import pytest
from django.conf import settings

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event
from alignment.models import Role
from launches.models import OverdueDigest
from launches.tasks import send_overdue_digests
from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory

pytestmark = pytest.mark.django_db


def test_digest_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["launches-overdue-digest"]
    assert entry["task"] == send_overdue_digests.name


def test_digest_task_sends_once_per_day(workspace, member):
    pmm = member(Role.PMM, email="pmm@example.com")
    launch = LaunchFactory(workspace=workspace)
    LaunchTaskFactory(
        workspace=workspace, launch=launch, assignee=pmm, due_date=date.today() - timedelta(1)
    )
    assert send_overdue_digests.delay().get() == 1
    assert send_overdue_digests.delay().get() == 0
    [event] = Event.objects.filter(kind=EventKind.TASK_OVERDUE)
    assert event.recipient_ids == [pmm.pk]
    assert OverdueDigest.objects.filter(user=pmm, sent_on=date.today()).exists()


def test_digest_skips_former_members(workspace, member):
    pmm = member(Role.PMM, email="pmm@example.com")
    LaunchTaskFactory(workspace=workspace, assignee=pmm, due_date=date.today() - timedelta(1))
    pmm.memberships.all().delete()
    assert send_overdue_digests.delay().get() == 0
    assert not Event.objects.exists()


@pytest.mark.integration
def test_digest_through_a_real_worker(db_worker, workspace, member):
    pmm = member(Role.PMM, email="pmm@example.com")
    LaunchTaskFactory(workspace=workspace, assignee=pmm, due_date=date.today() - timedelta(1))
    assert db_worker.send("launches.overdue_digest").get(timeout=90) == 1
    digest = OverdueDigest.objects.get(user=pmm)
    assert (digest.sent_on, digest.task_count) == (date.today(), 1)
    # A second run the same day (a retry, or beat firing twice) sends nothing.
    assert db_worker.send("launches.overdue_digest").get(timeout=90) == 0
    assert OverdueDigest.objects.count() == 1
    assert db_worker.process.poll() is None
