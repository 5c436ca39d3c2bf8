"""Helpers every research service shares."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Lower

from alignment.models import Workspace
from alignment.writes import check_same_workspace


def split_related(data: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """Pop the many-to-many values out of `data` (they are set after the row is saved)."""
    return {name: data.pop(name) for name in list(data) if name in names}


def set_related(instance, workspace: Workspace, related: dict[str, Any]) -> None:
    for name, rows in related.items():
        getattr(instance, name).set(check_same_workspace(workspace, name, rows))


def find_by_name(queryset, name: str):
    """The row called `name` (any case); None when missing, "ambiguous" when several are."""
    matches = list(queryset.annotate(lower=Lower("name")).filter(lower=name.lower())[:2])
    return matches[0] if len(matches) == 1 else (None if not matches else "ambiguous")
