"""Notification email: mailed at once, in the daily digest or not at all per the member's
preference; claimed with a lease so a rerun or a second worker never mails it twice, and a
lost or failed send is picked up by the sweep. One test sends through a real SMTP server
on localhost (aiosmtpd) and reads what arrived."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from alignment.collaboration import services
from alignment.collaboration import tasks
from alignment.collaboration.kinds import Delivery
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Notification
from alignment.collaboration.services.email import DUE_AFTER
from alignment.collaboration.services.email import LEASE
from alignment.models import Membership
from alignment.models import Role
from tests.alignment.factories import ClaimFactory
from tests.collaboration.servers import free_port
from tests.collaboration.servers import smtp_server

pytestmark = pytest.mark.django_db

BASE = "https://tandem.example.com"


@pytest.fixture(autouse=True)
def _links(settings):
    settings.EMAIL_LINK_BASE_URL = BASE
    settings.DEFAULT_FROM_EMAIL = "Tandem <tandem@example.com>"


@pytest.fixture
def people(member):
    return {"pm": member(Role.PM, username="paula"), "pmm": member(Role.PMM, username="mark")}


@pytest.fixture
def record(workspace, django_capture_on_commit_callbacks):
    """record(kind, actor, recipients, message) -> the event, fanned out (and its
    immediate email sent) after commit, as in a request."""

    def make(kind, actor, recipients, message, subject=None, workspace_=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.event_record(
                workspace=workspace_ or workspace,
                kind=kind,
                actor=actor,
                subject=subject,
                recipients=[user.pk for user in recipients],
                message=message,
            )

    return make


def the_notification(event, user) -> Notification:
    return Notification.objects.get(event=event, recipient=user)


def test_immediately_mails_one_message_with_the_link_and_the_preferences(workspace, people, record):
    claim = ClaimFactory(workspace=workspace, author=people["pm"])
    event = record(
        EventKind.CLAIM_SUBMITTED,
        people["pm"],
        [people["pmm"]],
        "paula submitted “Faster checkout” for review",
        subject=claim,
    )
    [message] = mail.outbox
    notification = the_notification(event, people["pmm"])
    assert message.subject == "[Tandem] paula submitted “Faster checkout” for review"
    assert message.to == ["mark@example.com"]
    assert message.from_email == "Tandem <tandem@example.com>"
    assert f"{BASE}/w/acme/notifications/{notification.pk}/open/" in message.body
    assert f"{BASE}/w/acme/notifications/settings/" in message.body
    assert "Claim submitted for review" in message.body
    assert notification.email == Notification.Email.SENT
    assert notification.emailed_at is not None
    # A rerun of the task (a redelivered message) mails nothing more.
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_the_actor_gets_no_email_for_their_own_action(people, record):
    record(EventKind.CLAIM_REVIEWED, people["pm"], [people["pm"]], "You reviewed it")
    assert mail.outbox == []


def test_digest_waits_for_the_daily_email_grouped_by_kind(workspace, people, record):
    pmm = people["pmm"]
    services.notification_preferences_update(user=pmm, choices={"claim.submitted": Delivery.DIGEST})
    first = record(EventKind.CLAIM_SUBMITTED, people["pm"], [pmm], "paula submitted Claim A")
    second = record(EventKind.CLAIM_SUBMITTED, people["pm"], [pmm], "paula submitted Claim B")
    # import.finished is a digest kind by default.
    third = record(EventKind.IMPORT_FINISHED, None, [pmm], "The import of ads.csv finished")
    assert mail.outbox == []
    assert the_notification(first, pmm).email == Notification.Email.DIGEST

    assert services.notification_digests_send() == 1
    [digest] = mail.outbox
    assert digest.to == ["mark@example.com"]
    assert digest.subject == "[Tandem] Daily digest for Acme: 3 notifications"
    body = digest.body
    # Grouped by kind: each kind's heading, then its notifications.
    assert body.index("Claim submitted for review") < body.index("paula submitted Claim A")
    assert body.index("Import finished") < body.index("The import of ads.csv finished")
    for event in (first, second, third):
        pk = the_notification(event, pmm).pk
        assert f"{BASE}/w/acme/notifications/{pk}/open/" in body
    assert f"{BASE}/w/acme/notifications/settings/" in body
    assert {n.email for n in Notification.objects.filter(recipient=pmm)} == {"sent"}

    # A rerun the same day sends nothing twice.
    assert services.notification_digests_send() == 0
    assert tasks.email_digests.delay().get() == 0
    assert len(mail.outbox) == 1
    # What comes after goes into the next digest, alone.
    record(EventKind.IMPORT_FINISHED, None, [pmm], "Another import finished")
    assert services.notification_digests_send() == 1
    assert "Another import finished" in mail.outbox[1].body
    assert "Claim A" not in mail.outbox[1].body


def test_one_digest_per_member_and_workspace(workspace, other_workspace, member, people, record):
    pmm = people["pmm"]
    Membership.objects.create(user=pmm, workspace=other_workspace, role=Role.PMM)
    record(EventKind.IMPORT_FINISHED, None, [pmm], "Acme import finished")
    record(
        EventKind.IMPORT_FINISHED, None, [pmm], "Globex import finished", workspace_=other_workspace
    )
    record(EventKind.IMPORT_FINISHED, None, [people["pm"]], "For paula")
    assert services.notification_digests_send() == 3
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == [
        ("mark@example.com", "[Tandem] Daily digest for Acme: 1 notification"),
        ("mark@example.com", "[Tandem] Daily digest for Globex: 1 notification"),
        ("paula@example.com", "[Tandem] Daily digest for Acme: 1 notification"),
    ]
    globex = next(m for m in mail.outbox if "Globex" in m.subject)
    assert "Globex import finished" in globex.body and "Acme import" not in globex.body


def test_off_mails_nothing_ever(people, record):
    pmm = people["pmm"]
    services.notification_preferences_update(user=pmm, choices={"claim.submitted": Delivery.OFF})
    event = record(EventKind.CLAIM_SUBMITTED, people["pm"], [pmm], "paula submitted a claim")
    notification = the_notification(event, pmm)
    assert notification.email == Notification.Email.OFF
    assert notification.read_at is None  # still shown in the app
    assert services.notification_digests_send() == 0
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_a_member_without_an_email_address_is_not_mailed(people, record):
    people["pmm"].email = ""
    people["pmm"].save()
    event = record(EventKind.CLAIM_SUBMITTED, people["pm"], [people["pmm"]], "Submitted")
    assert the_notification(event, people["pmm"]).email == Notification.Email.OFF
    assert mail.outbox == []


def test_someone_who_left_the_workspace_is_not_mailed(workspace, people, record):
    pmm = people["pmm"]
    services.notification_preferences_update(user=pmm, choices={"claim.submitted": Delivery.DIGEST})
    event = record(EventKind.CLAIM_SUBMITTED, people["pm"], [pmm], "Submitted")
    Membership.objects.filter(user=pmm, workspace=workspace).delete()
    assert services.notification_digests_send() == 0
    assert the_notification(event, pmm).email == Notification.Email.OFF
    assert mail.outbox == []


def pending(event, user) -> Notification:
    """The notification as its task left it if it was lost before it ran."""
    notification = the_notification(event, user)
    Notification.objects.filter(pk=notification.pk).update(
        email=Notification.Email.PENDING, emailed_at=None
    )
    mail.outbox.clear()
    return notification


def test_a_leased_notification_is_not_sent_by_a_second_run(people, record):
    event = record(EventKind.CLAIM_SUBMITTED, people["pm"], [people["pmm"]], "Submitted")
    notification = pending(event, people["pmm"])
    # Another worker claimed it a moment ago and is sending it.
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []
    # That worker died: once its lease is over, the next run sends it.
    Notification.objects.filter(pk=notification.pk).update(
        emailed_at=timezone.now() - LEASE - timedelta(seconds=1)
    )
    assert services.notification_email_send(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_the_sweep_sends_what_lost_its_task(people, record):
    event = record(EventKind.CLAIM_SUBMITTED, people["pm"], [people["pmm"]], "Submitted")
    notification = pending(event, people["pmm"])
    now = timezone.now()
    assert services.notification_emails_due(now=now) == []  # too recent: its task may run
    later = now + DUE_AFTER + timedelta(seconds=1)
    assert services.notification_emails_due(now=later) == [notification.pk]
    # Leased by a run in progress: not due.
    Notification.objects.filter(pk=notification.pk).update(emailed_at=later)
    assert services.notification_emails_due(now=later) == []
    # Lost long enough ago: the periodic sweep publishes it again, and it is sent.
    old = now - DUE_AFTER - LEASE - timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(created_at=old, emailed_at=old)
    assert tasks.sweep.delay().get() >= 1
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT
    assert services.notification_emails_due() == []


def test_a_failed_send_stays_pending_and_is_sent_after_its_lease(people, record, settings):
    event = record(EventKind.CLAIM_SUBMITTED, people["pm"], [people["pmm"]], "Submitted")
    notification = pending(event, people["pmm"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    with pytest.raises(OSError):
        services.notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email == Notification.Email.PENDING
    assert notification.emailed_at is not None  # leased: no other run retries at once
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notification_email_send(notification_id=notification.pk) is False
    Notification.objects.filter(pk=notification.pk).update(
        emailed_at=notification.emailed_at - LEASE - timedelta(seconds=1),
        created_at=notification.created_at - DUE_AFTER - timedelta(seconds=1),
    )
    assert services.notification_emails_due() == [notification.pk]
    assert services.notification_email_send(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_a_message_on_several_lines_makes_a_one_line_subject(people, record):
    record(EventKind.CLAIM_SUBMITTED, people["pm"], [people["pmm"]], "Line one\r\nBcc: x@y.z")
    [message] = mail.outbox
    assert message.subject == "[Tandem] Line one Bcc: x@y.z"
    assert message.bcc == []


# --- Through a real SMTP server -----------------------------------------------------------


@pytest.fixture
def smtp_inbox(settings):
    with smtp_server(settings) as inbox:
        yield inbox


def test_the_email_task_sends_through_smtp(workspace, people, record, smtp_inbox):
    claim = ClaimFactory(workspace=workspace, author=people["pm"])
    event = record(
        EventKind.CLAIM_SUBMITTED,
        people["pm"],
        [people["pmm"]],
        "paula submitted a claim",
        subject=claim,
    )
    notification = the_notification(event, people["pmm"])
    assert notification.email == Notification.Email.SENT  # the task ran after commit
    [(sender, recipients, message)] = smtp_inbox.messages
    assert sender == "tandem@example.com"
    assert recipients == ["mark@example.com"]
    assert message["Subject"] == "[Tandem] paula submitted a claim"
    assert message["To"] == "mark@example.com"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    body = message.get_content()
    assert f"{BASE}/w/acme/notifications/{notification.pk}/open/" in body
    assert f"{BASE}/w/acme/notifications/settings/" in body
