"""Writes of messaging: positioning, claims and handoff documents with their review flow,
objectives and KPI targets, two-way feedback, sync meetings and the activity feed.

The activity feed has one mechanism: services that change something worth telling are
decorated with @tracked, which records an ActivityEvent in the same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alignment import measures
from alignment.messaging.handoff_templates import document_template
from alignment.messaging.models import (
    WORK_TEAM_CHOICES,
    ActionItem,
    ActivityEvent,
    Claim,
    Feedback,
    FeedbackComment,
    HandoffDocument,
    Kpi,
    Objective,
    ObjectiveTarget,
    Positioning,
    PositioningVersion,
    Review,
    ReviewStatus,
    SyncMeeting,
    Team,
    team_for_role,
)
from alignment.models import Membership, Role, Workspace
from alignment.services import _apply

# --- Activity feed ----------------------------------------------------------------------


def activity_record(*, actor, instance, verb: str) -> ActivityEvent:
    url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    return ActivityEvent.objects.create(
        workspace_id=instance.workspace_id,
        actor=actor,
        verb=verb,
        target_type=instance._meta.verbose_name,
        target_id=instance.pk,
        target_label=str(instance)[:200],
        target_url=url,
    )


def tracked(verb: str | Callable[[Any], str | None], target: Callable[[Any], Any] | None = None):
    """Record an ActivityEvent for the service's result: `verb` is a string, or a function
    of the result giving the verb (None: nothing worth telling); `target`, when given,
    maps the result to the object the event is about (a comment -> its feedback)."""

    def decorator(service):
        @functools.wraps(service)
        def wrapper(*, actor, **kwargs):
            result = service(actor=actor, **kwargs)
            said = verb(result) if callable(verb) else verb
            if said:
                instance = target(result) if target else result
                activity_record(actor=actor, instance=instance, verb=said)
            return result

        return wrapper

    return decorator


# --- Shared checks ----------------------------------------------------------------------


def _membership(user, workspace_id: int) -> Membership | None:
    if user is None:
        return None
    return Membership.objects.filter(user=user, workspace_id=workspace_id).first()


def _require_members(workspace: Workspace, field: str, users: Iterable) -> None:
    users = [user for user in users if user is not None]
    member_ids = set(
        Membership.objects.filter(workspace=workspace, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in member_ids for user in users):
        raise ValidationError({field: ["Only members of this workspace can be chosen."]})


def _require_same_workspace(workspace_id: int, field: str, rows: Iterable) -> None:
    if any(row.workspace_id != workspace_id for row in rows):
        raise ValidationError({field: ["Select a valid choice. That choice does not exist."]})


def _save(instance) -> None:
    instance.full_clean()
    instance.save()


# --- Positioning ------------------------------------------------------------------------

STATEMENT_FIELDS = ["target_customer", "need", "alternative", "our_product", "differentiator"]


def _snapshot(positioning: Positioning, actor) -> PositioningVersion:
    version = PositioningVersion(
        workspace_id=positioning.workspace_id,
        positioning=positioning,
        number=positioning.version,
        author=actor,
        **{name: getattr(positioning, name) for name in STATEMENT_FIELDS},
    )
    _save(version)
    return version


@transaction.atomic
@tracked("created")
def positioning_create(*, actor, workspace: Workspace, **data) -> Positioning:
    positioning = Positioning(workspace=workspace, version=1)
    _apply(positioning, data, {"product", "persona", *STATEMENT_FIELDS})
    _save(positioning)
    _snapshot(positioning, actor)
    return positioning


@transaction.atomic
@tracked(lambda positioning: "edited" if positioning._new_version else None)
def positioning_update(*, actor, positioning: Positioning, **data) -> Positioning:
    """Save a new version; the previous ones stay readable. No change, no version."""
    for name in ("product", "persona"):
        if name in data and data.pop(name) != getattr(positioning, name):
            raise ValidationError({name: ["Create a new positioning for another " + name + "."]})
    _apply(positioning, data, set(STATEMENT_FIELDS))
    latest = positioning.versions.order_by("-number").first()
    changed = latest is None or any(
        getattr(latest, name) != getattr(positioning, name) for name in STATEMENT_FIELDS
    )
    positioning._new_version = changed
    if changed:
        positioning.version = (latest.number if latest else 0) + 1
        _save(positioning)
        _snapshot(positioning, actor)
    return positioning


# --- Review flow (claims and handoff documents) -----------------------------------------


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


def _submit(instance):
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
    _save(instance)
    return instance


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
    instance.status = (
        ReviewStatus.APPROVED
        if decision == Review.Decision.APPROVE
        else ReviewStatus.CHANGES_REQUESTED
    )
    instance.reviewed_by = actor
    instance.reviewed_at = timezone.now()
    instance.review_comment = comment
    _save(instance)
    Review.objects.create(
        workspace_id=instance.workspace_id,
        reviewer=actor,
        decision=decision,
        comment=comment,
        **{noun: instance},
    )
    return instance


def _review_verb(approved_verb: str):
    def verb(instance):
        if instance.status == ReviewStatus.APPROVED:
            return approved_verb
        return "requested changes on"

    return verb


# --- Claims -----------------------------------------------------------------------------

CLAIM_FIELDS = {"headline", "body", "proof_point", "feature"}


def _set_personas(claim: Claim, personas) -> None:
    if personas is None:
        return
    personas = list(personas)
    _require_same_workspace(claim.workspace_id, "personas", personas)
    claim.personas.set(personas)


@transaction.atomic
@tracked("created")
def claim_create(*, actor, workspace: Workspace, personas=None, **data) -> Claim:
    claim = Claim(workspace=workspace, author=actor, status=ReviewStatus.DRAFT)
    _apply(claim, data, CLAIM_FIELDS)
    _save(claim)
    _set_personas(claim, personas)
    return claim


@transaction.atomic
def claim_update(*, actor, claim: Claim, personas=None, **data) -> Claim:
    _check_editable(claim)
    _apply(claim, data, CLAIM_FIELDS)
    _back_to_draft_when_approved(claim)
    _save(claim)
    _set_personas(claim, personas)
    return claim


@transaction.atomic
@tracked("submitted for review")
def claim_submit(*, actor, claim: Claim) -> Claim:
    return _submit(claim)


@transaction.atomic
@tracked(_review_verb("approved"))
def claim_review(*, actor, claim: Claim, decision: str, comment: str = "") -> Claim:
    return _review(claim, actor=actor, decision=decision, comment=comment)


# --- Handoff documents ------------------------------------------------------------------

DOCUMENT_FIELDS = {"kind", "title", "body", "feature", "competitor"}


@transaction.atomic
@tracked("created")
def document_create(*, actor, workspace: Workspace, **data) -> HandoffDocument:
    """A new draft; an empty body starts from the kind's template, filled from the feature."""
    document = HandoffDocument(workspace=workspace, author=actor, status=ReviewStatus.DRAFT)
    _apply(document, data, DOCUMENT_FIELDS)
    document.full_clean()
    if not document.body.strip():
        document.body = document_template(document.kind, document.feature, document.competitor)
    document.save()
    return document


