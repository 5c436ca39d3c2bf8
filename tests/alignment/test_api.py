import datetime

import django_filters
import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient

from alignment.api.base import _names_a_filter
from alignment.api.viewsets import INVITED
from alignment.filters import FeatureFilterSet
from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from alignment.models import Workspace
from tests.factories import PASSWORD
from tests.factories import FeatureFactory
from tests.factories import InvitationFactory
from tests.factories import MembershipFactory
from tests.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workspaces"


# --- Auth -------------------------------------------------------------------------------


def test_token_endpoint_issues_a_token_that_authenticates(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token

    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"{BASE}/").json()["results"][0]["slug"] == "acme"


def test_token_endpoint_refuses_a_wrong_password(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_endpoint_is_throttled(user, settings):
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": user.username, "password": "x"}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [400] * 10  # API_THROTTLE_AUTH default: 10/minute
    assert statuses[10:] == [429, 429]


def test_invalid_token_is_401():
    client = APIClient(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get(f"{BASE}/").status_code == 401


def test_anonymous_is_401_with_authenticate_header():
    response = APIClient().get(f"{BASE}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- Workspaces and members ---------------------------------------------------------------


def test_workspace_list_shows_only_mine_with_my_role(api, other_workspace):
    body = api.get(f"{BASE}/").json()
    assert body["count"] == 1
    assert body["results"] == [{"slug": "acme", "name": "Acme", "role": "pm", "currency": "USD"}]


def test_create_workspace_makes_the_caller_admin(api, user):
    response = api.post(f"{BASE}/", {"name": "Initech", "slug": "initech"})
    assert response.status_code == 201
    assert response.json() == {
        "slug": "initech",
        "name": "Initech",
        "role": "admin",
        "currency": "USD",
    }
    assert Membership.objects.get(workspace__slug="initech").user == user


def test_create_workspace_with_taken_or_bad_slug_is_400(api, other_workspace):
    assert api.post(f"{BASE}/", {"name": "X", "slug": "globex"}).json().keys() == {"slug"}
    assert "slug" in api.post(f"{BASE}/", {"name": "X", "slug": "not a slug!"}).json()
    assert "name" in api.post(f"{BASE}/", {"slug": "fine"}).json()


def test_only_admins_patch_a_workspace(api, api_client, admin_user):
    assert api.patch(f"{BASE}/acme/", {"name": "Renamed"}).status_code == 403
    api_client.force_authenticate(admin_user)
    response = api_client.patch(f"{BASE}/acme/", {"name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert Workspace.objects.get(slug="acme").name == "Renamed"


def test_foreign_workspace_detail_is_404(api, other_workspace):
    assert api.get(f"{BASE}/globex/").status_code == 404
    assert api.patch(f"{BASE}/globex/", {"name": "Mine now"}).status_code == 404
    assert Workspace.objects.get(slug="globex").name == "Globex"


def test_members_list_and_admin_only_invite(api, api_client, admin_user, user):
    newcomer = UserFactory(username="newcomer")
    listed = api.get(f"{BASE}/acme/members/").json()["results"]
    assert {m["username"] for m in listed} == {user.username, admin_user.username}

    assert (
        api.post(f"{BASE}/acme/members/", {"username": "newcomer", "role": "pmm"}).status_code
        == 403
    )
    assert not Invitation.objects.exists()

    api_client.force_authenticate(admin_user)
    response = api_client.post(f"{BASE}/acme/members/", {"username": "newcomer", "role": "pmm"})
    assert response.status_code == 202
    assert response.json() == {"detail": INVITED, "username": "newcomer", "role": "pmm"}
    assert not Membership.objects.filter(user=newcomer).exists()  # not before accepting
    invitation = Invitation.objects.get(invitee=newcomer)
    assert (invitation.role, invitation.invited_by, invitation.status) == (
        Role.PMM,
        admin_user,
        Invitation.Status.PENDING,
    )


def test_viewer_cannot_invite(api_client, viewer):
    UserFactory(username="newcomer")
    api_client.force_authenticate(viewer)
    response = api_client.post(f"{BASE}/acme/members/", {"username": "newcomer", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invite_answers_alike_for_known_unknown_and_member_names(api_client, admin_user, user):
    UserFactory(username="known")
    UserFactory(username="dormant", is_active=False)
    api_client.force_authenticate(admin_user)
    url = f"{BASE}/acme/members/"
    answers = {
        name: api_client.post(url, {"username": name, "role": "pm"})
        for name in ("known", "ghost", "dormant", user.username)
    }
    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        answers, 202
    )
    bodies = {name: answer.json() for name, answer in answers.items()}
    assert {name: {**body, "username": "?"} for name, body in bodies.items()} == dict.fromkeys(
        answers, {"detail": INVITED, "username": "?", "role": "pm"}
    )
    headers = [
        sorted((k, v) for k, v in answer.headers.items() if k != "Content-Length")
        for answer in answers.values()
    ]
    assert all(header == headers[0] for header in headers)
    # The open invitations an admin reads look alike too: no field tells an account apart.
    listed = api_client.get(f"{BASE}/acme/invitations/").json()["results"]
    assert sorted(row["username"] for row in listed) == ["dormant", "ghost", "known"]
    assert {frozenset(row) for row in listed} == {
        frozenset(["id", "username", "role", "invited_by", "status", "created_at", "expires_at"])
    }
    # The member was not invited again, nor changed.
    assert Membership.objects.get(user=user).role == Role.PM
    assert not Invitation.objects.filter(username=user.username).exists()


def test_invite_bad_input_is_a_400_for_every_name(api_client, admin_user, user):
    api_client.force_authenticate(admin_user)
    url = f"{BASE}/acme/members/"
    for name in (user.username, "ghost"):
        assert "role" in api_client.post(url, {"username": name, "role": "boss"}).json()
    assert "username" in api_client.post(url, {"role": "pm"}).json()
    assert "username" in api_client.post(url, {"username": "x" * 151, "role": "pm"}).json()
    assert not Invitation.objects.exists()


def test_inviting_again_renews_the_one_open_invitation(api_client, admin_user):
    newcomer = UserFactory(username="newcomer")
    api_client.force_authenticate(admin_user)
    url = f"{BASE}/acme/members/"
    api_client.post(url, {"username": "newcomer", "role": "viewer"})
    api_client.post(url, {"username": "newcomer", "role": "pmm"})
    assert Invitation.objects.get(invitee=newcomer).role == Role.PMM


def test_invitee_lists_accepts_and_joins_once(api_client, admin_user, workspace):
    newcomer = UserFactory(username="newcomer")
    api_client.force_authenticate(admin_user)
    api_client.post(f"{BASE}/acme/members/", {"username": "newcomer", "role": "pmm"})

    api_client.force_authenticate(newcomer)
    assert api_client.get(f"{BASE}/acme/").status_code == 404  # not a member yet
    listed = api_client.get("/api/v1/invitations/").json()
    assert listed["count"] == 1
    mine = listed["results"][0]
    assert {k: mine[k] for k in ("workspace", "role", "invited_by", "status")} == {
        "workspace": "acme",
        "role": "pmm",
        "invited_by": admin_user.username,
        "status": "pending",
    }
    response = api_client.post(f"/api/v1/invitations/{mine['id']}/accept/")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert Membership.objects.get(user=newcomer, workspace=workspace).role == Role.PMM
    assert api_client.get(f"{BASE}/acme/").json()["role"] == "pmm"
    assert api_client.get("/api/v1/invitations/").json()["count"] == 0

    # Used once: a second answer is refused and changes nothing.
    again = api_client.post(f"/api/v1/invitations/{mine['id']}/accept/")
    assert again.status_code == 400
    assert api_client.post(f"/api/v1/invitations/{mine['id']}/decline/").status_code == 400
    assert Membership.objects.filter(user=newcomer).count() == 1
    assert Invitation.objects.get(pk=mine["id"]).status == Invitation.Status.ACCEPTED


def test_invitee_declines(api_client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    api_client.force_authenticate(invitation.invitee)
    response = api_client.post(f"/api/v1/invitations/{invitation.pk}/decline/")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert not Membership.objects.filter(user=invitation.invitee).exists()
    assert api_client.post(f"/api/v1/invitations/{invitation.pk}/accept/").status_code == 400
    assert not Membership.objects.filter(user=invitation.invitee).exists()


def test_another_users_invitation_is_404(api, user, workspace, other_workspace):
    theirs = InvitationFactory(workspace=other_workspace)
    for url in (
        f"/api/v1/invitations/{theirs.pk}/",
        f"/api/v1/invitations/{theirs.pk}/accept/",
        f"/api/v1/invitations/{theirs.pk}/decline/",
    ):
        method = api.get if url.endswith(f"{theirs.pk}/") else api.post
        assert method(url).status_code == 404, url
    assert api.get("/api/v1/invitations/").json()["count"] == 0
    assert Invitation.objects.get(pk=theirs.pk).status == Invitation.Status.PENDING
    assert not Membership.objects.filter(user=user, workspace=other_workspace).exists()


def test_an_expired_invitation_cannot_be_accepted(api_client, workspace):
    invitation = InvitationFactory(
        workspace=workspace, expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    api_client.force_authenticate(invitation.invitee)
    assert api_client.get("/api/v1/invitations/").json()["count"] == 0
    response = api_client.post(f"/api/v1/invitations/{invitation.pk}/accept/")
    assert response.status_code == 400
    assert "expired" in str(response.json())
    assert not Membership.objects.filter(user=invitation.invitee).exists()


def test_an_invitee_who_became_a_member_meanwhile_is_not_added_twice(api_client, workspace):
    invitation = InvitationFactory(workspace=workspace, role=Role.ADMIN)
    MembershipFactory(user=invitation.invitee, workspace=workspace, role=Role.VIEWER)
    api_client.force_authenticate(invitation.invitee)
    assert api_client.post(f"/api/v1/invitations/{invitation.pk}/accept/").status_code == 200
    assert Membership.objects.get(user=invitation.invitee).role == Role.VIEWER


def test_admin_revokes_an_open_invitation(api_client, admin_user, viewer, workspace):
    invitation = InvitationFactory(workspace=workspace)
    url = f"{BASE}/acme/invitations/{invitation.pk}/"
    api_client.force_authenticate(viewer)
    assert api_client.get(f"{BASE}/acme/invitations/").json()["count"] == 1  # members see it
    assert api_client.delete(url).status_code == 403

    api_client.force_authenticate(admin_user)
    assert api_client.delete(url).status_code == 204
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED
    assert api_client.get(f"{BASE}/acme/invitations/").json()["count"] == 0
    assert api_client.delete(url).status_code == 404

    api_client.force_authenticate(invitation.invitee)
    assert api_client.get("/api/v1/invitations/").json()["count"] == 0
    assert api_client.post(f"/api/v1/invitations/{invitation.pk}/accept/").status_code == 400
    assert not Membership.objects.filter(user=invitation.invitee).exists()


def test_invitations_need_a_signed_in_caller(api_client):
    assert api_client.get("/api/v1/invitations/").status_code == 401
    assert api_client.post("/api/v1/invitations/1/accept/").status_code == 401


def test_member_role_change_and_last_admin_guard(api_client, admin_user, user):
    api_client.force_authenticate(admin_user)
    response = api_client.patch(f"{BASE}/acme/members/{user.username}/", {"role": "viewer"})
    assert response.status_code == 200
    assert Membership.objects.get(user=user).role == Role.VIEWER

    response = api_client.patch(f"{BASE}/acme/members/{admin_user.username}/", {"role": "pm"})
    assert response.status_code == 400
    assert response.json() == {"role": ["A workspace needs at least one admin."]}
    assert api_client.delete(f"{BASE}/acme/members/{admin_user.username}/").status_code == 400
    assert api_client.delete(f"{BASE}/acme/members/{user.username}/").status_code == 204
    assert not Membership.objects.filter(user=user).exists()


# --- Products and features ----------------------------------------------------------------


def test_product_crud(api, workspace):
    created = api.post(f"{BASE}/acme/products/", {"name": "Insights", "stage": "research"})
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in ("name", "stage", "description")} == {
        "name": "Insights",
        "stage": "research",
        "description": "",
    }
    url = f"{BASE}/acme/products/{body['id']}/"
    assert api.patch(url, {"stage": "launch"}).json()["stage"] == "launch"
    assert api.get(url).json()["name"] == "Insights"
    assert api.delete(url).status_code == 204
    assert not Product.objects.filter(pk=body["id"]).exists()


def test_a_resource_has_one_path_and_format_is_a_query_parameter(api, workspace):
    product = ProductFactory(workspace=workspace)
    assert api.get(f"{BASE}/acme/products/?format=json").json()["count"] == 1
    assert api.get(f"{BASE}/acme/products/{product.pk}/?format=json").json()["id"] == product.pk
    # No format-suffix twins (products.json): every API request is matched against the routes.
    assert api.get(f"{BASE}/acme/products.json").status_code == 404
    assert api.get(f"{BASE}/acme/products/{product.pk}.json").status_code == 404


@pytest.mark.parametrize(
    ("params", "names_a_filter"),
    [
        ({}, False),
        ({"page": "2", "page_size": "10", "search": "x", "ordering": "name"}, False),
        ({"status": "planned"}, True),
        ({"status": ""}, True),  # an empty value is still validated as before
        ({"released_after": "2026-01-01"}, True),
        ({"created_after": "2026-01-01"}, True),  # one part of a range widget
        ({"created_before": "2026-01-01", "page": "1"}, True),
    ],
)
def test_the_filter_backend_binds_a_filterset_only_when_a_filter_is_named(params, names_a_filter):
    class Filters(FeatureFilterSet):
        created = django_filters.DateFromToRangeFilter(field_name="created_at")

    request = Request(RequestFactory().get("/", params))
    assert _names_a_filter(request, Filters) is names_a_filter


def test_product_bad_input_names_the_field(api, workspace):
    ProductFactory(workspace=workspace, name="Insights")
    assert api.post(f"{BASE}/acme/products/", {"name": "insights"}).json() == {
        "name": ["A product with this name already exists."]
    }
    assert "stage" in api.post(f"{BASE}/acme/products/", {"name": "X", "stage": "done"}).json()
    assert "name" in api.post(f"{BASE}/acme/products/", {"name": ""}).json()
    response = api.post(f"{BASE}/acme/products/", "not json", content_type="application/json")
    assert response.status_code == 400


def test_same_product_name_in_another_workspace_is_fine(api, other_workspace):
    ProductFactory(workspace=other_workspace, name="Insights")
    assert api.post(f"{BASE}/acme/products/", {"name": "Insights"}).status_code == 201


def test_feature_create_and_filters(api, workspace):
    product = ProductFactory(workspace=workspace)
    other_product = ProductFactory(workspace=workspace)
    payload = {
        "product": product.pk,
        "name": "Funnels",
        "status": "released",
        "release_date": "2026-05-01",
        "media_links": ["https://example.com/demo.mp4"],
    }
    response = api.post(f"{BASE}/acme/features/", payload)
    assert response.status_code == 201, response.json()
    FeatureFactory(product=other_product, name="Cohorts")

    def names(query):
        return [f["name"] for f in api.get(f"{BASE}/acme/features/{query}").json()["results"]]

    assert names(f"?product={product.pk}") == ["Funnels"]
    assert names("?status=released") == ["Funnels"]
    assert names("?search=coh") == ["Cohorts"]
    assert names("?ordering=-name") == ["Funnels", "Cohorts"]


def test_feature_with_a_foreign_product_is_refused(api, workspace, other_workspace):
    foreign_product = ProductFactory(workspace=other_workspace)
    response = api.post(f"{BASE}/acme/features/", {"product": foreign_product.pk, "name": "Sneaky"})
    assert response.status_code == 400
    assert list(response.json()) == ["product"]
    assert not Feature.objects.filter(name="Sneaky").exists()
    # Filtering by a foreign product is refused too, not answered with its features.
    FeatureFactory(product=foreign_product)
    assert api.get(f"{BASE}/acme/features/?product={foreign_product.pk}").status_code == 400


def test_feature_rules(api, workspace):
    product = ProductFactory(workspace=workspace)
    url = f"{BASE}/acme/features/"
    released = api.post(url, {"product": product.pk, "name": "A", "status": "released"})
    assert released.json() == {"release_date": ["A released feature needs its release date."]}
    bad_link = api.post(
        url, {"product": product.pk, "name": "B", "media_links": ["javascript:alert(1)"]}
    )
    assert "media_links" in bad_link.json()
    bad_date = api.post(url, {"product": product.pk, "name": "C", "release_date": "31/12/2026"})
    assert "release_date" in bad_date.json()


def test_pagination_is_capped(api, workspace):
    ProductFactory.create_batch(3, workspace=workspace)
    body = api.get(f"{BASE}/acme/products/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert api.get(f"{BASE}/acme/products/?page_size=100000").status_code == 200
    assert api.get(f"{BASE}/acme/products/?page=99").status_code == 404


def test_lists_have_no_n_plus_one(api, workspace, django_assert_max_num_queries):
    for product in ProductFactory.create_batch(5, workspace=workspace):
        FeatureFactory.create_batch(3, product=product)
    with django_assert_max_num_queries(6):
        assert api.get(f"{BASE}/acme/features/").json()["count"] == 15
    with django_assert_max_num_queries(6):
        assert api.get(f"{BASE}/acme/products/").json()["count"] == 5


def test_schema_and_docs_render(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/workspaces/{workspace_slug}/features/" in paths
    assert "/api/v1/auth/token/" in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # Swagger UI comes from the installed sidecar
