"""Positioning statements and their versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.messaging.models import Positioning
from alignment.messaging.models import PositioningVersion
from alignment.messaging.services.activity import tracked
from alignment.models import Workspace
from alignment.writes import assign_fields
from alignment.writes import save_clean

STATEMENT_FIELDS = ["target_customer", "need", "alternative", "our_product", "differentiator"]


def _snapshot(positioning: Positioning, actor) -> PositioningVersion:
    version = PositioningVersion(
        workspace_id=positioning.workspace_id,
        positioning=positioning,
        number=positioning.version,
        author=actor,
        **{name: getattr(positioning, name) for name in STATEMENT_FIELDS},
    )
    save_clean(version)
    return version


@transaction.atomic
@tracked("created")
def positioning_create(*, actor, workspace: Workspace, **data) -> Positioning:
    positioning = Positioning(workspace=workspace, version=1)
    assign_fields(positioning, data, {"product", "persona", *STATEMENT_FIELDS})
    save_clean(positioning)
    _snapshot(positioning, actor)
    return positioning


@transaction.atomic
@tracked(lambda positioning: "edited" if positioning._new_version else None)
def positioning_update(*, actor, positioning: Positioning, **data) -> Positioning:
    """Save a new version; the previous ones stay readable. No change, no version."""
    for name in ("product", "persona"):
        if name in data and data.pop(name) != getattr(positioning, name):
            raise ValidationError({name: ["Create a new positioning for another " + name + "."]})
    assign_fields(positioning, data, set(STATEMENT_FIELDS))
    latest = positioning.versions.order_by("-number").first()
    changed = latest is None or any(
        getattr(latest, name) != getattr(positioning, name) for name in STATEMENT_FIELDS
    )
    positioning._new_version = changed
    if changed:
        positioning.version = (latest.number if latest else 0) + 1
        save_clean(positioning)
        _snapshot(positioning, actor)
    return positioning
