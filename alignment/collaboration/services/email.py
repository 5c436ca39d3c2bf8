"""Notification email: one message per notification for the kinds a member wants at once,
and one daily digest per member and workspace for the kinds they want once a day.

Sending is at least once, never lost and never sent twice by two runs at the same time:

- A run claims the notification (still `pending`) with a conditional UPDATE that takes a
  lease: `emailed_at` is set to now, and only a notification whose lease is absent or older
  than LEASE can be claimed. A second run (a retry, the sweep, a redelivered message) finds
  it leased and does nothing.
- The message is sent, and only then is the notification marked `sent` (`emailed_at` is
  then when it was sent). The claim and the mark each commit on their own: no transaction
  is held open while the SMTP server answers.
- A crash before the send leaves it `pending` with a lease that expires: the sweep
  (`notification_emails_due`) publishes it again and it is sent. A crash between the send
  and the mark sends it once more after the lease, the one duplicate at-least-once allows.

The digest claims its notifications with the same lease, so two runs of the beat task
cannot both mail them, and a rerun the same day finds them `sent`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.links import absolute
from alignment.collaboration.models import Notification
from alignment.models import Membership
from alignment.models import Workspace

# How long a claimed send may take before another run may try again (an SMTP timeout is
# far shorter), and how old a pending notification is before the sweep publishes it again.
LEASE = timedelta(minutes=5)
DUE_AFTER = timedelta(minutes=5)
SUBJECT_MAX = 150


def _unleased(now: datetime) -> Q:
    return Q(emailed_at__isnull=True) | Q(emailed_at__lt=now - LEASE)


def _subject(text: str) -> str:
    # One line (a newline in a header is refused as header injection), of a readable length.
    line = " ".join(text.split())
    if len(line) > SUBJECT_MAX:
        line = line[: SUBJECT_MAX - 1] + "…"
    return f"[Tandem] {line}"


def _preferences_url(workspace_slug: str) -> str:
    return absolute(reverse("collaboration:notification_settings", args=[workspace_slug]))


def _open_url(workspace_slug: str, notification_id: int) -> str:
    """The notification's link: marks it read, then shows its subject (or the list)."""
    return absolute(
        reverse("collaboration:notification_open", args=[workspace_slug, notification_id])
    )


def _is_member(user_id: int, workspace_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, workspace_id=workspace_id).exists()


def notification_email_send(*, notification_id: int) -> bool:
    """Mail one notification whose email is pending; True when it was sent by this run.

    Not one transaction on purpose (see the module's docstring): the claim commits before
    the send, and the mark after it."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, email=Notification.Email.PENDING)
        .filter(_unleased(now))
        .update(emailed_at=now)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related(
        "event", "event__actor", "recipient", "workspace"
    ).get(pk=notification_id)
    recipient, workspace = notification.recipient, notification.workspace
    if not recipient.email or not _is_member(recipient.pk, workspace.pk):
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(
            email=Notification.Email.OFF, emailed_at=None
        )
        return False
    event = notification.event
    body = render_to_string(
        "collaboration/email/notification.txt",
        {
            "user": recipient,
            "workspace": workspace,
            "event": event,
            "kind": EventKind(event.kind).label,
            "url": _open_url(workspace.slug, notification.pk),
            "preferences_url": _preferences_url(workspace.slug),
        },
    )
    EmailMessage(
        subject=_subject(event.message),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    ).send()
    # Marked only if our lease still holds: had it expired and another run taken it over,
    # that run marks it when its own send is done.
    Notification.objects.filter(pk=notification_id, emailed_at=now).update(
        email=Notification.Email.SENT, emailed_at=timezone.now()
    )
    return True


def notification_emails_due(*, now: datetime | None = None) -> list[int]:
    """Notifications still pending DUE_AFTER after they were made and not leased (their
    task was lost, or a send failed or crashed): the sweep publishes them again."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            email=Notification.Email.PENDING, created_at__lt=now - DUE_AFTER
        )
        .filter(_unleased(now))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:1000]
    )


def notification_digests_send(*, now: datetime | None = None) -> int:
    """One email per member and workspace with every notification waiting for the digest,
    grouped by kind; returns how many emails were sent. A rerun finds them sent."""
    now = now or timezone.now()
    pairs = (
        Notification.objects.filter(email=Notification.Email.DIGEST, created_at__lte=now)
        .values_list("recipient_id", "workspace_id")
        .distinct()
        .order_by("recipient_id", "workspace_id")
    )
    sent = 0
    for user_id, workspace_id in list(pairs):
        sent += notification_digest_send(user_id=user_id, workspace_id=workspace_id, now=now)
    return sent


def notification_digest_send(*, user_id: int, workspace_id: int, now: datetime) -> int:
    """The digest of one member in one workspace (1 when mailed, else 0)."""
    waiting = Notification.objects.filter(
        recipient_id=user_id,
        workspace_id=workspace_id,
        email=Notification.Email.DIGEST,
        created_at__lte=now,
    )
    ids = list(waiting.filter(_unleased(now)).values_list("pk", flat=True))
    if not ids:
        return 0
    # The claim: only the notifications this run leased are mailed by it.
    if not waiting.filter(pk__in=ids).filter(_unleased(now)).update(emailed_at=now):
        return 0
    claimed = Notification.objects.filter(
        pk__in=ids, email=Notification.Email.DIGEST, emailed_at=now
    )
    user = get_user_model().objects.get(pk=user_id)
    if not user.email or not _is_member(user_id, workspace_id):
        claimed.update(email=Notification.Email.OFF, emailed_at=None)
        return 0
    workspace = Workspace.objects.get(pk=workspace_id)
    notifications = list(
        claimed.select_related("event", "event__actor").order_by("created_at", "id")
    )
    if not notifications:
        return 0
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_kind[notification.event.kind].append(notification)
    groups = [
        {
            "kind": EventKind(kind).label,
            "items": [
                {"notification": item, "url": _open_url(workspace.slug, item.pk)} for item in items
            ],
        }
        for kind, items in sorted(by_kind.items(), key=lambda pair: EventKind(pair[0]).label)
    ]
    count = len(notifications)
    body = render_to_string(
        "collaboration/email/digest.txt",
        {
            "user": user,
            "workspace": workspace,
            "groups": groups,
            "count": count,
            "notifications_url": absolute(
                reverse("collaboration:notifications", args=[workspace.slug])
            ),
            "preferences_url": _preferences_url(workspace.slug),
        },
    )
    noun = "notification" if count == 1 else "notifications"
    EmailMessage(
        subject=_subject(f"Daily digest for {workspace.name}: {count} {noun}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()
    Notification.objects.filter(pk__in=[item.pk for item in notifications], emailed_at=now).update(
        email=Notification.Email.SENT, emailed_at=timezone.now()
    )
    return 1
