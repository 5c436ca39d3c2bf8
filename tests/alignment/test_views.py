import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment.models import Feature
from alignment.models import Invitation
from alignment.models import Membership
from alignment.models import Product
from alignment.models import Role
from tests.factories import PASSWORD
from tests.factories import FeatureFactory
from tests.factories import MembershipFactory
from tests.factories import ProductFactory
from tests.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db


def test_login_page_signs_in_and_lands_on_the_workspace(client, user):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == "/w/acme/"
    assert b"Acme" in response.content


def test_login_is_locked_after_repeated_failures(client, user):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": user.username, "password": "no"})
        assert response.status_code == 200
        assert response.context["form"].errors
    # The fifth failure locks; even the right password is refused while the lock holds.
    response = client.post(reverse("login"), {"username": user.username, "password": "no"})
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content


def test_logout_needs_post_and_csrf(user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert csrf_client.post(reverse("logout")).status_code == 403  # no CSRF token
    assert csrf_client.get(reverse("workspace_home", args=["acme"])).status_code == 200


def test_pages_require_login(client, workspace):
    response = client.get(reverse("product_list", args=["acme"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_without_workspace_goes_to_creation(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/").headers["Location"] == reverse("workspace_create")


def test_workspace_create_page(web):
    response = web.post(reverse("workspace_create"), {"name": "Initech", "slug": "initech"})
    assert response.status_code == 302
    assert response["Location"] == "/w/initech/"


WORKSPACE_PAGES = [
    "workspace_home",
    "member_list",
    "product_list",
    "product_create",
    "feature_list",
    "feature_create",
    "messaging_index",
    "research:index",
    "launches:index",
    "metrics:index",
]


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_every_workspace_page_renders_for_members_and_404s_for_others(web, other_workspace, name):
    assert web.get(reverse(name, args=["acme"])).status_code == 200
    assert web.get(reverse(name, args=["globex"])).status_code == 404


def test_a_page_reads_the_memberships_once_for_its_check_and_the_switcher(
    web, user, other_workspace
):
    MembershipFactory(user=user, workspace=other_workspace, role=Role.VIEWER)
    WorkspaceFactory(name="Initech", slug="initech")  # not a member
    with CaptureQueriesContext(connection) as queries:
        response = web.get(reverse("product_list", args=["acme"]))
    assert response.status_code == 200
    assert len([q for q in queries if "alignment_membership" in q["sql"]]) == 1
    switcher = response.content.decode()
    assert '<a href="/w/acme/" aria-current="page">Acme <small>(pm)</small></a>' in switcher
    assert '<a href="/w/globex/">Globex <small>(viewer)</small></a>' in switcher
    assert "Initech" not in switcher


OBJECT_PAGES = ["detail", "update", "delete"]


@pytest.mark.parametrize("kind", ["product", "feature"])
@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_foreign_objects_404_on_every_object_page(web, workspace, other_workspace, kind, page):
    foreign = FeatureFactory(product=ProductFactory(workspace=other_workspace))
    obj = foreign if kind == "feature" else foreign.product
    url = reverse(f"{kind}_{page}", args=["acme", obj.pk])
    assert web.get(url).status_code == 404
    if page != "detail":
        assert web.post(url, {"name": "hijack"}).status_code == 404
    assert type(obj).objects.filter(pk=obj.pk, workspace=other_workspace).exists()


def test_viewer_reads_but_cannot_write(client, member, workspace):
    client.force_login(member(Role.VIEWER))
    product = ProductFactory(workspace=workspace)
    assert client.get(reverse("product_detail", args=["acme", product.pk])).status_code == 200
    assert client.get(reverse("product_create", args=["acme"])).status_code == 403
    assert client.post(reverse("product_create", args=["acme"]), {"name": "X"}).status_code == 403
    assert client.post(reverse("product_delete", args=["acme", product.pk])).status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()
    page = client.get(reverse("product_list", args=["acme"])).content.decode()
    assert "New product" not in page


def test_product_create_edit_delete_through_pages(web, workspace):
    response = web.post(
        reverse("product_create", args=["acme"]),
        {"name": "Insights", "stage": "research", "description": "Analytics"},
    )
    product = Product.objects.get(workspace=workspace, name="Insights")
    assert response["Location"] == product.get_absolute_url()
    web.post(
        reverse("product_update", args=["acme", product.pk]),
        {"name": "Insights 2", "stage": "launch"},
    )
    product.refresh_from_db()
    assert (product.name, product.stage) == ("Insights 2", "launch")
    web.post(reverse("product_delete", args=["acme", product.pk]))
    assert not Product.objects.filter(pk=product.pk).exists()


def test_product_duplicate_name_is_shown_on_the_form(web, workspace):
    ProductFactory(workspace=workspace, name="Insights")
    response = web.post(
        reverse("product_create", args=["acme"]), {"name": "INSIGHTS", "stage": "research"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["A product with this name already exists."]}


def test_feature_form_offers_and_accepts_only_this_workspaces_products(
    web, workspace, other_workspace
):
    mine = ProductFactory(workspace=workspace, name="Mine")
    foreign = ProductFactory(workspace=other_workspace, name="Theirs")
    form = web.get(reverse("feature_create", args=["acme"])).context["form"]
    assert list(form.fields["product"].queryset) == [mine]

    response = web.post(
        reverse("feature_create", args=["acme"]),
        {"product": foreign.pk, "name": "Sneaky", "status": "idea"},
    )
    assert response.status_code == 200
    assert "product" in response.context["form"].errors
    assert not Feature.objects.filter(name="Sneaky").exists()


def test_feature_create_with_media_links(web, workspace):
    product = ProductFactory(workspace=workspace)
    response = web.post(
        reverse("feature_create", args=["acme"]),
        {
            "product": product.pk,
            "name": "Funnels",
            "status": "released",
            "release_date": "2026-03-01",
            "media_links": "https://example.com/a.png\n\nhttps://example.com/b.mp4\n",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    feature = Feature.objects.get(name="Funnels")
    assert feature.media_links == ["https://example.com/a.png", "https://example.com/b.mp4"]
    assert feature.workspace == workspace


def test_feature_list_filters_and_paginates(web, workspace, django_assert_max_num_queries):
    product = ProductFactory(workspace=workspace)
    FeatureFactory.create_batch(55, product=product, status="planned")
    FeatureFactory(product=product, status="released", release_date="2026-01-01", name="Shipped")
    with django_assert_max_num_queries(12):
        page = web.get(reverse("feature_list", args=["acme"]))
    assert page.context["page_obj"].paginator.count == 56
    assert len(page.context["object_list"]) == 50
    released = web.get(reverse("feature_list", args=["acme"]) + "?status=released")
    assert [f.name for f in released.context["object_list"]] == ["Shipped"]


def test_profile_shows_and_regenerates_the_api_key(web, user):
    first = web.get(reverse("profile")).context["token"].key
    assert first in web.get(reverse("profile")).content.decode()
    web.post(reverse("profile"))
    second = web.get(reverse("profile")).context["token"].key
    assert second != first


def test_member_page_admin_invites_and_nobody_joins_before_accepting(client, admin_user, workspace):
    from tests.factories import UserFactory

    UserFactory(username="newbie")
    client.force_login(admin_user)
    response = client.post(
        reverse("member_list", args=["acme"]), {"username": "newbie", "role": "pmm"}
    )
    assert response.status_code == 302
    assert not workspace.memberships.filter(user__username="newbie").exists()
    invitation = Invitation.objects.get(invitee__username="newbie")
    assert (invitation.workspace, invitation.role) == (workspace, "pmm")
    page = client.get(reverse("member_list", args=["acme"])).content.decode()
    assert "newbie" in page
    assert reverse("invitation_revoke", args=["acme", invitation.pk]) in page


def test_member_page_says_the_same_for_known_unknown_and_member_names(
    client, admin_user, user, workspace
):
    from tests.factories import UserFactory

    UserFactory(username="newbie")
    client.force_login(admin_user)
    said = {}
    for name in ("newbie", "nobody", user.username):
        response = client.post(
            reverse("member_list", args=["acme"]), {"username": name, "role": "pm"}, follow=True
        )
        assert response.redirect_chain == [(reverse("member_list", args=["acme"]), 302)]
        said[name] = [str(m).replace(name, "?") for m in response.context["messages"]]
    assert said["newbie"] == said["nobody"] == said[user.username]
    assert said["newbie"] == ["If ? is a user here, they have been invited."]
    # Both invited names are listed alike; the member is not invited again.
    page = client.get(reverse("member_list", args=["acme"]))
    assert [i.username for i in page.context["invitations"]] == ["nobody", "newbie"]


def test_member_page_non_admin_cannot_add(web, workspace):
    from tests.factories import UserFactory

    UserFactory(username="newbie")
    response = web.post(
        reverse("member_list", args=["acme"]), {"username": "newbie", "role": "admin"}
    )
    assert response.status_code == 403
    assert not workspace.memberships.filter(user__username="newbie").exists()
    assert not Invitation.objects.exists()


def test_workspace_switcher_lists_only_my_workspaces(web, other_workspace):
    page = web.get(reverse("workspace_home", args=["acme"])).content.decode()
    assert "/w/acme/" in page
    assert "/w/globex/" not in page


def test_admins_find_the_backup_download_on_the_members_page(client, admin_user, web):
    assert (
        "Download a backup" not in web.get(reverse("member_list", args=["acme"])).content.decode()
    )
    client.force_login(admin_user)
    page = client.get(reverse("member_list", args=["acme"])).content.decode()
    assert reverse("workspace_export", args=["acme"]) in page


def test_who_may_create_a_workspace_is_a_setting(client, api_client, settings):
    from tests.factories import UserFactory

    newcomer, ops = UserFactory(), UserFactory(is_staff=True)
    api_client.force_authenticate(newcomer)
    body = {"name": "Initech", "slug": "initech"}
    settings.WORKSPACE_CREATORS = "staff"
    assert api_client.post("/api/v1/workspaces/", body).status_code == 403
    client.force_login(newcomer)
    assert client.get("/workspaces/new/").status_code == 403
    home = client.get("/")
    assert home.status_code == 200 and b"Ask a workspace admin" in home.content
    api_client.force_authenticate(ops)
    assert api_client.post("/api/v1/workspaces/", body).status_code == 201
    settings.WORKSPACE_CREATORS = "anyone"  # the default
    api_client.force_authenticate(newcomer)
    assert api_client.post("/api/v1/workspaces/", {**body, "slug": "initech-2"}).status_code == 201


# --- Invitations ----------------------------------------------------------------------------


@pytest.fixture
def invitation(workspace, admin_user):
    from tests.factories import InvitationFactory

    return InvitationFactory(workspace=workspace, invited_by=admin_user, role=Role.PMM)


def test_an_invitee_lands_on_their_invitations_and_accepts(client, invitation, workspace):
    invitee = invitation.invitee
    client.force_login(invitee)
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert "Acme" in page and invitation.get_absolute_url() in page
    assert 'value="accept"' in page and 'value="decline"' in page

    response = client.post(invitation.get_absolute_url(), {"decision": "accept"})
    assert response.status_code == 302 and response["Location"] == "/w/acme/"
    assert workspace.memberships.get(user=invitee).role == Role.PMM
    # Answered: home goes to the workspace again, and the link does not accept twice.
    assert client.get("/")["Location"] == "/w/acme/"
    assert b"was accepted" in client.get(invitation.get_absolute_url()).content
    client.post(invitation.get_absolute_url(), {"decision": "accept"})
    assert workspace.memberships.filter(user=invitee).count() == 1


def test_an_invitee_with_a_workspace_sees_invitations_first(client, invitation, other_workspace):
    MembershipFactory(user=invitation.invitee, workspace=other_workspace)
    client.force_login(invitation.invitee)
    home = client.get("/")
    assert home.status_code == 200
    assert [i.pk for i in home.context["invitations"]] == [invitation.pk]
    assert [w.slug for w in home.context["workspaces"]] == ["globex"]
    assert client.get(reverse("workspace_list")).context["invitations"][0] == invitation


def test_an_invitee_declines(client, invitation, workspace):
    client.force_login(invitation.invitee)
    response = client.post(invitation.get_absolute_url(), {"decision": "decline"})
    assert response["Location"] == reverse("workspace_list")
    assert not workspace.memberships.filter(user=invitation.invitee).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert list(client.get(reverse("workspace_list")).context["invitations"]) == []


def test_the_link_shows_the_invitation_to_its_invitee_only(client, invitation, user, workspace):
    url = invitation.get_absolute_url()
    assert client.get(url)["Location"].startswith(reverse("login"))  # anonymous: sign in
    client.force_login(invitation.invitee)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Accept and join" in page.content
    client.force_login(user)  # someone else, even a member of the workspace
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert client.post(url, {"decision": "decline"}).status_code == 404
    assert client.get(reverse("invitation_detail", args=["not-a-token"])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_answering_needs_post_with_csrf(invitation, workspace):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(invitation.invitee)
    assert browser.post(invitation.get_absolute_url(), {"decision": "accept"}).status_code == 403
    assert not workspace.memberships.filter(user=invitation.invitee).exists()


def test_an_expired_invitation_link_says_so_and_does_not_accept(client, invitation, workspace):
    import datetime

    from django.utils import timezone

    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    client.force_login(invitation.invitee)
    assert b"expired" in client.get(invitation.get_absolute_url()).content
    response = client.post(invitation.get_absolute_url(), {"decision": "accept"}, follow=True)
    assert b"expired" in response.content
    assert not workspace.memberships.filter(user=invitation.invitee).exists()
    assert list(client.get(reverse("workspace_list")).context["invitations"]) == []


def test_admin_revokes_on_the_members_page(client, web, admin_user, invitation):
    url = reverse("invitation_revoke", args=["acme", invitation.pk])
    assert web.post(url).status_code == 403  # a PM sees it, but only admins revoke
    assert reverse("invitation_revoke", args=["acme", invitation.pk]) not in (
        web.get(reverse("member_list", args=["acme"])).content.decode()
    )
    client.force_login(admin_user)
    assert client.post(url)["Location"] == reverse("member_list", args=["acme"])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert client.post(url).status_code == 404  # no longer open
    client.force_login(invitation.invitee)
    client.post(invitation.get_absolute_url(), {"decision": "accept"})
    assert not Membership.objects.filter(user=invitation.invitee).exists()


def test_another_workspaces_invitation_cannot_be_revoked(client, admin_user, other_workspace):
    from tests.factories import InvitationFactory

    theirs = InvitationFactory(workspace=other_workspace)
    client.force_login(admin_user)
    assert client.post(reverse("invitation_revoke", args=["acme", theirs.pk])).status_code == 404
    assert client.post(reverse("invitation_revoke", args=["globex", theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Invitation.Status.PENDING
