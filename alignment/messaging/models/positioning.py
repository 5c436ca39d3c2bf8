"""Positioning statements per product and persona, and their versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alignment.routing import detail_url
from alignment.tenancy import WorkspaceScopedModel


class Positioning(WorkspaceScopedModel):
    """The positioning statement of one product for one persona. Editing it adds a
    PositioningVersion; the fields here always mirror the latest version."""

    product = models.ForeignKey(
        "alignment.Product", on_delete=models.CASCADE, related_name="positionings"
    )
    persona = models.ForeignKey(
        "research.Persona", on_delete=models.CASCADE, related_name="positionings"
    )
    target_customer = models.TextField("For", help_text="For (target customer) ...")
    need = models.TextField("Who", help_text="who (statement of need or opportunity) ...")
    alternative = models.TextField(
        "Unlike", blank=True, help_text="unlike (the primary competitive alternative) ..."
    )
    our_product = models.TextField(
        "Our product", help_text="our product (product category and key benefit) ..."
    )
    differentiator = models.TextField(
        "Because", blank=True, help_text="because (the primary differentiation) ..."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product__name", "persona__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "persona"],
                name="positioning_unique_product_persona",
                violation_error_message="This product already has a positioning for this persona.",
            )
        ]

    def __str__(self):
        return f"{self.product.name} for {self.persona.name}"

    def get_absolute_url(self):
        return detail_url("messaging:positioning_detail", self)


class PositioningVersion(WorkspaceScopedModel):
    """One saved state of a positioning statement: earlier ones stay readable."""

    positioning = models.ForeignKey(Positioning, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    target_customer = models.TextField()
    need = models.TextField()
    alternative = models.TextField(blank=True)
    our_product = models.TextField()
    differentiator = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["positioning", "number"], name="positioning_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.positioning} v{self.number}"
