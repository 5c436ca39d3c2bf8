"""Writes of the core domain: workspaces, members, products and features."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alignment import selectors
from alignment import signals
from alignment.collaboration import links
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace
from alignment.models import invitation_expiry
from alignment.queueing import publish
from alignment.writes import assign_fields
from alignment.writes import create_row
from alignment.writes import save_clean
from alignment.writes import update_row

User = get_user_model()


# --- Workspaces and members -------------------------------------------------------------


@transaction.atomic
def workspace_create(*, actor, name: str, slug: str, currency: str = "") -> Workspace:
    """Create a workspace; its creator becomes its first admin. It starts with the default
    launch templates, so a first launch can be planned right away. Its money is in
    `currency` (default USD). The other apps add their part (signals.workspace_created)."""
    if not selectors.workspace_creation_allowed(user=actor):
        raise PermissionDenied("Only ops (staff) accounts may create workspaces here.")
    workspace = Workspace(name=name, slug=slug)
    if currency:
        workspace.currency = currency
    save_clean(workspace)
    Membership.objects.create(user=actor, workspace=workspace, role=Role.ADMIN)
    signals.workspace_created.send(sender=Workspace, actor=actor, workspace=workspace)
    return workspace


@transaction.atomic
def workspace_update(*, actor, workspace: Workspace, **data) -> Workspace:
    require_admin(actor, workspace)
    assign_fields(workspace, data, {"name", "slug", "currency"})
    save_clean(workspace)
    return workspace


def require_admin(actor, workspace: Workspace, *, to: str = "do this") -> None:
    """PermissionDenied unless `actor` administers the workspace ("Only workspace admins
    can <to>.")."""
    if not Membership.objects.filter(user=actor, workspace=workspace, role=Role.ADMIN).exists():
        raise PermissionDenied(f"Only workspace admins can {to}.")


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
    require_admin(actor, membership.workspace)
    if role != Role.ADMIN:
        _keep_one_admin(membership)
    membership.role = role
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    require_admin(actor, membership.workspace)
    _keep_one_admin(membership)
    membership.delete()


# --- Invitations ------------------------------------------------------------------------
# Nobody is added to a workspace without their consent: an admin invites, the invitee
# accepts. What the admin learns is the same whether a name is an account or not.


@transaction.atomic
def invitation_create(
    *, actor, workspace: Workspace, username: str, role: str = Role.VIEWER
) -> Invitation | None:
    """Invite `username` to the workspace as `role` (admins only); they join by accepting.

    The caller learns nothing of the name: an invitation to a name that is no active
    account is kept and listed like the others (it can never be accepted), an open
    invitation to the same name is renewed (new role, inviter and expiry), and a user who
    is already a member is left as they are (None, and nothing is written).
    """
    require_admin(actor, workspace)
    if role not in Role.values:
        raise ValidationError({"role": [f'"{role}" is not a valid choice.']})
    try:
        with transaction.atomic():
            return _invitation_upsert(actor, workspace, username, role)
    except IntegrityError:
        # A concurrent invitation of the same name committed first: renew that one.
        with transaction.atomic():
            return _invitation_upsert(actor, workspace, username, role)


def _invitation_upsert(actor, workspace, username, role) -> Invitation | None:
    invitee = User.objects.filter(username=username, is_active=True).first()
    if invitee is not None and invitee.memberships.filter(workspace=workspace).exists():
        return None
    same = Q(username=username) | (Q(invitee=invitee) if invitee is not None else Q())
    pending = list(
        Invitation.objects.in_workspace(workspace)
        .select_for_update()
        .filter(same, status=Invitation.Status.PENDING)
        .order_by("-created_at", "-pk")
    )
    for stale in pending[1:]:  # only after a rename: one open invitation per person
        _close(stale, Invitation.Status.REVOKED)
    invitation = pending[0] if pending else Invitation(workspace=workspace)
    invitation.username = username
    invitation.invitee = invitee
    invitation.role = role
    invitation.invited_by = actor
    invitation.expires_at = invitation_expiry()
    invitation.full_clean(validate_constraints=False)  # the database holds them
    invitation.save()
    if invitee is not None and invitee.email:
        _email_invitee_on_commit(invitation)
    return invitation


def _email_invitee_on_commit(invitation: Invitation) -> None:
    from alignment.tasks import invitation_email

    invitation_id = invitation.pk
    # Best effort: without a queue the invitee still finds it on their workspaces page.
    transaction.on_commit(lambda: publish(invitation_email, invitation_id))


def invitation_send_email(*, invitation: Invitation) -> bool:
    """Email the invitee their link. False when there is nobody to tell, or it is closed."""
    invitee = invitation.invitee
    if invitee is None or not invitee.email or not invitation.is_open:
        return False
    url = links.absolute(invitation.get_absolute_url())
    context = {"invitation": invitation, "user": invitee, "url": url}
    send_mail(
        subject=f"[Tandem] You are invited to {invitation.workspace.name}",
        message=render_to_string("alignment/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitee.email],
    )
    return True


def _close(invitation: Invitation, status: str) -> Invitation:
    invitation.status = status
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def _open_invitation_of(actor, invitation: Invitation) -> Invitation:
    """`invitation` re-read and locked; it must be the actor's and still open."""
    locked = (
        Invitation.objects.select_for_update().select_related("workspace").get(pk=invitation.pk)
    )
    if locked.invitee_id is None or locked.invitee_id != actor.pk:
        raise PermissionDenied("This invitation is for someone else.")
    if locked.status != Invitation.Status.PENDING:
        raise ValidationError(f"This invitation was already {locked.get_status_display().lower()}.")
    if locked.is_expired:
        raise ValidationError(
            "This invitation has expired: ask a workspace admin to invite you again."
        )
    return locked


@transaction.atomic
def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """The invitee joins the workspace with the invited role. An invitation answers once;
    an invitee who became a member meanwhile keeps that membership and its role."""
    invitation = _open_invitation_of(actor, invitation)
    membership, _ = Membership.objects.get_or_create(
        user=actor, workspace=invitation.workspace, defaults={"role": invitation.role}
    )
    _close(invitation, Invitation.Status.ACCEPTED)
    return membership


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    return _close(_open_invitation_of(actor, invitation), Invitation.Status.DECLINED)


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation (admins only); its link stops working."""
    require_admin(actor, invitation.workspace)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise ValidationError(f"This invitation was already {locked.get_status_display().lower()}.")
    return _close(locked, Invitation.Status.REVOKED)


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

PRODUCT_FIELDS = ("name", "stage", "description")
FEATURE_FIELDS = (
    "product",
    "name",
    "status",
    "release_date",
    "description",
    "anticipated_value",
    "media_links",
    "external_refs",
)


@transaction.atomic
def product_create(*, actor, workspace: Workspace, **data) -> Product:
    return create_row(Product, workspace=workspace, data=data, fields=PRODUCT_FIELDS)


@transaction.atomic
def product_update(*, actor, product: Product, **data) -> Product:
    return update_row(product, data=data, fields=PRODUCT_FIELDS)


@transaction.atomic
def feature_create(*, actor, workspace: Workspace, **data) -> Feature:
    return create_row(Feature, workspace=workspace, data=data, fields=FEATURE_FIELDS)


@transaction.atomic
def feature_update(*, actor, feature: Feature, **data) -> Feature:
    was_released = (
        Feature.objects.filter(pk=feature.pk, status=Feature.Status.RELEASED).exists()
        if feature.pk
        else False
    )
    assign_fields(feature, data, FEATURE_FIELDS)
    save_clean(feature)
    if feature.is_released and not was_released:
        _announce_release(actor=actor, feature=feature)
    return feature


@transaction.atomic
def feature_release(*, actor, feature: Feature, released_on, source: str = "") -> bool:
    """Mark the feature released on `released_on` (its claims become supported); one
    already released is left alone (False). `source` says what released it (an inbound
    hook: "github", "jira", "linear")."""
    feature = Feature.objects.select_for_update().select_related("product").get(pk=feature.pk)
    if feature.is_released:
        return False
    feature.status = Feature.Status.RELEASED
    feature.release_date = released_on
    feature.full_clean()
    feature.save(update_fields=["status", "release_date", "updated_at"])
    _announce_release(actor=actor, feature=feature, source=source)
    return True


def _day(day) -> str:
    return f"{day:%b} {day.day}, {day.year}" if day else "an unknown date"


def _announce_release(*, actor, feature: Feature, source: str = "") -> None:
    """feature.released to the authors of its claims and the product and marketing
    teams, and, after commit, the feature_released signal (metrics' diagnostics)."""
    # Imported here: collaboration's services import this module.
    from alignment.collaboration.kinds import EventKind
    from alignment.collaboration.recipients import team_member_ids
    from alignment.collaboration.services.events import actor_name
    from alignment.collaboration.services.events import event_record
    from alignment.messaging.models import Claim
    from alignment.teams import Team

    recipients = [
        *Claim.objects.filter(feature=feature).values_list("author_id", flat=True),
        *team_member_ids(feature.workspace_id, Team.PRODUCT),
        *team_member_ids(feature.workspace_id, Team.MARKETING),
    ]
    by = {"github": "A GitHub release", "jira": "Jira", "linear": "Linear"}.get(source)
    who = by if by and actor is None else actor_name(actor)
    event_record(
        workspace=feature.workspace,
        kind=EventKind.FEATURE_RELEASED,
        actor=actor,
        subject=feature,
        recipients=recipients,
        message=f"{who} released the feature “{feature.name}” on {_day(feature.release_date)}.",
        data={
            "feature": feature.pk,
            "release_date": feature.release_date.isoformat() if feature.release_date else None,
            "source": source or "tandem",
        },
    )
    workspace_id, feature_id = feature.workspace_id, feature.pk
    transaction.on_commit(
        lambda: signals.feature_released.send(
            sender=Feature, workspace_id=workspace_id, feature_id=feature_id
        )
    )


@transaction.atomic
def object_delete(*, actor, instance) -> None:
    """Delete a workspace-scoped row (cascades follow the models)."""
    instance.delete()
