"""What every service does to a row it writes: take only the fields it allows, check that the
rows it links are the workspace's own, then validate and save (the API and the pages agree
because both go through here)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from alignment.tenancy import INVALID_CHOICE


def assign_fields(instance, data: dict[str, Any], allowed) -> None:
    """Set `data` on `instance`; a field outside `allowed` is a 400 on that field."""
    unknown = set(data).difference(allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    for name, value in data.items():
        setattr(instance, name, value)


def check_same_workspace(workspace, field: str, rows) -> list:
    """Linked rows given as objects must be the workspace's (a Workspace or its id) own;
    another tenant's row reads as a missing one (a 400 on `field`). Returns the rows as a list."""
    workspace_id = getattr(workspace, "pk", workspace)
    rows = list(rows or [])
    if any(row.workspace_id != workspace_id for row in rows):
        raise ValidationError({field: [INVALID_CHOICE]})
    return rows


def save_clean(instance) -> None:
    """Validate (fields, model.clean(), constraints) and save."""
    instance.full_clean()
    instance.save()


def create_row(model, *, workspace, data: dict[str, Any], fields):
    """A new `model` row of the workspace from `data` (only `fields`), validated and saved."""
    row = model(workspace=workspace)
    assign_fields(row, data, fields)
    save_clean(row)
    return row


def update_row(row, *, data: dict[str, Any], fields):
    """`row` with `data` (only `fields`) applied, validated and saved."""
    assign_fields(row, data, fields)
    save_clean(row)
    return row
