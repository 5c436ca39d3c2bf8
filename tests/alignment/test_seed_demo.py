import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from alignment.demo import DEMO_PASSWORD
from alignment.models import Feature
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count() for model in (Workspace, Membership, Product, Feature)
    }


def test_seed_demo_twice_changes_nothing(rf):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    snapshot = list(Feature.objects.order_by("pk").values("name", "status", "release_date"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert list(Feature.objects.order_by("pk").values("name", "status", "release_date")) == snapshot
    assert first["Workspace"] == 1 and first["Product"] >= 1 and first["Feature"] >= 3


def test_demo_users_sign_in_with_their_roles(rf):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = authenticate(rf.post("/accounts/login/"), username="demo-pm", password=DEMO_PASSWORD)
    assert user is not None
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {Role.ADMIN, Role.PM, Role.PMM, Role.VIEWER} <= roles


def test_released_demo_features_have_release_dates():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for feature in Feature.objects.all():
        feature.full_clean()  # every demo row satisfies the model's own rules


def test_the_demo_has_an_ops_login_for_the_admin(client):
    from alignment.demo import DEMO_OPS

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": DEMO_OPS, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/alignment/workspace/").status_code == 200
    assert not Membership.objects.filter(user__username=DEMO_OPS).exists()
