"""Objectives and their KPI targets: owners, scopes, validation."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from alignment import measures
from alignment.messaging.models import Kpi
from alignment.messaging.models import Objective
from alignment.messaging.models import ObjectiveTarget
from alignment.messaging.services.activity import tracked
from alignment.messaging.services.checks import _membership
from alignment.models import Workspace
from alignment.teams import Team
from alignment.teams import team_for_role
from alignment.writes import assign_fields

OBJECTIVE_FIELDS = (
    "title",
    "description",
    "product",
    "product_owner",
    "marketing_owner",
    "period_start",
    "period_end",
)
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
    assign_fields(target, data, TARGET_FIELDS)
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
    assign_fields(objective, data, OBJECTIVE_FIELDS)
    _validate_objective(objective)
    objective.save()
    _replace_targets(objective, targets or [])
    return objective


@transaction.atomic
def objective_update(*, actor, objective: Objective, targets=None, **data) -> Objective:
    """Change the objective; `targets`, when given, replaces all of its targets."""
    assign_fields(objective, data, OBJECTIVE_FIELDS)
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
