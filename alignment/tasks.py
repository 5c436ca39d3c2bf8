from celery import shared_task

from alignment import services
from alignment.models import Invitation


@shared_task(name="alignment.ping")
def ping() -> str:
    """Round-trip check for workers: returns "pong"."""
    return "pong"


@shared_task(name="alignment.invitation_email", acks_late=True, reject_on_worker_lost=True)
def invitation_email(invitation_id: int) -> bool:
    """Email an invitee their link (enqueued after the invitation commits)."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id).select_related("workspace", "invitee").first()
    )
    if invitation is None:
        return False  # deleted since: nothing to tell
    return services.invitation_send_email(invitation=invitation)
