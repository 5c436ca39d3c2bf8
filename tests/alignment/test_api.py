import django_filters
import pytest
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient

from alignment.api.base import _names_a_filter
from alignment.filters import FeatureFilterSet
from alignment.models import Feature, Membership, Product, Role, Workspace
from tests.factories import PASSWORD, FeatureFactory, ProductFactory, UserFactory

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
    assert body["results"] == [{"slug": "acme", "name": "Acme", "role": "pm"}]


def test_create_workspace_makes_the_caller_admin(api, user):
    response = api.post(f"{BASE}/", {"name": "Initech", "slug": "initech"})
    assert response.status_code == 201
    assert response.json() == {"slug": "initech", "name": "Initech", "role": "admin"}
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


def test_members_list_and_admin_only_add(api, api_client, admin_user, user):
    newcomer = UserFactory(username="newcomer")
    listed = api.get(f"{BASE}/acme/members/").json()["results"]
    assert {m["username"] for m in listed} == {user.username, admin_user.username}

    assert (
        api.post(f"{BASE}/acme/members/", {"username": "newcomer", "role": "pmm"}).status_code
        == 403
    )

    api_client.force_authenticate(admin_user)
    response = api_client.post(f"{BASE}/acme/members/", {"username": "newcomer", "role": "pmm"})
    assert response.status_code == 201
    assert response.json() == {"username": "newcomer", "role": "pmm"}
    assert Membership.objects.get(user=newcomer).role == Role.PMM


def test_member_add_bad_input(api_client, admin_user, user):
    api_client.force_authenticate(admin_user)
    url = f"{BASE}/acme/members/"
    assert api_client.post(url, {"username": "ghost", "role": "pm"}).json() == {
        "username": ["No active user with this username."]
    }
    assert "role" in api_client.post(url, {"username": user.username, "role": "boss"}).json()
    assert api_client.post(url, {"username": user.username, "role": "pm"}).json() == {
        "username": ["This user is already a member."]
    }


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
