"""The edits a PM makes to themes (create, rename, pin, merge, split, move insights), which
every recompute keeps (themes.py): a theme renamed keeps its label, a pinned one persists,
an insight placed by hand stays where it was placed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.models import Workspace
from alignment.tenancy import INVALID_CHOICE
from research.models import Insight
from research.models import Theme
from research.models import ThemeMembership
from research.services.themes import MAX_LABEL_LENGTH
from research.services.themes import workspace_texts


def _theme_insights(theme: Theme, insights, field: str) -> list[Insight]:
    """The insights (objects or ids) as rows of the theme's workspace; else 400 on field."""
    values = list(insights or [])
    if not values:
        raise ValidationError({field: ["Choose at least one insight."]})
    pks = set()
    for value in values:
        pk = getattr(value, "pk", value)
        if isinstance(value, Insight) and value.workspace_id != theme.workspace_id:
            raise ValidationError({field: [INVALID_CHOICE]})
        try:
            pks.add(int(pk))
        except (TypeError, ValueError):
            raise ValidationError({field: [f"“{pk}” is not a valid insight id."]}) from None
    found = list(Insight.objects.in_workspace(theme.workspace).filter(pk__in=pks))
    if len(found) != len(pks):
        raise ValidationError({field: [INVALID_CHOICE]})
    return found


def _place(theme: Theme, insights: list[Insight]) -> None:
    """Put the insights in `theme` by hand, out of whatever theme held them (their score
    against its centre is filled by the next recompute)."""
    ThemeMembership.objects.in_workspace(theme.workspace).filter(insight__in=insights).delete()
    ThemeMembership.objects.bulk_create(
        [
            ThemeMembership(workspace=theme.workspace, theme=theme, insight=insight, manual=True)
            for insight in insights
        ]
    )


@transaction.atomic
def theme_create(
    *, actor, workspace: Workspace, label: str, insights, pinned: bool = False
) -> Theme:
    """A theme made by hand: its name is kept (label locked) and its insights are placed by
    hand, so recomputes keep both."""
    label = " ".join(str(label or "").split())
    if not label:
        raise ValidationError({"label": ["A theme needs a name."]})
    theme = Theme(workspace=workspace, label=label, label_locked=True, pinned=bool(pinned))
    chosen = _theme_insights(theme, insights, "insights")
    theme.terms = _terms_of(workspace, {insight.pk for insight in chosen})
    theme.full_clean()
    theme.save()
    _place(theme, chosen)
    return theme


@transaction.atomic
def theme_update(*, actor, theme: Theme, **data) -> Theme:
    """Rename (the label then survives recomputes) or pin/unpin a theme."""
    unknown = set(data) - {"label", "pinned"}
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    if "label" in data:
        label = " ".join(str(data["label"] or "").split())
        if not label:
            raise ValidationError({"label": ["A theme needs a name."]})
        if label != theme.label:
            theme.label = label
            theme.label_locked = True
    if "pinned" in data:
        theme.pinned = bool(data["pinned"])
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_merge(*, actor, theme: Theme, into: Theme) -> Theme:
    """Move every insight of `theme` into `into` (placed by hand) and delete `theme`."""
    if into is None or into.workspace_id != theme.workspace_id:
        raise ValidationError({"into": [INVALID_CHOICE]})
    if into.pk == theme.pk:
        raise ValidationError({"into": ["A theme cannot be merged into itself."]})
    insights = list(Insight.objects.filter(theme_memberships__theme=theme))
    _place(into, insights)
    theme.delete()
    return into


@transaction.atomic
def theme_split(*, actor, theme: Theme, insights) -> Theme:
    """A new theme holding these insights of `theme` (placed by hand), named from its
    characteristic terms."""
    from research.semantic import clustering

    rows = _theme_insights(theme, insights, "insights")
    members = set(ThemeMembership.objects.filter(theme=theme).values_list("insight_id", flat=True))
    if any(insight.pk not in members for insight in rows):
        raise ValidationError({"insights": ["Choose insights of this theme."]})
    new = Theme(workspace=theme.workspace, label="", computed_at=None)
    new.terms = _terms_of(theme.workspace, {insight.pk for insight in rows})
    new.label = clustering.label_from_terms(new.terms)[:MAX_LABEL_LENGTH]
    new.save()
    _place(new, rows)
    return new


@transaction.atomic
def theme_move_insights(*, actor, theme: Theme, insights) -> Theme:
    """Place these insights in `theme` by hand, out of the themes that held them."""
    _place(theme, _theme_insights(theme, insights, "insights"))
    return theme


def _terms_of(workspace: Workspace, chosen: set[int]) -> list[str]:
    """The characteristic terms of the chosen insights against the rest of the workspace."""
    import numpy as np

    from research.semantic import clustering

    ids, texts = workspace_texts(workspace)
    labels = np.array([0 if pk in chosen else clustering.NOISE for pk in ids], dtype=int)
    return clustering.characteristic_terms(texts, labels).get(0, [])
