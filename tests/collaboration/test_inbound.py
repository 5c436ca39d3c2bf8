"""Inbound release hooks: GitHub, Jira and Linear posts in their documented shapes, each
signed its own way with the workspace's inbound secret, release the features they name."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse

from alignment import services as core_services
from alignment.collaboration.kinds import EventKind
from alignment.collaboration.models import Event
from alignment.collaboration.models import InboundDelivery
from alignment.collaboration.services import inbound_hook_get
from alignment.collaboration.services import inbound_hook_rotate
from alignment.collaboration.services import inbound_hook_set_linear_secret
from alignment.messaging.models import ReviewStatus
from alignment.models import Feature
from alignment.models import Role
from alignment.signals import feature_released
from tests.alignment.factories import ClaimFactory
from tests.alignment.factories import feature_in
from tests.alignment.factories import member_of
from tests.collaboration.hook_payloads import encode
from tests.collaboration.hook_payloads import github_headers
from tests.collaboration.hook_payloads import github_release
from tests.collaboration.hook_payloads import jira_headers
from tests.collaboration.hook_payloads import jira_issue_updated
from tests.collaboration.hook_payloads import linear_headers
from tests.collaboration.hook_payloads import linear_issue_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(workspace):
    return inbound_hook_get(workspace=workspace).secret


@pytest.fixture
def feature(workspace):
    return feature_in(workspace, name="One-step checkout", external_refs=["PAY-123", "ENG-45"])


@pytest.fixture
def claim(feature):
    return ClaimFactory(workspace=feature.workspace, feature=feature, status=ReviewStatus.APPROVED)


def _post(api_client, source, body: bytes, headers: dict, slug="acme"):
    url = reverse("inbound-hook", kwargs={"workspace_slug": slug, "source": source})
    return api_client.post(url, data=body, content_type="application/json", **headers)


def _github(api_client, secret, payload, event="release", slug="acme"):
    body = encode(payload)
    return _post(api_client, "github", body, github_headers(secret, body, event), slug)


def _reload(feature) -> Feature:
    return Feature.objects.get(pk=feature.pk)


# --- GitHub -----------------------------------------------------------------------------


def test_a_published_release_naming_the_key_releases_the_feature(
    api_client, secret, feature, claim, django_capture_on_commit_callbacks
):
    assert not claim.supported
    pm = member_of(feature.workspace, Role.PM)
    pmm = member_of(feature.workspace, Role.PMM)
    heard = []
    feature_released.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = _github(
                api_client,
                secret,
                github_release(name="Spring release", body="- Faster checkout (pay-123)\n"),
            )
    finally:
        feature_released.disconnect(dispatch_uid="t")
    assert response.status_code == 202, response.content
    assert response.json()["outcome"] == "applied"
    assert response.json()["released"] == [feature.pk]
    released = _reload(feature)
    assert released.status == Feature.Status.RELEASED
    assert released.release_date == datetime.date(2026, 3, 2)
    claim.refresh_from_db()
    assert claim.supported
    event = Event.objects.get(kind=EventKind.FEATURE_RELEASED)
    assert event.subject_id == feature.pk and event.actor is None
    assert {claim.author_id, pm.pk, pmm.pk} <= set(event.recipient_ids)
    assert event.fanned_out_at is not None
    assert [(kw["workspace_id"], kw["feature_id"]) for kw in heard] == [
        (feature.workspace_id, feature.pk)
    ]
    log = InboundDelivery.objects.get()
    assert (log.source, log.event, log.outcome) == ("github", "release.published", "applied")
    assert "PAY-123" in log.references and log.released_feature_ids == [feature.pk]


def test_a_release_of_the_repository_tag_releases_the_feature(api_client, secret, workspace):
    tagged = feature_in(workspace, external_refs=["github:acme/pay@v2.4.0"])
    other_tag = feature_in(workspace, external_refs=["github:acme/pay@v2.5.0"])
    response = _github(api_client, secret, github_release(repo="Acme/Pay", tag="v2.4.0"))
    assert response.status_code == 202
    assert _reload(tagged).is_released
    assert not _reload(other_tag).is_released


def test_a_key_must_appear_as_a_whole_word(api_client, secret, feature):
    response = _github(
        api_client, secret, github_release(body="Fixes PAY-1234 and XPAY-123, see ENG-456.")
    )
    assert response.status_code == 202
    assert response.json()["outcome"] == "unknown"
    assert not _reload(feature).is_released


def test_other_release_actions_and_events_are_ignored(api_client, secret, feature):
    drafted = _github(api_client, secret, github_release(action="created", body="PAY-123"))
    ping = _github(api_client, secret, {"zen": "Design for failure.", "hook_id": 1}, event="ping")
    assert drafted.status_code == ping.status_code == 202
    assert not _reload(feature).is_released
    assert list(InboundDelivery.objects.order_by("pk").values_list("event", "outcome")) == [
        ("release.created", "ignored"),
        ("ping", "ignored"),
    ]


def test_an_unknown_reference_is_logged_and_changes_nothing(api_client, secret, feature):
    response = _github(api_client, secret, github_release(body="Ships OPS-9."))
    assert response.status_code == 202
    assert response.json() == {
        "outcome": "unknown",
        "references": ["OPS-9", "github:acme/pay@v2.4.0"],
        "released": [],
    }
    assert not _reload(feature).is_released
    assert not Event.objects.exists()
    assert InboundDelivery.objects.get().outcome == InboundDelivery.Outcome.UNKNOWN


def test_an_already_released_feature_is_left_alone(api_client, secret, workspace):
    shipped = feature_in(
        workspace,
        status=Feature.Status.RELEASED,
        release_date=datetime.date(2025, 11, 1),
        external_refs=["PAY-7"],
    )
    response = _github(api_client, secret, github_release(body="PAY-7 again"))
    assert response.status_code == 202
    assert response.json()["outcome"] == "ignored"
    assert _reload(shipped).release_date == datetime.date(2025, 11, 1)
    assert not Event.objects.exists()


# --- Signatures -------------------------------------------------------------------------


def test_a_bad_or_missing_signature_is_401(api_client, secret, feature):
    body = encode(github_release(body="PAY-123"))
    forged = github_headers("not-the-secret", body)
    assert _post(api_client, "github", body, forged).status_code == 401
    unsigned = {"HTTP_X_GITHUB_EVENT": "release"}
    response = _post(api_client, "github", body, unsigned)
    assert response.status_code == 401
    assert response.json() == {"detail": "bad signature"}
    tampered = github_headers(secret, body)
    assert _post(api_client, "github", body + b" ", tampered).status_code == 401
    assert not _reload(feature).is_released
    assert not InboundDelivery.objects.exists()


def test_another_workspaces_secret_is_401(api_client, secret, feature, other_workspace):
    theirs = inbound_hook_get(workspace=other_workspace).secret
    assert _github(api_client, theirs, github_release(body="PAY-123")).status_code == 401
    assert not _reload(feature).is_released


def test_no_secret_yet_is_401(api_client, feature):
    assert _github(api_client, "", github_release(body="PAY-123")).status_code == 401


def test_rotating_invalidates_the_old_secret(api_client, secret, feature, workspace, admin_user):
    new = inbound_hook_rotate(actor=admin_user, workspace=workspace).secret
    assert _github(api_client, secret, github_release(body="PAY-123")).status_code == 401
    assert _github(api_client, new, github_release(body="PAY-123")).status_code == 202
    assert _reload(feature).is_released


def test_bad_bodies_and_addresses(api_client, secret, feature):
    not_json = b"release=PAY-123"
    assert (
        _post(api_client, "github", not_json, github_headers(secret, not_json)).status_code == 400
    )
    a_list = b"[1, 2]"
    assert _post(api_client, "github", a_list, github_headers(secret, a_list)).status_code == 400
    huge = encode(github_release(body="PAY-123 " + "x" * 1_100_000))
    assert _post(api_client, "github", huge, github_headers(secret, huge)).status_code == 400
    body = encode(github_release(body="PAY-123"))
    assert _post(api_client, "gitlab", body, github_headers(secret, body)).status_code == 404
    assert _github(api_client, secret, github_release(), slug="nowhere").status_code == 404
    assert not _reload(feature).is_released


def test_no_session_and_no_csrf_needed(client, secret, feature, user):
    """Posted with a signed-in browser session and no CSRF token: the signature decides."""
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    body = encode(github_release(body="PAY-123"))
    url = reverse("inbound-hook", kwargs={"workspace_slug": "acme", "source": "github"})
    response = csrf_client.post(
        url, data=body, content_type="application/json", **github_headers(secret, body)
    )
    assert response.status_code == 202


# --- Jira -------------------------------------------------------------------------------


def _jira(api_client, secret, payload):
    body = encode(payload)
    return _post(api_client, "jira", body, jira_headers(secret, body))


def test_a_jira_issue_moving_to_done_releases_the_feature(api_client, secret, feature, claim):
    response = _jira(api_client, secret, jira_issue_updated(key="PAY-123"))
    assert response.status_code == 202, response.content
    released = _reload(feature)
    assert released.is_released
    assert released.release_date == datetime.date(2026, 3, 2)  # the event's timestamp
    claim.refresh_from_db()
    assert claim.supported


def test_a_jira_issue_not_done_changes_nothing(api_client, secret, feature):
    response = _jira(
        api_client, secret, jira_issue_updated(key="PAY-123", category="indeterminate")
    )
    assert response.status_code == 202
    assert response.json()["outcome"] == "ignored"
    assert not _reload(feature).is_released


def test_jira_is_signed_with_x_hub_signature(api_client, secret, feature):
    body = encode(jira_issue_updated(key="PAY-123"))
    github_style = {"HTTP_X_HUB_SIGNATURE_256": jira_headers(secret, body)["HTTP_X_HUB_SIGNATURE"]}
    assert _post(api_client, "jira", body, github_style).status_code == 401
    assert _post(api_client, "jira", body, jira_headers("wrong", body)).status_code == 401
    assert not _reload(feature).is_released


# --- Linear -----------------------------------------------------------------------------


def _linear(api_client, secret, payload):
    body = encode(payload)
    return _post(api_client, "linear", body, linear_headers(secret, body))


def test_a_completed_linear_issue_releases_the_feature(api_client, secret, feature):
    response = _linear(api_client, secret, linear_issue_update(identifier="ENG-45"))
    assert response.status_code == 202, response.content
    released = _reload(feature)
    assert released.is_released
    assert released.release_date == datetime.date(2026, 3, 4)  # completedAt


def test_a_linear_issue_in_progress_changes_nothing(api_client, secret, feature):
    response = _linear(api_client, secret, linear_issue_update(state_type="started"))
    assert response.status_code == 202
    assert not _reload(feature).is_released


def test_a_stale_linear_timestamp_is_401(api_client, secret, feature):
    stale = int((time.time() - 120) * 1000)
    assert _linear(api_client, secret, linear_issue_update(sent_ms=stale)).status_code == 401
    payload = linear_issue_update()
    del payload["webhookTimestamp"]
    assert _linear(api_client, secret, payload).status_code == 401
    assert not _reload(feature).is_released
    assert not InboundDelivery.objects.exists()


def test_a_bad_linear_signature_is_401(api_client, secret, feature):
    body = encode(linear_issue_update())
    assert _post(api_client, "linear", body, linear_headers("nope", body)).status_code == 401
    assert _post(api_client, "linear", body, {}).status_code == 401


# --- Linear's own signing secret -------------------------------------------------------

LINEAR_SECRET = "lin_wh_8f2c1d0e9b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"


def _inbound_api(workspace):
    return reverse("collaboration-api:inbound-hooks", kwargs={"workspace_slug": workspace.slug})


def test_a_linear_post_signed_with_the_pasted_linear_secret_is_accepted(
    api_client, secret, feature, workspace, admin_user
):
    api_client.force_authenticate(admin_user)
    saved = api_client.patch(
        _inbound_api(workspace), {"linear_secret": f"  {LINEAR_SECRET}\n"}, format="json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["linear_secret_set"] is True
    assert LINEAR_SECRET not in saved.content.decode()
    hook = inbound_hook_get(workspace=workspace)
    assert hook.linear_secret == LINEAR_SECRET  # stripped
    assert hook.secret == secret  # ours is unchanged...
    api_client.force_authenticate(None)
    refused = _linear(api_client, secret, linear_issue_update(identifier="ENG-45"))
    assert refused.status_code == 401  # ...but no longer checks Linear's posts
    assert not _reload(feature).is_released
    accepted = _linear(api_client, LINEAR_SECRET, linear_issue_update(identifier="ENG-45"))
    assert accepted.status_code == 202, accepted.content
    assert accepted.json()["released"] == [feature.pk]
    assert _reload(feature).is_released
    log = InboundDelivery.objects.get()
    assert (log.source, log.outcome) == ("linear", "applied")


def test_the_linear_secret_is_for_linear_only(api_client, secret, feature, workspace, admin_user):
    inbound_hook_set_linear_secret(actor=admin_user, workspace=workspace, secret=LINEAR_SECRET)
    assert _github(api_client, LINEAR_SECRET, github_release(body="PAY-123")).status_code == 401
    assert _jira(api_client, LINEAR_SECRET, jira_issue_updated(key="PAY-123")).status_code == 401
    assert not _reload(feature).is_released
    assert _github(api_client, secret, github_release(body="PAY-123")).status_code == 202
    assert _reload(feature).is_released


def test_rotating_leaves_the_linear_secret_alone(
    api_client, secret, feature, workspace, admin_user
):
    inbound_hook_set_linear_secret(actor=admin_user, workspace=workspace, secret=LINEAR_SECRET)
    rotated = inbound_hook_rotate(actor=admin_user, workspace=workspace)
    assert rotated.secret != secret and rotated.linear_secret == LINEAR_SECRET
    assert _linear(api_client, LINEAR_SECRET, linear_issue_update()).status_code == 202
    assert _reload(feature).is_released


def test_clearing_the_linear_secret_falls_back_to_ours(
    api_client, secret, feature, workspace, admin_user
):
    inbound_hook_set_linear_secret(actor=admin_user, workspace=workspace, secret=LINEAR_SECRET)
    api_client.force_authenticate(admin_user)
    cleared = api_client.patch(_inbound_api(workspace), {"linear_secret": "  "}, format="json")
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["linear_secret_set"] is False
    assert inbound_hook_get(workspace=workspace).linear_secret == ""
    api_client.force_authenticate(None)
    assert _linear(api_client, LINEAR_SECRET, linear_issue_update()).status_code == 401
    assert _linear(api_client, secret, linear_issue_update()).status_code == 202
    assert _reload(feature).is_released


def test_the_api_never_shows_the_linear_secret(api_client, workspace, admin_user):
    api_client.force_authenticate(admin_user)
    before = api_client.get(_inbound_api(workspace))
    assert before.status_code == 200
    assert before.json()["linear_secret_set"] is False
    assert "linear_secret" not in before.json()
    api_client.patch(_inbound_api(workspace), {"linear_secret": LINEAR_SECRET}, format="json")
    after = api_client.get(_inbound_api(workspace))
    assert after.json()["linear_secret_set"] is True
    assert "linear_secret" not in after.json()
    assert LINEAR_SECRET not in after.content.decode()
    assert after.json()["secret"] == before.json()["secret"]


def test_bad_linear_secrets_are_400(api_client, workspace, admin_user):
    api_client.force_authenticate(admin_user)
    url = _inbound_api(workspace)
    inbound_hook_set_linear_secret(actor=admin_user, workspace=workspace, secret=LINEAR_SECRET)
    for body in ({"linear_secret": None}, {"linear_secret": "x" * 201}, {"linear_secret": ["x"]}):
        response = api_client.patch(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert "linear_secret" in response.json()
    unchanged = api_client.patch(url, {}, format="json")  # PATCH: absent is left alone
    assert unchanged.status_code == 200 and unchanged.json()["linear_secret_set"] is True
    assert inbound_hook_get(workspace=workspace).linear_secret == LINEAR_SECRET
    with pytest.raises(ValidationError) as error:
        inbound_hook_set_linear_secret(actor=admin_user, workspace=workspace, secret="y" * 201)
    assert "linear_secret" in error.value.message_dict


def test_only_admins_set_the_linear_secret(
    api_client, workspace, other_workspace, member, admin_user
):
    url = _inbound_api(workspace)
    for role in (Role.PM, Role.PMM, Role.MARKETING, Role.VIEWER):
        api_client.force_authenticate(member(role))
        response = api_client.patch(url, {"linear_secret": LINEAR_SECRET}, format="json")
        assert response.status_code == 403, role
    with pytest.raises(PermissionDenied):
        inbound_hook_set_linear_secret(
            actor=member(Role.PM), workspace=workspace, secret=LINEAR_SECRET
        )
    # An admin here is nobody in another tenant.
    api_client.force_authenticate(admin_user)
    foreign = api_client.patch(
        _inbound_api(other_workspace), {"linear_secret": LINEAR_SECRET}, format="json"
    )
    assert foreign.status_code == 404
    assert inbound_hook_get(workspace=workspace).linear_secret == ""
    assert inbound_hook_get(workspace=other_workspace).linear_secret == ""


def test_the_webhooks_page_saves_the_linear_secret(client, workspace, admin_user, member):
    page = reverse("collaboration:webhooks", args=[workspace.slug])
    action = reverse("collaboration:inbound_linear_secret", args=[workspace.slug])
    client.force_login(member(Role.PM))
    assert client.post(action, {"linear_secret": LINEAR_SECRET}).status_code == 403
    assert inbound_hook_get(workspace=workspace).linear_secret == ""
    client.force_login(admin_user)
    before = client.get(page).content.decode()
    assert action in before and 'type="password"' in before and "not set" in before
    saved = client.post(action, {"linear_secret": LINEAR_SECRET}, follow=True)
    assert saved.redirect_chain[0][0].startswith(page)
    assert inbound_hook_get(workspace=workspace).linear_secret == LINEAR_SECRET
    shown = saved.content.decode()
    assert "Linear signing secret saved" in shown
    assert LINEAR_SECRET not in shown  # never shown back
    too_long = client.post(action, {"linear_secret": "z" * 201}, follow=True)
    assert "at most 200 characters" in too_long.content.decode()
    assert inbound_hook_get(workspace=workspace).linear_secret == LINEAR_SECRET
    cleared = client.post(action, {"linear_secret": ""}, follow=True)
    assert "Linear signing secret cleared" in cleared.content.decode()
    assert inbound_hook_get(workspace=workspace).linear_secret == ""
    assert client.get(action).status_code == 405


def test_the_webhooks_page_refuses_csrf_less_posts(client, workspace, admin_user):
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(admin_user)
    action = reverse("collaboration:inbound_linear_secret", args=[workspace.slug])
    assert csrf_client.post(action, {"linear_secret": LINEAR_SECRET}).status_code == 403
    assert inbound_hook_get(workspace=workspace).linear_secret == ""


# --- The release path -------------------------------------------------------------------


def test_setting_the_status_to_released_takes_the_same_path(
    api, workspace, feature, claim, django_capture_on_commit_callbacks
):
    heard = []
    feature_released.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="t2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = api.patch(
                reverse(
                    "alignment-api:feature-detail",
                    kwargs={"workspace_slug": workspace.slug, "pk": feature.pk},
                ),
                {"status": "released", "release_date": "2026-03-05"},
                format="json",
            )
    finally:
        feature_released.disconnect(dispatch_uid="t2")
    assert response.status_code == 200, response.content
    assert Event.objects.filter(kind=EventKind.FEATURE_RELEASED, subject_id=feature.pk).count() == 1
    assert heard == [
        {
            "signal": feature_released,
            "sender": Feature,
            "workspace_id": workspace.pk,
            "feature_id": feature.pk,
        }
    ]
    # Saved again while released: nothing new.
    core_services.feature_update(actor=None, feature=_reload(feature), name="Checkout")
    assert Event.objects.filter(kind=EventKind.FEATURE_RELEASED).count() == 1


def test_external_refs_in_the_api(api, workspace, feature):
    url = reverse(
        "alignment-api:feature-detail", kwargs={"workspace_slug": workspace.slug, "pk": feature.pk}
    )
    assert api.get(url).json()["external_refs"] == ["PAY-123", "ENG-45"]
    ok = api.patch(url, {"external_refs": ["PAY-9", "github:acme/pay@v3"]}, format="json")
    assert ok.status_code == 200 and ok.json()["external_refs"] == ["PAY-9", "github:acme/pay@v3"]
    bad = api.patch(url, {"external_refs": ["not a ref"]}, format="json")
    assert bad.status_code == 400 and "external_refs" in bad.json()


def test_release_log_appears_on_the_webhooks_page(client, admin_user, secret, feature, api_client):
    _github(api_client, secret, github_release(body="PAY-123"))
    client.force_login(admin_user)
    page = client.get(reverse("collaboration:webhooks", args=["acme"])).content.decode()
    assert "release.published" in page and "Released features" in page
