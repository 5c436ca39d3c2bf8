"""Handoff documents and their review."""

from __future__ import annotations

from django.db import transaction

from alignment.messaging.handoff_templates import document_template
from alignment.messaging.models import HandoffDocument
from alignment.messaging.models import ReviewStatus
from alignment.messaging.services.activity import tracked
from alignment.messaging.services.reviews import _back_to_draft_when_approved
from alignment.messaging.services.reviews import _check_editable
from alignment.messaging.services.reviews import _review
from alignment.messaging.services.reviews import _review_verb
from alignment.messaging.services.reviews import _submit
from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import save_clean

DOCUMENT_FIELDS = ("kind", "title", "feature", "competitor", "body")


@transaction.atomic
@tracked("created")
def document_create(*, actor, workspace: Workspace, **data) -> HandoffDocument:
    """A new draft; an empty body starts from the kind's template, filled from the feature."""
    document = HandoffDocument(workspace=workspace, author=actor, status=ReviewStatus.DRAFT)
    assign_fields(document, data, DOCUMENT_FIELDS)
    document.full_clean()
    if not document.body.strip():
        document.body = document_template(document.kind, document.feature, document.competitor)
    document.save()
    return document


@transaction.atomic
def document_update(*, actor, handoffdocument: HandoffDocument, **data) -> HandoffDocument:
    document = handoffdocument  # named after the model, as WorkspaceViewSet passes it
    _check_editable(document)
    assign_fields(document, data, DOCUMENT_FIELDS)
    _back_to_draft_when_approved(document)
    save_clean(document)
    return document


@transaction.atomic
@tracked("submitted for review")
def document_submit(*, actor, document: HandoffDocument) -> HandoffDocument:
    return _submit(document, actor=actor)


@transaction.atomic
@tracked(_review_verb("published"))
def document_review(
    *, actor, document: HandoffDocument, decision: str, comment: str = ""
) -> HandoffDocument:
    return _review(document, actor=actor, decision=decision, comment=comment)
