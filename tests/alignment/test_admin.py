import pytest
from django.contrib import admin
from django.urls import reverse

from alignment.models import Membership
from alignment.models import Role
from tests.factories import FeatureFactory
from tests.factories import ProductFactory
from tests.factories import UserFactory

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


def _target_formset(rf, user, objective, **row):
    from alignment.messaging.models import Objective

    request = rf.get("/admin/")
    request.user = user
    model_admin = admin.site._registry[Objective]
    inline = model_admin.get_inline_instances(request, objective)[0]
    data = {
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        **{f"targets-0-{name}": value for name, value in row.items()},
    }
    return inline.get_formset(request, objective)(data, instance=objective, prefix="targets")


def test_objective_targets_pick_their_scope_by_name(
    rf, superuser_client, workspace, other_workspace, user
):
    from datetime import date

    from alignment.messaging import services as messaging_services
    from alignment.messaging.models import Objective

    mine = ProductFactory(workspace=workspace, name="Insights")
    theirs = ProductFactory(workspace=other_workspace, name="Theirs")
    objective = messaging_services.objective_create(
        actor=user,
        workspace=workspace,
        title="Grow",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        targets=[
            {"kpi": "conversion_rate", "target": "0.03", "scope": "product", "scope_id": mine.pk}
        ],
    )
    root = UserFactory(username="root2", is_staff=True, is_superuser=True)
    row = {"kpi": "conversion_rate", "target": "0.05", "direction": "up"}

    # Another workspace's product is no choice, even for a superuser, nor is a bare id.
    formset = _target_formset(rf, root, objective, **row, measured_over=f"product:{theirs.pk}")
    assert not formset.is_valid()
    assert "measured_over" in formset.forms[0].errors
    # The KPI engine's rules hold: adoption is measured for one feature.
    formset = _target_formset(rf, root, objective, kpi="adoption", target="0.3",
                              direction="up", measured_over=f"product:{mine.pk}")  # fmt: skip
    assert not formset.is_valid()
    assert "feature" in str(formset.forms[0].errors["measured_over"])
    formset = _target_formset(rf, root, objective, **row, measured_over=f"product:{mine.pk}")
    assert formset.is_valid(), formset.errors
    saved = formset.save()[0]
    assert (saved.scope, saved.scope_id, saved.workspace_id) == ("product", mine.pk, workspace.pk)

    # The inline and the list read the scope by name; no bare id field is left.
    page = superuser_client.get(reverse("admin:alignment_objective_change", args=[objective.pk]))
    body = page.content.decode()
    assert f'<option value="product:{mine.pk}" selected>Insights</option>' in body
    assert 'name="targets-0-scope_id"' not in body
    assert f'value="product:{theirs.pk}"' not in body  # the objective's own picker aside
    listing = superuser_client.get(reverse("admin:alignment_objective_changelist"))
    assert "(Product: Insights)" in listing.content.decode()
    assert Objective.objects.get().targets.count() == 2
