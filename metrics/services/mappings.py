"""Writes of column mappings: a workspace's saved answer to "which header is which field".

A mapping is checked against the import contract of its kind when it is saved, so an
import never meets a mapping that names a field the pipeline does not know.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from alignment.models import Workspace
from metrics.importing.reader import CONTRACTS
from metrics.models import ColumnMapping
from metrics.models import ImportKind


def _validate_mapping_content(kind: str, columns, defaults) -> None:
    if kind not in ImportKind.values:
        raise ValidationError({"kind": ["Unknown kind."]})
    fields = CONTRACTS[kind].fields
    if not isinstance(columns, dict) or not columns:
        raise ValidationError({"columns": ["Map at least one header to a field."]})
    wrong = sorted({str(v) for v in columns.values() if v not in fields})
    if wrong:
        raise ValidationError(
            {"columns": [f"Unknown field(s): {', '.join(wrong)}. Fields: {', '.join(fields)}."]}
        )
    if not isinstance(defaults, dict) or any(k not in fields for k in defaults):
        raise ValidationError({"defaults": [f"Defaults must name fields of: {', '.join(fields)}."]})


@transaction.atomic
def columnmapping_create(
    *, actor, workspace: Workspace, name: str, kind: str, columns=None, defaults=None
) -> ColumnMapping:
    columns, defaults = columns or {}, defaults or {}
    _validate_mapping_content(kind, columns, defaults)
    mapping = ColumnMapping(
        workspace=workspace, name=name, kind=kind, columns=columns, defaults=defaults
    )
    mapping.full_clean()
    mapping.save()
    return mapping


@transaction.atomic
def columnmapping_update(*, actor, columnmapping: ColumnMapping, **data) -> ColumnMapping:
    for name in ("name", "kind", "columns", "defaults"):
        if name in data:
            setattr(columnmapping, name, data[name])
    _validate_mapping_content(columnmapping.kind, columnmapping.columns, columnmapping.defaults)
    columnmapping.full_clean()
    columnmapping.save()
    return columnmapping
