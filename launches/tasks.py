"""Celery tasks of launches: thin, ids in, one service call out."""

from celery import shared_task

from launches import services
from launches.models import LaunchTask


@shared_task(name="launches.task_assigned_email", acks_late=True, reject_on_worker_lost=True)
def launch_task_assigned_email(workspace_id: int, task_id: int) -> bool:
    """Email the assignee of a task (enqueued after the assignment commits)."""
    task = (
        LaunchTask.objects.filter(workspace_id=workspace_id, pk=task_id)
        .select_related("launch", "assignee", "workspace")
        .first()
    )
    if task is None:
        return False  # deleted since: nothing to tell
    return services.launch_task_send_assignment_email(task=task)


@shared_task(name="launches.overdue_digest", acks_late=True, reject_on_worker_lost=True)
def send_overdue_digests() -> int:
    """Daily: each assignee gets one digest of their overdue launch tasks per workspace."""
    return services.overdue_digest_send_all()