@transaction.atomic
def document_update(*, actor, handoffdocument: HandoffDocument, **data) -> HandoffDocument:
    document = handoffdocument  # named after the model, as WorkspaceViewSet passes it
    _check_editable(document)
    _apply(document, data, DOCUMENT_FIELDS)
    _back_to_draft_when_approved(document)
    _save(document)
    return document


@transaction.atomic
@tracked("submitted for review")
def document_submit(*, actor, document: HandoffDocument) -> HandoffDocument:
    return _submit(document)


@transaction.atomic
@tracked(_review_verb("published"))
def document_review(
    *, actor, document: HandoffDocument, decision: str, comment: str = ""
) -> HandoffDocument:
    return _review(document, actor=actor, decision=decision, comment=comment)


# --- Objectives -------------------------------------------------------------------------

OBJECTIVE_FIELDS = {
    "title",
    "description",
    "product",
    "product_owner",
    "marketing_owner",
    "period_start",
    "period_end",
}
TARGET_FIELDS = {"kpi", "target", "direction", "scope", "scope_id", "scope_value"}


def _check_owner(workspace_id: int, field: str, user, team: str) -> None:
    if user is None:
        return
    membership = _membership(user, workspace_id)
    if membership is None:
        raise ValidationError({field: ["Only members of this workspace can own an objective."]})
    if team_for_role(membership.role) != team:
        raise ValidationError(
            {field: [f"The {Team(team).label.lower()} owner must be on the {team} team."]}
        )


