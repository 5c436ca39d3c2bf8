"""Messaging claims tied to features, and their review."""

from __future__ import annotations

from django.db import transaction

from alignment.messaging.models import Claim
from alignment.messaging.models import ReviewStatus
from alignment.messaging.services.activity import tracked
from alignment.messaging.services.reviews import _back_to_draft_when_approved
from alignment.messaging.services.reviews import _check_editable
from alignment.messaging.services.reviews import _review
from alignment.messaging.services.reviews import _review_verb
from alignment.messaging.services.reviews import _submit
from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import check_same_workspace
from alignment.writes import save_clean

CLAIM_FIELDS = ("headline", "feature", "body", "proof_point")


def _set_personas(claim: Claim, personas) -> None:
    if personas is None:
        return
    personas = list(personas)
    check_same_workspace(claim.workspace_id, "personas", personas)
    claim.personas.set(personas)


@transaction.atomic
@tracked("created")
def claim_create(*, actor, workspace: Workspace, personas=None, **data) -> Claim:
    claim = Claim(workspace=workspace, author=actor, status=ReviewStatus.DRAFT)
    assign_fields(claim, data, CLAIM_FIELDS)
    save_clean(claim)
    _set_personas(claim, personas)
    return claim


@transaction.atomic
def claim_update(*, actor, claim: Claim, personas=None, **data) -> Claim:
    _check_editable(claim)
    assign_fields(claim, data, CLAIM_FIELDS)
    _back_to_draft_when_approved(claim)
    save_clean(claim)
    _set_personas(claim, personas)
    return claim


@transaction.atomic
@tracked("submitted for review")
def claim_submit(*, actor, claim: Claim) -> Claim:
    return _submit(claim, actor=actor)


@transaction.atomic
@tracked(_review_verb("approved"))
def claim_review(*, actor, claim: Claim, decision: str, comment: str = "") -> Claim:
    return _review(claim, actor=actor, decision=decision, comment=comment)
