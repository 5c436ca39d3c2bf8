"""The review flow claims and handoff documents share: submit, review, back to draft."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from alignment.collaboration.kinds import EventKind
from alignment.collaboration.recipients import team_member_ids
from alignment.collaboration.services.comments import BODY_MAX_LENGTH as COMMENT_MAX_LENGTH
from alignment.collaboration.services.comments import comment_create
from alignment.collaboration.services.events import actor_name
from alignment.collaboration.services.events import event_record
from alignment.messaging.models import Claim
from alignment.messaging.models import Review
from alignment.messaging.models import ReviewStatus
from alignment.messaging.services.checks import _membership
from alignment.teams import Team
from alignment.teams import team_for_role
from alignment.writes import save_clean

# Who reviews whose work: the other team (check_reviewer); an author of neither team
# (an admin) is reviewed by both.
REVIEWING_TEAMS = {Team.PRODUCT: [Team.MARKETING], Team.MARKETING: [Team.PRODUCT]}


def _reviewed_noun(instance) -> str:
    return "claim" if isinstance(instance, Claim) else "document"


def _check_editable(instance) -> None:
    if instance.status == ReviewStatus.IN_REVIEW:
        raise ValidationError(
            {"status": [f"This {_reviewed_noun(instance)} is in review: wait for the decision."]}
        )


def _back_to_draft_when_approved(instance) -> None:
    # Approved copy that changes has to be reviewed again.
    if instance.status == ReviewStatus.APPROVED:
        instance.status = ReviewStatus.DRAFT


def _submit(instance, *, actor=None):
    if instance.status not in (ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED):
        raise ValidationError(
            {
                "status": [
                    f"Only a draft or a {_reviewed_noun(instance)} with changes requested can be "
                    f"submitted; this one is {instance.get_status_display().lower()}."
                ]
            }
        )
    instance.status = ReviewStatus.IN_REVIEW
    instance.submitted_at = timezone.now()
    save_clean(instance)
    _tell_reviewers(instance, actor=actor)
    return instance


def _tell_reviewers(instance, *, actor) -> None:
    """claim.submitted / document.submitted, to the members of the team that reviews it."""
    noun = _reviewed_noun(instance)
    author = instance.author or actor
    membership = _membership(author, instance.workspace_id)
    team = team_for_role(membership.role) if membership else ""
    recipients = [
        pk
        for reviewing in REVIEWING_TEAMS.get(team, [Team.PRODUCT, Team.MARKETING])
        for pk in team_member_ids(instance.workspace_id, reviewing)
    ]
    event_record(
        workspace=instance.workspace,
        kind=EventKind.CLAIM_SUBMITTED if noun == "claim" else EventKind.DOCUMENT_SUBMITTED,
        actor=actor,
        subject=instance,
        recipients=recipients,
        message=f"{actor_name(actor)} submitted the {noun} “{instance}” for review.",
        data={"status": instance.status},
    )


def check_reviewer(*, reviewer, author, workspace_id: int) -> None:
    """A reviewer must be of the other team than the author (and never the author)."""
    if author is not None and reviewer.pk == author.pk:
        raise ValidationError({"reviewer": ["You cannot review your own work."]})
    reviewer_membership = _membership(reviewer, workspace_id)
    author_membership = _membership(author, workspace_id)
    if reviewer_membership is None:
        raise PermissionDenied("Only members of this workspace can review.")
    if author_membership is None:
        return  # the author left: anyone else may review
    reviewer_team = team_for_role(reviewer_membership.role)
    author_team = team_for_role(author_membership.role)
    if reviewer_team == author_team:
        raise ValidationError(
            {
                "reviewer": [
                    f"A reviewer must be of the other team: the author is in "
                    f"{Team(author_team).label.lower()}, and so are you."
                ]
            }
        )


def _review(instance, *, actor, decision: str, comment: str = ""):
    noun = _reviewed_noun(instance)
    if decision not in Review.Decision.values:
        raise ValidationError({"decision": ["Choose approve or request_changes."]})
    if instance.status != ReviewStatus.IN_REVIEW:
        raise ValidationError(
            {"status": [f"Only a {noun} in review can be reviewed: submit it for review first."]}
        )
    check_reviewer(reviewer=actor, author=instance.author, workspace_id=instance.workspace_id)
    if decision == Review.Decision.REQUEST_CHANGES and not comment.strip():
        raise ValidationError({"comment": ["Say what should change."]})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": [f"Keep it under {COMMENT_MAX_LENGTH:,} characters (it joins the thread)."]}
        )
    instance.status = (
        ReviewStatus.APPROVED
        if decision == Review.Decision.APPROVE
        else ReviewStatus.CHANGES_REQUESTED
    )
    instance.reviewed_by = actor
    instance.reviewed_at = timezone.now()
    instance.review_comment = comment
    save_clean(instance)
    Review.objects.create(
        workspace_id=instance.workspace_id,
        reviewer=actor,
        decision=decision,
        comment=comment,
        **{noun: instance},
    )
    approved = decision == Review.Decision.APPROVE
    event_record(
        workspace=instance.workspace,
        kind=EventKind.CLAIM_REVIEWED if noun == "claim" else EventKind.DOCUMENT_REVIEWED,
        actor=actor,
        subject=instance,
        recipients=[instance.author_id],
        message=(
            f"{actor_name(actor)} "
            + ("approved" if approved else "requested changes on")
            + f" the {noun} “{instance}”"
            + (f": {comment.strip()}" if comment.strip() else ".")
        ),
        data={"decision": decision, "comment": comment},
    )
    if comment.strip():
        # The review's words join the thread, where the discussion goes on; the members
        # they mention hear of it (the author already did, through the review).
        comment_create(
            actor=actor,
            workspace=instance.workspace,
            subject_type=noun,
            subject_id=instance.pk,
            body=comment,
            told=[instance.author_id],
        )
    return instance


def _review_verb(approved_verb: str):
    def verb(instance):
        if instance.status == ReviewStatus.APPROVED:
            return approved_verb
        return "requested changes on"

    return verb
