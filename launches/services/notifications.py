"""Emails: task assignment and the daily overdue digest."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alignment.models import Membership
from launches.models import (
    Launch,
    LaunchTask,
    OverdueDigest,
)

User = get_user_model()


# --- Notifications -----------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.EMAIL_LINK_BASE_URL.rstrip('/')}{path}"


def launch_task_send_assignment_email(*, task: LaunchTask) -> bool:
    """Tell the assignee about their task. False when there is nobody to tell."""
    assignee = task.assignee
    if assignee is None or not assignee.email:
        return False
    context = {
        "task": task,
        "launch": task.launch,
        "user": assignee,
        "url": _absolute(task.launch.get_absolute_url()),
    }
    send_mail(
        subject=f"[Tandem] You were assigned: {task.title} ({task.launch.name})",
        message=render_to_string("launches/email/task_assigned.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[assignee.email],
    )
    return True


def overdue_digest_send_all(*, today: date | None = None) -> int:
    """Send every assignee with overdue tasks one digest per workspace and day.

    A digest already sent today is not sent again, so a rerun of the beat task is harmless.
    """
    today = today or timezone.localdate()
    pairs = (
        LaunchTask.objects.filter(due_date__lt=today, assignee__isnull=False)
        .exclude(status=LaunchTask.Status.DONE)
        .exclude(launch__status__in=[Launch.Status.LAUNCHED, Launch.Status.REVIEWED])
        .values_list("workspace_id", "assignee_id")
        .distinct()
        .order_by("workspace_id", "assignee_id")
    )
    sent = 0
    for workspace_id, user_id in pairs:
        sent += overdue_digest_send(workspace_id=workspace_id, user_id=user_id, today=today)
    return sent


@transaction.atomic
def overdue_digest_send(*, workspace_id: int, user_id: int, today: date) -> int:
    from launches.selectors import overdue_tasks_for_user

    if not Membership.objects.filter(workspace_id=workspace_id, user_id=user_id).exists():
        return 0
    user = User.objects.get(pk=user_id)
    tasks = list(overdue_tasks_for_user(workspace_id=workspace_id, user=user, today=today))
    if not tasks or not user.email:
        return 0
    try:
        with transaction.atomic():
            OverdueDigest.objects.create(
                workspace_id=workspace_id, user=user, sent_on=today, task_count=len(tasks)
            )
    except IntegrityError:
        return 0  # already sent today
    workspace = tasks[0].workspace
    context = {
        "user": user,
        "tasks": tasks,
        "today": today,
        "workspace": workspace,
        "url": _absolute(reverse("launches:index", args=[workspace.slug])),
    }
    send_mail(
        subject=f"[Tandem] {len(tasks)} overdue launch task{'s' if len(tasks) != 1 else ''}",
        message=render_to_string("launches/email/overdue_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return 1
