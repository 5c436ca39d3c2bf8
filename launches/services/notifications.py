"""What launches tells people: a task assigned, and each day the tasks gone overdue.

Both are events (alignment.collaboration): the assignee finds them among their
notifications and gets the notification email per their preferences (an assignment at
once, overdue tasks in the daily digest, by default).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.services.events import actor_name
from alignment.collaboration.services.events import event_record
from alignment.models import Membership
from launches.models import Launch
from launches.models import LaunchTask
from launches.models import OverdueDigest

User = get_user_model()


def launch_task_tell_assignee(*, actor, task: LaunchTask) -> None:
    """launch_task.assigned, to the task's (new) assignee; called by the service that
    assigned it, in its transaction."""
    launch = task.launch
    due = f"{task.due_date:%a, %b %-d, %Y}"
    event_record(
        workspace=task.workspace,
        kind=EventKind.TASK_ASSIGNED,
        actor=actor,
        subject=task,
        recipients=[task.assignee_id],
        message=(
            f"{actor_name(actor)} assigned you “{task.title}” ({task.get_team_display()}, "
            f"due {due}) of the launch “{launch.name}” on {launch.launch_date:%a, %b %-d, %Y}."
            + (f" {_excerpt(task.description)}" if task.description.strip() else "")
        ),
        data={
            "launch": launch.pk,
            "launch_name": launch.name,
            "launch_date": launch.launch_date.isoformat(),
            "team": task.team,
            "due_date": task.due_date.isoformat(),
            "description": task.description[:2000],
        },
    )


def _excerpt(text: str, length: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def overdue_digest_send_all(*, today: date | None = None) -> int:
    """Tell every assignee with overdue tasks of each of them, once per workspace and day.

    The day's OverdueDigest row claims it first, so a rerun of the beat task tells nobody
    twice. Returns how many assignees were told.
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
    """One launch_task.overdue event per overdue task of the member, at most once a day:
    1 when they were told, 0 when there was nothing to tell or it was told already."""
    from launches.selectors import overdue_tasks_for_user

    if not Membership.objects.filter(workspace_id=workspace_id, user_id=user_id).exists():
        return 0
    user = User.objects.get(pk=user_id)
    tasks = list(overdue_tasks_for_user(workspace_id=workspace_id, user=user, today=today))
    if not tasks:
        return 0
    try:
        with transaction.atomic():
            OverdueDigest.objects.create(
                workspace_id=workspace_id, user=user, sent_on=today, task_count=len(tasks)
            )
    except IntegrityError:
        return 0  # already told today
    for task in tasks:
        task.launch.workspace = task.workspace  # its link needs the slug: no query per task
        late = (today - task.due_date).days
        event_record(
            workspace=task.workspace,
            kind=EventKind.TASK_OVERDUE,
            subject=task,
            recipients=[user_id],
            message=(
                f"“{task.title}” of the launch “{task.launch.name}” was due "
                f"{task.due_date:%b %-d} ({late} day{'s' if late != 1 else ''} ago) and is "
                f"{task.get_status_display().lower()}."
            ),
            data={
                "launch": task.launch_id,
                "due_date": task.due_date.isoformat(),
                "status": task.status,
                "on": today.isoformat(),
            },
        )
    return 1
