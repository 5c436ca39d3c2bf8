"""Helpers shared by the launches services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def _assign(instance, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    for name, value in data.items():
        setattr(instance, name, value)


def _check_features_of_product(features, product, field: str = "features") -> None:
    wrong = [feature.name for feature in features if feature.product_id != product.pk]
    if wrong:
        raise ValidationError(
            {field: [f"Not a feature of {product.name}: {', '.join(sorted(wrong))}."]}
        )


def _check_same_workspace(rows, workspace, field: str) -> None:
    """Linked rows (many-to-many) must be of the launch's workspace: else, as if missing."""
    if any(row.workspace_id != workspace.pk for row in rows):
        raise ValidationError({field: ["Select a valid choice. That choice does not exist."]})
