"""Highlights: passages of an insight's body saved with tags, a persona or a feature.

`start` and `end` are character offsets (Unicode code points, end excluded) into the body
as it is stored (its Markdown source). The passage's text is always cut from the body
here, never taken from the caller.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.models import Feature
from alignment.models import Membership
from alignment.models import Role
from alignment.models import Workspace
from alignment.writes import check_same_workspace
from alignment.writes import save_clean
from research.models import MAX_TEXT_LENGTH
from research.models import Highlight
from research.models import Insight
from research.models import Persona
from research.services.knowledge import tags_resolve

MAX_HIGHLIGHT_LENGTH = MAX_TEXT_LENGTH
# An insight's page marks every highlight in its body: a bound keeps that page cheap.
MAX_HIGHLIGHTS_PER_INSIGHT = 200


def _offset(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({name: ["A whole number is required."]})
    return value


def highlight_span(body: str, start, end) -> tuple[int, int]:
    """(start, end) checked against `body`: 0 ≤ start < end ≤ len(body), at most
    MAX_HIGHLIGHT_LENGTH characters and not only whitespace; else a 400 naming the field."""
    start, end = _offset("start", start), _offset("end", end)
    if start < 0 or start >= len(body):
        raise ValidationError(
            {"start": [f"Start must be between 0 and {max(len(body) - 1, 0)} (the body's length)."]}
        )
    if end <= start:
        raise ValidationError({"end": ["End must come after start."]})
    if end > len(body):
        raise ValidationError({"end": [f"End must be at most {len(body)} (the body's length)."]})
    if end - start > MAX_HIGHLIGHT_LENGTH:
        raise ValidationError(
            {"end": [f"A highlight is at most {MAX_HIGHLIGHT_LENGTH} characters long."]}
        )
    if not body[start:end].strip():
        raise ValidationError({"start": ["The passage is blank: select some text."]})
    return start, end


@transaction.atomic
def highlight_create(
    *,
    actor,
    workspace: Workspace,
    insight: Insight,
    start: int,
    end: int,
    tags=(),
    persona: Persona | None = None,
    feature: Feature | None = None,
) -> Highlight:
    """Save body[start:end] of the insight as a highlight."""
    check_same_workspace(workspace, "insight", [insight])
    check_same_workspace(workspace, "persona", [persona] if persona else [])
    check_same_workspace(workspace, "feature", [feature] if feature else [])
    # Locked: the passage is cut from the body as it is at this moment.
    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    start, end = highlight_span(insight.body, start, end)
    if insight.highlights.count() >= MAX_HIGHLIGHTS_PER_INSIGHT:
        raise ValidationError(
            {"insight": [f"An insight has at most {MAX_HIGHLIGHTS_PER_INSIGHT} highlights."]}
        )
    highlight = Highlight(
        workspace=workspace,
        insight=insight,
        start=start,
        end=end,
        text=insight.body[start:end],
        persona=persona,
        feature=feature,
        created_by=actor,
    )
    save_clean(highlight)
    highlight.tags.set(tags_resolve(workspace=workspace, names=tags or []))
    return highlight


@transaction.atomic
def highlight_delete(*, actor, highlight: Highlight) -> None:
    """Its author or a workspace admin removes it (and the evidence that quoted it)."""
    is_admin = Membership.objects.filter(
        user=actor, workspace_id=highlight.workspace_id, role=Role.ADMIN
    ).exists()
    if highlight.created_by_id != getattr(actor, "pk", None) and not is_admin:
        raise PermissionDenied("Only its author or a workspace admin can delete a highlight.")
    highlight.delete()