def scope_model(scope: str):
    return {
        ObjectiveTarget.Scope.PRODUCT: ("alignment", "Product"),
        ObjectiveTarget.Scope.FEATURE: ("alignment", "Feature"),
        ObjectiveTarget.Scope.CAMPAIGN: ("launches", "Campaign"),
    }.get(scope)


def _build_target(objective: Objective, data: dict) -> ObjectiveTarget:
    """A target of the objective, checked: its scope names a product, feature or campaign of
    the workspace, or a channel seen in its data, or nothing (the whole workspace, the
    default), and the KPI engine can measure the KPI there."""
    target = ObjectiveTarget(workspace_id=objective.workspace_id, objective=objective)
    _apply(target, data, TARGET_FIELDS)
    if not data.get("direction") and target.kpi in Kpi.values:
        target.direction = measures.engine().default_direction(target.kpi)
    if not target.scope:
        target.scope = ObjectiveTarget.Scope.WORKSPACE
    target.scope_value = (target.scope_value or "").strip()
    target.full_clean(exclude=["objective"])
    model_key = scope_model(target.scope)
    if model_key is not None:
        model = apps.get_model(*model_key)
        if (
            target.scope_id is None
            or not model.objects.in_workspace(objective.workspace_id)
            .filter(pk=target.scope_id)
            .exists()
        ):
            raise ValidationError(
                {"scope_id": [f"Choose a {target.scope} of this workspace for this scope."]}
            )
        target.scope_value = ""
    elif target.scope == ObjectiveTarget.Scope.CHANNEL:
        if not target.scope_value:
            raise ValidationError({"scope_value": ["Name the channel for a channel scope."]})
        target.scope_id = None
    else:
        target.scope_id, target.scope_value = None, ""
    measures.engine().validate_target(target)
    return target


def objective_target_build(*, objective: Objective, **data) -> ObjectiveTarget:
    """The target, checked as objective_target_add checks it, and not saved: the admin's
    inline validates its rows with it (raises ValidationError naming the field)."""
    return _build_target(objective, data)


def _replace_targets(objective: Objective, targets: list[dict]) -> None:
    built = []
    for index, data in enumerate(targets, start=1):
        try:
            built.append(_build_target(objective, dict(data)))
        except ValidationError as error:
            messages = [
                f"Target {index}: {field}: {message}"
                for field, field_messages in error.message_dict.items()
                for message in field_messages
            ]
            raise ValidationError({"targets": messages}) from None
    objective.targets.all().delete()
    ObjectiveTarget.objects.bulk_create(built)


def _validate_objective(objective: Objective) -> None:
    objective.full_clean()
    _check_owner(objective.workspace_id, "product_owner", objective.product_owner, Team.PRODUCT)
    _check_owner(
        objective.workspace_id, "marketing_owner", objective.marketing_owner, Team.MARKETING
    )


@transaction.atomic
@tracked("created")
def objective_create(*, actor, workspace: Workspace, targets=None, **data) -> Objective:
    objective = Objective(workspace=workspace)
    _apply(objective, data, OBJECTIVE_FIELDS)
    _validate_objective(objective)
    objective.save()
    _replace_targets(objective, targets or [])
    return objective


