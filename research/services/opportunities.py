"""Opportunities: hypotheses, their evidence and the status flow."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alignment.models import Workspace
from research.models import Evidence, Insight, Opportunity, OpportunityStatusChange, Persona
from research.services._common import (
    apply,
    check_same_workspace,
    find_by_name,
    save_clean,
    set_related,
    split_related,
)

OPPORTUNITY_FIELDS = {"title", "persona", "problem", "reason", "signal", "description"}


HYPOTHESIS = re.compile(
    r"^\s*we believe\s+(?P<persona>.+?)\s+(?:has|have)\s+(?P<problem>.+?)\s+because\s+"
    r"(?P<reason>.+?)\s*;\s*we will know we are right when\s+(?P<signal>.+?)\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
ANY_CUSTOMER = "our customers"


def _hypothesis_parts(workspace: Workspace, text: str) -> dict[str, Any]:
    """'We believe <persona> has <problem> because <reason>; we will know we are right when
    <signal>' -> the opportunity's persona, problem, reason and signal."""
    match = HYPOTHESIS.match(text or "")
    if match is None:
        raise ValidationError(
            {
                "hypothesis": [
                    "Write it as “We believe <persona> has <problem> because <reason>; "
                    "we will know we are right when <signal>”."
                ]
            }
        )
    parts = {name: match.group(name).strip() for name in ("problem", "reason", "signal")}
    name = match.group("persona").strip()
    persona = None
    if name.lower() != ANY_CUSTOMER:
        persona = find_by_name(Persona.objects.in_workspace(workspace), name)
        if persona is None:
            raise ValidationError({"hypothesis": [f"Unknown persona “{name}”."]})
    return {"persona": persona, **parts}


def _with_hypothesis(workspace: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    """A hypothesis sentence fills the parts it names; parts given explicitly win."""
    hypothesis = data.pop("hypothesis", None)
    if not hypothesis:
        return data
    return {**_hypothesis_parts(workspace, hypothesis), **data}


@transaction.atomic
def opportunity_create(*, actor, workspace: Workspace, **data) -> Opportunity:
    data = _with_hypothesis(workspace, data)
    related = split_related(data, {"features"})
    opportunity = Opportunity(workspace=workspace, created_by=actor)
    apply(opportunity, data, OPPORTUNITY_FIELDS)
    save_clean(opportunity)
    set_related(opportunity, workspace, related)
    return opportunity


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, **data) -> Opportunity:
    if "status" in data:
        raise ValidationError({"status": ["Change the status through the status action."]})
    data = _with_hypothesis(opportunity.workspace, data)
    related = split_related(data, {"features"})
    apply(opportunity, data, OPPORTUNITY_FIELDS)
    save_clean(opportunity)
    set_related(opportunity, opportunity.workspace, related)
    return opportunity


@transaction.atomic
def opportunity_set_status(
    *, actor, opportunity: Opportunity, status: str, reason: str = ""
) -> Opportunity:
    """Move along identified -> validating -> validated | invalidated, recording who and why."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if status not in Opportunity.Status.values:
        raise ValidationError({"status": [f"“{status}” is not a status."]})
    if not opportunity.can_move_to(status):
        allowed = ", ".join(sorted(opportunity.TRANSITIONS[opportunity.status])) or "none"
        message = (
            f"An opportunity cannot go from {opportunity.status} to {status} (allowed: {allowed})."
        )
        raise ValidationError({"status": [message]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the status changes."]})
    change = OpportunityStatusChange(
        workspace=opportunity.workspace,
        opportunity=opportunity,
        from_status=opportunity.status,
        to_status=status,
        reason=reason,
        changed_by=actor,
    )
    save_clean(change)
    opportunity.status = status
    opportunity.status_reason = reason
    opportunity.status_changed_by = actor
    opportunity.status_changed_at = change.changed_at
    save_clean(opportunity)
    return opportunity


@transaction.atomic
def evidence_add(*, actor, opportunity: Opportunity, insight: Insight, stance: str) -> Evidence:
    """Link an insight for or against the hypothesis; linking it again changes its stance."""
    check_same_workspace(opportunity.workspace, "insight", [insight])
    evidence = Evidence.objects.filter(opportunity=opportunity, insight=insight).first()
    if evidence is None:
        evidence = Evidence(
            workspace=opportunity.workspace,
            opportunity=opportunity,
            insight=insight,
            added_by=actor,
        )
    evidence.stance = stance
    save_clean(evidence)
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=timezone.now())
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    evidence.delete()
