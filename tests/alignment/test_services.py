import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from alignment import selectors
from alignment import services
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Role
from tests.factories import FeatureFactory
from tests.factories import InvitationFactory
from tests.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_workspace_create_makes_creator_admin():
    user = UserFactory()
    workspace = services.workspace_create(actor=user, name="Initech", slug="initech")
    assert Membership.objects.get(workspace=workspace).role == Role.ADMIN


def test_workspace_update_requires_admin(workspace, user, admin_user):
    with pytest.raises(PermissionDenied):
        services.workspace_update(actor=user, workspace=workspace, name="X")
    services.workspace_update(actor=admin_user, workspace=workspace, name="Acme Corp")
    workspace.refresh_from_db()
    assert workspace.name == "Acme Corp"


def test_service_refuses_unknown_fields(workspace, user):
    with pytest.raises(ValidationError) as error:
        services.product_create(actor=user, workspace=workspace, name="P", workspace_id=99)
    assert "workspace_id" in error.value.message_dict


def test_feature_cannot_point_at_another_workspaces_product(workspace, other_workspace, user):
    foreign_product = ProductFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as error:
        services.feature_create(actor=user, workspace=workspace, product=foreign_product, name="F")
    assert "product" in error.value.message_dict
    assert not Feature.objects.exists()


def test_feature_update_cannot_move_to_a_foreign_product(workspace, other_workspace, user):
    feature = FeatureFactory(product=ProductFactory(workspace=workspace))
    with pytest.raises(ValidationError):
        services.feature_update(
            actor=user, feature=feature, product=ProductFactory(workspace=other_workspace)
        )
    feature.refresh_from_db()
    assert feature.product.workspace == workspace


def test_feature_names_are_unique_per_product_ignoring_case(workspace, user):
    product = ProductFactory(workspace=workspace)
    services.feature_create(actor=user, workspace=workspace, product=product, name="Funnels")
    with pytest.raises(ValidationError) as error:
        services.feature_create(actor=user, workspace=workspace, product=product, name="FUNNELS")
    assert error.value.message_dict == {
        "name": ["This product already has a feature with this name."]
    }
    other = ProductFactory(workspace=workspace)
    services.feature_create(actor=user, workspace=workspace, product=other, name="Funnels")


def test_token_regenerate_replaces_the_key(user):
    old = services.token_get_or_create(user=user).key
    new = services.token_regenerate(user=user).key
    assert new != old
    assert services.token_get_or_create(user=user).key == new


def test_membership_remove_keeps_one_admin(workspace, admin_user):
    membership = Membership.objects.get(user=admin_user)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=admin_user, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_invitation_create_requires_admin(workspace, user):
    UserFactory(username="friend")
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=user, workspace=workspace, username="friend", role="pm")
    assert not Invitation.objects.exists()


def test_an_invitation_adds_nobody_until_accepted(workspace, admin_user):
    friend = UserFactory(username="friend")
    invitation = services.invitation_create(
        actor=admin_user, workspace=workspace, username="friend", role=Role.PMM
    )
    assert invitation.invitee == friend and invitation.is_open
    assert not Membership.objects.filter(user=friend).exists()
    membership = services.invitation_accept(actor=friend, invitation=invitation)
    assert (membership.user, membership.workspace, membership.role) == (friend, workspace, "pmm")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.responded_at


def test_an_invitation_to_a_name_nobody_has_is_kept_and_never_accepted(workspace, admin_user):
    invitation = services.invitation_create(
        actor=admin_user, workspace=workspace, username="ghost", role=Role.PM
    )
    assert invitation.invitee is None and invitation.username == "ghost"
    assert list(selectors.invitation_list(workspace=workspace)) == [invitation]
    with pytest.raises(PermissionDenied):
        services.invitation_accept(actor=UserFactory(username="someone"), invitation=invitation)


def test_a_member_is_not_invited(workspace, admin_user, user):
    assert (
        services.invitation_create(
            actor=admin_user, workspace=workspace, username=user.username, role=Role.ADMIN
        )
        is None
    )
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user=user).role == Role.PM


def test_only_the_invitee_answers(workspace, admin_user):
    invitation = InvitationFactory(workspace=workspace)
    for respond in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(PermissionDenied):
            respond(actor=admin_user, invitation=invitation)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_an_expired_invitation_cannot_be_accepted_and_a_new_one_renews_it(workspace, admin_user):
    invitation = InvitationFactory(
        workspace=workspace, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(actor=invitation.invitee, invitation=invitation)
    assert not Membership.objects.filter(user=invitation.invitee).exists()

    renewed = services.invitation_create(
        actor=admin_user, workspace=workspace, username=invitation.username, role=Role.SALES
    )
    assert renewed.pk == invitation.pk and renewed.is_open and renewed.role == Role.SALES
    services.invitation_accept(actor=invitation.invitee, invitation=renewed)
    assert Membership.objects.get(user=invitation.invitee).role == Role.SALES


def test_invitations_expire_after_the_configured_days(workspace, admin_user, settings):
    settings.INVITATION_EXPIRY_DAYS = 3
    UserFactory(username="friend")
    invitation = services.invitation_create(
        actor=admin_user, workspace=workspace, username="friend", role=Role.PM
    )
    left = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=2, hours=23) < left <= datetime.timedelta(days=3)


def test_revoke_is_for_admins_and_pending_invitations(workspace, admin_user, user):
    invitation = InvitationFactory(workspace=workspace)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=user, invitation=invitation)
    services.invitation_revoke(actor=admin_user, invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=admin_user, invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_accept(actor=invitation.invitee, invitation=invitation)


def test_a_renamed_invitee_keeps_one_open_invitation(workspace, admin_user):
    invitation = InvitationFactory(workspace=workspace, username="alice")
    invitee = invitation.invitee
    invitee.username = "alicia"
    invitee.save()
    renewed = services.invitation_create(
        actor=admin_user, workspace=workspace, username="alicia", role=Role.PM
    )
    assert renewed.pk == invitation.pk and renewed.username == "alicia"
    assert Invitation.objects.filter(status=Invitation.Status.PENDING).count() == 1


def test_the_invitee_gets_an_email_with_their_link(workspace, admin_user, mailoutbox):
    friend = UserFactory(username="friend", email="friend@example.com")
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = services.invitation_create(
            actor=admin_user, workspace=workspace, username="friend", role=Role.PM
        )
        services.invitation_create(
            actor=admin_user, workspace=workspace, username="ghost", role=Role.PM
        )
    assert [message.to for message in mailoutbox] == [[friend.email]]
    assert f"/invitations/{invitation.token}/" in mailoutbox[0].body
    assert workspace.name in mailoutbox[0].subject


def test_a_new_workspace_starts_with_the_default_launch_templates():
    from launches.models import LaunchTemplate

    workspace = services.workspace_create(actor=UserFactory(), name="Initech", slug="initech")
    tiers = sorted(LaunchTemplate.objects.in_workspace(workspace).values_list("tier", flat=True))
    assert tiers == [1, 2, 3]
