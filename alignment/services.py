"""Writes of the core domain: workspaces, members, products and features."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from alignment import selectors
from alignment.models import Feature, Membership, Product, Role, Workspace

User = get_user_model()


def _apply(instance, data: dict[str, Any], allowed: set[str]):
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    for name, value in data.items():
        setattr(instance, name, value)


# --- Workspaces and members -------------------------------------------------------------


@transaction.atomic
def workspace_create(*, actor, name: str, slug: str) -> Workspace:
    """Create a workspace; its creator becomes its first admin. It starts with the default
    launch templates, so a first launch can be planned right away."""
    from launches.services import launch_template_seed_defaults  # launches builds on alignment

    if not selectors.workspace_creation_allowed(user=actor):
        raise PermissionDenied("Only ops (staff) accounts may create workspaces here.")
    workspace = Workspace(name=name, slug=slug)
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(user=actor, workspace=workspace, role=Role.ADMIN)
    launch_template_seed_defaults(actor=actor, workspace=workspace)
    return workspace


@transaction.atomic
def workspace_update(*, actor, workspace: Workspace, **data) -> Workspace:
    _require_admin(actor, workspace)
    _apply(workspace, data, {"name", "slug"})
    workspace.full_clean()
    workspace.save()
    return workspace


def _require_admin(actor, workspace: Workspace) -> None:
    if not Membership.objects.filter(user=actor, workspace=workspace, role=Role.ADMIN).exists():
        raise PermissionDenied("Only workspace admins can do this.")


@transaction.atomic
def membership_add(
    *, actor, workspace: Workspace, username: str, role: str = Role.VIEWER
) -> Membership:
    """Add an existing user to the workspace (admins only)."""
    _require_admin(actor, workspace)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": ["No active user with this username."]})
    if Membership.objects.filter(user=user, workspace=workspace).exists():
        raise ValidationError({"username": ["This user is already a member."]})
    membership = Membership(user=user, workspace=workspace, role=role)
    membership.full_clean(validate_unique=False)
    membership.save()
    return membership


def _keep_one_admin(membership: Membership) -> None:
    others = (
        Membership.objects.filter(workspace=membership.workspace, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .select_for_update()
    )
    if membership.role == Role.ADMIN and not others.exists():
        raise ValidationError({"role": ["A workspace needs at least one admin."]})


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    _require_admin(actor, membership.workspace)
    if role != Role.ADMIN:
        _keep_one_admin(membership)
    membership.role = role
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    _require_admin(actor, membership.workspace)
    _keep_one_admin(membership)
    membership.delete()


# --- API tokens -------------------------------------------------------------------------


@transaction.atomic
def token_regenerate(*, user) -> Token:
    """Replace the user's API key: the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_get_or_create(*, user) -> Token:
    token, _ = Token.objects.get_or_create(user=user)
    return token


# --- Products and features --------------------------------------------------------------

PRODUCT_FIELDS = {"name", "stage", "description"}
FEATURE_FIELDS = {
    "product",
    "name",
    "description",
    "status",
    "release_date",
    "anticipated_value",
    "media_links",
}


@transaction.atomic
def product_create(*, actor, workspace: Workspace, **data) -> Product:
    product = Product(workspace=workspace)
    _apply(product, data, PRODUCT_FIELDS)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, actor, product: Product, **data) -> Product:
    _apply(product, data, PRODUCT_FIELDS)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def feature_create(*, actor, workspace: Workspace, **data) -> Feature:
    feature = Feature(workspace=workspace)
    _apply(feature, data, FEATURE_FIELDS)
    feature.full_clean()
    feature.save()
    return feature


@transaction.atomic
def feature_update(*, actor, feature: Feature, **data) -> Feature:
    _apply(feature, data, FEATURE_FIELDS)
    feature.full_clean()
    feature.save()
    return feature


@transaction.atomic
def object_delete(*, actor, instance) -> None:
    """Delete a workspace-scoped row (cascades follow the models)."""
    instance.delete()