@transaction.atomic
def objective_update(*, actor, objective: Objective, targets=None, **data) -> Objective:
    """Change the objective; `targets`, when given, replaces all of its targets."""
    _apply(objective, data, OBJECTIVE_FIELDS)
    _validate_objective(objective)
    objective.save()
    if targets is not None:
        _replace_targets(objective, targets)
    return objective


@transaction.atomic
def objective_target_add(*, actor, objective: Objective, **data) -> ObjectiveTarget:
    target = _build_target(objective, data)
    target.save()
    return target


@transaction.atomic
def objective_target_remove(*, actor, target: ObjectiveTarget) -> None:
    target.delete()


# --- Feedback ---------------------------------------------------------------------------

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
    _apply(feedback, data, {"to_team", "subject_type", "subject_id", "title", "body"})
    feedback.full_clean()
    _check_subject(workspace.pk, feedback.subject_type, feedback.subject_id)
    feedback.save()
    return feedback


@transaction.atomic
def feedback_update(*, actor, feedback: Feedback, **data) -> Feedback:
    if feedback.status == Feedback.Status.RESOLVED:
        raise ValidationError({"status": ["Resolved feedback cannot be edited."]})
    _apply(feedback, data, {"title", "body"})
    _save(feedback)
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
    _save(feedback)
    return feedback


@transaction.atomic
@tracked("commented on", target=lambda comment: comment.feedback)
def feedback_comment_add(*, actor, feedback: Feedback, body: str) -> FeedbackComment:
    comment = FeedbackComment(
        workspace_id=feedback.workspace_id, feedback=feedback, author=actor, body=body
    )
    _save(comment)
    return comment


# --- Sync meetings and action items -----------------------------------------------------

MEETING_FIELDS = {"title", "date", "updates", "goals", "challenges", "decisions"}


def _set_attendees(meeting: SyncMeeting, attendees) -> None:
    if attendees is None:
        return
    attendees = list(attendees)
    _require_members(meeting.workspace, "attendees", attendees)
    meeting.attendees.set(attendees)


@transaction.atomic
@tracked("held")
def meeting_create(*, actor, workspace: Workspace, attendees=None, **data) -> SyncMeeting:
    meeting = SyncMeeting(workspace=workspace, created_by=actor)
    _apply(meeting, data, MEETING_FIELDS)
    _save(meeting)
    _set_attendees(meeting, attendees)
    return meeting


@transaction.atomic
def meeting_update(*, actor, syncmeeting: SyncMeeting, attendees=None, **data) -> SyncMeeting:
    meeting = syncmeeting
    _apply(meeting, data, MEETING_FIELDS)
    _save(meeting)
    _set_attendees(meeting, attendees)
    return meeting


ACTION_ITEM_FIELDS = {"title", "owner", "due_date"}


@transaction.atomic
def action_item_create(*, actor, meeting: SyncMeeting, **data) -> ActionItem:
    item = ActionItem(workspace_id=meeting.workspace_id, meeting=meeting)
    _apply(item, data, ACTION_ITEM_FIELDS)
    item.full_clean()
    _require_members(meeting.workspace, "owner", [item.owner])
    item.save()
    return item


@transaction.atomic
def action_item_update(*, actor, action_item: ActionItem, done=None, **data) -> ActionItem:
    _apply(action_item, data, ACTION_ITEM_FIELDS)
    action_item.full_clean()
    if "owner" in data:
        _require_members(action_item.meeting.workspace, "owner", [action_item.owner])
    action_item.save()
    if done is not None and done != action_item.done:
        action_item = action_item_set_done(actor=actor, action_item=action_item, done=done)
    return action_item


@transaction.atomic
@tracked(lambda item: "completed" if item.done else "reopened")
def action_item_set_done(*, actor, action_item: ActionItem, done: bool) -> ActionItem:
    action_item.done = done
    action_item.done_at = timezone.now() if done else None
    action_item.save(update_fields=["done", "done_at"])
    return action_item
