"""Helpers shared by the launches services."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def _check_features_of_product(features, product, field: str = "features") -> None:
    wrong = [feature.name for feature in features if feature.product_id != product.pk]
    if wrong:
        raise ValidationError(
            {field: [f"Not a feature of {product.name}: {', '.join(sorted(wrong))}."]}
        )
