"""The admin is tenant-safe for staff who are not superusers, generated over every admin
model: no picker (foreign key, many-to-many, user; inlines included) offers another
workspace's row, a form naming one fails, and no list filter names another tenant."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ManyToManyRawIdWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Model

from alignment.admin import WorkspaceScopedAdmin
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace
from tests.factories import UserFactory
from tests.factories import WorkspaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("admin-tenancy")]

ADMINS = sorted(
    (model for model, model_admin in admin.site._registry.items()
     if isinstance(model_admin, WorkspaceScopedAdmin)),
    key=lambda model: model._meta.label,
)  # fmt: skip


@pytest.fixture(scope="module")
def foreign(django_db_setup, django_db_blocker, tmp_path_factory):
    """Another tenant with rows of nearly every model: the demo, its research and launches,
    written once for the module inside a transaction rolled back at its end (each test runs
    in a savepoint of it)."""
    from django.db import transaction
    from django.test import override_settings

    from alignment.demo import seed_demo
    from launches.demo import seed as seed_launches
    from research.demo import seed as seed_research

    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        workspace = seed_demo()
        seed_research(workspace)
        seed_launches(workspace)
        yield workspace
        transaction.set_rollback(True)


@pytest.fixture
def workspace(db):
    """The staff user's own workspace (the demo, seeded as `foreign`, takes "acme")."""
    return WorkspaceFactory(name="Initech", slug="initech")


@pytest.fixture
def staff(workspace):
    """Ops staff (every model permission, not a superuser) who administer `workspace`."""
    user = UserFactory(username="ops", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    Membership.objects.create(user=user, workspace=workspace, role=Role.ADMIN)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def _request(rf, user):
    request = rf.get("/admin/")
    request.user = user
    return request


def _is_foreign(row, workspace) -> bool:
    if isinstance(row, Workspace):
        return row.pk != workspace.pk
    if isinstance(row, get_user_model()):
        return not Membership.objects.filter(user=row, workspace=workspace).exists()
    workspace_id = getattr(row, "workspace_id", None)
    return workspace_id is not None and workspace_id != workspace.pk


def _forms(model, request):
    """The model's admin form and each inline's form, as (name, form class)."""
    model_admin = admin.site._registry[model]
    yield model._meta.label, model_admin.get_form(request)
    for inline in model_admin.get_inline_instances(request):
        yield inline.model._meta.label, inline.get_formset(request).form


def _pickers(form_class):
    for name, field in form_class.base_fields.items():
        if hasattr(field, "queryset"):
            yield name, field


def test_the_generator_sees_every_scoped_admin_and_foreign_rows(foreign):
    assert len(ADMINS) >= 25
    assert Workspace.objects.count() == 1  # the foreign tenant alone


@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_no_picker_offers_and_no_form_takes_a_foreign_row(rf, model, foreign, staff, workspace):
    request = _request(rf, staff)
    checked = 0
    for label, form_class in _forms(model, request):
        for name, field in _pickers(form_class):
            offered = [row for row in field.queryset if _is_foreign(row, workspace)]
            assert offered == [], f"{label}.{name} offers {offered[:3]}"
            target = field.queryset.model
            stray = target._default_manager.all()
            stray = [row for row in stray[:200] if _is_foreign(row, workspace)][:1]
            if not stray or not issubclass(target, Model):
                continue
            many = isinstance(field, forms.ModelMultipleChoiceField)
            raw_ids = isinstance(field.widget, ManyToManyRawIdWidget)  # "1,2" in one input
            value = [stray[0].pk] if many and not raw_ids else str(stray[0].pk)
            form = form_class(data={"workspace": workspace.pk, name: value})
            assert not form.is_valid() and name in form.errors, f"{label}.{name} took {stray[0]}"
            checked += 1
    assert checked or model._meta.label in NO_FOREIGN_PICKER, model._meta.label


# Admins whose forms have no picker of a model the foreign tenant has rows of.
NO_FOREIGN_PICKER = set()


@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_no_list_filter_names_another_tenant(client, model, foreign, staff, workspace):
    client.force_login(staff)
    opts = model._meta
    page = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert foreign.name not in body
    for product in Product.objects.filter(workspace=foreign):
        assert f">{product.name}<" not in body, product.name


def test_staff_of_two_workspaces_cannot_link_one_to_the_other(rf, staff, workspace):
    from launches.models import Campaign
    from tests.factories import FeatureFactory
    from tests.factories import ProductFactory

    other = WorkspaceFactory(name="Globex", slug="globex")
    Membership.objects.create(user=staff, workspace=other, role=Role.ADMIN)
    theirs = FeatureFactory(product=ProductFactory(workspace=other))
    form_class = admin.site._registry[Campaign].get_form(_request(rf, staff))
    form = form_class(data={"workspace": workspace.pk, "name": "Spring", "features": [theirs.pk]})
    assert theirs in form.fields["features"].queryset  # both workspaces are theirs to pick
    assert not form.is_valid()
    assert "features" in form.errors
