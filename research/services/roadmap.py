"""The roadmap: which opportunities are Now, Next and Later, in which order; and what a
write of an opportunity's RICE inputs and horizon may change (research.scoring)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from alignment.tenancy import INVALID_CHOICE
from research import scoring
from research.models import Horizon
from research.models import Opportunity

MAX_POSITION = 10_000


def _horizon(value) -> str | None:
    if value in (None, ""):
        return None
    if value not in Horizon.values:
        raise ValidationError({"horizon": [f"“{value}” is not one of now, next, later or null."]})
    return value


def _end_of(workspace, horizon: str | None) -> int:
    if horizon is None:
        return 0
    last = (
        Opportunity.objects.in_workspace(workspace)
        .filter(horizon=horizon)
        .aggregate(last=Max("roadmap_position"))["last"]
    )
    return 0 if last is None else last + 1


def opportunity_score_input(*, opportunity: Opportunity, data: dict[str, Any]) -> dict[str, Any]:
    """What opportunity_create/update apply of the RICE inputs and the horizon: checked by
    research.scoring; an opportunity put on another horizon goes to the end of its column."""
    defaults = None
    if opportunity.pk and {"reach", "confidence"} & set(data):
        counts = scoring.evidence_counts([opportunity.pk])[opportunity.pk]
        reach, confidence = scoring.defaults(counts)
        defaults = {"reach": reach, "confidence": confidence}
    data = scoring.clean_input(opportunity, data, current_defaults=defaults)
    if "horizon" in data:
        data["horizon"] = _horizon(data["horizon"])
        if data["horizon"] != opportunity.horizon or not opportunity.pk:
            data["roadmap_position"] = _end_of(opportunity.workspace, data["horizon"])
    return data


def _column(workspace, horizon: str, *, without: int) -> list[Opportunity]:
    """The column as the board shows it (position, then best score), less one card."""
    rows = scoring.attach(
        Opportunity.objects.in_workspace(workspace)
        .filter(horizon=horizon)
        .exclude(pk=without)
        .only(*scoring.RankedList.FIELDS, "roadmap_position", "horizon")
    )
    return sorted(rows, key=lambda row: (row.roadmap_position, scoring.rank_key(row)))


def _renumber(rows: list[Opportunity]) -> list[Opportunity]:
    changed = []
    for index, row in enumerate(rows):
        if row.roadmap_position != index:
            row.roadmap_position = index
            changed.append(row)
    return changed


@transaction.atomic
def roadmap_move(
    *, actor, opportunity: Opportunity, horizon: str | None, position: int | None = None
) -> Opportunity:
    """Put the opportunity in a column (now, next, later; None takes it off the roadmap) at
    `position` (0 is the top; past the end or None: the end), and number both columns it
    touches 0, 1, 2… again."""
    horizon = _horizon(horizon)
    if position is not None:
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            raise ValidationError({"position": ["A position is a whole number from 0."]})
        position = min(position, MAX_POSITION)
    workspace = opportunity.workspace
    scoped = Opportunity.objects.in_workspace(workspace)
    # Lock the columns being renumbered, then the card (re-checked in the workspace).
    columns = {horizon, opportunity.horizon} - {None}
    list(scoped.filter(horizon__in=columns).select_for_update().values_list("pk", flat=True))
    try:
        opportunity = scoped.select_for_update().get(pk=opportunity.pk)
    except Opportunity.DoesNotExist:
        raise ValidationError({"opportunity": [INVALID_CHOICE]}) from None
    source = opportunity.horizon
    changed: list[Opportunity] = []
    if source is not None and source != horizon:
        changed += _renumber(_column(workspace, source, without=opportunity.pk))
    if horizon is None:
        opportunity.roadmap_position = 0
    else:
        rows = _column(workspace, horizon, without=opportunity.pk)
        index = len(rows) if position is None else min(position, len(rows))
        rows.insert(index, opportunity)
        opportunity.roadmap_position = -1  # renumbered below with the others
        changed += [row for row in _renumber(rows) if row.pk != opportunity.pk]
    if changed:
        Opportunity.objects.bulk_update(changed, ["roadmap_position"])
    scoped.filter(pk=opportunity.pk).update(
        horizon=horizon, roadmap_position=opportunity.roadmap_position
    )
    opportunity.horizon = horizon
    return opportunity
