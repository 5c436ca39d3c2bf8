"""Feedback between the teams: subjects, status transitions, comments."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.recipients import team_member_ids
from alignment.collaboration.services.events import actor_name
from alignment.collaboration.services.events import event_record
from alignment.messaging.models import Feedback
from alignment.messaging.models import FeedbackComment
from alignment.messaging.services.activity import tracked
from alignment.messaging.services.checks import _membership
from alignment.models import Role
from alignment.models import Workspace
from alignment.teams import WORK_TEAM_CHOICES
from alignment.teams import team_for_role
from alignment.writes import assign_fields
from alignment.writes import save_clean

FEEDBACK_TRANSITIONS = {
    Feedback.Status.OPEN: {Feedback.Status.ACKNOWLEDGED},
    Feedback.Status.ACKNOWLEDGED: {Feedback.Status.RESOLVED},
    Feedback.Status.RESOLVED: set(),
}
SUBJECT_MODELS = {
    Feedback.SubjectType.FEATURE: ("alignment", "Feature"),
    Feedback.SubjectType.CAMPAIGN: ("launches", "Campaign"),
    Feedback.SubjectType.LAUNCH: ("launches", "Launch"),
}


def subject_model(subject_type: str):
    """The model a feedback subject type names, or None while that app lacks it."""
    try:
        return apps.get_model(*SUBJECT_MODELS[subject_type])
    except (KeyError, LookupError):
        return None


def _check_subject(workspace_id: int, subject_type: str, subject_id) -> None:
    if subject_type not in Feedback.SubjectType.values:
        raise ValidationError({"subject_type": ["Choose feature, campaign or launch."]})
    model = subject_model(subject_type)
    if model is None:
        return  # launches.Launch does not exist yet: nothing to check the id against
    if not model.objects.in_workspace(workspace_id).filter(pk=subject_id).exists():
        raise ValidationError({"subject_id": [f"No {subject_type} with this id here."]})


@transaction.atomic
@tracked("opened")
def feedback_create(*, actor, workspace: Workspace, from_team: str = "", **data) -> Feedback:
    """Feedback from the author's team (unless named) to another team about a subject."""
    if not from_team:
        membership = _membership(actor, workspace.pk)
        from_team = team_for_role(membership.role) if membership else ""
        if from_team not in dict(WORK_TEAM_CHOICES):
            raise ValidationError({"from_team": ["Say which team this feedback comes from."]})
    feedback = Feedback(workspace=workspace, author=actor, from_team=from_team)
    assign_fields(feedback, data, {"to_team", "subject_type", "subject_id", "title", "body"})
    feedback.full_clean()
    _check_subject(workspace.pk, feedback.subject_type, feedback.subject_id)
    feedback.save()
    event_record(
        workspace=workspace,
        kind=EventKind.FEEDBACK_CREATED,
        actor=actor,
        subject=feedback,
        recipients=team_member_ids(workspace.pk, feedback.to_team),
        message=f"{actor_name(actor)} sent {feedback.to_team} feedback: “{feedback}”.",
        data={"from_team": feedback.from_team, "to_team": feedback.to_team},
    )
    return feedback


def _tell_author(feedback: Feedback, *, actor, message: str, data: dict) -> None:
    """feedback.answered: the receiving team moved or commented on it; its author hears."""
    event_record(
        workspace=feedback.workspace,
        kind=EventKind.FEEDBACK_ANSWERED,
        actor=actor,
        subject=feedback,
        recipients=[feedback.author_id],
        message=message,
        data={"status": feedback.status, **data},
    )


@transaction.atomic
def feedback_update(*, actor, feedback: Feedback, **data) -> Feedback:
    if feedback.status == Feedback.Status.RESOLVED:
        raise ValidationError({"status": ["Resolved feedback cannot be edited."]})
    assign_fields(feedback, data, {"title", "body"})
    save_clean(feedback)
    return feedback


@transaction.atomic
@tracked(lambda feedback: feedback.status)
def feedback_set_status(*, actor, feedback: Feedback, status: str) -> Feedback:
    """open -> acknowledged -> resolved, by the team the feedback was sent to (or an admin)."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if status not in FEEDBACK_TRANSITIONS.get(feedback.status, set()):
        allowed = ", ".join(sorted(FEEDBACK_TRANSITIONS.get(feedback.status, ()))) or "nothing"
        raise ValidationError(
            {"status": [f"Feedback that is {feedback.status} can move to {allowed} only."]}
        )
    membership = _membership(actor, feedback.workspace_id)
    if membership is None or (
        membership.role != Role.ADMIN and team_for_role(membership.role) != feedback.to_team
    ):
        raise PermissionDenied(f"Only the {feedback.to_team} team answers this feedback.")
    feedback.status = status
    now = timezone.now()
    if status == Feedback.Status.ACKNOWLEDGED:
        feedback.acknowledged_at = now
    if status == Feedback.Status.RESOLVED:
        feedback.resolved_at = now
    save_clean(feedback)
    _tell_author(
        feedback,
        actor=actor,
        message=f"{actor_name(actor)} marked your feedback “{feedback}” {status}.",
        data={},
    )
    return feedback


@transaction.atomic
@tracked("commented on", target=lambda comment: comment.feedback)
def feedback_comment_add(*, actor, feedback: Feedback, body: str) -> FeedbackComment:
    comment = FeedbackComment(
        workspace_id=feedback.workspace_id, feedback=feedback, author=actor, body=body
    )
    save_clean(comment)
    membership = _membership(actor, feedback.workspace_id)
    if membership is not None and team_for_role(membership.role) == feedback.to_team:
        # An answer from the team it was sent to (the author's own follow-ups are not).
        _tell_author(
            feedback,
            actor=actor,
            message=f"{actor_name(actor)} answered your feedback “{feedback}”: {body.strip()}",
            data={"comment": body},
        )
    return comment
