import pytest
from django.contrib import admin
from django.urls import reverse

from alignment.models import Membership, Role
from tests.factories import FeatureFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_changelist_and_add_page_renders(superuser_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    assert superuser_client.get(changelist + "?q=x").status_code == 200


def test_staff_sees_only_workspaces_they_administer(client, workspace, other_workspace):
    staff = UserFactory(username="ops", is_staff=True)
    Membership.objects.create(user=staff, workspace=workspace, role=Role.ADMIN)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="alignment"))
    mine = FeatureFactory(product=ProductFactory(workspace=workspace, name="Mine"))
    theirs = FeatureFactory(product=ProductFactory(workspace=other_workspace, name="Theirs"))
    client.force_login(staff)

    page = client.get(reverse("admin:alignment_product_changelist"))
    assert [p.name for p in page.context["cl"].result_list] == ["Mine"]
    assert (
        client.get(reverse("admin:alignment_feature_change", args=[theirs.pk])).status_code == 302
    )
    assert client.get(reverse("admin:alignment_feature_change", args=[mine.pk])).status_code == 200
    add_form = client.get(reverse("admin:alignment_feature_add")).context["adminform"].form
    assert list(add_form.fields["workspace"].queryset) == [workspace]
    assert list(add_form.fields["product"].queryset) == [mine.product]
