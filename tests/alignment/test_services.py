import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alignment import services
from alignment.models import Feature, Membership, Role
from tests.factories import FeatureFactory, ProductFactory, UserFactory

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


def test_membership_add_requires_admin(workspace, user):
    UserFactory(username="friend")
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=user, workspace=workspace, username="friend", role="pm")


def test_a_new_workspace_starts_with_the_default_launch_templates():
    from launches.models import LaunchTemplate

    workspace = services.workspace_create(actor=UserFactory(), name="Initech", slug="initech")
    tiers = sorted(LaunchTemplate.objects.in_workspace(workspace).values_list("tier", flat=True))
    assert tiers == [1, 2, 3]
